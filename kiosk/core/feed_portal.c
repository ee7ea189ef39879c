/* The national portal's evaluation responses (feed-v1.md section 2, portal/NOTES.md):
 * an envelope {"code": "OK", "data": {...}} around a province (overview or parent) and its
 * units (evaluation or children). service-results carry every group in groupScores; the
 * per-group endpoints carry one group each, which the source label names or the content
 * tells. The responses do not say which period they cover, so the caller supplies it. */
#include "feed_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields that only one per-group endpoint has, to tell an unlabelled response's group. */
static const struct {
    const char *field;
    const char *group;
} group_hints[] = {
    {"totalReceived", "TDGQ"},                    /* dvc-progress-tree */
    {"totalOnTime", "TDGQ"},                      /* dvc-progress-tree */
    {"totalDossierOnlinePaymentSuccess", "TTTT"}, /* formality-online-payment-tree */
    {"totalFeeFormality", "TTTT"},                /* formality-online-payment-tree */
    {"onlineDossierCount", "CLGQ"},               /* provide-online-tree */
    {"fullCount", "CLGQ"},                        /* provide-online-tree */
    {"totalPetitions", "MDHL"},                   /* handling-satisfaction */
};

static void lower_copy(char *dst, size_t size, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < size; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

/* The kind of a unit: departmentType in evaluation responses, level in tree responses,
 * where level PROVINCE on a child means a department of the province. */
static void portal_kind(json_t *u, bool is_root, char *kind, size_t size)
{
    const char *type = json_string_value(json_object_get(u, "departmentType"));
    const char *level = json_string_value(json_object_get(u, "level"));
    if (type) {
        if (strcmp(type, "PROVINCE") == 0)
            snprintf(kind, size, "province");
        else if (strcmp(type, "PROVINCIAL_DEPARTMENT") == 0)
            snprintf(kind, size, "department");
        else if (strcmp(type, "COMMUNE_PEOPLE_COMMITTEE") == 0)
            snprintf(kind, size, "commune");
        else
            lower_copy(kind, size, type);
    } else if (level) {
        if (strcmp(level, "PROVINCE") == 0)
            snprintf(kind, size, is_root ? "province" : "department");
        else
            lower_copy(kind, size, level);
    } else {
        snprintf(kind, size, is_root ? "province" : "unit");
    }
}

/* The group score: totalScore in most responses, score in dvc-progress-tree's children. */
static json_t *portal_score_field(json_t *u, const char **key)
{
    *key = "totalScore";
    json_t *v = json_object_get(u, "totalScore");
    if (!v) {
        *key = "score";
        v = json_object_get(u, "score");
    }
    return v;
}

static const char *infer_group(const struct kiosk_framework *fw, json_t *root_unit, json_t *list)
{
    json_t *samples[2] = {root_unit, json_array_get(list, 0)};
    for (size_t s = 0; s < 2; s++) {
        json_t *u = samples[s];
        if (!json_is_object(u))
            continue;
        json_t *metrics = json_object_get(u, "metrics");
        for (size_t i = 0; i < json_array_size(metrics); i++) {
            const char *code =
                json_string_value(json_object_get(json_array_get(metrics, i), "code"));
            for (size_t g = 0; code && g < fw->n_groups; g++)
                if (kiosk_framework_rule(fw, g, code))
                    return fw->groups[g].code;
        }
        for (size_t h = 0; h < sizeof group_hints / sizeof group_hints[0]; h++)
            if (json_object_get(u, group_hints[h].field) &&
                kiosk_framework_group(fw, group_hints[h].group) >= 0)
                return group_hints[h].group;
    }
    return NULL;
}

static int portal_metrics(struct reader *r, struct kiosk_entry *e, json_t *metrics, int g,
                          const struct jpath *path)
{
    char what[160];
    const struct jpath *q = JK(path, "metrics");
    if (!json_is_array(metrics)) {
        rd_error(r, q, "expected an array of metrics, found %s",
                 rd_describe(metrics, what, sizeof what));
        return -1;
    }
    size_t n = json_array_size(metrics);
    if (n > KIOSK_MAX_METRICS) {
        rd_error(r, q, "expected at most %d metrics, found %zu", KIOSK_MAX_METRICS, n);
        return -1;
    }
    if (n == 0)
        return 0;
    struct kiosk_metric *grown = realloc(e->metrics, (e->n_metrics + n) * sizeof *grown);
    if (!grown) {
        rd_error(r, q, "out of memory");
        return -1;
    }
    e->metrics = grown;
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *mo = json_array_get(metrics, i);
        const struct jpath *mp = JI(q, i);
        if (!json_is_object(mo)) {
            rd_error(r, mp, "expected a metric object, found %s",
                     rd_describe(mo, what, sizeof what));
            bad = -1;
            continue;
        }
        const char *code, *name, *status, *message;
        struct kiosk_metric m = {
            .group = (uint32_t)g, .quality = KIOSK_NONE, .quality_message = KIOSK_NONE};
        if (rd_string(r, mo, "code", mp, true, &code) < 0 ||
            rd_string(r, mo, "name", mp, false, &name) < 0 ||
            rd_string(r, mo, "dataQualityStatus", mp, false, &status) < 0 ||
            rd_string(r, mo, "dataQualityMessage", mp, false, &message) < 0 ||
            rd_number(r, mo, "numerator", mp, &m.numerator) ||
            rd_number(r, mo, "denominator", mp, &m.denominator) ||
            rd_number(r, mo, "ratio", mp, &m.ratio) || rd_number(r, mo, "score", mp, &m.score) ||
            rd_number(r, mo, "maxScore", mp, &m.max)) {
            bad = -1;
            continue;
        }
        if (isnan(m.max)) {
            const struct kiosk_metric_rule *rule = kiosk_framework_rule(&r->t->fw, (size_t)g, code);
            m.max = rule ? rule->max : r->t->fw.groups[g].max;
        }
        if (m.max < 0 || m.max > r->t->fw.groups[g].max + 0.005) {
            rd_error(r, JK(mp, "maxScore"), "expected a maximum from 0 to %g, found %g",
                     r->t->fw.groups[g].max, m.max);
            bad = -1;
            continue;
        }
        if (rd_check_score(r, JK(mp, "score"), m.score, m.max)) {
            bad = -1;
            continue;
        }
        m.code = rd_intern(r, code);
        m.name = rd_intern(r, name ? name : code);
        if (status) {
            m.quality = rd_intern(r, status);
            if (message)
                m.quality_message = rd_intern(r, message);
        }
        e->metrics[e->n_metrics++] = m;
    }
    return bad;
}

