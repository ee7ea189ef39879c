/* What a service center's wall shows beside the index: the qr, notice, clock and image
 * slides, and the survey's code as the ranking's badge, as kiosk snapshot draws them at
 * three sizes, against reference pictures; the
 * picture decoder on good, corrupt, truncated, oversized and foreign files; the fits; QR
 * codes on the pixel grid; the services' boundary.
 * KIOSK_UPDATE_REFERENCES=1 rewrites the references from this build (look at them!). */
#include "helpers.h"

#include "config/config.h"
#include "host/plugin_host.h"
#include "host/services.h"
#include "render/canvas.h"
#include "render/image.h"
#include "screen/show.h"

#include <cairo.h>
#include <jpeglib.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AT "2025-10-06T08:00:00+07:00"
#define PICTURES KIOSK_FIXTURES "/pictures"
static const char *const slides[] = {"01-qr",     "02-notice",  "03-clock",
                                     "04-poster", "05-posters", "06-badge"};
#define N_SLIDES (sizeof slides / sizeof slides[0])

static char dir[64];

/* The fixture config with its folders filled in. */
static void write_config(const char *path)
{
    size_t n;
    char *in = read_file(KIOSK_FIXTURES "/content/kiosk.conf.in", &n);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (const char *p = in; *p;) {
        if (strncmp(p, "@PICTURES@", 10) == 0) {
            fputs(PICTURES, f);
            p += 10;
        } else if (strncmp(p, "@DEMO@", 6) == 0) {
            fputs(KIOSK_DEMO_FEED, f);
            p += 6;
        } else {
            fputc(*p++, f);
        }
    }
    fclose(f);
    free(in);
}

static int setup(void **state)
{
    (void)state;
    if (make_temp_dir(dir, sizeof dir, "content"))
        return -1;
    char conf[128];
    snprintf(conf, sizeof conf, "%s/kiosk.conf", dir);
    write_config(conf);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void snapshot(const char *size)
{
    const char *emulator = getenv("KIOSK_TEST_EMULATOR");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s '%s' snapshot --config '%s/kiosk.conf' --out '%s/%s' --size %s --at %s > "
             "'%s/%s.log' 2>&1",
             emulator ? emulator : "", KIOSK_BIN, dir, dir, size, size, AT, dir, size);
    assert_int_equal(system(cmd), 0);
}

static uint32_t px(cairo_surface_t *s, int x, int y)
{
    const uint8_t *row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
    return ((const uint32_t *)row)[x] & 0xFFFFFF;
}

/* Within the tolerance test_snapshot allows for anti-aliasing, none for a changed layout. */
static void match(cairo_surface_t *got, const char *ref, const char *what)
{
    if (getenv("KIOSK_UPDATE_REFERENCES")) {
        assert_int_equal(cairo_surface_write_to_png(got, ref), CAIRO_STATUS_SUCCESS);
        return;
    }
    cairo_surface_t *want = cairo_image_surface_create_from_png(ref);
    if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: %s", ref, cairo_status_to_string(cairo_surface_status(want)));
    int w = cairo_image_surface_get_width(got), h = cairo_image_surface_get_height(got);
    assert_int_equal(cairo_image_surface_get_width(want), w);
    assert_int_equal(cairo_image_surface_get_height(want), h);
    long far = 0;
    double sum = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t a = px(got, x, y), b = px(want, x, y);
            int worst = 0;
            for (int sh = 0; sh < 24; sh += 8) {
                int d = abs((int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF));
                sum += d;
                worst = d > worst ? d : worst;
            }
            far += worst > 64;
        }
    double mean = sum / ((double)w * h * 3), far_share = (double)far / ((double)w * h);
    if (mean > 1.5 || far_share > 0.005)
        fail_msg("%s differs from its reference: mean difference %.2f, %.2f%% of pixels far off",
                 what, mean, 100 * far_share);
    cairo_surface_destroy(want);
}

static void check_size(const char *size, int w, int h)
{
    snapshot(size);
    for (size_t i = 0; i < N_SLIDES; i++) {
        char path[256], ref[512], what[128];
        snprintf(path, sizeof path, "%s/%s/%s.png", dir, size, slides[i]);
        snprintf(ref, sizeof ref, "%s/reference/content/%s/%s.png", KIOSK_FIXTURES, size,
                 slides[i]);
        snprintf(what, sizeof what, "content/%s/%s", size, slides[i]);
        cairo_surface_t *s = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
            fail_msg("%s: %s (the slide was not drawn)", path,
                     cairo_status_to_string(cairo_surface_status(s)));
        assert_int_equal(cairo_image_surface_get_width(s), w);
        assert_int_equal(cairo_image_surface_get_height(s), h);
        match(s, ref, what);
        cairo_surface_destroy(s);
    }
}

