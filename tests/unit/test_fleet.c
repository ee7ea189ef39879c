/* The fleet's pieces a user relies on without seeing them: the metrics' text (label
 * values escaped, faults and quarantines from status.json, kiosk.prom rewritten only when
 * it says something new), the commands a broker hands the kiosk (each refused with
 * its reason when it is not one the kiosk must obey), a link stopped while it cannot
 * reach its broker, which then leaves the kiosk's state alone, and the outgoing queue
 * bounded across reconnections. */
#include "net/mqtt.h"
#include "screen/fleet.h"
#include "screen/metrics.h"
#include "screen/status.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <errno.h>
#include <unistd.h>

static const char status_doc[] =
    "{\"version\": \"0.1.0\", \"updated\": \"2026-12-01T10:00:00Z\", \"uptime_s\": 600,"
    " \"display\": false, \"display_connected\": true, \"clock_synchronised\": true,"
    " \"period\": {\"id\": \"2026-W48\", \"label\": \"Tu\\u1ea7n 48/2026\"},"
    " \"data\": \"fresh\", \"data_age_s\": 100, \"stale\": false, \"heartbeat_s\": 60,"
    " \"sources\": [{\"name\": \"portal\", \"failures\": 2, \"bytes\": 5,"
    "   \"last_success\": \"2026-12-01T09:00:00Z\", \"failed_by\": {\"http\": 3, \"tls\": 1}}],"
    " \"storage\": {\"ok\": true},"
    " \"plugins\": {\"loaded\": [{\"name\": \"trend\"}, {\"name\": \"odd\\\"one\\\\\"},"
    "   {\"name\": \"clock\"}],"
    "   \"refused\": [{\"file\": \"/usr/lib/kiosk/plugins/bad\\nname.so\", \"reason\": \"x\"}]},"
    " \"slides_failed\": [{\"slide\": \"t1\", \"plugin\": \"trend\","
    "   \"reason\": \"quarantined until 2026-12-02 10:00 UTC: the kiosk died\"},"
    "  {\"slide\": \"t2\", \"plugin\": \"trend\", \"reason\": \"create() of plugin trend failed "
    "(-1)\"}],"
    " \"plugin_faults\": [{\"plugin\": \"trend\", \"fault\": \"SIGSEGV\", \"count\": 4,"
    "   \"by_kind\": {\"crash\": 3, \"hang\": 1}, \"quarantined\": true,"
    "   \"back_at\": \"2026-12-02T10:00:00Z\"},"
    "  {\"plugin\": \"odd\\\"one\\\\\", \"fault\": \"exit 1\", \"count\": 1,"
    "   \"by_kind\": {\"exit\": 1}, \"quarantined\": true,"
    "   \"back_at\": \"2026-12-01T10:00:00Z\"},"
    "  {\"plugin\": \"clock\", \"fault\": \"deadline 2 s\", \"count\": 3,"
    "   \"by_kind\": {\"hang\": 3}, \"quarantined\": true,"
    "   \"back_at\": \"2026-12-01T11:00:00Z\"}],"
    " \"frame_render\": {\"count\": 3, \"sum\": 0.03, \"buckets\": [[0.01, 2], [0.02, 3]]},"
    " \"fleet\": {\"broker\": \"mqtts://b\", \"id\": \"k1\", \"connected\": true},"
    " \"remote_config\": {\"url\": \"https://c/kiosk.conf\", \"serial\": 4, \"state\": \"refused\","
    "   \"reason\": \"bad_signature\", \"refused\": 3,"
    "   \"refused_by\": {\"unsigned\": 1, \"bad_signature\": 2}},"
    " \"metrics_refresh_s\": 900}";

static json_t *doc(void)
{
    json_error_t err;
    json_t *d = json_loads(status_doc, 0, &err);
    if (!d)
        fail_msg("test document: %s at %d", err.text, err.position);
    return d;
}

