/* What the host writes on every slide, in the screen's language: the dates of the status
 * line (the clock, when the data is from), whatever the source wrote them as. */
#include "helpers.h"

#include "screen/show.h"

#include <string.h>

static void test_dates_in_vietnamese_are_day_month_year(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(kiosk_show_date(2026, 8, 31, KIOSK_LANG_CODE_VI, buf, sizeof buf),
                        "31/08/2026");
    assert_string_equal(kiosk_show_date(2025, 10, 5, KIOSK_LANG_CODE_VI, buf, sizeof buf),
                        "05/10/2025");
    /* a portal period's end, as the source writes it (ISO) */
    assert_string_equal(kiosk_show_iso_date("2026-08-31", KIOSK_LANG_CODE_VI, buf, sizeof buf),
                        "31/08/2026");
    struct tm tm = {.tm_year = 125, .tm_mon = 9, .tm_mday = 5, .tm_hour = 18, .tm_min = 0};
    assert_string_equal(kiosk_show_time_date(&tm, " ", KIOSK_LANG_CODE_VI, buf, sizeof buf),
                        "18:00 05/10/2025");
}

static void test_dates_in_english_name_the_month(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(kiosk_show_date(2026, 8, 31, KIOSK_LANG_CODE_EN, buf, sizeof buf),
                        "31 Aug 2026");
    assert_string_equal(kiosk_show_iso_date("2026-08-31", KIOSK_LANG_CODE_EN, buf, sizeof buf),
                        "31 Aug 2026");
    assert_string_equal(kiosk_show_iso_date("2026-01-02", KIOSK_LANG_CODE_EN, buf, sizeof buf),
                        "2 Jan 2026");
    struct tm tm = {.tm_year = 126, .tm_mon = 11, .tm_mday = 1, .tm_hour = 7, .tm_min = 5};
    assert_string_equal(kiosk_show_time_date(&tm, "  ", KIOSK_LANG_CODE_EN, buf, sizeof buf),
                        "07:05  1 Dec 2026");
}

static void test_a_text_that_is_no_date_is_shown_as_it_is(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(kiosk_show_iso_date("2026-13-01", KIOSK_LANG_CODE_EN, buf, sizeof buf),
                        "2026-13-01");
    assert_string_equal(kiosk_show_iso_date("", KIOSK_LANG_CODE_VI, buf, sizeof buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates_in_vietnamese_are_day_month_year),
        cmocka_unit_test(test_dates_in_english_name_the_month),
        cmocka_unit_test(test_a_text_that_is_no_date_is_shown_as_it_is),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
