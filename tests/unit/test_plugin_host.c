/* The plugin host: broken plugins are refused one by one, each with its reason, while the
 * rest load; unsafe files are never opened; a plugin whose create() fails costs its slide
 * only (a failed slide, not a refused plugin); every built-in plugin loads, renders and unloads
 * cleanly, many times over. */
#include "helpers.h"

#include "config/config.h"
#include "core/freshness.h"
#include "host/plugin_host.h"
#include "render/canvas.h"
#include "screen/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *buf = read_file(from, &len);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
    assert_int_equal(chmod(to, 0644), 0);
}

static void put_plugin(const char *name)
{
    char from[512], to[512];
    snprintf(from, sizeof from, "%s/%s.so", KIOSK_TEST_PLUGIN_DIR, name);
    snprintf(to, sizeof to, "%s/%s.so", dir, name);
    copy_file(from, to);
}

static int setup(void **state)
{
    (void)state;
    if (make_temp_dir(dir, sizeof dir, "plugins"))
        return -1;
    return chmod(dir, 0755);
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static const struct kiosk_refused_plugin *refused(const struct kiosk_plugins *p,
                                                  const char *file_part)
{
    for (size_t i = 0; i < p->n_refused; i++)
        if (strstr(p->refused[i].file, file_part))
            return &p->refused[i];
    return NULL;
}

static void test_broken_plugins_are_refused_one_by_one(void **state)
{
    (void)state;
    const char *names[] = {"good",         "wrong_major", "newer_minor", "short_struct",
                           "create_fails", "no_render",   "no_entry",    "bad_settings"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        put_plugin(names[i]);
    char text[512];
    snprintf(text, sizeof text, "%s/not_a_plugin.so", dir);
    FILE *f = fopen(text, "w");
    fputs("this is text, not a shared object\n", f);
    fclose(f);

    struct kiosk_plugins p = {0};
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 2); /* good and create_fails */
    assert_non_null(kiosk_plugins_find(&p, "good"));
    assert_non_null(kiosk_plugins_find(&p, "create_fails"));
    assert_int_equal(p.n_refused, 7);
    static const struct {
        const char *file;
        enum kiosk_refusal why;
        const char *says;
    } expect[] = {
        {"wrong_major.so", KIOSK_REFUSE_ABI, "built for plugin ABI 2.0; this kiosk has 1.3"},
        {"newer_minor.so", KIOSK_REFUSE_ABI, "built for plugin ABI 1.4; this kiosk has 1.3"},
        {"short_struct.so", KIOSK_REFUSE_SHORT, "descriptor of"},
        {"no_render.so", KIOSK_REFUSE_SHORT, "descriptor lacks render()"},
        {"no_entry.so", KIOSK_REFUSE_NO_ENTRY, "no kiosk_plugin_entry symbol"},
        {"not_a_plugin.so", KIOSK_REFUSE_OPEN, "not a loadable plugin"},
        {"bad_settings.so", KIOSK_REFUSE_SETTINGS, "settings table: key view has a choice without"},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        const struct kiosk_refused_plugin *r = refused(&p, expect[i].file);
        if (!r)
            fail_msg("%s was not refused", expect[i].file);
        assert_int_equal(r->why, expect[i].why);
        if (!strstr(r->reason, expect[i].says))
            fail_msg("%s: \"%s\" does not say \"%s\"", expect[i].file, r->reason, expect[i].says);
    }
    kiosk_plugins_unload(&p);
}

/* A plugin built for 1.1 loads in a 1.2 kiosk, read no further than its descriptor: the
 * 1.2 entries past it (has_content, turn_s) are NULL, whatever lies there */
static void test_a_1_1_plugin_loads_without_the_1_2_entries(void **state)
{
    (void)state;
    put_plugin("abi_1_1");
    struct kiosk_plugins p = {0};
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 1);
    const struct kiosk_loaded_plugin *lp = kiosk_plugins_find(&p, "abi_1_1");
    assert_non_null(lp);
    assert_null(lp->desc.has_content);
    assert_null(lp->desc.turn_s);
    kiosk_plugins_unload(&p);
}

