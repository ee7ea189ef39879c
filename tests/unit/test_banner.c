/* The banner over every slide under a fake clock: the configured one until its time, the
 * source's text (plain or JSON), the remote one over both until it expires; a ticker that
 * moves by the time shown and a static band that asks for no redraw; the reference pictures
 * of a banner (normal and urgent) at 1920x1080. And the plugin side of a slide's own source
 * and of redraws on demand: source_data and request_redraw through a real show and plugin
 * (tests/plugins/source_probe.c). KIOSK_UPDATE_REFERENCES=1 rewrites the pictures. */
#include "helpers.h"

#include "render/canvas.h"
#include "screen/banner.h"
#include "screen/show.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static time_t local(int y, int mo, int d, int h, int mi)
{
    struct tm t = {.tm_year = y - 1900,
                   .tm_mon = mo - 1,
                   .tm_mday = d,
                   .tm_hour = h,
                   .tm_min = mi,
                   .tm_isdst = -1};
    return mktime(&t);
}

static void a_configured_banner_shows_until_its_time(void **state)
{
    (void)state;
    struct kiosk_banner_conf conf = {.configured = true, .text = "Nghỉ lễ 2/9", .urgent = true};
    snprintf(conf.until, sizeof conf.until, "2026-12-31T17:00");
    struct kiosk_banner b;
    kiosk_banner_init(&b, &conf);
    struct kiosk_banner_now n = kiosk_banner_at(&b, local(2026, 12, 31, 16, 59));
    assert_non_null(n.text);
    assert_string_equal(n.text, "Nghỉ lễ 2/9");
    assert_true(n.urgent);
    assert_false(n.top);
    /* at 17:00 local time it is gone, and stays gone */
    assert_null(kiosk_banner_at(&b, local(2026, 12, 31, 17, 0)).text);
    assert_null(kiosk_banner_at(&b, local(2027, 1, 1, 8, 0)).text);
    /* no until: always */
    conf.until[0] = '\0';
    assert_non_null(kiosk_banner_at(&b, local(2030, 1, 1, 8, 0)).text);
    kiosk_banner_free(&b);
    /* no [banner]: nothing */
    kiosk_banner_init(&b, NULL);
    assert_null(kiosk_banner_at(&b, local(2026, 1, 1, 8, 0)).text);
    kiosk_banner_free(&b);
}