static void metrics_say_what_status_says(void **state)
{
    (void)state;
    json_t *d = doc();
    char *key = NULL;
    /* 30 s after the document was written */
    char *text = kiosk_metrics_text(d, 1796119230, &key);
    assert_non_null(text);
    assert_non_null(strstr(text, "\nkiosk_up 1\n"));
    assert_non_null(strstr(text, "\nkiosk_data_age_seconds 130\n")); /* 100 + 30 */
    assert_non_null(
        strstr(text, "kiosk_data_period_info{period=\"2026-W48\",label=\"Tuần 48/2026\"} 1"));
    assert_non_null(strstr(text, "kiosk_source_up{source=\"portal\"} 0"));
    assert_non_null(
        strstr(text, "kiosk_source_poll_failures_total{source=\"portal\",reason=\"http\"} 3"));
    assert_non_null(
        strstr(text, "kiosk_source_poll_failures_total{source=\"portal\",reason=\"timeout\"} 0"));
    assert_non_null(
        strstr(text, "kiosk_plugin_slides_failed{plugin=\"trend\",reason=\"quarantined\"} 1"));
    assert_non_null(
        strstr(text, "kiosk_plugin_slides_failed{plugin=\"trend\",reason=\"create_failed\"} 1"));
    assert_non_null(strstr(text, "kiosk_plugin_quarantined{plugin=\"trend\"} 1"));
    /* its worker's faults by kind, as many as the worker counted */
    assert_non_null(strstr(text, "kiosk_plugin_faults_total{plugin=\"trend\",fault=\"crash\"} 3"));
    assert_non_null(strstr(text, "kiosk_plugin_faults_total{plugin=\"trend\",fault=\"hang\"} 1"));
    assert_non_null(strstr(text, "kiosk_plugin_faults_total{plugin=\"trend\",fault=\"memory\"} 0"));
    assert_non_null(
        strstr(text, "kiosk_plugin_faults_total{plugin=\"odd\\\"one\\\\\",fault=\"exit\"} 1"));
    /* quarantined by its worker's faults until 11:00; odd"one's ended at 10:00 */
    assert_non_null(strstr(text, "kiosk_plugin_quarantined{plugin=\"clock\"} 1"));
    assert_non_null(strstr(text, "kiosk_plugin_faults_total{plugin=\"clock\",fault=\"hang\"} 3"));
    /* label values escaped: a quote, a backslash, a line feed */
    assert_non_null(strstr(text, "kiosk_plugin_quarantined{plugin=\"odd\\\"one\\\\\"} 0"));
    assert_non_null(
        strstr(text, "kiosk_plugin_slides_failed{plugin=\"bad\\nname.so\",reason=\"refused\"} 1"));
    assert_non_null(strstr(text, "\nkiosk_display_on 0\n"));
    assert_non_null(strstr(text, "\nkiosk_display_connected 1\n"));
    assert_non_null(strstr(text, "\nkiosk_fleet_broker_connected 1\n"));
    assert_non_null(strstr(text, "\nkiosk_metrics_refresh_seconds 900\n"));
    /* the remote configuration's refusals by reason, its state with the last one */
    assert_non_null(strstr(text, "\nkiosk_remote_config_refused_total{reason=\"unsigned\"} 1\n"));
    assert_non_null(
        strstr(text, "\nkiosk_remote_config_refused_total{reason=\"bad_signature\"} 2\n"));
    /* the reasons not met yet, at 0 (a series born at 1 is an increase never seen) */
    assert_non_null(strstr(text, "\nkiosk_remote_config_refused_total{reason=\"replayed\"} 0\n"));
    assert_non_null(
        strstr(text, "\nkiosk_remote_config_refused_total{reason=\"rolled_back\"} 0\n"));
    assert_non_null(strstr(
        text, "\nkiosk_remote_config_state{state=\"refused\",reason=\"bad_signature\"} 1\n"));
    assert_non_null(strstr(text, "\nkiosk_remote_config_serial 4\n"));
    assert_non_null(strstr(text, "kiosk_frame_render_seconds_bucket{le=\"0.01\"} 2"));
    assert_non_null(strstr(text, "kiosk_frame_render_seconds_bucket{le=\"+Inf\"} 3"));
    assert_non_null(strstr(text, "kiosk_frame_render_seconds_count 3"));
    /* the key leaves out what moves with the clock alone */
    assert_null(strstr(key, "kiosk_data_age_seconds 1"));
    assert_null(strstr(key, "kiosk_frame_render_seconds_count"));
    assert_non_null(strstr(key, "kiosk_display_on 0"));
    free(text);
    free(key);
    /* the same document an hour later: its writer stopped, the kiosk is not up */
    text = kiosk_metrics_text(d, 1796119200 + 3600, NULL);
    assert_non_null(strstr(text, "\nkiosk_up 0\n"));
    free(text);
    json_decref(d);
}

