/* The native "kiosk-scores" v1 format (feed-v1.md section 1). Periods are converted as
 * they stream in. A "framework" that appears after the periods can no longer change how
 * they were read: it is accepted when it matches the built-in one, and refused with a
 * message that says to put it first otherwise. */
#include "feed_internal.h"

#include <stdlib.h>
#include <string.h>

#define NATIVE_FORMAT "kiosk-scores"
#define NATIVE_VERSION 1

struct native_reader {
    struct reader *r;
    struct kiosk_json_stream *js;
    bool header_done; /* format, version and framework checked */
    bool fw_from_doc; /* the document's own framework is in use */
    json_t *seen;     /* period id -> index, for duplicates */
    size_t n_periods;
    bool stopped; /* the stream was stopped after reporting */
};

struct native_reader *native_reader_new(struct reader *r)
{
    struct native_reader *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->r = r;
    n->seen = json_object();
    if (!n->seen) {
        free(n);
        return NULL;
    }
    return n;
}

void native_set_stream(struct native_reader *n, struct kiosk_json_stream *s)
{
    n->js = s;
}

void native_reader_free(struct native_reader *n)
{
    if (!n)
        return;
    json_decref(n->seen);
    free(n);
}

/* Checks format and version, and takes the document's framework if it has come. `final`
 * says the whole root is known (absent fields are really absent). Returns 0 or an error. */
static int native_header(struct native_reader *n, json_t *root, bool final)
{
    struct reader *r = n->r;
    char what[160];
    json_t *format = json_object_get(root, "format");
    if (format) {
        if (!json_is_string(format) || strcmp(json_string_value(format), NATIVE_FORMAT) != 0) {
            rd_error(r, JK(NULL, "format"), "expected \"%s\", found %s", NATIVE_FORMAT,
                     rd_describe(format, what, sizeof what));
            return KIOSK_EFORMAT;
        }
    } else if (final) {
        rd_error(r, JK(NULL, "format"), "missing required field (expected \"%s\")", NATIVE_FORMAT);
        return KIOSK_EFORMAT;
    }
    json_t *version = json_object_get(root, "version");
    if (version) {
        if (!json_is_integer(version) || json_integer_value(version) < 1) {
            rd_error(r, JK(NULL, "version"), "expected the format version %d, found %s",
                     NATIVE_VERSION, rd_describe(version, what, sizeof what));
            return KIOSK_ESCHEMA;
        }
        if (json_integer_value(version) > NATIVE_VERSION) {
            rd_error(r, JK(NULL, "version"),
                     "format version %lld is newer than this kiosk reads (%d): update the kiosk "
                     "or ask the producer for version %d",
                     (long long)json_integer_value(version), NATIVE_VERSION, NATIVE_VERSION);
            return KIOSK_EVERSION;
        }
    } else if (final) {
        rd_error(r, JK(NULL, "version"), "missing required field (expected %d)", NATIVE_VERSION);
        return KIOSK_ESCHEMA;
    }
    json_t *fw = json_object_get(root, "framework");
    if (fw && !n->fw_from_doc) {
        struct kiosk_framework doc;
        if (kiosk_framework_from_json(&doc, fw, r->file, "framework", r->d))
            return KIOSK_ESCHEMA;
        int rc = 0;
        if (n->n_periods > 0 && !kiosk_framework_compatible(&doc, &r->t->fw)) {
            rd_error(r, JK(NULL, "framework"),
                     "this framework comes after the periods and differs from the built-in "
                     "\"%s\": put \"framework\" before \"periods\" in the document",
                     r->t->fw.id);
            rc = KIOSK_ESCHEMA;
        } else {
            /* a framework of the same id without rules or English names takes them from
             * the built-in one, so vn-766 feeds need not repeat the metric table */
            for (size_t g = 0; g < doc.n_groups && strcmp(doc.id, r->t->fw.id) == 0; g++) {
                int b = kiosk_framework_group(&r->t->fw, doc.groups[g].code);
                if (b < 0)
                    continue;
                struct kiosk_group *dg = &doc.groups[g], *bg = &r->t->fw.groups[b];
                if (!dg->name_en && bg->name_en)
                    dg->name_en = strdup(bg->name_en);
                if (!dg->n_rules && bg->n_rules && fabs(dg->max - bg->max) < 1e-9) {
                    dg->rules = bg->rules;
                    dg->n_rules = bg->n_rules;
                    bg->rules = NULL;
                    bg->n_rules = 0;
                }
            }
            kiosk_framework_free(&r->t->fw);
            r->t->fw = doc;
            memset(&doc, 0, sizeof doc);
            n->fw_from_doc = true;
        }
        kiosk_framework_free(&doc);
        if (rc)
            return rc;
    }
    if (final || fw)
        n->header_done = true;
    return 0;
}

