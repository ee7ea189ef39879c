/* The config file: the bundled demo reads as documented; every mistake a technician can
 * make gets the file, the line, the key, what was expected and what was found. */
#include "helpers.h"

#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *write_conf(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/kiosk-conf-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_the_demo_config_reads_as_documented(void **state)
{
    (void)state;
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(KIOSK_SOURCE_DIR "/kiosk/data/demo/kiosk.conf", &c, &d);
    if (rc)
        diags_dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(c.lang, KIOSK_LANG_CODE_VI);
    assert_string_equal(c.home, "H16");
    assert_string_equal(c.theme, "dark");
    assert_string_equal(c.timezone, "Asia/Ho_Chi_Minh");
    assert_null(c.state_dir);
    assert_int_equal(c.n_sources, 1);
    assert_string_equal(c.sources[0].location,
                        KIOSK_SOURCE_DIR "/kiosk/data/demo/demo-vn766.json"); /* made absolute */
    assert_int_equal(c.sources[0].interval_s, 300);
    assert_int_equal(c.n_slides, 6);
    assert_string_equal(c.slides[1].name, "national");
    assert_string_equal(c.slides[1].plugin, "leaderboard");
    assert_true(c.slides[1].duration_s == 30);
    assert_string_equal(kiosk_keyvals_get(&c.slides[1].kv, "scope"), "province");
    assert_int_equal(c.n_bands, 2);
    assert_string_equal(c.bands[0].label, "Xuất sắc");
    assert_true(c.bands[0].min == 90);
    kiosk_config_free(&c);
}

static void test_each_mistake_gets_its_line_and_what_was_expected(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *says;
    } cases[] = {
        {"[kiosk]\nlanguage = fr\n", ":2: [kiosk] language: expected vi or en, found \"fr\""},
        {"[kiosk]\nhome = H16\nlangauge = vi\n", ":3: [kiosk] langauge: unknown key"},
        {"# a comment\n[screen]\nsize = 1x1\n",
         ":2: [screen]: unknown section (expected [kiosk], [schedule], [fleet], [source.NAME] "
         "or [slide.NAME])"},
        {"[fleet]\nbroker = mqtt://fleet.example\nid = k1\n",
         "[fleet]: broker: mqtt://fleet.example is plain MQTT, readable on the wire"},
        {"[fleet]\nbroker = http://fleet.example\n", ":2: [fleet] broker: expected mqtts://HOST"},
        {"[fleet]\nbroker = mqtts://fleet.example:99999\n", "with a port from 1 to 65535"},
        {"[fleet]\nid = ../other\n", ":2: [fleet] id: expected an id of 1 to 64 letters"},
        {"[fleet]\ngroups = phu-tho, xa/1\n", "expected group names of letters, digits"},
        {"[fleet]\nbroker = mqtts://f\nid = k1\nusername = k1\n",
         "[fleet]: username and password_file go together"},
        {"[fleet]\nbroker = mqtts://f\nid = k1\npoll_spread_s = 2h\n",
         "[fleet] poll_spread_s: expected seconds from 0 to 3600"},
        {"[kiosk]\nsize = 1920 by 1080\n", ":2: [kiosk] size: expected WIDTHxHEIGHT"},
        {"[kiosk]\ntimezone = Mars/Olympus\n", "expected a time zone such as Asia/Ho_Chi_Minh"},
        {"[kiosk]\nstale_after_h = soon\n", "[kiosk] stale_after_h: expected hours"},
        {"[kiosk]\nband = excellent\n", "[kiosk] band: expected MIN LABEL"},
        {"[source.portal]\nurl = a.json\nperiod = 2026-13\n",
         ":3: [source.portal] period: expected a period id such as 2026-08"},
        {"[source.portal]\ngroup = ckmb\n", "[source.portal] group: expected a group code"},
        {"[source.x]\ninterval_s = 1\n", "[source.x] interval_s: expected seconds from 10"},
        {"[source.x]\ninterval_s = 60\n", "[source.x]: missing url"},
        {"[source.x]\nurl = https://example.org/api\npost = {\"year\": 2026,}\n",
         ":3: [source.x] post: expected a JSON body"},
        {"[source.x]\nurl = ftp://example.org/feed.json\n",
         ":2: [source.x] url: expected an http://, https:// or file:// URL or a path, found "
         "\"ftp://...\""},
        {"[slide.a]\nduration_s = 5\n", "[slide.a]: missing plugin (e.g. plugin = leaderboard)"},
        {"[slide.a]\nplugin = trend\nduration_s = 0\n",
         ":3: [slide.a] duration_s: expected seconds from 1 to 3600"},
        {"this line is not INI\n", ":1: expected [section], key = value"},
        /* an indented line is not a continuation of the value above it */
        {"[source.x]\nurl = https://example.org/api\n    interval_s = 60\n",
         ":3: expected a line starting at its first column, found an indented line "
         "(\"interval_s = 60\")"},
        /* what would silently override is refused, with both lines */
        {"[kiosk]\nhome = H16\n[slide.a]\nplugin = trend\n[kiosk]\nhome = H01\n",
         ":5: [kiosk]: a second [kiosk] section (the first is at line 1)"},
        {"[kiosk]\ntheme = dark\nhome = H16\ntheme = light\n",
         ":4: [kiosk] theme: given again (first at line 2)"},
        {"[slide.a]\nplugin = leaderboard\nscope = commune\nscope = province\n",
         ":4: [slide.a] scope: given again (first at line 3)"},
        {"[source.demo]\nurl = a.json\n[source.demo]\nurl = b.json\n",
         ":3: [source.demo]: a second [source.demo] section (the first is at line 1)"},
        /* names that would share one cache file */
        {"[source.a.b]\nurl = a.json\n",
         ":1: [source.a.b]: expected a source name of at most 63 letters, digits, - or _ (it "
         "names the source's cache file), found \"a.b\""},
        {"[source.a b]\nurl = a.json\n", ":1: [source.a b]: expected a source name"},
        {"home = H16\n", ":1: expected a [section] before the first key, found \"home = ...\""},
        {"[kiosk]\n[]\n", ":2: expected a section name between [ and ]"},
        /* a ca_file curl would refuse only at the first poll */
        {"[source.x]\nurl = https://example.org/api\nca_file = /etc/hostname\n",
         ":3: [source.x] ca_file: expected PEM certificates (-----BEGIN CERTIFICATE-----) in "
         "/etc/hostname, found none"},
        {"[source.x]\nurl = https://example.org/api\nca_file = " KIOSK_SOURCE_DIR
         "/tests/fixtures/bad/garbage-ca.pem\n",
         "garbage-ca.pem, found a certificate 1 that does not decode"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_conf(cases[i].text);
        struct kiosk_config c;
        struct kiosk_diags d = {0};
        assert_int_not_equal(kiosk_config_load(path, &c, &d), 0);
        if (!diags_have(&d, path, cases[i].says, NULL)) {
            diags_dump(&d);
            fail_msg("case %zu: expected a line saying \"%s\"", i, cases[i].says);
        }
        assert_int_equal(d.count, 1); /* one line per problem, the first one */
        kiosk_config_free(&c);
        kiosk_diags_free(&d);
        remove(path);
    }
}

