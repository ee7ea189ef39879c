#include "score.h"

#include "array.h"
#include "error.h"
#include "insight.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kiosk_score_options_init(struct kiosk_score_options *o)
{
    memset(o, 0, sizeof *o);
    o->lang = KIOSK_LANG_CODE_VI;
    o->threshold = NAN;
}

double kiosk_metric_score(const struct kiosk_metric_rule *rule, double numerator,
                          double denominator, double max)
{
    if (isnan(numerator) || isnan(denominator) || denominator <= 0 || isnan(max))
        return NAN;
    double ratio = numerator / denominator;
    double share = ratio;
    if (rule && rule->rule == KIOSK_RULE_TARGET)
        share = ratio * 100.0 / rule->target_pct;
    if (share > 1)
        share = 1;
    if (share < 0)
        share = 0;
    return max * share;
}

/* Per-period working data, parallel to the entries. Every period gets its totals and
 * first-place flags (linear time); full ranks, which need a sort, are made only for the
 * newest period and the periods its units last appeared in. */
struct period_work {
    double *totals;
    bool *first;   /* ranked first among its peers */
    int *ranks;    /* NULL until ranked */
    size_t *order; /* entry indices sorted by scope, then rank, then id */
};

/* The hundredths of a total for ordering; an unknown total orders after every known one. */
#define UNKNOWN_CENTS LLONG_MIN
static long long cents_or_unknown(double total)
{
    return isnan(total) ? UNKNOWN_CENTS : kiosk_cents(total);
}

struct sort_key {
    uint32_t kind, parent;
    long long cents;
    const char *id;
    size_t index;
};

static int key_cmp(const void *a, const void *b)
{
    const struct sort_key *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    if (x->cents != y->cents)
        return x->cents > y->cents ? -1 : 1; /* higher total first */
    return strcmp(x->id, y->id);
}

static bool same_scope(const struct sort_key *a, const struct sort_key *b)
{
    return a->kind == b->kind && a->parent == b->parent;
}

struct warnings {
    struct kiosk_warning *items;
    size_t n;
    size_t dropped; /* over KIOSK_DIAGS_MAX or out of memory (array.h) */
};

/* Adds a warning; KIOSK_ENOMEM when memory ran out (the scoring fails), 0 otherwise, also
 * when the list is full: then the warning is only counted. */
