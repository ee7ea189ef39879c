#include "feed_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kiosk_read_options_init(struct kiosk_read_options *o)
{
    memset(o, 0, sizeof *o);
    o->limits = kiosk_json_default_limits;
}

static size_t jpath_put(const struct jpath *p, char *buf, size_t size)
{
    if (!p)
        return 0;
    size_t n = jpath_put(p->up, buf, size);
    if (n >= size)
        return n;
    int w;
    if (p->key)
        w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", p->key);
    else
        w = snprintf(buf + n, size - n, "[%zu]", p->index);
    return w < 0 ? n : n + (size_t)w;
}

const char *jpath_format(const struct jpath *p, char *buf, size_t size)
{
    buf[0] = '\0';
    jpath_put(p, buf, size);
    return buf;
}

static void rd_add(struct reader *r, enum kiosk_severity sev, const struct jpath *at,
                   const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void rd_add(struct reader *r, enum kiosk_severity sev, const struct jpath *at,
                   const char *fmt, va_list ap)
{
    char msg[768], path[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    jpath_format(at, path, sizeof path);
    kiosk_diags_add(r->d, sev, r->file, path[0] ? path : NULL, 0, 0, "%s", msg);
}

void rd_error(struct reader *r, const struct jpath *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rd_add(r, KIOSK_SEV_ERROR, at, fmt, ap);
    va_end(ap);
}

void rd_warn(struct reader *r, const struct jpath *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rd_add(r, KIOSK_SEV_WARNING, at, fmt, ap);
    va_end(ap);
}

const char *rd_describe(const json_t *v, char *buf, size_t size)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING: {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n <= 40) {
            snprintf(buf, size, "a string (\"%s\")", s);
            return buf;
        }
        /* quote the start, cut on a character boundary so the message stays UTF-8 */
        size_t cut = 32;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        snprintf(buf, size, "a string of %zu bytes (\"%.*s...\")", n, (int)cut, s);
        return buf;
    }
    case JSON_INTEGER:
        snprintf(buf, size, "a number (%lld)", (long long)json_integer_value(v));
        return buf;
    case JSON_REAL:
        snprintf(buf, size, "a number (%g)", json_real_value(v));
        return buf;
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
        return "null";
    }
    return "an unknown value";
}

int rd_string(struct reader *r, json_t *obj, const char *key, const struct jpath *at, bool required,
              const char **out)
{
    char what[160];
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            rd_error(r, JK(at, key), "missing required field (expected a text)");
            return -1;
        }
        return 0;
    }
    if (!json_is_string(v)) {
        rd_error(r, JK(at, key), "expected a text, found %s", rd_describe(v, what, sizeof what));
        return -1;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n) {
        rd_error(r, JK(at, key), "expected a text, found one containing a NUL character");
        return -1;
    }
    if (n > KIOSK_MAX_TEXT) {
        rd_error(r, JK(at, key), "expected a text of at most %d bytes, found %zu bytes",
                 KIOSK_MAX_TEXT, n);
        return -1;
    }
    if (required && n == 0) {
        rd_error(r, JK(at, key), "expected a non-empty text, found \"\"");
        return -1;
    }
    *out = s;
    return 1;
}

