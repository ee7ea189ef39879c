/* The bundled demo feed reproduces the seed story: the week the screen was made for. */
#include "helpers.h"

#include <string.h>

static void test_bac_ninh_first_nationally_for_four_weeks(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, NULL);
    assert_string_equal(s->period->id, "2025-W40");
    assert_int_equal(s->history_periods, 14);
    assert_string_equal(s->since->id, "2025-W27");
    const struct kiosk_scope *nation = kiosk_snapshot_scope_of(s, "H16");
    assert_string_equal(nation->kind, "province");
    assert_null(nation->parent);
    assert_int_equal(nation->count, 34);
    assert_string_equal(nation->units[0].name, "Bắc Ninh");
    const struct kiosk_unit_score *bn = unit(s, "H16");
    assert_int_equal(CENTS(bn->total), 9170);
    assert_int_equal(bn->rank, 1);
    assert_int_equal(bn->lead_streak, 4);
    assert_int_equal(CENTS(bn->delta), 221);
    assert_int_equal(bn->best_gain, 1);
    assert_true(bn->has_rank_change);
    assert_int_equal(bn->rank_change, 0);
    kiosk_snapshot_unref(s);
}

static void test_digitization_gains_most_and_payment_is_at_max(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, NULL);
    const struct kiosk_unit_score *bn = unit(s, "H16");
    size_t mdsh = group(s, "MDSH"), tttt = group(s, "TTTT");
    assert_int_equal(CENTS(bn->groups[mdsh].delta), 207);
    for (size_t g = 0; g < s->table.fw.n_groups; g++)
        if (g != mdsh)
            assert_true(CENTS(bn->groups[g].delta) < 207);
    assert_true(bn->groups[tttt].at_max);
    assert_int_equal(CENTS(bn->groups[tttt].score), 1000);
    assert_int_equal(CENTS(bn->groups[mdsh].score), 2078);
    kiosk_snapshot_unref(s);
}

static void test_communes_mean_and_leader(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, NULL);
    const struct kiosk_scope *communes = kiosk_snapshot_scope_of(s, "H16-X001");
    assert_string_equal(communes->kind, "commune");
    assert_string_equal(communes->parent, "H16");
    assert_int_equal(communes->count, 44);
    assert_int_equal(CENTS(communes->mean), 9106);
    assert_string_equal(communes->units[0].name, "Phường Tân Tiến");
    assert_int_equal(CENTS(communes->units[0].total), 9394);
    assert_int_equal(communes->units[0].rank, 1);
    kiosk_snapshot_unref(s);
}

static void test_insights_tell_the_story_in_vietnamese(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, NULL);
    assert_string_equal(s->home, "H16");
    const char *expected[] = {
        "Bắc Ninh giữ vị trí số 1 toàn quốc 4 tuần liên tiếp — 91,70/100 điểm",
        "Tăng 2,21 điểm so với tuần trước, mức tăng cao nhất từ tuần 27/2025",
        "Số hóa hồ sơ tăng 2,07 điểm, cao nhất trong các nhóm chỉ số",
        "Thanh toán trực tuyến đạt tối đa 10/10",
    };
    assert_true(s->n_insights >= 5);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(s->insights[i].text, expected[i]);
    int found = 0;
    for (size_t i = 0; i < s->n_insights; i++)
        found |= strcmp(s->insights[i].text, "Phường Tân Tiến dẫn đầu cấp xã với 93,94 điểm; "
                                             "điểm trung bình cấp xã 91,06") == 0;
    assert_true(found);
    kiosk_snapshot_unref(s);
}

static void test_insights_in_english_use_a_decimal_point(void **state)
{
    (void)state;
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.lang = KIOSK_LANG_CODE_EN;
    struct kiosk_snapshot *s = score_file(KIOSK_DEMO_FEED, &o);
    assert_string_equal(s->insights[0].text,
                        "Bắc Ninh has ranked first nationally for 4 weeks in a row — 91.70/100 "
                        "points");
    assert_string_equal(s->insights[1].text,
                        "Up 2.21 points on the previous week, the largest gain since 2025-W27");
    assert_string_equal(s->insights[3].text, "Online payment at the maximum, 10/10");
    kiosk_snapshot_unref(s);
}

static void test_file_url_and_standard_input_read_the_same_feed(void **state)
{
    (void)state;
    char url[4200];
    snprintf(url, sizeof url, "file://%s", KIOSK_DEMO_FEED);
    struct kiosk_snapshot *s = score_file(url, NULL);
    assert_int_equal(CENTS(unit(s, "H16")->total), 9170);
    kiosk_snapshot_unref(s);

    /* standard input: point fd 0 at the file */
    FILE *f = freopen(KIOSK_DEMO_FEED, "rb", stdin);
    assert_non_null(f);
    s = score_file("-", NULL);
    assert_int_equal(unit(s, "H16")->lead_streak, 4);
    kiosk_snapshot_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bac_ninh_first_nationally_for_four_weeks),
        cmocka_unit_test(test_digitization_gains_most_and_payment_is_at_max),
        cmocka_unit_test(test_communes_mean_and_leader),
        cmocka_unit_test(test_insights_tell_the_story_in_vietnamese),
        cmocka_unit_test(test_insights_in_english_use_a_decimal_point),
        cmocka_unit_test(test_file_url_and_standard_input_read_the_same_feed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
