/* headline: the scoring core's statements about the home unit, large, in the screen's
 * language: "Bắc Ninh giữ vị trí số 1 toàn quốc 4 tuần liên tiếp — 91,70/100 điểm".
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <stdbool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct headline {
    const struct kiosk_host *host;
    long max;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct headline *hl = calloc(1, sizeof *hl);
    if (!hl)
        return -1;
    hl->host = host;
    hl->max = host->setting_int(settings, "max", 6, 1, 20);
    *self = hl;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

/* Nothing to say: no data, no home unit in it, or no statement. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    struct headline *hl = self;
    const struct kiosk_host *h = hl->host;
    size_t si, ui;
    return f->data && h->data_find_unit(f->data, NULL, &si, &ui) == 0 &&
           h->data_insight_count(f->data) > 0;
}

/* The statement as the screen shows it: without the suffix every unit of a scope shares
 * (" - Tỉnh Phú Thọ"), where it follows a name of that scope. */
static void without_suffixes(const struct kiosk_host *h, const kiosk_data *d, const char *text,
                             char *buf, size_t size)
{
    snprintf(buf, size, "%s", text);
    for (size_t sc = 0; sc < h->data_scope_count(d); sc++) {
        size_t len = kiosk_shared_suffix(h, d, sc);
        struct kiosk_unit_view u = {.struct_size = sizeof u};
        if (!len || h->data_unit(d, sc, 0, &u))
            continue;
        const char *suffix = u.name + strlen(u.name) - len;
        for (char *at = strstr(buf, suffix); at; at = strstr(at, suffix))
            memmove(at, at + len, strlen(at + len) + 1);
    }
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct headline *hl = self;
    const struct kiosk_host *h = hl->host;
    const kiosk_data *d = f->data;
    float s = f->scale, pad = 64 * s, W = (float)f->width, H = (float)f->height;
    struct kiosk_period_view per = {.struct_size = sizeof per};
    struct kiosk_unit_view home = {.struct_size = sizeof home};
    size_t si, ui;
    if (!d || h->data_period(d, &per) || h->data_find_unit(d, NULL, &si, &ui) ||
        h->data_unit(d, si, ui, &home) || h->data_insight_count(d) == 0) {
        return kiosk_draw_notice(h, c, f, "Chưa có điểm nổi bật", "No highlights yet");
    }
    char title[1300], text[1024];
    without_suffixes(h, d, home.name, text, sizeof text);
    snprintf(title, sizeof title, "%s — %s", text, kiosk_tr(h, "Điểm nổi bật", "Highlights"));
    float y = kiosk_draw_title(h, c, f, title, per.label) + 24 * s;
    size_t n = h->data_insight_count(d);
    if (n > (size_t)hl->max)
        n = (size_t)hl->max;
    /* the first statement large, the others as a list; shrink all until they fit, down to
     * half size; what still does not fit is left out (the first cut to one line), never
     * drawn over the status line */
    float bottom = H - 24 * s;
    for (int step = 0;; step++) {
        float k = 1.0f - 0.08f * (float)step, big = 76 * s * k, small = 50 * s * k, need = 0;
        bool last = k < 0.5f;
        for (size_t i = 0; i < n && !last; i++) {
            struct kiosk_insight_view in = {.struct_size = sizeof in};
            h->data_insight(d, i, &in);
            without_suffixes(h, d, in.text, text, sizeof text);
            struct kiosk_text_style st = kiosk_style(h, i ? small : big, i == 0, KIOSK_COLOR_TEXT);
            need += h->draw_paragraph(c, &st, 0, 0, W - 2 * pad - 60 * s, 1.25f, 1, text) +
                    (i ? 20 : 44) * s * k;
        }
        if (!last && need > bottom - y)
            continue;
        for (size_t i = 0; i < n; i++) {
            struct kiosk_insight_view in = {.struct_size = sizeof in};
            h->data_insight(d, i, &in);
            without_suffixes(h, d, in.text, text, sizeof text);
            struct kiosk_text_style st =
                kiosk_style(h, i ? small : big, i == 0, i ? KIOSK_COLOR_TEXT : KIOSK_COLOR_ACCENT);
            float indent = i ? 48 * s * k : 0, width = W - 2 * pad - indent;
            float tall = h->draw_paragraph(c, &st, pad + indent, y, width, 1.25f, 1, text);
            if (y + tall > bottom) {
                if (i)
                    break;            /* the rest does not fit */
                st.max_width = width; /* one line, shrunk or cut with "…" */
                h->draw_text(c, &st, pad, y, text);
                y += st.size_px * 1.25f + 44 * s * k;
                continue;
            }
            if (i)
                h->fill_circle(c, pad + 14 * s * k, y + small * 0.62f, 9 * s * k,
                               h->theme_color(h, KIOSK_COLOR_ACCENT));
            y += h->draw_paragraph(c, &st, pad + indent, y, width, 1.25f, 0, text) +
                 (i ? 20 : 44) * s * k;
        }
        break;
    }
    return KIOSK_REDRAW_NEVER;
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_INT("max", "6", 1, 20, "statements shown"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_CONTENT("headline", "The insight statements about the home unit", create,
                                 destroy, render, settings, has_content)
