/* The insight statements a headline slide shows (scoring.md "Insights"), in Vietnamese by
 * default and in English, ranked by priority. They are about one unit, the home unit, which
 * the scoring chose before (kiosk_choose_home). */
#include "insight.h"

#include "array.h"
#include "error.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kiosk_insight_type_name(enum kiosk_insight_type t)
{
    switch (t) {
    case KIOSK_INSIGHT_LEAD:
        return "lead";
    case KIOSK_INSIGHT_RANK:
        return "rank";
    case KIOSK_INSIGHT_GAIN:
        return "gain";
    case KIOSK_INSIGHT_GROUP_GAIN:
        return "group_gain";
    case KIOSK_INSIGHT_GROUP_MAX:
        return "group_max";
    case KIOSK_INSIGHT_SCOPE_LEADER:
        return "scope_leader";
    case KIOSK_INSIGHT_TOTAL:
        return "total";
    case KIOSK_INSIGHT_GAP:
        return "gap";
    case KIOSK_INSIGHT_ROOM:
        return "room";
    }
    return "other";
}

struct builder {
    enum kiosk_lang_code lang;
    struct kiosk_insight *items;
    size_t n;
    size_t dropped; /* statements that could not be added: no memory (array.h) */
};

static void add(struct builder *b, const char *unit, enum kiosk_insight_type type, int priority,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add(struct builder *b, const char *unit, enum kiosk_insight_type type, int priority,
                const char *fmt, ...)
{
    /* sized to the sentence: a name of 1,024 bytes never cuts off the figures after it,
     * nor a character in two */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    struct kiosk_insight it = {.unit = unit, .type = type, .priority = priority, .text = text};
    if (!it.text)
        b->dropped++;
    else if (KIOSK_ARRAY_APPEND(b->items, b->n, it, 0, &b->dropped))
        free(it.text);
}

/* The word for the period's length: week, month, quarter, year. */
static const char *period_word(const struct kiosk_period *p, enum kiosk_lang_code lang)
{
    int days = p->end - p->start + 1;
    bool vi = lang == KIOSK_LANG_CODE_VI;
    if (days == 7)
        return vi ? "tuần" : "week";
    if (days >= 28 && days <= 31)
        return vi ? "tháng" : "month";
    if (days >= 89 && days <= 92)
        return vi ? "quý" : "quarter";
    if (days >= 365 && days <= 366)
        return vi ? "năm" : "year";
    return vi ? "kỳ" : "period";
}

static const char *period_words(const struct kiosk_period *p)
{
    int days = p->end - p->start + 1;
    if (days == 7)
        return "weeks";
    if (days >= 28 && days <= 31)
        return "months";
    if (days >= 89 && days <= 92)
        return "quarters";
    if (days >= 365 && days <= 366)
        return "years";
    return "periods";
}

/* How a period is named inside a sentence: "tuần 27/2025" (the label, lower-cased first
 * letter) in Vietnamese, the id (2025-W27) in English, where labels are Vietnamese. */
static void period_in_sentence(const struct kiosk_period *p, enum kiosk_lang_code lang, char *buf,
                               size_t size)
{
    if (lang == KIOSK_LANG_CODE_EN) {
        snprintf(buf, size, "%s", p->id);
        return;
    }
    snprintf(buf, size, "%s", p->label);
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* A scope's name in a sentence: where a rank holds and whose average it is. */
static void scope_phrase(const struct kiosk_scope *sc, enum kiosk_lang_code lang, char *where,
                         size_t wsize, char *avg, size_t asize)
{
    bool vi = lang == KIOSK_LANG_CODE_VI;
    const char *k = sc->kind;
    if (strcmp(k, "province") == 0 && !sc->parent) {
        snprintf(where, wsize, "%s", vi ? "toàn quốc" : "nationally");
        snprintf(avg, asize, "%s", vi ? "toàn quốc" : "national average");
    } else if (strcmp(k, "commune") == 0) {
        snprintf(where, wsize, "%s", vi ? "cấp xã" : "among communes");
        snprintf(avg, asize, "%s", vi ? "cấp xã" : "commune average");
    } else if (strcmp(k, "department") == 0) {
        snprintf(where, wsize, "%s", vi ? "khối sở, ban, ngành" : "among departments");
        snprintf(avg, asize, "%s", vi ? "khối sở, ban, ngành" : "department average");
    } else if (strcmp(k, "province") == 0) {
        snprintf(where, wsize, "%s", vi ? "cấp tỉnh" : "among provinces");
        snprintf(avg, asize, "%s", vi ? "cấp tỉnh" : "provincial average");
    } else {
        snprintf(where, wsize, vi ? "nhóm %s" : "among %s units", k);
        snprintf(avg, asize, vi ? "nhóm %s" : "%s average", k);
    }
}

static const char *group_name(const struct kiosk_group *g, enum kiosk_lang_code lang)
{
    return lang == KIOSK_LANG_CODE_EN && g->name_en ? g->name_en : g->name;
}

static void scope_leader(struct builder *b, const struct kiosk_scope *sc, int priority)
{
    char where[128], avg[128], total[32], mean[32];
    const struct kiosk_unit_score *lead = &sc->units[0];
    bool vi = b->lang == KIOSK_LANG_CODE_VI;
    if (lead->rank != 1)
        return; /* no unit of the scope has a known total: nobody leads it */
    scope_phrase(sc, b->lang, where, sizeof where, avg, sizeof avg);
    kiosk_format_fixed(lead->total, 2, b->lang, total, sizeof total);
    kiosk_format_fixed(sc->mean, 2, b->lang, mean, sizeof mean);
    if (vi)
        add(b, lead->id, KIOSK_INSIGHT_SCOPE_LEADER, priority,
            "%s dẫn đầu %s với %s điểm; điểm trung bình %s %s", lead->name, where, total, avg,
            mean);
    else
        add(b, lead->id, KIOSK_INSIGHT_SCOPE_LEADER, priority,
            "%s leads %s%s with %s points; %s %s", lead->name,
            strncmp(where, "among ", 6) == 0 ? "the " : "",
            strncmp(where, "among ", 6) == 0 ? where + 6 : where, total, avg, mean);
}

/* What would move the home unit up: the points it needs to pass the unit ranked above it
 * (all the units above, when several share that rank), said right after its place; or,
 * first, its lead over the best of the others, said after its story. Nothing for a unit alone in
 * its scope, or first with every other unit tied. */
static void gap_to_above(struct builder *b, const struct kiosk_scope *sc,
                         const struct kiosk_unit_score *home)
{
    bool vi = b->lang == KIOSK_LANG_CODE_VI;
    char num[32];
    size_t at = sc->count;
    for (size_t i = 0; i < sc->count; i++)
        if (&sc->units[i] == home)
            at = i;
    if (at == sc->count || sc->count < 2)
        return;
    long long mine = kiosk_cents(home->total);
    if (home->rank == 1) {
        /* first (perhaps shared): the margin over the best unit with a lower total */
        const struct kiosk_unit_score *next = NULL;
        for (size_t i = 0; i < sc->count && !next; i++)
            if (kiosk_cents(sc->units[i].total) < mine)
                next = &sc->units[i];
        if (!next)
            return;
        kiosk_format_fixed((double)(mine - kiosk_cents(next->total)) / 100, 2, b->lang, num,
                           sizeof num);
        if (vi)
            add(b, home->id, KIOSK_INSIGHT_GAP, 65, "Hơn %s (hạng %d) %s điểm", next->name,
                next->rank, num);
        else
            add(b, home->id, KIOSK_INSIGHT_GAP, 65, "%s points ahead of %s (ranked %d)", num,
                next->name, next->rank);
        return;
    }
    /* the units just above: the rank above this one, however many share it */
    const struct kiosk_unit_score *above = NULL;
    size_t tied = 0;
    for (size_t i = at; i-- > 0;) {
        if (kiosk_cents(sc->units[i].total) <= mine)
            continue;
        if (!above)
            above = &sc->units[i];
        if (sc->units[i].rank != above->rank)
            break;
        tied++;
    }
    if (!above)
        return;
    kiosk_format_fixed((double)(kiosk_cents(above->total) - mine + 1) / 100, 2, b->lang, num,
                       sizeof num);
    if (tied > 1)
        add(b, home->id, KIOSK_INSIGHT_GAP, 95,
            vi ? "Cần thêm %s điểm để vượt %zu đơn vị đồng hạng %d"
               : "%s more points would pass the %zu units tied at rank %d",
            num, tied, above->rank);
    else
        add(b, home->id, KIOSK_INSIGHT_GAP, 95,
            vi ? "Cần thêm %s điểm để vượt %s (hạng %d)"
               : "%s more points would pass %s (ranked %d)",
            num, above->name, above->rank);
}

/* Where the home unit has the most to gain: the group furthest below its maximum (a group
 * with no score has all of it to gain). Nothing when every group is at its maximum. */
static void most_room(struct builder *b, const struct kiosk_framework *fw,
                      const struct kiosk_unit_score *home)
{
    bool vi = b->lang == KIOSK_LANG_CODE_VI;
    char num[32];
    int best = -1;
    long long best_cents = 0;
    for (size_t g = 0; g < fw->n_groups; g++) {
        const struct kiosk_group_score *gs = &home->groups[g];
        long long room = kiosk_cents(gs->max) - (isnan(gs->score) ? 0 : kiosk_cents(gs->score));
        if (!gs->at_max && room > best_cents) {
            best = (int)g;
            best_cents = room;
        }
    }
    if (best < 0 || fw->n_groups < 2)
        return;
    kiosk_format_fixed((double)best_cents / 100, 2, b->lang, num, sizeof num);
    /* for the first, after its story (streak, gains); for the others, right after the place */
    add(b, home->id, KIOSK_INSIGHT_ROOM, home->rank == 1 ? 65 : 92,
        vi ? "%s còn %s điểm chưa đạt, nhiều nhất trong các nhóm"
           : "%s has %s points still to gain, the most of any group",
        group_name(&fw->groups[best], b->lang), num);
}

int kiosk_insights_build(const struct kiosk_snapshot *s, const struct kiosk_unit_score *home,
                         enum kiosk_lang_code lang, struct kiosk_insight **out, size_t *n_out)
{
    struct builder b = {.lang = lang};
    bool vi = b.lang == KIOSK_LANG_CODE_VI;
    const struct kiosk_framework *fw = &s->table.fw;
    char total[32], max_total[32], num[32], where[128], avg[128], since[96];
    *out = NULL;
    *n_out = 0;
    if (!home || isnan(home->total) || !home->rank)
        return 0; /* a unit with no known score: nothing can be said of it */
    const struct kiosk_scope *scope = kiosk_snapshot_scope_of(s, home->id);
    scope_phrase(scope, b.lang, where, sizeof where, avg, sizeof avg);
    kiosk_format_fixed(home->total, 2, b.lang, total, sizeof total);
    kiosk_format_short(fw->max_total, b.lang, max_total, sizeof max_total);
    const char *word = period_word(s->period, b.lang);

    /* place in its scope; alone in it, a unit has no place to boast of */
    if (scope->count == 1)
        add(&b, home->id, KIOSK_INSIGHT_TOTAL, 100,
            vi ? "%s đạt %s/%s điểm" : "%s scores %s/%s points", home->name, total, max_total);
    else if (home->rank == 1 && home->lead_streak >= 2)
        add(&b, home->id, KIOSK_INSIGHT_LEAD, 100,
            vi ? "%s giữ vị trí số 1 %s %d %s liên tiếp — %s/%s điểm"
               : "%s has ranked first %s for %d %s in a row — %s/%s points",
            home->name, where, home->lead_streak, vi ? word : period_words(s->period), total,
            max_total);
    else if (home->rank == 1)
        add(&b, home->id, KIOSK_INSIGHT_LEAD, 100,
            vi ? "%s dẫn đầu %s — %s/%s điểm" : "%s ranks first %s — %s/%s points", home->name,
            where, total, max_total);
    else {
        char moved[96] = "";
        if (home->has_rank_change && home->rank_change != 0) {
            int n = abs(home->rank_change);
            if (vi)
                snprintf(moved, sizeof moved, " (%s %d bậc)",
                         home->rank_change > 0 ? "tăng" : "giảm", n);
            else
                snprintf(moved, sizeof moved, " (%s %d place%s)",
                         home->rank_change > 0 ? "up" : "down", n, n == 1 ? "" : "s");
        }
        add(&b, home->id, KIOSK_INSIGHT_RANK, 100,
            vi ? "%s xếp thứ %d/%zu %s%s — %s/%s điểm" : "%s ranks %d of %zu %s%s — %s/%s points",
            home->name, home->rank, scope->count, where, moved, total, max_total);
    }

    /* what would move it up */
    gap_to_above(&b, scope, home);
    most_room(&b, fw, home);

    /* change of the total */
    if (!isnan(home->delta)) {
        long long c = kiosk_cents(home->delta);
        kiosk_format_fixed(fabs(home->delta), 2, b.lang, num, sizeof num);
        const struct kiosk_period *first = NULL;
        for (size_t i = 0; i < s->table.n_periods; i++)
            if (strcmp(s->table.periods[i].id, home->since) == 0)
                first = &s->table.periods[i];
        /* "the largest since" says something only with earlier changes to compare */
        bool best = home->best_gain == 1 && first && first != s->period &&
                    first->start < s->period->start && s->history_periods > 2;
        if (best)
            period_in_sentence(first, b.lang, since, sizeof since);
        if (c > 0 && best)
            add(&b, home->id, KIOSK_INSIGHT_GAIN, 90,
                vi ? "Tăng %s điểm so với %s trước, mức tăng cao nhất từ %s"
                   : "Up %s points on the previous %s, the largest gain since %s",
                num, word, since);
        else if (c > 0)
            add(&b, home->id, KIOSK_INSIGHT_GAIN, 60,
                vi ? "Tăng %s điểm so với %s trước" : "Up %s points on the previous %s", num, word);
        else if (c < 0)
            add(&b, home->id, KIOSK_INSIGHT_GAIN, 60,
                vi ? "Giảm %s điểm so với %s trước" : "Down %s points on the previous %s", num,
                word);
        else
            add(&b, home->id, KIOSK_INSIGHT_GAIN, 55,
                vi ? "Giữ nguyên số điểm so với %s trước" : "Unchanged on the previous %s", word);
    }

    /* the group that gained most */
    int best_group = -1;
    for (size_t g = 0; g < fw->n_groups; g++) {
        double d = home->groups[g].delta;
        if (!isnan(d) && kiosk_cents(d) > 0 &&
            (best_group < 0 || kiosk_cents(d) > kiosk_cents(home->groups[best_group].delta)))
            best_group = (int)g;
    }
    if (best_group >= 0 && fw->n_groups > 1) {
        kiosk_format_fixed(home->groups[best_group].delta, 2, b.lang, num, sizeof num);
        add(&b, home->id, KIOSK_INSIGHT_GROUP_GAIN, 80,
            vi ? "%s tăng %s điểm, cao nhất trong các nhóm chỉ số"
               : "%s up %s points, the largest gain of all groups",
            group_name(&fw->groups[best_group], b.lang), num);
    }

    /* groups at their maximum */
    for (size_t g = 0; g < fw->n_groups; g++) {
        if (!home->groups[g].at_max)
            continue;
        kiosk_format_short(fw->groups[g].max, b.lang, num, sizeof num);
        add(&b, home->id, KIOSK_INSIGHT_GROUP_MAX, 70,
            vi ? "%s đạt tối đa %s/%s" : "%s at the maximum, %s/%s",
            group_name(&fw->groups[g], b.lang), num, num);
    }

    /* the scopes below the home unit, then the other top-level scopes' leaders */
    for (size_t i = 0; i < s->n_scopes; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        if (sc->parent && strcmp(sc->parent, home->id) == 0)
            scope_leader(&b, sc, 50);
    }
    for (size_t i = 0; i < s->n_scopes; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        if (!sc->parent && sc->count > 1 && strcmp(sc->units[0].id, home->id) != 0 &&
            sc->units[0].rank == 1)
            scope_leader(&b, sc, 40);
    }
    (void)avg;
    if (b.dropped) { /* a list short of a statement could lose the headline: none at all */
        for (size_t i = 0; i < b.n; i++)
            free(b.items[i].text);
        free(b.items);
        return KIOSK_ENOMEM;
    }
    /* stable insertion sort: equal priorities keep the order they were made in */
    for (size_t i = 1; i < b.n; i++)
        for (size_t j = i; j > 0 && b.items[j - 1].priority < b.items[j].priority; j--) {
            struct kiosk_insight tmp = b.items[j];
            b.items[j] = b.items[j - 1];
            b.items[j - 1] = tmp;
        }
    *out = b.items;
    *n_out = b.n;
    return 0;
}
