/* The one append for growable arrays: items kept in order through growth, and an item
 * that cannot be added is counted, never lost silently. */
#include "helpers.h"

#include "core/array.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

struct item {
    int n;
    char tag[3];
};

static void test_appends_keep_order_through_growth(void **state)
{
    (void)state;
    struct item *items = NULL;
    size_t count = 0, dropped = 0;
    for (int i = 0; i < 1000; i++) {
        struct item it = {.n = i, .tag = "ok"};
        assert_int_equal(KIOSK_ARRAY_APPEND(items, count, it, 0, &dropped), 0);
    }
    assert_int_equal(count, 1000);
    assert_int_equal(dropped, 0);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(items[i].n, i);
        assert_string_equal(items[i].tag, "ok");
    }
    free(items);
}

static void test_an_item_over_the_limit_is_counted_not_added(void **state)
{
    (void)state;
    int *items = NULL;
    size_t count = 0, dropped = 0;
    for (int i = 0; i < 12; i++) {
        int rc = KIOSK_ARRAY_APPEND(items, count, i, 10, &dropped);
        assert_int_equal(rc, i < 10 ? 0 : KIOSK_ELIMIT);
    }
    assert_int_equal(count, 10);
    assert_int_equal(dropped, 2);
    assert_int_equal(items[9], 9);
    free(items);
}

static void test_diagnostics_say_how_many_were_dropped(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    for (int i = 0; i < KIOSK_DIAGS_MAX + 5; i++)
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, "f.json", "x", 1, 1, "problem %d", i);
    assert_int_equal(d.count, KIOSK_DIAGS_MAX);
    assert_int_equal(d.dropped, 5);
    assert_int_equal(d.errors, KIOSK_DIAGS_MAX + 5);
    assert_string_equal(d.items[KIOSK_DIAGS_MAX - 1].message, "problem 199");
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_keep_order_through_growth),
        cmocka_unit_test(test_an_item_over_the_limit_is_counted_not_added),
        cmocka_unit_test(test_diagnostics_say_how_many_were_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