static int warn(struct warnings *w, const char *unit, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int warn(struct warnings *w, const char *unit, const char *code, const char *fmt, ...)
{
    char text[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct kiosk_warning it = {.unit = unit, .code = strdup(code), .text = strdup(text)};
    int rc = KIOSK_ENOMEM;
    if (!it.code || !it.text)
        w->dropped++;
    else
        rc = KIOSK_ARRAY_APPEND(w->items, w->n, it, KIOSK_DIAGS_MAX, &w->dropped);
    if (rc) {
        free(it.code);
        free(it.text);
    }
    return rc == KIOSK_ENOMEM ? KIOSK_ENOMEM : 0;
}

/* Fills in metric scores from counts and group scores from metrics where the feed gave none,
 * then the effective totals. Warnings are collected for the newest period only. */
static int resolve_period(struct kiosk_table *t, struct kiosk_period *p, double *totals,
                          struct warnings *w)
{
    const struct kiosk_framework *fw = &t->fw;
    size_t ng = fw->n_groups;
    size_t missing[KIOSK_MAX_GROUPS] = {0};
    struct quality_count {
        uint32_t status, message;
        size_t count;
    } flags[16];
    size_t n_flags = 0, unscored = 0;
    for (size_t i = 0; i < p->n_entries; i++) {
        struct kiosk_entry *e = &p->entries[i];
        double *scores = kiosk_entry_scores(p, i, ng);
        double from_metrics[KIOSK_MAX_GROUPS];
        bool has_metrics[KIOSK_MAX_GROUPS] = {false};
        for (size_t g = 0; g < ng; g++)
            from_metrics[g] = 0;
        for (uint32_t k = 0; k < e->n_metrics; k++) {
            struct kiosk_metric *m = &e->metrics[k];
            if (m->group >= ng)
                continue;
            if (isnan(m->score)) {
                const char *code = kiosk_strtab_get(&t->strings, m->code);
                m->score = kiosk_metric_score(kiosk_framework_rule(fw, m->group, code),
                                              m->numerator, m->denominator, m->max);
            }
            if (isnan(m->ratio) && !isnan(m->numerator) && m->denominator > 0)
                m->ratio = 100.0 * m->numerator / m->denominator;
            has_metrics[m->group] = true;
            if (w && m->quality != KIOSK_NONE) {
                size_t f = 0;
                while (f < n_flags && flags[f].status != m->quality)
                    f++;
                if (f == n_flags && n_flags < 16)
                    flags[n_flags++] = (struct quality_count){m->quality, m->quality_message, 0};
                if (f < n_flags)
                    flags[f].count++;
            }
            if (!isnan(m->score))
                from_metrics[m->group] += m->score;
        }
        double sum = 0;
        bool any = false;
        for (size_t g = 0; g < ng; g++) {
            if (isnan(scores[g]) && has_metrics[g])
                scores[g] =
                    from_metrics[g] > fw->groups[g].max ? fw->groups[g].max : from_metrics[g];
            if (isnan(scores[g]))
                continue;
            sum += scores[g];
            any = true;
        }
        for (size_t g = 0; any && g < ng; g++)
            missing[g] += isnan(scores[g]); /* counted as 0 in a total otherwise known */
        /* a unit with no group known and no total given has an unknown total: never 0 */
        totals[i] = !isnan(e->total) ? e->total : any ? sum : NAN;
        if (!any && isnan(e->total))
            unscored++;
        if (w && any && !isnan(e->total) && fabs(e->total - sum) > 0.015) {
            const char *id = kiosk_strtab_get(&t->strings, e->unit);
            if (warn(w, id, "total_mismatch",
                     "%s: the given total %.2f differs from the sum of its group scores %.2f; "
                     "showing the given total",
                     id, e->total, sum))
                return KIOSK_ENOMEM;
        }
    }
    if (w && unscored &&
        warn(w, NULL, "no_score",
             "%zu of %zu units in %s have no score at all: their totals are unknown and they "
             "are not ranked",
             unscored, p->n_entries, p->id))
        return KIOSK_ENOMEM;
    for (size_t f = 0; f < n_flags; f++) {
        const char *msg = kiosk_strtab_get(&t->strings, flags[f].message);
        if (warn(w, NULL, "data_quality", "%zu metrics in %s are flagged %s%s%s", flags[f].count,
                 p->id, kiosk_strtab_get(&t->strings, flags[f].status), msg ? ": " : "",
                 msg ? msg : ""))
            return KIOSK_ENOMEM;
    }
    for (size_t g = 0; w && g < ng; g++) {
        if (missing[g] &&
            warn(w, NULL, "missing_group",
                 "%zu of %zu units in %s have no %s score; it counts as 0 in their totals",
                 missing[g], p->n_entries, p->id, fw->groups[g].code))
            return KIOSK_ENOMEM;
    }
    return 0;
}

static int rank_period(const struct kiosk_table *t, const struct kiosk_period *p,
                       struct period_work *pw)
{
    size_t n = p->n_entries;
    if (pw->ranks)
        return 0;
    pw->ranks = malloc((n ? n : 1) * sizeof *pw->ranks);
    pw->order = malloc((n ? n : 1) * sizeof *pw->order);
    struct sort_key *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys || !pw->ranks || !pw->order) {
        free(keys);
        return KIOSK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct kiosk_entry *e = &p->entries[i];
        keys[i] = (struct sort_key){.kind = e->kind,
                                    .parent = e->parent,
                                    .cents = cents_or_unknown(pw->totals[i]),
                                    .id = kiosk_strtab_get(&t->strings, e->unit),
                                    .index = i};
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    size_t scope_start = 0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && !same_scope(&keys[k - 1], &keys[k]))
            scope_start = k;
        int rank;
        if (keys[k].cents == UNKNOWN_CENTS)
            rank = 0; /* no known total: not ranked, listed after the ranked */
        else if (k > scope_start && keys[k - 1].cents == keys[k].cents)
            rank = pw->ranks[keys[k - 1].index];
        else
            rank = (int)(k - scope_start) + 1;
        pw->ranks[keys[k].index] = rank;
        pw->order[k] = keys[k].index;
    }
    free(keys);
    return 0;
}

