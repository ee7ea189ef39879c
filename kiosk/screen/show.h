/* The playlist: one instance per configured slide, and the drawing of one slide's frame:
 * the plugin draws the body, the host draws the status line under it (clock, period, how
 * old the data is, and a stale-data mark past the configured age). */
#ifndef KIOSK_SCREEN_SHOW_H
#define KIOSK_SCREEN_SHOW_H

#include "banner.h"
#include "breaker.h"
#include "config/config.h"
#include "host/plugin_host.h"
#include "host/services.h"
#include "render/canvas.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

/* A slide of the playlist, with its own copy of what the config said of it. */
struct kiosk_slide {
    char *name;
    double duration_s;
    const struct kiosk_loaded_plugin *plugin;
    void *self;
    struct kiosk_settings settings; /* what its plugin reads, valid until destroy() */
    struct kiosk_host_ctx host;
    char *source;           /* its own source, or NULL */
    long interval_s;        /* how often the source is polled */
    struct kiosk_when when; /* when it is shown */
    bool fallback;          /* only when no slide is in its hours (the config's fallback) */
    int worker_slide;       /* its number in its plugin's worker (plugin->worker), or -1 */
    bool faulted;           /* its worker faulted in the last render: the notice was drawn */
};

/* A slide of the config that is not in the playlist: its plugin is missing or its create()
 * failed. The plugin itself may be loaded and fine for other slides. */
struct kiosk_failed_slide {
    char *name;
    char *plugin;
    char *why;
};

struct kiosk_show {
    struct kiosk_slide *slides;
    size_t n;
    struct kiosk_failed_slide *failed;
    size_t n_failed;
    size_t failed_dropped; /* failures not listed for want of memory */
    const struct kiosk_theme *theme;
    enum kiosk_lang_code lang;
    double stale_after_h; /* sources failing this long are marked */
    double failing_s;     /* how long the sources have failed (0: fine); set by the loop */
    bool clock_unset;     /* the clock is not synchronised: no date is shown */
    FILE *log;
    struct kiosk_breaker *breaker; /* notes each plugin call, or NULL */
    struct kiosk_banner *banner;   /* the band over every slide, or NULL */
    /* true: a scrolling banner is moved on by the screen apart from the slide (kiosk run);
     * false: a slide with one asks to be redrawn every frame (the ticker in the slide) */
    bool ticker_apart;
    struct {
        bool on;    /* the last slide drawn has a banner that scrolls */
        float y, h; /* its band */
        float scale;
    } ticker;
};

/* Makes the slides of the config's playlist. A slide whose plugin is missing or whose
 * create() fails is left out with one log line and recorded in show->failed; the others
 * stay. Returns the number of slides made. */
size_t kiosk_show_build(struct kiosk_show *show, const struct kiosk_config *c,
                        struct kiosk_plugins *plugins, FILE *log);
/* The same, with every call into a plugin noted by the crash-loop breaker (which must
 * outlive the show), and the slides it quarantines left out as failed. */
size_t kiosk_show_build_guarded(struct kiosk_show *show, const struct kiosk_config *c,
                                struct kiosk_plugins *plugins, FILE *log,
                                struct kiosk_breaker *breaker);
void kiosk_show_free(struct kiosk_show *show);

/* The layout scale for a canvas: 1.0 at 1920x1080 landscape and 1080x1920 portrait. */
float kiosk_show_scale(int width, int height);

/* A date as the screen's language writes it: 31/08/2026 in Vietnamese, 31 Aug 2026 in
 * English (month 1-12). Returns buf. */
char *kiosk_show_date(int year, int month, int day, enum kiosk_lang_code lang, char *buf,
                      size_t size);
/* A source's date, YYYY-MM-DD (anything after it ignored), the same way; a text that is no
 * such date is copied as it is. Returns buf. */
char *kiosk_show_iso_date(const char *iso, enum kiosk_lang_code lang, char *buf, size_t size);
/* A time of day and its date, "08:00 31/08/2026" or "08:00 31 Aug 2026", with sep between. */
char *kiosk_show_time_date(const struct tm *tm, const char *sep, enum kiosk_lang_code lang,
                           char *buf, size_t size);

/* Whether slide i has anything to show for snap (NULL: no data yet) on a canvas of that
 * size: its plugin's has_content (ABI 1.2), true for a plugin without one. */
bool kiosk_show_has_content(const struct kiosk_show *show, size_t i,
                            const struct kiosk_snapshot *snap, int width, int height);

/* The seconds slide i needs to show every page it turns through for snap on a canvas of
 * that size: its plugin's turn_s (ABI 1.2); 0 when it shows all at once or cannot say. */
double kiosk_show_turn_s(const struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                         int width, int height);

/* Asks for slide i's picture ahead of its turn on a canvas of width x height, when its
 * plugin runs in a worker (nothing for one in this process): kiosk_show_render of the
 * slide then takes the picture without waiting for more than what is left of the
 * deadline. */
void kiosk_show_prepare(struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                        int width, int height, int64_t now_unix_ms);

/* Whether slide i can be drawn now without waiting on its worker: 1 (a slide in this
 * process; or its worker's picture is in, or it has nothing to show), 0 (its picture is
 * late: not there within wait_ms; ask again), -1 (its worker is down: out of the
 * rotation). Asks the worker for the picture when it was not asked for ahead. */
int kiosk_show_ready(struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                     int width, int height, double elapsed_ms, int64_t now_unix_ms, int wait_ms);

/* Draws slide i on c: background, the plugin's body, the status line; for a slide with
 * nothing to show (kiosk_show_has_content), the waiting notice instead of the body. snap
 * may be NULL (no data yet). now_unix_ms is the wall clock shown. Returns the plugin's
 * redraw hint (KIOSK_REDRAW_NEVER, KIOSK_REDRAW_NOW or milliseconds). */
int kiosk_show_render(struct kiosk_show *show, size_t i, kiosk_canvas *c,
                      const struct kiosk_snapshot *snap, double elapsed_ms, int64_t now_unix_ms);

/* Whether slide i is shown at now by its days, hours, from and until (local time); the
 * config's fallback slide never is. */
bool kiosk_show_scheduled(const struct kiosk_show *show, size_t i, time_t now);
/* The slide shown when no slide is scheduled: the config's fallback leaderboard, or the
 * first leaderboard of the playlist whatever its schedule, or else the first slide. */
size_t kiosk_show_fallback(const struct kiosk_show *show);
/* Whether slide i's plugin asked for a redraw (request_redraw) in a call since the last
 * time this was asked; clears the request. */
bool kiosk_show_take_redraw(struct kiosk_show *show, size_t i);

#endif
