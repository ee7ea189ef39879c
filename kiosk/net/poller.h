/* The poller: one thread that keeps every source fresh and hands the screen finished
 * snapshots. Per source: an interval with random jitter (a thousand kiosks must not ask
 * in the same second), conditional requests, exponential backoff with a cap after
 * failures. A fetched document must read cleanly on its own before it replaces the
 * source's last good one; a failed poll changes nothing on screen. A body identical to
 * the last good one is treated as a 304: nothing is written. Every accepted
 * document (bytes and validators) is cached in the state directory, written atomically,
 * and read back at start so the first frame has data before any network. */
#ifndef KIOSK_NET_POLLER_H
#define KIOSK_NET_POLLER_H

#include "core/feed.h"
#include "core/score.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kiosk_poll_source {
    const char *name;           /* the config's section name: the cache file's name */
    const char *url;            /* http(s)://, file:// or a path */
    const char *group;          /* a portal per-group response's group, or NULL */
    const char *period;         /* a portal response's period, or NULL */
    const char *post_body;      /* POST this body, or NULL */
    const char *const *headers; /* extra request headers, or NULL */
    const char *ca_file;
    long interval_s;
    long timeout_s;
};

/* Why a poll failed, for the metrics: what an operator acts on differently. */
enum kiosk_poll_reason {
    KIOSK_POLL_NETWORK, /* no answer: DNS, connection refused or reset */
    KIOSK_POLL_TIMEOUT, /* the connection or the transfer took too long */
    KIOSK_POLL_TLS,     /* the certificate or the TLS handshake */
    KIOSK_POLL_HTTP,    /* an HTTP error status */
    KIOSK_POLL_INVALID, /* an answer that does not read as a feed, or is too big */
    KIOSK_POLL_FILE,    /* a local file that cannot be read */
    KIOSK_POLL_REASONS
};
/* "network", "timeout", "tls", "http", "invalid", "file". */
const char *kiosk_poll_reason_name(enum kiosk_poll_reason r);

/* What status.json says of a source. Times are Unix seconds, 0 for never. */
struct kiosk_source_status {
    char name[64];
    char url[512];
    char final_url[512]; /* where the last answer came from, after redirects ("" files) */
    bool unchanged;      /* the last answer was a 200 with the document held already */
    int64_t last_attempt, last_success, next_poll;
    long http_status;
    char error[384];
    size_t bytes;
    char etag[256];
    int failures;                                /* in a row, since the last success */
    unsigned long failed_by[KIOSK_POLL_REASONS]; /* every failure since start, by reason */
};

struct kiosk_poller_config {
    const struct kiosk_poll_source *sources;
    size_t n_sources;
    const char *state_dir; /* cache and history live here; NULL: neither */
    const struct kiosk_score_options *score;
    size_t max_bytes;
    double interval_override_s; /* > 0: every source polls this often (tests, --interval) */
    /* Called on the poller's thread with a new snapshot, whose reference it passes on. */
    void (*on_snapshot)(void *ctx, struct kiosk_snapshot *snap);
    /* Called on the poller's thread when a source's status changed. */
    void (*on_status)(void *ctx);
    void *ctx;
    FILE *log;
    /* Documents taken as they are (the slides' and the banner's own sources): not read as
     * feeds, not scored, no history; on_snapshot is not called, kiosk_poller_document
     * hands them out. */
    bool raw;
    const char *cache_dir; /* the cache's folder in state_dir; NULL: "cache" */
};

struct kiosk_poller;

/* Reads the cache and, when it holds good documents, scores them and calls on_snapshot
 * before returning (the first frame needs no network); then starts the thread.
 * The config and everything it points to must outlive the poller. 0 or KIOSK_ENOMEM. */
int kiosk_poller_start(const struct kiosk_poller_config *cfg, struct kiosk_poller **out);
/* Copies the sources' status; returns how many. */
size_t kiosk_poller_status(struct kiosk_poller *p, struct kiosk_source_status *out, size_t max);
/* Whether something could not be saved (the cache of a source, the history store): it
 * is kept in memory, marked dirty and saved as soon as the storage takes it (tried every
 * minute). The reason, e.g. "... : disk full", goes to error. */
bool kiosk_poller_storage(struct kiosk_poller *p, char *error, size_t size);
/* Source i's last good document: when its serial differs from `have`, a copy (malloc'd,
 * NUL-terminated, the caller frees it) in *bytes with its length, when it was fetched (Unix
 * seconds) and its serial, and returns 1; 0 when the serial is `have` (nothing copied),
 * -1 when there is none yet or no memory. The serial counts the documents taken (the
 * cached one included), starting at 1. */
int kiosk_poller_document(struct kiosk_poller *p, size_t i, uint64_t have, char **bytes,
                          size_t *len, int64_t *fetched_at, uint64_t *serial);
/* Polls every source now (e.g. on SIGHUP, or when the clock became synchronised). */
void kiosk_poller_wake(struct kiosk_poller *p);
/* Stops and joins the thread. */
void kiosk_poller_stop(struct kiosk_poller *p);

#endif
