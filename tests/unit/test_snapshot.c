/* kiosk snapshot as a user runs it: every slide of the demo playlist, and of two commune
 * kiosks on the portal's real responses, to PNG at three sizes; the pictures are the right
 * size, not blank, carry text, highlight the home unit where it is ranked, and match the
 * reference pictures within a tolerance. And every one of the 148 real communes, as a
 * kiosk's home, has its row in the first picture of its ranking.
 * KIOSK_UPDATE_REFERENCES=1 rewrites the references from this build (look at them!). */
#include "helpers.h"

#include "kiosk/slide.h"
#include "screen/setup.h"

#include <cairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT "2025-10-06T08:00:00+07:00"
static const char *const slides[] = {"01-headline", "02-national", "03-gauges",
                                     "04-trend",    "05-communes", "06-departments"};
#define N_SLIDES (sizeof slides / sizeof slides[0])
#define HIGHLIGHT 0xB3261Eu /* the dark theme's home-unit row */
#define TEXT 0xFFFFFFu
#define UP 0x3DDC84u /* the dark theme's gains */

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

/* The kiosks pictured: the demo, and commune centers on the portal's real responses. */
struct kiosk {
    const char *name;   /* the pictures' folder, under out and the references */
    const char *config; /* NULL: the demo */
    const char *at;
    const char *const *slides;
    size_t n_slides;
};

static const struct kiosk demo = {"", NULL, AT, slides, N_SLIDES};
/* UBND xã Vĩnh An, 100th of 148 communes; the trend (one month) is skipped */
static const char *const commune_slides[] = {"01-headline", "02-communes", "03-departments",
                                             "04-gauges", "05-metrics"};
static const struct kiosk commune = {"commune", KIOSK_FIXTURES "/commune/kiosk.conf",
                                     "2026-09-26T08:00:00+07:00", commune_slides, 5};
/* UBND xã Khả Cửu, 5th */
static const char *const top_slides[] = {"01-headline", "02-communes"};
static const struct kiosk commune_top = {"commune-top", KIOSK_FIXTURES "/commune/top.conf",
                                         "2026-09-26T08:00:00+07:00", top_slides, 2};

static void snapshot_of(const struct kiosk *k, const char *size)
{
    /* a cross build runs the program under the emulator, as ctest runs this test */
    const char *emulator = getenv("KIOSK_TEST_EMULATOR");
    char cmd[1400], conf[600] = "";
    if (k->config)
        snprintf(conf, sizeof conf, "--config '%s'", k->config);
    snprintf(cmd, sizeof cmd,
             "%s '%s' snapshot %s --out '%s/%s%s%s' --size %s --at %s > /dev/null 2>&1",
             emulator ? emulator : "", KIOSK_BIN, conf, out, k->name, k->name[0] ? "-" : "", size,
             size, k->at);
    assert_int_equal(system(cmd), 0);
}

static void snapshot(const char *size)
{
    snapshot_of(&demo, size);
}

static cairo_surface_t *load_of(const struct kiosk *k, const char *size, const char *slide)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s%s%s/%s.png", out, k->name, k->name[0] ? "-" : "", size,
             slide);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
    return s;
}

