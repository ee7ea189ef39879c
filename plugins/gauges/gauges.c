/* gauges: the index groups of one unit as arc gauges (score / max, e.g. 20,78/22, with the
 * change since the previous period), or, with view = metrics, the unit's metrics: numerator
 * / denominator, ratio and score, where the data has them.
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gauges {
    const struct kiosk_host *host;
    const char *unit;
    int metrics;
    const char *qr, *qr_caption; /* a QR badge beside the gauges, or NULL */
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct gauges *g = calloc(1, sizeof *g);
    if (!g)
        return -1;
    g->host = host;
    g->unit = host->setting_string(settings, "unit", NULL);
    const char *view = host->setting_string(settings, "view", "groups");
    if (strcmp(view, "groups") != 0 && strcmp(view, "metrics") != 0) {
        host->log(host, KIOSK_LOG_ERROR, "view = \"%s\": expected groups or metrics", view);
        free(g);
        return -1;
    }
    g->metrics = strcmp(view, "metrics") == 0;
    if (kiosk_qr_setting(host, settings, "qr", &g->qr) != 0) {
        free(g);
        return -1;
    }
    g->qr_caption =
        host->setting_string(settings, "qr_caption", kiosk_tr(host, "Quét mã QR", "Scan the code"));
    *self = g;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