static void test_the_new_slides_at_1920x1080(void **state)
{
    (void)state;
    check_size("1920x1080", 1920, 1080);
}

static void test_the_new_slides_at_1280x720(void **state)
{
    (void)state;
    check_size("1280x720", 1280, 720);
}

static void test_the_new_slides_in_portrait_1080x1920(void **state)
{
    (void)state;
    check_size("1080x1920", 1080, 1920);
}

/* A folder of posters in turn, picture_s each: the next one at its time, and the slide asks
 * to be drawn again when that comes; the clock again when the minute turns. */
static void test_posters_turn_and_the_clock_ticks(void **state)
{
    (void)state;
    struct kiosk_plugins p = {0};
    p.log = fopen("/dev/null", "w");
    assert_true(kiosk_plugins_load_dir(&p, KIOSK_BUILD_PLUGINDIR) >= 8);
    struct kiosk_slide_conf sc[2] = {
        {.name = "posters", .plugin = "image", .duration_s = 60},
        {.name = "clock", .plugin = "clock", .duration_s = 60},
    };
    assert_int_equal(kiosk_keyvals_set_at(&sc[0].kv, "path", PICTURES "/posters", 1), 0);
    assert_int_equal(kiosk_keyvals_set_at(&sc[0].kv, "picture_s", "8", 2), 0);
    assert_int_equal(kiosk_keyvals_set_at(&sc[0].kv, "fit", "stretch", 3), 0);
    struct kiosk_config c = {.slides = sc, .n_slides = 2, .lang = KIOSK_LANG_CODE_VI};
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &p, p.log), 2);
    kiosk_canvas *a = kiosk_canvas_new(320, 180, NULL), *b = kiosk_canvas_new(320, 180, NULL);
    int64_t now = 1759710600000; /* 2025-10-06T00:30:00Z */
    /* at 3 s: the first poster, the next in 5 s */
    int hint = kiosk_show_render(&show, 0, a, NULL, 3000, now);
    assert_in_range(hint, 4990, 5010);
    /* at 9 s: the second (the SVG, drawn differently), the next at 16 s */
    hint = kiosk_show_render(&show, 0, b, NULL, 9000, now);
    assert_in_range(hint, 6990, 7010);
    int sa, sb;
    const uint8_t *pa = kiosk_canvas_pixels(a, &sa), *pb = kiosk_canvas_pixels(b, &sb);
    assert_true(memcmp(pa, pb, (size_t)sa * 180) != 0);
    /* at 17 s: the first again */
    kiosk_show_render(&show, 0, b, NULL, 17000, now);
    pb = kiosk_canvas_pixels(b, &sb);
    assert_memory_equal(pa, pb, (size_t)sa * 180);
    /* the clock: 00:30:00 plus 12.5 s, so again in 47.5 s (and a little) */
    hint = kiosk_show_render(&show, 1, a, NULL, 0, now + 12500);
    assert_in_range(hint, 47500, 47600);
    kiosk_canvas_free(a);
    kiosk_canvas_free(b);
    kiosk_show_free(&show);
    for (size_t i = 0; i < 2; i++)
        kiosk_keyvals_free(&sc[i].kv);
    kiosk_plugins_unload(&p);
    fclose(p.log);
}