/* kiosk.prom on lasting storage (an SD card): rewritten when it says something new, its
 * ages alone every 15 minutes, not every minute as on tmpfs */
static void metrics_file_on_lasting_storage(void **state)
{
    (void)state;
    char dir[] = "kiosk-metrics-XXXXXX"; /* in the build folder: not tmpfs */
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/kiosk.prom", dir);
    struct kiosk_metrics_writer w = {0};
    if (!kiosk_metrics_place(&w, path)) {
        kiosk_metrics_writer_free(&w);
        rmdir(dir);
        skip(); /* the build folder is on tmpfs here */
    }
    assert_int_equal(w.refresh_s, KIOSK_METRICS_DURABLE_S);
    json_t *d = doc();
    int64_t t = 1796119200;
    assert_int_equal(kiosk_metrics_write(&w, d, t), 0);
    unlink(path);
    assert_int_equal(kiosk_metrics_write(&w, d, t + 61), 0); /* the ages alone */
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(kiosk_metrics_write(&w, d, t + 120), 0);
    assert_int_equal(access(path, F_OK), -1);
    /* status.json written again meanwhile (its heartbeat): still the ages alone */
    json_object_set_new(d, "updated", json_string("2026-12-01T10:14:50Z"));
    json_object_set_new(d, "uptime_s", json_integer(600 + 890));
    assert_int_equal(kiosk_metrics_write(&w, d, t + 899), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(kiosk_metrics_write(&w, d, t + 915), 0); /* the next 15 s slot */
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
    json_object_set_new(d, "display", json_true()); /* news: at the next slot */
    assert_int_equal(kiosk_metrics_write(&w, d, t + 930), 0);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
    rmdir(dir);
    json_decref(d);
    kiosk_metrics_writer_free(&w);
    /* on tmpfs: every minute */
    struct kiosk_metrics_writer v = {0};
    if (!kiosk_metrics_place(&v, "/dev/shm/kiosk.prom"))
        assert_int_equal(v.refresh_s, KIOSK_METRICS_MAX_S);
    kiosk_metrics_writer_free(&v);
}

static void metrics_file_written_when_new(void **state)
{
    (void)state;
    char dir[] = "/tmp/kiosk-metrics-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/kiosk.prom", dir);
    struct kiosk_metrics_writer w = {.path = strdup(path)};
    json_t *d = doc();
    int64_t t = 1796119200;
    assert_int_equal(kiosk_metrics_write(&w, d, t), 0);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path); /* from here on: whether it is written again */
    assert_int_equal(kiosk_metrics_write(&w, d, t + 5), 0); /* within 15 s: not looked at */
    assert_int_equal(access(path, F_OK), -1);
    /* the ages moved, nothing else: not before a minute */
    assert_int_equal(kiosk_metrics_write(&w, d, t + 20), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(kiosk_metrics_write(&w, d, t + 61), 0);
    assert_int_equal(access(path, F_OK), 0);
    unlink(path);
    /* something said anew (the screen on): at the next 15 s slot */
    json_object_set_new(d, "display", json_true());
    assert_int_equal(kiosk_metrics_write(&w, d, t + 70), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(kiosk_metrics_write(&w, d, t + 76), 0);
    assert_int_equal(access(path, F_OK), 0);
    FILE *f = fopen(path, "r");
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "\nkiosk_display_on 1\n"));
    unlink(path);
    rmdir(dir);
    json_decref(d);
    kiosk_metrics_writer_free(&w);
}

