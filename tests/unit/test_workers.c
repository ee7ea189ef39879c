/* Plugin workers apart from the screen: the fault policy under a fake clock (backoff,
 * quarantine, its end), a real worker of the kiosk's binary drawing a test plugin into
 * the shared canvas, a crash named and its restart when the backoff is over, a worker
 * that answers garbage, and the snapshot image scored again to the same figures. */
#include "helpers.h"

#include "host/worker.h"
#include "screen/setup.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void test_backoff_doubles_then_quarantines(void **state)
{
    (void)state;
    struct kiosk_fault_policy f = {0};
    assert_true(kiosk_fault_may_start(&f, 0));
    assert_int_equal(kiosk_fault_record(&f, 1000, 3600), 1001); /* 1 s */
    assert_false(f.quarantined);
    assert_false(kiosk_fault_may_start(&f, 1000));
    assert_true(kiosk_fault_may_start(&f, 1001));
    assert_int_equal(kiosk_fault_record(&f, 1001, 3600), 1003); /* 2 s */
    /* the third within 10 minutes: an hour */
    assert_int_equal(kiosk_fault_record(&f, 1003, 3600), 1003 + 3600);
    assert_true(f.quarantined);
    assert_int_equal(f.count, 3);
    assert_false(kiosk_fault_may_start(&f, 1003 + 3599));
    assert_true(kiosk_fault_may_start(&f, 1003 + 3600));
    /* after the quarantine a fault starts over: 1 s, not another hour */
    assert_int_equal(kiosk_fault_record(&f, 5000, 3600), 5001);
    assert_false(f.quarantined);
}

