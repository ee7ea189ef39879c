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
    assert_int_equal(c.n_slides, 8);
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
         ":2: [screen]: unknown section (expected [kiosk], [schedule], [banner], [fleet], "
         "[source.NAME] or [slide.NAME])"},
        /* a slide's own source and schedule, the banner, a turned screen */
        {"[slide.a]\nplugin = notice\nsource = ftp://x/y\n",
         ":3: [slide.a] source: expected an http://, https:// or file:// URL or a path, found "
         "\"ftp://x/y\""},
        {"[slide.a]\nplugin = notice\ninterval_s = 5\n",
         ":3: [slide.a] interval_s: expected seconds from 10 to 604800, found \"5\""},
        {"[slide.a]\nplugin = clock\ndays = mon-fry\n",
         ":3: [slide.a] days: expected days such as mon-fri, sat-sun or mon,wed,fri"},
        {"[slide.a]\nplugin = clock\nhours = 7-11\n",
         ":3: [slide.a] hours: expected HH:MM-HH:MM spans separated by commas"},
        {"[slide.a]\nplugin = clock\nhours = 11:30-07:00\n", "found \"11:30-07:00\""},
        {"[slide.a]\nplugin = clock\nfrom = 2026-12-32\n",
         ":3: [slide.a] from: expected a date as YYYY-MM-DD, found \"2026-12-32\""},
        {"[slide.a]\nplugin = clock\nfrom = 2026-12-10\nuntil = 2026-12-01\n",
         ":4: [slide.a] until: expected from on or before until, found until 2026-12-01 before "
         "from"},
        {"[banner]\nposition = left\n", ":2: [banner] position: expected top or bottom"},
        {"[banner]\ntext = a\nuntil = 31/12/2026\n",
         ":3: [banner] until: expected a local time as YYYY-MM-DDTHH:MM (e.g. 2026-12-31T17:00), "
         "found \"31/12/2026\""},
        {"[banner]\ntext = a\nurgent = very\n", ":3: [banner] urgent: expected yes or no"},
        {"[banner]\ntext = a\ncolour = red\n", ":3: [banner] colour: unknown key"},
        {"[banner]\nurgent = yes\n", ":1: [banner]: expected text = ... or source = URL"},
        {"[banner]\ntext = a\nsource = b.txt\n", ":1: [banner]: expected text or source"},
        {"[kiosk]\nrotate = 45\n",
         ":2: [kiosk] rotate: expected 0, 90, 180 or 270 (degrees clockwise), found \"45\""},
        {"[fleet]\nbroker = mqtt://fleet.example\nid = k1\n",
         "[fleet]: broker: mqtt://fleet.example is plain MQTT, readable on the wire"},
        {"[fleet]\nbroker = http://fleet.example\n", ":2: [fleet] broker: expected mqtts://HOST"},
        {"[fleet]\nbroker = mqtts://fleet.example:99999\n", "with a port from 1 to 65535"},
        {"[fleet]\nid = ../other\n", ":2: [fleet] id: expected an id of 1 to 64 letters"},
        {"[fleet]\nid = all\n", ":2: [fleet] id: expected an id other than \"all\" (kiosk/all/"},
        {"[fleet]\nid = group\n", ":2: [fleet] id: expected an id other than \"group\""},
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
        /* a | line continues the value just above it, and nothing else */
        {"[slide.a]\nplugin = notice\n\n| more text\n",
         ":4: expected a key = value line (or another | line) just above this | line"},
        {"[slide.a]\n| text\n", ":2: expected a key = value line (or another | line)"},
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

/* [fleet]: a poll to the whole fleet is spread over a minute unless the config says */
static void test_the_poll_spread_defaults_to_a_minute(void **state)
{
    (void)state;
    const char *texts[] = {"[fleet]\nbroker = mqtts://f\nid = k1\n",
                           "[fleet]\nbroker = mqtts://f\nid = k1\npoll_spread_s = 0\n",
                           "[fleet]\nbroker = mqtts://f\nid = k1\npoll_spread_s = 5\n"};
    const double want[] = {60, 0, 5};
    for (int i = 0; i < 3; i++) {
        const char *path = write_conf(texts[i]);
        struct kiosk_config c;
        struct kiosk_diags d = {0};
        assert_int_equal(kiosk_config_load(path, &c, &d), 0);
        assert_true(c.fleet.poll_spread_s == want[i]);
        kiosk_config_free(&c);
        kiosk_diags_free(&d);
        remove(path);
    }
}

/* [fleet] without an id: the machine's id (systemd's /etc/machine-id), and where there is
 * none, a line that says to give one */