/* Marks the units ranked first among their peers: the scope's highest total, to
 * hundredths. A hash of (kind, parent) -> highest total, in linear time. */
static int first_places(const struct kiosk_period *p, struct period_work *pw)
{
    size_t n = p->n_entries, slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    uint64_t *keys = malloc(slots * sizeof *keys);
    long long *best = malloc(slots * sizeof *best);
    pw->first = malloc((n ? n : 1) * sizeof *pw->first);
    if (!keys || !best || !pw->first) {
        free(keys);
        free(best);
        return KIOSK_ENOMEM;
    }
    memset(keys, 0xff, slots * sizeof *keys); /* (NONE, NONE) is never a scope */
    size_t *slot_of = (size_t *)malloc((n ? n : 1) * sizeof *slot_of);
    if (!slot_of) {
        free(keys);
        free(best);
        return KIOSK_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const struct kiosk_entry *e = &p->entries[i];
        uint64_t key = (uint64_t)e->kind << 32 | e->parent;
        size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 32) & (slots - 1);
        while (keys[h] != key && keys[h] != UINT64_MAX)
            h = (h + 1) & (slots - 1);
        long long c = cents_or_unknown(pw->totals[i]);
        if (keys[h] == UINT64_MAX) {
            keys[h] = key;
            best[h] = c;
        } else if (c > best[h]) {
            best[h] = c;
        }
        slot_of[i] = h;
    }
    for (size_t i = 0; i < n; i++)
        pw->first[i] = !isnan(pw->totals[i]) && kiosk_cents(pw->totals[i]) == best[slot_of[i]];
    free(slot_of);
    free(keys);
    free(best);
    return 0;
}

/* What the history walk remembers of each unit (indexed by interned id). */
struct unit_state {
    int32_t last_period; /* -1: not seen yet */
    uint32_t last_entry;
    int32_t first_period;
    bool first; /* ranked first at its last appearance */
    int streak;
    double total;
    double max_delta;
    uint32_t n_deltas;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* a - b as a reader checks it on the screen: the difference of the two figures as shown,
 * rounded to hundredths (scoring.md "Precision"); NAN when either is missing. */
static double shown_diff(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    return (double)(kiosk_cents(a) - kiosk_cents(b)) / 100.0;
}

static const char *band_for(const struct kiosk_band *bands, size_t n, double total)
{
    const char *best = NULL;
    double best_min = -INFINITY;
    for (size_t i = 0; !isnan(total) && i < n; i++)
        if (kiosk_cents(total) >= kiosk_cents(bands[i].min) && bands[i].min > best_min) {
            best = bands[i].label;
            best_min = bands[i].min;
        }
    return best;
}

static void snapshot_free(struct kiosk_snapshot *s)
{
    for (size_t i = 0; i < s->n_scopes; i++) {
        for (size_t u = 0; u < s->scopes[i].count; u++)
            free(s->scopes[i].units[u].groups);
        free(s->scopes[i].units);
    }
    free(s->scopes);
    for (size_t i = 0; i < s->n_insights; i++)
        free(s->insights[i].text);
    free(s->insights);
    for (size_t i = 0; i < s->n_warnings; i++) {
        free(s->warnings[i].code);
        free(s->warnings[i].text);
    }
    free(s->warnings);
    for (size_t i = 0; s->totals && i < s->table.n_periods; i++)
        free(s->totals[i]);
    free(s->totals);
    for (size_t i = 0; i < s->n_bands; i++)
        free((char *)s->bands[i].label);
    free(s->bands);
    kiosk_table_free(&s->table);
    free(s);
}

/* The bands as the snapshot's own: a unit's band must outlive the options it came from
 * (a reloaded configuration). */
static int copy_bands(struct kiosk_snapshot *s, const struct kiosk_score_options *o)
{
    if (!o->n_bands)
        return 0;
    if (!(s->bands = calloc(o->n_bands, sizeof *s->bands)))
        return KIOSK_ENOMEM;
    for (size_t i = 0; i < o->n_bands; i++, s->n_bands++) {
        s->bands[i].min = o->bands[i].min;
        if (!(s->bands[i].label = strdup(o->bands[i].label ? o->bands[i].label : "")))
            return KIOSK_ENOMEM;
    }
    return 0;
}

struct kiosk_snapshot *kiosk_snapshot_ref(struct kiosk_snapshot *s)
{
    if (s)
        __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    return s;
}

void kiosk_snapshot_unref(struct kiosk_snapshot *s)
{
    if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0)
        snapshot_free(s);
}