/* ---- the decoder ---- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void expect_refused(const void *bytes, size_t n, const char *says)
{
    char why[256];
    kiosk_image *p = kiosk_image_decode(bytes, n, 1920, 1080, why, sizeof why);
    if (p || !strstr(why, says))
        fail_msg("expected a refusal saying \"%s\", found %s \"%s\"", says,
                 p ? "a picture and" : "", why);
}

static void expect_file(const char *path, int max_w, int max_h, int w, int h)
{
    char why[256];
    kiosk_image *p = kiosk_image_read(path, max_w, max_h, why, sizeof why);
    if (!p)
        fail_msg("%s: %s", path, why);
    int gw, gh;
    kiosk_image_dimensions(p, &gw, &gh);
    if (gw != w || gh != h)
        fail_msg("%s at most %d x %d: expected %d x %d, found %d x %d", path, max_w, max_h, w, h,
                 gw, gh);
    kiosk_image_free(p);
}

static void test_pictures_are_decoded_at_the_size_they_are_drawn(void **state)
{
    (void)state;
    /* 800 x 450, each type: scaled down keeping its aspect, never up (an SVG is drawn at
     * the size asked) */
    expect_file(PICTURES "/poster.jpg", 200, 200, 200, 113);
    expect_file(PICTURES "/poster.jpg", 1920, 1080, 800, 450);
    expect_file(PICTURES "/poster.jpg", 100, 1000, 100, 56);
    expect_file(PICTURES "/posters/1-poster.png", 400, 400, 400, 225);
    expect_file(PICTURES "/posters/1-poster.png", 4000, 4000, 800, 450);
    expect_file(PICTURES "/posters/2-poster.svg", 1920, 1080, 1920, 1080);
    expect_file(PICTURES "/posters/2-poster.svg", 320, 320, 320, 180);
    /* the colours survive the scaling: the sun of the poster is still yellow */
    char why[256];
    kiosk_image *p = kiosk_image_read(PICTURES "/poster.jpg", 400, 400, why, sizeof why);
    assert_non_null(p);
    kiosk_canvas *c = kiosk_canvas_new(400, 225, NULL);
    kiosk_canvas_clear(c, 0xFF000000);
    kiosk_canvas_draw_image(c, p, 0, 0, 400, 225, KIOSK_FIT_STRETCH);
    int stride;
    const uint8_t *pix = kiosk_canvas_pixels(c, &stride);
    uint32_t sun = ((const uint32_t *)(pix + 55 * stride))[312] & 0xFFFFFF;
    if (((sun >> 16) & 0xFF) < 0xE0 || ((sun >> 8) & 0xFF) < 0xB0 || (sun & 0xFF) > 0x80)
        fail_msg("the sun at (312, 55) is #%06X, expected a yellow", sun);
    kiosk_canvas_free(c);
    kiosk_image_free(p);
}

/* Every kind of PNG the converter takes (grey, a palette with transparency, 16-bit RGBA,
 * interlaced) and a small SVG: decoded at their own size, with their colours. */
static void test_every_kind_of_png_decodes(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        int w, h, x, y;
        uint32_t argb; /* premultiplied, as the canvas holds it */
    } cases[] = {
        {"grey-4x3.png", 4, 3, 3, 1, 0xFFB4B4B4},
        {"palette-2x2.png", 2, 2, 0, 0, 0x80800000}, /* red at half opacity */
        {"palette-2x2.png", 2, 2, 0, 1, 0xFF00FF00},
        {"rgba16-2x2.png", 2, 2, 1, 1, 0x12010101}, /* 0x1234 of each: 16 bits cut to 8 */
        {"interlaced-8x8.png", 8, 8, 0, 0, 0xFF00254A},
        {"small.svg", 10, 5, 5, 2, 0xFFB3261E},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], why[256];
        snprintf(path, sizeof path, "%s/tests/fuzz/seeds/image/%s", KIOSK_SOURCE_DIR,
                 cases[i].file);
        kiosk_image *p = kiosk_image_read(path, 100, 100, why, sizeof why);
        if (!p)
            fail_msg("%s: %s", cases[i].file, why);
        int w, h;
        kiosk_image_dimensions(p, &w, &h);
        if (strstr(cases[i].file, ".svg")) { /* drawn at the size asked */
            assert_int_equal(w, 100);
            assert_int_equal(h, 50);
            w = cases[i].w;
            h = cases[i].h;
        }
        assert_int_equal(w, cases[i].w);
        assert_int_equal(h, cases[i].h);
        kiosk_canvas *c = kiosk_canvas_new(w, h, NULL);
        kiosk_canvas_clear(c, 0x00000000);
        kiosk_canvas_draw_image(c, p, 0, 0, (float)w, (float)h, KIOSK_FIT_STRETCH);
        int stride;
        const uint8_t *pix = kiosk_canvas_pixels(c, &stride);
        uint32_t got = ((const uint32_t *)(pix + cases[i].y * stride))[cases[i].x];
        if (got != cases[i].argb)
            fail_msg("%s at (%d, %d): expected #%08X, found #%08X", cases[i].file, cases[i].x,
                     cases[i].y, cases[i].argb, got);
        kiosk_canvas_free(c);
        kiosk_image_free(p);
    }
}

