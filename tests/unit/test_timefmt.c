/* Dates and times as the screen writes them, in both languages: every weekday and month
 * named right, diacritics included; the styles plugins ask for; the screen's time zone;
 * a buffer too small cut at a character, never inside one. */
#include "helpers.h"

#include "core/timefmt.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const weekdays_vi[] = {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                          "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};
static const char *const weekdays_en[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
static const char *const months_en[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};

/* noon on a day of 2025, through the C library's own calendar (tm_wday from mktime) */
static struct tm day(int month, int mday)
{
    struct tm tm = {.tm_year = 125, .tm_mon = month - 1, .tm_mday = mday, .tm_hour = 12};
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    return tm;
}

static void test_every_weekday_in_both_languages(void **state)
{
    (void)state;
    char buf[96], want[96];
    /* Sunday 5 October 2025 to Saturday 11 October 2025 */
    for (int i = 0; i < 7; i++) {
        struct tm tm = day(10, 5 + i);
        assert_int_equal(tm.tm_wday, i);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_WEEKDAY, KIOSK_LANG_CODE_VI, buf, sizeof buf),
            weekdays_vi[i]);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_WEEKDAY, KIOSK_LANG_CODE_EN, buf, sizeof buf),
            weekdays_en[i]);
        snprintf(want, sizeof want, "%s, ngày %d tháng 10 năm 2025", weekdays_vi[i], 5 + i);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_VI, buf, sizeof buf), want);
        snprintf(want, sizeof want, "%s, %d October 2025", weekdays_en[i], 5 + i);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_EN, buf, sizeof buf), want);
    }
}

static void test_every_month_in_both_languages(void **state)
{
    (void)state;
    char buf[96], want[96];
    for (int m = 1; m <= 12; m++) {
        struct tm tm = day(m, 1);
        snprintf(want, sizeof want, "%s, ngày 1 tháng %d năm 2025", weekdays_vi[tm.tm_wday], m);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_VI, buf, sizeof buf), want);
        snprintf(want, sizeof want, "%s, 1 %s 2025", weekdays_en[tm.tm_wday], months_en[m - 1]);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_EN, buf, sizeof buf), want);
        snprintf(want, sizeof want, "01/%02d/2025", m);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE, KIOSK_LANG_CODE_VI, buf, sizeof buf), want);
        snprintf(want, sizeof want, "1 %.3s 2025", months_en[m - 1]);
        assert_string_equal(
            kiosk_format_tm(&tm, KIOSK_TIME_DATE, KIOSK_LANG_CODE_EN, buf, sizeof buf), want);
    }
}

/* The issue's own examples, at the screen's zone: 07:30 on Monday 6 October 2025 in Hà Nội
 * is 00:30 UTC. */
static void test_a_wall_clock_time_in_the_screens_zone(void **state)
{
    (void)state;
    char buf[96];
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    int64_t ms = 1759710605000LL; /* 2025-10-06T00:30:05Z */
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_HM, KIOSK_LANG_CODE_VI, buf, sizeof buf), "07:30");
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_HMS, KIOSK_LANG_CODE_EN, buf, sizeof buf), "07:30:05");
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_VI, buf, sizeof buf),
        "Thứ Hai, ngày 6 tháng 10 năm 2025");
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_EN, buf, sizeof buf),
        "Monday, 6 October 2025");
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_DATE_TIME, KIOSK_LANG_CODE_VI, buf, sizeof buf),
        "07:30 06/10/2025");
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_DATE_TIME, KIOSK_LANG_CODE_EN, buf, sizeof buf),
        "07:30 6 Oct 2025");
    /* the same instant on a screen in Berlin: still Monday, 02:30 */
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    assert_string_equal(
        kiosk_format_unix_ms(ms, KIOSK_TIME_HM, KIOSK_LANG_CODE_EN, buf, sizeof buf), "02:30");
    /* a second before 1970 is 23:59:59 of the day before, not 00:00:00 */
    setenv("TZ", "UTC", 1);
    tzset();
    assert_string_equal(
        kiosk_format_unix_ms(-1, KIOSK_TIME_HMS, KIOSK_LANG_CODE_EN, buf, sizeof buf), "23:59:59");
}

static void test_small_buffers_and_unknown_styles(void **state)
{
    (void)state;
    struct tm tm = day(10, 6); /* Thứ Hai */
    char buf[64];
    /* "Thứ" is T, h, then ứ in 3 bytes: 5 bytes of room keep "Th", never half of ứ */
    assert_string_equal(kiosk_format_tm(&tm, KIOSK_TIME_WEEKDAY, KIOSK_LANG_CODE_VI, buf, 5), "Th");
    assert_string_equal(kiosk_format_tm(&tm, KIOSK_TIME_WEEKDAY, KIOSK_LANG_CODE_VI, buf, 6),
                        "Thứ");
    assert_string_equal(kiosk_format_tm(&tm, KIOSK_TIME_HM, KIOSK_LANG_CODE_VI, buf, 1), "");
    assert_string_equal(
        kiosk_format_tm(&tm, (enum kiosk_time_style)99, KIOSK_LANG_CODE_VI, buf, sizeof buf), "");
    tm.tm_mon = 12; /* out of range: nothing rather than a wrong name */
    assert_string_equal(
        kiosk_format_tm(&tm, KIOSK_TIME_DATE_LONG, KIOSK_LANG_CODE_EN, buf, sizeof buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_weekday_in_both_languages),
        cmocka_unit_test(test_every_month_in_both_languages),
        cmocka_unit_test(test_a_wall_clock_time_in_the_screens_zone),
        cmocka_unit_test(test_small_buffers_and_unknown_styles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
