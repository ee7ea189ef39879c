/* Shared plumbing of the feed readers: typed field access that reports precisely. */
#ifndef KIOSK_CORE_FEED_INTERNAL_H
#define KIOSK_CORE_FEED_INTERNAL_H

#include "feed.h"

#include <jansson.h>

struct reader {
    struct kiosk_table *t; /* the source's own table */
    struct kiosk_diags *d;
    const char *file;
    const char *group; /* label given with the source, or NULL */
    const struct kiosk_read_options *opt;
    struct kiosk_source_summary *summary;
    size_t errors_at_start;
};

static inline bool rd_failed(const struct reader *r)
{
    return r->d->errors > r->errors_at_start;
}

/* A JSON path as a chain of stack frames, formatted only when a message needs it: reading
 * 3,400 units must not cost 100,000 snprintf calls for paths nobody sees. NULL is the top. */
struct jpath {
    const struct jpath *up;
    const char *key; /* object member, or NULL for an array element */
    size_t index;
};
#define JK(up_, key_) (&(const struct jpath){.up = (up_), .key = (key_)})
#define JI(up_, index_) (&(const struct jpath){.up = (up_), .index = (index_)})

/* Formats p as periods[0].units[17].groups.CKMB into buf; returns buf. */
const char *jpath_format(const struct jpath *p, char *buf, size_t size);

void rd_error(struct reader *r, const struct jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rd_warn(struct reader *r, const struct jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A short description of a JSON value for messages: a number (19.5), a string ("x"),
 * an object, ... */
const char *rd_describe(const json_t *v, char *buf, size_t size);

/* String field: returns 1 and sets *out when present, 0 when absent or null (an error if
 * required), -1 after reporting a wrong type, an empty value, a NUL or an over-long text. */
int rd_string(struct reader *r, json_t *obj, const char *key, const struct jpath *at, bool required,
              const char **out);
/* Number field: *out = the value, or NAN when absent or null. Returns 0, or -1 after
 * reporting a wrong type. */
int rd_number(struct reader *r, json_t *obj, const char *key, const struct jpath *at, double *out);
/* Interns a text into the reader's table; KIOSK_NONE only when out of memory (reported). */
uint32_t rd_intern(struct reader *r, const char *s);

/* Sets the source table's framework to a copy of fw; 0 or KIOSK_ENOMEM. */
int rd_use_framework(struct reader *r, const struct kiosk_framework *fw);

/* Checks a score against [0, max] with the display tolerance; reports and returns -1. */
int rd_check_score(struct reader *r, const struct jpath *at, double v, double max);

/* The readers proper. The native reader streams; the portal reader takes a whole root. */
struct native_reader;
struct native_reader *native_reader_new(struct reader *r);
/* The stream callback for elements of "periods". */
int native_on_period(void *ctx, size_t index, json_t *item, const char **why);
void native_set_stream(struct native_reader *n, struct kiosk_json_stream *s);
/* Finishes a native document (root without the streamed periods). */
int native_finish(struct native_reader *n, json_t *root);
void native_reader_free(struct native_reader *n);

int portal_read(struct reader *r, json_t *root);

#endif
