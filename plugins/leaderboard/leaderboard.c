/* leaderboard: the ranked table of one scope (a country's provinces, a province's
 * departments or its communes): rank, name, total, change of the total and of the rank,
 * the home unit highlighted. With a home unit below the first page, the page is the top
 * rows and then the home unit's neighbourhood (two above, two below) after a gap, so the
 * first picture of the slide already shows the center's own row; show = all turns pages
 * through everything instead. Long lists of a landscape screen take two columns. A suffix
 * every name of the scope shares (" - Tỉnh Phú Thọ") is left out.
 *
 * Settings ([slide.NAME] keys): the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum show_mode { SHOW_TOP, SHOW_AROUND_HOME, SHOW_ALL };

#define GAP SIZE_MAX    /* a page slot that is the gap between the top and the home unit */
#define MAX_SLOTS 256   /* rows of one page, both columns */
#define ROW_PX 84       /* a row's height at scale 1, one column */
#define DENSE_ROW_PX 66 /* two columns: 30 px text (see plugins/GUIDE.md) */

struct leaderboard {
    const struct kiosk_host *host;
    const char *kind, *parent, *title;
    long page_size, columns;
    double page_ms;
    enum show_mode show;
    bool strip_suffix;
    const char *qr, *qr_caption; /* a QR badge beside the table, or NULL */
};

static bool yes(const char *v)
{
    return v && (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0);
}

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
    lb->columns = host->setting_int(settings, "columns", 0, 0, 2);
    const char *show = host->setting_string(settings, "show", "around-home");
    lb->show = strcmp(show, "top") == 0   ? SHOW_TOP
               : strcmp(show, "all") == 0 ? SHOW_ALL
                                          : SHOW_AROUND_HOME;
    lb->strip_suffix = yes(host->setting_string(settings, "strip_suffix", "yes"));
    if (kiosk_qr_setting(host, settings, "qr", &lb->qr) != 0) {
        free(lb);
        return -1;
    }
    lb->qr_caption =
        host->setting_string(settings, "qr_caption", kiosk_tr(host, "Quét mã QR", "Scan the code"));
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

/* Nothing to rank: no data, no such scope, or an empty one. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    struct leaderboard *lb = self;
    struct kiosk_scope_view sc = {.struct_size = sizeof sc};
    long scope = f->data ? find_scope(lb, f->data) : -1;
    return scope >= 0 && lb->host->data_scope(f->data, (size_t)scope, &sc) == 0 && sc.count > 0;
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

/* The change texts of a unit: "▲ 1,25" and "↑12" (empty when there is none). */
static void change_texts(const struct kiosk_host *h, const struct kiosk_unit_view *u, char *delta,
                         size_t dsize, char *move, size_t msize)
{
    char num[48];
    delta[0] = move[0] = '\0';
    if (!isnan(u->delta)) {
        long cents = lround(u->delta * 100);
        snprintf(delta, dsize, "%s %s",
                 cents > 0   ? "▲"
                 : cents < 0 ? "▼"
                             : "■",
                 h->format_number(h, fabs(u->delta), 2, num, sizeof num));
    }
    if (u->has_rank_change && u->rank_change != 0)
        snprintf(move, msize, "%s%d", u->rank_change > 0 ? "↑" : "↓", abs(u->rank_change));
}

/* Where the columns of a table go, sized from the widest value of the whole scope (so they
 * do not move between pages): from the right, change of rank | change of total | total |
 * band; the name takes what is left. */
struct columns {
    float x_rank, x_name, x_total, x_band, x_delta, x_move, name_w;
    bool bands;
};

static struct columns measure_columns(const struct kiosk_host *h, kiosk_canvas *c,
                                      const kiosk_data *d, size_t scope, size_t count, float x0,
                                      float x1, float text_px, float s, bool room_for_bands)
{
    float w_rank = 0, w_total = 0, w_delta = 0, w_move = 0, w;
    char buf[64], delta[64], move[64];
    struct kiosk_text_style bold = kiosk_style(h, text_px, 1, KIOSK_COLOR_TEXT);
    struct kiosk_text_style dst = kiosk_style(h, text_px * 0.9f, 0, KIOSK_COLOR_TEXT);
    struct kiosk_text_style mst = kiosk_style(h, text_px * 0.8f, 0, KIOSK_COLOR_TEXT);
    for (size_t i = 0; i < count; i++) {
        struct kiosk_unit_view u = {.struct_size = sizeof u};
        if (h->data_unit(d, scope, i, &u))
            break;
        snprintf(buf, sizeof buf, "%d", u.rank);
        h->measure_text(c, &bold, buf, &w, NULL);
        w_rank = fmaxf(w_rank, w);
        h->measure_text(c, &bold, h->format_number(h, u.total, 2, buf, sizeof buf), &w, NULL);
        w_total = fmaxf(w_total, w);
        change_texts(h, &u, delta, sizeof delta, move, sizeof move);
        if (delta[0]) {
            h->measure_text(c, &dst, delta, &w, NULL);
            w_delta = fmaxf(w_delta, w);
        }
        if (move[0]) {
            h->measure_text(c, &mst, move, &w, NULL);
            w_move = fmaxf(w_move, w);
        }
    }
    float gap = 28 * s;
    struct columns k;
    k.x_rank = x0 + w_rank;
    k.x_name = k.x_rank + 24 * s;
    k.x_move = x1;
    k.x_delta = x1 - (w_move > 0 ? w_move + gap : 0);
    k.x_total = k.x_delta - (w_delta > 0 ? w_delta + gap : 0);
    k.bands = room_for_bands;
    k.x_band = k.x_total - w_total - gap;
    k.name_w = (k.bands ? k.x_band - 150 * s : k.x_total - w_total) - gap - k.x_name;
    return k;
}