/* A PNG of the given header and one IDAT of data. */
static size_t png_with(uint8_t *out, uint32_t w, uint32_t h, int interlace, const uint8_t *idat,
                       size_t n)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t ihdr[13] = {(uint8_t)(w >> 24),
                        (uint8_t)(w >> 16),
                        (uint8_t)(w >> 8),
                        (uint8_t)w,
                        (uint8_t)(h >> 24),
                        (uint8_t)(h >> 16),
                        (uint8_t)(h >> 8),
                        (uint8_t)h,
                        8,
                        6,
                        0,
                        0,
                        (uint8_t)interlace};
    size_t at = 0;
    memcpy(out, sig, 8);
    at += 8;
    const struct {
        const char *kind;
        const uint8_t *body;
        size_t n;
    } chunks[] = {{"IHDR", ihdr, 13}, {"IDAT", idat, n}, {"IEND", NULL, 0}};
    for (size_t i = 0; i < 3; i++) {
        uint32_t len = (uint32_t)chunks[i].n;
        out[at++] = (uint8_t)(len >> 24);
        out[at++] = (uint8_t)(len >> 16);
        out[at++] = (uint8_t)(len >> 8);
        out[at++] = (uint8_t)len;
        size_t from = at;
        memcpy(out + at, chunks[i].kind, 4);
        at += 4;
        if (chunks[i].n)
            memcpy(out + at, chunks[i].body, chunks[i].n);
        at += chunks[i].n;
        /* the CRC of kind and body (the standard polynomial) */
        uint32_t crc = 0xFFFFFFFFu;
        for (size_t k = from; k < at; k++) {
            crc ^= out[k];
            for (int b = 0; b < 8; b++)
                crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        crc ^= 0xFFFFFFFFu;
        out[at++] = (uint8_t)(crc >> 24);
        out[at++] = (uint8_t)(crc >> 16);
        out[at++] = (uint8_t)(crc >> 8);
        out[at++] = (uint8_t)crc;
    }
    return at;
}

/* A progressive JPEG of 190 scans (each AC coefficient of each colour its own scan: a
 * valid file, and a way to keep a decoder busy), written with libjpeg. */
static unsigned char *many_scans_jpeg(unsigned long *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    jpeg_mem_dest(&c, &out, len);
    c.image_width = c.image_height = 64;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    static jpeg_scan_info scans[1 + 3 * 63];
    int n = 0;
    scans[n++] = (jpeg_scan_info){.comps_in_scan = 3, .component_index = {0, 1, 2}};
    for (int comp = 0; comp < 3; comp++)
        for (int k = 1; k < 64; k++)
            scans[n++] =
                (jpeg_scan_info){.comps_in_scan = 1, .component_index = {comp}, .Ss = k, .Se = k};
    c.scan_info = scans;
    c.num_scans = n;
    jpeg_start_compress(&c, TRUE);
    unsigned char row[64 * 3];
    for (int x = 0; x < 64 * 3; x++)
        row[x] = (unsigned char)(x * 7);
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return out;
}

