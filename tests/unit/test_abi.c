/* The host keeps the ABI rules it publishes: it reads a plugin's structs only as far as
 * their struct_size says, fills the plugin's structs only as far as theirs says (older and
 * newer plugins alike), and the settings services take the plugin's declared defaults and
 * ranges. */
#include "helpers.h"

#include "host/services.h"
#include "render/canvas.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The style as ABI 1.0 had it: a host reading more than this from a 1.0 plugin reads past
 * the plugin's struct. */
#define STYLE_SIZE_1_0 (offsetof(struct kiosk_text_style, max_width) + sizeof(float))

static struct kiosk_fonts *fonts;

static int setup(void **state)
{
    (void)state;
    struct kiosk_diags d = {0};
    int rc = kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d);
    kiosk_diags_free(&d);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    kiosk_fonts_close(fonts);
    return 0;
}

/* Draws "Bắc Ninh 91,70" with a style and returns a copy of the pixels. */
static uint8_t *draw_with(const struct kiosk_text_style *style, float *width)
{
    kiosk_canvas *c = kiosk_canvas_new(320, 80, fonts);
    assert_non_null(c);
    kiosk_canvas_clear(c, 0xFF000000);
    *width = kiosk_canvas_draw_text(c, style, 10, 10, "Bắc Ninh 91,70");
    int stride;
    const uint8_t *px = kiosk_canvas_pixels(c, &stride);
    uint8_t *copy = malloc((size_t)stride * 80);
    memcpy(copy, px, (size_t)stride * 80);
    kiosk_canvas_free(c);
    return copy;
}

static size_t pixels_size(void)
{
    return (size_t)320 * 4 * 80;
}

static struct kiosk_text_style full_style(void)
{
    return (struct kiosk_text_style){.struct_size = sizeof(struct kiosk_text_style),
                                     .size_px = 40,
                                     .bold = 1,
                                     .color = 0xFFFFC83D,
                                     .align = KIOSK_ALIGN_LEFT,
                                     .max_width = 0};
}

static void test_a_1_0_style_draws_the_same_as_a_full_one_and_is_read_no_further(void **state)
{
    (void)state;
    struct kiosk_text_style full = full_style();
    float w_full, w_old;
    uint8_t *a = draw_with(&full, &w_full);
    assert_true(w_full > 100);

    /* the 1.0 style ends at a page the process may not read: reading one byte past it
     * would crash the test */
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *mem =
        mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(mem != MAP_FAILED);
    assert_int_equal(mprotect(mem + page, (size_t)page, PROT_NONE), 0);
    struct kiosk_text_style *old = (struct kiosk_text_style *)(mem + page - STYLE_SIZE_1_0);
    memcpy(old, &full, STYLE_SIZE_1_0);
    old->struct_size = STYLE_SIZE_1_0;
    uint8_t *b = draw_with(old, &w_old);
    float mw = 0, mh = 0;
    kiosk_canvas *c = kiosk_canvas_new(64, 64, fonts);
    kiosk_canvas_measure_text(c, old, "Bắc Ninh 91,70", &mw, &mh);
    assert_true(kiosk_canvas_draw_paragraph(c, old, 0, 0, 60, 1.2f, 1, "Bắc Ninh 91,70") > 0);
    kiosk_canvas_free(c);
    munmap(mem, (size_t)page * 2);

    assert_true(w_old == w_full);
    assert_true(mw == w_full);
    assert_memory_equal(a, b, pixels_size());
    free(a);
    free(b);
}

static void test_a_bigger_style_from_a_newer_plugin_draws_its_known_fields(void **state)
{
    (void)state;
    struct future_style {
        struct kiosk_text_style known;
        float letter_spacing; /* fields this host does not know */
        uint32_t outline_color;
    } future = {.known = full_style(), .letter_spacing = 1e30f, .outline_color = 0xDEADBEEF};
    future.known.struct_size = sizeof future;
    struct kiosk_text_style full = full_style();
    float w_full, w_future;
    uint8_t *a = draw_with(&full, &w_full);
    uint8_t *b = draw_with(&future.known, &w_future);
    assert_true(w_future == w_full);
    assert_memory_equal(a, b, pixels_size());
    free(a);
    free(b);
}

static void test_a_style_shorter_than_1_0_draws_nothing(void **state)
{
    (void)state;
    struct kiosk_text_style st = full_style();
    st.struct_size = offsetof(struct kiosk_text_style, align);
    float w;
    uint8_t *b = draw_with(&st, &w);
    assert_true(w == 0);
    for (size_t i = 0; i < pixels_size(); i += 4) /* all still the black background */
        if (b[i] || b[i + 1] || b[i + 2])
            fail_msg("pixel %zu drawn", i / 4);
    free(b);
    kiosk_canvas *c = kiosk_canvas_new(64, 64, fonts);
    float mw = 5, mh = 5;
    kiosk_canvas_measure_text(c, &st, "x", &mw, &mh);
    assert_true(mw == 0 && mh == 0);
    assert_true(kiosk_canvas_draw_paragraph(c, &st, 0, 0, 60, 1.2f, 0, "x y") == 0);
    assert_true(kiosk_canvas_draw_text(c, NULL, 0, 0, "x") == 0);
    kiosk_canvas_free(c);
}

