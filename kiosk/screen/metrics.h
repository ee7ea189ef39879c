/* The kiosk's Prometheus metrics: the text exposition format (version 0.0.4), made from
 * the status document (status.json) alone, so that `kiosk metrics` reading status.json
 * and `kiosk run` writing kiosk.prom for node_exporter's textfile collector say the same
 * thing in the same words. Names and units follow Prometheus's conventions: seconds,
 * bytes, _total for counters, _info for labels worth 1. */
#ifndef KIOSK_SCREEN_METRICS_H
#define KIOSK_SCREEN_METRICS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_METRICS_FILE "kiosk.prom"

/* How long drawing a slide takes: a histogram over fixed buckets (seconds). */
#define KIOSK_RENDER_BUCKETS 10
extern const double kiosk_render_bucket_le[KIOSK_RENDER_BUCKETS];

struct kiosk_histogram {
    uint64_t count;
    double sum;
    uint64_t le[KIOSK_RENDER_BUCKETS]; /* cumulative: observations <= the bound */
};

void kiosk_histogram_observe(struct kiosk_histogram *h, double seconds);
/* The histogram as status.json holds it: {"count", "sum", "buckets": [[le, n], ...]}. */
json_t *kiosk_histogram_json(const struct kiosk_histogram *h);

/* The metrics of a status document, as it stood at now_unix (ages are counted from the
 * document's "updated" to now). status NULL: no kiosk has written one; only what the
 * program itself knows (build, up = 0). Returns malloc'd text, or NULL out of memory.
 * With key non-NULL, *key is a copy without the lines whose values move with the clock
 * alone (ages, timestamps of polls): unchanged, nothing new is to be said. */
char *kiosk_metrics_text(const json_t *status, int64_t now_unix, char **key);

/* Writes the metrics atomically to path when they say something new (key differs) and
 * at most every min_s seconds, or when the last write is max_s old (the ages move). The
 * writer keeps the last key. 0 (written or not needed), -1 (errno). */
struct kiosk_metrics_writer {
    char *path;
    char *last_key;
    int64_t last_unix;    /* the last write */
    int64_t checked_unix; /* the last look */
    int64_t refresh_s;    /* rewritten at least this often when nothing changed (0: 60 s);
                           * kiosk_metrics_place() sets it from where the file is */
    bool failing;
};
/* Where kiosk.prom goes: on tmpfs it is written again every minute, its time the node
 * exporter's sign that the kiosk lives; on lasting storage (an SD card) only when it says
 * something new, or every 15 minutes. True when the place is lasting storage. */
bool kiosk_metrics_place(struct kiosk_metrics_writer *w, const char *path);
int kiosk_metrics_write(struct kiosk_metrics_writer *w, const json_t *status, int64_t now_unix);
void kiosk_metrics_writer_free(struct kiosk_metrics_writer *w);

#define KIOSK_METRICS_MIN_S 15
#define KIOSK_METRICS_MAX_S 60
#define KIOSK_METRICS_DURABLE_S 900

#endif
