/* The kiosk's display plugin ABI, version 1.3.
 *
 * A plugin is a shared object that exports one function, kiosk_plugin_entry(), returning a
 * const descriptor. The kiosk passes the plugin a const table of services (struct
 * kiosk_host): logging, the slide's settings, the theme, text and drawing on a canvas,
 * numbers in the screen's language, and the scored data. A plugin includes only the
 * headers in kiosk/include/kiosk/ and links neither the kiosk nor its libraries.
 *
 * Rules that keep old plugins working (see ABI-CHANGES.md beside this file):
 *  - The descriptor (struct kiosk_plugin) and the host table (struct kiosk_host) start
 *    with abi_version and struct_size; every other struct that crosses the boundary
 *    starts with struct_size (the one exception, struct kiosk_trend_point of 1.0, is
 *    frozen). These never move; new fields are only appended.
 *  - Whoever reads a struct the other side filled reads only as far as its struct_size
 *    covers and takes defaults for the rest: the host reads a plugin's descriptor, text
 *    styles and settings table that way, and fills views only as far as the plugin's
 *    struct_size says (a larger size than the host's is fine: the rest is left as it was).
 *    Arrays of such structs are stepped through by the struct_size of their entries.
 *  - A new major version breaks (the host refuses the plugin); a new minor only adds.
 *
 * Pointers: every pointer a service takes must not be NULL unless its comment says NULL
 * is allowed (data_find_scope's parent, data_find_unit's id, measure_text's width and
 * height, and a kiosk_data that may be NULL before any data came). The host checks: a NULL
 * where none is allowed, a coordinate, size or angle that is not finite or lies past
 * 1,000,000 pixels, a polyline of more than 100,000 points, a text of more than 64 KiB or a
 * view whose struct_size is past 4096 bytes is refused (nothing drawn, 0 or -1 returned)
 * with one log line per slide and kind. An arc of more than a turn is drawn as one turn.
 * data_unref of more references than the plugin took is ignored and logged. render()
 * results other than those defined below count as KIOSK_REDRAW_NEVER, and no redraw comes
 * sooner than the display's next frame.
 *
 * Threading: every call into a plugin happens on the kiosk's main thread.
 * Memory: strings and views the host hands out are borrowed; each says how long it stays
 * valid. Nothing the host returns is freed by the plugin. */
#ifndef KIOSK_PLUGIN_H
#define KIOSK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KIOSK_PLUGIN_ABI_MAJOR 1
#define KIOSK_PLUGIN_ABI_MINOR 3
/* major << 16 | minor: the host refuses another major, or a newer minor than its own */
#define KIOSK_PLUGIN_ABI_VERSION ((KIOSK_PLUGIN_ABI_MAJOR << 16) | KIOSK_PLUGIN_ABI_MINOR)

/* The one symbol a plugin exports. */
#define KIOSK_PLUGIN_ENTRY_SYMBOL "kiosk_plugin_entry"

/* Opaque handles, owned by the host. */
typedef struct kiosk_canvas kiosk_canvas;     /* where a slide draws; valid during render */
typedef struct kiosk_settings kiosk_settings; /* the slide's options; valid until destroy */
typedef struct kiosk_data kiosk_data;         /* a scored snapshot; valid while held */
typedef struct kiosk_image kiosk_image;       /* a decoded picture (1.3); valid until released */

/* ---- values ---- */

/* Colours are 0xAARRGGBB. */
typedef uint32_t kiosk_color;

enum kiosk_theme_color {
    KIOSK_COLOR_BACKGROUND = 1,
    KIOSK_COLOR_SURFACE, /* panels, table rows */
    KIOSK_COLOR_TEXT,
    KIOSK_COLOR_MUTED,     /* secondary text, grid lines */
    KIOSK_COLOR_ACCENT,    /* titles, chart lines */
    KIOSK_COLOR_HIGHLIGHT, /* the home unit */
    KIOSK_COLOR_UP,        /* gains */
    KIOSK_COLOR_DOWN,      /* losses */
    KIOSK_COLOR_WARNING,   /* stale data, data-quality marks */
};

enum kiosk_log_level {
    KIOSK_LOG_ERROR = 1,
    KIOSK_LOG_WARNING,
    KIOSK_LOG_INFO,
    KIOSK_LOG_DEBUG,
};

enum kiosk_lang_code {
    KIOSK_LANG_CODE_VI = 1,
    KIOSK_LANG_CODE_EN = 2,
};

enum kiosk_align {
    KIOSK_ALIGN_LEFT = 1,
    KIOSK_ALIGN_CENTER,
    KIOSK_ALIGN_RIGHT,
};

