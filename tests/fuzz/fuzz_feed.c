/* libFuzzer target: any bytes as a feed document. Nothing may crash, leak or run away.
 *  1. the bytes through the JSON stream in chunks whose size the input chooses, so every
 *     token is split somewhere across runs;
 *  2. the bytes as a whole document into a table, twice (the second read, labelled as a
 *     portal group, merges into the first), then scored when accepted.
 * Build with the fuzz preset; run: build/fuzz/tests/fuzz_feed CORPUS_DIR */
#include "core/feed.h"
#include "core/jsonstream.h"
#include "core/score.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_item(void *ctx, size_t index, json_t *item, const char **why)
{
    (void)item;
    (void)why;
    *(size_t *)ctx = index + 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t chunk = (size_t)data[0] + 1;
    static const char *const periods[] = {NULL, "2026-08", "2026-W35", "bogus"};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.period = periods[data[1] % 4];
    o.limits.max_bytes = 1 << 20;
    data += 2;
    size -= 2;

    size_t items = 0;
    struct kiosk_json_stream *js = kiosk_json_stream_new(&o.limits, "periods", count_item, &items);
    int rc = 0;
    for (size_t off = 0; js && off < size && !rc; off += chunk)
        rc = kiosk_json_stream_feed(js, data + off, size - off < chunk ? size - off : chunk);
    json_t *root = NULL;
    if (js && !rc && kiosk_json_stream_finish(js, &root) == 0)
        json_decref(root);
    kiosk_json_stream_free(js);

    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    kiosk_feed_read_buffer(&t, "fuzz", NULL, data, size, &o, &d, NULL);
    kiosk_feed_read_buffer(&t, "fuzz", "CKMB", data, size, &o, &d, NULL);
    struct kiosk_snapshot *s = NULL;
    struct kiosk_score_options so;
    kiosk_score_options_init(&so);
    so.lang = chunk % 2 ? KIOSK_LANG_CODE_EN : KIOSK_LANG_CODE_VI;
    so.threshold = 80;
    if (kiosk_score(&t, &so, &s) == 0)
        kiosk_snapshot_unref(s);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
    return 0;
}
