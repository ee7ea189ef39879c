/* No boxes for missing glyphs: every character the screen can show has a glyph in the
 * fonts of fonts/fonts.ini, regular and bold. The texts: every string of the demo feed
 * and of the real portal responses (the country's unit names), every insight statement in
 * both languages, and every string literal of the slides' sources (plugins and status
 * line), read from the sources themselves so a new label is checked without being listed. */
#include "helpers.h"

#include "render/canvas.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct kiosk_fonts *fonts;
static size_t checked, missing;

static void check_text(const char *where, const char *text)
{
    for (const char *p = text; *p;) {
        const char *at = p;
        uint32_t cp = kiosk_utf8_next(&p);
        if (cp < 0x20 || cp == 0xFFFD)
            continue;
        checked++;
        for (int bold = 0; bold < 2; bold++) {
            if (!kiosk_fonts_cover(fonts, cp, bold)) {
                if (missing++ < 20)
                    print_message("no %s glyph for U+%04X in \"%.*s\" (%s)\n",
                                  bold ? "bold" : "regular", cp, (int)(p - at), at, where);
            }
        }
    }
}

static void check_json(const char *where, json_t *v)
{
    const char *key;
    json_t *child;
    size_t i;
    if (json_is_string(v))
        check_text(where, json_string_value(v));
    else if (json_is_object(v))
        json_object_foreach(v, key, child)
        {
            check_text(where, key);
            check_json(where, child);
        }
    else if (json_is_array(v))
        json_array_foreach(v, i, child) check_json(where, child);
}

static void check_json_file(const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root)
        fail_msg("%s: %s", path, err.text);
    check_json(path, root);
    json_decref(root);
}

/* The string literals of a C source, escapes left as they are (they are ASCII). */
static void check_source(const char *path)
{
    size_t len;
    char *src = read_file(path, &len);
    for (char *p = src; (p = strchr(p, '"'));) {
        char *end = p + 1;
        while (*end && *end != '"' && *end != '\n')
            end += *end == '\\' && end[1] ? 2 : 1;
        if (*end != '"')
            break;
        *end = '\0';
        check_text(path, p + 1);
        p = end + 1;
    }
    free(src);
}

static void test_every_label_and_name_has_a_glyph(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);

    check_json_file(KIOSK_DEMO_FEED);
    const char *portal[] = {"transparency",          "dvc-progress-tree",
                            "provide-online-tree",   "formality-online-payment-tree",
                            "handling-satisfaction", "dossier-digitized"};
    for (size_t i = 0; i < 6; i++) {
        char path[512];
        snprintf(path, sizeof path, KIOSK_FIXTURES "/portal/%s/month-all.json", portal[i]);
        check_json_file(path);
    }
    check_json_file(KIOSK_SOURCE_DIR "/kiosk/data/vn-766.json");

    /* every insight, in both languages */
    for (int lang = KIOSK_LANG_CODE_VI; lang <= KIOSK_LANG_CODE_EN; lang++) {
        struct kiosk_score_options o;
        kiosk_score_options_init(&o);
        o.lang = (enum kiosk_lang_code)lang;
        struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, &o);
        assert_true(s->n_insights >= 5);
        for (size_t i = 0; i < s->n_insights; i++)
            check_text("insight", s->insights[i].text);
        kiosk_snapshot_unref(s);
    }

    /* the slides' own labels */
    const char *dirs[] = {KIOSK_SOURCE_DIR "/plugins/leaderboard",
                          KIOSK_SOURCE_DIR "/plugins/headline", KIOSK_SOURCE_DIR "/plugins/gauges",
                          KIOSK_SOURCE_DIR "/plugins/trend"};
    for (size_t i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.c", dirs[i], strrchr(dirs[i], '/') + 1);
        check_source(path);
    }
    check_source(KIOSK_SOURCE_DIR "/kiosk/screen/show.c");
    check_source(KIOSK_SOURCE_DIR "/kiosk/core/insight.c");
    check_source(KIOSK_SOURCE_DIR "/kiosk/include/kiosk/slide.h");

    print_message("%zu characters checked\n", checked);
    assert_true(checked > 100000);
    assert_int_equal(missing, 0);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

