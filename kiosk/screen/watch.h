/* Following the screens plugged in: the display is opened when a screen appears, closed
 * when the last one goes, opened anew when they change (a TV switched off and on, the
 * cable moved to the other HDMI port). The kernel's connectors are read every 2 s; SDL's
 * display and device-reset events ask for a look at once. Without a display the kiosk
 * tries to open one every 10 s, saying why not once per absence. */
#ifndef KIOSK_SCREEN_WATCH_H
#define KIOSK_SCREEN_WATCH_H

#include "display.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define KIOSK_WATCH_CHECK_MS 2000  /* a look at the connectors */
#define KIOSK_WATCH_RETRY_MS 10000 /* a try to open while there is no display */

struct kiosk_watch {
    struct kiosk_display *scr;
    struct kiosk_display_options opts;
    const char *dir; /* where the kernel lists its connectors */
    FILE *log;
    struct kiosk_connectors seen; /* as last read */
    uint64_t check_at, retry_at;  /* the next look, the next try to open */
    uint64_t lost_at;             /* since when there is no display */
    bool event;                   /* the screens changed (SDL said so): look now */
    bool force_reopen;            /* the renderer is lost: open anew */
    bool ever_open, said_waiting;
};

/* The first look and the first try to open. */
void kiosk_watch_start(struct kiosk_watch *w, uint64_t now);
/* Looks at the screens when a look is due or was asked for; true when the display was
 * closed or opened (anew). */
bool kiosk_watch_step(struct kiosk_watch *w, uint64_t now);

#endif