static int native_metric(struct reader *r, struct kiosk_metric *m, json_t *mo,
                         const struct jpath *path)
{
    char what[160];
    const struct kiosk_framework *fw = &r->t->fw;
    if (!json_is_object(mo)) {
        rd_error(r, path, "expected a metric object, found %s", rd_describe(mo, what, sizeof what));
        return -1;
    }
    const char *group, *code, *name;
    if (rd_string(r, mo, "group", path, true, &group) < 0 ||
        rd_string(r, mo, "code", path, true, &code) < 0 ||
        rd_string(r, mo, "name", path, false, &name) < 0)
        return -1;
    /* an unknown group is an error here, as in a unit's groups: see native_unit */
    int g = kiosk_framework_group(fw, group);
    if (g < 0) {
        rd_error(r, JK(path, "group"), "unknown group code \"%s\" (framework %s has no such group)",
                 group, fw->id);
        return -1;
    }
    *m = (struct kiosk_metric){
        .group = (uint32_t)g, .quality = KIOSK_NONE, .quality_message = KIOSK_NONE};
    m->code = rd_intern(r, code);
    m->name = rd_intern(r, name ? name : code);
    if (rd_number(r, mo, "numerator", path, &m->numerator) ||
        rd_number(r, mo, "denominator", path, &m->denominator) ||
        rd_number(r, mo, "ratio", path, &m->ratio) || rd_number(r, mo, "score", path, &m->score) ||
        rd_number(r, mo, "max", path, &m->max))
        return -1;
    if (m->numerator < 0 || m->denominator < 0) {
        rd_error(r, JK(path, m->numerator < 0 ? "numerator" : "denominator"),
                 "expected a count of 0 or more, found %g",
                 m->numerator < 0 ? m->numerator : m->denominator);
        return -1;
    }
    const struct kiosk_metric_rule *rule = kiosk_framework_rule(fw, (size_t)g, code);
    if (isnan(m->max) && rule)
        m->max = rule->max;
    if (isnan(m->max)) {
        rd_error(r, JK(path, "max"),
                 "missing: the framework has no rule for metric \"%s\", so the feed must give "
                 "its maximum",
                 code);
        return -1;
    }
    if (m->max < 0 || m->max > fw->groups[g].max) {
        rd_error(r, JK(path, "max"), "expected a maximum from 0 to %g, found %g", fw->groups[g].max,
                 m->max);
        return -1;
    }
    return rd_check_score(r, JK(path, "score"), m->score, m->max);
}