#define GUARD 0x5A5A5A5A5A5A5A5AULL

static void test_trend_views_fill_older_and_newer_callers_without_writing_past(void **state)
{
    (void)state;
    struct kiosk_snapshot *snap = score_file(KIOSK_DEMO_FEED, NULL);
    struct kiosk_host_ctx ctx;
    kiosk_host_init(&ctx, "test", KIOSK_LANG_CODE_VI, NULL, NULL);
    const struct kiosk_host *h = &ctx.api;
    const kiosk_data *d = kiosk_data_of(snap);
    struct kiosk_trend_point old[3];
    assert_int_equal(h->data_trend(d, "H16", old, 3), 3);

    /* an older caller: only the first two fields */
    struct small {
        uint32_t struct_size;
        const char *period_id;
    };
    struct {
        struct small v[3];
        uint64_t guard;
    } s;
    memset(&s, 0, sizeof s);
    s.guard = GUARD;
    s.v[0].struct_size = sizeof(struct small);
    assert_int_equal(h->data_trend_view(d, "H16", (struct kiosk_trend_view *)&s.v[0], 3), 3);
    assert_true(s.guard == GUARD);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s.v[i].struct_size, sizeof(struct small));
        assert_string_equal(s.v[i].period_id, old[i].period_id);
    }
    assert_string_equal(s.v[2].period_id, "2025-W40");

    /* a newer caller: a field after the host's is left as the caller set it */
    struct big {
        struct kiosk_trend_view v;
        uint64_t extra;
    };
    struct {
        struct big v[3];
        uint64_t guard;
    } b;
    memset(&b, 0, sizeof b);
    b.guard = GUARD;
    for (int i = 0; i < 3; i++)
        b.v[i].extra = GUARD;
    b.v[0].v.struct_size = sizeof(struct big);
    assert_int_equal(h->data_trend_view(d, "H16", &b.v[0].v, 3), 3);
    assert_true(b.guard == GUARD);
    for (int i = 0; i < 3; i++) {
        assert_true(b.v[i].extra == GUARD);
        assert_int_equal(b.v[i].v.struct_size, sizeof(struct big));
        assert_string_equal(b.v[i].v.period_label, old[i].period_label);
        assert_true(b.v[i].v.total == old[i].total);
        assert_int_equal(b.v[i].v.rank, old[i].rank);
    }
    assert_int_equal(b.v[2].v.rank, 1);

    /* a size that cannot hold struct_size itself is refused */
    uint64_t tiny[2] = {2, GUARD};
    assert_int_equal(h->data_trend_view(d, "H16", (struct kiosk_trend_view *)tiny, 1), 0);
    assert_true(tiny[1] == GUARD);
    kiosk_snapshot_unref(snap);
}

static void test_views_are_filled_only_as_far_as_the_plugin_says(void **state)
{
    (void)state;
    struct kiosk_snapshot *snap = score_file(KIOSK_DEMO_FEED, NULL);
    struct kiosk_host_ctx ctx;
    kiosk_host_init(&ctx, "test", KIOSK_LANG_CODE_VI, NULL, NULL);
    const struct kiosk_host *h = &ctx.api;
    const kiosk_data *d = kiosk_data_of(snap);
    struct {
        struct kiosk_unit_view v;
        uint64_t extra;
    } big = {.v = {.struct_size = sizeof big}, .extra = GUARD};
    assert_int_equal(h->data_unit(d, 0, 0, &big.v), 0);
    assert_true(big.extra == GUARD);
    assert_int_equal(big.v.struct_size, sizeof big);
    assert_int_equal(big.v.rank, 1);
    struct {
        uint32_t struct_size;
        const char *id;
        uint64_t guard;
    } small = {.struct_size = offsetof(struct kiosk_unit_view, name), .guard = GUARD};
    assert_int_equal(h->data_unit(d, 0, 0, (struct kiosk_unit_view *)&small), 0);
    assert_string_equal(small.id, big.v.id);
    assert_true(small.guard == GUARD);
    kiosk_snapshot_unref(snap);
}

