/* The history store: deltas and streaks from a feed that carries only the newest week,
 * across restarts; the feed wins over the store; a broken store is set aside, never fatal. */
#include "helpers.h"

#include "core/history.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
    char dir[256];
    char db[300];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (make_temp_dir(f->dir, sizeof f->dir, "history"))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/%s", f->dir, KIOSK_HISTORY_FILE);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = remove_tree(f->dir);
    free(f);
    return rc;
}

/* One run of the kiosk on one weekly file: read, load history, save, score. */
static struct kiosk_snapshot *run_week(const char *db, const char *week, struct kiosk_diags *d)
{
    char path[512];
    snprintf(path, sizeof path, KIOSK_FIXTURES "/weekly/%s.json", week);
    struct kiosk_table t = {0};
    assert_int_equal(read_source(&t, path, NULL, d, NULL), 0);
    struct kiosk_history *h = NULL;
    assert_int_equal(kiosk_history_open(db, &h, d), 0);
    assert_int_equal(kiosk_history_load(h, &t, d), 0);
    assert_int_equal(kiosk_history_save(h, &t, d), 0);
    kiosk_history_close(h);
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    return s;
}

static void test_weekly_feeds_build_up_streaks_across_restarts(void **state)
{
    struct fixture *f = *state;
    struct kiosk_diags d = {0};
    struct kiosk_snapshot *s = NULL;
    for (int w = 27; w <= 40; w++) {
        char week[16];
        snprintf(week, sizeof week, "2025-W%d", w);
        kiosk_snapshot_unref(s);
        s = run_week(f->db, week, &d);
        assert_int_equal(s->history_periods, (size_t)(w - 26));
    }
    assert_int_equal(d.count, 0);
    /* the same story as the whole demo feed, from one week at a time */
    const struct kiosk_unit_score *bn = unit(s, "H16");
    assert_int_equal(CENTS(bn->total), 9170);
    assert_int_equal(bn->lead_streak, 4);
    assert_int_equal(CENTS(bn->delta), 221);
    assert_int_equal(bn->best_gain, 1);
    assert_string_equal(bn->since, "2025-W27");
    assert_int_equal(CENTS(bn->groups[group(s, "MDSH")].delta), 207);
    assert_string_equal(s->insights[1].text,
                        "Tăng 2,21 điểm so với tuần trước, mức tăng cao nhất từ tuần 27/2025");
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

static void test_feed_wins_over_the_store_for_the_same_period(void **state)
{
    struct fixture *f = *state;
    struct kiosk_diags d = {0};
    kiosk_snapshot_unref(run_week(f->db, "2025-W39", &d));
    kiosk_snapshot_unref(run_week(f->db, "2025-W40", &d));
    /* a corrected W40 arrives: Bắc Ninh's MDSH revised down by 1 */
    size_t len;
    char *buf = read_file(KIOSK_FIXTURES "/weekly/2025-W40.json", &len);
    char *at = strstr(buf, "\"H16\"");
    assert_non_null(at);
    char *mdsh = strstr(at, "\"MDSH\": 20.78");
    assert_non_null(mdsh);
    memcpy(mdsh, "\"MDSH\": 19.78", 13);
    struct kiosk_table t = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    assert_int_equal(kiosk_feed_read_buffer(&t, "corrected", NULL, buf, len, &o, &d, NULL), 0);
    struct kiosk_history *h = NULL;
    assert_int_equal(kiosk_history_open(f->db, &h, &d), 0);
    assert_int_equal(kiosk_history_load(h, &t, &d), 0);
    assert_int_equal(t.n_periods, 2);
    assert_int_equal(kiosk_history_save(h, &t, &d), 0);
    assert_int_equal(kiosk_history_count(h), 2);
    kiosk_history_close(h);
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    assert_int_equal(CENTS(unit(s, "H16")->total), 9070);
    kiosk_snapshot_unref(s);
    /* and the store now holds the correction */
    s = run_week(f->db, "2025-W39", &d);
    assert_int_equal(s->history_periods, 2);
    assert_string_equal(s->period->id, "2025-W40");
    assert_int_equal(CENTS(unit(s, "H16")->total), 9070);
    kiosk_snapshot_unref(s);
    free(buf);
    kiosk_diags_free(&d);
}

static void test_a_file_that_is_not_a_database_is_set_aside(void **state)
{
    struct fixture *f = *state;
    FILE *fp = fopen(f->db, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 512; i++)
        fputs("this is not sqlite ", fp);
    fclose(fp);
    struct kiosk_diags d = {0};
    struct kiosk_snapshot *s = run_week(f->db, "2025-W40", &d);
    assert_int_equal(s->history_periods, 1);
    assert_int_equal(d.errors, 0);
    assert_true(diags_have(&d, "warning", "is not a valid database", "moved aside to", NULL));
    kiosk_snapshot_unref(s);
    /* the new store works */
    s = run_week(f->db, "2025-W39", &d);
    assert_int_equal(s->history_periods, 2);
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

static void test_a_corrupt_period_row_is_set_aside_not_fatal(void **state)
{
    struct fixture *f = *state;
    struct kiosk_diags d = {0};
    kiosk_snapshot_unref(run_week(f->db, "2025-W39", &d));
    /* damage the row: the blob no longer matches its entry count */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE period SET entries = x'00112233' WHERE id='2025-W39'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_close(db);
    struct kiosk_snapshot *s = run_week(f->db, "2025-W40", &d);
    assert_int_equal(s->history_periods, 1); /* W39 is lost, W40 is shown */
    assert_true(diags_have(&d, "holds a period that does not decode", "moved aside", NULL));
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

/* The bytes and the modification time of a file; size -1 when it is absent. */
struct file_state {
    char *bytes;
    size_t size;
    struct timespec mtime;
    bool exists;
};

static struct file_state file_state(const char *path)
{
    struct file_state fs = {0};
    struct stat st;
    if (stat(path, &st) != 0)
        return fs;
    fs.exists = true;
    fs.mtime = st.st_mtim;
    fs.bytes = read_file(path, &fs.size);
    return fs;
}

static bool same_file(const struct file_state *a, const struct file_state *b)
{
    return a->exists == b->exists && a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec &&
           (!a->exists || memcmp(a->bytes, b->bytes, a->size) == 0);
}

/* What wears an SD card: a start (or a poll) with nothing new must write nothing, and a
 * new week only that week. */
static void test_only_changed_periods_are_written(void **state)
{
    struct fixture *f = *state;
    struct kiosk_diags d = {0};
    char wal[320];
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    const char *demo = KIOSK_SOURCE_DIR "/kiosk/data/demo/demo-vn766.json";
    struct kiosk_table t = {0};
    struct kiosk_history *h = NULL;
    assert_int_equal(read_source(&t, demo, NULL, &d, NULL), 0);
    size_t periods = t.n_periods;
    assert_true(periods > 5);
    assert_int_equal(kiosk_history_open(f->db, &h, &d), 0);
    assert_int_equal(kiosk_history_load(h, &t, &d), 0);
    assert_int_equal(kiosk_history_save(h, &t, &d), 0);
    assert_int_equal(kiosk_history_written(h), (long)periods);
    kiosk_history_close(h);
    kiosk_table_free(&t);
    struct file_state before = file_state(f->db), before_wal = file_state(wal);
    assert_true(before.exists);

    /* a restart on the same feed: nothing written, not a byte, not a WAL */
    for (int start = 0; start < 3; start++) {
        memset(&t, 0, sizeof t);
        assert_int_equal(read_source(&t, demo, NULL, &d, NULL), 0);
        assert_int_equal(kiosk_history_open(f->db, &h, &d), 0);
        assert_int_equal(kiosk_history_load(h, &t, &d), 0);
        assert_int_equal(kiosk_history_save(h, &t, &d), 0);
        assert_int_equal(kiosk_history_written(h), 0);
        kiosk_history_close(h);
        kiosk_table_free(&t);
    }
    struct file_state after = file_state(f->db), after_wal = file_state(wal);
    assert_true(same_file(&before, &after));
    assert_true(same_file(&before_wal, &after_wal));
    assert_int_equal(d.count, 0);

    /* a week that is new: that week is written, the others are not */
    memset(&t, 0, sizeof t);
    size_t len;
    char *buf = read_file(KIOSK_FIXTURES "/weekly/2025-W40.json", &len);
    char *mdsh = strstr(strstr(buf, "\"H16\""), "\"MDSH\": 20.78");
    assert_non_null(mdsh);
    memcpy(mdsh, "\"MDSH\": 19.78", 13); /* a corrected week 40 */
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    assert_int_equal(kiosk_feed_read_buffer(&t, "corrected", NULL, buf, len, &o, &d, NULL), 0);
    free(buf);
    assert_int_equal(kiosk_history_open(f->db, &h, &d), 0);
    assert_int_equal(kiosk_history_load(h, &t, &d), 0);
    assert_int_equal(kiosk_history_save(h, &t, &d), 0);
    assert_int_equal(kiosk_history_written(h), 1);
    assert_int_equal(kiosk_history_count(h), (long)periods);
    kiosk_history_close(h);
    kiosk_table_free(&t);
    free(before.bytes);
    free(after.bytes);
    free(before_wal.bytes);
    free(after_wal.bytes);
    kiosk_diags_free(&d);
}

static void test_an_unwritable_store_is_reported(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    struct kiosk_history *h = NULL;
    assert_int_equal(kiosk_history_open("/proc/kiosk-no-such-dir/history.sqlite", &h, &d),
                     KIOSK_ESTORE);
    assert_null(h);
    assert_true(diags_have(&d, "history store", NULL));
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_weekly_feeds_build_up_streaks_across_restarts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_feed_wins_over_the_store_for_the_same_period, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_file_that_is_not_a_database_is_set_aside, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_corrupt_period_row_is_set_aside_not_fatal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_only_changed_periods_are_written, setup, teardown),
        cmocka_unit_test(test_an_unwritable_store_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
