/* status.json in the runtime directory (tmpfs: /run/kiosk, not the card): what a
 * technician or a monitoring tool needs to know, rewritten atomically whenever it changes
 * and at least every heartbeat_s, so an old one says the kiosk is hung or gone. On
 * tmpfs it is written without fsync; where it has to fall back to the card (no runtime
 * directory) only a change other than the slide on screen, or the heartbeat, writes it.
 * `kiosk status` prints it readably.
 * The field names are an interface: version, uptime_s, slide, period {id}, data (none,
 * fresh or stale), data_age_s, stale, sources[] {url, last_attempt, last_success,
 * http_status, error, bytes, etag, next_poll}, plugins {loaded[], refused[] {file,
 * reason}}, slides_failed[] {slide, plugin, reason} (slides left out of the playlist: a
 * plugin refused is not a slide failed, and a loaded plugin may still fail one slide),
 * sources[].failed_by {network, timeout, tls, http, invalid, file} (failures since the
 * start), frame_render {count, sum, buckets} (slide draws, for the metrics; a change there
 * alone writes nothing), fleet {broker, id, connected} (with [fleet]); times in ISO 8601. */
#ifndef KIOSK_SCREEN_STATUS_H
#define KIOSK_SCREEN_STATUS_H

#include "core/score.h"
#include "host/plugin_host.h"
#include "metrics.h"
#include "net/poller.h"
#include "remote.h"
#include "show.h"

#include <stdbool.h>
#include <jansson.h>
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
    bool display;              /* the screen is on (not asleep outside working hours) */
    bool display_connected;    /* a display is open: a screen is plugged in and shown on */
    bool clock_synchronised;   /* the system clock can be trusted for the working hours */
    double failing_s;          /* how long the sources have failed (0: they are fine) */
    const char *storage_error; /* what could not be saved and why, or NULL */
    const struct kiosk_remote_status *remote; /* remote configuration, or NULL: none */
    /* the slides' and the banner's own sources ("own_sources"), and the banner shown */
    const struct kiosk_source_status *own_sources;
    size_t n_own_sources;
    const char *banner; /* the banner's text now, or NULL */
    bool banner_urgent;
    const struct kiosk_histogram *frame_render; /* slide draws, or NULL */
    const char *fleet_broker;                   /* [fleet] broker, or NULL: none */
    const char *fleet_id;
    bool fleet_connected;
    int metrics_refresh_s; /* kiosk.prom rewritten at least this often; 0: none written */
};

struct kiosk_status_writer {
    const char *dir;   /* where status.json goes */
    bool durable;      /* dir is on the card, not tmpfs: write rarely, with fsync */
    int heartbeat_s;   /* written at least this often */
    char *last;        /* what was written, without its times and slide */
    int64_t last_unix; /* the last write tried */
    bool failing;      /* the last write failed */
};

/* Starts writing status.json into dir (made when missing). */
void kiosk_status_init(struct kiosk_status_writer *w, const char *dir);
void kiosk_status_free(struct kiosk_status_writer *w);
/* Whether the heartbeat is due at now_unix. */
bool kiosk_status_due(const struct kiosk_status_writer *w, int64_t now_unix);

/* Writes dir/status.json atomically when it says something new (or the heartbeat is
 * due); 0 (written or not needed), -1 (errno) when a write fails, 1 when it fails again
 * (said already). A failed write is tried again at the next change or heartbeat. */
int kiosk_status_write(struct kiosk_status_writer *w, const struct kiosk_status_info *info);

/* The parts of kiosk_status_write: the document as it stands at now_unix (NULL out of
 * memory), and writing one. */
json_t *kiosk_status_document(const struct kiosk_status_writer *w,
                              const struct kiosk_status_info *info, int64_t now_unix);
int kiosk_status_write_doc(struct kiosk_status_writer *w, const json_t *doc);
/* What a document says apart from the clock (and, durable, the slide): compact JSON,
 * malloc'd; two documents saying the same have the same key. */
char *kiosk_status_key(const json_t *doc, bool durable);

#endif
