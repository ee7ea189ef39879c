/* The national portal's real responses (one province, one month, six groups) merge by unit
 * id into one table. */
#include "helpers.h"

#include <string.h>

static const char *const files[] = {
    "CKMB=" KIOSK_FIXTURES "/portal/transparency/month-all.json",
    KIOSK_FIXTURES "/portal/dvc-progress-tree/month-all.json",
    KIOSK_FIXTURES "/portal/provide-online-tree/month-all.json",
    KIOSK_FIXTURES "/portal/formality-online-payment-tree/month-all.json",
    KIOSK_FIXTURES "/portal/handling-satisfaction/month-all.json",
    KIOSK_FIXTURES "/portal/dossier-digitized/month-all.json",
};
#define PROVINCE "019d2be3-6a88-732b-8b17-b68020c8553a"

static int read_all(struct kiosk_table *t, struct kiosk_diags *d, const char *period)
{
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.period = period;
    o.require_period = true;
    for (size_t i = 0; i < 6; i++) {
        int rc = read_source(t, files[i], &o, d, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

static void test_six_group_responses_merge_into_one_table(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_equal(read_all(&t, &d, "2026-08"), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(t.n_periods, 1);
    const struct kiosk_period *p = &t.periods[0];
    assert_string_equal(p->id, "2026-08");
    assert_string_equal(p->label, "Tháng 8/2026");
    uint32_t province = kiosk_strtab_find(&t.strings, PROVINCE);
    size_t children = 0, ng = t.fw.n_groups;
    for (size_t i = 0; i < p->n_entries; i++) {
        const struct kiosk_entry *e = &p->entries[i];
        const double *sc = kiosk_entry_scores(p, i, ng);
        for (size_t g = 0; g < ng; g++)
            assert_false(isnan(sc[g])); /* every unit has all six groups */
        if (e->parent == province)
            children++;
    }
    assert_int_equal(p->n_entries, 164); /* the province and its 163 units */
    assert_int_equal(children, 163);
    kiosk_diags_free(&d);

    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    /* totals are the sums of the group scores: no total_mismatch warning, and checked */
    for (size_t i = 0; i < s->n_scopes; i++) {
        for (size_t u = 0; u < s->scopes[i].count; u++) {
            const struct kiosk_unit_score *us = &s->scopes[i].units[u];
            double sum = 0;
            for (size_t g = 0; g < ng; g++)
                sum += us->groups[g].score;
            assert_int_equal(CENTS(us->total), CENTS(sum));
        }
    }
    const struct kiosk_unit_score *prov = unit(s, PROVINCE);
    assert_string_equal(prov->name, "UBND tỉnh Phú Thọ");
    assert_string_equal(prov->kind, "province");
    assert_int_equal(CENTS(prov->total), 5992);
    assert_int_equal(CENTS(prov->groups[group(s, "CKMB")].score), 796);
    assert_int_equal(CENTS(prov->groups[group(s, "TDGQ")].score), 1568);
    assert_true(isnan(prov->delta)); /* scoreDelta is null: missing, never 0 */
    kiosk_snapshot_unref(s);
    kiosk_table_free(&t);
}

static void test_portal_units_rank_among_departments_and_communes(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_equal(read_all(&t, &d, "2026-08"), 0);
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    const struct kiosk_scope *deps = NULL, *communes = NULL;
    for (size_t i = 0; i < s->n_scopes; i++) {
        if (strcmp(s->scopes[i].kind, "department") == 0)
            deps = &s->scopes[i];
        if (strcmp(s->scopes[i].kind, "commune") == 0)
            communes = &s->scopes[i];
    }
    assert_non_null(deps);
    assert_non_null(communes);
    assert_int_equal(deps->count, 15);
    assert_int_equal(communes->count, 148);
    assert_string_equal(deps->units[0].name, "Sở Văn hóa, Thể thao và Du lịch - Tỉnh Phú Thọ");
    assert_int_equal(CENTS(deps->units[0].total), 7160);
    /* two units share the last place at 15.96 */
    assert_int_equal(CENTS(deps->units[13].total), 1596);
    assert_int_equal(CENTS(deps->units[14].total), 1596);
    assert_int_equal(deps->units[13].rank, 14);
    assert_int_equal(deps->units[14].rank, 14);
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

static void test_metrics_and_data_quality_flags_are_kept(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_equal(read_all(&t, &d, "2026-08"), 0);
    const struct kiosk_period *p = &t.periods[0];
    long i = kiosk_period_find(p, kiosk_strtab_find(&t.strings, PROVINCE));
    assert_true(i >= 0);
    const struct kiosk_entry *e = &p->entries[i];
    size_t flagged = 0, null_scores = 0;
    for (uint32_t m = 0; m < e->n_metrics; m++) {
        const struct kiosk_metric *mt = &e->metrics[m];
        const char *code = kiosk_strtab_get(&t.strings, mt->code);
        if (strcmp(code, "DOSSIER_SYNC") == 0) {
            assert_string_equal(kiosk_strtab_get(&t.strings, mt->quality),
                                "TEMP_NATIONAL_REPORT_DENOMINATOR");
            assert_non_null(kiosk_strtab_get(&t.strings, mt->quality_message));
            flagged++;
        }
        if (strcmp(code, "PUBLISH_ON_TIME") == 0) {
            assert_true(mt->denominator == 0);
            assert_true(isnan(mt->score)); /* null stays missing */
            assert_true(isnan(mt->ratio));
            null_scores++;
        }
    }
    assert_int_equal(flagged, 1);
    assert_int_equal(null_scores, 1);
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    int quality = 0;
    for (size_t w = 0; w < s->n_warnings; w++)
        if (strcmp(s->warnings[w].code, "data_quality") == 0 &&
            strstr(s->warnings[w].text, "162 metrics") &&
            strstr(s->warnings[w].text, "TEMP_NATIONAL_REPORT_DENOMINATOR"))
            quality = 1;
    assert_true(quality);
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

static void test_unlabelled_responses_tell_their_group_by_content(void **state)
{
    (void)state;
    static const struct {
        const char *file, *group;
    } cases[] = {
        {"transparency", "CKMB"},          {"dvc-progress-tree", "TDGQ"},
        {"provide-online-tree", "CLGQ"},   {"formality-online-payment-tree", "TTTT"},
        {"handling-satisfaction", "MDHL"}, {"dossier-digitized", "MDSH"},
    };
    for (size_t i = 0; i < 6; i++) {
        char path[512];
        snprintf(path, sizeof path, KIOSK_FIXTURES "/portal/%s/month-all.json", cases[i].file);
        struct kiosk_table t = {0};
        struct kiosk_diags d = {0};
        struct kiosk_source_summary sum;
        assert_int_equal(read_source(&t, path, NULL, &d, &sum), 0);
        assert_int_equal(sum.kind, KIOSK_DOC_PORTAL_GROUP);
        assert_string_equal(sum.group, cases[i].group);
        assert_int_equal(sum.units, 164);
        kiosk_table_free(&t);
        kiosk_diags_free(&d);
    }
}

static void test_portal_without_a_period_is_refused_for_scoring(void **state)
{
    (void)state;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    assert_int_not_equal(read_all(&t, &d, NULL), 0);
    assert_true(diags_have(&d, "transparency/month-all.json", "do not say which period they cover",
                           "--period 2026-08", NULL));
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
}

static void test_service_results_carry_every_group(void **state)
{
    (void)state;
    const char *json =
        "{\"code\":\"OK\",\"message\":\"OK\",\"data\":{\"evaluation\":["
        "{\"departmentId\":\"p1\",\"departmentName\":\"Tỉnh A\",\"departmentCode\":\"H01\","
        "\"departmentType\":\"PROVINCE\",\"totalScore\":80.5,\"scoreDelta\":1.25,"
        "\"groupScores\":{\"CKMB\":15,\"TDGQ\":18,\"CLGQ\":10,\"TTTT\":8,\"MDHL\":15,\"MDSH\":"
        "14.5}},"
        "{\"departmentId\":\"p2\",\"departmentName\":\"Tỉnh B\",\"departmentType\":\"PROVINCE\","
        "\"totalScore\":null,\"scoreDelta\":null,"
        "\"groupScores\":{\"CKMB\":16,\"TDGQ\":null,\"CLGQ\":10,\"TTTT\":8,\"MDHL\":15,\"MDSH\":"
        "14}}]}}";
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.period = "2026-W35";
    struct kiosk_source_summary sum;
    assert_int_equal(
        kiosk_feed_read_buffer(&t, "results.json", NULL, json, strlen(json), &o, &d, &sum), 0);
    assert_int_equal(sum.kind, KIOSK_DOC_PORTAL_RESULTS);
    assert_string_equal(t.periods[0].label, "Tuần 35/2026");
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    const struct kiosk_unit_score *a = unit(s, "p1"), *b = unit(s, "p2");
    assert_int_equal(CENTS(a->total), 8050);
    assert_int_equal(CENTS(a->delta), 125);  /* the portal's delta for a unit new to us */
    assert_int_equal(CENTS(b->total), 6300); /* TDGQ null: missing, counted 0 */
    assert_true(isnan(b->groups[group(s, "TDGQ")].score));
    assert_true(isnan(b->delta));
    assert_null(a->parent);
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

/* The portal may add a group before the kiosk knows it: a warning, and the groups we know
 * still score (the native feed refuses the same: test_bad_feeds). */
static void test_service_results_with_an_unknown_group_warn_and_keep_the_rest(void **state)
{
    (void)state;
    const char *json =
        "{\"code\":\"OK\",\"message\":\"OK\",\"data\":{\"evaluation\":["
        "{\"departmentId\":\"p1\",\"departmentName\":\"Tỉnh A\",\"departmentType\":"
        "\"PROVINCE\",\"totalScore\":80.5,\"groupScores\":{\"CKMB\":15,\"TDGQ\":18,\"CLGQ\":10,"
        "\"TTTT\":8,\"MDHL\":15,\"MDSH\":14.5,\"NEWG\":3}}]}}";
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.period = "2026-W35";
    assert_int_equal(
        kiosk_feed_read_buffer(&t, "results.json", NULL, json, strlen(json), &o, &d, NULL), 0);
    assert_int_equal(d.errors, 0);
    assert_true(diags_have(&d, "results.json", "warning:", "evaluation[0].groupScores.NEWG",
                           "unknown group code \"NEWG\" ignored", NULL));
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(&t, NULL, &s), 0);
    const struct kiosk_unit_score *a = unit(s, "p1");
    assert_int_equal(CENTS(a->total), 8050);
    assert_int_equal(CENTS(a->groups[group(s, "MDSH")].score), 1450);
    kiosk_snapshot_unref(s);
    kiosk_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_six_group_responses_merge_into_one_table),
        cmocka_unit_test(test_portal_units_rank_among_departments_and_communes),
        cmocka_unit_test(test_metrics_and_data_quality_flags_are_kept),
        cmocka_unit_test(test_unlabelled_responses_tell_their_group_by_content),
        cmocka_unit_test(test_portal_without_a_period_is_refused_for_scoring),
        cmocka_unit_test(test_service_results_carry_every_group),
        cmocka_unit_test(test_service_results_with_an_unknown_group_warn_and_keep_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