static void test_the_fleet_id_defaults_to_the_machine_id(void **state)
{
    (void)state;
    char dir[64], file[128], why[256];
    assert_int_equal(make_temp_dir(dir, sizeof dir, "machine-id"), 0);
    snprintf(file, sizeof file, "%s/machine-id", dir);
    write_file(file, "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
    struct kiosk_fleet_conf f = {.present = true, .tls = true, .broker = strdup("mqtts://f")};
    assert_int_equal(kiosk_fleet_finish(&f, file, why, sizeof why), 0);
    assert_string_equal(f.id, "3d1219c7c4c5404aaa1f6d2a48adfda4");
    /* given, it stays */
    snprintf(f.id, sizeof f.id, "ubnd-xa-vinh-an");
    assert_int_equal(kiosk_fleet_finish(&f, file, why, sizeof why), 0);
    assert_string_equal(f.id, "ubnd-xa-vinh-an");
    /* none to be had: empty, not a name, or no file */
    const char *bad[] = {"", "../etc\n", NULL};
    for (int i = 0; i < 3; i++) {
        if (bad[i])
            write_file(file, bad[i]);
        else
            remove(file);
        f.id[0] = '\0';
        assert_int_equal(kiosk_fleet_finish(&f, file, why, sizeof why), -1);
        char want[256];
        snprintf(want, sizeof want, "id: not given, and %s holds no machine id: give id = NAME",
                 file);
        assert_string_equal(why, want);
    }
    kiosk_fleet_free(&f);
    remove_tree(dir);
}

/* a slide's own source and schedule are the host's keys; the banner and rotate read */
static void test_sources_schedules_banner_and_rotation_read(void **state)
{
    (void)state;
    const char *path = write_conf("[kiosk]\nrotate = 90\n"
                                  "[banner]\nposition = top\ntext = Thông báo\n"
                                  "until = 2026-12-31T17:00\nurgent = yes\n"
                                  "[slide.n]\nplugin = notice\nsource = notice.txt\n"
                                  "interval_s = 60\ndays = mon-fri, sat\n"
                                  "hours = 07:00-11:30, 13:30-17:00\n"
                                  "from = 2026-12-01\nuntil = 2026-12-31\n");
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load(path, &c, &d), 0);
    assert_int_equal(c.rotate, 90);
    assert_true(c.banner.configured && c.banner.top && c.banner.urgent);
    assert_string_equal(c.banner.text, "Thông báo");
    assert_string_equal(c.banner.until, "2026-12-31T17:00");
    assert_int_equal(c.n_slides, 2); /* and the fallback leaderboard for outside its hours */
    assert_true(c.slides[1].fallback);
    const struct kiosk_slide_conf *sl = &c.slides[0];
    assert_non_null(strstr(sl->source, "/notice.txt")); /* relative to the config */
    assert_int_equal(sl->interval_s, 60);
    assert_int_equal(sl->when.days, 0x3f); /* Monday to Saturday */
    assert_int_equal(sl->when.n_hours, 2);
    assert_true(sl->when.has_from && sl->when.has_until);
    /* the plugin still sees every key of its section */
    assert_non_null(kiosk_keyvals_get(&sl->kv, "source"));
    for (const char *const *k = kiosk_slide_host_keys; *k; k++)
        if (strcmp(*k, "days") == 0)
            goto listed;
    fail_msg("days is not one of the host's keys");
listed:
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    remove(path);
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

/* A notice's text over several lines: each "|" line adds a line to the value above, as
 * written (a ; is text there), and the keys after it read as usual; a picture's path. */
static void test_a_value_goes_on_over_bar_lines(void **state)
{
    (void)state;
    const char *path = write_conf("[slide.notice]\n"
                                  "plugin = notice\n"
                                  "text = Giờ làm việc: ; a comment\n"
                                  "| - Thứ Hai đến Thứ Sáu: 7:30 – 17:00\n"
                                  "|\n"
                                  "|   **Lưu ý**; mang theo CCCD   \n"
                                  "title = Thông báo\n"
                                  "[slide.poster]\nplugin = image\npath = posters\n"
                                  "[slide.logo]\nplugin = image\npath = /srv/logo.svg\n");
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(path, &c, &d);
    if (rc)
        diags_dump(&d);
    assert_int_equal(rc, 0);
    assert_string_equal(kiosk_keyvals_get(&c.slides[0].kv, "text"),
                        "Giờ làm việc:\n- Thứ Hai đến Thứ Sáu: 7:30 – 17:00\n\n  **Lưu ý**; mang "
                        "theo CCCD");
    assert_string_equal(kiosk_keyvals_get(&c.slides[0].kv, "title"), "Thông báo");
    /* a slide's path is relative to the config's folder, as every path of the config */
    assert_string_equal(kiosk_keyvals_get(&c.slides[1].kv, "path"), "/tmp/posters");
    assert_string_equal(kiosk_keyvals_get(&c.slides[2].kv, "path"), "/srv/logo.svg");
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
        cmocka_unit_test(test_sources_schedules_banner_and_rotation_read),
        cmocka_unit_test(test_the_poll_spread_defaults_to_a_minute),
        cmocka_unit_test(test_the_fleet_id_defaults_to_the_machine_id),
        cmocka_unit_test(test_a_real_ca_bundle_is_accepted),
        cmocka_unit_test(test_a_value_goes_on_over_bar_lines),
        cmocka_unit_test(test_a_directory_is_not_a_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