static void gauge(const struct kiosk_host *h, kiosk_canvas *c, const struct kiosk_group_view *g,
                  float cx, float cy, float r, float s)
{
    char score[32], max[32], line[96], num[32];
    float w = r * 0.16f;
    h->stroke_arc(c, cx, cy, r, -135, 135, w, h->theme_color(h, KIOSK_COLOR_SURFACE));
    if (!isnan(g->score) && g->max > 0) {
        float frac = (float)(g->score / g->max);
        h->stroke_arc(c, cx, cy, r, -135, -135 + 270 * fminf(1, fmaxf(0.004f, frac)), w,
                      h->theme_color(h, g->at_max ? KIOSK_COLOR_UP : KIOSK_COLOR_ACCENT));
    }
    h->format_number(h, g->score, 2, score, sizeof score);
    h->format_number(h, g->max, fmod(g->max, 1) == 0 ? 0 : 2, max, sizeof max);
    struct kiosk_text_style st = kiosk_style(h, r * 0.46f, 1, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_CENTER;
    h->draw_text(c, &st, cx, cy - r * 0.36f, score);
    st = kiosk_style(h, r * 0.24f, 0, KIOSK_COLOR_MUTED);
    st.align = KIOSK_ALIGN_CENTER;
    snprintf(line, sizeof line, "/ %s", max);
    h->draw_text(c, &st, cx, cy + r * 0.16f, line);
    if (!isnan(g->delta)) {
        long cents = lround(g->delta * 100);
        st = kiosk_style(h, r * 0.22f, 0,
                         cents > 0   ? KIOSK_COLOR_UP
                         : cents < 0 ? KIOSK_COLOR_DOWN
                                     : KIOSK_COLOR_MUTED);
        st.align = KIOSK_ALIGN_CENTER;
        snprintf(line, sizeof line, "%s %s",
                 cents > 0   ? "▲"
                 : cents < 0 ? "▼"
                             : "■",
                 h->format_number(h, fabs(g->delta), 2, num, sizeof num));
        h->draw_text(c, &st, cx, cy + r * 0.62f, line);
    }
    st = kiosk_style(h, 34 * s, 1, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = r * 2.6f;
    h->draw_text(c, &st, cx, cy + r * 1.02f, g->name);
}

#define MAX_FLAGS 4

/* The data-quality flags among the unit's metrics, each once, with the source's message. */
static size_t quality_flags(const struct kiosk_host *h, const kiosk_data *d, size_t si, size_t ui,
                            size_t n, struct kiosk_metric_view *flags)
{
    size_t k = 0;
    for (size_t m = 0; m < n && k < MAX_FLAGS; m++) {
        struct kiosk_metric_view mv = {.struct_size = sizeof mv};
        if (h->data_metric(d, si, ui, m, &mv) || !mv.quality)
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(flags[j].quality, mv.quality) == 0;
        if (!seen)
            flags[k++] = mv;
    }
    return k;
}

/* text cut to one line of width w, with an ellipsis where it was cut (at a character) */
static void one_line(const struct kiosk_host *h, kiosk_canvas *c, const struct kiosk_text_style *st,
                     const char *text, float w, char *buf, size_t size)
{
    float tw = 0;
    snprintf(buf, size, "%s", text);
    h->measure_text(c, st, buf, &tw, NULL);
    if (tw <= w)
        return;
    size_t len = strlen(buf);
    while (len > 0) {
        do /* back one UTF-8 character */
            len--;
        while (len > 0 && ((unsigned char)buf[len] & 0xC0) == 0x80);
        while (len > 0 && buf[len - 1] == ' ')
            len--;
        if (len + 4 > size)
            continue;
        memcpy(buf + len, "…", 4);
        h->measure_text(c, st, buf, &tw, NULL);
        if (tw <= w)
            return;
    }
    buf[0] = '\0';
}

/* The legend of the ⚠ marks: the source's own message for each flag present, one line
 * each; returns the height it takes (0 without flags). */
static float quality_legend(const struct kiosk_host *h, kiosk_canvas *c,
                            const struct kiosk_frame *f, const struct kiosk_metric_view *flags,
                            size_t k, float bottom, int draw)
{
    float s = f->scale, pad = 48 * s, line = 44 * s;
    char text[1200], shown[1200];
    if (!k)
        return 0;
    float y = bottom - line * (float)k;
    for (size_t i = 0; draw && i < k; i++) {
        struct kiosk_text_style st = kiosk_style(h, 28 * s, 0, KIOSK_COLOR_WARNING);
        snprintf(text, sizeof text, "⚠ %s",
                 flags[i].quality_message ? flags[i].quality_message : flags[i].quality);
        one_line(h, c, &st, text, (float)f->width - 2 * pad, shown, sizeof shown);
        h->draw_text(c, &st, pad, y + (float)i * line + 6 * s, shown);
    }
    return line * (float)k + 8 * s;
}

static void metrics_table(const struct kiosk_host *h, kiosk_canvas *c, const struct kiosk_frame *f,
                          const kiosk_data *d, size_t si, size_t ui, size_t n, float top)
{
    float s = f->scale, pad = 48 * s, W = (float)f->width;
    struct kiosk_metric_view flags[MAX_FLAGS];
    size_t k = quality_flags(h, d, si, ui, n, flags);
    float bottom = (float)f->height - 16 * s;
    float legend = quality_legend(h, c, f, flags, k, bottom, 1);
    float row = fminf(72 * s, (bottom - legend - top) / (float)(n ? n : 1));
    float px = fminf(row * 0.42f, 34 * s);
    char a[48], b[48], text[160];
    for (size_t m = 0; m < n; m++) {
        struct kiosk_metric_view mv = {.struct_size = sizeof mv};
        if (h->data_metric(d, si, ui, m, &mv))
            break;
        float y = top + (float)m * row, ty = y + (row - px * 1.3f) / 2;
        if (m % 2 == 0)
            h->fill_rect(c, pad - 16 * s, y + 2 * s, W - 2 * pad + 32 * s, row - 4 * s, 10 * s,
                         h->theme_color(h, KIOSK_COLOR_SURFACE));
        struct kiosk_text_style st = kiosk_style(h, px * 0.8f, 1, KIOSK_COLOR_ACCENT);
        h->draw_text(c, &st, pad, ty + px * 0.1f, mv.group);
        st = kiosk_style(h, px, 0, KIOSK_COLOR_TEXT);
        st.max_width = W * 0.5f - 110 * s;
        h->draw_text(c, &st, pad + 110 * s, ty, mv.name);
        st = kiosk_style(h, px, 0, KIOSK_COLOR_MUTED);
        st.align = KIOSK_ALIGN_RIGHT;
        snprintf(text, sizeof text, "%s / %s", h->format_number(h, mv.numerator, 0, a, sizeof a),
                 h->format_number(h, mv.denominator, 0, b, sizeof b));
        h->draw_text(c, &st, W * 0.72f, ty, text);
        snprintf(text, sizeof text, "%s%%", h->format_number(h, mv.ratio, 2, a, sizeof a));
        h->draw_text(c, &st, W * 0.82f, ty, isnan(mv.ratio) ? "—" : text);
        st = kiosk_style(h, px, 1, mv.quality ? KIOSK_COLOR_WARNING : KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_RIGHT;
        snprintf(text, sizeof text, "%s%s / %s", mv.quality ? "⚠ " : "",
                 h->format_number(h, mv.score, 2, a, sizeof a),
                 h->format_number(h, mv.max, fmod(mv.max, 1) == 0 ? 0 : 2, b, sizeof b));
        h->draw_text(c, &st, W - pad, ty, text);
    }
}

/* Nothing to show: no data, the unit absent from it, or no metrics for the metrics view. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    struct gauges *g = self;
    const struct kiosk_host *h = g->host;
    struct kiosk_unit_view u = {.struct_size = sizeof u};
    size_t si, ui;
    return f->data && h->data_find_unit(f->data, g->unit, &si, &ui) == 0 &&
           h->data_unit(f->data, si, ui, &u) == 0 && (!g->metrics || u.n_metrics > 0) &&
           (g->metrics || u.n_groups > 0);
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct gauges *g = self;
    const struct kiosk_host *h = g->host;
    const kiosk_data *d = f->data;
    float s = f->scale, W = (float)f->width, H = (float)f->height;
    struct kiosk_unit_view u = {.struct_size = sizeof u};
    size_t si, ui;
    if (!d || h->data_find_unit(d, g->unit, &si, &ui) || h->data_unit(d, si, ui, &u) ||
        (g->metrics && u.n_metrics == 0)) {
        if (g->metrics)
            return kiosk_draw_notice(h, c, f, "Dữ liệu chưa có chỉ số chi tiết",
                                     "The data has no metric details");
        return kiosk_draw_notice(h, c, f, "Chưa có dữ liệu", "No data yet");
    }
    char title[256], total[32], sub[96];
    /* the name without the suffix every unit of its scope shares (" - Tỉnh Phú Thọ") */
    int name_len = (int)(strlen(u.name) - kiosk_shared_suffix(h, d, si));
    snprintf(title, sizeof title, "%.*s — %s", name_len, u.name,
             g->metrics ? kiosk_tr(h, "Chỉ số chi tiết", "Metrics")
                        : kiosk_tr(h, "Các nhóm chỉ số", "Index groups"));
    snprintf(sub, sizeof sub, "%s %s", kiosk_tr(h, "Tổng điểm", "Total"),
             h->format_number(h, u.total, 2, total, sizeof total));
    float top = kiosk_draw_title(h, c, f, title, sub);
    if (g->metrics) {
        metrics_table(h, c, f, d, si, ui, u.n_metrics, top + 8 * s);
        return KIOSK_REDRAW_NEVER;
    }
    /* a grid of gauges: 3 x 2 in landscape, 2 x 3 in portrait */
    size_t n = u.n_groups, cols = W >= H ? (n > 4 ? 3 : n) : 2;
    if (cols == 0)
        return KIOSK_REDRAW_NEVER;
    size_t rows_n = (n + cols - 1) / cols;
    /* a QR badge takes a column of its own on the right */
    float badge = g->qr ? kiosk_qr_badge_side(f) : 0;
    if (badge)
        kiosk_draw_qr_badge(h, c, f, W - 48 * s - badge, top + (H - top - badge) / 2 - 24 * s,
                            badge, g->qr, g->qr_caption);
    float cell_w = (W - 96 * s - (badge ? badge + 32 * s : 0)) / (float)cols,
          cell_h = (H - top) / (float)rows_n;
    float r = fminf(cell_w * 0.3f, cell_h * 0.32f);
    for (size_t i = 0; i < n; i++) {
        struct kiosk_group_view gv = {.struct_size = sizeof gv};
        if (h->data_group(d, si, ui, i, &gv))
            break;
        float cx = 48 * s + cell_w * ((float)(i % cols) + 0.5f);
        float cy = top + cell_h * ((float)(i / cols) + 0.42f);
        gauge(h, c, &gv, cx, cy, r, s);
    }
    return KIOSK_REDRAW_NEVER;
}

static const char *const views[] = {"groups", "metrics", NULL};
static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("unit", NULL, "the id of the unit shown (default: the home unit)"),
    KIOSK_SETTING_CHOICE("view", "groups", views,
                         "groups: the index groups as gauges; metrics: the unit's metrics"),
    KIOSK_SETTING_STRING("qr", NULL,
                         "a URL shown as a QR code beside the gauges (groups view; e.g. the "
                         "survey)"),
    KIOSK_SETTING_STRING("qr_caption", NULL, "the line under the QR code (default: Quét mã QR)"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_CONTENT("gauges", "The index groups of one unit as gauges, or its metrics",
                                 create, destroy, render, settings, has_content)
