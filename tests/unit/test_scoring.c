/* Every rule of scoring.md on small hand-built feeds. The framework here has two groups,
 * A (max 60) and B (max 40, with a linear and a target metric rule), to show that nothing
 * depends on the six vn-766 codes. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FW                                                                                         \
    "\"framework\":{\"id\":\"test\",\"groups\":["                                                  \
    "{\"code\":\"A\",\"name\":\"Alpha\",\"max\":60},"                                              \
    "{\"code\":\"B\",\"name\":\"Beta\",\"max\":40,\"metrics\":["                                   \
    "{\"code\":\"M1\",\"max\":20,\"rule\":\"linear\"},"                                            \
    "{\"code\":\"M2\",\"max\":20,\"rule\":\"target\",\"target\":80}]}]}"
#define DOC(periods) "{\"format\":\"kiosk-scores\",\"version\":1," FW ",\"periods\":[" periods "]}"
#define PERIOD(id, start, end, units)                                                              \
    "{\"id\":\"" id "\",\"start\":\"" start "\",\"end\":\"" end "\",\"units\":[" units "]}"
/* consecutive weeks: W1 starts 2025-01-06 */
#define W1(u) PERIOD("W1", "2025-01-06", "2025-01-12", u)
#define W2(u) PERIOD("W2", "2025-01-13", "2025-01-19", u)
#define W3(u) PERIOD("W3", "2025-01-20", "2025-01-26", u)
#define W4(u) PERIOD("W4", "2025-01-27", "2025-02-02", u)
#define W5(u) PERIOD("W5", "2025-02-03", "2025-02-09", u)
#define P(id, a, b)                                                                                \
    "{\"id\":\"" id "\",\"name\":\"Province " id "\",\"kind\":\"province\",\"groups\":{\"A\":" #a  \
    ",\"B\":" #b "}}"
#define K(id, parent, kind, a, b)                                                                  \
    "{\"id\":\"" id "\",\"name\":\"" id "\",\"kind\":\"" kind "\",\"parent\":\"" parent            \
    "\",\"groups\":{\"A\":" #a ",\"B\":" #b "}}"

static void test_rank_shares_first_place_on_equal_totals(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("E", 40, 20) "," P("A", 50, 30) "," P("D", 40, 30.5) "," P(
                       "C", 50, 30) "," P("B", 40.5, 30))),
                   NULL);
    const struct kiosk_scope *sc = &s->scopes[0];
    assert_int_equal(sc->count, 5);
    /* A and C share first (80), listed by id; B and D share third (70.5); E is fifth */
    const char *ids[] = {"A", "C", "B", "D", "E"};
    const int ranks[] = {1, 1, 3, 3, 5};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(sc->units[i].id, ids[i]);
        assert_int_equal(sc->units[i].rank, ranks[i]);
    }
    kiosk_snapshot_unref(s);
}

static void test_rank_compares_totals_rounded_to_hundredths(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("X", 50, 30.004) "," P("Y", 50, 29.996) "," P("Z", 50, 29.98))), NULL);
    assert_int_equal(unit(s, "X")->rank, 1);
    assert_int_equal(unit(s, "Y")->rank, 1);
    assert_int_equal(unit(s, "Z")->rank, 3);
    kiosk_snapshot_unref(s);
}

static void test_peers_are_units_of_same_kind_and_parent(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(
        DOC(W1(P("P1", 30, 20) "," P("P2", 40, 20) "," K("c1", "P1", "commune", 10, 10) "," K(
            "c2", "P1", "commune", 20, 10) "," K("c3", "P2", "commune", 5,
                                                 5) "," K("d1", "P1", "department", 1, 1))),
        NULL);
    assert_int_equal(s->n_scopes, 4);
    assert_int_equal(unit(s, "P2")->rank, 1);
    assert_int_equal(unit(s, "c2")->rank, 1);
    assert_int_equal(unit(s, "c1")->rank, 2);
    assert_int_equal(unit(s, "c3")->rank, 1); /* alone among P2's communes */
    assert_int_equal(unit(s, "d1")->rank, 1);
    const struct kiosk_scope *communes = kiosk_snapshot_scope_of(s, "c1");
    assert_string_equal(communes->kind, "commune");
    assert_string_equal(communes->parent, "P1");
    assert_string_equal(communes->parent_name, "Province P1");
    assert_int_equal(communes->count, 2);
    kiosk_snapshot_unref(s);
}