static void test_bad_pictures_are_refused_with_why(void **state)
{
    (void)state;
    char why[256];
    /* a decompression bomb: 100000 x 100000 declared (40 GB decoded), refused from its
     * header, at once */
    uint8_t bomb[256];
    static const uint8_t some[16] = {0x78, 0x9C};
    size_t n = png_with(bomb, 100000, 100000, 0, some, sizeof some);
    double t0 = now_s();
    expect_refused(bomb, n, "PNG declares 100000 x 100000 pixels, more than the 64 megapixels");
    assert_true(now_s() - t0 < 0.5);
    /* an interlaced picture is held whole while it decodes: 25 megapixels are too many */
    n = png_with(bomb, 5000, 5000, 1, some, sizeof some);
    expect_refused(bomb, n, "interlaced PNG of 5000 x 5000 pixels");
    /* the same for a JPEG: the poster with its frame header saying 60000 x 60000 */
    size_t jn;
    uint8_t *jpeg = (uint8_t *)read_file(PICTURES "/poster.jpg", &jn);
    for (size_t i = 2; i + 9 < jn; i++)
        if (jpeg[i] == 0xFF && (jpeg[i + 1] == 0xC0 || jpeg[i + 1] == 0xC2)) {
            jpeg[i + 5] = jpeg[i + 7] = 0xEA; /* 0xEA60 = 60000 */
            jpeg[i + 6] = jpeg[i + 8] = 0x60;
            break;
        }
    expect_refused(jpeg, jn, "JPEG declares 60000 x 60000 pixels");
    free(jpeg);
    /* a progressive JPEG of 190 scans: refused while it decodes, not decoded for minutes */
    unsigned long sn = 0;
    unsigned char *scans = many_scans_jpeg(&sn);
    expect_refused(scans, sn, "JPEG of more than 100 scans");
    free(scans);
    /* truncated: half of a PNG, half of a JPEG */
    size_t pn;
    char *png = read_file(PICTURES "/posters/1-poster.png", &pn);
    expect_refused(png, pn / 2, "truncated PNG");
    expect_refused(png, 40, "truncated PNG");
    free(png);
    assert_null(kiosk_image_read(PICTURES "/bad/truncated.jpg", 1920, 1080, why, sizeof why));
    assert_string_equal(why, "truncated JPEG: the file ends before its picture does");
    /* corrupt */
    assert_null(kiosk_image_read(PICTURES "/bad/corrupt.png", 1920, 1080, why, sizeof why));
    assert_non_null(strstr(why, "corrupt PNG: "));
    expect_refused("<svg xmlns='http://www.w3.org/2000/svg'><rect", 46, "corrupt SVG");
    /* another type, or none */
    expect_refused("GIF89a\x01\x00\x01\x00", 10,
                   "expected a PNG, JPEG or SVG picture, found a GIF picture");
    expect_refused("<!DOCTYPE html><html><body>502</body></html>", 44, "found an HTML page");
    expect_refused("", 0, "found an empty file");
    /* not a file, or too large a size asked */
    assert_null(kiosk_image_read(PICTURES, 100, 100, why, sizeof why));
    assert_string_equal(why, "expected a picture file, found a folder");
    assert_null(kiosk_image_read(PICTURES "/missing.png", 100, 100, why, sizeof why));
    assert_non_null(strstr(why, "cannot open it: No such file"));
    assert_null(kiosk_image_read(PICTURES "/poster.jpg", 0, 100, why, sizeof why));
    assert_non_null(strstr(why, "expected a size of 1 to 16384 pixels a side"));
    /* a vector asked for at the largest size a side: its pixels capped (16 megapixels, not
     * the 268 of 16384 x 16384), its aspect kept */
    kiosk_image *big =
        kiosk_image_read(PICTURES "/posters/2-poster.svg", 16384, 16384, why, sizeof why);
    assert_non_null(big);
    int bw = 0, bh = 0;
    kiosk_image_dimensions(big, &bw, &bh);
    assert_true((double)bw * bh <= KIOSK_IMAGE_MAX_DECODED);
    assert_true((double)bw * bh > 0.99 * KIOSK_IMAGE_MAX_DECODED);
    assert_true(kiosk_image_bytes(big) <= 4u * KIOSK_IMAGE_MAX_DECODED);
    kiosk_image *small =
        kiosk_image_read(PICTURES "/posters/2-poster.svg", 800, 800, why, sizeof why);
    int sw = 0, sh = 0;
    kiosk_image_dimensions(small, &sw, &sh);
    assert_true(fabs((double)bw / bh - (double)sw / sh) < 0.01);
    kiosk_image_free(small);
    kiosk_image_free(big);
}

/* ---- drawing ---- */

static uint32_t at(kiosk_canvas *c, int x, int y)
{
    int stride;
    const uint8_t *pix = kiosk_canvas_pixels(c, &stride);
    return ((const uint32_t *)(pix + y * stride))[x] & 0xFFFFFF;
}