static int build_scopes(struct kiosk_snapshot *s, const struct period_work *cur,
                        const struct unit_state *st, const struct period_work *works,
                        const struct kiosk_score_options *o)
{
    struct kiosk_table *t = &s->table;
    const struct kiosk_period *p = s->period;
    size_t ng = t->fw.n_groups, n = p->n_entries;
    /* count scopes: runs of the same (kind, parent) in the sorted order */
    size_t n_scopes = 0;
    for (size_t k = 0; k < n; k++) {
        const struct kiosk_entry *a = &p->entries[cur->order[k]];
        const struct kiosk_entry *b = k ? &p->entries[cur->order[k - 1]] : NULL;
        if (!b || a->kind != b->kind || a->parent != b->parent)
            n_scopes++;
    }
    s->scopes = calloc(n_scopes ? n_scopes : 1, sizeof *s->scopes);
    size_t *first_seen = calloc(n_scopes ? n_scopes : 1, sizeof *first_seen);
    double *vals = malloc((n ? n : 1) * sizeof *vals);
    if (!s->scopes || !first_seen || !vals)
        goto nomem;
    size_t k = 0;
    for (size_t sc = 0; sc < n_scopes; sc++) {
        struct kiosk_scope *scope = &s->scopes[s->n_scopes++];
        const struct kiosk_entry *lead = &p->entries[cur->order[k]];
        size_t end = k + 1;
        while (end < n && p->entries[cur->order[end]].kind == lead->kind &&
               p->entries[cur->order[end]].parent == lead->parent)
            end++;
        scope->kind = kiosk_strtab_get(&t->strings, lead->kind);
        scope->parent = kiosk_strtab_get(&t->strings, lead->parent);
        if (lead->parent != KIOSK_NONE) {
            long pi = kiosk_period_find(p, lead->parent);
            if (pi >= 0)
                scope->parent_name = kiosk_strtab_get(&t->strings, p->entries[pi].name);
        }
        scope->units = calloc(end - k, sizeof *scope->units);
        if (!scope->units)
            goto nomem;
        scope->count = end - k;
        long long sum = 0; /* of the totals as shown, in hundredths */
        first_seen[sc] = SIZE_MAX;
        for (size_t j = 0; j < scope->count; j++) {
            size_t i = cur->order[k + j];
            const struct kiosk_entry *e = &p->entries[i];
            const struct unit_state *u = &st[e->unit];
            struct kiosk_unit_score *us = &scope->units[j];
            if (i < first_seen[sc])
                first_seen[sc] = i;
            double total = cur->totals[i];
            if (!isnan(total)) { /* the statistics of the figures as shown, of known totals */
                vals[scope->ranked++] = kiosk_round2(total);
                sum += kiosk_cents(total);
                if (!isnan(o->threshold) && kiosk_cents(total) >= kiosk_cents(o->threshold))
                    scope->at_or_above++;
            }
            us->id = kiosk_strtab_get(&t->strings, e->unit);
            us->name = kiosk_strtab_get(&t->strings, e->name);
            us->kind = scope->kind;
            us->parent = scope->parent;
            us->entry = e;
            us->rank = cur->ranks[i];
            us->total = total;
            us->band = band_for(s->bands, s->n_bands, total);
            us->since = t->periods[u->first_period].id;
            for (uint32_t m = 0; m < e->n_metrics; m++)
                if (e->metrics[m].quality != KIOSK_NONE)
                    us->quality_flags++;
            us->groups = calloc(ng ? ng : 1, sizeof *us->groups);
            if (!us->groups)
                goto nomem;
            const double *scores = kiosk_entry_scores(p, i, ng);
            const double *prev_scores = NULL;
            if (u->last_period >= 0) {
                const struct kiosk_period *pp = &t->periods[u->last_period];
                prev_scores = kiosk_entry_scores(pp, u->last_entry, ng);
                us->delta = shown_diff(total, works[u->last_period].totals[u->last_entry]);
                int before = works[u->last_period].ranks[u->last_entry];
                us->has_rank_change = before > 0 && us->rank > 0; /* both ranked */
                us->rank_change = us->has_rank_change ? before - us->rank : 0;
            } else {
                us->delta = e->given_delta; /* a new unit: only what the source says */
            }
            if (isnan(us->delta))
                us->best_gain = -1;
            else
                us->best_gain =
                    kiosk_cents(us->delta) > 0 &&
                    (u->n_deltas == 0 || kiosk_cents(us->delta) >= kiosk_cents(u->max_delta));
            if (us->rank == 1) {
                bool continues = u->last_period >= 0 && u->first && u->streak > 0 &&
                                 t->periods[u->last_period].end + 1 == p->start;
                us->lead_streak = continues ? u->streak + 1 : 1;
            }
            for (size_t g = 0; g < ng; g++) {
                struct kiosk_group_score *gs = &us->groups[g];
                gs->score = scores[g];
                gs->max = t->fw.groups[g].max;
                gs->delta = prev_scores ? shown_diff(scores[g], prev_scores[g]) : NAN;
                gs->at_max = !isnan(gs->score) && fabs(gs->score - gs->max) <= 0.005;
            }
        }
        qsort(vals, scope->ranked, sizeof *vals, cmp_double);
        /* mean and median to hundredths, halves up, as a reader works them out from the
         * totals shown (80.20 and 80.25: a median of 80.23); unknown with no known total */
        size_t nk = scope->ranked;
        scope->mean = nk ? (double)llround((double)sum / (double)nk) / 100.0 : NAN;
        scope->min = nk ? vals[0] : NAN;
        scope->max = nk ? vals[nk - 1] : NAN;
        size_t mid = nk / 2;
        scope->median =
            !nk      ? NAN
            : nk % 2 ? vals[mid]
                     : (double)llround(
                           (double)(kiosk_cents(vals[mid - 1]) + kiosk_cents(vals[mid])) / 2.0) /
                           100.0;
        k = end;
    }
    /* scopes in the order the feed first lists them */
    for (size_t a = 1; a < s->n_scopes; a++) {
        for (size_t b = a; b > 0 && first_seen[b - 1] > first_seen[b]; b--) {
            struct kiosk_scope tmp = s->scopes[b];
            s->scopes[b] = s->scopes[b - 1];
            s->scopes[b - 1] = tmp;
            size_t f = first_seen[b];
            first_seen[b] = first_seen[b - 1];
            first_seen[b - 1] = f;
        }
    }
    free(first_seen);
    free(vals);
    return 0;
nomem:
    free(first_seen);
    free(vals);
    return KIOSK_ENOMEM;
}