static void test_a_missing_glyph_is_noticed(void **state)
{
    (void)state;
    /* the check itself can fail: a CJK character is in neither family */
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    assert_false(kiosk_fonts_cover(fonts, 0x4E2D, false));
    assert_true(kiosk_fonts_cover(fonts, 0x1EAF, false)); /* ắ */
    assert_true(kiosk_fonts_cover(fonts, 0x1EF1, true));  /* ự */
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

/* The columns right of x at which anything was painted on a cleared canvas, or -1. */
static int rightmost_ink(kiosk_canvas *c)
{
    int stride, w = kiosk_canvas_width(c), h = kiosk_canvas_height(c), right = -1;
    const uint8_t *px = kiosk_canvas_pixels(c, &stride);
    for (int y = 0; y < h; y++)
        for (int x = w - 1; x > right; x--)
            if (px[y * stride + 4 * x] || px[y * stride + 4 * x + 1] || px[y * stride + 4 * x + 2])
                right = x;
    return right;
}

static void test_a_long_name_stays_in_its_width_cut_at_a_character(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    /* a name near the feed's 1,024-byte limit, all in Vietnamese */
    char name[1100] = "";
    while (strlen(name) + 40 < 1000)
        strcat(name, "Trung tâm Phục vụ hành chính công ");
    kiosk_canvas *c = kiosk_canvas_new(1200, 120, fonts);
    struct kiosk_text_style st = {
        .struct_size = sizeof st, .size_px = 48, .color = 0xFFFFFFFF, .max_width = 800};
    kiosk_canvas_clear(c, 0x000000FF);
    float drawn = kiosk_canvas_draw_text(c, &st, 10, 10, name);
    float measured = 0;
    kiosk_canvas_measure_text(c, &st, name, &measured, NULL);
    print_message("a %zu-byte name drawn %.0f px wide in 800\n", strlen(name), drawn);
    assert_true(drawn > 400 && drawn <= 800);
    assert_true(measured == drawn);
    assert_true(rightmost_ink(c) <= 10 + 800);
    assert_true(rightmost_ink(c) > 10 + 400);
    kiosk_canvas_free(c);

    /* a text cut inside a character (ụ is E1 BB A5) draws as the text without it */
    kiosk_canvas *whole = kiosk_canvas_new(400, 80, fonts), *cut = kiosk_canvas_new(400, 80, fonts);
    st.max_width = 0;
    kiosk_canvas_clear(whole, 0x000000FF);
    kiosk_canvas_clear(cut, 0x000000FF);
    kiosk_canvas_draw_text(whole, &st, 0, 0, "Phục v");
    kiosk_canvas_draw_text(cut, &st, 0, 0, "Phục v\xE1\xBB");
    int stride;
    const uint8_t *a = kiosk_canvas_pixels(whole, &stride), *b = kiosk_canvas_pixels(cut, &stride);
    assert_memory_equal(a, b, (size_t)stride * 80);
    /* and bytes that are not UTF-8 in the middle are one visible U+FFFD, not nothing */
    kiosk_canvas_clear(cut, 0x000000FF);
    float with_bad = kiosk_canvas_draw_text(cut, &st, 0, 0, "Phục\xFF\xFE\xFD v");
    float with_one = kiosk_canvas_draw_text(whole, &st, 0, 0, "Phục\xEF\xBF\xBD v");
    assert_true(with_bad == with_one);
    kiosk_canvas_free(whole);
    kiosk_canvas_free(cut);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

/* The runs of inked columns of a canvas, as [from, to] pairs; their count. */
static int ink_clusters(kiosk_canvas *c, int *from, int *to, int max)
{
    int stride, w = kiosk_canvas_width(c), h = kiosk_canvas_height(c), n = 0;
    const uint8_t *px = kiosk_canvas_pixels(c, &stride);
    bool in = false;
    for (int x = 0; x < w; x++) {
        bool ink = false;
        for (int y = 0; y < h && !ink; y++)
            ink = px[y * stride + 4 * x + 2] > 40;
        if (ink && !in && n < max)
            from[n++] = x;
        if (ink)
            to[n - 1] = x;
        in = ink;
    }
    return n;
}

static kiosk_canvas *drawn(const char *text)
{
    kiosk_canvas *c = kiosk_canvas_new(900, 90, fonts);
    struct kiosk_text_style st = {.struct_size = sizeof st, .size_px = 40, .color = 0xFFFFFFFF};
    kiosk_canvas_clear(c, 0x000000FF);
    kiosk_canvas_draw_text(c, &st, 10, 10, text);
    return c;
}

static bool same_pixels(kiosk_canvas *a, kiosk_canvas *b)
{
    int stride;
    const uint8_t *pa = kiosk_canvas_pixels(a, &stride), *pb = kiosk_canvas_pixels(b, &stride);
    return memcmp(pa, pb, (size_t)stride * (size_t)kiosk_canvas_height(a)) == 0;
}

static void test_other_scripts_are_shaped_in_their_direction(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    /* Arabic runs right to left: alef (a thin stroke), spaces, beh (a wide bowl): the
     * first letter written is the one on the right */
    kiosk_canvas *c = drawn("\u0627      \u0628");
    int from[8], to[8];
    int n = ink_clusters(c, from, to, 8);
    print_message("alef .. beh: %d clusters, %d-%d and %d-%d\n", n, from[0], to[0], from[1], to[1]);
    assert_int_equal(n, 2);
    assert_true(to[0] - from[0] > 2 * (to[1] - from[1])); /* the wide beh on the left */
    kiosk_canvas_free(c);
    /* joined, not isolated: a word is narrower than its letters drawn apart */
    kiosk_canvas *word = drawn("\u0645\u0631\u0643\u0632"),
                 *apart = drawn("\u0645 \u0631 \u0643 \u0632");
    assert_false(same_pixels(word, apart));
    kiosk_canvas_free(word);
    kiosk_canvas_free(apart);

    /* Thai and Khmer come from the system's fonts (fonts-noto-core), not as boxes: they do
     * not draw like characters no font has */
    static const char *const texts[] = {"\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
                                        "\u1797\u17b6\u179f\u17b6\u1781\u17d2\u1798\u17c2\u179a"};
    for (size_t i = 0; i < 2; i++) {
        char none[64] = "";
        for (const char *p = texts[i]; *p;) {
            kiosk_utf8_next(&p);
            strcat(none, "\U0010FFFD");
        }
        kiosk_canvas *t = drawn(texts[i]), *x = drawn(none);
        assert_false(same_pixels(t, x));
        assert_true(ink_clusters(t, from, to, 8) >= 1);
        kiosk_canvas_free(t);
        kiosk_canvas_free(x);
    }
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

static void test_what_no_font_has_is_one_placeholder(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    /* private-use characters no font has: each run of them is one visible U+FFFD, never
     * a row of boxes */
    kiosk_canvas *two = drawn("Bắc Ninh \U0010FFFD\U0010FFFC\U0010FFFB ok"),
                 *one = drawn("Bắc Ninh \U0010FFFD ok"), *none = drawn("Bắc Ninh  ok");
    assert_true(same_pixels(two, one));
    assert_false(same_pixels(one, none));
    kiosk_canvas_free(two);
    kiosk_canvas_free(one);
    kiosk_canvas_free(none);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_label_and_name_has_a_glyph),
        cmocka_unit_test(test_a_missing_glyph_is_noticed),
        cmocka_unit_test(test_a_long_name_stays_in_its_width_cut_at_a_character),
        cmocka_unit_test(test_other_scripts_are_shaped_in_their_direction),
        cmocka_unit_test(test_what_no_font_has_is_one_placeholder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