/* The units of page `page` in slot order (GAP for the gap); returns how many, and the
 * number of pages in *pages. */
static size_t page_slots(const struct leaderboard *lb, size_t count, long home, size_t slots,
                         size_t page, size_t *pages, size_t *out)
{
    size_t n = 0;
    *pages = 1;
    if (home >= 0 && lb->show == SHOW_AROUND_HOME && (size_t)home + 2 >= slots && slots >= 8) {
        /* the top rows, the gap, then two above the home unit to two below it */
        size_t from = (size_t)home - 2,
               to = (size_t)home + 2 < count ? (size_t)home + 2 : count - 1;
        size_t top = slots - 1 - (to - from + 1);
        for (size_t i = 0; i < top; i++)
            out[n++] = i;
        out[n++] = GAP;
        for (size_t i = from; i <= to; i++)
            out[n++] = i;
        return n;
    }
    if (lb->show == SHOW_ALL || (lb->show == SHOW_AROUND_HOME && home < 0))
        *pages = (count + slots - 1) / slots;
    if (page >= *pages)
        page = 0;
    for (size_t i = page * slots; i < count && n < slots; i++)
        out[n++] = i;
    return n;
}

/* The table's shape on the frame: columns and rows a column; returns the height the rows
 * share (below the title band). */
static float layout(const struct leaderboard *lb, const struct kiosk_frame *f, size_t count,
                    long *cols_out, long *rows_out)
{
    float s = f->scale;
    /* two columns on a landscape screen for a long list, unless told */
    long cols = lb->columns ? lb->columns : (f->width > f->height && count > 40 ? 2 : 1);
    /* rows: as many as fit at a readable height, or as configured */
    float top = 156 * s; /* below the title band, see kiosk_draw_title() */
    float avail = (float)f->height - top - 16 * s;
    long rows = lb->page_size > 0 ? (lb->page_size + cols - 1) / cols
                                  : (long)(avail / ((cols > 1 ? DENSE_ROW_PX : ROW_PX) * s));
    /* two columns keep their text at 30 px at scale 1 at least, whatever page_size asks */
    long dense_max = (long)(avail / (DENSE_ROW_PX * s));
    if (cols > 1 && rows > dense_max)
        rows = dense_max;
    if (rows < 1)
        rows = 1;
    if (rows * cols > MAX_SLOTS)
        rows = MAX_SLOTS / cols;
    *cols_out = cols;
    *rows_out = rows;
    return avail;
}

/* The home unit's place in the scope, or -1. */
static long home_index(const struct kiosk_host *h, const kiosk_data *d, size_t scope, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct kiosk_unit_view u = {.struct_size = sizeof u};
        if (h->data_unit(d, scope, i, &u) == 0 && u.is_home)
            return (long)i;
    }
    return -1;
}

/* The time the pages take, when the slide turns pages (0 when it shows one). */
static double turn_s(void *self, const struct kiosk_frame *f)
{
    struct leaderboard *lb = self;
    struct kiosk_scope_view sc = {.struct_size = sizeof sc};
    long scope = f->data ? find_scope(lb, f->data) : -1;
    if (scope < 0 || lb->host->data_scope(f->data, (size_t)scope, &sc) || sc.count == 0)
        return 0;
    long cols, rows;
    size_t slot[MAX_SLOTS], pages = 1;
    layout(lb, f, sc.count, &cols, &rows);
    long home = home_index(lb->host, f->data, (size_t)scope, sc.count);
    page_slots(lb, sc.count, home, (size_t)(rows * cols), 0, &pages, slot);
    return pages > 1 ? (double)pages * lb->page_ms / 1000 : 0;
}