static void commands_checked(void **state)
{
    (void)state;
    static const struct {
        const char *payload;
        const char *says; /* NULL: taken */
    } cases[] = {
        {"{\"id\": \"a\", \"cmd\": \"reload\"}", NULL},
        {"{\"id\": \"a\", \"cmd\": \"poll\", \"ts\": 1796119100}", NULL},
        {"{\"id\": \"a\", \"cmd\": \"snapshot\"}", NULL},
        {"{\"id\": \"a\", \"cmd\": \"banner\", \"text\": \"Nghỉ lễ\", \"until\": "
         "\"2026-12-02T00:00:00Z\", \"urgent\": true}",
         NULL},
        {"reload", "malformed command: "},
        {"[1, 2]", "malformed command: expected a JSON object"},
        {"{\"cmd\": \"reload\"}", "malformed command: expected \"id\""},
        {"{\"id\": \"a b\", \"cmd\": \"reload\"}", "malformed command: expected \"id\""},
        {"{\"id\": \"a\", \"id\": \"b\", \"cmd\": \"reload\"}", "malformed command: "},
        {"{\"id\": \"a\"}", "malformed command: expected \"cmd\""},
        {"{\"id\": \"a\", \"cmd\": \"rm-rf\"}", "unknown command \"rm-rf\""},
        {"{\"id\": \"a\", \"cmd\": \"x\\ny\"}", "unknown command (expected"},
        {"{\"id\": \"a\", \"cmd\": \"poll\", \"ts\": \"yesterday\"}", "expected \"ts\""},
        {"{\"id\": \"a\", \"cmd\": \"poll\", \"ts\": 1796116000}", "expired: sent 3200 s ago"},
        {"{\"id\": \"a\", \"cmd\": \"banner\", \"until\": 1796126400}",
         "banner: expected \"text\""},
        {"{\"id\": \"a\", \"cmd\": \"banner\", \"text\": \"x\", \"until\": 1795519200}",
         "banner: expected \"until\""},
        {"{\"id\": \"a\", \"cmd\": \"banner\", \"text\": \"x\", \"until\": 1796126400, "
         "\"urgent\": \"yes\"}",
         "banner: expected \"urgent\""},
        {"{\"id\": \"a\", \"cmd\": \"banner\", \"text\": \"a\\u0000b\", \"until\": 1796126400}",
         "malformed command: \\u0000 is not allowed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct kiosk_fleet_cmd c;
        char why[256] = "";
        int rc = kiosk_fleet_parse(cases[i].payload, strlen(cases[i].payload), 1796119200, &c, why,
                                   sizeof why);
        if (!cases[i].says) {
            if (rc != 0)
                fail_msg("%s: refused: %s", cases[i].payload, why);
            assert_string_equal(c.id, "a");
        } else if (rc == 0 || !strstr(why, cases[i].says)) {
            fail_msg("%s: expected \"%s\", found \"%s\"", cases[i].payload, cases[i].says,
                     rc == 0 ? "taken" : why);
        }
    }
    /* too large, whatever it holds */
    size_t big = KIOSK_FLEET_CMD_MAX_BYTES + 1;
    char *p = malloc(big);
    memset(p, ' ', big);
    struct kiosk_fleet_cmd c;
    char why[256];
    assert_int_equal(kiosk_fleet_parse(p, big, 0, &c, why, sizeof why), -1);
    assert_non_null(strstr(why, "command too large: 16385 bytes (at most 16384)"));
    free(p);
}

/* A poll of the remote configuration, or of a source, that changed nothing is no change:
 * status.json is not rewritten, nor the status published again, for its times alone. */
static void status_key_leaves_out_the_poll_times(void **state)
{
    (void)state;
    const char *a = "{\"slide\": \"s\", \"sources\": [{\"name\": \"p\", \"last_attempt\": \"1\"}],"
                    " \"remote_config\": {\"state\": \"applied\", \"serial\": 5,"
                    " \"last_attempt\": \"2026-12-01T10:00:00Z\","
                    " \"last_success\": \"2026-12-01T10:00:00Z\"}}";
    const char *b = "{\"slide\": \"s\", \"sources\": [{\"name\": \"p\", \"last_attempt\": \"2\"}],"
                    " \"remote_config\": {\"state\": \"applied\", \"serial\": 5,"
                    " \"last_attempt\": \"2026-12-01T10:05:00Z\","
                    " \"last_success\": \"2026-12-01T10:05:00Z\"}}";
    const char *c = "{\"slide\": \"s\", \"sources\": [{\"name\": \"p\", \"last_attempt\": \"2\"}],"
                    " \"remote_config\": {\"state\": \"refused\", \"serial\": 5,"
                    " \"last_attempt\": \"2026-12-01T10:05:00Z\","
                    " \"last_success\": \"2026-12-01T10:05:00Z\"}}";
    json_t *da = json_loads(a, 0, NULL), *db = json_loads(b, 0, NULL), *dc = json_loads(c, 0, NULL);
    char *ka = kiosk_status_key(da, false), *kb = kiosk_status_key(db, false),
         *kc = kiosk_status_key(dc, false);
    assert_string_equal(ka, kb);
    assert_string_not_equal(kb, kc); /* a new state is a change */
    free(ka);
    free(kb);
    free(kc);
    json_decref(da);
    json_decref(db);
    json_decref(dc);
}

static int owner_calls; /* callbacks reaching the link's owner */

static void owner_link(void *ctx, bool up)
{
    (void)ctx;
    (void)up;
    owner_calls++;
}

static void owner_message(void *ctx, const char *topic, const void *p, size_t n, bool retained)
{
    (void)ctx;
    (void)topic;
    (void)p;
    (void)n;
    (void)retained;
    owner_calls++;
}

/* A broker whose listen queue is full: the link's connect() waits on a SYN that is dropped;
 * the kiosk stops meanwhile (the link is left behind after 5 s), and the broker then takes
 * the connection and accepts it. The link, stopped, calls nothing of its owner's. */
static void stopped_link_leaves_its_owner_alone(void **state)
{
    (void)state;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 0), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &al), 0);
    int filler = socket(AF_INET, SOCK_STREAM, 0); /* fills the queue, never accepted yet */
    assert_int_equal(connect(filler, (struct sockaddr *)&a, sizeof a), 0);

    char log[4096] = "";
    FILE *lf = fmemopen(log, sizeof log - 1, "w");
    setvbuf(lf, NULL, _IONBF, 0);
    const char *topics[] = {"kiosk/k1/cmd"};
    struct kiosk_mqtt_config c = {.host = "127.0.0.1",
                                  .port = ntohs(a.sin_port),
                                  .client_id = "k1",
                                  .keepalive_s = 30,
                                  .subscribe = topics,
                                  .n_subscribe = 1,
                                  .on_message = owner_message,
                                  .on_link = owner_link,
                                  .log = lf};
    struct kiosk_mqtt *m;
    char why[256];
    assert_int_equal(kiosk_mqtt_start(&c, &m, why, sizeof why), 0);
    usleep(300 * 1000);
    kiosk_mqtt_stop(m);
    assert_non_null(strstr(log, "the link is still trying to connect: left behind"));

    /* the queue has room again: the link's next SYN gets through */
    int k = accept(lfd, NULL, NULL);
    close(k);
    close(filler);
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    assert_true(poll(&p, 1, 20000) == 1);
    k = accept(lfd, NULL, NULL);
    assert_true(k >= 0);
    /* CONNACK (MQTT 5: success, no properties) and a command on its topic, there before
     * the link reads: its first look at the socket finds them */
    static const unsigned char connack[] = {0x20, 0x03, 0x00, 0x00, 0x00};
    static const unsigned char publish[] = {0x30, 0x12, 0x00, 0x0c, 'k', 'i', 'o',  's', 'k', '/',
                                            'k',  '1',  '/',  'c',  'm', 'd', 0x00, '{', '}', '\n'};
    assert_int_equal(send(k, connack, sizeof connack, MSG_NOSIGNAL), (ssize_t)sizeof connack);
    (void)!send(k, publish, sizeof publish, MSG_NOSIGNAL); /* the link may be gone by now */
    unsigned char in[512];
    p = (struct pollfd){.fd = k, .events = POLLIN};
    assert_true(poll(&p, 1, 5000) == 1);
    assert_true(read(k, in, sizeof in) > 0 && in[0] == 0x10); /* its CONNECT */
    /* the link says goodbye (a DISCONNECT, 0xe0) or hangs up: it has seen the CONNACK. A
     * hang-up is a FIN, or a reset when it closed before reading the command we sent */
    p = (struct pollfd){.fd = k, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 5000), 1);
    ssize_t got = read(k, in, sizeof in);
    int e = errno;
    assert_true(got == 0 || (got < 0 && e == ECONNRESET) ||
                (got > 0 && (in[0] & 0xf0) == 0xe0)); /* never a SUBSCRIBE */
    usleep(300 * 1000);
    assert_int_equal(owner_calls, 0);
    close(k);
    close(lfd);
    fclose(lf);
}

