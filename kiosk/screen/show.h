/* The playlist: one instance per configured slide, and the drawing of one slide's frame:
 * the plugin draws the body, the host draws the status line under it (clock, period, how
 * old the data is, and a stale-data mark past the configured age). */
#ifndef KIOSK_SCREEN_SHOW_H
#define KIOSK_SCREEN_SHOW_H

#include "config/config.h"
#include "host/plugin_host.h"
#include "host/services.h"
#include "render/canvas.h"

#include <stdio.h>

/* A slide of the playlist, with its own copy of what the config said of it. */
struct kiosk_slide {
    char *name;
    double duration_s;
    const struct kiosk_loaded_plugin *plugin;
    void *self;
    struct kiosk_settings settings; /* what its plugin reads, valid until destroy() */
    struct kiosk_host_ctx host;
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
};

/* Makes the slides of the config's playlist. A slide whose plugin is missing or whose
 * create() fails is left out with one log line and recorded in show->failed; the others
 * stay. Returns the number of slides made. */
size_t kiosk_show_build(struct kiosk_show *show, const struct kiosk_config *c,
                        struct kiosk_plugins *plugins, FILE *log);
void kiosk_show_free(struct kiosk_show *show);

/* The layout scale for a canvas: 1.0 at 1920x1080 landscape and 1080x1920 portrait. */
float kiosk_show_scale(int width, int height);

/* Draws slide i on c: background, the plugin's body, the status line. snap may be NULL
 * (no data yet). now_unix_ms is the wall clock shown. Returns the plugin's redraw hint
 * (KIOSK_REDRAW_NEVER, KIOSK_REDRAW_NOW or milliseconds). */
int kiosk_show_render(struct kiosk_show *show, size_t i, kiosk_canvas *c,
                      const struct kiosk_snapshot *snap, double elapsed_ms, int64_t now_unix_ms);

#endif