static void test_a_second_plugin_of_the_same_name_is_refused(void **state)
{
    (void)state;
    put_plugin("good");
    char second[512];
    snprintf(second, sizeof second, "%s/good-copy.so", dir);
    char from[512];
    snprintf(from, sizeof from, "%s/good.so", KIOSK_TEST_PLUGIN_DIR);
    copy_file(from, second);
    struct kiosk_plugins p = {0};
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 1);
    assert_int_equal(p.n_refused, 1);
    assert_int_equal(p.refused[0].why, KIOSK_REFUSE_DUPLICATE);
    assert_non_null(strstr(p.refused[0].reason, "already loaded"));
    kiosk_plugins_unload(&p);
}

static void test_writable_or_foreign_plugins_are_never_opened(void **state)
{
    (void)state;
    put_plugin("good");
    char file[512];
    snprintf(file, sizeof file, "%s/good.so", dir);
    struct kiosk_plugins p = {0};

    assert_int_equal(chmod(file, 0646), 0); /* world-writable */
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 0);
    assert_int_equal(p.refused[0].why, KIOSK_REFUSE_UNSAFE);
    assert_non_null(strstr(p.refused[0].reason, "writable by group or others"));
    kiosk_plugins_unload(&p);

    assert_int_equal(chmod(file, 0644), 0);
    assert_int_equal(chmod(dir, 0775), 0); /* a group-writable directory */
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 0);
    assert_int_equal(p.refused[0].why, KIOSK_REFUSE_UNSAFE);
    assert_non_null(strstr(p.refused[0].reason, "its directory"));
    kiosk_plugins_unload(&p);
    assert_int_equal(chmod(dir, 0755), 0);

    if (geteuid() == 0 && chown(file, 65534, 65534) == 0) { /* owned by nobody */
        assert_int_equal(kiosk_plugins_load_dir(&p, dir), 0);
        assert_non_null(strstr(p.refused[0].reason, "belongs to another user"));
        kiosk_plugins_unload(&p);
    }
}

static void test_a_failing_create_costs_its_slide_only(void **state)
{
    (void)state;
    put_plugin("good");
    put_plugin("create_fails");
    struct kiosk_plugins p = {0};
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 2);
    struct kiosk_config c = {0};
    struct kiosk_slide_conf slides[3] = {
        {.name = "first", .plugin = "good", .duration_s = 5},
        {.name = "broken", .plugin = "create_fails", .duration_s = 5},
        {.name = "missing", .plugin = "no_such_plugin", .duration_s = 5},
    };
    c.slides = slides;
    c.n_slides = 3;
    c.lang = KIOSK_LANG_CODE_VI;
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &p, NULL), 1);
    assert_string_equal(show.slides[0].name, "first");
    /* failed slides are the playlist's; the plugins are not refused for them */
    assert_int_equal(p.n_refused, 0);
    assert_int_equal(show.n_failed, 2);
    assert_string_equal(show.failed[0].name, "broken");
    assert_string_equal(show.failed[0].plugin, "create_fails");
    assert_non_null(strstr(show.failed[0].why, "create() of plugin create_fails failed (-5)"));
    assert_string_equal(show.failed[1].name, "missing");
    assert_string_equal(show.failed[1].plugin, "no_such_plugin");
    assert_non_null(strstr(show.failed[1].why, "no plugin named"));
    kiosk_show_free(&show);
    kiosk_plugins_unload(&p);
}