static void a_banner_source_is_plain_text_or_json(void **state)
{
    (void)state;
    struct kiosk_banner_conf conf = {.configured = true, .source = "/x/banner.txt", .top = true};
    struct kiosk_banner b;
    kiosk_banner_init(&b, &conf);
    time_t now = local(2026, 12, 1, 9, 0);
    char why[256];
    /* before the source has said anything: no band */
    assert_null(kiosk_banner_at(&b, now).text);
    const char *plain = "\n  Lịch tiếp dân: thứ Năm hằng tuần  \nsecond line, not shown\n";
    assert_int_equal(kiosk_banner_take_source(&b, plain, strlen(plain), why, sizeof why), 0);
    struct kiosk_banner_now n = kiosk_banner_at(&b, now);
    assert_string_equal(n.text, "Lịch tiếp dân: thứ Năm hằng tuần");
    assert_false(n.urgent);
    assert_true(n.top);
    const char *json = "{\"text\": \"Khẩn: mất điện\", \"until\": \"2026-12-01T10:00\", "
                       "\"urgent\": true}";
    assert_int_equal(kiosk_banner_take_source(&b, json, strlen(json), why, sizeof why), 0);
    n = kiosk_banner_at(&b, now);
    assert_string_equal(n.text, "Khẩn: mất điện");
    assert_true(n.urgent);
    assert_null(kiosk_banner_at(&b, local(2026, 12, 1, 10, 0)).text);
    /* a bad document is refused with why; the banner as it was stays */
    static const struct {
        const char *doc, *says;
    } bad[] = {
        {"{\"text\": 5}", "expected \"text\": a string"},
        {"{\"text\": \"a\", \"until\": \"tomorrow\"}", "expected \"until\": a local time"},
        {"{\"text\": \"a\", \"urgent\": \"yes\"}", "expected \"urgent\": true or false"},
        {"{\"text\": \"a\"", "banner source: "},
        {"caf\xe9", "expected UTF-8 text or a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            kiosk_banner_take_source(&b, bad[i].doc, strlen(bad[i].doc), why, sizeof why), -1);
        if (!strstr(why, bad[i].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, why, bad[i].says);
        assert_string_equal(kiosk_banner_at(&b, now).text, "Khẩn: mất điện");
    }
    /* an empty text takes the band away */
    assert_int_equal(kiosk_banner_take_source(&b, "{\"text\": \"\"}", 12, why, sizeof why), 0);
    assert_null(kiosk_banner_at(&b, now).text);
    kiosk_banner_free(&b);
}

static void a_remote_banner_overrides_until_it_expires(void **state)
{
    (void)state;
    struct kiosk_banner_conf conf = {.configured = true, .text = "Giờ làm việc: 7:30 - 17:00"};
    struct kiosk_banner b;
    kiosk_banner_init(&b, &conf);
    time_t now = local(2026, 12, 1, 9, 0);
    assert_int_equal(kiosk_banner_set_remote(&b, "Khẩn: sơ tán tầng 2", (int64_t)now + 600, true),
                     0);
    struct kiosk_banner_now n = kiosk_banner_at(&b, now);
    assert_string_equal(n.text, "Khẩn: sơ tán tầng 2");
    assert_true(n.urgent);
    n = kiosk_banner_at(&b, now + 599);
    assert_string_equal(n.text, "Khẩn: sơ tán tầng 2");
    /* expired: the configured one is back */
    n = kiosk_banner_at(&b, now + 600);
    assert_string_equal(n.text, "Giờ làm việc: 7:30 - 17:00");
    assert_false(n.urgent);
    /* without a [banner] too, and until cleared */
    struct kiosk_banner none;
    kiosk_banner_init(&none, NULL);
    assert_int_equal(kiosk_banner_set_remote(&none, "Thông báo", 0, false), 0);
    assert_string_equal(kiosk_banner_at(&none, now + 86400 * 365).text, "Thông báo");
    assert_int_equal(kiosk_banner_set_remote(&none, NULL, 0, false), 0);
    assert_null(kiosk_banner_at(&none, now).text);
    /* refused: too long, not UTF-8; nothing changes */
    assert_int_equal(kiosk_banner_set_remote(&none, "a", 0, false), 0);
    char *huge = malloc(KIOSK_BANNER_TEXT_MAX + 2);
    memset(huge, 'x', KIOSK_BANNER_TEXT_MAX + 1);
    huge[KIOSK_BANNER_TEXT_MAX + 1] = '\0';
    assert_int_equal(kiosk_banner_set_remote(&none, huge, 0, false), -1);
    assert_int_equal(kiosk_banner_set_remote(&none, "\xff\xfe", 0, false), -1);
    assert_string_equal(kiosk_banner_at(&none, now).text, "a");
    free(huge);
    kiosk_banner_free(&none);
    kiosk_banner_free(&b);
}

/* ---- drawing ---- */

static struct kiosk_fonts *fonts;

static int open_fonts(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    int rc = kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d);
    kiosk_diags_free(&d);
    return rc;
}

static int close_fonts(void **state)
{
    (void)state;
    kiosk_fonts_close(fonts);
    return 0;
}

/* The share of pixels that differ between two canvases in rows [y0, y1). */
static double changed(kiosk_canvas *a, kiosk_canvas *b, int y0, int y1)
{
    int sa, sb, w = kiosk_canvas_width(a);
    const uint8_t *pa = kiosk_canvas_pixels(a, &sa), *pb = kiosk_canvas_pixels(b, &sb);
    long px = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < w; x++)
            px += ((const uint32_t *)(pa + y * sa))[x] != ((const uint32_t *)(pb + y * sb))[x];
    return (double)px / ((double)w * (y1 - y0));
}

