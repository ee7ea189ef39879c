/* Small helpers for writing slides, header-only: they use nothing but the host table of
 * plugin.h, so a plugin stays one .so that links nothing of the kiosk. */
#ifndef KIOSK_SLIDE_H
#define KIOSK_SLIDE_H

#include "kiosk/plugin.h"

#include <string.h>

/* A text style of size px (already scaled) in a theme colour. */
static inline struct kiosk_text_style kiosk_style(const struct kiosk_host *host, float px, int bold,
                                                  enum kiosk_theme_color role)
{
    struct kiosk_text_style s;
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    s.size_px = px;
    s.bold = bold;
    s.color = host->theme_color(host, role);
    s.align = KIOSK_ALIGN_LEFT;
    return s;
}

/* Picks the Vietnamese or the English text for the screen's language. */
static inline const char *kiosk_tr(const struct kiosk_host *host, const char *vi, const char *en)
{
    return host->language(host) == KIOSK_LANG_CODE_EN ? en : vi;
}

/* The slide's title band: a title on the left, a subtitle (the period) on the right, an
 * accent rule below. Returns the y where the slide's body starts. */
static inline float kiosk_draw_title(const struct kiosk_host *host, kiosk_canvas *c,
                                     const struct kiosk_frame *f, const char *title,
                                     const char *subtitle)
{
    float s = f->scale, pad = 48 * s;
    struct kiosk_text_style t = kiosk_style(host, 64 * s, 1, KIOSK_COLOR_TEXT);
    struct kiosk_text_style sub = kiosk_style(host, 40 * s, 0, KIOSK_COLOR_ACCENT);
    float sub_w = 0, title_w = 0, room = (float)f->width - 2 * pad;
    host->measure_text(c, &t, title, &title_w, NULL);
    if (subtitle) {
        /* the title keeps at least 60% of the width; the subtitle shrinks first */
        host->measure_text(c, &sub, subtitle, &sub_w, NULL);
        float sub_room = room - (title_w < room * 0.6f ? title_w : room * 0.6f) - 32 * s;
        if (sub_w > sub_room) {
            sub.max_width = sub_room;
            sub_w = sub_room;
        }
        sub.align = KIOSK_ALIGN_RIGHT;
        host->draw_text(c, &sub, (float)f->width - pad, 50 * s, subtitle);
    }
    t.max_width = room - sub_w - (subtitle ? 32 * s : 0);
    host->draw_text(c, &t, pad, 32 * s, title);
    host->fill_rect(c, pad, 124 * s, (float)f->width - 2 * pad, 6 * s, 3 * s,
                    host->theme_color(host, KIOSK_COLOR_ACCENT));
    return 156 * s;
}

/* A centred notice where the slide has nothing to show ("No data yet"): a slide says so
 * rather than stay blank. Returns KIOSK_REDRAW_NEVER, for render() to return. */
static inline int kiosk_draw_notice(const struct kiosk_host *host, kiosk_canvas *c,
                                    const struct kiosk_frame *f, const char *vi, const char *en)
{
    struct kiosk_text_style st = kiosk_style(host, 48 * f->scale, 0, KIOSK_COLOR_MUTED);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = (float)f->width * 0.9f;
    host->draw_text(c, &st, (float)f->width / 2, (float)f->height / 2 - 24 * f->scale,
                    kiosk_tr(host, vi, en));
    return KIOSK_REDRAW_NEVER;
}

/* The most bytes draw_qr takes (1.3): more would not be read from a few metres anyway. */
#define KIOSK_QR_MAX_BYTES 1000

/* A QR setting's text (1.3): *out is its value, or NULL when it is not set or empty.
 * Returns 0, or -1 when it is longer than draw_qr takes, said in the slide's log under the
 * setting's name: create() fails with it, so `kiosk check` names the slide and why. */
static inline int kiosk_qr_setting(const struct kiosk_host *host, const kiosk_settings *settings,
                                   const char *key, const char **out)
{
    const char *text = host->setting_string(settings, key, "");
    *out = text[0] ? text : NULL;
    size_t n = strlen(text);
    if (n <= KIOSK_QR_MAX_BYTES)
        return 0;
    host->log(host, KIOSK_LOG_ERROR, "%s: expected at most %d bytes for a QR code, found %zu", key,
              KIOSK_QR_MAX_BYTES, n);
    *out = NULL;
    return -1;
}

/* A QR code badge (1.3) for a slide that offers a link beside its own content (the
 * leaderboard's and gauges' `qr = URL`): the code in a square of side `side` at (x, y), the
 * caption centred below it, wrapped to the code's width. Returns the height used (0, with
 * nothing drawn, when the text does not fit a QR code of that side). */
