/* The banner: a band over every slide ([banner] in the config), at the top or above the
 * status line, with a text from the config, from its own source, or set remotely (a fleet
 * command), which overrides the configured one until it expires. A text wider than the
 * screen scrolls (redrawn at the display's refresh rate); one that fits is drawn once.
 * Everything here runs on the main thread. */
#ifndef KIOSK_SCREEN_BANNER_H
#define KIOSK_SCREEN_BANNER_H

#include "config/config.h"
#include "render/canvas.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_BANNER_TEXT_MAX 4096 /* bytes */

struct kiosk_banner {
    const struct kiosk_banner_conf *conf; /* NULL: no [banner] */
    /* what the banner's source said last (when it has one) */
    char *source_text;
    char source_until[17]; /* "" none */
    int source_urgent;     /* -1: as the config says */
    /* set remotely: wins until it expires */
    char *remote_text;
    int64_t remote_until; /* Unix seconds; 0: until replaced */
    bool remote_urgent;
    /* the ticker starts at the text's beginning whenever the text shown changes */
    const char *scrolling;
    int64_t scroll_from_ms;
};

/* What the banner shows now. */
struct kiosk_banner_now {
    const char *text; /* NULL: no banner now */
    bool urgent, top;
};

void kiosk_banner_init(struct kiosk_banner *b, const struct kiosk_banner_conf *conf);
/* A new configuration (a reload): its [banner] (or none); what the source said is
 * forgotten until it is fetched again, the remote banner stays. */
void kiosk_banner_configure(struct kiosk_banner *b, const struct kiosk_banner_conf *conf);
void kiosk_banner_free(struct kiosk_banner *b);

/* Takes the banner source's document: plain UTF-8 text (its first line that is not blank)
 * or a JSON object {"text": "...", "until": "2026-12-31T17:00", "urgent": true} (until
 * and urgent optional; a blank text or "" shows no banner). 0, or -1 with why (the
 * banner as it was stays). */
int kiosk_banner_take_source(struct kiosk_banner *b, const char *bytes, size_t len, char *why,
                             size_t why_size);

/* Sets the remote banner: text (UTF-8, at most KIOSK_BANNER_TEXT_MAX bytes; NULL or ""
 * clears it), shown over the configured one until until_unix (0: until cleared or
 * replaced), red when urgent. 0, or -1 for a text too long or not UTF-8 (nothing
 * changes). Main thread only; the caller then has the current slide drawn again (in
 * kiosk run: r->loop.dirty = true) so it shows at once. */
int kiosk_banner_set_remote(struct kiosk_banner *b, const char *text, int64_t until_unix,
                            bool urgent);

/* What the banner shows at now (Unix seconds; until times are local time). */
struct kiosk_banner_now kiosk_banner_at(const struct kiosk_banner *b, int64_t now_unix);

/* The band's height on a canvas of that scale. */
float kiosk_banner_height(float scale);

/* Draws the band with its top at y, across the canvas; a text wider than the canvas is
 * drawn scrolled by how long it has been shown (scroll_ms). Returns 0 (KIOSK_REDRAW_NOW)
 * when it scrolls, else -1. */
int kiosk_banner_draw(const struct kiosk_banner_now *now, kiosk_canvas *c,
                      const struct kiosk_host *h, float y, float scale, int64_t scroll_ms);
/* How long the text now shown has been shown at now_ms (0 when it has just changed). */
int64_t kiosk_banner_scroll_ms(struct kiosk_banner *b, const struct kiosk_banner_now *now,
                               int64_t now_ms);

#endif
