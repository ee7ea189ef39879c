/* Bounded, streaming JSON reading.
 *
 * yajl parses the bytes as they arrive; the values are built as jansson values. One key of
 * the top-level object (e.g. "periods") can be streamed: each element of that array is
 * handed to a callback as soon as it is complete and freed afterwards, so a 32 MB document
 * of 52 weeks never sits in memory as a whole. Everything else is kept in the root object.
 *
 * Limits protect a small board: document size, nesting depth, string length, elements in
 * any one array. Errors carry the line and column (in characters) where parsing stopped. */
#ifndef KIOSK_CORE_JSONSTREAM_H
#define KIOSK_CORE_JSONSTREAM_H

#include <jansson.h>
#include <stddef.h>

struct kiosk_json_limits {
    size_t max_bytes;  /* whole document */
    size_t max_depth;  /* nesting of arrays and objects */
    size_t max_string; /* bytes in one string or key */
    size_t max_array;  /* elements in one array (the streamed one included) */
};

#define KIOSK_DEFAULT_MAX_BYTES ((size_t)16 * 1024 * 1024)
/* The defaults: 16 MiB, depth 32, 64 KiB strings, 200,000 elements per array. */
extern const struct kiosk_json_limits kiosk_json_default_limits;

/* Called for each element of the streamed array. `item` is borrowed: valid only during the
 * call (take a reference with json_incref to keep it). Return 0 to go on, non-zero to stop
 * the parse (the callback should then explain why through *why, a static or caller-owned
 * string that stays valid until kiosk_json_stream_free). */
typedef int (*kiosk_json_item_fn)(void *ctx, size_t index, json_t *item, const char **why);

struct kiosk_json_stream;

/* Creates a parser. stream_key may be NULL (nothing streamed). Returns NULL on no memory. */
struct kiosk_json_stream *kiosk_json_stream_new(const struct kiosk_json_limits *limits,
                                                const char *stream_key, kiosk_json_item_fn on_item,
                                                void *ctx);

/* Feeds the next bytes. Returns 0, or KIOSK_ESYNTAX / KIOSK_ELIMIT / KIOSK_ENOMEM /
 * KIOSK_ESCHEMA (the callback stopped); after an error kiosk_json_stream_error() tells. */
int kiosk_json_stream_feed(struct kiosk_json_stream *s, const void *buf, size_t len);

/* Ends the document. On success *root receives the top-level value (caller owns it,
 * json_decref); the streamed array, if any, is left in it as an empty array. */
int kiosk_json_stream_finish(struct kiosk_json_stream *s, json_t **root);

/* The error text and its position (1-based line and column; 0 when not known). The text
 * stays valid until the stream is freed. */
const char *kiosk_json_stream_error(const struct kiosk_json_stream *s, int *line, int *column);

/* The JSON path where parsing stopped (periods[0].units[3].name), or NULL. */
const char *kiosk_json_stream_error_path(const struct kiosk_json_stream *s);

/* The top-level object while it is being built (borrowed; NULL before the first key or
 * when the top level is not an object). Lets a streaming callback look at fields that came
 * before the streamed array. */
json_t *kiosk_json_stream_peek_root(const struct kiosk_json_stream *s);

/* Bytes fed so far. */
size_t kiosk_json_stream_bytes(const struct kiosk_json_stream *s);

void kiosk_json_stream_free(struct kiosk_json_stream *s);

#endif
