/* trend: one unit's total over the periods held, as a line chart, with its rank at each
 * point and the newest value called out.
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 104

struct trend {
    const struct kiosk_host *host;
    const char *unit;
    long periods;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct trend *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->host = host;
    t->unit = host->setting_string(settings, "unit", NULL);
    t->periods = host->setting_int(settings, "periods", 26, 2, MAX_POINTS);
    *self = t;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

/* The points with a total, of the unit shown; 0 without data or without the unit. */
static size_t points_shown(const struct trend *t, const kiosk_data *d)
{
    const struct kiosk_host *h = t->host;
    struct kiosk_unit_view u = {.struct_size = sizeof u};
    struct kiosk_trend_view pts[MAX_POINTS];
    size_t si, ui, n = 0, shown = 0;
    pts[0].struct_size = sizeof pts[0];
    if (d && h->data_find_unit(d, t->unit, &si, &ui) == 0 && h->data_unit(d, si, ui, &u) == 0)
        n = h->data_trend_view(d, u.id, pts, (size_t)t->periods);
    for (size_t i = 0; i < n; i++)
        shown += !isnan(pts[i].total);
    return shown;
}

/* A line needs two points: a kiosk's first period has nothing to draw. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    return points_shown(self, f->data) >= 2;
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct trend *t = self;
    const struct kiosk_host *h = t->host;
    const kiosk_data *d = f->data;
    float s = f->scale, W = (float)f->width, H = (float)f->height;
    struct kiosk_unit_view u = {.struct_size = sizeof u};
    struct kiosk_trend_view pts[MAX_POINTS];
    size_t si, ui, n = 0;
    pts[0].struct_size = sizeof pts[0];
    if (d && h->data_find_unit(d, t->unit, &si, &ui) == 0 && h->data_unit(d, si, ui, &u) == 0)
        n = h->data_trend_view(d, u.id, pts, (size_t)t->periods);
    size_t shown = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!isnan(pts[i].total)) {
            shown++;
            lo = fmin(lo, pts[i].total);
            hi = fmax(hi, pts[i].total);
        }
    if (shown < 2) {
        return kiosk_draw_notice(h, c, f, "Cần ít nhất hai kỳ để vẽ diễn biến",
                                 "A trend needs at least two periods");
    }
    char title[256], buf[48], label[96];
    /* the name without the suffix every unit of its scope shares (" - Tỉnh Phú Thọ") */
    int name_len = (int)(strlen(u.name) - kiosk_shared_suffix(h, d, si));
    snprintf(title, sizeof title, "%.*s — %s", name_len, u.name,
             kiosk_tr(h, "Diễn biến tổng điểm", "Total score over time"));
    snprintf(label, sizeof label, "%s → %s", pts[0].period_label, pts[n - 1].period_label);
    float top = kiosk_draw_title(h, c, f, title, label);

    /* the value axis: whole points around the data, at least 4 points tall */
    double y0 = floor(lo - 0.5), y1 = ceil(hi + 0.5);
    if (y1 - y0 < 4) {
        double mid = (y0 + y1) / 2;
        y0 = floor(mid - 2);
        y1 = y0 + 4;
    }
    float left = 170 * s, right = W - 90 * s, ctop = top + 40 * s, cbottom = H - 110 * s;
    double step = (y1 - y0) > 12 ? 5 : (y1 - y0) > 6 ? 2 : 1;
    struct kiosk_text_style axis = kiosk_style(h, 30 * s, 0, KIOSK_COLOR_MUTED);
    axis.align = KIOSK_ALIGN_RIGHT;
    for (double v = ceil(y0 / step) * step; v <= y1 + 1e-9; v += step) {
        float y = cbottom - (float)((v - y0) / (y1 - y0)) * (cbottom - ctop);
        h->stroke_line(c, left, y, right, y, 2 * s, h->theme_color(h, KIOSK_COLOR_SURFACE));
        h->draw_text(c, &axis, left - 20 * s, y - 18 * s,
                     h->format_number(h, v, 0, buf, sizeof buf));
    }
    float xy[2 * MAX_POINTS];
    size_t k = 0;
    float dx = (right - left) / (float)(n > 1 ? n - 1 : 1);
    for (size_t i = 0; i < n; i++) {
        if (isnan(pts[i].total))
            continue;
        xy[2 * k] = left + dx * (float)i;
        xy[2 * k + 1] = cbottom - (float)((pts[i].total - y0) / (y1 - y0)) * (cbottom - ctop);
        k++;
    }
    h->stroke_polyline(c, xy, k, 7 * s, h->theme_color(h, KIOSK_COLOR_ACCENT));
    for (size_t i = 0; i < k; i++)
        h->fill_circle(c, xy[2 * i], xy[2 * i + 1], (i + 1 == k ? 14 : 8) * s,
                       h->theme_color(h, i + 1 == k ? KIOSK_COLOR_TEXT : KIOSK_COLOR_ACCENT));
    /* period labels, as many as fit without touching */
    struct kiosk_text_style xl = kiosk_style(h, 28 * s, 0, KIOSK_COLOR_MUTED);
    xl.align = KIOSK_ALIGN_CENTER;
    float lw = 0;
    h->measure_text(c, &xl, pts[n - 1].period_label, &lw, NULL);
    size_t every = (size_t)ceilf((lw + 30 * s) / (dx > 1 ? dx : 1));
    if (every < 1)
        every = 1;
    for (size_t i = n; i-- > 0;) {
        if ((n - 1 - i) % every != 0)
            continue;
        /* keep the outermost labels inside the slide */
        float x = left + dx * (float)i, half = lw / 2;
        if (x + half > W - 24 * s)
            x = W - 24 * s - half;
        h->draw_text(c, &xl, x, cbottom + 24 * s, pts[i].period_label);
    }
    /* the newest point: its total and rank */
    const struct kiosk_trend_view *last = &pts[n - 1];
    if (!isnan(last->total)) {
        char value[48];
        snprintf(value, sizeof value, "%s  #%d",
                 h->format_number(h, last->total, 2, buf, sizeof buf), last->rank);
        struct kiosk_text_style st = kiosk_style(h, 44 * s, 1, KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_RIGHT;
        float ly = xy[2 * (k - 1) + 1] - 80 * s;
        h->draw_text(c, &st, right, ly < ctop - 30 * s ? ctop - 30 * s : ly, value);
    }
    return KIOSK_REDRAW_NEVER;
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("unit", NULL, "the id of the unit shown (default: the home unit)"),
    KIOSK_SETTING_INT("periods", "26", 2, MAX_POINTS, "points shown, the newest periods"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_CONTENT("trend", "One unit's total over the periods held", create, destroy,
                                 render, settings, has_content)
