/* libFuzzer target: any bytes as a national portal response (service-results or a
 * per-group endpoint), unlabelled (the group told from the content) and labelled, for a
 * period the input picks, merged into one table and scored.
 * Seeds: tests/fixtures/portal (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "core/feed.h"
#include "core/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const periods[] = {"2026-08", "2026-W35", "2026-Q3", "2026"};
    static const char *const groups[] = {"CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = 1 << 20;
    o.period = periods[fuzz_param(data, size, 4)];
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    int a = kiosk_feed_read_buffer(&t, "fuzz", NULL, data, size, &o, &d, NULL);
    int b = kiosk_feed_read_buffer(&t, "fuzz", groups[fuzz_param(data, size, 6)], data, size, &o,
                                   &d, NULL);
    if (a == 0 || b == 0) {
        struct kiosk_snapshot *s = NULL;
        struct kiosk_score_options so;
        kiosk_score_options_init(&so);
        if (kiosk_score(&t, &so, &s) == 0)
            kiosk_snapshot_unref(s);
    }
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
    return 0;
}
