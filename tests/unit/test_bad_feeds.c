/* Every bad input is refused with one precise line: the file, the place (JSON path or line
 * and column), what was expected and what was found; and the table keeps what it had. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

struct bad_case {
    const char *file;
    const char *fragments[4]; /* all must be in one diagnostic line */
};

static const struct bad_case cases[] = {
    {"empty.json", {"empty.json", "the document is empty"}},
    {"html-error-page.json", {"html-error-page.json:1:1", "found an HTML page"}},
    {"nan.json", {"nan.json:4:62", "periods[0].units[1].groups.CKMB", "invalid JSON"}},
    {"truncated.json", {"truncated.json:1:", "ends before the JSON value does"}},
    {"invalid-utf8.json", {"invalid-utf8.json:1:", "periods[0].units[0].name", "UTF8"}},
    {"deep-nesting.json", {"deep-nesting.json:1:33", "nested deeper than 32 levels"}},
    {"long-name.json",
     {"periods[0].units[0].name", "a string of 100000 bytes", "the limit is 65536"}},
    {"huge-number.json", {"periods[0].units[0].groups.CKMB", "1e400 is out of range"}},
    {"score-over-max.json",
     {"periods[0].units[1].groups.CKMB", "expected a score from 0 to 18, found 19.5"}},
    {"score-negative.json",
     {"periods[0].units[1].groups.TTTT", "expected a score from 0 to 10, found -0.5"}},
    {"wrong-type.json",
     {"periods[0].units[1].groups.CKMB", "expected a number", "found a string (\"15.6\")"}},
    {"duplicate-unit.json", {"periods[0].units[1].id", "duplicate unit id \"H01\"", "units[0]"}},
    {"future-version.json", {"version", "format version 2 is newer", "update the kiosk"}},
    {"missing-name.json", {"periods[0].units[0].name", "missing required field"}},
    {"unknown-group.json", {"periods[0].units[0].groups.XYZ", "unknown group code"}},
    /* our own feed is strict about group codes, in metrics too (feed_native.c) */
    {"unknown-metric-group.json",
     {"periods[0].units[0].metrics[0].group", "unknown group code \"XYZ\""}},
    {"bad-date.json", {"periods[0].start", "expected a date as YYYY-MM-DD", "2025-13-01"}},
    {"no-periods.json", {"periods", "expected at least one period"}},
    {"not-a-feed.json", {"not a scores feed", "kiosk-scores"}},
    {"top-level-array.json", {"expected a JSON object at the top level, found an array"}},
    {"portal-error.json", {"code", "the portal answered \"UNAUTHORIZED\"", "Token expired"}},
};

static void test_each_bad_feed_is_refused_with_a_precise_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, KIOSK_FIXTURES "/bad/%s", cases[i].file);
        struct kiosk_table t = {0};
        struct kiosk_diags d = {0};
        int rc = read_source(&t, path, NULL, &d, NULL);
        const char *const *f = cases[i].fragments;
        if (rc == 0 ||
            !diags_have(&d, f[0], f[1] ? f[1] : "", f[2] ? f[2] : "", f[3] ? f[3] : "", NULL)) {
            diags_dump(&d);
            fail_msg("%s: expected a refusal saying \"%s\"", cases[i].file, f[1] ? f[1] : f[0]);
        }
        assert_int_equal(t.n_periods, 0);
        kiosk_table_free(&t);
        kiosk_diags_free(&d);
    }
}

