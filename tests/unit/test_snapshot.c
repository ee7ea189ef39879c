/* kiosk snapshot as a user runs it: every slide of the demo playlist to PNG at three
 * sizes; the pictures are the right size, not blank, carry text, highlight the home unit
 * where it is ranked, and match the reference pictures within a tolerance.
 * KIOSK_UPDATE_REFERENCES=1 rewrites the references from this build (look at them!). */
#include "helpers.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT "2025-10-06T08:00:00+07:00"
static const char *const slides[] = {"01-headline", "02-national", "03-gauges",
                                     "04-trend",    "05-communes", "06-departments"};
#define N_SLIDES (sizeof slides / sizeof slides[0])
#define HIGHLIGHT 0xB3261Eu /* the dark theme's home-unit row */
#define TEXT 0xFFFFFFu

static char out[64];

static int setup(void **state)
{
    (void)state;
    return make_temp_dir(out, sizeof out, "snap");
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(out);
}

static void snapshot(const char *size)
{
    /* a cross build runs the program under the emulator, as ctest runs this test */
    const char *emulator = getenv("KIOSK_TEST_EMULATOR");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s '%s' snapshot --out '%s/%s' --size %s --at %s > /dev/null",
             emulator ? emulator : "", KIOSK_BIN, out, size, size, AT);
    assert_int_equal(system(cmd), 0);
}

static cairo_surface_t *load(const char *size, const char *slide)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s.png", out, size, slide);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
    return s;
}

static uint32_t px(cairo_surface_t *s, int x, int y)
{
    const uint8_t *row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
    return ((const uint32_t *)row)[x] & 0xFFFFFF;
}

/* The share of pixels of a colour in rows [y0, y1). */
static double share(cairo_surface_t *s, uint32_t color, int y0, int y1)
{
    int w = cairo_image_surface_get_width(s);
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < w; x++)
            n += px(s, x, y) == color;
    return (double)n / ((double)w * (y1 - y0));
}

static void check_size(const char *size, int w, int h)
{
    snapshot(size);
    for (size_t i = 0; i < N_SLIDES; i++) {
        cairo_surface_t *s = load(size, slides[i]);
        assert_int_equal(cairo_image_surface_get_width(s), w);
        assert_int_equal(cairo_image_surface_get_height(s), h);
        /* text: white glyph cores cover a visible share of the slide */
        double text = share(s, TEXT, 0, h);
        if (text < 0.002)
            fail_msg("%s/%s: almost no text (%.4f of the pixels)", size, slides[i], text);
        cairo_surface_destroy(s);
    }
    /* the home unit (Bắc Ninh, first nationally) is highlighted in the national ranking,
     * at the top, and in no ranking where it does not stand */
    cairo_surface_t *national = load(size, "02-national");
    assert_true(share(national, HIGHLIGHT, 0, h / 3) > 0.05);
    assert_true(share(national, HIGHLIGHT, h / 2, h) == 0);
    cairo_surface_destroy(national);
    cairo_surface_t *communes = load(size, "05-communes");
    assert_true(share(communes, HIGHLIGHT, 0, h) == 0);
    cairo_surface_destroy(communes);
}

static void test_every_slide_at_1920x1080(void **state)
{
    (void)state;
    check_size("1920x1080", 1920, 1080);
}

static void test_every_slide_at_1280x720(void **state)
{
    (void)state;
    check_size("1280x720", 1280, 720);
}

static void test_every_slide_in_portrait_1080x1920(void **state)
{
    (void)state;
    check_size("1080x1920", 1080, 1920);
}

static void test_slides_match_their_reference_pictures(void **state)
{
    (void)state;
    snapshot("1280x720");
    int update = getenv("KIOSK_UPDATE_REFERENCES") != NULL;
    for (size_t i = 0; i < N_SLIDES; i++) {
        char ref[512];
        snprintf(ref, sizeof ref, "%s/%s.png", KIOSK_REFERENCE_DIR, slides[i]);
        cairo_surface_t *got = load("1280x720", slides[i]);
        if (update) {
            assert_int_equal(cairo_surface_write_to_png(got, ref), CAIRO_STATUS_SUCCESS);
            cairo_surface_destroy(got);
            continue;
        }
        cairo_surface_t *want = cairo_image_surface_create_from_png(ref);
        assert_int_equal(cairo_surface_status(want), CAIRO_STATUS_SUCCESS);
        assert_int_equal(cairo_image_surface_get_width(want), 1280);
        assert_int_equal(cairo_image_surface_get_height(want), 720);
        /* a tolerance for anti-aliasing differences, none for a changed layout */
        long far = 0;
        double sum = 0;
        for (int y = 0; y < 720; y++)
            for (int x = 0; x < 1280; x++) {
                uint32_t a = px(got, x, y), b = px(want, x, y);
                int worst = 0;
                for (int sh = 0; sh < 24; sh += 8) {
                    int d = abs((int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF));
                    sum += d;
                    worst = d > worst ? d : worst;
                }
                far += worst > 64;
            }
        double mean = sum / (1280.0 * 720 * 3), far_share = (double)far / (1280.0 * 720);
        if (mean > 1.5 || far_share > 0.005)
            fail_msg("%s differs from its reference: mean difference %.2f, %.2f%% of pixels "
                     "far off",
                     slides[i], mean, 100 * far_share);
        cairo_surface_destroy(want);
        cairo_surface_destroy(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_slide_at_1920x1080, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_slide_at_1280x720, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_slide_in_portrait_1080x1920, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slides_match_their_reference_pictures, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
