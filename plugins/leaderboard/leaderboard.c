/* leaderboard: the ranked table of one scope (a country's provinces, a province's
 * departments or its communes): rank, name, total, change of the total and of the rank,
 * the home unit highlighted. Long lists turn pages by themselves.
 *
 * Settings ([slide.NAME] keys): the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct leaderboard {
    const struct kiosk_host *host;
    const char *kind, *parent, *title;
    long page_size;
    double page_ms;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct leaderboard *lb = calloc(1, sizeof *lb);
    if (!lb)
        return -1;
    lb->host = host;
    lb->kind = host->setting_string(settings, "scope", "province");
    lb->parent = host->setting_string(settings, "parent", NULL);
    lb->title = host->setting_string(settings, "title", NULL);
    lb->page_size = host->setting_int(settings, "page_size", 0, 0, 100);
    lb->page_ms = 1000 * host->setting_double(settings, "page_s", 8, 2, 600);
    *self = lb;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

/* The scope this slide ranks: the kind asked for, under the parent asked for or, for a
 * sub-scope, under the home unit. */
static long find_scope(const struct leaderboard *lb, const kiosk_data *d)
{
    const struct kiosk_host *h = lb->host;
    if (lb->parent)
        return h->data_find_scope(d, lb->kind, lb->parent);
    size_t si, ui;
    struct kiosk_unit_view home = {.struct_size = sizeof home};
    if (h->data_find_unit(d, NULL, &si, &ui) == 0 && h->data_unit(d, si, ui, &home) == 0) {
        long under_home = h->data_find_scope(d, lb->kind, home.id);
        if (under_home >= 0)
            return under_home;
    }
    return h->data_find_scope(d, lb->kind, NULL);
}