static void test_delta_and_rank_change_use_previous_appearance(void **state)
{
    (void)state;
    /* Y is absent in W2: its delta in W3 is against W1 */
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("X", 50, 30) "," P("Y", 40, 30)) "," W2(P("X", 50, 31)) "," W3(
                       P("X", 50, 30) "," P("Y", 50, 32))),
                   NULL);
    const struct kiosk_unit_score *x = unit(s, "X"), *y = unit(s, "Y");
    assert_int_equal(CENTS(x->delta), -100);
    assert_int_equal(CENTS(y->delta), 1200);
    assert_int_equal(y->rank, 1);
    assert_true(y->has_rank_change);
    assert_int_equal(y->rank_change, 1); /* second in W1, first now: moved up one */
    assert_int_equal(x->rank_change, -1);
    size_t b = group(s, "B");
    assert_int_equal(CENTS(y->groups[b].delta), 200);
    kiosk_snapshot_unref(s);
}

static void test_new_unit_has_no_delta_and_no_rank_change(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("X", 50, 30)) "," W2(P("X", 50, 31) "," P("N", 55, 35))), NULL);
    const struct kiosk_unit_score *n = unit(s, "N");
    assert_true(isnan(n->delta));
    assert_false(n->has_rank_change);
    assert_int_equal(n->best_gain, -1);
    assert_string_equal(n->since, "W2");
    assert_true(isnan(n->groups[0].delta));
    kiosk_snapshot_unref(s);
}

static void test_lead_streak_counts_consecutive_first_places_shared_or_not(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(
        DOC(W1(P("X", 40, 30) "," P("Y", 50, 30)) "," W2(P("X", 50, 30) "," P("Y", 40, 30)) "," W3(
            P("X", 50, 30) "," P("Y", 50, 30)) "," W4(P("X", 50, 30) "," P("Y", 40, 30))),
        NULL);
    assert_int_equal(unit(s, "X")->lead_streak, 3); /* W2, W3 (shared), W4 */
    assert_int_equal(unit(s, "Y")->lead_streak, 0); /* not first now */
    kiosk_snapshot_unref(s);
}

static void test_gap_week_breaks_a_lead_streak(void **state)
{
    (void)state;
    /* no W3 at all: W2 and W4 are not consecutive */
    struct kiosk_snapshot *s = score_text(
        DOC(W1(P("X", 50, 30) "," P("Y", 40, 30)) "," W2(P("X", 50, 30) "," P("Y", 40, 30)) "," W4(
            P("X", 50, 30) "," P("Y", 40, 30)) "," W5(P("X", 50, 30) "," P("Y", 40, 30))),
        NULL);
    assert_int_equal(unit(s, "X")->lead_streak, 2);
    kiosk_snapshot_unref(s);
}

static void test_periods_out_of_order_are_ordered_by_start(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W3(P("X", 50, 33)) "," W1(P("X", 50, 30)) "," W2(P("X", 50, 31))), NULL);
    assert_string_equal(s->period->id, "W3");
    assert_string_equal(s->since->id, "W1");
    assert_int_equal(s->history_periods, 3);
    assert_int_equal(CENTS(unit(s, "X")->delta), 200);
    assert_int_equal(unit(s, "X")->lead_streak, 3);
    kiosk_snapshot_unref(s);
}

static void test_best_gain_is_the_largest_delta_of_the_history(void **state)
{
    (void)state;
    /* deltas: +1, +3, +2, then +3 again: equal to the largest counts */
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("X", 50, 10)) "," W2(P("X", 50, 11)) "," W3(P("X", 50, 14)) "," W4(
                       P("X", 50, 16)) "," W5(P("X", 50, 19))),
                   NULL);
    assert_int_equal(unit(s, "X")->best_gain, 1);
    assert_string_equal(unit(s, "X")->since, "W1");
    kiosk_snapshot_unref(s);
    s = score_text(DOC(W1(P("X", 50, 10)) "," W2(P("X", 50, 13)) "," W3(P("X", 50, 14.5))), NULL);
    assert_int_equal(unit(s, "X")->best_gain, 0); /* +1.5 < +3 */
    kiosk_snapshot_unref(s);
    s = score_text(DOC(W1(P("X", 50, 10)) "," W2(P("X", 50, 8)) "," W3(P("X", 50, 7))), NULL);
    assert_int_equal(unit(s, "X")->best_gain, 0); /* a fall is never a gain */
    kiosk_snapshot_unref(s);
}