static int native_unit(struct native_reader *n, struct kiosk_period *p, json_t *u, size_t index,
                       const struct jpath *path)
{
    struct reader *r = n->r;
    const struct kiosk_framework *fw = &r->t->fw;
    char what[160];
    if (!json_is_object(u)) {
        rd_error(r, path, "expected a unit object, found %s", rd_describe(u, what, sizeof what));
        return -1;
    }
    const char *id, *name, *kind, *parent;
    if (rd_string(r, u, "id", path, true, &id) < 0 ||
        rd_string(r, u, "name", path, true, &name) < 0 ||
        rd_string(r, u, "kind", path, true, &kind) < 0 ||
        rd_string(r, u, "parent", path, false, &parent) < 0)
        return -1;
    uint32_t unit = rd_intern(r, id);
    if (unit == KIOSK_NONE)
        return -1;
    size_t before = p->n_entries, i;
    int rc = kiosk_period_entry(r->t, p, unit, &i);
    if (rc == KIOSK_ELIMIT) {
        rd_error(r, path, "more than %d units in one period", KIOSK_MAX_UNITS);
        return -1;
    }
    if (rc) {
        rd_error(r, path, "out of memory");
        return -1;
    }
    struct kiosk_entry *e = &p->entries[i];
    if (p->n_entries == before) {
        rd_error(r, JK(path, "id"), "duplicate unit id \"%s\" (also at units[%u])", id,
                 e->source_index);
        return -1;
    }
    e->source_index = (uint32_t)index;
    e->name = rd_intern(r, name);
    e->kind = rd_intern(r, kind);
    e->parent = parent ? rd_intern(r, parent) : KIOSK_NONE;
    int bad = 0;
    if (rd_number(r, u, "total", path, &e->total))
        bad = -1;
    else if (!isnan(e->total) && (e->total < 0 || e->total > fw->max_total + 0.005)) {
        rd_error(r, JK(path, "total"), "expected a total from 0 to %g, found %g", fw->max_total,
                 e->total);
        bad = -1;
    }

    json_t *groups = json_object_get(u, "groups");
    const struct jpath *q = JK(path, "groups");
    if (groups && !json_is_object(groups) && !json_is_null(groups)) {
        rd_error(r, q, "expected an object of group scores, found %s",
                 rd_describe(groups, what, sizeof what));
        bad = -1;
    } else if (groups) {
        double *scores = kiosk_entry_scores(p, i, fw->n_groups);
        const char *code;
        json_t *v;
        json_object_foreach(groups, code, v)
        {
            const struct jpath *gp = JK(q, code);
            /* Our own feed is strict: it states its framework, so a code that framework
             * lacks is a mistake (a typo, the wrong framework), and ignoring it would show
             * a total short of that group's points. The portal reader, reading a foreign
             * feed that may add groups, only warns. */
            int g = kiosk_framework_group(fw, code);
            if (g < 0) {
                rd_error(r, gp, "unknown group code (framework %s has no group \"%s\")", fw->id,
                         code);
                bad = -1;
                continue;
            }
            if (json_is_null(v))
                continue;
            if (!json_is_number(v)) {
                rd_error(r, gp, "expected a number from 0 to %g or null, found %s",
                         fw->groups[g].max, rd_describe(v, what, sizeof what));
                bad = -1;
                continue;
            }
            double s = json_number_value(v);
            if (rd_check_score(r, gp, s, fw->groups[g].max))
                bad = -1;
            else
                scores[g] = s;
        }
    }

    json_t *metrics = json_object_get(u, "metrics");
    q = JK(path, "metrics");
    if (metrics && !json_is_array(metrics) && !json_is_null(metrics)) {
        rd_error(r, q, "expected an array of metrics, found %s",
                 rd_describe(metrics, what, sizeof what));
        bad = -1;
    } else if (json_array_size(metrics) > KIOSK_MAX_METRICS) {
        rd_error(r, q, "expected at most %d metrics, found %zu", KIOSK_MAX_METRICS,
                 json_array_size(metrics));
        bad = -1;
    } else if (json_array_size(metrics) > 0) {
        e->metrics = calloc(json_array_size(metrics), sizeof *e->metrics);
        if (!e->metrics) {
            rd_error(r, q, "out of memory");
            return -1;
        }
        for (size_t k = 0; k < json_array_size(metrics); k++) {
            const struct jpath *mp = JI(q, k);
            if (native_metric(r, &e->metrics[e->n_metrics], json_array_get(metrics, k), mp))
                bad = -1;
            else
                e->n_metrics++;
        }
    }
    return bad;
}