static void a_long_text_scrolls_and_a_short_one_stays(void **state)
{
    (void)state;
    struct kiosk_host_ctx host;
    kiosk_host_init(&host, "banner", KIOSK_LANG_CODE_VI, kiosk_theme_find("dark"), stderr);
    kiosk_canvas *a = kiosk_canvas_new(1920, 1080, fonts), *b = kiosk_canvas_new(1920, 1080, fonts);
    assert_non_null(a);
    assert_non_null(b);
    float y = 944, bh = kiosk_banner_height(1);
    struct kiosk_banner_now ticker = {
        .text = "Thông báo: Trung tâm nghỉ làm việc ngày 2/9 (Quốc khánh). Người dân vui lòng "
                "quay lại vào ngày 3/9; hồ sơ trực tuyến vẫn được tiếp nhận trên Cổng Dịch vụ "
                "công quốc gia."};
    kiosk_canvas_clear(a, 0xFF000000);
    kiosk_canvas_clear(b, 0xFF000000);
    assert_int_equal(kiosk_banner_draw(&ticker, a, &host.api, y, 1, 0), KIOSK_REDRAW_NOW);
    assert_int_equal(kiosk_banner_draw(&ticker, b, &host.api, y, 1, 1000), KIOSK_REDRAW_NOW);
    /* a second later the text has moved: the band differs, nothing outside it does */
    double moved = changed(a, b, (int)y, (int)(y + bh));
    assert_true(moved > 0.02);
    assert_true(changed(a, b, 0, (int)y) == 0);
    assert_true(changed(a, b, (int)(y + bh), 1080) == 0);
    /* the same moment draws the same band */
    kiosk_canvas_clear(b, 0xFF000000);
    kiosk_banner_draw(&ticker, b, &host.api, y, 1, 0);
    assert_true(changed(a, b, 0, 1080) == 0);
    /* a text that fits is drawn once: no redraw asked, the same at any time */
    struct kiosk_banner_now still = {.text = "Giờ làm việc: 7:30 - 17:00", .urgent = true};
    kiosk_canvas_clear(a, 0xFF000000);
    kiosk_canvas_clear(b, 0xFF000000);
    assert_int_equal(kiosk_banner_draw(&still, a, &host.api, 0, 1, 0), KIOSK_REDRAW_NEVER);
    assert_int_equal(kiosk_banner_draw(&still, b, &host.api, 0, 1, 5000), KIOSK_REDRAW_NEVER);
    assert_true(changed(a, b, 0, 1080) == 0);
    /* urgent is a red band */
    int stride;
    const uint8_t *px = kiosk_canvas_pixels(a, &stride);
    assert_int_equal(((const uint32_t *)(px + 10 * stride))[1900] & 0xFFFFFF, 0xC62828);
    /* the ticker starts at its beginning when its text changes, then moves with time */
    struct kiosk_banner bn;
    kiosk_banner_init(&bn, NULL);
    assert_int_equal(kiosk_banner_scroll_ms(&bn, &ticker, 5000), 0);
    assert_int_equal(kiosk_banner_scroll_ms(&bn, &ticker, 5016), 16);
    assert_int_equal(kiosk_banner_scroll_ms(&bn, &still, 6000), 0);
    kiosk_banner_free(&bn);
    kiosk_canvas_free(a);
    kiosk_canvas_free(b);
}

/* ---- the reference pictures ---- */

static char out[64];