int rd_number(struct reader *r, json_t *obj, const char *key, const struct jpath *at, double *out)
{
    json_t *v = json_object_get(obj, key);
    *out = NAN;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v)) {
        char what[160];
        rd_error(r, JK(at, key), "expected a number or null, found %s",
                 rd_describe(v, what, sizeof what));
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

uint32_t rd_intern(struct reader *r, const char *s)
{
    uint32_t i = kiosk_strtab_intern(&r->t->strings, s, strlen(s));
    if (i == KIOSK_NONE)
        rd_error(r, NULL, "out of memory");
    return i;
}

int rd_use_framework(struct reader *r, const struct kiosk_framework *fw)
{
    kiosk_framework_free(&r->t->fw);
    if (kiosk_framework_copy(&r->t->fw, fw)) {
        rd_error(r, NULL, "out of memory");
        return KIOSK_ENOMEM;
    }
    r->t->has_framework = true;
    return 0;
}

/* Scores are shown to hundredths, so a value above the maximum by less than half a
 * hundredth is the producer's rounding, not an error. */
#define SCORE_TOLERANCE 0.005

int rd_check_score(struct reader *r, const struct jpath *at, double v, double max)
{
    if (isnan(v))
        return 0;
    if (v < 0 || v > max + SCORE_TOLERANCE) {
        rd_error(r, at, "expected a score from 0 to %g, found %g", max, v);
        return -1;
    }
    return 0;
}

/* ---- frameworks ---- */

bool kiosk_framework_compatible(const struct kiosk_framework *a, const struct kiosk_framework *b)
{
    if (a->n_groups != b->n_groups)
        return false;
    for (size_t g = 0; g < a->n_groups; g++)
        if (strcmp(a->groups[g].code, b->groups[g].code) != 0 ||
            fabs(a->groups[g].max - b->groups[g].max) > 1e-9)
            return false;
    return true;
}

static int fw_text(struct reader *r, const struct jpath *at, json_t *obj, const char *key,
                   bool required, char **out)
{
    const char *s;
    int rc = rd_string(r, obj, key, at, required, &s);
    *out = NULL;
    if (rc < 0)
        return -1;
    if (rc == 0)
        return 0;
    *out = strdup(s);
    return *out ? 0 : -1;
}

static int fw_rules(struct reader *r, struct kiosk_group *grp, json_t *arr, const struct jpath *at)
{
    char what[160];
    if (!json_is_array(arr)) {
        rd_error(r, at, "expected an array of metric rules, found %s",
                 rd_describe(arr, what, sizeof what));
        return -1;
    }
    size_t n = json_array_size(arr);
    if (n > KIOSK_MAX_METRICS) {
        rd_error(r, at, "expected at most %d metric rules, found %zu", KIOSK_MAX_METRICS, n);
        return -1;
    }
    grp->rules = calloc(n ? n : 1, sizeof *grp->rules);
    if (!grp->rules)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *m = json_array_get(arr, i);
        const struct jpath *p = JI(at, i);
        if (!json_is_object(m)) {
            rd_error(r, p, "expected a metric rule object, found %s",
                     rd_describe(m, what, sizeof what));
            return -1;
        }
        struct kiosk_metric_rule *rule = &grp->rules[grp->n_rules++];
        rule->rule = KIOSK_RULE_LINEAR;
        if (fw_text(r, p, m, "code", true, &rule->code) ||
            fw_text(r, p, m, "name", false, &rule->name))
            return -1;
        if (rd_number(r, m, "max", p, &rule->max) || isnan(rule->max) || rule->max < 0 ||
            rule->max > grp->max) {
            if (!rd_failed(r))
                rd_error(r, JK(p, "max"), "expected a number from 0 to %g", grp->max);
            return -1;
        }
        const char *kind = NULL;
        if (rd_string(r, m, "rule", p, false, &kind) < 0)
            return -1;
        if (kind && strcmp(kind, "target") == 0) {
            rule->rule = KIOSK_RULE_TARGET;
            if (rd_number(r, m, "target", p, &rule->target_pct) || isnan(rule->target_pct) ||
                rule->target_pct <= 0 || rule->target_pct > 100) {
                if (!rd_failed(r))
                    rd_error(r, JK(p, "target"),
                             "expected a target percentage above 0 and at most 100");
                return -1;
            }
        } else if (kind && strcmp(kind, "linear") != 0) {
            rd_error(r, JK(p, "rule"), "expected \"linear\" or \"target\", found \"%s\"", kind);
            return -1;
        }
    }
    return 0;
}

int kiosk_framework_from_json(struct kiosk_framework *fw, json_t *obj, const char *file,
                              const char *path, struct kiosk_diags *d)
{
    char what[160];
    struct reader rd = {.d = d, .file = file, .errors_at_start = d->errors}, *r = &rd;
    const struct jpath *at = path && path[0] ? JK(NULL, path) : NULL;
    memset(fw, 0, sizeof *fw);
    if (!json_is_object(obj)) {
        rd_error(r, at, "expected a framework object, found %s",
                 rd_describe(obj, what, sizeof what));
        return KIOSK_ESCHEMA;
    }
    if (fw_text(r, at, obj, "id", true, &fw->id) || fw_text(r, at, obj, "title", false, &fw->title))
        goto fail;
    json_t *groups = json_object_get(obj, "groups");
    const struct jpath *gs = JK(at, "groups");
    if (!json_is_array(groups) || json_array_size(groups) == 0 ||
        json_array_size(groups) > KIOSK_MAX_GROUPS) {
        if (!groups)
            rd_error(r, gs, "missing required field (expected an array of groups)");
        else if (!json_is_array(groups))
            rd_error(r, gs, "expected an array of groups, found %s",
                     rd_describe(groups, what, sizeof what));
        else
            rd_error(r, gs, "expected 1 to %d groups, found %zu", KIOSK_MAX_GROUPS,
                     json_array_size(groups));
        goto fail;
    }
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *go = json_array_get(groups, g);
        const struct jpath *gp = JI(gs, g);
        if (!json_is_object(go)) {
            rd_error(r, gp, "expected a group object, found %s",
                     rd_describe(go, what, sizeof what));
            goto fail;
        }
        struct kiosk_group *grp = &fw->groups[fw->n_groups++];
        if (fw_text(r, gp, go, "code", true, &grp->code) ||
            fw_text(r, gp, go, "name", true, &grp->name) ||
            fw_text(r, gp, go, "name_en", false, &grp->name_en))
            goto fail;
        if (strlen(grp->code) > 16) {
            rd_error(r, JK(gp, "code"), "expected a group code of at most 16 bytes, found %zu",
                     strlen(grp->code));
            goto fail;
        }
        for (size_t k = 0; k + 1 < fw->n_groups; k++) {
            if (strcmp(fw->groups[k].code, grp->code) == 0) {
                rd_error(r, JK(gp, "code"), "duplicate group code \"%s\" (also at groups[%zu])",
                         grp->code, k);
                goto fail;
            }
        }
        if (rd_number(r, go, "max", gp, &grp->max) || isnan(grp->max) || grp->max <= 0 ||
            grp->max > 1000) {
            if (!rd_failed(r))
                rd_error(r, JK(gp, "max"), "expected a maximum above 0 and at most 1000");
            goto fail;
        }
        fw->max_total += grp->max;
        json_t *rules = json_object_get(go, "metrics");
        if (rules && fw_rules(r, grp, rules, JK(gp, "metrics")))
            goto fail;
    }
    return 0;
