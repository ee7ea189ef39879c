/* status.json in the state directory: what a technician or a monitoring tool needs to
 * know, rewritten atomically whenever it changes. `kiosk status` prints it readably.
 * The field names are an interface: version, uptime_s, slide, period {id}, data (none,
 * fresh or stale), data_age_s, stale, sources[] {url, last_attempt, last_success,
 * http_status, error, bytes, etag, next_poll}, plugins {loaded[], refused[] {file,
 * reason}}, slides_failed[] {slide, plugin, reason} (slides left out of the playlist: a
 * plugin refused is not a slide failed, and a loaded plugin may still fail one slide);
 * times in ISO 8601. */
#ifndef KIOSK_SCREEN_STATUS_H
#define KIOSK_SCREEN_STATUS_H

#include "core/score.h"
#include "host/plugin_host.h"
#include "net/poller.h"
#include "show.h"

#include <stdbool.h>
#include <stdint.h>

#define KIOSK_STATUS_FILE "status.json"

struct kiosk_status_info {
    int64_t started_unix;
    const char *slide;
    const struct kiosk_snapshot *snap; /* or NULL */
    double stale_after_h;
    const struct kiosk_source_status *sources;
    size_t n_sources;
    const struct kiosk_plugins *plugins;
    const struct kiosk_failed_slide *failed; /* slides left out of the playlist */
    size_t n_failed;
    bool display;            /* the screen is on (not asleep outside working hours) */
    bool display_connected;  /* a display is open: a screen is plugged in and shown on */
    bool clock_synchronised; /* the system clock can be trusted for the working hours */
};

/* Writes state_dir/status.json atomically; 0 or -1 (errno). */
int kiosk_status_write(const char *state_dir, const struct kiosk_status_info *info);

#endif