const struct kiosk_unit_score *kiosk_choose_home(const struct kiosk_snapshot *s,
                                                 const char *configured)
{
    if (configured)
        return kiosk_snapshot_unit(s, configured);
    /* the unit with the most units below it in this period: a province's own feed */
    const struct kiosk_unit_score *best = NULL;
    size_t best_children = 0;
    for (size_t i = 0; i < s->n_scopes; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        if (!sc->parent)
            continue;
        const struct kiosk_unit_score *u = kiosk_snapshot_unit(s, sc->parent);
        size_t children = 0;
        for (size_t j = 0; u && j < s->n_scopes; j++)
            if (s->scopes[j].parent && strcmp(s->scopes[j].parent, sc->parent) == 0)
                children += s->scopes[j].count;
        if (u && children > best_children) {
            best = u;
            best_children = children;
        }
    }
    if (best)
        return best;
    return s->n_scopes && s->scopes[0].count ? &s->scopes[0].units[0] : NULL;
}

/* The pipeline after the figures, forward only: choose the home unit, then the insights
 * about it. */
static int home_and_insights(struct kiosk_snapshot *s, const struct kiosk_score_options *o)
{
    const struct kiosk_unit_score *home = kiosk_choose_home(s, o->home);
    s->home = home ? home->id : NULL;
    return kiosk_insights_build(s, home, s->lang, &s->insights, &s->n_insights);
}