static void test_bad_source_leaves_the_table_as_it_was(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_equal(read_source(&t, KIOSK_FIXTURES "/weekly/2025-W40.json", NULL, &d, NULL), 0);
    size_t units = t.periods[0].n_entries;
    /* the bad one is about the same week: none of its good units may slip in */
    assert_int_not_equal(read_source(&t, KIOSK_FIXTURES "/bad/score-over-max.json", NULL, &d, NULL),
                         0);
    assert_int_equal(t.n_periods, 1);
    assert_int_equal(t.periods[0].n_entries, units);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_document_over_the_size_limit_is_refused_before_parsing(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = 100 * 1024; /* the demo feed is 330 KB */
    assert_int_equal(read_source(&t, KIOSK_DEMO_FEED, &o, &d, NULL), KIOSK_ELIMIT);
    assert_true(diags_have(&d, "larger than the limit of 100 KiB", NULL));
    kiosk_diags_free(&d);
    /* the same from a buffer, as a download would be: cut while streaming */
    size_t len;
    char *buf = read_file(KIOSK_DEMO_FEED, &len);
    assert_int_equal(kiosk_feed_read_buffer(&t, "demo", NULL, buf, len, &o, &d, NULL),
                     KIOSK_ELIMIT);
    assert_true(diags_have(&d, "demo: the document is larger than", NULL));
    free(buf);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_too_many_units_in_a_period_is_refused(void **state)
{
    (void)state;
    size_t n = KIOSK_MAX_UNITS + 1, cap = n * 80 + 512, len = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    len += (size_t)snprintf(json + len, cap - len,
                            "{\"format\":\"kiosk-scores\",\"version\":1,\"periods\":[{\"id\":"
                            "\"p\",\"start\":\"2025-01-06\",\"end\":\"2025-01-12\",\"units\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(json + len, cap - len,
                                "%s{\"id\":\"u%zu\",\"name\":\"u\",\"kind\":\"commune\"}",
                                i ? "," : "", i);
    len += (size_t)snprintf(json + len, cap - len, "]}]}");
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_not_equal(read_text(&t, json, &d), 0);
    assert_true(diags_have(&d, "periods[0].units", "at most 50000 units", NULL));
    free(json);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_many_bad_values_keep_the_message_list_bounded(void **state)
{
    (void)state;
    size_t n = 20000, cap = n * 120 + 512, len = 0;
    char *json = malloc(cap);
    assert_non_null(json);
    len += (size_t)snprintf(json + len, cap - len,
                            "{\"format\":\"kiosk-scores\",\"version\":1,\"periods\":[{\"id\":"
                            "\"p\",\"start\":\"2025-01-06\",\"end\":\"2025-01-12\",\"units\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(
            json + len, cap - len,
            "%s{\"id\":\"u%zu\",\"name\":\"u\",\"kind\":\"commune\",\"groups\":{\"CKMB\":99}}",
            i ? "," : "", i);
    len += (size_t)snprintf(json + len, cap - len, "]}]}");
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_not_equal(read_text(&t, json, &d), 0);
    assert_int_equal(d.count, KIOSK_DIAGS_MAX);
    assert_int_equal(d.errors, n);
    assert_int_equal(d.dropped, n - KIOSK_DIAGS_MAX);
    free(json);
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_framework_after_periods_must_match_the_builtin(void **state)
{
    (void)state;
    const char *json = "{\"format\":\"kiosk-scores\",\"version\":1,\"periods\":[{\"id\":\"p\","
                       "\"start\":\"2025-01-06\",\"end\":\"2025-01-12\",\"units\":[{\"id\":\"a\","
                       "\"name\":\"a\",\"kind\":\"province\",\"groups\":{\"CKMB\":1}}]}],"
                       "\"framework\":{\"id\":\"other\",\"groups\":[{\"code\":\"X\",\"name\":\"X"
                       "\",\"max\":10}]}}";
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_not_equal(read_text(&t, json, &d), 0);
    assert_true(diags_have(&d, "framework", "put \"framework\" before \"periods\"", NULL));
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_sources_with_different_frameworks_do_not_merge(void **state)
{
    (void)state;
    const char *other = "{\"format\":\"kiosk-scores\",\"version\":1,\"framework\":{\"id\":"
                        "\"other\",\"groups\":[{\"code\":\"X\",\"name\":\"X\",\"max\":10}]},"
                        "\"periods\":[{\"id\":\"p\",\"start\":\"2025-01-06\",\"end\":\"2025-"
                        "01-12\",\"units\":[{\"id\":\"a\",\"name\":\"a\",\"kind\":\"province\","
                        "\"groups\":{\"X\":1}}]}]}";
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_equal(read_source(&t, KIOSK_FIXTURES "/weekly/2025-W40.json", NULL, &d, NULL), 0);
    assert_int_equal(read_text(&t, other, &d), KIOSK_ESCHEMA);
    assert_true(diags_have(&d, "framework \"other\" differs from \"vn-766\"", NULL));
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_network_and_bad_source_arguments_are_explained(void **state)
{
    (void)state;
    struct kiosk_source_spec spec;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_source_parse("https://example.invalid/feed.json", &spec, &d),
                     KIOSK_EUSAGE);
    assert_true(diags_have(&d, "reads files, file:// URLs and standard input", NULL));
    assert_int_equal(kiosk_source_parse("file://relative/path", &spec, &d), KIOSK_EUSAGE);
    assert_int_equal(kiosk_source_parse("CKMB=file:///tmp/a%20b.json", &spec, &d), 0);
    assert_string_equal(spec.group, "CKMB");
    assert_string_equal(spec.location, "/tmp/a b.json");
    assert_int_equal(kiosk_source_parse("./x=y.json", &spec, &d), 0);
    assert_string_equal(spec.group, ""); /* not a group code: part of the path */
    assert_string_equal(spec.location, "./x=y.json");
    kiosk_diags_free(&d);
    struct kiosk_table t = {0};
    assert_int_equal(read_source(&t, KIOSK_FIXTURES "/no-such-file.json", NULL, &d, NULL),
                     KIOSK_EIO);
    assert_true(diags_have(&d, "no-such-file.json: cannot open: No such file", NULL));
    assert_int_equal(read_source(&t, KIOSK_FIXTURES, NULL, &d, NULL), KIOSK_EIO);
    assert_true(diags_have(&d, "is a directory", NULL));
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_bad_feed_is_refused_with_a_precise_line),
        cmocka_unit_test(test_bad_source_leaves_the_table_as_it_was),
        cmocka_unit_test(test_document_over_the_size_limit_is_refused_before_parsing),
        cmocka_unit_test(test_too_many_units_in_a_period_is_refused),
        cmocka_unit_test(test_many_bad_values_keep_the_message_list_bounded),
        cmocka_unit_test(test_framework_after_periods_must_match_the_builtin),
        cmocka_unit_test(test_sources_with_different_frameworks_do_not_merge),
        cmocka_unit_test(test_network_and_bad_source_arguments_are_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