#define M(code, num, den)                                                                          \
    "{\"group\":\"B\",\"code\":\"" code "\",\"numerator\":" #num ",\"denominator\":" #den "}"
#define UM(id, a, metrics)                                                                         \
    "{\"id\":\"" id "\",\"name\":\"" id "\",\"kind\":\"province\",\"groups\":{\"A\":" #a           \
    "},\"metrics\":[" metrics "]}"

static void test_metric_scores_follow_linear_and_target_rules(void **state)
{
    (void)state;
    /* M1 linear: 20 x 50/100 = 10; M2 target 80%: 20 x min(1, 60/80) = 15; B = 25 */
    struct kiosk_snapshot *s =
        score_text(DOC(W1(UM("X", 30, M("M1", 50, 100) "," M("M2", 60, 100)) "," UM(
                       "Y", 30, M("M1", 100, 100) "," M("M2", 90, 100)))),
                   NULL);
    size_t b = group(s, "B");
    const struct kiosk_unit_score *x = unit(s, "X"), *y = unit(s, "Y");
    assert_int_equal(CENTS(x->entry->metrics[0].score), 1000);
    assert_int_equal(CENTS(x->entry->metrics[1].score), 1500);
    assert_int_equal(CENTS(x->entry->metrics[1].ratio), 6000);
    assert_int_equal(CENTS(x->groups[b].score), 2500);
    assert_int_equal(CENTS(x->total), 5500);
    /* 90% reaches the 80% target: full marks, capped */
    assert_int_equal(CENTS(y->entry->metrics[1].score), 2000);
    assert_true(y->groups[b].at_max);
    kiosk_snapshot_unref(s);
}

static void test_metric_with_zero_denominator_has_no_score_and_counts_zero(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(UM("X", 30, M("M1", 0, 0) "," M("M2", 40, 100)))), NULL);
    const struct kiosk_unit_score *x = unit(s, "X");
    assert_true(isnan(x->entry->metrics[0].score));
    assert_int_equal(CENTS(x->entry->metrics[1].score), 1000);
    assert_int_equal(CENTS(x->groups[group(s, "B")].score), 1000);
    assert_int_equal(CENTS(x->total), 4000);
    char buf[16];
    assert_string_equal(
        kiosk_format_fixed(x->entry->metrics[0].score, 2, KIOSK_LANG_CODE_VI, buf, sizeof buf),
        "—");
    kiosk_snapshot_unref(s);
}

static void test_given_metric_score_is_authoritative(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(
        DOC(W1(UM("X", 30,
                  "{\"group\":\"B\",\"code\":\"M1\",\"numerator\":50,\"denominator\":100,"
                  "\"score\":12.5}"))),
        NULL);
    assert_int_equal(CENTS(unit(s, "X")->entry->metrics[0].score), 1250);
    assert_int_equal(CENTS(unit(s, "X")->total), 4250);
    kiosk_snapshot_unref(s);
}

static void test_given_total_is_authoritative_and_a_mismatch_warns(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1("{\"id\":\"X\",\"name\":\"X\",\"kind\":\"province\",\"total\":75.5,"
                          "\"groups\":{\"A\":50,\"B\":30}},"
                          "{\"id\":\"Y\",\"name\":\"Y\",\"kind\":\"province\",\"total\":80.01,"
                          "\"groups\":{\"A\":50,\"B\":30}}")),
                   NULL);
    assert_int_equal(CENTS(unit(s, "X")->total), 7550);
    assert_int_equal(CENTS(unit(s, "Y")->total), 8001);
    /* 80.01 is within 0.015 of 80: no warning; 75.5 is not */
    assert_int_equal(s->n_warnings, 1);
    assert_string_equal(s->warnings[0].code, "total_mismatch");
    assert_string_equal(s->warnings[0].unit, "X");
    assert_non_null(strstr(s->warnings[0].text, "75.50"));
    kiosk_snapshot_unref(s);
}

