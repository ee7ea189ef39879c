/* The [fleet] keys of the remote configuration, and what a remote document may set: each
 * key that would reach beyond the local config is refused, named. */
#include "helpers.h"

#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load(const char *text, struct kiosk_config *c, char *first, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/kiosk-remote-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(path, c, &d);
    if (first)
        snprintf(first, size, "%s", d.count ? d.items[0].message : "");
    kiosk_diags_free(&d);
    unlink(path);
    return rc;
}

#define LOCAL                                                                                      \
    "[fleet]\nconfig_url = https://cfg.example/kiosk.conf\n"                                       \
    "[kiosk]\nplugin_dir = /opt/kiosk/plugins\n"                                                   \
    "[source.portal]\nurl = https://api.example/x\ntoken_file = /etc/hostname\n"

static void test_fleet_keys_and_defaults(void **state)
{
    (void)state;
    struct kiosk_config c;
    char why[512];
    assert_int_equal(load(LOCAL, &c, why, sizeof why), 0);
    assert_string_equal(c.remote.config_url, "https://cfg.example/kiosk.conf");
    assert_string_equal(kiosk_remote_trusted_keys(&c.remote), "/etc/kiosk/trusted-keys");
    assert_int_equal(kiosk_remote_interval_s(&c.remote), 300);
    assert_true(kiosk_remote_rollback_s(&c.remote) == 60);
    kiosk_config_free(&c);
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"[fleet]\nconfig_url = ftp://x/y\n", "config_url: expected an http:// or https:// URL"},
        {"[fleet]\ntrusted_keys = keys.pub\n", "trusted_keys: expected an absolute path"},
        {"[fleet]\nserial = 1.5\n", "serial: expected a whole number from 1"},
        {"[fleet]\nconfig_rollback_s = 0\n", "config_rollback_s: expected seconds from 1"},
        {"[fleet]\nconfig_ur = https://x/y\n", "config_ur: unknown key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(load(bad[i].text, &c, why, sizeof why), 0);
        if (!strstr(why, bad[i].says))
            fail_msg("%s: expected \"%s\", found \"%s\"", bad[i].text, bad[i].says, why);
        kiosk_config_free(&c);
    }
}

static void test_what_a_remote_document_may_set(void **state)
{
    (void)state;
    struct kiosk_config local, doc;
    char why[512];
    assert_int_equal(load(LOCAL, &local, NULL, 0), 0);
    static const struct {
        const char *text, *says; /* NULL: allowed */
    } cases[] = {
        {"[fleet]\nserial = 3\n[kiosk]\nplugin_dir = /opt/kiosk/plugins\n"
         "[source.portal]\nurl = https://api.example/y\ntoken_file = /etc/hostname\n",
         NULL},
        {"[kiosk]\nhome = H01\n", "[fleet] serial: expected serial = N"},
        {"[fleet]\nserial = 3\nconfig_url = https://evil.example/c\n",
         "a remote configuration may set only serial"},
        {"[fleet]\nserial = 3\ntrusted_keys = /tmp/mine\n",
         "a remote configuration may set only serial"},
        /* nor point the kiosk at another broker, or under another name */
        {"[fleet]\nserial = 3\nbroker = mqtts://evil.example\n",
         "a remote configuration may set only serial"},
        {"[fleet]\nserial = 3\nid = another-kiosk\n", "a remote configuration may set only serial"},
        {"[fleet]\nserial = 3\n[kiosk]\nstate_dir = /tmp/s\n", "[kiosk] state_dir: may not be set"},
        {"[fleet]\nserial = 3\n[kiosk]\nruntime_dir = /tmp/r\n",
         "[kiosk] runtime_dir: may not be set"},
        {"[fleet]\nserial = 3\n[kiosk]\nplugin_dir = /tmp\n", "[kiosk] plugin_dir: /tmp is not"},
        {"[fleet]\nserial = 3\n[source.f]\nurl = /etc/shadow\n", "reads sources by http(s)://"},
        {"[fleet]\nserial = 3\n[source.f]\nurl = https://x/y\ntoken_file = /etc/passwd\n",
         "[source.f] token_file: /etc/passwd is not one of the local config's"},
        {"[fleet]\nserial = 3\n[source.f]\nurl = https://x/y\nca_file = "
         "/etc/ssl/certs/ca-certificates.crt\n",
         "[source.f] ca_file: /etc/ssl/certs/ca-certificates.crt is not"},
        /* the local token, sent to another host than the local config sends it to */
        {"[fleet]\nserial = 3\n[source.portal]\nurl = https://evil.example/x\n"
         "token_file = /etc/hostname\n",
         "[source.portal] token_file: the local config sends /etc/hostname to another host"},
        {"[fleet]\nserial = 3\n[source.portal]\nurl = https://api.example:8443/x\n"
         "token_file = /etc/hostname\n",
         "to another host"},
        /* a file of the kiosk's put on the wall through a slide's or the banner's source */
        {"[fleet]\nserial = 3\n[slide.x]\nplugin = notice\nsource = /etc/kiosk/mqtt.password\n",
         "[slide.x] source: a remote configuration reads sources by http(s):// only"},
        {"[fleet]\nserial = 3\n[slide.x]\nplugin = notice\nsource = file:///etc/shadow\n",
         "[slide.x] source: a remote configuration reads sources by http(s):// only"},
        {"[fleet]\nserial = 3\n[slide.x]\nplugin = notice\nsource = https://cms.example/n.txt\n",
         NULL},
        {"[fleet]\nserial = 3\n[banner]\nsource = /etc/kiosk/fleet.key\n",
         "[banner] source: a remote configuration reads sources by http(s):// only"},
        {"[fleet]\nserial = 3\n[kiosk]\nmetrics_file = /etc/cron.d/x\n",
         "[kiosk] metrics_file: may not be set"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(load(cases[i].text, &doc, why, sizeof why), 0);
        why[0] = '\0';
        int rc = kiosk_remote_policy(&doc, &local, why, sizeof why);
        if (!cases[i].says && rc != 0)
            fail_msg("%s: refused: %s", cases[i].text, why);
        if (cases[i].says && (rc == 0 || !strstr(why, cases[i].says)))
            fail_msg("%s: expected \"%s\", found \"%s\"", cases[i].text, cases[i].says, why);
        kiosk_config_free(&doc);
    }
    kiosk_config_free(&local);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fleet_keys_and_defaults),
        cmocka_unit_test(test_what_a_remote_document_may_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