static cairo_surface_t *load(const char *size, const char *slide)
{
    return load_of(&demo, size, slide);
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

static void match_references(const struct kiosk *k)
{
    snapshot_of(k, "1280x720");
    int update = getenv("KIOSK_UPDATE_REFERENCES") != NULL;
    for (size_t i = 0; i < k->n_slides; i++) {
        char ref[512];
        snprintf(ref, sizeof ref, "%s/%s%s%s.png", KIOSK_REFERENCE_DIR, k->name,
                 k->name[0] ? "/" : "", k->slides[i]);
        cairo_surface_t *got = load_of(k, "1280x720", k->slides[i]);
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
            fail_msg("%s%s%s differs from its reference: mean difference %.2f, %.2f%% of pixels "
                     "far off",
                     k->name, k->name[0] ? "/" : "", k->slides[i], mean, 100 * far_share);
        cairo_surface_destroy(want);
        cairo_surface_destroy(got);
    }
}

static void test_slides_match_their_reference_pictures(void **state)
{
    (void)state;
    match_references(&demo);
    match_references(&commune);
    match_references(&commune_top);
}

/* The rows [y0, y1) of the highlighted band nearest the top (the home unit's row): false
 * when no row of the picture has it. */
static bool highlight_band(cairo_surface_t *s, int *y0, int *y1)
{
    int h = cairo_image_surface_get_height(s);
    *y0 = *y1 = -1;
    for (int y = 0; y < h; y++) {
        bool lit = share(s, HIGHLIGHT, y, y + 1) > 0.1;
        if (lit && *y0 < 0)
            *y0 = y;
        if (!lit && *y0 >= 0) {
            *y1 = y;
            break;
        }
    }
    return *y0 >= 0;
}

/* The commune kiosks at each size: every slide drawn, with text; the home unit's row is
 * in the first picture of the commune ranking, highlighted, once: the 100th after the gap
 * in the lower part of the page, the 5th near the top. */
static void check_commune(const char *size, int w, int h)
{
    snapshot_of(&commune, size);
    snapshot_of(&commune_top, size);
    for (size_t i = 0; i < commune.n_slides; i++) {
        cairo_surface_t *s = load_of(&commune, size, commune.slides[i]);
        assert_int_equal(cairo_image_surface_get_width(s), w);
        assert_int_equal(cairo_image_surface_get_height(s), h);
        if (share(s, TEXT, 0, h) < 0.002)
            fail_msg("commune %s/%s: almost no text", size, commune.slides[i]);
        cairo_surface_destroy(s);
    }
    int y0, y1, n = 0;
    cairo_surface_t *s = load_of(&commune, size, "02-communes");
    assert_true(highlight_band(s, &y0, &y1));
    if (y0 < h / 2)
        fail_msg("commune %s: the 100th's row starts at y %d, expected in the lower half", size,
                 y0);
    assert_true(y1 - y0 > h / 40); /* a row, not a line */
    for (int y = 0; y < h; y++)
        n += share(s, HIGHLIGHT, y, y + 1) > 0.1;
    assert_int_equal(n, y1 - y0); /* one row highlighted, no other */
    cairo_surface_destroy(s);
    s = load_of(&commune_top, size, "02-communes");
    assert_true(highlight_band(s, &y0, &y1));
    if (y0 > h / 2)
        fail_msg("commune-top %s: the 5th's row starts at y %d, expected in the upper half", size,
                 y0);
    cairo_surface_destroy(s);
}

static void test_commune_kiosk_at_1920x1080(void **state)
{
    (void)state;
    check_commune("1920x1080", 1920, 1080);
}

static void test_commune_kiosk_at_1280x720(void **state)
{
    (void)state;
    check_commune("1280x720", 1280, 720);
}

static void test_commune_kiosk_in_portrait_1080x1920(void **state)
{
    (void)state;
    check_commune("1080x1920", 1080, 1920);
}

/* The suffix every department of the real province shares is left out on screen (the rule,
 * on the real names, as a plugin calls it); the communes and the province share none. */
static void test_the_shared_suffix_of_real_names(void **state)
{
    (void)state;
    struct kiosk_setup_args args = {.config = KIOSK_FIXTURES "/commune/kiosk.conf",
                                    .data_dir = KIOSK_BUILD_DATADIR,
                                    .plugin_dir = KIOSK_BUILD_PLUGINDIR};
    struct kiosk_diags d = {0};
    struct kiosk_setup app;
    struct kiosk_snapshot *snap = NULL;
    FILE *quiet = fopen("/dev/null", "w");
    assert_int_equal(kiosk_setup_open(&app, &args, quiet, &d), 0);
    assert_int_equal(kiosk_setup_score(&app, &d, &snap), 0);
    const struct kiosk_host *h = &app.show.slides[0].host.api;
    const kiosk_data *data = kiosk_data_of(snap);
    int seen = 0;
    for (size_t i = 0; i < snap->n_scopes; i++) {
        size_t len = kiosk_shared_suffix(h, data, i);
        const struct kiosk_scope *sc = &snap->scopes[i];
        if (strcmp(sc->kind, "department") == 0) {
            assert_int_equal(sc->count, 15);
            assert_int_equal(len, strlen(" - Tỉnh Phú Thọ"));
            const char *name = sc->units[0].name;
            assert_string_equal(name + strlen(name) - len, " - Tỉnh Phú Thọ");
            seen++;
        } else {
            assert_int_equal(len, 0);
        }
    }
    assert_int_equal(seen, 1);
    kiosk_snapshot_unref(snap);
    kiosk_setup_close(&app);
    kiosk_diags_free(&d);
    fclose(quiet);
}

/* strip_suffix = no keeps the names whole: the departments' picture differs in the names
 * only, not in the rest of the slide */
static void test_strip_suffix_no_keeps_the_names(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(KIOSK_FIXTURES "/commune/kiosk.conf", &len);
    assert_non_null(text);
    char conf[600];
    snprintf(conf, sizeof conf, "%s/whole.conf", out);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    for (const char *p = text; *p;) {
        const char *rel = strstr(p, "../portal/");
        if (!rel) {
            fputs(p, f);
            break;
        }
        fwrite(p, 1, (size_t)(rel - p), f);
        fputs(KIOSK_FIXTURES "/portal/", f);
        p = rel + strlen("../portal/");
    }
    fputs("\n[slide.whole]\nplugin = leaderboard\nscope = department\nstrip_suffix = no\n"
          "duration_s = 20\n",
          f);
    fclose(f);
    free(text);
    const struct kiosk whole = {"whole", conf, "2026-09-26T08:00:00+07:00", NULL, 0};
    snapshot_of(&whole, "1280x720");
    cairo_surface_t *a = load_of(&whole, "1280x720", "03-departments");
    cairo_surface_t *b = load_of(&whole, "1280x720", "07-whole");
    long differ = 0, differ_totals = 0;
    for (int y = 0; y < 720; y++)
        for (int x = 0; x < 1280; x++)
            if (px(a, x, y) != px(b, x, y))
                *(x < 900 ? &differ : &differ_totals) += 1;
    assert_true(differ > 1000);         /* the names */
    assert_int_equal(differ_totals, 0); /* the totals, where they were */
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
}

/* The widest run of columns [x0, x1) without a pixel of the colour in rows [y0, y1),
 * between two that have one: the gap between two texts of that colour. */
static int widest_gap(cairo_surface_t *s, uint32_t color, int x0, int x1, int y0, int y1)
{
    int last = -1, widest = 0;
    for (int x = x0; x < x1; x++) {
        bool lit = false;
        for (int y = y0; y < y1 && !lit; y++)
            lit = px(s, x, y) == color;
        if (!lit)
            continue;
        if (last >= 0 && x - last > widest)
            widest = x - last;
        last = x;
    }
    return widest;
}

/* Rank changes of five digits (12,000 communes turned upside down in a week) keep clear of
 * the change of the total: the columns are sized from their widest value. */
static void test_five_digit_rank_changes_keep_clear_of_the_delta(void **state)
{
    (void)state;
    char feed[600], conf[600];
    snprintf(feed, sizeof feed, "%s/big.json", out);
    snprintf(conf, sizeof conf, "%s/big.conf", out);
    FILE *f = fopen(feed, "w");
    assert_non_null(f);
    fputs("{\"format\":\"kiosk-scores\",\"version\":1,\"periods\":[", f);
    for (int w = 0; w < 2; w++) {
        fprintf(f, "%s{\"id\":\"2025-W0%d\",\"start\":\"%s\",\"end\":\"%s\",\"units\":[",
                w ? "," : "", w + 1, w ? "2025-01-06" : "2024-12-30",
                w ? "2025-01-12" : "2025-01-05");
        fputs("{\"id\":\"P\",\"name\":\"Tỉnh X\",\"kind\":\"province\",\"groups\":{"
              "\"CKMB\":9,\"TDGQ\":9,\"CLGQ\":6,\"TTTT\":5,\"MDHL\":9,\"MDSH\":11}}",
              f);
        for (int i = 0; i < 12000; i++)
            fprintf(f,
                    ",{\"id\":\"C%05d\",\"name\":\"Xã %d\",\"kind\":\"commune\",\"parent\":"
                    "\"P\",\"groups\":{\"CKMB\":%.2f,\"TDGQ\":10,\"CLGQ\":6,\"TTTT\":5,"
                    "\"MDHL\":9,\"MDSH\":11}}",
                    i, i, 18.0 * (w ? i : 12000 - i) / 12000);
        fputs("]}", f);
    }
    fputs("]}", f);
    fclose(f);
    f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f,
            "[kiosk]\nhome = C11999\n[source.big]\nurl = %s\n[slide.one]\nplugin = "
            "leaderboard\nscope = commune\ncolumns = 1\nduration_s = 10\n[slide.two]\n"
            "plugin = leaderboard\nscope = commune\nduration_s = 10\n",
            feed);
    fclose(f);
    const struct kiosk big = {"big", conf, AT, NULL, 0};
    snapshot_of(&big, "1920x1080");
    /* the first row, below the title band: "▲ 18,00" then "↑11997", both in green */
    cairo_surface_t *one = load_of(&big, "1920x1080", "01-one");
    int gap = widest_gap(one, UP, 1200, 1920, 165, 240);
    if (gap < 30) /* 28 px between the columns at 1920x1080, and the glyphs' bearings */
        fail_msg("one column: the rank change comes within %d px of the delta", gap);
    cairo_surface_destroy(one);
    cairo_surface_t *two = load_of(&big, "1920x1080", "02-two");
    gap = widest_gap(two, UP, 400, 930, 165, 215); /* the left column's first row */
    if (gap < 30)
        fail_msg("two columns: the rank change comes within %d px of the delta", gap);
    cairo_surface_destroy(two);
}

