/* Strict numbers: a setting or an option is the number, the whole number and nothing but
 * the number, within its range. */
#include "helpers.h"

#include "core/parse.h"

#include <float.h>
#include <limits.h>
#include <stdio.h>

static void test_a_number_within_range_is_read(void **state)
{
    (void)state;
    double x = 0;
    assert_int_equal(kiosk_parse_double("91.7", 0, 100, &x), 0);
    assert_true(x == 91.7);
    assert_int_equal(kiosk_parse_double("-2", -5, 5, &x), 0);
    assert_true(x == -2);
    assert_int_equal(kiosk_parse_double("1e2", 0, 100, &x), 0);
    assert_true(x == 100);
    assert_int_equal(kiosk_parse_double("0", 0, 0, &x), 0); /* the bounds are inclusive */
}

static void test_anything_but_a_number_in_range_is_refused_and_out_untouched(void **state)
{
    (void)state;
    const char *bad[] = {"",    " ",    " 5",    "5 ", "5s",  "abc", "nan", "NAN",
                         "inf", "-inf", "1e999", "0x", "--1", "101", "-0.5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double x = 42;
        if (kiosk_parse_double(bad[i], 0, 100, &x) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_true(x == 42);
    }
    double x = 42;
    assert_int_equal(kiosk_parse_double(NULL, 0, 100, &x), -1);
    assert_int_equal(kiosk_parse_double("inf", -INFINITY, INFINITY, &x), -1);
    assert_int_equal(kiosk_parse_double("1e308", 0, DBL_MAX, &x), 0);
}

static void test_whole_numbers_are_whole(void **state)
{
    (void)state;
    long n = 7;
    assert_int_equal(kiosk_parse_long("25", 0, 100, &n), 0);
    assert_int_equal(n, 25);
    assert_int_equal(kiosk_parse_long("-3", -5, 5, &n), 0);
    assert_int_equal(n, -3);
    const char *bad[] = {"", "5.0", "5x", " 5", "101", "-1", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = 7;
        if (kiosk_parse_long(bad[i], 0, 100, &n) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_int_equal(n, 7);
    }
    char max[32];
    snprintf(max, sizeof max, "%ld", LONG_MAX);
    assert_int_equal(kiosk_parse_long(max, 0, LONG_MAX, &n), 0);
    assert_true(n == LONG_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_number_within_range_is_read),
        cmocka_unit_test(test_anything_but_a_number_in_range_is_refused_and_out_untouched),
        cmocka_unit_test(test_whole_numbers_are_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