static void test_contain_cover_and_stretch(void **state)
{
    (void)state;
    char why[256];
    kiosk_image *p = kiosk_image_read(PICTURES "/posters/1-poster.png", 800, 800, why, sizeof why);
    assert_non_null(p);
    kiosk_canvas *c = kiosk_canvas_new(400, 400, NULL);
    /* contain: 400 x 225 centred, bands above and below left as they were */
    kiosk_canvas_clear(c, 0xFFFF00FF);
    kiosk_canvas_draw_image(c, p, 0, 0, 400, 400, KIOSK_FIT_CONTAIN);
    assert_int_equal(at(c, 200, 80), 0xFF00FF);
    assert_int_equal(at(c, 200, 320), 0xFF00FF);
    assert_int_not_equal(at(c, 200, 100), 0xFF00FF);
    assert_int_not_equal(at(c, 200, 300), 0xFF00FF);
    /* cover: every pixel of the square, the sides cut off */
    kiosk_canvas_clear(c, 0xFFFF00FF);
    kiosk_canvas_draw_image(c, p, 0, 0, 400, 400, KIOSK_FIT_COVER);
    assert_int_not_equal(at(c, 0, 0), 0xFF00FF);
    assert_int_not_equal(at(c, 399, 399), 0xFF00FF);
    /* and nothing past the rectangle given */
    kiosk_canvas_clear(c, 0xFFFF00FF);
    kiosk_canvas_draw_image(c, p, 100, 100, 200, 200, KIOSK_FIT_COVER);
    assert_int_equal(at(c, 99, 150), 0xFF00FF);
    assert_int_equal(at(c, 300, 150), 0xFF00FF);
    assert_int_not_equal(at(c, 101, 101), 0xFF00FF);
    /* stretch: all of both */
    kiosk_canvas_clear(c, 0xFFFF00FF);
    kiosk_canvas_draw_image(c, p, 0, 0, 400, 400, KIOSK_FIT_STRETCH);
    assert_int_not_equal(at(c, 200, 2), 0xFF00FF);
    assert_int_not_equal(at(c, 200, 397), 0xFF00FF);
    kiosk_canvas_free(c);
    kiosk_image_free(p);
}

static void test_qr_codes_sit_on_the_pixel_grid(void **state)
{
    (void)state;
    kiosk_canvas *c = kiosk_canvas_new(320, 320, NULL);
    kiosk_canvas_clear(c, 0xFF0B1E3A); /* the dark theme's background */
    /* at a position and size that are not whole pixels */
    assert_int_equal(kiosk_canvas_draw_qr(c, 10.3f, 12.7f, 290.4f,
                                          "https://dichvucong.gov.vn/p/home/dvc-danh-gia.html"),
                     0);
    long dark = 0;
    for (int y = 14; y < 300; y++)
        for (int x = 12; x < 298; x++) {
            uint32_t v = at(c, x, y);
            if (v != 0x000000 && v != 0xFFFFFF)
                fail_msg("(%d, %d) is #%06X: expected only black and white", x, y, v);
            dark += v == 0;
        }
    assert_true(dark > 20000); /* modules, not an empty square */
    /* the quiet zone: 4 modules of white inside the square's edge (a module is at least
     * 290 / 45 > 6 pixels at this length) */
    for (int y = 14; y < 300; y++)
        assert_int_equal(at(c, 16, y), 0xFFFFFF);
    /* too much text, or too small a square: nothing drawn */
    char big[1200];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(kiosk_canvas_draw_qr(c, 0, 0, 300, big), -1);
    assert_int_equal(kiosk_canvas_draw_qr(c, 0, 0, 20, "https://dichvucong.gov.vn/"), -1);
    kiosk_canvas_free(c);
}

/* A playlist of the center's own slides, each with its hours, and no leaderboard: the
 * kiosk adds one, shown only when none is in its hours (never a slide out of its hours,
 * never a black screen); a playlist with a leaderboard, or without hours, gets none. */