/* Every real commune as the home of a kiosk: its row highlighted in the first picture of
 * the commune ranking. The data is read and scored once; the home unit is what the
 * ranking reads of it. Small canvases: the layout is the same at every scale. */
static void test_every_commune_sees_itself_in_the_first_picture(void **state)
{
    (void)state;
    struct kiosk_setup_args args = {.config = KIOSK_FIXTURES "/commune/kiosk.conf",
                                    .data_dir = KIOSK_BUILD_DATADIR,
                                    .plugin_dir = KIOSK_BUILD_PLUGINDIR};
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_setup app;
    struct kiosk_snapshot *snap = NULL;
    FILE *quiet = fopen("/dev/null", "w");
    assert_int_equal(kiosk_setup_fonts(args.data_dir, &fonts, &d), 0);
    assert_int_equal(kiosk_setup_open(&app, &args, quiet, &d), 0);
    assert_int_equal(kiosk_setup_score(&app, &d, &snap), 0);
    size_t slide = 1; /* [slide.communes] */
    assert_string_equal(app.show.slides[slide].name, "communes");
    const struct kiosk_scope *communes = NULL;
    for (size_t i = 0; i < snap->n_scopes; i++)
        if (strcmp(snap->scopes[i].kind, "commune") == 0)
            communes = &snap->scopes[i];
    assert_non_null(communes);
    assert_int_equal(communes->count, 148);
    const int sizes[][2] = {{480, 270}, {270, 480}};
    for (size_t z = 0; z < 2; z++) {
        kiosk_canvas *c = kiosk_canvas_new(sizes[z][0], sizes[z][1], fonts);
        assert_non_null(c);
        for (size_t u = 0; u < communes->count; u++) {
            snap->home = communes->units[u].id;
            kiosk_show_render(&app.show, slide, c, snap, 0, 0);
            int stride;
            const uint8_t *pixels = kiosk_canvas_pixels(c, &stride);
            long lit = 0;
            for (int y = 0; y < sizes[z][1]; y++)
                for (int x = 0; x < sizes[z][0]; x++)
                    lit += (((const uint32_t *)(pixels + y * stride))[x] & 0xFFFFFF) == HIGHLIGHT;
            if (lit < sizes[z][0] * 4)
                fail_msg("%dx%d: %s (rank %d) is not highlighted in the first picture (%ld "
                         "pixels)",
                         sizes[z][0], sizes[z][1], communes->units[u].name, communes->units[u].rank,
                         lit);
        }
        kiosk_canvas_free(c);
    }
    kiosk_snapshot_unref(snap);
    kiosk_setup_close(&app);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
    fclose(quiet);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_slide_at_1920x1080, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_slide_at_1280x720, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_slide_in_portrait_1080x1920, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slides_match_their_reference_pictures, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_commune_kiosk_at_1920x1080, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commune_kiosk_at_1280x720, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commune_kiosk_in_portrait_1080x1920, setup, teardown),
        cmocka_unit_test(test_every_commune_sees_itself_in_the_first_picture),
        cmocka_unit_test(test_the_shared_suffix_of_real_names),
        cmocka_unit_test_setup_teardown(test_five_digit_rank_changes_keep_clear_of_the_delta, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_strip_suffix_no_keeps_the_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
