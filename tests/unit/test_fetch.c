/* Fetching from a real HTTP server on loopback: validators and 304s, compression, POST
 * with headers, and every way a server misbehaves, each with an error a technician can
 * act on and a bounded cost. */
#include "helpers.h"

#include "net/fetch.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct test_server srv, tls; /* tls: stopped by the teardown if a test fails */

static int setup(void **state)
{
    (void)state;
    kiosk_fetch_global_init();
    if (test_server_start(&srv))
        return -1;
    test_server_put(&srv, KIOSK_FIXTURES "/weekly/2025-W39.json", "feed.json");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_server_stop(&srv);
    if (tls.pid > 0)
        test_server_stop(&tls);
    return 0;
}

static void url(char *buf, size_t size, const char *path)
{
    snprintf(buf, size, "http://127.0.0.1:%d%s", srv.port, path);
}

static struct kiosk_fetch_request request(const char *u)
{
    return (struct kiosk_fetch_request){
        .url = u, .max_bytes = 16 * 1024 * 1024, .connect_timeout_s = 5, .total_timeout_s = 10};
}

static void test_unchanged_feed_costs_a_304_and_a_change_is_seen(void **state)
{
    (void)state;
    char u[256];
    url(u, sizeof u, "/feed.json");
    struct kiosk_fetch_request rq = request(u);
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_int_equal(r.http_status, 200);
    assert_false(r.not_modified);
    assert_non_null(strstr(r.body, "2025-W39"));
    assert_true(r.etag[0] == '"');
    assert_true(r.last_modified[0] != '\0');
    char etag[256];
    snprintf(etag, sizeof etag, "%s", r.etag);
    kiosk_fetch_result_free(&r);

    rq.etag = etag;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_int_equal(r.http_status, 304);
    assert_true(r.not_modified);
    assert_null(r.body);

    test_server_put(&srv, KIOSK_FIXTURES "/weekly/2025-W40.json", "feed.json");
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_int_equal(r.http_status, 200);
    assert_non_null(strstr(r.body, "2025-W40"));
    assert_string_not_equal(r.etag, etag);
    kiosk_fetch_result_free(&r);
}

static void test_compressed_transfer_arrives_as_the_document(void **state)
{
    (void)state;
    char u[256];
    url(u, sizeof u, "/feed.json");
    size_t len;
    test_server_put(&srv, KIOSK_FIXTURES "/weekly/2025-W38.json", "feed.json");
    char *want = read_file(KIOSK_FIXTURES "/weekly/2025-W38.json", &len);
    struct kiosk_fetch_request rq = request(u);
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), 0); /* the server gzips when asked */
    assert_int_equal(r.len, len);
    assert_memory_equal(r.body, want, len);
    kiosk_fetch_result_free(&r);
    free(want);
}

static void test_post_with_a_token_header(void **state)
{
    (void)state;
    char u[256];
    url(u, sizeof u, "/post/feed.json");
    const char *headers[] = {"Authorization: Bearer t0ken", NULL};
    struct kiosk_fetch_request rq = request(u);
    rq.post_body = "{\"timeType\":\"month\",\"year\":2026,\"month\":8}";
    rq.headers = headers;
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_non_null(strstr(r.body, "kiosk-scores"));
    kiosk_fetch_result_free(&r);
    headers[0] = "Authorization: Bearer wrong";
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
    assert_int_equal(r.http_status, 401);
    assert_string_equal(r.error, "the server answered HTTP 401");
    assert_null(strstr(r.error, "wrong")); /* no secrets in messages */
}

static void test_each_misbehaviour_fails_with_its_reason_and_in_bounded_time(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *says;
        long max_seconds;
    } cases[] = {
        {"/status/500", "the server answered HTTP 500", 3},
        {"/missing.json", "the server answered HTTP 404", 3},
        {"/reset", "", 3},
        {"/stall", "", 12},
        {"/huge", "larger than the limit of 1048576 bytes (download stopped)", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char u[256];
        url(u, sizeof u, cases[i].path);
        struct kiosk_fetch_request rq = request(u);
        rq.max_bytes = 1024 * 1024;
        rq.total_timeout_s = 8;
        struct kiosk_fetch_result r;
        time_t t0 = time(NULL);
        assert_int_equal(kiosk_fetch(&rq, &r), -1);
        long took = (long)(time(NULL) - t0);
        print_message("%s: %s (%ld s)\n", cases[i].path, r.error, took);
        assert_true(r.error[0] != '\0');
        if (!strstr(r.error, cases[i].says))
            fail_msg("%s: \"%s\" does not say \"%s\"", cases[i].path, r.error, cases[i].says);
        assert_true(took <= cases[i].max_seconds);
        assert_null(r.body);
    }
}

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Asks to stop once the transfer has run for two seconds. */
static bool after_two_seconds(void *ctx)
{
    const double *t0 = ctx;
    return monotonic_s() - *t0 >= 2.0;
}

/* A kiosk stopping or reloading does not wait out a server that stalls: the transfer
 * ends when asked, long before its timeout, and says it was stopped. */