static void test_builtin_plugins_load_render_and_unload_many_times(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    struct kiosk_snapshot *snap = score_file(KIOSK_DEMO_FEED, NULL);
    kiosk_canvas *canvas = kiosk_canvas_new(640, 360, fonts);
    assert_non_null(canvas);
    /* the index's slides, and a center's own: each with what it needs to make its slide */
    const char *names[] = {"leaderboard", "headline", "gauges", "trend",
                           "qr",          "notice",   "clock",  "image"};
    const char *key[] = {"qr", NULL, "qr", NULL, "text", "text", "hours", "path"};
    const char *value[] = {
        "https://dichvucong.gov.vn/",      NULL,
        "https://dichvucong.gov.vn/",      NULL,
        "https://dichvucong.gov.vn/",      "**Thông báo**\n- Mang theo căn cước",
        "Thứ Hai – Thứ Sáu: 7:30 – 17:00", KIOSK_SOURCE_DIR "/tests/fixtures/pictures/posters"};
    enum { N = sizeof names / sizeof names[0] };
    for (int round = 0; round < 10; round++) {
        struct kiosk_plugins p = {0};
        assert_int_equal(kiosk_plugins_load_dir(&p, KIOSK_BUILD_PLUGINDIR), N);
        struct kiosk_slide_conf slides[N];
        struct kiosk_config c = {.slides = slides, .n_slides = N, .lang = KIOSK_LANG_CODE_VI};
        for (size_t i = 0; i < N; i++) {
            slides[i] = (struct kiosk_slide_conf){
                .name = (char *)names[i], .plugin = (char *)names[i], .duration_s = 5};
            if (key[i])
                assert_int_equal(kiosk_keyvals_set_at(&slides[i].kv, key[i], value[i], 1), 0);
        }
        struct kiosk_show show;
        assert_int_equal(kiosk_show_build(&show, &c, &p, NULL), N);
        for (size_t i = 0; i < show.n; i++)
            kiosk_show_render(&show, i, canvas, snap, round * 9000.0, 1759712400000);
        /* without data too: a slide must say so, not crash */
        kiosk_show_render(&show, (size_t)round % N, canvas, NULL, 0, 1759712400000);
        kiosk_show_free(&show);
        for (size_t i = 0; i < N; i++)
            kiosk_keyvals_free(&slides[i].kv);
        kiosk_plugins_unload(&p);
    }
    kiosk_canvas_free(canvas);
    kiosk_snapshot_unref(snap);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

static int count_lines(const char *text, const char *fragment)
{
    int n = 0;
    for (const char *at = text; (at = strstr(at, fragment)); at++)
        n++;
    return n;
}

/* A plugin that misuses every service costs nothing but its own drawing: each call is
 * refused, each kind said once, its data stays alive, its render result is no spin. */
static void test_misused_services_are_refused_once_each(void **state)
{
    (void)state;
    put_plugin("abuse");
    struct kiosk_plugins p = {0};
    assert_int_equal(kiosk_plugins_load_dir(&p, dir), 1);
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    struct kiosk_snapshot *snap = score_file(KIOSK_DEMO_FEED, NULL);
    kiosk_canvas *canvas = kiosk_canvas_new(640, 360, fonts);
    struct kiosk_slide_conf slides[1] = {{.name = "bad", .plugin = "abuse", .duration_s = 5}};
    struct kiosk_config c = {.slides = slides, .n_slides = 1, .lang = KIOSK_LANG_CODE_VI};
    char *text = NULL;
    size_t len = 0;
    FILE *log = open_memstream(&text, &len);
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &p, log), 1);
    for (int round = 0; round < 3; round++) {
        int hint = kiosk_show_render(&show, 0, canvas, snap, 0, 1759712400000);
        /* -5 is no hint: the slide waits for the status line's next minute, no spin */
        assert_in_range(hint, 1, 60001);
    }
    /* a canvas kept past its frame has no pixels: refused, not drawn on (a crash before) */
    kiosk_canvas *unbound = kiosk_canvas_new_bound(640, 360, fonts);
    const struct kiosk_host *api = &show.slides[0].host.api;
    struct kiosk_text_style st = {.struct_size = sizeof st, .size_px = 20, .color = 0xFFFFFFFF};
    api->fill_rect(unbound, 0, 0, 10, 10, 0, 0xFFFFFFFF);
    assert_true(api->draw_text(unbound, &st, 0, 0, "kept past its frame") == 0);
    kiosk_canvas_free(unbound);
    kiosk_show_free(&show);
    fclose(log);
    const char *kinds[] = {"fill_rect(",       "stroke_line(",    "stroke_arc(",
                           "stroke_polyline(", "fill_circle(",    "draw_text(",
                           "format_number:",   "data_find_unit:", "data_unref of data"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_int_equal(count_lines(text, kinds[i]), 1); /* said once, over three renders */
    assert_int_equal(count_lines(text, "slide bad: refused:"), 10);
    assert_int_equal(count_lines(text, "data_trend_view: struct_size"), 1);
    /* a plugin's own newlines cannot forge the kiosk's lines */
    assert_null(strstr(text, "\nforged"));
    assert_non_null(strstr(text, "line one forged: kiosk run: stopping"));
    /* the data it released three times is still the screen's */
    assert_int_equal(snap->refs, 1);
    assert_int_equal(snap->plugin_refs, 0);
    assert_non_null(snap->period->id);
    free(text);
    kiosk_canvas_free(canvas);
    kiosk_snapshot_unref(snap);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
    kiosk_plugins_unload(&p);
}