static void compare(const char *got_path, const char *ref)
{
    cairo_surface_t *got = cairo_image_surface_create_from_png(got_path);
    assert_int_equal(cairo_surface_status(got), CAIRO_STATUS_SUCCESS);
    if (getenv("KIOSK_UPDATE_REFERENCES")) {
        assert_int_equal(cairo_surface_write_to_png(got, ref), CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy(got);
        return;
    }
    cairo_surface_t *want = cairo_image_surface_create_from_png(ref);
    assert_int_equal(cairo_surface_status(want), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    assert_int_equal(cairo_image_surface_get_width(got), w);
    assert_int_equal(cairo_image_surface_get_height(got), h);
    const uint8_t *a = cairo_image_surface_get_data(got), *b = cairo_image_surface_get_data(want);
    int sa = cairo_image_surface_get_stride(got), sb = cairo_image_surface_get_stride(want);
    double sum = 0;
    long far = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = ((const uint32_t *)(a + y * sa))[x],
                     q = ((const uint32_t *)(b + y * sb))[x];
            int worst = 0;
            for (int sh = 0; sh < 24; sh += 8) {
                int d = abs((int)((p >> sh) & 0xFF) - (int)((q >> sh) & 0xFF));
                sum += d;
                worst = d > worst ? d : worst;
            }
            far += worst > 64;
        }
    double mean = sum / ((double)w * h * 3), far_share = (double)far / ((double)w * h);
    if (mean > 1.5 || far_share > 0.005)
        fail_msg("%s differs from %s: mean difference %.2f, %.2f%% of pixels far off", got_path,
                 ref, mean, 100 * far_share);
    cairo_surface_destroy(want);
    cairo_surface_destroy(got);
}

/* each banner at the size a screen has: landscape 1080p and 720p, portrait */
static void banner_pictures_match_their_references(void **state)
{
    (void)state;
    assert_int_equal(make_temp_dir(out, sizeof out, "banner"), 0);
    static const struct {
        const char *kind, *slide, *size, *ref;
    } shots[] = {
        {"normal", "01-national", "1920x1080", "normal"},
        {"urgent", "01-gauges", "1920x1080", "urgent"},
        {"normal", "01-national", "1080x1920", "normal-1080x1920"},
        {"urgent", "01-gauges", "1280x720", "urgent-1280x720"},
    };
    for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++) {
        char cmd[1200], got[256], ref[512];
        const char *emulator = getenv("KIOSK_TEST_EMULATOR");
        snprintf(cmd, sizeof cmd,
                 "%s '%s' snapshot --config '%s/banner/%s.conf' --out '%s/%s' --size %s "
                 "--at 2025-10-06T08:00:00+07:00 > /dev/null 2>&1",
                 emulator ? emulator : "", KIOSK_BIN, KIOSK_FIXTURES, shots[i].kind, out,
                 shots[i].ref, shots[i].size);
        assert_int_equal(system(cmd), 0);
        snprintf(got, sizeof got, "%s/%s/%s.png", out, shots[i].ref, shots[i].slide);
        snprintf(ref, sizeof ref, "%s/reference/banner/%s.png", KIOSK_FIXTURES, shots[i].ref);
        compare(got, ref);
    }
    remove_tree(out);
}

/* ---- source_data and request_redraw, through a show and a real plugin ---- */