static void test_a_fallback_leaderboard_for_hours_no_slide_is_in(void **state)
{
    (void)state;
    char tdir[64], conf[128];
    assert_int_equal(make_temp_dir(tdir, sizeof tdir, "fallback"), 0);
    snprintf(conf, sizeof conf, "%s/kiosk.conf", tdir);
    write_file(conf, "[slide.notice]\nplugin = notice\ntitle = Thông báo\ntext = Nghỉ lễ\n"
                     "days = mon-fri\nhours = 07:00-11:30\n"
                     "[slide.clock]\nplugin = clock\ndays = mon-fri\nhours = 13:30-17:00\n");
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_config_load(conf, &c, &d), 0);
    assert_int_equal(c.n_slides, 3);
    assert_string_equal(c.slides[2].name, "fallback");
    assert_string_equal(c.slides[2].plugin, "leaderboard");
    assert_true(c.slides[2].fallback);
    assert_false(c.slides[0].fallback);
    struct kiosk_plugins p = {0};
    p.log = fopen("/dev/null", "w");
    assert_true(kiosk_plugins_load_dir(&p, KIOSK_BUILD_PLUGINDIR) >= 8);
    struct kiosk_show show;
    assert_int_equal(kiosk_show_build(&show, &c, &p, p.log), 3);
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    struct tm at = {.tm_year = 126, .tm_mon = 11, .tm_mday = 7, .tm_hour = 8, .tm_isdst = -1};
    time_t monday_8 = mktime(&at); /* Monday 7 December 2026, 08:00 */
    assert_true(kiosk_show_scheduled(&show, 0, monday_8));
    assert_false(kiosk_show_scheduled(&show, 1, monday_8));
    assert_false(kiosk_show_scheduled(&show, 2, monday_8));             /* no turn of its own */
    assert_false(kiosk_show_scheduled(&show, 2, monday_8 + 12 * 3600)); /* 20:00 either */
    assert_int_equal(kiosk_show_fallback(&show), 2);
    assert_string_equal(show.slides[2].plugin->desc.name, "leaderboard"); /* the ranking */
    kiosk_show_free(&show);
    kiosk_config_free(&c);
    /* a leaderboard of its own (whatever its hours): that one is the fallback */
    write_file(conf, "[slide.notice]\nplugin = notice\ntext = a\nhours = 07:00-11:30\n"
                     "[slide.ranks]\nplugin = leaderboard\nhours = 07:00-17:00\n");
    assert_int_equal(kiosk_config_load(conf, &c, &d), 0);
    assert_int_equal(c.n_slides, 2);
    assert_int_equal(kiosk_show_build(&show, &c, &p, p.log), 2);
    assert_int_equal(kiosk_show_fallback(&show), 1);
    kiosk_show_free(&show);
    kiosk_config_free(&c);
    /* its name is one no slide of the file has */
    write_file(conf, "[slide.fallback-2]\nplugin = notice\ntext = a\nhours = 07:00-11:30\n"
                     "[slide.fallback]\nplugin = clock\n");
    assert_int_equal(kiosk_config_load(conf, &c, &d), 0);
    assert_int_equal(c.n_slides, 3);
    assert_string_equal(c.slides[2].name, "fallback-3");
    kiosk_config_free(&c);
    /* no hours: nothing is ever out of them */
    write_file(conf, "[slide.notice]\nplugin = notice\ntext = a\n");
    assert_int_equal(kiosk_config_load(conf, &c, &d), 0);
    assert_int_equal(c.n_slides, 1);
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    kiosk_plugins_unload(&p);
    fclose(p.log);
}

/* The services as a plugin calls them: what the header does not allow is refused, once a
 * kind, with a line in the slide's log; nothing crashes. */
