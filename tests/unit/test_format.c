/* Numbers, dates and period ids as a citizen reads them. */
#include "helpers.h"

#include "core/jsonstream.h"

static void test_vietnamese_uses_a_decimal_comma_english_a_point(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(kiosk_format_fixed(91.7, 2, KIOSK_LANG_CODE_VI, buf, sizeof buf), "91,70");
    assert_string_equal(kiosk_format_fixed(91.7, 2, KIOSK_LANG_CODE_EN, buf, sizeof buf), "91.70");
    assert_string_equal(kiosk_format_fixed(2.205, 2, KIOSK_LANG_CODE_VI, buf, sizeof buf), "2,21");
    assert_string_equal(kiosk_format_fixed(-0.001, 2, KIOSK_LANG_CODE_VI, buf, sizeof buf), "0,00");
    assert_string_equal(kiosk_format_fixed(NAN, 2, KIOSK_LANG_CODE_VI, buf, sizeof buf), "—");
    assert_string_equal(kiosk_format_short(10, KIOSK_LANG_CODE_VI, buf, sizeof buf), "10");
    assert_string_equal(kiosk_format_short(20.78, KIOSK_LANG_CODE_VI, buf, sizeof buf), "20,78");
    assert_string_equal(kiosk_format_short(100.0, KIOSK_LANG_CODE_EN, buf, sizeof buf), "100");
}

static void test_rounding_to_hundredths(void **state)
{
    (void)state;
    assert_int_equal(kiosk_cents(91.7), 9170);
    assert_int_equal(kiosk_cents(15.64 + 19.0 + 8.42 + 10.0 + 17.86 + 20.78), 9170);
    assert_true(kiosk_round2(93.944) == 93.94);
    assert_true(isnan(kiosk_round2(NAN)));
}

static void test_dates_parse_and_format(void **state)
{
    (void)state;
    int32_t d;
    char buf[16];
    assert_int_equal(kiosk_date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(kiosk_date_parse("2024-02-29", &d), 0);
    kiosk_date_format(d, buf);
    assert_string_equal(buf, "2024-02-29");
    assert_int_equal(kiosk_date_parse("2025-02-29", &d), -1);
    assert_int_equal(kiosk_date_parse("2025-13-01", &d), -1);
    assert_int_equal(kiosk_date_parse("2025-1-01", &d), -1);
    assert_int_equal(kiosk_date_parse("2025-01-01T00", &d), -1);
    assert_int_equal(kiosk_date_parse("", &d), -1);
}

static void test_period_ids_give_dates_and_labels(void **state)
{
    (void)state;
    int32_t s, e;
    char label[64], a[16], b[16];
    assert_int_equal(kiosk_period_id_parse("2025-W40", &s, &e, label, sizeof label), 0);
    kiosk_date_format(s, a);
    kiosk_date_format(e, b);
    assert_string_equal(a, "2025-09-29"); /* as the demo feed has it */
    assert_string_equal(b, "2025-10-05");
    assert_string_equal(label, "Tuần 40/2025");
    assert_int_equal(kiosk_period_id_parse("2026-W01", &s, &e, label, sizeof label), 0);
    kiosk_date_format(s, a);
    assert_string_equal(a, "2025-12-29"); /* ISO week 1 may start in December */
    assert_int_equal(kiosk_period_id_parse("2025-W53", &s, &e, label, sizeof label), -1);
    assert_int_equal(kiosk_period_id_parse("2026-W53", &s, &e, label, sizeof label), 0);
    assert_int_equal(kiosk_period_id_parse("2020-W53", &s, &e, label, sizeof label), 0);
    assert_int_equal(kiosk_period_id_parse("2026-08", &s, &e, label, sizeof label), 0);
    kiosk_date_format(e, b);
    assert_string_equal(b, "2026-08-31");
    assert_string_equal(label, "Tháng 8/2026");
    assert_int_equal(kiosk_period_id_parse("2024-02", &s, &e, label, sizeof label), 0);
    assert_int_equal(e - s, 28);
    assert_int_equal(kiosk_period_id_parse("2026-Q4", &s, &e, label, sizeof label), 0);
    kiosk_date_format(e, b);
    assert_string_equal(b, "2026-12-31");
    assert_string_equal(label, "Quý 4/2026");
    assert_int_equal(kiosk_period_id_parse("2026", &s, &e, label, sizeof label), 0);
    assert_string_equal(label, "Năm 2026");
    const char *bad[] = {"2026-13", "2026-Q5", "2026-W0", "26-08", "2026-8", "abcd", "2026-W1x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(kiosk_period_id_parse(bad[i], &s, &e, label, sizeof label), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vietnamese_uses_a_decimal_comma_english_a_point),
        cmocka_unit_test(test_rounding_to_hundredths),
        cmocka_unit_test(test_dates_parse_and_format),
        cmocka_unit_test(test_period_ids_give_dates_and_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
