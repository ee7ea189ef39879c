/* The screen's working hours under a fake clock: a week in a moment, the display's power
 * calls recorded by a stand-in for CEC and the black screen. */
#include "helpers.h"

#include "config/config.h"
#include "config/schedule.h"
#include "screen/power.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Local time in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) */
static time_t at(int y, int mo, int d, int h, int mi)
{
    struct tm t = {.tm_year = y - 1900,
                   .tm_mon = mo - 1,
                   .tm_mday = d,
                   .tm_hour = h,
                   .tm_min = mi,
                   .tm_isdst = -1};
    return mktime(&t);
}

struct recorder {
    int calls;
    bool last;
    time_t when[64];
    bool what[64];
    time_t now;
};

static int record(void *ctx, bool on)
{
    struct recorder *r = ctx;
    if (r->calls < 64) {
        r->when[r->calls] = r->now;
        r->what[r->calls] = on;
    }
    r->calls++;
    r->last = on;
    return 0;
}

static int fails(void *ctx, bool on)
{
    (void)ctx;
    (void)on;
    return -1; /* a TV without CEC: the others still act */
}

static void office_hours(struct kiosk_schedule *s)
{
    char why[256];
    memset(s, 0, sizeof *s);
    for (int d = 0; d < 5; d++)
        assert_int_equal(kiosk_schedule_set_day(s, d, "07:00-17:30", why, sizeof why), 0);
    assert_int_equal(kiosk_schedule_set_day(s, 5, "07:00-11:30", why, sizeof why), 0);
    assert_int_equal(kiosk_schedule_set_day(s, 6, "off", why, sizeof why), 0);
    assert_int_equal(kiosk_schedule_add_holiday(s, "2026-09-02"), 0); /* National Day */
}

static void test_a_week_of_office_hours_powers_the_display_down_and_up(void **state)
{
    (void)state;
    struct kiosk_schedule s;
    office_hours(&s);
    struct recorder rec = {0};
    struct kiosk_display_power out[] = {{fails, NULL}, {record, &rec}};
    struct kiosk_power_ctl ctl = {.schedule = &s, .outputs = out, .n_outputs = 2};
    /* Monday 2026-08-31 00:00 to Monday 2026-09-07 00:00, a minute at a time */
    time_t t0 = at(2026, 8, 31, 0, 0), t1 = at(2026, 9, 7, 0, 0);
    for (time_t t = t0; t < t1; t += 60) {
        rec.now = t;
        kiosk_power_update(&ctl, t, true);
    }
    /* off at midnight (first call), then on/off: Mon, Tue, (Wed is a holiday), Thu, Fri,
     * Sat morning: five days, two calls each */
    assert_int_equal(rec.calls, 1 + 2 * 5);
    assert_false(rec.what[0]);
    time_t expect[] = {at(2026, 8, 31, 7, 0),  at(2026, 8, 31, 17, 30), at(2026, 9, 1, 7, 0),
                       at(2026, 9, 1, 17, 30), at(2026, 9, 3, 7, 0),    at(2026, 9, 3, 17, 30),
                       at(2026, 9, 4, 7, 0),   at(2026, 9, 4, 17, 30),  at(2026, 9, 5, 7, 0),
                       at(2026, 9, 5, 11, 30)};
    for (int i = 0; i < 10; i++) {
        assert_int_equal(rec.when[i + 1], expect[i]);
        assert_int_equal(rec.what[i + 1], i % 2 == 0);
    }
}

static void test_an_unsynchronised_clock_keeps_the_screen_on(void **state)
{
    (void)state;
    struct kiosk_schedule s;
    office_hours(&s);
    struct recorder rec = {0};
    struct kiosk_display_power out[] = {{record, &rec}};
    struct kiosk_power_ctl ctl = {.schedule = &s, .outputs = out, .n_outputs = 1};
    time_t sunday = at(2026, 9, 6, 12, 0);
    assert_true(kiosk_power_update(&ctl, sunday, false)); /* not trusted: on */
    assert_false(ctl.trust_clock);
    assert_false(kiosk_power_update(&ctl, sunday, true)); /* synchronised: Sunday, off */
    assert_int_equal(rec.calls, 2);
}

static void test_next_change_and_no_schedule(void **state)
{
    (void)state;
    struct kiosk_schedule s;
    office_hours(&s);
    assert_int_equal(kiosk_schedule_next_change(&s, at(2026, 8, 31, 6, 59)), 60);
    assert_int_equal(kiosk_schedule_next_change(&s, at(2026, 8, 31, 12, 0)), 5 * 3600 + 1800);
    /* Saturday 11:30 -> Monday 07:00 */
    assert_int_equal(kiosk_schedule_next_change(&s, at(2026, 9, 5, 11, 30)),
                     (long)(at(2026, 9, 7, 7, 0) - at(2026, 9, 5, 11, 30)));
    struct kiosk_schedule none = {0};
    struct tm t;
    time_t now = at(2026, 9, 6, 3, 0);
    localtime_r(&now, &t);
    assert_true(kiosk_schedule_on(&none, &t));
    assert_int_equal(kiosk_schedule_next_change(&none, now), 0);
}