static inline float kiosk_draw_qr_badge(const struct kiosk_host *host, kiosk_canvas *c,
                                        const struct kiosk_frame *f, float x, float y, float side,
                                        const char *text, const char *caption)
{
    if (host->draw_qr(c, x, y, side, text) != 0)
        return 0;
    float used = side;
    if (caption && caption[0]) {
        struct kiosk_text_style st = kiosk_style(host, 26 * f->scale, 1, KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_CENTER;
        used += 12 * f->scale + host->draw_paragraph(c, &st, x + side / 2, y + side + 12 * f->scale,
                                                     side, 1.2f, 0, caption);
    }
    return used;
}

/* The side of a QR badge for a frame: readable from a few metres, a fifth of the width at
 * most. */
static inline float kiosk_qr_badge_side(const struct kiosk_frame *f)
{
    float side = 300 * f->scale, most = (float)f->width * 0.2f;
    return side < most ? side : most;
}

/* The length of the suffix " - ..." that every unit name of a scope ends with and that
 * leaves something of each name (" - Tỉnh Phú Thọ" of a province's departments), for a
 * slide to leave out; 0 when there is none, or one unit only. */
static inline size_t kiosk_shared_suffix(const struct kiosk_host *h, const kiosk_data *d,
                                         size_t scope)
{
    struct kiosk_scope_view sc;
    struct kiosk_unit_view first, u;
    memset(&sc, 0, sizeof sc);
    memset(&first, 0, sizeof first);
    sc.struct_size = sizeof sc;
    first.struct_size = sizeof first;
    if (h->data_scope(d, scope, &sc) || sc.count < 2 || h->data_unit(d, scope, 0, &first))
        return 0;
    /* the candidates: from each " - " of the first name, the longest first */
    for (const char *at = strstr(first.name, " - "); at; at = strstr(at + 1, " - ")) {
        size_t len = strlen(at);
        int shared = at > first.name;
        for (size_t i = 1; i < sc.count && shared; i++) {
            memset(&u, 0, sizeof u);
            u.struct_size = sizeof u;
            size_t n = h->data_unit(d, scope, i, &u) == 0 ? strlen(u.name) : 0;
            shared = n > len && strcmp(u.name + n - len, at) == 0;
        }
        if (shared)
            return len;
    }
    return 0;
}

/* Entries of a settings table (struct kiosk_setting_decl), and its end:
 *   static const char *const views[] = {"groups", "metrics", NULL};
 *   static const struct kiosk_setting_decl settings[] = {
 *       KIOSK_SETTING_INT("periods", "26", 2, 104, "points shown"),
 *       KIOSK_SETTING_CHOICE("view", "groups", views, "what the gauges show"),
 *       KIOSK_SETTINGS_END,
 *   };
 * def is a string as a config would write it ("26"), or NULL for no default. */
#define KIOSK_SETTING_DECL_(key_, type_, min_, max_, choices_, def_, description_)                 \
    {                                                                                              \
        .struct_size = sizeof(struct kiosk_setting_decl), .key = (key_), .type = (type_),          \
        .min = (min_), .max = (max_), .choices = (choices_), .def = (def_),                        \
        .description = (description_)                                                              \
    }
#define KIOSK_SETTING_STRING(key, def, description)                                                \
    KIOSK_SETTING_DECL_(key, KIOSK_SETTING_STRING, 0, 0, NULL, def, description)
#define KIOSK_SETTING_INT(key, def, min, max, description)                                         \
    KIOSK_SETTING_DECL_(key, KIOSK_SETTING_INT, min, max, NULL, def, description)
#define KIOSK_SETTING_DOUBLE(key, def, min, max, description)                                      \
    KIOSK_SETTING_DECL_(key, KIOSK_SETTING_DOUBLE, min, max, NULL, def, description)
#define KIOSK_SETTING_BOOL(key, def, description)                                                  \
    KIOSK_SETTING_DECL_(key, KIOSK_SETTING_BOOL, 0, 0, NULL, def, description)
#define KIOSK_SETTING_CHOICE(key, def, choices, description)                                       \
    KIOSK_SETTING_DECL_(key, KIOSK_SETTING_CHOICE, 0, 0, choices, def, description)
#define KIOSK_SETTINGS_END                                                                         \
    {                                                                                              \
        .struct_size = sizeof(struct kiosk_setting_decl), .key = NULL                              \
    }

/* Defines the plugin's descriptor and its exported entry point:
 *   KIOSK_PLUGIN_DEFINE("trend", "One unit's total over time", create, destroy, render)
 * KIOSK_PLUGIN_DEFINE_WITH_SETTINGS adds the plugin's settings table (see above), and
 * KIOSK_PLUGIN_DEFINE_WITH_CONTENT its has_content() too, KIOSK_PLUGIN_DEFINE_WITH_TURN its
 * turn_s() as well (1.2). */
#define KIOSK_PLUGIN_DEFINE_WITH_TURN(name_, description_, create_, destroy_, render_, settings_,  \
                                      has_content_, turn_s_)                                       \
    static const struct kiosk_plugin kiosk_plugin_descriptor_ = {                                  \
        .abi_version = KIOSK_PLUGIN_ABI_VERSION,                                                   \
        .struct_size = sizeof(struct kiosk_plugin),                                                \
        .name = (name_),                                                                           \
        .description = (description_),                                                             \
        .create = (create_),                                                                       \
        .destroy = (destroy_),                                                                     \
        .render = (render_),                                                                       \
        .settings = (settings_),                                                                   \
        .has_content = (has_content_),                                                             \
        .turn_s = (turn_s_),                                                                       \
    };                                                                                             \
    KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void);                       \
    KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void)                        \
    {                                                                                              \
        return &kiosk_plugin_descriptor_;                                                          \
    }
#define KIOSK_PLUGIN_DEFINE_WITH_CONTENT(name_, description_, create_, destroy_, render_,          \
                                         settings_, has_content_)                                  \
    KIOSK_PLUGIN_DEFINE_WITH_TURN(name_, description_, create_, destroy_, render_, settings_,      \
                                  has_content_, NULL)
#define KIOSK_PLUGIN_DEFINE_WITH_SETTINGS(name_, description_, create_, destroy_, render_,         \
                                          settings_)                                               \
    KIOSK_PLUGIN_DEFINE_WITH_CONTENT(name_, description_, create_, destroy_, render_, settings_,   \
                                     NULL)
#define KIOSK_PLUGIN_DEFINE(name_, description_, create_, destroy_, render_)                       \
    KIOSK_PLUGIN_DEFINE_WITH_SETTINGS(name_, description_, create_, destroy_, render_, NULL)

#endif