struct portal_doc {
    struct reader *r;
    struct kiosk_period *p;
    int group;       /* per-group responses: framework group index; -1 for service-results */
    bool results;    /* service-results */
    bool warned_max; /* the maximum mismatch is reported once */
};

static int portal_unit(struct portal_doc *doc, json_t *u, const struct jpath *path, uint32_t parent,
                       size_t index, uint32_t *id_out)
{
    struct reader *r = doc->r;
    const struct kiosk_framework *fw = &r->t->fw;
    char what[160], kind[64];
    if (!json_is_object(u)) {
        rd_error(r, path, "expected a unit object, found %s", rd_describe(u, what, sizeof what));
        return -1;
    }
    const char *id, *name;
    if (rd_string(r, u, "departmentId", path, true, &id) < 0 ||
        rd_string(r, u, "departmentName", path, true, &name) < 0)
        return -1;
    portal_kind(u, parent == KIOSK_NONE, kind, sizeof kind);
    uint32_t unit = rd_intern(r, id);
    if (unit == KIOSK_NONE)
        return -1;
    size_t before = doc->p->n_entries, i;
    int rc = kiosk_period_entry(r->t, doc->p, unit, &i);
    if (rc) {
        rd_error(r, path, rc == KIOSK_ELIMIT ? "too many units in one period" : "out of memory");
        return -1;
    }
    struct kiosk_entry *e = &doc->p->entries[i];
    if (doc->p->n_entries == before) {
        rd_error(r, JK(path, "departmentId"),
                 "duplicate unit id \"%s\" (the same unit is listed twice)", id);
        return -1;
    }
    e->source_index = (uint32_t)index;
    e->name = rd_intern(r, name);
    e->kind = rd_intern(r, kind);
    /* a province in a national list has no parent even when an overview is given */
    e->parent = strcmp(kind, "province") == 0 ? KIOSK_NONE : parent;
    *id_out = unit;

    double *scores = kiosk_entry_scores(doc->p, i, fw->n_groups);
    int bad = 0;
    if (rd_number(r, u, "scoreDelta", path, &e->given_delta))
        bad = -1;
    if (doc->results) {
        json_t *gs = json_object_get(u, "groupScores");
        const struct jpath *q = JK(path, "groupScores");
        if (gs && !json_is_object(gs)) {
            rd_error(r, q, "expected an object of group scores, found %s",
                     rd_describe(gs, what, sizeof what));
            return -1;
        }
        const char *code;
        json_t *v;
        json_object_foreach(gs, code, v)
        {
            const struct jpath *gp = JK(q, code);
            /* The portal is a foreign feed that may add a group before the kiosk knows it:
             * the groups we know still score (the portal's totalScore stays authoritative),
             * so an unknown code is a warning, not a refusal of the whole response. Our
             * native feed, which states its own framework, refuses it (feed_native.c). */
            int g = kiosk_framework_group(fw, code);
            if (g < 0) {
                rd_warn(r, gp, "unknown group code \"%s\" ignored (framework %s)", code, fw->id);
                continue;
            }
            if (json_is_null(v))
                continue;
            if (!json_is_number(v)) {
                rd_error(r, gp, "expected a number or null, found %s",
                         rd_describe(v, what, sizeof what));
                bad = -1;
            } else if (rd_check_score(r, gp, json_number_value(v), fw->groups[g].max)) {
                bad = -1;
            } else {
                scores[g] = json_number_value(v);
            }
        }
        if (rd_number(r, u, "totalScore", path, &e->total))
            bad = -1;
        else if (!isnan(e->total) && (e->total < 0 || e->total > fw->max_total + 0.005)) {
            rd_error(r, JK(path, "totalScore"), "expected a total from 0 to %g, found %g",
                     fw->max_total, e->total);
            bad = -1;
        }
        return bad;
    }

    const char *key;
    json_t *v = portal_score_field(u, &key);
    const struct jpath *q = JK(path, key);
    if (v && !json_is_null(v) && !json_is_number(v)) {
        rd_error(r, q, "expected a number or null, found %s", rd_describe(v, what, sizeof what));
        bad = -1;
    } else if (json_is_number(v)) {
        double s = json_number_value(v);
        if (rd_check_score(r, q, s, fw->groups[doc->group].max))
            bad = -1;
        else
            scores[doc->group] = s;
    }
    double max;
    if (rd_number(r, u, json_object_get(u, "totalMaxScore") ? "totalMaxScore" : "maxScore", path,
                  &max))
        bad = -1;
    else if (!isnan(max) && fabs(max - fw->groups[doc->group].max) > 1e-6 && !doc->warned_max) {
        rd_warn(r, path, "the portal gives %s a maximum of %g, the framework %g; using %g",
                fw->groups[doc->group].code, max, fw->groups[doc->group].max,
                fw->groups[doc->group].max);
        doc->warned_max = true;
    }
    json_t *metrics = json_object_get(u, "metrics");
    if (metrics && !json_is_null(metrics) && portal_metrics(r, e, metrics, doc->group, path))
        bad = -1;
    return bad;
}