/* The host reads a style as far as struct_size covers (at least the 1.0 fields, up to
 * max_width: a shorter style draws nothing, with a log line) and defaults the rest. */
struct kiosk_text_style {
    uint32_t struct_size; /* sizeof(struct kiosk_text_style) */
    float size_px;        /* the font's pixel size */
    int bold;             /* 0 regular, 1 bold */
    kiosk_color color;
    enum kiosk_align align; /* relative to x: x is the left edge, the centre or the right */
    float max_width;        /* > 0: shrink the text to fit this width (never clip) */
};

/* How draw_image (1.3) fits a picture into its rectangle. */
enum kiosk_fit {
    KIOSK_FIT_CONTAIN = 1, /* all of it, centred, keeping its aspect (bands left undrawn) */
    KIOSK_FIT_COVER,       /* all of the rectangle, keeping its aspect (edges cut off) */
    KIOSK_FIT_STRETCH,     /* all of both, aspect not kept */
};

/* What format_time (1.3) writes, in the screen's time zone and language. */
enum kiosk_time_style {
    KIOSK_TIME_HM = 1,    /* 07:30 */
    KIOSK_TIME_HMS,       /* 07:30:05 */
    KIOSK_TIME_DATE,      /* 06/10/2025 (vi), 6 Oct 2025 (en) */
    KIOSK_TIME_DATE_LONG, /* Thứ Hai, ngày 6 tháng 10 năm 2025; Monday, 6 October 2025 */
    KIOSK_TIME_WEEKDAY,   /* Thứ Hai; Monday */
    KIOSK_TIME_DATE_TIME, /* 07:30 06/10/2025 (vi), 07:30 6 Oct 2025 (en) */
};

/* The latest good copy of a slide's own source (its `source = URL` setting), as
 * source_data (1.3) fills it. */
struct kiosk_source_view {
    uint32_t struct_size;
    const void *bytes; /* read-only, valid until the next render() or has_content() call */
    size_t size;
    double age_s;      /* since it was fetched (or, from the cache, last fetched) */
    uint64_t serial;   /* changes whenever the bytes change */
    const char *url;   /* the slide's source, as configured */
    const char *error; /* the last fetch's failure in one line, or NULL when it succeeded */
};

/* ---- data views (filled by the host as far as struct_size reaches) ---- */

struct kiosk_period_view {
    uint32_t struct_size;
    const char *id;     /* 2025-W40 */
    const char *label;  /* Tuần 40/2025 */
    const char *start;  /* 2025-09-29 */
    const char *end;    /* 2025-10-05 */
    size_t history;     /* periods held, this one included */
    const char *source; /* attribution to show, or NULL */
};

struct kiosk_group_view {
    uint32_t struct_size;
    const char *code; /* CKMB */
    const char *name; /* in the screen's language */
    double score;     /* NaN: no score ("—") */
    double max;
    double delta; /* NaN: no previous score */
    int at_max;
};

struct kiosk_unit_view {
    uint32_t struct_size;
    const char *id, *name, *kind, *parent; /* parent may be NULL */
    int rank;
    double total;
    double delta;        /* NaN for a unit that is new */
    int has_rank_change; /* rank_change is meaningful */
    int rank_change;     /* positive = moved up */
    int lead_streak;
    int best_gain;    /* 1, 0, or -1 when unknown */
    const char *band; /* or NULL */
    size_t n_groups;  /* kiosk_data_group() takes 0 .. n_groups - 1 */
    size_t n_metrics; /* kiosk_data_metric() takes 0 .. n_metrics - 1 */
    int is_home;      /* the configured home unit */
};

struct kiosk_scope_view {
    uint32_t struct_size;
    const char *kind;        /* province, department, commune, ... */
    const char *parent;      /* NULL for a top-level scope */
    const char *parent_name; /* or NULL */
    size_t count;            /* units, in rank order */
    double mean, median, min, max;
};

struct kiosk_metric_view {
    uint32_t struct_size;
    const char *group; /* group code */
    const char *code, *name;
    double numerator, denominator, ratio, score, max; /* NaN when missing */
    const char *quality;                              /* a data-quality flag, or NULL */
    /* ---- 1.2 ---- */
    const char *quality_message; /* the source's explanation of the flag, or NULL */
};

struct kiosk_insight_view {
    uint32_t struct_size;
    const char *unit;
    /* lead, rank, gain, group_gain, group_max, scope_leader, total; since 1.2 also gap
     * (the points to pass the unit ranked above) and room (the group with the most points
     * still to gain) */
    const char *type;
    const char *text; /* in the screen's language */
};

