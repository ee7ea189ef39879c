#include "services.h"

#include "canvas.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- themes: high contrast, readable from five metres ---- */

static const struct kiosk_theme themes[] = {
    {"dark",
     {
         [KIOSK_COLOR_BACKGROUND] = 0xFF0B1F3A,
         [KIOSK_COLOR_SURFACE] = 0xFF14305A,
         [KIOSK_COLOR_TEXT] = 0xFFFFFFFF,
         [KIOSK_COLOR_MUTED] = 0xFFA9BCD6,
         [KIOSK_COLOR_ACCENT] = 0xFFFFC83D,
         [KIOSK_COLOR_HIGHLIGHT] = 0xFFB3261E,
         [KIOSK_COLOR_UP] = 0xFF3DDC84,
         [KIOSK_COLOR_DOWN] = 0xFFFF6B5E,
         [KIOSK_COLOR_WARNING] = 0xFFFFA726,
     }},
    {"light",
     {
         [KIOSK_COLOR_BACKGROUND] = 0xFFF7F4EC,
         [KIOSK_COLOR_SURFACE] = 0xFFFFFFFF,
         [KIOSK_COLOR_TEXT] = 0xFF10213B,
         [KIOSK_COLOR_MUTED] = 0xFF5B6B82,
         [KIOSK_COLOR_ACCENT] = 0xFFB3261E,
         [KIOSK_COLOR_HIGHLIGHT] = 0xFFFFE08A,
         [KIOSK_COLOR_UP] = 0xFF1B7F3B,
         [KIOSK_COLOR_DOWN] = 0xFFC62828,
         [KIOSK_COLOR_WARNING] = 0xFFE65100,
     }},
};

const struct kiosk_theme *kiosk_theme_find(const char *name)
{
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++)
        if (strcmp(themes[i].name, name) == 0)
            return &themes[i];
    return NULL;
}

/* ---- settings ---- */

int kiosk_settings_set(struct kiosk_settings *s, const char *key, const char *value)
{
    char **k = realloc(s->keys, (s->n + 1) * sizeof *k);
    if (!k)
        return KIOSK_ENOMEM;
    s->keys = k;
    char **v = realloc(s->values, (s->n + 1) * sizeof *v);
    if (!v)
        return KIOSK_ENOMEM;
    s->values = v;
    s->keys[s->n] = strdup(key);
    s->values[s->n] = strdup(value);
    if (!s->keys[s->n] || !s->values[s->n]) {
        free(s->keys[s->n]);
        free(s->values[s->n]);
        return KIOSK_ENOMEM;
    }
    s->n++;
    return 0;
}

const char *kiosk_settings_get(const struct kiosk_settings *s, const char *key)
{
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->keys[i], key) == 0)
            return s->values[i];
    return NULL;
}

void kiosk_settings_free(struct kiosk_settings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
        free(s->values[i]);
    }
    free(s->keys);
    free(s->values);
    memset(s, 0, sizeof *s);
}

static void settings_complain(const kiosk_settings *s, const char *key, const char *value,
                              const char *expected)
{
    if (s->log)
        fprintf(s->log, "slide %s: %s = \"%s\": expected %s; using the default\n",
                s->owner ? s->owner : "?", key, value, expected);
}

static const char *host_setting_string(const kiosk_settings *s, const char *key, const char *def)
{
    const char *v = kiosk_settings_get(s, key);
    return v ? v : def;
}

static long host_setting_int(const kiosk_settings *s, const char *key, long def, long min, long max)
{
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    char *end, expected[96];
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        snprintf(expected, sizeof expected, "a whole number from %ld to %ld", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}

static double host_setting_double(const kiosk_settings *s, const char *key, double def, double min,
                                  double max)
{
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    char *end, expected[96];
    errno = 0;
    double n = strtod(v, &end);
    if (errno || end == v || *end || !(n >= min && n <= max)) {
        snprintf(expected, sizeof expected, "a number from %g to %g", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}

/* ---- general services ---- */

static const struct kiosk_host_ctx *ctx_of(const struct kiosk_host *h)
{
    return (const struct kiosk_host_ctx *)h;
}

static void host_log(const struct kiosk_host *host, enum kiosk_log_level level, const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));
static void host_log(const struct kiosk_host *host, enum kiosk_log_level level, const char *fmt,
                     ...)
{
    static const char *const names[] = {"", "error", "warning", "info", "debug"};
    const struct kiosk_host_ctx *c = ctx_of(host);
    if (!c->log)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line per event: a plugin's newlines must not forge extra lines */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(c->log, "slide %s: %s: %s\n", c->name, names[level >= 1 && level <= 4 ? level : 3],
            msg);
}

static kiosk_color host_theme_color(const struct kiosk_host *host, enum kiosk_theme_color role)
{
    const struct kiosk_host_ctx *c = ctx_of(host);
    if (role < KIOSK_COLOR_BACKGROUND || role > KIOSK_COLOR_WARNING)
        return c->theme->colors[KIOSK_COLOR_TEXT];
    return c->theme->colors[role];
}

static enum kiosk_lang_code host_language(const struct kiosk_host *host)
{
    return ctx_of(host)->lang;
}

static char *host_format_number(const struct kiosk_host *host, double value, int decimals,
                                char *buf, size_t size)
{
    if (decimals < 0 || decimals > 6)
        decimals = 2;
    return kiosk_format_fixed(
        value, decimals, ctx_of(host)->lang == KIOSK_LANG_CODE_EN ? KIOSK_LANG_EN : KIOSK_LANG_VI,
        buf, size);
}

/* ---- data ---- */

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

static const kiosk_data *host_data_ref(const kiosk_data *d)
{
    return kiosk_data_of(kiosk_snapshot_ref((struct kiosk_snapshot *)snap(d)));
}

static void host_data_unref(const kiosk_data *d)
{
    kiosk_snapshot_unref((struct kiosk_snapshot *)snap(d));
}

static int host_data_period(const kiosk_data *d, struct kiosk_period_view *out)
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

static double host_data_age_s(const kiosk_data *d)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s || !s->produced_unix)
        return NAN;
    return difftime(time(NULL), (time_t)s->produced_unix);
}