fail:
    if (!rd_failed(r))
        rd_error(r, at, "out of memory");
    kiosk_framework_free(fw);
    return KIOSK_ESCHEMA;
}

/* The built-in framework is data (kiosk/data/vn-766.json), embedded at build time. */
extern const char kiosk_builtin_vn766_json[];

int kiosk_framework_builtin(struct kiosk_framework *fw)
{
    json_error_t err;
    json_t *root = json_loads(kiosk_builtin_vn766_json, 0, &err);
    if (!root)
        return KIOSK_ENOMEM;
    struct kiosk_diags d = {0};
    int rc = kiosk_framework_from_json(fw, root, "built-in vn-766", "", &d);
    kiosk_diags_free(&d);
    json_decref(root);
    return rc ? KIOSK_ENOMEM : 0;
}

/* ---- period ids ---- */

int kiosk_period_id_parse(const char *id, int32_t *start, int32_t *end, char *label,
                          size_t label_size)
{
    int y = 0, n = 0, len = (int)strlen(id);
    unsigned v = 0;
    if (len < 4 || sscanf(id, "%4d%n", &y, &n) != 1 || n != 4 || y < 1900 || y > 9999)
        return -1;
    for (int i = 0; i < 4; i++)
        if (id[i] < '0' || id[i] > '9')
            return -1;
    const char *rest = id + 4;
    if (*rest == '\0') {
        *start = kiosk_days_from_civil(y, 1, 1);
        *end = kiosk_days_from_civil(y, 12, 31);
        snprintf(label, label_size, "Năm %d", y);
        return 0;
    }
    if (rest[0] != '-')
        return -1;
    if ((rest[1] == 'W' || rest[1] == 'Q') && strlen(rest) >= 3 && strlen(rest) <= 4 &&
        sscanf(rest + 2, "%u%n", &v, &n) == 1 && rest[2 + n] == '\0') {
        if (rest[1] == 'Q') {
            if (v < 1 || v > 4)
                return -1;
            *start = kiosk_days_from_civil(y, 3 * v - 2, 1);
            *end = (v == 4 ? kiosk_days_from_civil(y + 1, 1, 1)
                           : kiosk_days_from_civil(y, 3 * v + 1, 1)) -
                   1;
            snprintf(label, label_size, "Quý %u/%d", v, y);
            return 0;
        }
        /* ISO 8601 week: week 1 holds January 4th; weeks start on Monday */
        int32_t jan4 = kiosk_days_from_civil(y, 1, 4);
        int32_t monday1 = jan4 - (int32_t)((((jan4 + 4) % 7) + 6) % 7);
        int32_t next_jan4 = kiosk_days_from_civil(y + 1, 1, 4);
        int32_t next_monday1 = next_jan4 - (int32_t)((((next_jan4 + 4) % 7) + 6) % 7);
        unsigned weeks = (unsigned)((next_monday1 - monday1) / 7);
        if (v < 1 || v > weeks)
            return -1;
        *start = monday1 + (int32_t)(v - 1) * 7;
        *end = *start + 6;
        snprintf(label, label_size, "Tuần %u/%d", v, y);
        return 0;
    }
    if (strlen(rest) == 3 && rest[1] >= '0' && rest[1] <= '9' && rest[2] >= '0' && rest[2] <= '9') {
        v = (unsigned)((rest[1] - '0') * 10 + (rest[2] - '0'));
        if (v < 1 || v > 12)
            return -1;
        *start = kiosk_days_from_civil(y, v, 1);
        *end =
            (v == 12 ? kiosk_days_from_civil(y + 1, 1, 1) : kiosk_days_from_civil(y, v + 1, 1)) - 1;
        snprintf(label, label_size, "Tháng %u/%d", v, y);
        return 0;
    }
    return -1;
}
