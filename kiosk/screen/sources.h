/* The slides' and the banner's own sources (`source = URL`): polled by a poller of their
 * own (kiosk/net/poller.h in raw mode: ETag/304, backoff, size cap, verified TLS, the last
 * good copy cached in STATE/own-cache and served at the next start before any network),
 * and handed to the slides' host tables (source_data) and the banner on the main thread. */
#ifndef KIOSK_SCREEN_SOURCES_H
#define KIOSK_SCREEN_SOURCES_H

#include "banner.h"
#include "net/poller.h"
#include "show.h"

#include <stdbool.h>
#include <stdio.h>

#define KIOSK_OWN_BANNER SIZE_MAX /* the banner's entry in slide_of */

struct kiosk_own_sources {
    struct kiosk_poll_source *src;
    char **names;     /* owned: slide-NAME, banner */
    size_t *slide_of; /* the slide each source is for, or KIOSK_OWN_BANNER */
    size_t n;
    uint64_t banner_serial;
    struct kiosk_poller *poller; /* NULL: no source to poll */
};

/* Starts polling the sources of show's slides and of the banner (conf: NULL or the
 * config's [banner]). The show and conf must outlive the poller. on_status is called on
 * the poller's thread after every poll (the main thread then calls
 * kiosk_own_sources_take). 0, or KIOSK_ENOMEM. */
int kiosk_own_sources_start(struct kiosk_own_sources *o, struct kiosk_show *show,
                            const struct kiosk_banner_conf *conf, const char *state_dir,
                            double interval_override_s, void (*on_status)(void *), void *ctx,
                            FILE *log);
/* Takes what the poller has: new bytes into the slides' host tables, the last errors,
 * the banner's text. Returns true when something a slide or the banner shows changed. */
bool kiosk_own_sources_take(struct kiosk_own_sources *o, struct kiosk_show *show,
                            struct kiosk_banner *banner, FILE *log);
void kiosk_own_sources_stop(struct kiosk_own_sources *o);

/* For `kiosk snapshot`: fetches every slide's and the banner's source once, now, into the
 * slides' host tables and the banner (no cache, no poller). A failure is one log line and
 * leaves the slide without bytes (its error set). */
void kiosk_own_sources_read_once(struct kiosk_show *show, struct kiosk_banner *banner, FILE *log);

#endif
