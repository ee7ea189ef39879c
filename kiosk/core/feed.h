/* Reading feed documents into a table.
 *
 * Two kinds of document are told apart by content: the native "kiosk-scores" format and
 * the national portal's responses (feed-v1.md). Each source is read into a table of its
 * own and merged into the caller's table only when it has no error, so a bad document never
 * leaves half its data behind. Problems are reported as diagnostics with the JSON path. */
#ifndef KIOSK_CORE_FEED_H
#define KIOSK_CORE_FEED_H

#include "error.h"
#include "jsonstream.h"
#include "model.h"

struct kiosk_read_options {
    struct kiosk_json_limits limits;
    /* The period that portal responses cover (they do not say): "2026-08", "2026-W35",
     * "2026-Q3" or "2026"; NULL when not known. */
    const char *period;
    /* When set, a portal response without a period is an error; otherwise it is read into
     * a period named "unspecified" (enough for validating it). */
    bool require_period;
};

/* Default options: default limits, no period. */
void kiosk_read_options_init(struct kiosk_read_options *o);

enum kiosk_doc_kind {
    KIOSK_DOC_NATIVE = 1,
    KIOSK_DOC_PORTAL_GROUP = 2,   /* one group per response (transparency, ...-tree, ...) */
    KIOSK_DOC_PORTAL_RESULTS = 3, /* service-results: every group */
};

/* What a read found, for one-line summaries. */
struct kiosk_source_summary {
    enum kiosk_doc_kind kind;
    size_t periods;
    char first_period[64], last_period[64];
    size_t units;   /* in the newest period */
    char group[32]; /* portal per-group responses: the group code */
    size_t bytes;
};

/* A source as the user names it: "[GROUP=]LOCATION" where LOCATION is a path, a file://
 * URL or "-" for standard input. */
struct kiosk_source_spec {
    char group[32]; /* "" when not labelled */
    char location[4096];
    bool is_stdin;
};

/* Parses a source argument; 0, or KIOSK_EUSAGE with a message in diags. */
int kiosk_source_parse(const char *arg, struct kiosk_source_spec *spec, struct kiosk_diags *d);

/* Reads the document in buf (len bytes) named `name` for messages, and merges it into t.
 * group labels a portal per-group response (may be NULL). Returns 0 or a negative code; the
 * problems are in d. summary may be NULL. */
int kiosk_feed_read_buffer(struct kiosk_table *t, const char *name, const char *group,
                           const void *buf, size_t len, const struct kiosk_read_options *o,
                           struct kiosk_diags *d, struct kiosk_source_summary *summary);

/* Reads a source (file, file:// URL or standard input) in chunks, so memory follows the
 * units kept rather than the document's size, and merges it into t. */
int kiosk_feed_read_source(struct kiosk_table *t, const struct kiosk_source_spec *spec,
                           const struct kiosk_read_options *o, struct kiosk_diags *d,
                           struct kiosk_source_summary *summary);

/* Merges src into dst by period id and unit id (src wins for values it has); src is left
 * empty. 0, KIOSK_ENOMEM, KIOSK_ELIMIT, or KIOSK_ESCHEMA when the frameworks differ (with a
 * diagnostic naming `name`). */
int kiosk_table_merge(struct kiosk_table *dst, struct kiosk_table *src, const char *name,
                      struct kiosk_diags *d);

/* ---- frameworks ---- */

/* Loads the built-in vn-766 framework; 0 or KIOSK_ENOMEM. */
int kiosk_framework_builtin(struct kiosk_framework *fw);

/* Reads a framework object; problems are reported at `path` of `file`. */
int kiosk_framework_from_json(struct kiosk_framework *fw, json_t *obj, const char *file,
                              const char *path, struct kiosk_diags *d);

/* True when both have the same groups (codes, order and maxima). */
bool kiosk_framework_compatible(const struct kiosk_framework *a, const struct kiosk_framework *b);

/* ---- period ids ---- */

/* Parses a period id of the forms 2026-W35 (ISO week), 2026-08, 2026-Q3, 2026 into start
 * and end dates and a Vietnamese label ("Tuần 35/2026"); 0 or -1 when not such an id. */
int kiosk_period_id_parse(const char *id, int32_t *start, int32_t *end, char *label,
                          size_t label_size);

#endif