static void source_data_and_request_redraw_reach_the_plugin(void **state)
{
    (void)state;
    char dir[64], conf[128];
    assert_int_equal(make_temp_dir(dir, sizeof dir, "probe"), 0);
    snprintf(conf, sizeof conf, "%s/kiosk.conf", dir);
    write_file(conf, "[slide.a]\nplugin = source_probe\nsource = notice.txt\nredraw = yes\n"
                     "[slide.b]\nplugin = source_probe\n");
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load(conf, &c, &d), 0);
    struct kiosk_plugins plugins = {.log = stderr};
    assert_int_equal(kiosk_plugins_load_file(&plugins, KIOSK_TEST_PLUGIN_DIR "/source_probe.so"),
                     0);
    char logbuf[8192] = "";
    FILE *log = fmemopen(logbuf, sizeof logbuf, "w");
    setvbuf(log, NULL, _IONBF, 0);
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &plugins, log), 2);
    kiosk_canvas *canvas = kiosk_canvas_new(1280, 720, fonts);
    /* a source configured, nothing fetched yet: -1 and why */
    const struct kiosk_host *h = &show.slides[0].host.api;
    struct kiosk_source_view v = {.struct_size = sizeof v};
    assert_int_equal(h->source_data(h, &v), -1);
    assert_string_equal(v.error, "nothing fetched yet");
    assert_non_null(strstr(v.url, "/notice.txt"));
    /* no source: -1, said */
    const struct kiosk_host *hb = &show.slides[1].host.api;
    assert_int_equal(hb->source_data(hb, &v), -1);
    assert_string_equal(v.error, "the slide has no source setting");
    /* bytes taken by the screen: the plugin sees them, read-only, with age and serial */
    struct kiosk_host_source *src = &show.slides[0].host.source;
    src->bytes = strdup("Thông báo số 12\nsecond line");
    src->size = strlen(src->bytes);
    src->fetched_unix = (int64_t)time(NULL) - 30;
    src->serial = 7;
    memset(&v, 0, sizeof v);
    v.struct_size = sizeof v;
    assert_int_equal(h->source_data(h, &v), 0);
    assert_int_equal(v.size, src->size);
    assert_memory_equal(v.bytes, "Thông báo số 12", strlen("Thông báo số 12"));
    assert_int_equal(v.serial, 7);
    assert_true(v.age_s >= 29 && v.age_s < 120);
    assert_null(v.error);
    /* a view of an older, shorter size is filled only as far as it reaches */
    struct {
        struct kiosk_source_view v;
        uint32_t guard;
    } small;
    memset(&small, 0xAB, sizeof small);
    small.v.struct_size = (uint32_t)offsetof(struct kiosk_source_view, age_s);
    assert_int_equal(h->source_data(h, &small.v), 0);
    assert_int_equal(small.v.size, src->size);
    assert_int_equal(small.guard, 0xABABABABu);
    const unsigned char *rest = (const unsigned char *)&small.v.age_s;
    assert_int_equal(rest[0], 0xAB);
    /* request_redraw from render(): drawn again on the next frame */
    int hint = kiosk_show_render(&show, 0, canvas, NULL, 0, (int64_t)time(NULL) * 1000);
    assert_int_equal(hint, KIOSK_REDRAW_NOW);
    assert_non_null(strstr(logbuf, "probe: serial 7, 31 bytes: Thông báo số 12"));
    /* the other slide asks for nothing: its hint is the status line's minute */
    hint = kiosk_show_render(&show, 1, canvas, NULL, 0, (int64_t)time(NULL) * 1000);
    assert_true(hint > 0);
    /* outside a call into the plugin: ignored, said once */
    h->request_redraw(h);
    h->request_redraw(h);
    assert_false(kiosk_show_take_redraw(&show, 0));
    const char *said = strstr(logbuf, "slide a: refused: request_redraw() outside a call");
    assert_non_null(said);
    assert_null(strstr(said + 30, "request_redraw() outside")); /* once */
    kiosk_canvas_free(canvas);
    kiosk_show_free(&show);
    kiosk_plugins_unload(&plugins);
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    fclose(log);
    remove_tree(dir);
}

int main(void)
{
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_configured_banner_shows_until_its_time),
        cmocka_unit_test(a_banner_source_is_plain_text_or_json),
        cmocka_unit_test(a_remote_banner_overrides_until_it_expires),
        cmocka_unit_test(a_long_text_scrolls_and_a_short_one_stays),
        cmocka_unit_test(banner_pictures_match_their_references),
        cmocka_unit_test(source_data_and_request_redraw_reach_the_plugin),
    };
    return cmocka_run_group_tests(tests, open_fonts, close_fonts);
}