int kiosk_score(struct kiosk_table *t, const struct kiosk_score_options *o,
                struct kiosk_snapshot **out)
{
    struct kiosk_score_options defaults;
    if (!o) {
        kiosk_score_options_init(&defaults);
        o = &defaults;
    }
    if (t->n_periods == 0 || !t->has_framework)
        return KIOSK_EEMPTY;
    kiosk_table_sort(t);
    size_t np = t->n_periods;
    struct period_work *works = calloc(np, sizeof *works);
    struct unit_state *st = NULL;
    struct warnings w = {0};
    struct kiosk_snapshot *s = NULL;
    int rc = KIOSK_ENOMEM;
    if (!works)
        goto out;
    for (size_t i = 0; i < np; i++) {
        struct kiosk_period *p = &t->periods[i];
        size_t n = p->n_entries ? p->n_entries : 1;
        works[i].totals = malloc(n * sizeof(double));
        if (!works[i].totals)
            goto out;
        if (resolve_period(t, p, works[i].totals, i + 1 == np ? &w : NULL) ||
            first_places(p, &works[i]))
            goto out;
    }

    /* walk the history in order; the state holds each unit's last appearance */
    size_t nu = t->strings.count;
    st = malloc((nu ? nu : 1) * sizeof *st);
    if (!st)
        goto out;
    for (size_t u = 0; u < nu; u++)
        st[u] = (struct unit_state){.last_period = -1, .first_period = -1};
    for (size_t i = 0; i + 1 < np; i++) {
        const struct kiosk_period *p = &t->periods[i];
        for (size_t e = 0; e < p->n_entries; e++) {
            struct unit_state *u = &st[p->entries[e].unit];
            double total = works[i].totals[e];
            bool first = works[i].first[e];
            if (u->first_period < 0)
                u->first_period = (int32_t)i;
            if (u->last_period >= 0) {
                double delta = shown_diff(total, u->total);
                if (!isnan(delta) && (u->n_deltas == 0 || delta > u->max_delta))
                    u->max_delta = delta;
                u->n_deltas += !isnan(delta); /* a change from or to an unknown is none */
            }
            bool continues = u->last_period >= 0 && u->first && u->streak > 0 &&
                             t->periods[u->last_period].end + 1 == p->start;
            u->streak = first ? (continues ? u->streak + 1 : 1) : 0;
            u->first = first;
            u->total = total;
            u->last_period = (int32_t)i;
            u->last_entry = (uint32_t)e;
        }
    }
    const struct kiosk_period *cur = &t->periods[np - 1];
    if (rank_period(t, cur, &works[np - 1]))
        goto out;
    for (size_t e = 0; e < cur->n_entries; e++) {
        struct unit_state *u = &st[cur->entries[e].unit];
        if (u->first_period < 0)
            u->first_period = (int32_t)(np - 1);
        /* the previous rank, for the rank change, from where the unit last appeared */
        if (u->last_period >= 0 &&
            rank_period(t, &t->periods[u->last_period], &works[u->last_period]))
            goto out;
    }

