/* The data's age and state, computed once for the screen, the plugins and status.json; and
 * the production time the scoring falls back on. */
#include "helpers.h"

#include "core/freshness.h"

#include <string.h>

#define HOUR 3600

static struct kiosk_snapshot *produced_at(int64_t t)
{
    static struct kiosk_snapshot s;
    memset(&s, 0, sizeof s);
    s.produced_unix = t;
    return &s;
}

static void test_no_snapshot_is_no_data_not_stale(void **state)
{
    (void)state;
    struct kiosk_freshness f = kiosk_data_freshness(NULL, 1000000);
    assert_int_equal(f.state, KIOSK_DATA_NONE);
    assert_true(isnan(f.age_s));
    assert_string_equal(kiosk_data_state_name(f.state), "none");
}

/* Week 40 of 2025: Monday 29 September to Sunday 5 October. */
static struct kiosk_snapshot *week40(int64_t produced)
{
    static struct kiosk_period p;
    struct kiosk_snapshot *s = produced_at(produced);
    int32_t start, end;
    assert_int_equal(kiosk_date_parse("2025-09-29", &start), 0);
    assert_int_equal(kiosk_date_parse("2025-10-05", &end), 0);
    p.start = start;
    p.end = end;
    s->period = &p;
    return s;
}

/* Weekly data a few days old is what a Wednesday looks like: fresh. Stale only once the
 * next week is overdue: its end (12 October) and a day of grace, i.e. 8 days after the
 * end of week 40. */
static void test_stale_follows_the_cadence(void **state)
{
    (void)state;
    int64_t produced = 1759662000;            /* 2025-10-05T11:00Z */
    int64_t wednesday = 1759924800;           /* 2025-10-08T12:00Z */
    int64_t due = 1759708800 + 8 * 24 * HOUR; /* 2025-10-06T00Z + 8 days */
    struct kiosk_freshness f = kiosk_data_freshness(week40(produced), wednesday);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(f.age_s > 48 * HOUR); /* older than the old fixed limit, and fresh */
    assert_int_equal(f.next_due_unix, due);
    f = kiosk_data_freshness(week40(produced), f.next_due_unix);
    assert_int_equal(f.state, KIOSK_DATA_FRESH); /* exactly at the limit is not past it */
    f = kiosk_data_freshness(week40(produced), f.next_due_unix + 1);
    assert_int_equal(f.state, KIOSK_DATA_STALE);
    assert_string_equal(kiosk_data_state_name(f.state), "stale");
}

/* A month gets a longer grace than a week; a year longer still. */
static void test_longer_periods_longer_grace(void **state)
{
    (void)state;
    int32_t s, e;
    assert_int_equal(kiosk_date_parse("2025-09-01", &s), 0);
    assert_int_equal(kiosk_date_parse("2025-09-30", &e), 0);
    /* end + 30 days + 30/7 days */
    assert_int_equal(kiosk_period_due_unix(s, e),
                     ((int64_t)e + 1 + 30) * 24 * HOUR + 30 * 24 * HOUR / 7);
    assert_int_equal(kiosk_period_due_unix(e, e), ((int64_t)e + 2) * 24 * HOUR + 24 * HOUR);
}

/* Sources failing is its own mark, with the configured limit. */
static void test_sources_failing_against_the_limit(void **state)
{
    (void)state;
    assert_false(kiosk_sources_failing(0, 48));
    assert_false(kiosk_sources_failing(48 * HOUR, 48));
    assert_true(kiosk_sources_failing(48 * HOUR + 1, 48));
    assert_false(kiosk_sources_failing(400 * 24 * HOUR, 0)); /* 0: never */
    assert_true(kiosk_sources_failing(31 * 60, 0.5));
}

static void test_unknown_age_and_clock_behind_are_fresh(void **state)
{
    (void)state;
    int64_t now = 1759662000;
    struct kiosk_freshness f = kiosk_data_freshness(produced_at(0), now);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(isnan(f.age_s));
    f = kiosk_data_freshness(produced_at(now + 600), now); /* clock not set yet */
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(f.age_s == -600);
}

#define FEED(generated)                                                                            \
    "{\"format\":\"kiosk-scores\",\"version\":1," generated "\"periods\":[{\"id\":\"2025-W40\","   \
    "\"label\":\"Tuần 40/2025\",\"start\":\"2025-09-29\",\"end\":\"2025-10-05\",\"units\":[{"    \
    "\"id\":\"H01\",\"name\":\"Hà Nội\",\"kind\":\"province\",\"groups\":{\"CKMB\":10}}]}]}"

/* The feed's generated_at wins; without it, the fetch time the caller gives the scoring. */
static void test_production_time_falls_back_on_the_fetch_time(void **state)
{
    (void)state;
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.fetched_unix = 1759700000;
    struct kiosk_snapshot *s = score_text(FEED(""), &o);
    assert_int_equal(s->produced_unix, 1759700000);
    kiosk_snapshot_unref(s);
    s = score_text(FEED("\"generated_at\":\"2025-10-05T18:00:00+07:00\","), &o);
    assert_int_equal(s->produced_unix, 1759662000);
    kiosk_snapshot_unref(s);
    s = score_text(FEED(""), NULL);
    assert_int_equal(s->produced_unix, 0);
    assert_true(isnan(kiosk_data_freshness(s, 1759700000).age_s));
    kiosk_snapshot_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_snapshot_is_no_data_not_stale),
        cmocka_unit_test(test_stale_follows_the_cadence),
        cmocka_unit_test(test_longer_periods_longer_grace),
        cmocka_unit_test(test_sources_failing_against_the_limit),
        cmocka_unit_test(test_unknown_age_and_clock_behind_are_fresh),
        cmocka_unit_test(test_production_time_falls_back_on_the_fetch_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