static void draw_row(const struct kiosk_host *h, kiosk_canvas *c, const struct kiosk_unit_view *u,
                     const struct columns *k, float x0, float x1, float y, float row_h,
                     float text_px, float s, bool stripe, size_t suffix)
{
    char buf[64], delta[64], move[64], name[1100];
    if (u->is_home)
        h->fill_rect(c, x0 - 16 * s, y + 4 * s, x1 - x0 + 32 * s, row_h - 8 * s, 12 * s,
                     h->theme_color(h, KIOSK_COLOR_HIGHLIGHT));
    else if (stripe)
        h->fill_rect(c, x0 - 16 * s, y + 4 * s, x1 - x0 + 32 * s, row_h - 8 * s, 12 * s,
                     h->theme_color(h, KIOSK_COLOR_SURFACE));
    float ty = y + (row_h - text_px * 1.3f) / 2;
    struct kiosk_text_style st = kiosk_style(h, text_px, 1, KIOSK_COLOR_ACCENT);
    st.align = KIOSK_ALIGN_RIGHT;
    if (u->rank > 0)
        snprintf(buf, sizeof buf, "%d", u->rank);
    else
        snprintf(buf, sizeof buf, "—"); /* no known score: not ranked */
    h->draw_text(c, &st, k->x_rank, ty, buf);

    /* a long name goes on two lines rather than shrink out of reading range; one that two
     * lines cannot hold is cut to one, never drawn over the rows around it */
    size_t len = strlen(u->name);
    snprintf(name, sizeof name, "%.*s", (int)(len > suffix ? len - suffix : len), u->name);
    st = kiosk_style(h, text_px, u->is_home, KIOSK_COLOR_TEXT);
    float nw = 0;
    h->measure_text(c, &st, name, &nw, NULL);
    float lines_h = 0;
    if (nw > k->name_w * 1.25f) {
        st.size_px = text_px * 0.64f;
        lines_h = h->draw_paragraph(c, &st, 0, 0, k->name_w, 1.1f, 1, name);
    }
    if (lines_h > 0 && lines_h <= row_h - 8 * s) {
        h->draw_paragraph(c, &st, k->x_name, y + (row_h - lines_h) / 2 - 2 * s, k->name_w, 1.1f, 0,
                          name);
    } else {
        st.size_px = text_px;
        st.max_width = k->name_w;
        h->draw_text(c, &st, k->x_name, ty, name);
    }

    st = kiosk_style(h, text_px, 1, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_RIGHT;
    h->draw_text(c, &st, k->x_total, ty, h->format_number(h, u->total, 2, buf, sizeof buf));
    if (u->band && k->bands) {
        struct kiosk_text_style bs = kiosk_style(h, text_px * 0.6f, 0, KIOSK_COLOR_MUTED);
        bs.align = KIOSK_ALIGN_RIGHT;
        h->draw_text(c, &bs, k->x_band, ty + text_px * 0.25f, u->band);
    }
    change_texts(h, u, delta, sizeof delta, move, sizeof move);
    if (delta[0]) {
        long cents = lround(u->delta * 100);
        st = kiosk_style(h, text_px * 0.9f, 0,
                         cents > 0   ? KIOSK_COLOR_UP
                         : cents < 0 ? KIOSK_COLOR_DOWN
                                     : KIOSK_COLOR_MUTED);
        st.align = KIOSK_ALIGN_RIGHT;
        h->draw_text(c, &st, k->x_delta, ty + text_px * 0.05f, delta);
    }
    if (move[0]) {
        st = kiosk_style(h, text_px * 0.8f, 0,
                         u->rank_change > 0 ? KIOSK_COLOR_UP : KIOSK_COLOR_DOWN);
        st.align = KIOSK_ALIGN_RIGHT;
        h->draw_text(c, &st, k->x_move, ty + text_px * 0.1f, move);
    }
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct leaderboard *lb = self;
    const struct kiosk_host *h = lb->host;
    const kiosk_data *d = f->data;
    float s = f->scale, pad = 48 * s, W = (float)f->width;
    char title[256];
    struct kiosk_scope_view sc = {.struct_size = sizeof sc};
    struct kiosk_period_view per = {.struct_size = sizeof per};
    long scope = d ? find_scope(lb, d) : -1;
    if (scope < 0 || h->data_scope(d, (size_t)scope, &sc) || h->data_period(d, &per) ||
        sc.count == 0) {
        return kiosk_draw_notice(h, c, f, "Chưa có dữ liệu xếp hạng", "No ranking data yet");
    }
    long cols, rows;
    float avail = layout(lb, f, sc.count, &cols, &rows);
    float row_h = avail / (float)rows;
    long home = home_index(h, d, (size_t)scope, sc.count);
    size_t slot[MAX_SLOTS], pages = 1;
    size_t page = (size_t)(f->elapsed_ms / lb->page_ms);
    size_t n = page_slots(lb, sc.count, home, (size_t)(rows * cols), 0, &pages, slot);
    if (pages > 1) {
        page %= pages;
        n = page_slots(lb, sc.count, home, (size_t)(rows * cols), page, &pages, slot);
    } else {
        page = 0;
    }
    char subtitle[200];
    if (pages > 1 && lb->show == SHOW_ALL)
        snprintf(subtitle, sizeof subtitle, "%s  ·  %zu/%zu  ·  %.0f %s", per.label, page + 1,
                 pages, (double)pages * lb->page_ms / 1000, kiosk_tr(h, "giây", "s"));
    else if (pages > 1)
        snprintf(subtitle, sizeof subtitle, "%s  ·  %zu/%zu", per.label, page + 1, pages);
    else
        snprintf(subtitle, sizeof subtitle, "%s", per.label);
    title_for(lb, &sc, title, sizeof title);
    float top = kiosk_draw_title(h, c, f, title, subtitle);
    float text_px = fminf(row_h * 0.46f, 44 * s);
    size_t suffix = lb->strip_suffix ? kiosk_shared_suffix(h, d, (size_t)scope) : 0;

    /* a QR badge takes a column of its own on the right, centred on the table's height */
    float badge = lb->qr ? kiosk_qr_badge_side(f) : 0, table_w = W - (badge ? badge + 48 * s : 0);
    if (badge)
        kiosk_draw_qr_badge(h, c, f, W - pad - badge, top + (avail - badge) / 2 - 24 * s, badge,
                            lb->qr, lb->qr_caption);
    float col_gap = 64 * s, col_w = (table_w - 2 * pad - col_gap * (float)(cols - 1)) / (float)cols;
    struct columns k = measure_columns(h, c, d, (size_t)scope, sc.count, 0, col_w, text_px, s,
                                       cols == 1 && table_w >= 1400 * s);
    for (size_t i = 0; i < n; i++) {
        long col = (long)i / rows, r = (long)i % rows;
        float x0 = pad + (float)col * (col_w + col_gap), x1 = x0 + col_w;
        float y = top + (float)r * row_h;
        struct columns kc = k;
        kc.x_rank += x0;
        kc.x_name += x0;
        kc.x_total += x0;
        kc.x_band += x0;
        kc.x_delta += x0;
        kc.x_move += x0;
        if (slot[i] == GAP) {
            struct kiosk_text_style st = kiosk_style(h, text_px * 1.2f, 1, KIOSK_COLOR_MUTED);
            st.align = KIOSK_ALIGN_CENTER;
            h->draw_text(c, &st, (x0 + x1) / 2, y + (row_h - text_px * 1.56f) / 2, "⋯");
            continue;
        }
        struct kiosk_unit_view u = {.struct_size = sizeof u};
        if (h->data_unit(d, (size_t)scope, slot[i], &u))
            break;
        draw_row(h, c, &u, &kc, x0, x1, y, row_h, text_px, s, r % 2 == 0, suffix);
    }
    if (pages > 1) {
        /* the next page turn */
        double into = fmod(f->elapsed_ms, lb->page_ms);
        return (int)(lb->page_ms - into) + 1;
    }
    return KIOSK_REDRAW_NEVER;
}

static const char *const shows[] = {"top", "around-home", "all", NULL};
static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("scope", "province",
                         "the kind of unit ranked: province, department, commune or any kind "
                         "the feed uses"),
    KIOSK_SETTING_STRING("parent", NULL,
                         "the id whose units to rank (default: the home unit, for sub-scopes)"),
    KIOSK_SETTING_INT("page_size", "0", 0, 100, "rows per page, 0 to fit the screen"),
    KIOSK_SETTING_DOUBLE("page_s", "8", 2, 600, "seconds per page"),
    KIOSK_SETTING_STRING("title", NULL, "a title of your own (default: said from the scope)"),
    KIOSK_SETTING_CHOICE("show", "around-home", shows,
                         "top: the first page only; around-home: the top rows, then the home "
                         "unit's neighbourhood when it is below them (all pages without a home "
                         "unit in the scope); all: every page in turn"),
    KIOSK_SETTING_INT("columns", "0", 0, 2,
                      "1 or 2 columns of rows; 0: 2 on a landscape screen for more than 40 units"),
    KIOSK_SETTING_BOOL("strip_suffix", "yes",
                       "leave out a suffix every name of the scope shares (\" - Tỉnh Phú Thọ\")"),
    KIOSK_SETTING_STRING("qr", NULL, "a URL shown as a QR code beside the table (e.g. the survey)"),
    KIOSK_SETTING_STRING("qr_caption", NULL, "the line under the QR code (default: Quét mã QR)"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_TURN("leaderboard", "Ranked table of a scope, the home unit highlighted",
                              create, destroy, render, settings, has_content, turn_s)