static void test_missing_group_counts_zero_and_warns(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(
        DOC(W1("{\"id\":\"X\",\"name\":\"X\",\"kind\":\"province\",\"groups\":{\"A\":50,\"B\":"
               "null}}," P("Y", 40, 30))),
        NULL);
    assert_int_equal(CENTS(unit(s, "X")->total), 5000);
    assert_true(isnan(unit(s, "X")->groups[group(s, "B")].score));
    assert_int_equal(s->n_warnings, 1);
    assert_string_equal(s->warnings[0].code, "missing_group");
    kiosk_snapshot_unref(s);
}

static void test_scope_statistics_and_threshold(void **state)
{
    (void)state;
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.threshold = 80;
    struct kiosk_snapshot *s = score_text(
        DOC(W1(P("A", 50, 40) "," P("B", 50, 30) "," P("C", 40, 30) "," P("D", 20, 20))), &o);
    const struct kiosk_scope *sc = &s->scopes[0];
    assert_int_equal(sc->count, 4);
    assert_int_equal(CENTS(sc->mean), 7000);   /* (90 + 80 + 70 + 40) / 4 */
    assert_int_equal(CENTS(sc->median), 7500); /* even count: mean of 80 and 70 */
    assert_int_equal(CENTS(sc->min), 4000);
    assert_int_equal(CENTS(sc->max), 9000);
    assert_int_equal(sc->at_or_above, 2); /* 90 and 80 reach 80 */
    kiosk_snapshot_unref(s);
    s = score_text(DOC(W1(P("A", 50, 40) "," P("B", 50, 30) "," P("C", 40, 30))), NULL);
    assert_int_equal(CENTS(s->scopes[0].median), 8000);
    assert_int_equal(s->scopes[0].at_or_above, 0); /* no threshold configured */
    kiosk_snapshot_unref(s);
}

static void test_bands_come_from_configuration(void **state)
{
    (void)state;
    struct kiosk_band bands[] = {{80, "Tốt"}, {90, "Xuất sắc"}};
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.bands = bands;
    o.n_bands = 2;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(P("A", 55, 35) "," P("B", 50, 30) "," P("C", 50, 29.99))), &o);
    assert_string_equal(unit(s, "A")->band, "Xuất sắc");
    assert_string_equal(unit(s, "B")->band, "Tốt");
    assert_null(unit(s, "C")->band);
    kiosk_snapshot_unref(s);
    s = score_text(DOC(W1(P("A", 55, 35))), NULL);
    assert_null(unit(s, "A")->band); /* none is official: none without configuration */
    kiosk_snapshot_unref(s);
}

static void test_group_at_max_within_half_a_hundredth(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(DOC(W1(P("A", 59.996, 39.99))), NULL);
    assert_true(unit(s, "A")->groups[group(s, "A")].at_max);
    assert_false(unit(s, "A")->groups[group(s, "B")].at_max);
    kiosk_snapshot_unref(s);
}