static void test_spans_and_their_mistakes(void **state)
{
    (void)state;
    struct kiosk_schedule s = {0};
    char why[256];
    assert_int_equal(kiosk_schedule_set_day(&s, 0, "07:00-11:30, 13:30-24:00", why, sizeof why), 0);
    assert_int_equal(s.day[0].n, 2);
    assert_int_equal(s.day[0].to[1], 24 * 60);
    const char *bad[] = {"7-17", "17:30-07:00", "07:00-25:00", "07:00", "07:60-08:00", "always"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(kiosk_schedule_set_day(&s, 1, bad[i], why, sizeof why), -1);
        assert_non_null(strstr(why, "expected HH:MM-HH:MM"));
    }
    assert_int_equal(kiosk_schedule_add_holiday(&s, "2026-02-30"), -1);
}

static void test_the_config_section(void **state)
{
    (void)state;
    char path[] = "/tmp/kiosk-sched-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("[schedule]\nweekdays = 07:00-17:30\nsat = 07:00-11:30\nsun = off\n"
          "holiday = 2026-09-02\n",
          f);
    fclose(f);
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load(path, &c, &d), 0);
    assert_true(c.schedule.configured);
    assert_int_equal(c.schedule.day[4].from[0], 7 * 60);
    assert_int_equal(c.schedule.day[5].to[0], 11 * 60 + 30);
    assert_int_equal(c.schedule.day[6].n, 0);
    assert_int_equal(c.schedule.n_holidays, 1);
    kiosk_config_free(&c);
    f = fopen(path, "w");
    fputs("[schedule]\nmon = 7 to 5\n", f);
    fclose(f);
    assert_int_not_equal(kiosk_config_load(path, &c, &d), 0);
    assert_true(diags_have(&d, ":2: [schedule] mon: expected HH:MM-HH:MM", NULL));
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    remove(path);
}

static void test_the_pixel_shift_stays_small_and_moves(void **state)
{
    (void)state;
    int seen = 0, last_dx = 99, last_dy = 99;
    for (time_t t = 0; t < 8 * 600; t += 600) {
        int dx, dy;
        kiosk_pixel_shift(t, 1920, 1080, &dx, &dy);
        assert_true(abs(dx) <= 4 && abs(dy) <= 3);
        if (dx != last_dx || dy != last_dy)
            seen++;
        last_dx = dx;
        last_dy = dy;
    }
    assert_int_equal(seen, 8); /* a new position every ten minutes */
}

/* a slide's days, hours and dates ([slide.NAME] days, hours, from, until) */
static void slide_schedules_read_lists_ranges_and_dates(void **state)
{
    (void)state;
    char why[256];
    struct kiosk_when w;
    memset(&w, 0, sizeof w);
    assert_false(kiosk_when_set(&w));
    assert_int_equal(kiosk_when_set_days(&w, "mon,wed,fri", why, sizeof why), 0);
    assert_int_equal(w.days, 1 | 4 | 16);
    assert_int_equal(kiosk_when_set_days(&w, "fri-mon", why, sizeof why), 0); /* round */
    assert_int_equal(w.days, 16 | 32 | 64 | 1);
    assert_int_equal(kiosk_when_set_days(&w, "mon-wed, sat", why, sizeof why), 0);
    assert_int_equal(w.days, 1 | 2 | 4 | 32);
    assert_int_equal(kiosk_when_set_days(&w, "monday", why, sizeof why), -1);
    assert_non_null(strstr(why, "found \"monday\""));
    assert_int_equal(kiosk_when_set_days(&w, "mon-", why, sizeof why), -1);
    assert_int_equal(w.days, 1 | 2 | 4 | 32); /* a refused value changes nothing */
    assert_int_equal(kiosk_when_set_hours(&w, "07:00-11:30, 13:30-24:00", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_hours(&w, "off", why, sizeof why), -1);
    assert_int_equal(kiosk_when_set_date(&w, false, "2026-12-01", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_date(&w, true, "2026-12-31", why, sizeof why), 0);
    assert_true(kiosk_when_set(&w));
    /* Tuesday 1 December 2026, the first day */
    struct tm t = {.tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_wday = 2, .tm_hour = 7};
    assert_true(kiosk_when_on(&w, &t));
    t.tm_hour = 12; /* between the spans */
    assert_false(kiosk_when_on(&w, &t));
    t.tm_hour = 23;
    t.tm_min = 59;
    assert_true(kiosk_when_on(&w, &t));
    /* Thursday: not one of its days */
    t = (struct tm){.tm_year = 126, .tm_mon = 11, .tm_mday = 3, .tm_wday = 4, .tm_hour = 8};
    assert_false(kiosk_when_on(&w, &t));
    /* Saturday 2 January 2027: past until */
    t = (struct tm){.tm_year = 127, .tm_mon = 0, .tm_mday = 2, .tm_wday = 6, .tm_hour = 8};
    assert_false(kiosk_when_on(&w, &t));
    /* Saturday 26 December 2026: within */
    t = (struct tm){.tm_year = 126, .tm_mon = 11, .tm_mday = 26, .tm_wday = 6, .tm_hour = 8};
    assert_true(kiosk_when_on(&w, &t));
}

int main(void)
{
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slide_schedules_read_lists_ranges_and_dates),
        cmocka_unit_test(test_a_week_of_office_hours_powers_the_display_down_and_up),
        cmocka_unit_test(test_an_unsynchronised_clock_keeps_the_screen_on),
        cmocka_unit_test(test_next_change_and_no_schedule),
        cmocka_unit_test(test_spans_and_their_mistakes),
        cmocka_unit_test(test_the_config_section),
        cmocka_unit_test(test_the_pixel_shift_stays_small_and_moves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