/* One period of a unit's trend, as data_trend (1.0) fills it. Frozen: it has no
 * struct_size and can never grow; new plugins use struct kiosk_trend_view. */
struct kiosk_trend_point {
    const char *period_id, *period_label;
    double total; /* NaN where the unit is absent */
    int rank;     /* 0 where absent */
};

/* One period of a unit's trend, as data_trend_view (1.1) fills it. */
struct kiosk_trend_view {
    uint32_t struct_size;
    const char *period_id, *period_label;
    double total; /* NaN where the unit is absent */
    int rank;     /* 0 where absent */
};

/* ---- one frame (written by the host; struct_size says how far) ---- */

struct kiosk_frame {
    uint32_t struct_size;
    int width, height;      /* the canvas, in pixels */
    double elapsed_ms;      /* since the slide came on screen */
    const kiosk_data *data; /* the current data (may be NULL: nothing received yet) */
    float scale;            /* 1.0 at 1920x1080; use it for sizes: 40 * scale px */
    int64_t now_unix_ms;    /* wall clock */
};

/* What render() returns: when the slide needs drawing again, if nothing else changes. */
#define KIOSK_REDRAW_NEVER (-1) /* static: only new data or a resize redraws it */
#define KIOSK_REDRAW_NOW 0      /* animating: call again on the next frame */
/* any other positive value: the milliseconds until the next change (e.g. a page turn) */

/* ---- the host's services ---- */

struct kiosk_host {
    uint32_t abi_version; /* KIOSK_PLUGIN_ABI_VERSION of the host */
    uint32_t struct_size; /* sizeof(struct kiosk_host) of the host */