static void test_insights_rank_statements_in_priority_order(void **state)
{
    (void)state;
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.home = "Y";
    struct kiosk_snapshot *s = score_text(
        DOC(W1(P("X", 50, 30) "," P("Y", 40, 30)) "," W2(P("X", 50, 30) "," P("Y", 45, 33.5))), &o);
    assert_string_equal(s->home, "Y");
    assert_true(s->n_insights >= 3);
    assert_int_equal(s->insights[0].type, KIOSK_INSIGHT_RANK);
    assert_string_equal(s->insights[0].text, "Province Y xếp thứ 2/2 toàn quốc — 78,50/100 điểm");
    /* what would move it up: X has 80,00, Y 78,50; Alpha is 15 short of 60, Beta 6,5 of 40 */
    assert_int_equal(s->insights[1].type, KIOSK_INSIGHT_GAP);
    assert_string_equal(s->insights[1].text, "Cần thêm 1,51 điểm để vượt Province X (hạng 1)");
    assert_int_equal(s->insights[2].type, KIOSK_INSIGHT_ROOM);
    assert_string_equal(s->insights[2].text,
                        "Alpha còn 15,00 điểm chưa đạt, nhiều nhất trong các nhóm");
    assert_int_equal(s->insights[3].type, KIOSK_INSIGHT_GROUP_GAIN);
    assert_string_equal(s->insights[3].text,
                        "Alpha tăng 5,00 điểm, cao nhất trong các nhóm chỉ số");
    assert_int_equal(s->insights[4].type, KIOSK_INSIGHT_GAIN);
    assert_string_equal(s->insights[4].text, "Tăng 8,50 điểm so với tuần trước");
    kiosk_snapshot_unref(s);
    o.lang = KIOSK_LANG_CODE_EN;
    s = score_text(
        DOC(W1(P("X", 50, 30) "," P("Y", 40, 30)) "," W2(P("X", 50, 30) "," P("Y", 45, 33.5))), &o);
    assert_string_equal(s->insights[0].text,
                        "Province Y ranks 2 of 2 nationally — 78.50/100 points");
    kiosk_snapshot_unref(s);
}

/* The insight of a type about the home unit, or NULL. */
static const char *insight_of(const struct kiosk_snapshot *s, enum kiosk_insight_type type)
{
    for (size_t i = 0; i < s->n_insights; i++)
        if (s->insights[i].type == type)
            return s->insights[i].text;
    return NULL;
}

static struct kiosk_snapshot *score_home(const char *json, const char *home,
                                         enum kiosk_lang_code lang)
{
    struct kiosk_score_options o;
    kiosk_score_options_init(&o);
    o.home = home;
    o.lang = lang;
    return score_text(json, &o);
}

static void test_gap_insight_passes_every_unit_tied_above(void **state)
{
    (void)state;
    /* X and W share first place at 80; Y (70) needs 10,01 to pass both; Z (60) needs 10,01
     * to pass Y alone */
    const char *doc =
        DOC(W1(P("X", 50, 30) "," P("W", 45, 35) "," P("Y", 40, 30) "," P("Z", 30, 30)));
    struct kiosk_snapshot *s = score_home(doc, "Y", KIOSK_LANG_CODE_VI);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP),
                        "Cần thêm 10,01 điểm để vượt 2 đơn vị đồng hạng 1");
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_RANK),
                        "Province Y xếp thứ 3/4 toàn quốc — 70,00/100 điểm");
    kiosk_snapshot_unref(s);
    s = score_home(doc, "Y", KIOSK_LANG_CODE_EN);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP),
                        "10.01 more points would pass the 2 units tied at rank 1");
    kiosk_snapshot_unref(s);
    s = score_home(doc, "Z", KIOSK_LANG_CODE_EN);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP),
                        "10.01 more points would pass Province Y (ranked 3)");
    kiosk_snapshot_unref(s);
    /* a tie at first: nobody to pass; the margin over the best of the others */
    s = score_home(doc, "W", KIOSK_LANG_CODE_VI);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP), "Hơn Province Y (hạng 3) 10,00 điểm");
    kiosk_snapshot_unref(s);
}

static void test_gap_insight_of_the_first_is_its_lead(void **state)
{
    (void)state;
    const char *doc = DOC(W1(P("X", 50, 30.25) "," P("Y", 40, 30)));
    struct kiosk_snapshot *s = score_home(doc, "X", KIOSK_LANG_CODE_VI);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP), "Hơn Province Y (hạng 2) 10,25 điểm");
    assert_int_equal(s->insights[0].type, KIOSK_INSIGHT_LEAD);
    kiosk_snapshot_unref(s);
    s = score_home(doc, "X", KIOSK_LANG_CODE_EN);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_GAP),
                        "10.25 points ahead of Province Y (ranked 2)");
    kiosk_snapshot_unref(s);
    /* alone, or tied with everyone: no gap to speak of */
    s = score_home(DOC(W1(P("X", 50, 30) "," P("Y", 50, 30))), "X", KIOSK_LANG_CODE_VI);
    assert_null(insight_of(s, KIOSK_INSIGHT_GAP));
    kiosk_snapshot_unref(s);
    s = score_home(DOC(W1(P("X", 50, 30))), "X", KIOSK_LANG_CODE_VI);
    assert_null(insight_of(s, KIOSK_INSIGHT_GAP));
    kiosk_snapshot_unref(s);
}

