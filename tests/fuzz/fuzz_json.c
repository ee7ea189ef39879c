/* libFuzzer target: the streaming JSON reader, the document fed in chunks of a size the
 * input picks (1 to 64 bytes), so every token is split somewhere across runs; the
 * "periods" array handed out item by item, the rest kept.
 * Seeds: every JSON fixture (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "core/feed.h"
#include "core/jsonstream.h"

static int count_item(void *ctx, size_t index, json_t *item, const char **why)
{
    (void)item;
    (void)why;
    *(size_t *)ctx = index + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = 1 << 20;
    size_t chunk = fuzz_param(data, size, 64) + 1, items = 0;
    struct kiosk_json_stream *js = kiosk_json_stream_new(&o.limits, "periods", count_item, &items);
    int rc = 0;
    for (size_t off = 0; js && off < size && !rc; off += chunk)
        rc = kiosk_json_stream_feed(js, data + off, size - off < chunk ? size - off : chunk);
    json_t *root = NULL;
    if (js && !rc && kiosk_json_stream_finish(js, &root) == 0)
        json_decref(root);
    kiosk_json_stream_free(js);
    return 0;
}