    s = calloc(1, sizeof *s);
    if (!s)
        goto out;
    s->refs = 1;
    s->table = *t; /* moved in; on failure moved back below */
    s->period = &s->table.periods[np - 1];
    s->history_periods = np;
    s->since = &s->table.periods[0];
    s->lang = o->lang ? o->lang : KIOSK_LANG_CODE_VI;
    s->threshold = o->threshold;
    if (copy_bands(s, o) == 0 && build_scopes(s, &works[np - 1], st, works, o) == 0 &&
        home_and_insights(s, o) == 0)
        rc = 0;
out:
    free(st);
    if (s) {
        if (rc == 0 && (s->totals = calloc(np, sizeof *s->totals))) {
            for (size_t i = 0; i < np; i++) { /* kept for trends */
                s->totals[i] = works[i].totals;
                works[i].totals = NULL;
            }
        } else {
            rc = KIOSK_ENOMEM;
        }
        if (rc == 0) {
            s->produced_unix = kiosk_time_parse(s->table.generated_at);
            if (!s->produced_unix) /* the feed does not say: when it was fetched */
                s->produced_unix = o->fetched_unix;
            kiosk_date_format(s->period->start, s->start);
            kiosk_date_format(s->period->end, s->end);
            s->warnings = w.items;
            s->n_warnings = w.n;
            s->warnings_dropped = w.dropped;
            memset(&w, 0, sizeof w);
            memset(t, 0, sizeof *t);
            *out = s;
            s = NULL;
        } else {
            memset(&s->table, 0, sizeof s->table); /* the caller keeps its table */
            snapshot_free(s);
        }
    }
    if (works) {
        for (size_t i = 0; i < np; i++) {
            free(works[i].totals);
            free(works[i].first);
            free(works[i].ranks);
            free(works[i].order);
        }
        free(works);
    }
    for (size_t i = 0; i < w.n; i++) {
        free(w.items[i].code);
        free(w.items[i].text);
    }
    free(w.items);
    return rc;
}

void kiosk_snapshot_unit_at(const struct kiosk_snapshot *s, size_t p, const char *id, double *total,
                            int *rank)
{
    *total = NAN;
    *rank = 0;
    if (p >= s->table.n_periods)
        return;
    const struct kiosk_period *per = &s->table.periods[p];
    uint32_t unit = kiosk_strtab_find(&s->table.strings, id);
    long i = unit == KIOSK_NONE ? -1 : kiosk_period_find(per, unit);
    if (i < 0)
        return;
    const struct kiosk_entry *e = &per->entries[i];
    const double *totals = s->totals[p];
    if (isnan(totals[i]))
        return; /* no known total: no rank */
    long long mine = kiosk_cents(totals[i]);
    int higher = 0; /* competition rank: one more than the peers above */
    for (size_t k = 0; k < per->n_entries; k++)
        if (per->entries[k].kind == e->kind && per->entries[k].parent == e->parent &&
            !isnan(totals[k]) && kiosk_cents(totals[k]) > mine)
            higher++;
    *total = totals[i];
    *rank = higher + 1;
}

const struct kiosk_unit_score *kiosk_snapshot_unit(const struct kiosk_snapshot *s, const char *id)
{
    for (size_t i = 0; i < s->n_scopes; i++)
        for (size_t u = 0; u < s->scopes[i].count; u++)
            if (strcmp(s->scopes[i].units[u].id, id) == 0)
                return &s->scopes[i].units[u];
    return NULL;
}

const struct kiosk_scope *kiosk_snapshot_scope_of(const struct kiosk_snapshot *s, const char *id)
{
    for (size_t i = 0; i < s->n_scopes; i++)
        for (size_t u = 0; u < s->scopes[i].count; u++)
            if (strcmp(s->scopes[i].units[u].id, id) == 0)
                return &s->scopes[i];
    return NULL;
}