    /* Logs one line (no newline needed) under the plugin's name. */
    void (*log)(const struct kiosk_host *host, enum kiosk_log_level level, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /* Settings of the slide, from its section of the config file. The returned string
     * stays valid until destroy(). When the key is absent: the default of the plugin's
     * settings table if it declares one for the key, else def. Numbers outside [min, max]
     * (narrowed to the table's range, when it declares one) or unreadable, and a choice
     * not among the table's choices, are logged and replaced by that default. */
    const char *(*setting_string)(const kiosk_settings *s, const char *key, const char *def);
    long (*setting_int)(const kiosk_settings *s, const char *key, long def, long min, long max);
    double (*setting_double)(const kiosk_settings *s, const char *key, double def, double min,
                             double max);

    /* The theme's colour for a role. */
    kiosk_color (*theme_color)(const struct kiosk_host *host, enum kiosk_theme_color role);
    /* The screen's language. */
    enum kiosk_lang_code (*language)(const struct kiosk_host *host);
    /* Formats a number with `decimals` places in the screen's language (91,70 or 91.70;
     * "—" for NaN) into buf; returns buf. */
    char *(*format_number)(const struct kiosk_host *host, double value, int decimals, char *buf,
                           size_t size);

    /* Drawing. Coordinates are pixels from the canvas's top left; all shapes are
     * anti-aliased. */
    void (*fill_rect)(kiosk_canvas *c, float x, float y, float w, float h, float radius,
                      kiosk_color color);
    void (*stroke_line)(kiosk_canvas *c, float x0, float y0, float x1, float y1, float width,
                        kiosk_color color);
    /* An arc of a circle centred on (cx, cy), angles in degrees clockwise from 12 o'clock. */
    void (*stroke_arc)(kiosk_canvas *c, float cx, float cy, float radius, float from_deg,
                       float to_deg, float width, kiosk_color color);
    /* A polyline through n points xy[0..2n-1]. */
    void (*stroke_polyline)(kiosk_canvas *c, const float *xy, size_t n, float width,
                            kiosk_color color);
    void (*fill_circle)(kiosk_canvas *c, float cx, float cy, float radius, kiosk_color color);
    /* Draws UTF-8 text with its top at y; returns the width drawn (after any shrinking). */
    float (*draw_text)(kiosk_canvas *c, const struct kiosk_text_style *style, float x, float y,
                       const char *utf8);
    /* The size text would take, without drawing; width or height may be NULL. */
    void (*measure_text)(kiosk_canvas *c, const struct kiosk_text_style *style, const char *utf8,
                         float *width, float *height);
    /* Draws text wrapped at word boundaries to lines of at most `width` pixels (a word
     * longer than a line is shrunk to fit), the first line's top at y, lines
     * line_height * size_px apart; returns the height used. With measure_only, draws
     * nothing and returns the height it would use. */
    float (*draw_paragraph)(kiosk_canvas *c, const struct kiosk_text_style *style, float x, float y,
                            float width, float line_height, int measure_only, const char *utf8);

    /* Data. The views' strings stay valid while the kiosk_data they came from is held (a
     * frame's data is held for the frame; keep it longer with data_ref/data_unref).
     * Each returns 0, or -1 when the index or id is out of range (out left untouched). */
    const kiosk_data *(*data_ref)(const kiosk_data *d);
    void (*data_unref)(const kiosk_data *d);
    int (*data_period)(const kiosk_data *d, struct kiosk_period_view *out);
    /* The seconds since the data was produced (or fetched, when it does not say). */
    double (*data_age_s)(const kiosk_data *d);
    size_t (*data_scope_count)(const kiosk_data *d);
    int (*data_scope)(const kiosk_data *d, size_t scope, struct kiosk_scope_view *out);
    /* The scope of the given kind (and parent, NULL for any) or -1. */
    long (*data_find_scope)(const kiosk_data *d, const char *kind, const char *parent);
    int (*data_unit)(const kiosk_data *d, size_t scope, size_t index, struct kiosk_unit_view *out);
    /* Locates a unit by id (NULL: the home unit); -1 when absent. */
    int (*data_find_unit)(const kiosk_data *d, const char *id, size_t *scope, size_t *index);
    int (*data_group)(const kiosk_data *d, size_t scope, size_t index, size_t group,
                      struct kiosk_group_view *out);
    int (*data_metric)(const kiosk_data *d, size_t scope, size_t index, size_t metric,
                       struct kiosk_metric_view *out);
    size_t (*data_insight_count)(const kiosk_data *d);
    int (*data_insight)(const kiosk_data *d, size_t i, struct kiosk_insight_view *out);
    /* A unit's totals and ranks over the periods held, oldest first; returns the number of
     * points written (at most max). The 1.0 form: new plugins use data_trend_view. */
    size_t (*data_trend)(const kiosk_data *d, const char *unit_id, struct kiosk_trend_point *out,
                         size_t max);

    /* ---- 1.1 ---- */

    /* data_trend with views: out is an array of max views, each out[0].struct_size bytes
     * long (set it in out[0]; the host steps through the array by it and fills each view
     * only as far as it reaches, struct_size included). Returns the number of views
     * written: 0 when out[0].struct_size is smaller than a uint32_t. */
    size_t (*data_trend_view)(const kiosk_data *d, const char *unit_id,
                              struct kiosk_trend_view *out, size_t max);

    /* ---- 1.3 ---- */

    /* Pictures. image_load decodes a PNG, JPEG or SVG file once, at most max_w x max_h
     * pixels (scaled down, keeping its aspect, when larger; an SVG is drawn at that size;
     * 0: up to 3840 or 2160, a 4K screen; past 16384 refused), and
     * returns a handle the plugin releases, or NULL (with a log line) for a file that is
     * missing, of another type, corrupt, truncated, or larger than the host's caps (64 MiB
     * of file, 64 megapixels declared; decoded, at most 16 megapixels, smaller kept to its
     * aspect). image_load_bytes does the same from memory (e.g.
     * source_data's bytes, which it does not keep). */
    kiosk_image *(*image_load)(const struct kiosk_host *host, const char *path, int max_w,
                               int max_h);
    kiosk_image *(*image_load_bytes)(const struct kiosk_host *host, const void *bytes, size_t size,
                                     int max_w, int max_h);
    /* The decoded size in pixels; 0, or -1 for a NULL image (or one the host did not make). */
    int (*image_size)(const kiosk_image *image, int *width, int *height);
    /* Releases an image the slide loaded; NULL is allowed and does nothing (releasing one
     * twice is refused and logged). What a slide still holds when it is destroyed is freed
     * by the host, with a log line. */
    void (*image_release)(const struct kiosk_host *host, kiosk_image *image);
    /* Draws an image into the rectangle, fitted as fit says. */
    void (*draw_image)(kiosk_canvas *c, const kiosk_image *image, float x, float y, float w,
                       float h, enum kiosk_fit fit);
    /* Draws text (UTF-8, at most 1,000 bytes) as a QR code, error correction M, with its
     * quiet zone, in a square of side `size` with its top left at (x, y): always dark
     * modules on a light square, whatever the theme. Returns 0, or -1 when the text does
     * not fit a QR code or the square is smaller than one pixel a module. */
    int (*draw_qr)(kiosk_canvas *c, float x, float y, float size, const char *utf8);
    /* Formats a wall-clock time (ms since 1970) in the screen's time zone and language
     * into buf; returns buf ("" when size is too small). */
    char *(*format_time)(const struct kiosk_host *host, int64_t unix_ms,
                         enum kiosk_time_style style, char *buf, size_t size);
    /* The slide's own source: 0 with out filled as far as its struct_size reaches, or -1
     * when the slide has no `source` setting or nothing has been fetched yet (out->error
     * then says why, when out is large enough). The kiosk fetches it like its data
     * sources (ETag/304, backoff, size cap, verified TLS, last good copy kept across
     * restarts); the slide is redrawn when the bytes change. */
    int (*source_data)(const struct kiosk_host *host, struct kiosk_source_view *out);
    /* Asks for the slide to be drawn again on the display's next frame, from any call the
     * host makes into the plugin (e.g. when a timer of its own finds its content
     * changed); outside one it is ignored. */
    void (*request_redraw)(const struct kiosk_host *host);
};

/* ---- declared settings (1.1) ---- */

enum kiosk_setting_type {
    KIOSK_SETTING_STRING = 1, /* any text */
    KIOSK_SETTING_INT,        /* a whole number, within [min, max] */
    KIOSK_SETTING_DOUBLE,     /* a number, within [min, max] */
    KIOSK_SETTING_BOOL,       /* yes or no (also true or false); read with setting_string */
    KIOSK_SETTING_CHOICE,     /* one of choices; read with setting_string */
};

/* One setting a plugin reads, for `kiosk check` to check a config against, for the
 * settings services' defaults and ranges, and for the plugin guide. A plugin's table is a
 * const array of these, ended by an entry whose key is NULL; the host steps through it by
 * the first entry's struct_size. slide.h has a macro for each type. */
struct kiosk_setting_decl {
    uint32_t struct_size; /* sizeof(struct kiosk_setting_decl) */
    const char *key;      /* the key in [slide.NAME]; NULL ends the table */
    enum kiosk_setting_type type;
    double min, max;            /* int and double: the range, inclusive (both 0: none) */
    const char *const *choices; /* choice: the values allowed, ended by NULL */
    const char *def;            /* the default, as a config would write it; NULL: none */
    const char *description;    /* one line, in English */
};

/* ---- the plugin ---- */

struct kiosk_plugin {
    uint32_t abi_version; /* KIOSK_PLUGIN_ABI_VERSION the plugin was built with */
    uint32_t struct_size; /* sizeof(struct kiosk_plugin) */
    const char *name;     /* the name slides use: plugin = leaderboard */
    const char *description;

