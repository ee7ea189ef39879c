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
    struct kiosk_freshness f = kiosk_data_freshness(NULL, 1000000, 48);
    assert_int_equal(f.state, KIOSK_DATA_NONE);
    assert_true(isnan(f.age_s));
    assert_string_equal(kiosk_data_state_name(f.state), "none");
}

static void test_age_against_the_limit(void **state)
{
    (void)state;
    int64_t now = 1759662000; /* 2025-10-05T11:00:00Z */
    struct kiosk_freshness f = kiosk_data_freshness(produced_at(now - 90), now, 48);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(f.age_s == 90);
    /* exactly at the limit is not yet past it */
    f = kiosk_data_freshness(produced_at(now - 48 * HOUR), now, 48);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    f = kiosk_data_freshness(produced_at(now - 48 * HOUR - 1), now, 48);
    assert_int_equal(f.state, KIOSK_DATA_STALE);
    assert_true(f.age_s == 48 * HOUR + 1);
    assert_string_equal(kiosk_data_state_name(f.state), "stale");
    /* fractions of an hour */
    f = kiosk_data_freshness(produced_at(now - 31 * 60), now, 0.5);
    assert_int_equal(f.state, KIOSK_DATA_STALE);
}

static void test_zero_limit_is_never_stale(void **state)
{
    (void)state;
    int64_t now = 1759662000;
    struct kiosk_freshness f = kiosk_data_freshness(produced_at(now - 400 * 24 * HOUR), now, 0);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(f.age_s == 400 * 24 * HOUR);
}

static void test_unknown_age_and_clock_behind_are_fresh(void **state)
{
    (void)state;
    int64_t now = 1759662000;
    struct kiosk_freshness f = kiosk_data_freshness(produced_at(0), now, 48);
    assert_int_equal(f.state, KIOSK_DATA_FRESH);
    assert_true(isnan(f.age_s));
    f = kiosk_data_freshness(produced_at(now + 600), now, 48); /* clock not set yet */
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
    assert_true(isnan(kiosk_data_freshness(s, 1759700000, 48).age_s));
    kiosk_snapshot_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_snapshot_is_no_data_not_stale),
        cmocka_unit_test(test_age_against_the_limit),
        cmocka_unit_test(test_zero_limit_is_never_stale),
        cmocka_unit_test(test_unknown_age_and_clock_behind_are_fresh),
        cmocka_unit_test(test_production_time_falls_back_on_the_fetch_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
