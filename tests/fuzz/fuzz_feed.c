/* libFuzzer target: any bytes as a kiosk-scores feed, read whole into a table and scored
 * when accepted, in either language. Nothing may crash, leak or run away.
 * Seeds: tests/fixtures/weekly, tests/fixtures/bad, kiosk/data/demo (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "core/feed.h"
#include "core/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = 1 << 20;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    if (kiosk_feed_read_buffer(&t, "fuzz", NULL, data, size, &o, &d, NULL) == 0) {
        struct kiosk_snapshot *s = NULL;
        struct kiosk_score_options so;
        kiosk_score_options_init(&so);
        so.lang = fuzz_param(data, size, 2) ? KIOSK_LANG_CODE_EN : KIOSK_LANG_CODE_VI;
        so.threshold = 80;
        if (kiosk_score(&t, &so, &s) == 0)
            kiosk_snapshot_unref(s);
    }
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
    return 0;
}
