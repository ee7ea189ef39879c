/* The streaming JSON reader: values split across chunks, the streamed array handed out one
 * element at a time, limits, and where an error is. */
#include "helpers.h"

#include "core/jsonstream.h"

#include <string.h>

struct seen {
    size_t count;
    long long sum;
    int stop_at;
};

static int on_item(void *ctx, size_t index, json_t *item, const char **why)
{
    struct seen *s = ctx;
    assert_int_equal(index, s->count);
    s->count++;
    s->sum += json_integer_value(json_object_get(item, "v"));
    if (s->stop_at >= 0 && (size_t)s->stop_at == index) {
        *why = "enough";
        return 1;
    }
    return 0;
}

static void test_streamed_elements_arrive_one_by_one_across_chunks(void **state)
{
    (void)state;
    const char *doc = "{\"a\": 1, \"periods\": [{\"v\": 1}, {\"v\": 20}, {\"v\": 300}],"
                      " \"z\": \"é\"}";
    /* feed one byte at a time: every token is split somewhere */
    struct seen seen = {.stop_at = -1};
    struct kiosk_json_stream *s = kiosk_json_stream_new(NULL, "periods", on_item, &seen);
    for (size_t i = 0; i < strlen(doc); i++)
        assert_int_equal(kiosk_json_stream_feed(s, doc + i, 1), 0);
    json_t *root = NULL;
    assert_int_equal(kiosk_json_stream_finish(s, &root), 0);
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.sum, 321);
    assert_int_equal(json_array_size(json_object_get(root, "periods")), 0);
    assert_string_equal(json_string_value(json_object_get(root, "z")), "é");
    json_decref(root);
    kiosk_json_stream_free(s);
}

static void test_callback_can_stop_the_parse(void **state)
{
    (void)state;
    const char *doc = "{\"periods\": [{\"v\": 1}, {\"v\": 2}, {\"v\": 3}]}";
    struct seen seen = {.stop_at = 1};
    struct kiosk_json_stream *s = kiosk_json_stream_new(NULL, "periods", on_item, &seen);
    assert_int_equal(kiosk_json_stream_feed(s, doc, strlen(doc)), KIOSK_ESCHEMA);
    assert_int_equal(seen.count, 2);
    assert_string_equal(kiosk_json_stream_error(s, NULL, NULL), "enough");
    kiosk_json_stream_free(s);
}

static void test_errors_carry_line_column_and_path(void **state)
{
    (void)state;
    const char *doc = "{\n  \"a\": [1, 2,\n        tru]\n}";
    struct kiosk_json_stream *s = kiosk_json_stream_new(NULL, NULL, NULL, NULL);
    assert_int_equal(kiosk_json_stream_feed(s, doc, strlen(doc)), KIOSK_ESYNTAX);
    int line, col;
    assert_non_null(kiosk_json_stream_error(s, &line, &col));
    assert_int_equal(line, 3);
    assert_in_range(col, 9, 12);
    assert_string_equal(kiosk_json_stream_error_path(s), "a[2]");
    kiosk_json_stream_free(s);
}

static void test_limits_on_depth_strings_arrays_and_bytes(void **state)
{
    (void)state;
    const struct {
        size_t max_bytes;
        const char *doc;
        int rc;
        const char *msg;
    } cases[] = {
        {1000, "[[[[1]]]]", KIOSK_ELIMIT, "nested deeper than 3 levels"},
        {1000, "{\"k\": \"abcdef\"}", KIOSK_ELIMIT, "a string of 6 bytes (the limit is 5)"},
        {1000, "[1, 2, 3, 4]", KIOSK_ELIMIT, "more than 3 elements"},
        {32, "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]", KIOSK_ELIMIT,
         "larger than the limit of 32 bytes"},
        {1000, "{\"k\": 1e999}", KIOSK_ESYNTAX, "out of range"},
        {1000, "{\"k\": 12345678901234567890}", 0, NULL}, /* too big an integer: a real */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct kiosk_json_limits lim = {
            .max_bytes = cases[i].max_bytes, .max_depth = 3, .max_string = 5, .max_array = 3};
        struct kiosk_json_stream *s = kiosk_json_stream_new(&lim, NULL, NULL, NULL);
        int rc = kiosk_json_stream_feed(s, cases[i].doc, strlen(cases[i].doc));
        json_t *root = NULL;
        if (!rc)
            rc = kiosk_json_stream_finish(s, &root);
        assert_int_equal(rc, cases[i].rc);
        if (cases[i].msg && !strstr(kiosk_json_stream_error(s, NULL, NULL), cases[i].msg))
            fail_msg("case %zu: \"%s\"", i, kiosk_json_stream_error(s, NULL, NULL));
        if (cases[i].msg)
            assert_non_null(strstr(kiosk_json_stream_error(s, NULL, NULL), cases[i].msg));
        else
            assert_true(json_real_value(json_object_get(root, "k")) > 1e19);
        json_decref(root);
        kiosk_json_stream_free(s);
    }
}

static void test_nul_in_a_string_is_kept_out_of_texts(void **state)
{
    (void)state;
    const char *json = "{\"format\":\"kiosk-scores\",\"version\":1,\"periods\":[{\"id\":\"p\","
                       "\"start\":\"2025-01-06\",\"end\":\"2025-01-12\",\"units\":[{\"id\":\"a\","
                       "\"name\":\"a\\u0000b\",\"kind\":\"province\"}]}]}";
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_not_equal(read_text(&t, json, &d), 0);
    assert_true(diags_have(&d, "periods[0].units[0].name", "NUL", NULL));
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streamed_elements_arrive_one_by_one_across_chunks),
        cmocka_unit_test(test_callback_can_stop_the_parse),
        cmocka_unit_test(test_errors_carry_line_column_and_path),
        cmocka_unit_test(test_limits_on_depth_strings_arrays_and_bytes),
        cmocka_unit_test(test_nul_in_a_string_is_kept_out_of_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