static void test_room_insight_names_the_group_furthest_from_its_max(void **state)
{
    (void)state;
    /* Beta is 13,76 short of 40, Alpha 10 short of 60 */
    struct kiosk_snapshot *s =
        score_home(DOC(W1(P("X", 50, 26.24) "," P("Y", 40, 30))), "X", KIOSK_LANG_CODE_VI);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_ROOM),
                        "Beta còn 13,76 điểm chưa đạt, nhiều nhất trong các nhóm");
    kiosk_snapshot_unref(s);
    s = score_home(DOC(W1(P("X", 50, 26.24) "," P("Y", 40, 30))), "X", KIOSK_LANG_CODE_EN);
    assert_string_equal(insight_of(s, KIOSK_INSIGHT_ROOM),
                        "Beta has 13.76 points still to gain, the most of any group");
    kiosk_snapshot_unref(s);
    /* every group at its maximum: nothing to gain, the maxima said instead */
    s = score_home(DOC(W1(P("X", 60, 40) "," P("Y", 40, 30))), "X", KIOSK_LANG_CODE_VI);
    assert_null(insight_of(s, KIOSK_INSIGHT_ROOM));
    assert_non_null(insight_of(s, KIOSK_INSIGHT_GROUP_MAX));
    kiosk_snapshot_unref(s);
}

static void test_empty_table_cannot_be_scored(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), KIOSK_EEMPTY);
    assert_null(s);
}

/* A unit whose group B comes from metric counts (M1: 20 x numerator / denominator), so its
 * totals have many decimals. */
#define PM(id, a, num, den)                                                                        \
    "{\"id\":\"" id "\",\"name\":\"Province " id "\",\"kind\":\"province\",\"groups\":{\"A\":" #a  \
    "},\"metrics\":[{\"group\":\"B\",\"code\":\"M1\",\"numerator\":" #num ",\"denominator\":" #den \
    "}]}"

/* What the screen shows adds up: X has 32.857... (32,86) last week and 35.714... (35,71)
 * now; the difference of the unrounded totals, 2.857..., would show as 2,86, but a reader
 * checks 35,71 - 32,86 = 2,85. Deltas, group deltas, best gains and the scope statistics
 * are of the figures as shown. */