static void test_a_portal_url_of_2000_characters_reads_whole(void **state)
{
    (void)state;
    char url[2100], text[2400];
    int n = snprintf(url, sizeof url, "https://portal.example.vn/api/evaluation?timeType=week");
    for (int i = 0; n < 2000; i++)
        n += snprintf(url + n, sizeof url - (size_t)n, "&unit%d=H%02d", i, i % 64);
    url[2000] = '\0';
    snprintf(text, sizeof text,
             "[source.portal]\nurl = %s ; the whole query\ninterval_s = 60\n"
             "[slide.a]\nplugin = trend\n",
             url);
    const char *path = write_conf(text);
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(path, &c, &d);
    if (rc)
        diags_dump(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(strlen(c.sources[0].location), 2000);
    assert_string_equal(c.sources[0].location, url);
    assert_int_equal(c.sources[0].interval_s, 60);
    kiosk_config_free(&c);
    remove(path);
}

static void test_a_real_ca_bundle_is_accepted(void **state)
{
    (void)state;
    const char *path = write_conf("[source.x]\nurl = https://example.org/api\n"
                                  "ca_file = /etc/ssl/certs/ca-certificates.crt\n");
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(path, &c, &d);
    if (rc)
        diags_dump(&d);
    assert_int_equal(rc, 0);
    assert_string_equal(c.sources[0].ca_file, "/etc/ssl/certs/ca-certificates.crt");
    kiosk_config_free(&c);
    remove(path);
}

static void test_a_directory_is_not_a_config(void **state)
{
    (void)state;
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load("/tmp", &c, &d), KIOSK_EIO);
    assert_true(diags_have(&d, "/tmp: expected a file, found a directory", NULL));
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
}

static void test_a_missing_config_is_said(void **state)
{
    (void)state;
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load("/nonexistent/kiosk.conf", &c, &d), KIOSK_EIO);
    assert_true(diags_have(&d, "/nonexistent/kiosk.conf: cannot open: No such file", NULL));
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_demo_config_reads_as_documented),
        cmocka_unit_test(test_each_mistake_gets_its_line_and_what_was_expected),
        cmocka_unit_test(test_a_missing_config_is_said),
        cmocka_unit_test(test_a_portal_url_of_2000_characters_reads_whole),
        cmocka_unit_test(test_a_real_ca_bundle_is_accepted),
        cmocka_unit_test(test_a_directory_is_not_a_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
