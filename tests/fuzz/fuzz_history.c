/* libFuzzer target: the history store's period blob. A real store is made once from a
 * weekly feed (two periods); each input replaces the newest period's blob (its record
 * count follows from the input's size, so a length that does not divide is tried too),
 * the store is loaded into a table with the feed's framework and the table scored. A
 * blob that does not hold together must be refused, never read out of bounds.
 * Seeds: tests/fuzz/seeds/history (real blobs, tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "core/feed.h"
#include "core/history.h"
#include "core/score.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef KIOSK_SOURCE_DIR
#error "KIOSK_SOURCE_DIR: the repository, for the weekly feeds"
#endif

#define STRIDE (32 + 8 * 6) /* a record with the six vn-766 groups */

static char path[96];
static struct kiosk_framework fw;

static void make_store(void)
{
    char dir[] = "/tmp/kiosk-fuzz-history-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof path, "%s/history.sqlite", dir);
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_history *h = NULL;
    struct kiosk_source_spec spec;
    const char *feeds[] = {KIOSK_SOURCE_DIR "/tests/fixtures/weekly/2025-W39.json",
                           KIOSK_SOURCE_DIR "/tests/fixtures/weekly/2025-W40.json"};
    for (int i = 0; i < 2; i++)
        if (kiosk_source_parse(feeds[i], &spec, &d) ||
            kiosk_feed_read_source(&t, &spec, &o, &d, NULL))
            abort();
    if (kiosk_history_open(path, &h, &d) || kiosk_history_save(h, &t, &d))
        abort();
    kiosk_history_close(h);
    if (kiosk_framework_copy(&fw, &t.fw))
        abort();
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0])
        make_store();
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE period SET entries = ?, n_entries = ? WHERE id = '2025-W40'",
                           -1, &st, NULL) != SQLITE_OK)
        abort();
    sqlite3_bind_blob(st, 1, size ? data : (const void *)"", (int)size, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)((size + STRIDE - 1) / STRIDE));
    if (sqlite3_step(st) != SQLITE_DONE)
        abort();
    sqlite3_finalize(st);
    sqlite3_close(db);

    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_history *h = NULL;
    if (kiosk_framework_copy(&t.fw, &fw))
        abort();
    t.has_framework = true;
    if (kiosk_history_open(path, &h, &d) == 0 && kiosk_history_load(h, &t, &d) == 0 &&
        t.n_periods) {
        struct kiosk_snapshot *s = NULL;
        struct kiosk_score_options so;
        kiosk_score_options_init(&so);
        if (kiosk_score(&t, &so, &s) == 0)
            kiosk_snapshot_unref(s);
    }
    kiosk_history_close(h);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
    return 0;
}