static size_t host_data_scope_count(const kiosk_data *d)
{
    return d ? snap(d)->n_scopes : 0;
}

static int host_data_scope(const kiosk_data *d, size_t i, struct kiosk_scope_view *out)
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

static long host_data_find_scope(const kiosk_data *d, const char *kind, const char *parent)
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

static int host_data_unit(const kiosk_data *d, size_t scope, size_t index,
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

static int host_data_find_unit(const kiosk_data *d, const char *id, size_t *scope, size_t *index)
{
    const struct kiosk_snapshot *s = snap(d);
    if (!s)
        return -1;
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

static int host_data_group(const kiosk_data *d, size_t scope, size_t index, size_t g,
                           struct kiosk_group_view *out)
{
    const struct kiosk_snapshot *s = snap(d);
    const struct kiosk_unit_score *u = unit_at(s, scope, index);
    if (!u || !out || g >= s->table.fw.n_groups)
        return -1;
    const struct kiosk_group *grp = &s->table.fw.groups[g];
    struct kiosk_group_view v = {.code = grp->code,
                                 .name = s->lang == KIOSK_LANG_EN && grp->name_en ? grp->name_en
                                                                                  : grp->name,
                                 .score = u->groups[g].score,
                                 .max = u->groups[g].max,
                                 .delta = u->groups[g].delta,
                                 .at_max = u->groups[g].at_max};
    FILL_VIEW(out, v);
    return 0;
}

static int host_data_metric(const kiosk_data *d, size_t scope, size_t index, size_t m,
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
        .quality = kiosk_strtab_get(st, mt->quality)};
    FILL_VIEW(out, v);
    return 0;
}

static size_t host_data_insight_count(const kiosk_data *d)
{
    return d ? snap(d)->n_insights : 0;
}

static int host_data_insight(const kiosk_data *d, size_t i, struct kiosk_insight_view *out)
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

static size_t host_data_trend(const kiosk_data *d, const char *unit_id,
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

void kiosk_host_init(struct kiosk_host_ctx *ctx, const char *name, enum kiosk_lang_code lang,
                     const struct kiosk_theme *theme, FILE *log)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->name = name;
    ctx->lang = lang;
    ctx->theme = theme ? theme : &themes[0];
    ctx->log = log;
    ctx->api = (struct kiosk_host){
        .abi_version = KIOSK_PLUGIN_ABI_VERSION,
        .struct_size = sizeof(struct kiosk_host),
        .log = host_log,
        .setting_string = host_setting_string,
        .setting_int = host_setting_int,
        .setting_double = host_setting_double,
        .theme_color = host_theme_color,
        .language = host_language,
        .format_number = host_format_number,
        .fill_rect = kiosk_canvas_fill_rect,
        .stroke_line = kiosk_canvas_stroke_line,
        .stroke_arc = kiosk_canvas_stroke_arc,
        .stroke_polyline = kiosk_canvas_stroke_polyline,
        .fill_circle = kiosk_canvas_fill_circle,
        .draw_text = kiosk_canvas_draw_text,
        .measure_text = kiosk_canvas_measure_text,
        .draw_paragraph = kiosk_canvas_draw_paragraph,
        .data_ref = host_data_ref,
        .data_unref = host_data_unref,
        .data_period = host_data_period,
        .data_age_s = host_data_age_s,
        .data_scope_count = host_data_scope_count,
        .data_scope = host_data_scope,
        .data_find_scope = host_data_find_scope,
        .data_unit = host_data_unit,
        .data_find_unit = host_data_find_unit,
        .data_group = host_data_group,
        .data_metric = host_data_metric,
        .data_insight_count = host_data_insight_count,
        .data_insight = host_data_insight,
        .data_trend = host_data_trend,
    };
}