static void test_deltas_and_statistics_add_up_as_shown(void **state)
{
    (void)state;
    struct kiosk_snapshot *s =
        score_text(DOC(W1(PM("X", 30, 1, 7) "," P("Y", 30, 4)) "," W2(
                       PM("X", 30, 2, 7) "," P("Y", 30, 4) "," PM("Z", 10, 6, 7))),
                   NULL);
    const struct kiosk_unit_score *x = unit(s, "X");
    char now[32], before[32], delta[32], expected[32];
    double prev;
    int prev_rank;
    kiosk_snapshot_unit_at(s, 0, "X", &prev, &prev_rank);
    assert_true(fabs(x->total - 250.0 / 7) < 1e-9); /* 35.714285... */
    assert_true(fabs(prev - 230.0 / 7) < 1e-9);     /* 32.857142... */
    assert_string_equal(kiosk_format_fixed(x->total, 2, KIOSK_LANG_CODE_VI, now, sizeof now),
                        "35,71");
    assert_string_equal(kiosk_format_fixed(prev, 2, KIOSK_LANG_CODE_VI, before, sizeof before),
                        "32,86");
    assert_string_equal(kiosk_format_fixed(x->delta, 2, KIOSK_LANG_CODE_VI, delta, sizeof delta),
                        "2,85");
    assert_string_equal(kiosk_format_fixed(kiosk_round2(x->total) - kiosk_round2(prev), 2,
                                           KIOSK_LANG_CODE_VI, expected, sizeof expected),
                        delta);
    assert_int_equal(CENTS(x->delta), CENTS(x->total) - CENTS(prev));
    assert_true(x->delta == kiosk_round2(x->delta)); /* exactly a figure of hundredths */
    /* the group from the counts likewise: 5,71 - 2,86 */
    const struct kiosk_group_score *b = &x->groups[group(s, "B")];
    assert_int_equal(CENTS(b->score), 571);
    assert_int_equal(CENTS(b->delta), 285);
    /* ranks by the figures as shown: X was second (32,86 < 34), now first */
    assert_int_equal(prev_rank, 2);
    assert_int_equal(x->rank, 1);
    assert_true(x->has_rank_change);
    assert_int_equal(x->rank_change, 1);
    assert_int_equal(unit(s, "Y")->rank_change, -1);
    assert_int_equal(CENTS(unit(s, "Y")->delta), 0);
    assert_int_equal(x->best_gain, 1);
    /* the statistics of 35,71, 34,00 and 27,14: a mean of 96,85 / 3 = 32,28 (the unrounded
     * totals would give 32,29) */
    const struct kiosk_scope *sc = kiosk_snapshot_scope_of(s, "X");
    assert_int_equal(sc->count, 3);
    assert_int_equal(CENTS(sc->mean), 3228);
    assert_int_equal(CENTS(sc->median), 3400);
    assert_int_equal(CENTS(sc->min), 2714);
    assert_int_equal(CENTS(sc->max), 3571);
    /* and the sentence says the same */
    bool said = false;
    for (size_t i = 0; i < s->n_insights; i++)
        if (s->insights[i].type == KIOSK_INSIGHT_GAIN)
            said = strstr(s->insights[i].text, "Tăng 2,85 điểm") != NULL;
    assert_true(said);
    kiosk_snapshot_unref(s);
}

/* An even count's median is the mean of the two middle figures as shown, halves up. */
static void test_median_of_an_even_count_rounds_half_up(void **state)
{
    (void)state;
    struct kiosk_snapshot *s = score_text(DOC(W1(P("U", 50, 30.20) "," P("V", 50, 30.25))), NULL);
    assert_int_equal(CENTS(s->scopes[0].median), 8023); /* 80,225 */
    assert_int_equal(CENTS(s->scopes[0].mean), 8023);
    kiosk_snapshot_unref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank_shares_first_place_on_equal_totals),
        cmocka_unit_test(test_rank_compares_totals_rounded_to_hundredths),
        cmocka_unit_test(test_peers_are_units_of_same_kind_and_parent),
        cmocka_unit_test(test_delta_and_rank_change_use_previous_appearance),
        cmocka_unit_test(test_new_unit_has_no_delta_and_no_rank_change),
        cmocka_unit_test(test_lead_streak_counts_consecutive_first_places_shared_or_not),
        cmocka_unit_test(test_gap_week_breaks_a_lead_streak),
        cmocka_unit_test(test_periods_out_of_order_are_ordered_by_start),
        cmocka_unit_test(test_best_gain_is_the_largest_delta_of_the_history),
        cmocka_unit_test(test_metric_scores_follow_linear_and_target_rules),
        cmocka_unit_test(test_metric_with_zero_denominator_has_no_score_and_counts_zero),
        cmocka_unit_test(test_given_metric_score_is_authoritative),
        cmocka_unit_test(test_given_total_is_authoritative_and_a_mismatch_warns),
        cmocka_unit_test(test_missing_group_counts_zero_and_warns),
        cmocka_unit_test(test_scope_statistics_and_threshold),
        cmocka_unit_test(test_bands_come_from_configuration),
        cmocka_unit_test(test_group_at_max_within_half_a_hundredth),
        cmocka_unit_test(test_insights_rank_statements_in_priority_order),
        cmocka_unit_test(test_gap_insight_passes_every_unit_tied_above),
        cmocka_unit_test(test_gap_insight_of_the_first_is_its_lead),
        cmocka_unit_test(test_room_insight_names_the_group_furthest_from_its_max),
        cmocka_unit_test(test_empty_table_cannot_be_scored),
        cmocka_unit_test(test_deltas_and_statistics_add_up_as_shown),
        cmocka_unit_test(test_median_of_an_even_count_rounds_half_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