static int native_period(struct native_reader *n, size_t index, json_t *po)
{
    struct reader *r = n->r;
    char what[160];
    const struct jpath *path = JI(JK(NULL, "periods"), index);
    if (!json_is_object(po)) {
        rd_error(r, path, "expected a period object, found %s", rd_describe(po, what, sizeof what));
        return -1;
    }
    const char *id, *label, *start_s, *end_s;
    if (rd_string(r, po, "id", path, true, &id) < 0 ||
        rd_string(r, po, "label", path, false, &label) < 0 ||
        rd_string(r, po, "start", path, true, &start_s) < 0 ||
        rd_string(r, po, "end", path, true, &end_s) < 0)
        return -1;
    int32_t start, end;
    if (kiosk_date_parse(start_s, &start)) {
        rd_error(r, JK(path, "start"), "expected a date as YYYY-MM-DD, found \"%s\"", start_s);
        return -1;
    }
    if (kiosk_date_parse(end_s, &end)) {
        rd_error(r, JK(path, "end"), "expected a date as YYYY-MM-DD, found \"%s\"", end_s);
        return -1;
    }
    if (end < start) {
        rd_error(r, JK(path, "end"), "expected a date on or after the start %s, found %s", start_s,
                 end_s);
        return -1;
    }
    json_t *prev = json_object_get(n->seen, id);
    if (prev) {
        rd_error(r, JK(path, "id"), "duplicate period id \"%s\" (also at periods[%lld])", id,
                 (long long)json_integer_value(prev));
        return -1;
    }
    json_object_set_new(n->seen, id, json_integer((json_int_t)index));
    json_t *units = json_object_get(po, "units");
    const struct jpath *q = JK(path, "units");
    if (!json_is_array(units)) {
        if (!units)
            rd_error(r, q, "missing required field (expected an array of units)");
        else
            rd_error(r, q, "expected an array of units, found %s",
                     rd_describe(units, what, sizeof what));
        return -1;
    }
    if (json_array_size(units) > KIOSK_MAX_UNITS) {
        rd_error(r, q, "expected at most %d units in a period, found %zu", KIOSK_MAX_UNITS,
                 json_array_size(units));
        return -1;
    }
    struct kiosk_period *p = kiosk_table_add_period(r->t, id, label, start, end, KIOSK_ORIGIN_FEED);
    if (!p) {
        if (r->t->n_periods >= KIOSK_MAX_PERIODS)
            rd_error(r, path, "expected at most %d periods, found more", KIOSK_MAX_PERIODS);
        else
            rd_error(r, path, "out of memory");
        return -1;
    }
    if (kiosk_period_reserve(r->t, p, json_array_size(units))) {
        rd_error(r, path, "out of memory");
        return -1;
    }
    int bad = 0;
    for (size_t u = 0; u < json_array_size(units); u++) {
        const struct jpath *up = JI(q, u);
        if (native_unit(n, p, json_array_get(units, u), u, up))
            bad = -1;
    }
    if (r->summary) {
        r->summary->units = p->n_entries;
    }
    return bad;
}

int native_on_period(void *ctx, size_t index, json_t *item, const char **why)
{
    struct native_reader *n = ctx;
    if (!n->header_done) {
        json_t *root = kiosk_json_stream_peek_root(n->js);
        if (root && native_header(n, root, false)) {
            n->stopped = true;
            *why = "stopped";
            return 1;
        }
    }
    native_period(n, index, item);
    n->n_periods++;
    /* keep reading after a bad period to report more problems, but not forever */
    if (n->r->d->errors - n->r->errors_at_start >= KIOSK_DIAGS_MAX) {
        n->stopped = true;
        *why = "stopped";
        return 1;
    }
    return 0;
}

int native_finish(struct native_reader *n, json_t *root)
{
    struct reader *r = n->r;
    char what[160];
    int rc = native_header(n, root, true);
    if (rc)
        return rc;
    json_t *periods = json_object_get(root, "periods");
    if (!periods) {
        rd_error(r, JK(NULL, "periods"), "missing required field (expected an array of periods)");
        return KIOSK_ESCHEMA;
    }
    if (!json_is_array(periods)) {
        rd_error(r, JK(NULL, "periods"), "expected an array of periods, found %s",
                 rd_describe(periods, what, sizeof what));
        return KIOSK_ESCHEMA;
    }
    if (n->n_periods == 0) {
        rd_error(r, JK(NULL, "periods"), "expected at least one period, found an empty array");
        return KIOSK_ESCHEMA;
    }
    const char *source, *generated;
    if (rd_string(r, root, "source", NULL, false, &source) < 0 ||
        rd_string(r, root, "generated_at", NULL, false, &generated) < 0)
        return KIOSK_ESCHEMA;
    if (source && !(r->t->source = strdup(source)))
        return KIOSK_ENOMEM;
    if (generated && !(r->t->generated_at = strdup(generated)))
        return KIOSK_ENOMEM;
    return rd_failed(r) ? KIOSK_ESCHEMA : 0;
}