static void test_backoff_caps_at_five_minutes(void **state)
{
    (void)state;
    struct kiosk_fault_policy f = {0};
    /* faults 5 minutes apart: each close to the last (within 10 min), never three in 10 */
    int64_t t = 0, wait = 0;
    for (int i = 0; i < 12; i++, t += 301) {
        wait = kiosk_fault_record(&f, t, 3600) - t;
        assert_false(f.quarantined);
    }
    assert_int_equal(wait, 300);
    /* faults far apart: each is a first one */
    struct kiosk_fault_policy g = {0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(kiosk_fault_record(&g, i * 1000, 3600) - i * 1000, 1);
    assert_int_equal(g.count, 5);
}

static int64_t fake_now;
static int64_t fake_clock(void)
{
    return fake_now;
}

static void conf_for(struct kiosk_worker_conf *c, FILE *log)
{
    kiosk_worker_conf_init(c);
    /* in a cross build, the emulator's wrapper, without the filter it cannot give */
    c->exe = getenv("KIOSK_SELF") ? getenv("KIOSK_SELF") : KIOSK_BIN;
    c->sandbox = !getenv("KIOSK_WORKER_FILTER") || strcmp(getenv("KIOSK_WORKER_FILTER"), "off");
    c->fonts_dir = KIOSK_BUILD_DATADIR "/fonts";
    c->deadline_s = 5;
    c->log = log;
    c->now = fake_clock;
}

/* A worker for a test plugin, started under the fake clock; its log in *log. */
static struct kiosk_worker *started(const char *plugin, struct kiosk_worker_conf *c, FILE **log)
{
    *log = tmpfile();
    conf_for(c, *log);
    fake_now = 1000;
    char file[512], why[256];
    snprintf(file, sizeof file, "%s/%s.so", KIOSK_TEST_PLUGIN_DIR, plugin);
    struct kiosk_worker *w;
    if (kiosk_worker_start(&w, file, c, why, sizeof why) != 0)
        fail_msg("%s: %s", plugin, why);
    return w;
}

static struct kiosk_frame frame(int w, int h)
{
    return (struct kiosk_frame){.struct_size = sizeof(struct kiosk_frame),
                                .width = w,
                                .height = h,
                                .scale = 0.5f,
                                .now_unix_ms = 1759712400000};
}

static void test_a_worker_draws_and_a_crash_costs_its_slide(void **state)
{
    (void)state;
    FILE *log = tmpfile();
    struct kiosk_worker_conf c;
    conf_for(&c, log);
    fake_now = 1000;
    char why[256];
    struct kiosk_worker *w;
    assert_int_equal(kiosk_worker_start(&w, KIOSK_TEST_PLUGIN_DIR "/good.so", &c, why, sizeof why),
                     0);
    assert_string_equal(kiosk_worker_name(w), "good");
    struct kiosk_keyvals kv = {0};
    int rc;
    assert_int_equal(kiosk_worker_add_slide(w, "one", &kv, &rc), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(kiosk_worker_add_slide(w, "two", &kv, &rc), 1); /* one worker, two slides */
    kiosk_canvas *canvas = kiosk_canvas_new(320, 180, NULL);
    kiosk_canvas_clear(canvas, 0xFF000000);
    struct kiosk_frame f = frame(320, 160);
    int hint = 12345;
    assert_int_equal(kiosk_worker_render(w, 1, canvas, 0xFF102030, &f, NULL, &hint), 0);
    assert_int_not_equal(hint, 12345);
    /* the worker cleared the shared canvas to the background, and it reached ours */
    int stride;
    const uint8_t *px = kiosk_canvas_pixels(canvas, &stride);
    assert_int_equal(((const uint32_t *)(px + 170 * stride))[5] & 0xFFFFFF, 0x102030);
    assert_int_equal(kiosk_worker_has_content(w, 0, 320, 180, &f, NULL), 1);
    assert_null(kiosk_worker_last_fault(w));
    kiosk_worker_free(w);

    /* a crash in render: named, its slide out until the backoff is over */
    assert_int_equal(
        kiosk_worker_start(&w, KIOSK_TEST_PLUGIN_DIR "/render_segv.so", &c, why, sizeof why), 0);
    assert_int_equal(kiosk_worker_add_slide(w, "segv", &kv, &rc), 0);
    pid_t first = kiosk_worker_pid(w);
    assert_int_equal(kiosk_worker_render(w, 0, canvas, 0xFF102030, &f, NULL, &hint), -1);
    const struct kiosk_worker_fault *fault = kiosk_worker_last_fault(w);
    assert_non_null(fault);
    assert_string_equal(fault->what, "SIGSEGV");
    assert_string_equal(fault->slide, "segv");
    assert_string_equal(fault->call, "render");
    assert_int_equal(fault->count, 1);
    assert_int_equal(fault->back_at, 1001);
    assert_false(kiosk_worker_ready(w)); /* the fake clock has not moved */
    assert_int_equal(kiosk_worker_has_content(w, 0, 320, 180, &f, NULL), -1);
    fake_now = 1001;
    assert_true(kiosk_worker_ready(w)); /* started again, its slide made again */
    assert_int_not_equal(kiosk_worker_pid(w), first);
    assert_int_equal(kiosk_worker_has_content(w, 0, 320, 180, &f, NULL), 1);
    kiosk_worker_free(w);
    kiosk_canvas_free(canvas);

    /* one log line per fault, naming it */
    rewind(log);
    char line[512];
    int faults = 0;
    while (fgets(line, sizeof line, log))
        faults +=
            strstr(line, "plugin render_segv: fault 1: SIGSEGV in render() of slide segv") != NULL;
    assert_int_equal(faults, 1);
    fclose(log);
}

/* A "worker" that answers its socket with garbage: a bad reply, never trusted. */
static void test_a_reply_that_is_not_one(void **state)
{
    (void)state;
    char dir[256], exe[300];
    assert_int_equal(make_temp_dir(dir, sizeof dir, "worker"), 0);
    snprintf(exe, sizeof exe, "%s/liar", dir);
    FILE *f = fopen(exe, "w");
    assert_non_null(f);
    fputs("#!/usr/bin/env python3\nimport socket, time\n"
          "s = socket.socket(fileno=3)\ns.send(b'kiosk run: I am the kiosk')\ntime.sleep(5)\n",
          f);
    fclose(f);
    chmod(exe, 0755);
    struct kiosk_worker_conf c;
    conf_for(&c, NULL);
    c.exe = exe;
    struct kiosk_worker *w;
    char why[256];
    assert_int_equal(kiosk_worker_start(&w, KIOSK_TEST_PLUGIN_DIR "/good.so", &c, why, sizeof why),
                     -1);
    assert_non_null(strstr(why, "bad reply"));
    remove_tree(dir);
}

/* The snapshot image, scored again: the same figures, ranks, insights. */
static void test_the_snapshot_image_scores_the_same(void **state)
{
    (void)state;
    struct kiosk_setup_args args = {.data_dir = KIOSK_BUILD_DATADIR,
                                    .plugin_dir = KIOSK_BUILD_PLUGINDIR};
    struct kiosk_diags d = {0};
    struct kiosk_setup app;
    struct kiosk_snapshot *snap = NULL, *again = NULL;
    assert_int_equal(kiosk_setup_open(&app, &args, NULL, &d), 0);
    assert_int_equal(kiosk_setup_score(&app, &d, &snap), 0);
    int fd;
    uint64_t size;
    assert_int_equal(kiosk_snapimage_write(snap, &fd, &size), 0);
    /* sealed: no one writes it after */
    assert_true(write(fd, "x", 1) < 0);
    assert_int_equal(kiosk_snapimage_read(fd, size, &again), 0);
    assert_int_equal(again->n_scopes, snap->n_scopes);
    assert_string_equal(again->period->id, snap->period->id);
    assert_int_equal(again->history_periods, snap->history_periods);
    assert_string_equal(again->home, snap->home);
    for (size_t i = 0; i < snap->n_scopes; i++) {
        assert_int_equal(again->scopes[i].count, snap->scopes[i].count);
        for (size_t u = 0; u < snap->scopes[i].count; u++) {
            assert_string_equal(again->scopes[i].units[u].id, snap->scopes[i].units[u].id);
            assert_int_equal(again->scopes[i].units[u].rank, snap->scopes[i].units[u].rank);
            assert_true(
                again->scopes[i].units[u].total == snap->scopes[i].units[u].total ||
                (isnan(again->scopes[i].units[u].total) && isnan(snap->scopes[i].units[u].total)));
        }
    }
    assert_int_equal(again->n_insights, snap->n_insights);
    for (size_t i = 0; i < snap->n_insights; i++)
        assert_string_equal(again->insights[i].text, snap->insights[i].text);
    /* an image cut short, or of the wrong size, is refused */
    struct kiosk_snapshot *none = NULL;
    assert_int_equal(kiosk_snapimage_read(fd, size - 9, &none), -1);
    assert_int_equal(kiosk_snapimage_read(fd, 4, &none), -1);
    assert_null(none);
    close(fd);
    kiosk_snapshot_unref(again);
    kiosk_snapshot_unref(snap);
    kiosk_setup_close(&app);
    kiosk_diags_free(&d);
}

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The loop's look at a picture never waits on the worker: a slide's look while another's
 * picture is being drawn says "late" at once (and has_content answers from what it last
 * said), the picture drawn ahead is kept for its slide when it comes, not drawn over by
 * another slide's redraw, and painted without a wait; once taken, the next look asks
 * for a new picture. render_slow takes 1.5 s a frame. */
static void test_a_picture_being_drawn_is_never_waited_for(void **state)
{
    (void)state;
    FILE *log;
    struct kiosk_worker_conf c;
    struct kiosk_worker *w = started("render_slow", &c, &log);
    struct kiosk_keyvals kv = {0};
    int rc;
    assert_int_equal(kiosk_worker_add_slide(w, "a", &kv, &rc), 0);
    assert_int_equal(kiosk_worker_add_slide(w, "b", &kv, &rc), 1);
    kiosk_canvas *canvas = kiosk_canvas_new(320, 180, NULL);
    struct kiosk_frame f = frame(320, 160);
    const kiosk_color bg = 0xFF102030;
    assert_int_equal(kiosk_worker_render_ahead(w, 1, 320, 180, bg, &f, NULL), 0);
    double t0 = mono_ms();
    assert_int_equal(kiosk_worker_picture_ready(w, 0, 320, 180, bg, &f, NULL, 0), 0);
    assert_int_equal(kiosk_worker_has_content(w, 0, 320, 180, &f, NULL), 1);
    assert_int_equal(kiosk_worker_picture_ready(w, 1, 320, 180, bg, &f, NULL, 10), 0);
    assert_true(mono_ms() - t0 < 500); /* not the 1.5 s of b's drawing */
    int ready = 0;
    for (int i = 0; i < 200 && ready == 0; i++)
        ready = kiosk_worker_picture_ready(w, 1, 320, 180, bg, &f, NULL, 50);
    assert_int_equal(ready, 1);
    assert_true(kiosk_worker_pending(w, 1) == false);
    /* a's redraw waits for b's turn rather than draw over b's picture */
    assert_int_equal(kiosk_worker_picture_ready(w, 0, 320, 180, bg, &f, NULL, 0), 0);
    assert_int_equal(kiosk_worker_picture_ready(w, 1, 320, 180, bg, &f, NULL, 0), 1);
    int hint = 12345;
    t0 = mono_ms();
    assert_int_equal(kiosk_worker_render(w, 1, canvas, bg, &f, NULL, &hint), 0);
    assert_true(mono_ms() - t0 < 500); /* painted, not drawn again */
    assert_int_not_equal(hint, 12345);
    int stride;
    const uint8_t *px = kiosk_canvas_pixels(canvas, &stride);
    assert_int_equal(((const uint32_t *)(px + 170 * stride))[5] & 0xFFFFFF, 0x102030);
    /* taken: the next look at b asks for a new picture, which is late again */
    assert_int_equal(kiosk_worker_picture_ready(w, 1, 320, 180, bg, &f, NULL, 0), 0);
    assert_null(kiosk_worker_last_fault(w));
    kiosk_worker_free(w);
    kiosk_canvas_free(canvas);
    fclose(log);
}

/* request_redraw from create(), has_content() and turn_s() of a slide in a worker reaches
 * the screen once (from render() it is the hint); a picture the plugin never released is
 * freed by the worker with its slide, and said. */
static void test_a_redraw_asked_for_outside_render(void **state)
{
    (void)state;
    FILE *log;
    struct kiosk_worker_conf c;
    struct kiosk_worker *w = started("source_probe", &c, &log);
    const char *in[] = {"create", "has_content", "turn_s", ""};
    for (int i = 0; i < 4; i++) {
        struct kiosk_keyvals kv = {0};
        assert_int_equal(kiosk_keyvals_set_at(&kv, "redraw_in", in[i], 1), 0);
        if (i == 0)
            assert_int_equal(kiosk_keyvals_set_at(&kv, "keep_picture",
                                                  KIOSK_SOURCE_DIR "/tests/fixtures/pictures/"
                                                                   "poster.jpg",
                                                  2),
                             0);
        int rc;
        assert_int_equal(kiosk_worker_add_slide(w, in[i][0] ? in[i] : "none", &kv, &rc), i);
        assert_int_equal(rc, 0);
        kiosk_keyvals_free(&kv);
    }
    struct kiosk_frame f = frame(320, 160);
    double t;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(kiosk_worker_has_content(w, i, 320, 180, &f, NULL), 1);
        assert_int_equal(kiosk_worker_turn_s(w, i, 320, 180, &f, NULL, &t), 0);
        assert_true(t == 0);
        assert_int_equal(kiosk_worker_take_redraw(w, i), i < 3); /* once, and only asked */
        assert_false(kiosk_worker_take_redraw(w, i));
    }
    assert_false(kiosk_worker_take_redraw(w, 4)); /* no such slide */
    assert_false(kiosk_worker_take_redraw(w, -1));
    assert_null(kiosk_worker_last_fault(w));
    kiosk_worker_free(w); /* its slides destroyed */
    char said[8192] = "";
    rewind(log);
    size_t n = fread(said, 1, sizeof said - 1, log);
    said[n] = '\0';
    assert_non_null(strstr(said, "slide create: 1 picture its plugin did not release, freed"));
    assert_null(strstr(said, "probe: cannot load"));
    fclose(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_then_quarantines),
        cmocka_unit_test(test_backoff_caps_at_five_minutes),
        cmocka_unit_test(test_a_worker_draws_and_a_crash_costs_its_slide),
        cmocka_unit_test(test_a_picture_being_drawn_is_never_waited_for),
        cmocka_unit_test(test_a_reply_that_is_not_one),
        cmocka_unit_test(test_the_snapshot_image_scores_the_same),
        cmocka_unit_test(test_a_redraw_asked_for_outside_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