static void test_a_stalled_transfer_ends_when_asked_to_stop(void **state)
{
    (void)state;
    char u[256];
    url(u, sizeof u, "/stall");
    struct kiosk_fetch_request rq = request(u);
    rq.total_timeout_s = 30;
    double t0 = monotonic_s();
    const struct kiosk_cancel cancel = {after_two_seconds, &t0};
    rq.cancel = &cancel;
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
    double took = monotonic_s() - t0;
    print_message("/stall, stopped: %s (%.1f s)\n", r.error, took);
    assert_string_equal(r.error, "stopped");
    assert_true(took < 5.0); /* its own cut (low speed) would be at 15 s */
    assert_null(r.body);
    /* not asked while it runs: the same request reaches the server's answer */
    url(u, sizeof u, "/feed.json");
    rq.url = u;
    t0 = monotonic_s();
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_int_equal(r.http_status, 200);
    assert_non_null(strstr(r.body, "\"kiosk-scores\""));
    kiosk_fetch_result_free(&r);
}

static void test_html_and_truncated_bodies_arrive_for_the_reader_to_refuse(void **state)
{
    (void)state;
    /* transport succeeded: the feed reader says what is wrong with the content */
    char u[256];
    url(u, sizeof u, "/html");
    struct kiosk_fetch_request rq = request(u);
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    assert_int_not_equal(kiosk_feed_read_buffer(&t, u, NULL, r.body, r.len, &o, &d, NULL), 0);
    assert_true(diags_have(&d, "found an HTML page", NULL));
    kiosk_fetch_result_free(&r);
    kiosk_diags_free(&d);
    url(u, sizeof u, "/truncated/feed.json");
    rq = request(u);
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_int_not_equal(kiosk_feed_read_buffer(&t, u, NULL, r.body, r.len, &o, &d, NULL), 0);
    assert_true(diags_have(&d, "ends before the JSON value does", NULL));
    kiosk_fetch_result_free(&r);
    kiosk_diags_free(&d);
    kiosk_table_free(&t);
}

static void test_a_closed_port_and_a_local_file(void **state)
{
    (void)state;
    struct kiosk_fetch_request rq = request("http://127.0.0.1:1/feed.json");
    struct kiosk_fetch_result r;
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
    assert_non_null(strstr(r.error, "onnect"));
    rq = request(KIOSK_FIXTURES "/weekly/2025-W40.json");
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    char etag[256];
    snprintf(etag, sizeof etag, "%s", r.etag);
    kiosk_fetch_result_free(&r);
    rq.etag = etag;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_true(r.not_modified); /* unchanged file: same size and time */
    rq = request("https://127.0.0.1:1/feed.json");
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
}

/* An https source never follows a redirect to plain http (the document would be read
 * from anyone on the path), follows one to https, and says where the answer came from. */
static void test_https_refuses_a_downgrade_and_says_the_final_url(void **state)
{
    (void)state;
    char dir[64], cmd[512], cert[128], key[128];
    assert_int_equal(make_temp_dir(dir, sizeof dir, "tls"), 0);
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s 2>/dev/null",
             key, cert);
    if (system(cmd) != 0) {
        remove_tree(dir);
        skip(); /* no openssl to make a certificate with */
    }
    assert_int_equal(test_server_start_tls(&tls, cert, key), 0);
    test_server_put(&tls, KIOSK_FIXTURES "/weekly/2025-W40.json", "feed.json");
    char u[512];
    struct kiosk_fetch_result r;
    /* https, trusted through ca_file */
    snprintf(u, sizeof u, "https://127.0.0.1:%d/feed.json", tls.port);
    struct kiosk_fetch_request rq = request(u);
    rq.ca_file = cert;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    assert_non_null(strstr(r.body, "2025-W40"));
    kiosk_fetch_result_free(&r);
    /* without it the certificate is not trusted */
    rq.ca_file = NULL;
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
    /* a redirect from https to http: refused, nothing read */
    snprintf(u, sizeof u, "https://127.0.0.1:%d/redirect?to=http://127.0.0.1:%d/feed.json",
             tls.port, srv.port);
    rq = request(u);
    rq.ca_file = cert;
    assert_int_equal(kiosk_fetch(&rq, &r), -1);
    assert_null(r.body);
    assert_non_null(strstr(r.error, "refused a redirect from https to http://127.0.0.1"));
    /* to https: followed, and the final URL says so */
    snprintf(u, sizeof u, "https://127.0.0.1:%d/redirect?to=https://127.0.0.1:%d/feed.json",
             tls.port, tls.port);
    rq.url = u;
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    char final[128];
    snprintf(final, sizeof final, "https://127.0.0.1:%d/feed.json", tls.port);
    assert_string_equal(r.final_url, final);
    kiosk_fetch_result_free(&r);
    /* an http source may still be redirected to http */
    snprintf(u, sizeof u, "http://127.0.0.1:%d/redirect?to=/feed.json", srv.port);
    rq = request(u);
    assert_int_equal(kiosk_fetch(&rq, &r), 0);
    kiosk_fetch_result_free(&r);
    test_server_stop(&tls);
    tls.pid = 0;
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_feed_costs_a_304_and_a_change_is_seen),
        cmocka_unit_test(test_compressed_transfer_arrives_as_the_document),
        cmocka_unit_test(test_post_with_a_token_header),
        cmocka_unit_test(test_each_misbehaviour_fails_with_its_reason_and_in_bounded_time),
        cmocka_unit_test(test_a_stalled_transfer_ends_when_asked_to_stop),
        cmocka_unit_test(test_html_and_truncated_bodies_arrive_for_the_reader_to_refuse),
        cmocka_unit_test(test_a_closed_port_and_a_local_file),
        cmocka_unit_test(test_https_refuses_a_downgrade_and_says_the_final_url),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