int portal_read(struct reader *r, json_t *root)
{
    char what[160];
    const char *code;
    if (rd_string(r, root, "code", NULL, true, &code) < 0)
        return KIOSK_EFORMAT;
    if (strcmp(code, "OK") != 0) {
        const char *msg = json_string_value(json_object_get(root, "message"));
        rd_error(r, JK(NULL, "code"), "the portal answered \"%s\"%s%s%s instead of \"OK\"", code,
                 msg ? " (" : "", msg ? msg : "", msg ? ")" : "");
        return KIOSK_EFORMAT;
    }
    json_t *data = json_object_get(root, "data");
    if (!json_is_object(data)) {
        rd_error(r, JK(NULL, "data"), "expected the portal's data object, found %s",
                 data ? rd_describe(data, what, sizeof what) : "nothing");
        return KIOSK_ESCHEMA;
    }
    const char *list_key = json_object_get(data, "evaluation") ? "evaluation" : "children";
    const char *root_key = json_object_get(data, "overview") ? "overview" : "parent";
    json_t *list = json_object_get(data, list_key);
    json_t *top = json_object_get(data, root_key);
    const struct jpath *data_path = JK(NULL, "data");
    const struct jpath *lp = JK(data_path, list_key), *tp = JK(data_path, root_key);
    if (!json_is_array(list)) {
        rd_error(r, lp, "expected an array of units (\"evaluation\" or \"children\"), found %s",
                 list ? rd_describe(list, what, sizeof what) : "nothing");
        return KIOSK_ESCHEMA;
    }
    if (top && !json_is_null(top) && !json_is_object(top)) {
        rd_error(r, tp, "expected the province's object, found %s",
                 rd_describe(top, what, sizeof what));
        return KIOSK_ESCHEMA;
    }
    if (json_is_null(top))
        top = NULL;

    struct portal_doc doc = {.r = r, .group = -1};
    for (size_t i = 0; i < json_array_size(list) && !doc.results; i++)
        doc.results = json_object_get(json_array_get(list, i), "groupScores") != NULL;
    if (r->summary)
        r->summary->kind = doc.results ? KIOSK_DOC_PORTAL_RESULTS : KIOSK_DOC_PORTAL_GROUP;
    if (!doc.results) {
        const char *group = r->group;
        if (!group)
            group = infer_group(&r->t->fw, top, list);
        if (!group) {
            rd_error(r, NULL,
                     "cannot tell which group this per-group response holds: label the source "
                     "with its group code, e.g. CKMB=%s",
                     r->file);
            return KIOSK_ESCHEMA;
        }
        doc.group = kiosk_framework_group(&r->t->fw, group);
        if (doc.group < 0) {
            rd_error(r, NULL, "unknown group label \"%s\" (framework %s has no such group)", group,
                     r->t->fw.id);
            return KIOSK_EUSAGE;
        }
        if (r->summary)
            snprintf(r->summary->group, sizeof r->summary->group, "%s", group);
    } else if (r->group) {
        rd_warn(r, NULL, "the label %s= is ignored: service-results hold every group", r->group);
    }

    char label[64];
    int32_t start = 0, end = 0;
    const char *period = r->opt->period;
    if (period) {
        if (kiosk_period_id_parse(period, &start, &end, label, sizeof label)) {
            rd_error(r, NULL,
                     "the period \"%s\" is not a period id (expected 2026-W35, 2026-08, 2026-Q3 "
                     "or 2026)",
                     period);
            return KIOSK_EUSAGE;
        }
    } else if (r->opt->require_period) {
        rd_error(r, NULL,
                 "portal responses do not say which period they cover: give it, e.g. --period "
                 "2026-08");
        return KIOSK_EUSAGE;
    } else {
        period = "unspecified";
        snprintf(label, sizeof label, "Kỳ chưa xác định");
    }
    doc.p = kiosk_table_add_period(r->t, period, label, start, end, KIOSK_ORIGIN_FEED);
    if (!doc.p) {
        rd_error(r, NULL, "out of memory");
        return KIOSK_ENOMEM;
    }
    uint32_t parent = KIOSK_NONE;
    if (top && portal_unit(&doc, top, tp, KIOSK_NONE, 0, &parent))
        parent = KIOSK_NONE;
    for (size_t i = 0; i < json_array_size(list); i++) {
        uint32_t id;
        const struct jpath *up = JI(lp, i);
        portal_unit(&doc, json_array_get(list, i), up, parent, i, &id);
    }
    if (r->summary)
        r->summary->units = doc.p->n_entries;
    return rd_failed(r) ? KIOSK_ESCHEMA : 0;
}