static void title_for(const struct leaderboard *lb, const struct kiosk_scope_view *sc, char *buf,
                      size_t size)
{
    const struct kiosk_host *h = lb->host;
    const char *of = sc->parent_name ? sc->parent_name : sc->parent;
    if (lb->title)
        snprintf(buf, size, "%s", lb->title);
    else if (strcmp(sc->kind, "province") == 0 && !sc->parent)
        snprintf(buf, size, "%s", kiosk_tr(h, "Xếp hạng các tỉnh, thành phố", "Provinces ranked"));
    else if (strcmp(sc->kind, "department") == 0)
        snprintf(buf, size, "%s — %s", kiosk_tr(h, "Sở, ban, ngành", "Departments"), of);
    else if (strcmp(sc->kind, "commune") == 0)
        snprintf(buf, size, "%s — %s", kiosk_tr(h, "Xã, phường", "Communes"), of);
    else
        snprintf(buf, size, "%s%s%s", sc->kind, of ? " — " : "", of ? of : "");
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct leaderboard *lb = self;
    const struct kiosk_host *h = lb->host;
    const kiosk_data *d = f->data;
    float s = f->scale, pad = 48 * s, W = (float)f->width;
    char title[256], buf[64], buf2[64];
    struct kiosk_scope_view sc = {.struct_size = sizeof sc};
    struct kiosk_period_view per = {.struct_size = sizeof per};
    long scope = d ? find_scope(lb, d) : -1;
    if (scope < 0 || h->data_scope(d, (size_t)scope, &sc) || h->data_period(d, &per)) {
        return kiosk_draw_notice(h, c, f, "Chưa có dữ liệu xếp hạng", "No ranking data yet");
    }
    /* rows: as many as fit at a readable height, or as configured */
    float top = 156 * s; /* below the title band, see kiosk_draw_title() */
    float avail = (float)f->height - top - 16 * s;
    long rows = lb->page_size > 0 ? lb->page_size : (long)(avail / (84 * s));
    if (rows < 1)
        rows = 1;
    float row_h = avail / (float)rows;
    size_t pages = (sc.count + (size_t)rows - 1) / (size_t)rows;
    size_t page = pages > 1 ? (size_t)(f->elapsed_ms / lb->page_ms) % pages : 0;
    char subtitle[160];
    if (pages > 1)
        snprintf(subtitle, sizeof subtitle, "%s  ·  %zu/%zu", per.label, page + 1, pages);
    else
        snprintf(subtitle, sizeof subtitle, "%s", per.label);
    title_for(lb, &sc, title, sizeof title);
    top = kiosk_draw_title(h, c, f, title, subtitle);
    float text_px = fminf(row_h * 0.46f, 44 * s);

    /* columns from the right: change of rank | change of total | total | band; the name
     * takes what is left. Narrow screens (portrait) leave the band out rather than shrink
     * the names. */
    float x_rank = pad + 70 * s, x_name = pad + 110 * s, x_move = W - pad,
          x_delta = W - pad - 110 * s, x_total = W - pad - 330 * s;
    bool bands = W >= 1400 * s;
    float name_w = x_total - 190 * s - (bands ? 170 * s : 0) - x_name;
    for (long r = 0; r < rows; r++) {
        size_t i = page * (size_t)rows + (size_t)r;
        if (i >= sc.count)
            break;
        struct kiosk_unit_view u = {.struct_size = sizeof u};
        if (h->data_unit(d, (size_t)scope, i, &u))
            break;
        float y = top + (float)r * row_h;
        if (u.is_home)
            h->fill_rect(c, pad - 16 * s, y + 4 * s, W - 2 * pad + 32 * s, row_h - 8 * s, 12 * s,
                         h->theme_color(h, KIOSK_COLOR_HIGHLIGHT));
        else if (r % 2 == 0)
            h->fill_rect(c, pad - 16 * s, y + 4 * s, W - 2 * pad + 32 * s, row_h - 8 * s, 12 * s,
                         h->theme_color(h, KIOSK_COLOR_SURFACE));
        float ty = y + (row_h - text_px * 1.3f) / 2;
        struct kiosk_text_style st = kiosk_style(h, text_px, 1, KIOSK_COLOR_ACCENT);
        st.align = KIOSK_ALIGN_RIGHT;
        snprintf(buf, sizeof buf, "%d", u.rank);
        h->draw_text(c, &st, x_rank, ty, buf);

        /* a long name goes on two lines rather than shrink out of reading range */
        st = kiosk_style(h, text_px, u.is_home, KIOSK_COLOR_TEXT);
        float nw = 0;
        h->measure_text(c, &st, u.name, &nw, NULL);
        if (nw > name_w * 1.25f) {
            st.size_px = text_px * 0.64f;
            float lines_h = h->draw_paragraph(c, &st, 0, 0, name_w, 1.1f, 1, u.name);
            h->draw_paragraph(c, &st, x_name, y + (row_h - lines_h) / 2 - 2 * s, name_w, 1.1f, 0,
                              u.name);
        } else {
            st.max_width = name_w;
            h->draw_text(c, &st, x_name, ty, u.name);
        }

        st = kiosk_style(h, text_px, 1, KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_RIGHT;
        h->draw_text(c, &st, x_total, ty, h->format_number(h, u.total, 2, buf, sizeof buf));
        if (u.band && bands) {
            struct kiosk_text_style bs = kiosk_style(h, text_px * 0.6f, 0, KIOSK_COLOR_MUTED);
            bs.align = KIOSK_ALIGN_RIGHT;
            h->draw_text(c, &bs, x_total - 170 * s, ty + text_px * 0.25f, u.band);
        }

        if (!isnan(u.delta)) {
            long cents = lround(u.delta * 100);
            st = kiosk_style(h, text_px * 0.9f, 0,
                             cents > 0   ? KIOSK_COLOR_UP
                             : cents < 0 ? KIOSK_COLOR_DOWN
                                         : KIOSK_COLOR_MUTED);
            st.align = KIOSK_ALIGN_RIGHT;
            snprintf(buf2, sizeof buf2, "%s %s",
                     cents > 0   ? "▲"
                     : cents < 0 ? "▼"
                                 : "■",
                     h->format_number(h, fabs(u.delta), 2, buf, sizeof buf));
            h->draw_text(c, &st, x_delta, ty + text_px * 0.05f, buf2);
        }
        if (u.has_rank_change && u.rank_change != 0) {
            st = kiosk_style(h, text_px * 0.8f, 0,
                             u.rank_change > 0 ? KIOSK_COLOR_UP : KIOSK_COLOR_DOWN);
            st.align = KIOSK_ALIGN_RIGHT;
            snprintf(buf2, sizeof buf2, "%s%d", u.rank_change > 0 ? "↑" : "↓", abs(u.rank_change));
            h->draw_text(c, &st, x_move, ty + text_px * 0.1f, buf2);
        }
    }
    if (pages > 1) {
        /* the next page turn */
        double into = fmod(f->elapsed_ms, lb->page_ms);
        return (int)(lb->page_ms - into) + 1;
    }
    return KIOSK_REDRAW_NEVER;
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("scope", "province",
                         "the kind of unit ranked: province, department, commune or any kind "
                         "the feed uses"),
    KIOSK_SETTING_STRING("parent", NULL,
                         "the id whose units to rank (default: the home unit, for sub-scopes)"),
    KIOSK_SETTING_INT("page_size", "0", 0, 100, "rows per page, 0 to fit the screen"),
    KIOSK_SETTING_DOUBLE("page_s", "8", 2, 600, "seconds per page"),
    KIOSK_SETTING_STRING("title", NULL, "a title of your own (default: said from the scope)"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_SETTINGS("leaderboard",
                                  "Ranked table of a scope, the home unit highlighted", create,
                                  destroy, render, settings)