static void test_the_services_check_their_arguments(void **state)
{
    (void)state;
    char logbuf[4096] = "";
    FILE *log = fmemopen(logbuf, sizeof logbuf, "w");
    setvbuf(log, NULL, _IONBF, 0);
    struct kiosk_host_ctx ctx;
    kiosk_host_init(&ctx, "poster", KIOSK_LANG_CODE_VI, NULL, log);
    const struct kiosk_host *h = &ctx.api;
    kiosk_host_enter(&ctx);
    assert_non_null(h->source_data); /* every 1.3 service is there */
    assert_non_null(h->request_redraw);
    assert_null(h->image_load(h, NULL, 0, 0));
    assert_null(h->image_load(h, PICTURES "/poster.jpg", -1, 100));
    assert_non_null(strstr(logbuf, "slide poster: refused: image_load"));
    /* a file that cannot be used: its own line, naming it */
    assert_null(h->image_load(h, PICTURES "/bad/truncated.jpg", 0, 0));
    assert_non_null(strstr(logbuf, "slide poster: image " PICTURES "/bad/truncated.jpg: refused: "
                                   "truncated JPEG"));
    kiosk_image *p = h->image_load(h, PICTURES "/poster.jpg", 0, 0);
    assert_non_null(p);
    int w = 0, hh = 0;
    assert_int_equal(h->image_size(p, &w, &hh), 0);
    assert_int_equal(w, 800);
    assert_int_equal(hh, 450);
    assert_int_equal(h->image_size(NULL, &w, &hh), -1);
    assert_int_equal(ctx.images, 1);
    kiosk_canvas *c = kiosk_canvas_new(100, 100, NULL);
    kiosk_canvas_clear(c, 0xFFFF00FF);
    h->draw_image(c, p, 0, 0, 100, 100, (enum kiosk_fit)7);
    h->draw_image(c, p, 0, 0, 1.0f / 0.0f, 100, KIOSK_FIT_COVER);
    h->draw_image(c, NULL, 0, 0, 100, 100, KIOSK_FIT_COVER);
    assert_int_equal(at(c, 50, 50), 0xFF00FF); /* nothing drawn */
    h->draw_image(c, p, 0, 0, 100, 100, KIOSK_FIT_COVER);
    assert_int_not_equal(at(c, 50, 50), 0xFF00FF);
    assert_int_equal(h->draw_qr(c, 0, 0, 100, NULL), -1);
    assert_int_equal(h->draw_qr(c, 0, 0, 5, "https://dichvucong.gov.vn/"), -1);
    char buf[64];
    assert_string_equal(h->format_time(h, 0, (enum kiosk_time_style)0, buf, sizeof buf), "");
    assert_null(h->format_time(h, 0, KIOSK_TIME_HM, NULL, 8));
    h->image_release(h, p);
    h->image_release(h, NULL);
    assert_int_equal(ctx.images, 0);
    assert_int_equal(ctx.image_bytes, 0);
    /* released twice: refused, not freed twice */
    h->image_release(h, p);
    assert_non_null(strstr(logbuf, "refused: image_release(host, image): expected the slide's "
                                   "host and an image it loaded and did not release"));
    /* a picture that could take the slide past what it may hold is refused before it is
     * decoded (said once: this slide had its image_load refusal above); a smaller one fits */
    ctx.image_bytes = (size_t)500 << 20;
    assert_null(h->image_load(h, PICTURES "/posters/2-poster.svg", 3840, 2160));
    assert_int_equal(ctx.images, 0);
    kiosk_image *fits = h->image_load(h, PICTURES "/posters/2-poster.svg", 640, 360);
    assert_non_null(fits);
    h->image_release(h, fits);
    ctx.image_bytes = 0;
    {
        char wallbuf[1024] = "";
        FILE *wl = fmemopen(wallbuf, sizeof wallbuf, "w");
        setvbuf(wl, NULL, _IONBF, 0);
        struct kiosk_host_ctx wall;
        kiosk_host_init(&wall, "wall", KIOSK_LANG_CODE_VI, NULL, wl);
        kiosk_host_leave();
        kiosk_host_enter(&wall);
        wall.image_bytes = (size_t)500 << 20;
        assert_null(wall.api.image_load(&wall.api, PICTURES "/posters/2-poster.svg", 3840, 2160));
        assert_non_null(strstr(wallbuf, "slide wall: refused: image_load(max 3840 x 2160): a "
                                        "picture of up to 31 MiB would take the slide past the "
                                        "512 MiB it may hold (it holds 500 MiB"));
        kiosk_host_leave();
        kiosk_host_enter(&ctx);
        fclose(wl);
    }
    /* what a plugin leaves behind is freed with its slide, and said */
    assert_non_null(h->image_load(h, PICTURES "/poster.jpg", 64, 64));
    assert_non_null(h->image_load(h, PICTURES "/posters/2-poster.svg", 64, 64));
    assert_int_equal(ctx.images, 2);
    assert_int_equal(kiosk_host_drop_images(&ctx), 2);
    assert_non_null(strstr(logbuf, "slide poster: 2 pictures its plugin did not release, freed"));
    assert_int_equal(ctx.images, 0);
    kiosk_host_leave();
    fclose(log);
    /* each kind said once */
    const char *first = strstr(logbuf, "refused: draw_image");
    assert_non_null(first);
    assert_null(strstr(first + 1, "refused: draw_image"));
    kiosk_canvas_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_new_slides_at_1920x1080),
        cmocka_unit_test(test_a_fallback_leaderboard_for_hours_no_slide_is_in),
        cmocka_unit_test(test_the_new_slides_at_1280x720),
        cmocka_unit_test(test_the_new_slides_in_portrait_1080x1920),
        cmocka_unit_test(test_posters_turn_and_the_clock_ticks),
        cmocka_unit_test(test_pictures_are_decoded_at_the_size_they_are_drawn),
        cmocka_unit_test(test_every_kind_of_png_decodes),
        cmocka_unit_test(test_bad_pictures_are_refused_with_why),
        cmocka_unit_test(test_contain_cover_and_stretch),
        cmocka_unit_test(test_qr_codes_sit_on_the_pixel_grid),
        cmocka_unit_test(test_the_services_check_their_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
