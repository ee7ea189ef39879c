/* The display: the SDL window and renderer the slides are shown on, the picture on screen
 * (a streaming texture the slides are drawn straight into) and, only while a transition
 * runs, the next one, and what the kiosk knows of the screens plugged in.
 *
 * A display comes and goes while the kiosk runs: a TV switched off and on, a cable pulled
 * and put back, no screen at all at boot. The kiosk watches the kernel's display
 * connectors (DRM, /sys/class/drm) and SDL's display events; when the screens change it
 * closes the display and opens it again (a fresh mode set on KMSDRM), and with no screen
 * attached it draws nothing and keeps polling. */
#ifndef KIOSK_SCREEN_DISPLAY_H
#define KIOSK_SCREEN_DISPLAY_H

#include "render/canvas.h"

#include <SDL2/SDL.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kiosk_display {
    SDL_Window *window; /* NULL: closed */
    SDL_Renderer *renderer;
    bool software;        /* the software renderer (no GPU, or GL that is only a rasteriser) */
    SDL_Texture *tex[2];  /* the pictures; one of them NULL at rest */
    kiosk_canvas *canvas; /* draws into whichever picture is locked */
    int w, h;             /* the slides' size in pixels: the output's, turned by rotate */
    int out_w, out_h;     /* the output's size */
    int rotate;           /* 0, 90, 180, 270: the picture is turned this much when shown */
    int hz;               /* its refresh rate (60 when unknown) */
    uint32_t bg;          /* the theme's background, 0xAARRGGBB: what the pixel shift uncovers */
    /* the banner's ticker: a band of the slides' width drawn apart and laid over the
     * picture when presented, so a scrolling text costs a strip a frame, not a slide */
    SDL_Texture *band;
    kiosk_canvas *band_canvas;
    int band_y, band_h; /* in the slides' space */
    bool band_on;
    struct kiosk_fonts *fonts;
    bool fullscreen_later; /* X11: full screen is asked for after the first picture */
    bool shown;            /* a picture has been presented */
};

struct kiosk_display_options {
    const char *renderer; /* "auto", "hardware", "software" */
    bool windowed;        /* a window of w x h instead of full screen */
    int w, h;
    struct kiosk_fonts *fonts; /* the canvases' */
    int rotate; /* [kiosk] rotate: degrees clockwise the picture is turned when shown */
};

/* Starts SDL's video, opens the window and renderer and sizes the canvases. 0, or -1 with
 * the display closed again and SDL_GetError() telling why (no screen, no driver). */
int kiosk_display_open(struct kiosk_display *d, const struct kiosk_display_options *o, FILE *log);
/* Destroys what open made and stops SDL's video (so a new open sees the screens anew);
 * the background colour stays. Safe on a closed display. */
void kiosk_display_close(struct kiosk_display *d);
static inline bool kiosk_display_is_open(const struct kiosk_display *d)
{
    return d->window != NULL;
}

/* Follows the output's size (a resized window, a new mode): new canvases when it changed.
 * 0, or -1 when they cannot be made. */
int kiosk_display_fit(struct kiosk_display *d, struct kiosk_fonts *fonts);
/* Picture i (0 or 1, made when missing) to draw on: its memory locked and the canvas bound
 * to it; NULL, with SDL_GetError() saying why, when it cannot be had. After drawing,
 * kiosk_display_end(d, i) hands it back to the renderer. */
kiosk_canvas *kiosk_display_begin(struct kiosk_display *d, int i);
void kiosk_display_end(struct kiosk_display *d, int i);
/* The band laid over the picture from row y, h rows high: its memory locked and a canvas
 * bound to it (NULL when it cannot be had); kiosk_display_band_end hands it back and lays
 * it over every picture presented from then on, until kiosk_display_band_off. */
kiosk_canvas *kiosk_display_band_begin(struct kiosk_display *d, int y, int h);
void kiosk_display_band_end(struct kiosk_display *d);
void kiosk_display_band_off(struct kiosk_display *d);
/* Shows picture cur, or a transition frame towards the other one (p in 0..1; push slides
 * it in, else it fades in), the whole picture shifted a few pixels against burn-in. A frame
 * with no transition releases the other picture. */
void kiosk_display_present(struct kiosk_display *d, int cur, double p, bool push);
/* What waits until the first picture is on screen (and READY=1 sent): on X11, asking the
 * window manager for full screen, which SDL follows with a wait of up to 100 ms. */
void kiosk_display_settle(struct kiosk_display *d);
/* Shows black (the screen asleep). */
void kiosk_display_black(struct kiosk_display *d);
/* Powers the screens of a KMSDRM display down or up: the DPMS property of every connected
 * connector, through the DRM device SDL holds. 0, or -1 when the display is not on
 * KMSDRM (X11, Wayland, offscreen: nothing to do here) or the kernel refuses; *done says
 * how many connectors took it. */
int kiosk_display_dpms(struct kiosk_display *d, bool on, int *done);

/* ---- the screens plugged in ---- */

/* The kernel's display connectors (HDMI-A-1, DSI-1, ...): how many there are, how many
 * have a screen attached, and a fingerprint of which ones, that changes when a screen is
 * plugged, unplugged or switched off and on (as far as the connector tells). */
struct kiosk_connectors {
    int n;         /* 0: the kernel tells nothing (no DRM, an X server in a VM, ...) */
    int connected; /* with a screen attached, or that cannot tell ("unknown") */
    uint64_t fingerprint;
};

/* Reads DIR/card*-* /status (DIR is /sys/class/drm, or $KIOSK_DRM_SYSFS when set: a test
 * or a diagnosis can stand in for the kernel there). Never fails: what cannot be read
 * counts as not there. */
void kiosk_connectors_read(const char *dir, struct kiosk_connectors *out);
const char *kiosk_connectors_dir(void);

/* What to do about the display, from whether it is open, the connectors as last seen and
 * as now, and whether a retry is due (the kiosk tries to open a display every 10 s while
 * it has none). */
enum kiosk_display_action {
    KIOSK_DISPLAY_KEEP,   /* nothing */
    KIOSK_DISPLAY_OPEN,   /* try to open it */
    KIOSK_DISPLAY_CLOSE,  /* the last screen went away */
    KIOSK_DISPLAY_REOPEN, /* the screens changed: close and open again */
};
enum kiosk_display_action kiosk_display_decide(bool open, const struct kiosk_connectors *before,
                                               const struct kiosk_connectors *now, bool retry_due);

#endif