/* A broker of the test's own on loopback: the next connection accepted and answered with a
 * CONNACK (MQTT 5: success, no properties) once its CONNECT is in. */
static int broker_accept(int lfd)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 10000), 1);
    int k = accept(lfd, NULL, NULL);
    assert_true(k >= 0);
    unsigned char in[512];
    p = (struct pollfd){.fd = k, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 5000), 1);
    assert_true(read(k, in, sizeof in) > 0 && in[0] == 0x10); /* its CONNECT */
    static const unsigned char connack[] = {0x20, 0x03, 0x00, 0x00, 0x00};
    assert_int_equal(send(k, connack, sizeof connack, MSG_NOSIGNAL), (ssize_t)sizeof connack);
    return k;
}

static void wait_link(struct kiosk_mqtt *m, bool up)
{
    for (int i = 0; i < 200 && kiosk_mqtt_connected(m) != up; i++)
        usleep(50 * 1000);
    assert_true(kiosk_mqtt_connected(m) == up);
}

/* What was sent and never acknowledged before the link went down is sent again after it
 * comes back, and still counts: a link that keeps dropping cannot pile up more than the
 * queue's 32 messages (it was counted from zero at each connection). */
static void unacknowledged_messages_count_across_reconnections(void **state)
{
    (void)state;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 4), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &al), 0);
    FILE *lf = fopen("/dev/null", "w");
    struct kiosk_mqtt_config c = {.host = "127.0.0.1",
                                  .port = ntohs(a.sin_port),
                                  .client_id = "k1",
                                  .keepalive_s = 30,
                                  .log = lf};
    struct kiosk_mqtt *m;
    char why[256];
    assert_int_equal(kiosk_mqtt_start(&c, &m, why, sizeof why), 0);
    int k = broker_accept(lfd);
    wait_link(m, true);
    int sent = 0;
    for (int i = 0; i < 20; i++) /* never acknowledged */
        sent += kiosk_mqtt_publish(m, "kiosk/k1/reply", "{}", 2, false) == 0;
    assert_int_equal(sent, 20);
    close(k); /* the broker goes: the link comes back by itself */
    wait_link(m, false);
    k = broker_accept(lfd);
    wait_link(m, true);
    sent = 0;
    for (int i = 0; i < 20; i++)
        sent += kiosk_mqtt_publish(m, "kiosk/k1/reply", "{}", 2, false) == 0;
    assert_int_equal(sent, KIOSK_MQTT_QUEUE_MAX - 20);
    kiosk_mqtt_stop(m);
    close(k);
    close(lfd);
    fclose(lf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_key_leaves_out_the_poll_times),
        cmocka_unit_test(metrics_say_what_status_says),
        cmocka_unit_test(metrics_file_written_when_new),
        cmocka_unit_test(metrics_file_on_lasting_storage),
        cmocka_unit_test(commands_checked),
        cmocka_unit_test(stopped_link_leaves_its_owner_alone),
        cmocka_unit_test(unacknowledged_messages_count_across_reconnections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