static const char *const views[] = {"groups", "metrics", NULL};
static const struct kiosk_setting_decl table[] = {
    {.struct_size = sizeof(struct kiosk_setting_decl),
     .key = "page_size",
     .type = KIOSK_SETTING_INT,
     .min = 0,
     .max = 50,
     .def = "7",
     .description = "rows"},
    {.struct_size = sizeof(struct kiosk_setting_decl),
     .key = "page_s",
     .type = KIOSK_SETTING_DOUBLE,
     .min = 2,
     .max = 600,
     .def = "8",
     .description = "seconds"},
    {.struct_size = sizeof(struct kiosk_setting_decl),
     .key = "view",
     .type = KIOSK_SETTING_CHOICE,
     .choices = views,
     .def = "groups",
     .description = "what"},
};

static void test_settings_take_the_declared_default_and_range(void **state)
{
    (void)state;
    struct kiosk_host_ctx ctx;
    kiosk_host_init(&ctx, "test", KIOSK_LANG_CODE_VI, NULL, NULL);
    const struct kiosk_host *h = &ctx.api;
    struct kiosk_settings s = {.owner = "t", .decls = table, .n_decls = 3};
    /* absent: the table's default, not the plugin's */
    assert_int_equal(h->setting_int(&s, "page_size", 0, 0, 100), 7);
    assert_true(h->setting_double(&s, "page_s", 3, 2, 600) == 8);
    assert_string_equal(h->setting_string(&s, "view", "x"), "groups");
    /* undeclared: the plugin's */
    assert_int_equal(h->setting_int(&s, "other", 4, 0, 100), 4);
    /* the table's range narrows the plugin's: 60 is within 0..100 but not 0..50 */
    assert_int_equal(kiosk_settings_set(&s, "page_size", "60"), 0);
    assert_int_equal(h->setting_int(&s, "page_size", 0, 0, 100), 7);
    assert_int_equal(kiosk_settings_set(&s, "page_size", "20"), 0);
    assert_int_equal(h->setting_int(&s, "page_size", 0, 0, 100), 20);
    assert_int_equal(kiosk_settings_set(&s, "view", "foo"), 0);
    assert_string_equal(h->setting_string(&s, "view", "x"), "groups");
    assert_int_equal(kiosk_settings_set(&s, "view", "metrics"), 0);
    assert_string_equal(h->setting_string(&s, "view", "x"), "metrics");
    kiosk_settings_free(&s);
    /* no table: as in 1.0 */
    struct kiosk_settings bare = {.owner = "t"};
    assert_int_equal(h->setting_int(&bare, "page_size", 3, 0, 100), 3);
    assert_string_equal(h->setting_string(&bare, "view", "x"), "x");
}

static void test_settings_are_checked_against_the_table_with_their_lines(void **state)
{
    (void)state;
    static const char *const host_keys[] = {"plugin", "duration_s", NULL};
    struct kiosk_settings s = {.owner = "national"};
    kiosk_settings_set_at(&s, "plugin", "leaderboard", 10);
    kiosk_settings_set_at(&s, "duration_s", "5", 11);
    kiosk_settings_set_at(&s, "page_sz", "5", 12);
    kiosk_settings_set_at(&s, "page_size", "500", 13);
    kiosk_settings_set_at(&s, "page_s", "ten", 14);
    kiosk_settings_set_at(&s, "view", "foo", 15);
    kiosk_settings_set_at(&s, "page_s", "10", 16);
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_settings_check(&s.kv, s.owner, table, 3, host_keys, "k.conf", &d), 4);
    char line[1024];
    const char *expect[] = {
        "k.conf:12: slide national: key page_sz: expected a key of this plugin (page_size, "
        "page_s or view), found \"page_sz\"",
        "k.conf:13: slide national: key page_size: expected a whole number from 0 to 50, found "
        "\"500\"",
        "k.conf:14: slide national: key page_s: expected a number from 2 to 600, found \"ten\"",
        "k.conf:15: slide national: key view: expected groups or metrics, found \"foo\"",
    };
    assert_int_equal(d.count, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(kiosk_diag_format(&d.items[i], line, sizeof line), expect[i]);
    kiosk_diags_free(&d);
    /* no table: nothing checked */
    assert_int_equal(kiosk_settings_check(&s.kv, s.owner, NULL, 0, host_keys, "k.conf", &d), 0);
    kiosk_settings_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_1_0_style_draws_the_same_as_a_full_one_and_is_read_no_further),
        cmocka_unit_test(test_a_bigger_style_from_a_newer_plugin_draws_its_known_fields),
        cmocka_unit_test(test_a_style_shorter_than_1_0_draws_nothing),
        cmocka_unit_test(test_trend_views_fill_older_and_newer_callers_without_writing_past),
        cmocka_unit_test(test_views_are_filled_only_as_far_as_the_plugin_says),
        cmocka_unit_test(test_settings_take_the_declared_default_and_range),
        cmocka_unit_test(test_settings_are_checked_against_the_table_with_their_lines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
