/* The data services: a scored snapshot seen through the plugin ABI's views, each filled
 * only as far as the plugin's struct_size reaches. */
#include "host_services.h"

#include "core/freshness.h"

#include <math.h>

/* A view larger than this is no view of any ABI version: a garbage struct_size. */
#define KIOSK_VIEW_SIZE_MAX 4096
#include <string.h>
#include <time.h>

static const struct kiosk_snapshot *snap(const kiosk_data *d)
{
    return (const struct kiosk_snapshot *)d;
}

/* Copies a view the host filled in full into the plugin's, as far as its size reaches. */
#define FILL_VIEW(out, full)                                                                       \
    do {                                                                                           \
        uint32_t size_ = (out)->struct_size;                                                       \
        if (size_ > sizeof(full))                                                                  \
            size_ = sizeof(full);                                                                  \
        (full).struct_size = (out)->struct_size;                                                   \
        memcpy((out), &(full), size_);                                                             \
    } while (0)

/* The plugins' own references are counted apart from the kiosk's, per slide and per
 * snapshot, so an unref more than a plugin took can never free data the screen, or
 * another slide, still holds. */
const kiosk_data *kiosk_host_data_ref(const kiosk_data *d)
{
    struct kiosk_snapshot *s = (struct kiosk_snapshot *)snap(d);
    struct kiosk_host_ctx *slide = kiosk_host_calling();
    if (s) {
        s->plugin_refs++;
        if (slide)
            slide->data_refs++;
    }
    return kiosk_data_of(kiosk_snapshot_ref(s));
}

void kiosk_host_data_unref(const kiosk_data *d)
{
    struct kiosk_snapshot *s = (struct kiosk_snapshot *)snap(d);
    struct kiosk_host_ctx *slide = kiosk_host_calling();
    if (!s)
        return;
    if (s->plugin_refs <= 0 || (slide && slide->data_refs <= 0)) {
        kiosk_host_refuse(KIOSK_MISUSE_UNREF, "data_unref of data no plugin holds a reference to "
                                              "(ignored)");
        return;
    }
    s->plugin_refs--;
    if (slide)
        slide->data_refs--;
    kiosk_snapshot_unref(s);
}

int kiosk_host_data_period(const kiosk_data *d, struct kiosk_period_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s || !out)
        return -1;
    struct kiosk_period_view v = {.id = s->period->id,
                                  .label = s->period->label,
                                  .start = s->start,
                                  .end = s->end,
                                  .history = s->history_periods,
                                  .source = s->table.source};
    FILL_VIEW(out, v);
    return 0;
}

double kiosk_host_data_age_s(const kiosk_data *d)
{
    return kiosk_data_freshness(snap(d), (int64_t)time(NULL)).age_s;
}

size_t kiosk_host_data_scope_count(const kiosk_data *d)
{
    return d ? snap(d)->n_scopes : 0;
}

int kiosk_host_data_scope(const kiosk_data *d, size_t i, struct kiosk_scope_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s || !out || i >= s->n_scopes)
        return -1;
    const struct kiosk_scope *sc = &s->scopes[i];
    struct kiosk_scope_view v = {.kind = sc->kind,
                                 .parent = sc->parent,
                                 .parent_name = sc->parent_name,
                                 .count = sc->count,
                                 .mean = sc->mean,
                                 .median = sc->median,
                                 .min = sc->min,
                                 .max = sc->max};
    FILL_VIEW(out, v);
    return 0;
}

long kiosk_host_data_find_scope(const kiosk_data *d, const char *kind, const char *parent)
{
    const struct kiosk_snapshot *s = snap(d);
    for (size_t i = 0; s && i < s->n_scopes; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        if (kind && strcmp(sc->kind, kind) != 0)
            continue;
        if (parent && (!sc->parent || strcmp(sc->parent, parent) != 0))
            continue;
        return (long)i;
    }
    return -1;
}

static const struct kiosk_unit_score *unit_at(const struct kiosk_snapshot *s, size_t scope,
                                              size_t index)
{
    if (!s || scope >= s->n_scopes || index >= s->scopes[scope].count)
        return NULL;
    return &s->scopes[scope].units[index];
}

int kiosk_host_data_unit(const kiosk_data *d, size_t scope, size_t index,
                         struct kiosk_unit_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    const struct kiosk_unit_score *u = unit_at(s, scope, index);
    if (!u || !out)
        return -1;
    struct kiosk_unit_view v = {.id = u->id,
                                .name = u->name,
                                .kind = u->kind,
                                .parent = u->parent,
                                .rank = u->rank,
                                .total = u->total,
                                .delta = u->delta,
                                .has_rank_change = u->has_rank_change,
                                .rank_change = u->rank_change,
                                .lead_streak = u->lead_streak,
                                .best_gain = u->best_gain,
                                .band = u->band,
                                .n_groups = s->table.fw.n_groups,
                                .n_metrics = u->entry->n_metrics,
                                .is_home = s->home && strcmp(s->home, u->id) == 0};
    FILL_VIEW(out, v);
    return 0;
}