/* A checksum of the canvas's pixels in a box of the status line (the bottom 72/1080). */
static uint64_t status_box(kiosk_canvas *c, double x0, double x1)
{
    int stride, w = kiosk_canvas_width(c), h = kiosk_canvas_height(c);
    const uint8_t *px = kiosk_canvas_pixels(c, &stride);
    uint64_t sum = 1469598103934665603ULL;
    for (int y = h - h * 72 / 1080; y < h; y++)
        for (int x = (int)(x0 * w); x < (int)(x1 * w); x++) {
            sum ^= ((const uint32_t *)(px + (size_t)y * (size_t)stride))[x];
            sum *= 1099511628211ULL;
        }
    return sum;
}

/* The status line tells the truth: the clock not set shows instead of a wrong date;
 * weekly data a few days old is not stale, and is once the next week is overdue; sources
 * failing longer than stale_after_h are their own mark. Each picture is written to
 * $KIOSK_STATUS_PNG_DIR when set, to look at. */
static void test_the_status_line_tells_the_truth(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    struct kiosk_snapshot *snap = score_file(KIOSK_DEMO_FEED, NULL);
    kiosk_canvas *canvas = kiosk_canvas_new(1280, 720, fonts);
    struct kiosk_plugins p = {0};
    assert_true(kiosk_plugins_load_dir(&p, KIOSK_BUILD_PLUGINDIR) > 0);
    struct kiosk_slide_conf slide = {.name = "headline", .plugin = "headline", .duration_s = 5};
    struct kiosk_config c = {
        .slides = &slide, .n_slides = 1, .lang = KIOSK_LANG_CODE_VI, .stale_after_h = 48};
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &p, NULL), 1);
    int64_t due = kiosk_period_due_unix(snap->period->start, snap->period->end);
    int64_t early = due - 5 * 86400; /* a few days after the period: the normal wait */
    const char *png_dir = getenv("KIOSK_STATUS_PNG_DIR");
    struct {
        const char *name;
        bool clock_unset;
        double failing_s;
        int64_t now;
        uint64_t left, right;
    } cases[] = {
        {"fresh", false, 0, early, 0, 0},
        {"clock-unset", true, 0, early, 0, 0},
        {"stale", false, 0, due + 3600, 0, 0},
        {"failing", false, 50 * 3600, early, 0, 0},
        {"failing-short", false, 3600, early, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        show.clock_unset = cases[i].clock_unset;
        show.failing_s = cases[i].failing_s;
        /* the same minute of the day each time: only the date and the marks differ */
        kiosk_show_render(&show, 0, canvas, snap, 0, cases[i].now * 1000);
        cases[i].left = status_box(canvas, 0.0, 0.2);
        cases[i].right = status_box(canvas, 0.75, 1.0);
        if (png_dir) {
            char path[512];
            snprintf(path, sizeof path, "%s/status-%s.png", png_dir, cases[i].name);
            kiosk_canvas_write_png(canvas, path, &d);
        }
    }
    /* the clock's place says it is not set */
    assert_true(cases[1].left != cases[0].left);
    /* no stale mark a few days after the week; one once the next week is overdue */
    assert_true(cases[2].right != cases[0].right);
    /* sources failing for 50 h (limit 48): marked; for an hour: not */
    assert_true(cases[3].right != cases[0].right);
    assert_true(cases[3].right != cases[2].right);
    assert_true(cases[4].right == cases[0].right);
    kiosk_show_free(&show);
    kiosk_plugins_unload(&p);
    kiosk_canvas_free(canvas);
    kiosk_snapshot_unref(snap);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_broken_plugins_are_refused_one_by_one, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_1_1_plugin_loads_without_the_1_2_entries, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_second_plugin_of_the_same_name_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_writable_or_foreign_plugins_are_never_opened, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_failing_create_costs_its_slide_only, setup,
                                        teardown),
        cmocka_unit_test(test_builtin_plugins_load_render_and_unload_many_times),
        cmocka_unit_test(test_the_status_line_tells_the_truth),
        cmocka_unit_test_setup_teardown(test_misused_services_are_refused_once_each, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