    /* Makes one slide instance. host and settings stay valid until destroy(). Returns 0
     * and sets *self, or a negative number (the slide is then left out, with a log line). */
    int (*create)(const struct kiosk_host *host, const kiosk_settings *settings, void **self);
    /* Releases an instance. */
    void (*destroy)(void *self);
    /* Draws the slide on the canvas (cleared to the background already). Returns
     * KIOSK_REDRAW_NEVER, KIOSK_REDRAW_NOW or the milliseconds until the next change. */
    int (*render)(void *self, kiosk_canvas *canvas, const struct kiosk_frame *frame);

    /* ---- 1.1 ---- */

    /* The settings the plugin reads, or NULL: with a table, `kiosk check` reports every
     * key of a slide that the table does not declare (the host's own keys, plugin and
     * duration_s, aside) and every value of the wrong type, out of range or not among the
     * choices. The host refuses a plugin whose table is malformed. Without one, nothing
     * is checked. The table must stay valid while the plugin is loaded. */
    const struct kiosk_setting_decl *settings;

    /* ---- 1.2 ---- */

    /* Whether the slide has anything to draw for the frame's data (frame->data may be
     * NULL): 1 yes, 0 nothing (a trend of one period, a ranking of an empty scope). The
     * playlist skips a slide that says 0 until the data changes; with nothing left it shows
     * one waiting notice. NULL: the slide always has something to draw. Called on the main
     * thread, before render() and whenever the data changes; it must not draw. */
    int (*has_content)(void *self, const struct kiosk_frame *frame);
    /* The seconds the slide needs to show everything it pages through for the frame's data
     * (a ranking of 15 pages at 10 s a page: 150), or 0 when it shows all at once. `kiosk
     * check` warns when a slide's duration_s is shorter. NULL: 0. Must not draw. */
    double (*turn_s)(void *self, const struct kiosk_frame *frame);
};

/* The entry point every plugin defines:
 *   KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void) { ... } */
#define KIOSK_PLUGIN_EXPORT __attribute__((visibility("default")))
typedef const struct kiosk_plugin *(*kiosk_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