int kiosk_host_data_find_unit(const kiosk_data *d, const char *id, size_t *scope, size_t *index)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s)
        return -1;
    if (!scope || !index) {
        kiosk_host_refuse(KIOSK_MISUSE_DATA, "data_find_unit: expected where to put the scope "
                                             "and the index, found NULL");
        return -1;
    }
    if (!id)
        id = s->home;
    for (size_t i = 0; id && i < s->n_scopes; i++)
        for (size_t u = 0; u < s->scopes[i].count; u++)
            if (strcmp(s->scopes[i].units[u].id, id) == 0) {
                *scope = i;
                *index = u;
                return 0;
            }
    return -1;
}

int kiosk_host_data_group(const kiosk_data *d, size_t scope, size_t index, size_t g,
                          struct kiosk_group_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    const struct kiosk_unit_score *u = unit_at(s, scope, index);
    if (!u || !out || g >= s->table.fw.n_groups)
        return -1;
    const struct kiosk_group *grp = &s->table.fw.groups[g];
    struct kiosk_group_view v = {
        .code = grp->code,
        .name = s->lang == KIOSK_LANG_CODE_EN && grp->name_en ? grp->name_en : grp->name,
        .score = u->groups[g].score,
        .max = u->groups[g].max,
        .delta = u->groups[g].delta,
        .at_max = u->groups[g].at_max};
    FILL_VIEW(out, v);
    return 0;
}

int kiosk_host_data_metric(const kiosk_data *d, size_t scope, size_t index, size_t m,
                           struct kiosk_metric_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    const struct kiosk_unit_score *u = unit_at(s, scope, index);
    if (!u || !out || m >= u->entry->n_metrics)
        return -1;
    const struct kiosk_metric *mt = &u->entry->metrics[m];
    const struct kiosk_strtab *st = &s->table.strings;
    struct kiosk_metric_view v = {
        .group = mt->group < s->table.fw.n_groups ? s->table.fw.groups[mt->group].code : "",
        .code = kiosk_strtab_get(st, mt->code),
        .name = kiosk_strtab_get(st, mt->name),
        .numerator = mt->numerator,
        .denominator = mt->denominator,
        .ratio = mt->ratio,
        .score = mt->score,
        .max = mt->max,
        .quality = kiosk_strtab_get(st, mt->quality),
        .quality_message = kiosk_strtab_get(st, mt->quality_message)};
    FILL_VIEW(out, v);
    return 0;
}

size_t kiosk_host_data_insight_count(const kiosk_data *d)
{
    return d ? snap(d)->n_insights : 0;
}

int kiosk_host_data_insight(const kiosk_data *d, size_t i, struct kiosk_insight_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s || !out || i >= s->n_insights)
        return -1;
    struct kiosk_insight_view v = {.unit = s->insights[i].unit,
                                   .type = kiosk_insight_type_name(s->insights[i].type),
                                   .text = s->insights[i].text};
    FILL_VIEW(out, v);
    return 0;
}

size_t kiosk_host_data_trend(const kiosk_data *d, const char *unit_id,
                             struct kiosk_trend_point *out, size_t max)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s || !unit_id || !out)
        return 0;
    size_t np = s->table.n_periods, first = np > max ? np - max : 0, n = 0;
    for (size_t p = first; p < np; p++) {
        struct kiosk_trend_point *pt = &out[n++];
        pt->period_id = s->table.periods[p].id;
        pt->period_label = s->table.periods[p].label;
        kiosk_snapshot_unit_at(s, p, unit_id, &pt->total, &pt->rank);
    }
    return n;
}

size_t kiosk_host_data_trend_view(const kiosk_data *d, const char *unit_id,
                                  struct kiosk_trend_view *out, size_t max)
{
    const struct kiosk_snapshot *s = snap(d);
    uint32_t size = 0;
    if (!s || !unit_id || !out || !max)
        return 0;
    /* the caller's views may be older (shorter) or newer (longer) than the host's: step by
     * their size and touch no byte past it, through char pointers */
    memcpy(&size, out, sizeof size);
    if (size < sizeof size || size > KIOSK_VIEW_SIZE_MAX) {
        kiosk_host_refuse(KIOSK_MISUSE_TREND,
                          "data_trend_view: struct_size %u, expected 4 to %d bytes", size,
                          KIOSK_VIEW_SIZE_MAX);
        return 0;
    }
    unsigned char *at = (unsigned char *)out;
    size_t np = s->table.n_periods, first = np > max ? np - max : 0, n = 0;
    for (size_t p = first; p < np; p++, n++) {
        struct kiosk_trend_view v = {.struct_size = size,
                                     .period_id = s->table.periods[p].id,
                                     .period_label = s->table.periods[p].label};
        kiosk_snapshot_unit_at(s, p, unit_id, &v.total, &v.rank);
        memcpy(at + n * size, &v, size < sizeof v ? size : sizeof v);
    }
    return n;
}
