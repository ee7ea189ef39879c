/* The settings of a slide: the store the config reader fills, the checks against a
 * plugin's settings table, and the setting_* services plugins read it with. */
#include "host_services.h"

#include "core/error.h"
#include "core/parse.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int kiosk_settings_set_at(struct kiosk_settings *s, const char *key, const char *value, int line)
{
    return kiosk_keyvals_set_at(&s->kv, key, value, line);
}

int kiosk_settings_set(struct kiosk_settings *s, const char *key, const char *value)
{
    return kiosk_keyvals_set_at(&s->kv, key, value, 0);
}

const char *kiosk_settings_get(const struct kiosk_settings *s, const char *key)
{
    return kiosk_keyvals_get(&s->kv, key);
}

void kiosk_settings_free(struct kiosk_settings *s)
{
    kiosk_keyvals_free(&s->kv);
    memset(s, 0, sizeof *s);
}

/* ---- the settings table ---- */

const struct kiosk_setting_decl *kiosk_setting_find(const struct kiosk_setting_decl *decls,
                                                    size_t n, const char *key)
{
    for (size_t i = 0; decls && i < n; i++)
        if (strcmp(decls[i].key, key) == 0)
            return &decls[i];
    return NULL;
}

static int has_range(const struct kiosk_setting_decl *e)
{
    return e->min != 0 || e->max != 0;
}

/* A double bound as a long, clamped to what a long holds. */
static long to_long(double x)
{
    if (x <= (double)LONG_MIN)
        return LONG_MIN;
    if (x >= (double)LONG_MAX)
        return LONG_MAX;
    return (long)x;
}

static int is_bool(const char *v)
{
    return strcmp(v, "yes") == 0 || strcmp(v, "no") == 0 || strcmp(v, "true") == 0 ||
           strcmp(v, "false") == 0;
}

int kiosk_setting_accepts(const struct kiosk_setting_decl *e, const char *value)
{
    long n;
    double x;
    if (!value)
        return 0;
    switch (e->type) {
    case KIOSK_SETTING_STRING:
        return 1;
    case KIOSK_SETTING_INT:
        return has_range(e)
                   ? kiosk_parse_long(value, to_long(ceil(e->min)), to_long(floor(e->max)), &n) == 0
                   : kiosk_parse_long(value, LONG_MIN, LONG_MAX, &n) == 0;
    case KIOSK_SETTING_DOUBLE:
        return has_range(e) ? kiosk_parse_double(value, e->min, e->max, &x) == 0
                            : kiosk_parse_double(value, -DBL_MAX, DBL_MAX, &x) == 0;
    case KIOSK_SETTING_BOOL:
        return is_bool(value);
    case KIOSK_SETTING_CHOICE:
        for (size_t i = 0; e->choices && e->choices[i]; i++)
            if (strcmp(e->choices[i], value) == 0)
                return 1;
        return 0;
    }
    return 0;
}

const char *kiosk_setting_expected(const struct kiosk_setting_decl *e, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    switch (e->type) {
    case KIOSK_SETTING_STRING:
        snprintf(buf, size, "text");
        break;
    case KIOSK_SETTING_INT:
        if (has_range(e))
            snprintf(buf, size, "a whole number from %ld to %ld", to_long(ceil(e->min)),
                     to_long(floor(e->max)));
        else
            snprintf(buf, size, "a whole number");
        break;
    case KIOSK_SETTING_DOUBLE:
        if (has_range(e))
            snprintf(buf, size, "a number from %g to %g", e->min, e->max);
        else
            snprintf(buf, size, "a number");
        break;
    case KIOSK_SETTING_BOOL:
        snprintf(buf, size, "yes or no");
        break;
    case KIOSK_SETTING_CHOICE:
        for (size_t i = 0; e->choices && e->choices[i] && used < size; i++) {
            const char *sep = i == 0 ? "" : e->choices[i + 1] ? ", " : " or ";
            int w = snprintf(buf + used, size - used, "%s%s", sep, e->choices[i]);
            used += w > 0 ? (size_t)w : 0;
        }
        break;
    }
    return buf;
}

const char *kiosk_setting_type_name(enum kiosk_setting_type type)
{
    switch (type) {
    case KIOSK_SETTING_STRING:
        return "string";
    case KIOSK_SETTING_INT:
        return "int";
    case KIOSK_SETTING_DOUBLE:
        return "double";
    case KIOSK_SETTING_BOOL:
        return "bool";
    case KIOSK_SETTING_CHOICE:
        return "choice";
    }
    return "?";
}

static int is_host_key(const char *const *host_keys, const char *key)
{
    for (size_t i = 0; host_keys && host_keys[i]; i++)
        if (strcmp(host_keys[i], key) == 0)
            return 1;
    return 0;
}

size_t kiosk_settings_check(const struct kiosk_keyvals *kv, const char *owner,
                            const struct kiosk_setting_decl *decls, size_t n_decls,
                            const char *const *host_keys, const char *file, struct kiosk_diags *d)
{
    size_t problems = 0;
    char expected[512];
    for (size_t i = 0; decls && i < kv->n; i++) {
        const char *key = kv->keys[i], *value = kv->values[i];
        if (is_host_key(host_keys, key))
            continue;
        const struct kiosk_setting_decl *e = kiosk_setting_find(decls, n_decls, key);
        if (!e) {
            size_t used = 0;
            expected[0] = '\0';
            for (size_t k = 0; k < n_decls && used < sizeof expected; k++) {
                int w = snprintf(expected + used, sizeof expected - used, "%s%s",
                                 k == 0            ? ""
                                 : k + 1 < n_decls ? ", "
                                                   : " or ",
                                 decls[k].key);
                used += w > 0 ? (size_t)w : 0;
            }
            kiosk_diags_add(d, KIOSK_SEV_ERROR, file, NULL, kv->lines ? kv->lines[i] : 0, 0,
                            "slide %s: key %s: expected a key of this plugin (%s), found \"%s\"",
                            owner ? owner : "?", key, expected, key);
            problems++;
        } else if (!kiosk_setting_accepts(e, value)) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, file, NULL, kv->lines ? kv->lines[i] : 0, 0,
                            "slide %s: key %s: expected %s, found \"%s\"", owner ? owner : "?", key,
                            kiosk_setting_expected(e, expected, sizeof expected), value);
            problems++;
        }
    }
    return problems;
}

/* ---- the services ---- */

static void settings_complain(const kiosk_settings *s, const char *key, const char *value,
                              const char *expected)
{
    if (s->log)
        fprintf(s->log, "slide %s: %s = \"%s\": expected %s; using the default\n",
                s->owner ? s->owner : "?", key, value, expected);
}

/* The table's entry for key, when the slide's plugin declares one. */
static const struct kiosk_setting_decl *decl_of(const kiosk_settings *s, const char *key)
{
    return key ? kiosk_setting_find(s->decls, s->n_decls, key) : NULL;
}

const char *kiosk_host_setting_string(const kiosk_settings *s, const char *key, const char *def)
{
    if (!s || !key)
        return def;
    const struct kiosk_setting_decl *e = decl_of(s, key);
    if (e && e->def)
        def = e->def;
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    if (e && !kiosk_setting_accepts(e, v)) {
        char expected[512];
        settings_complain(s, key, v, kiosk_setting_expected(e, expected, sizeof expected));
        return def;
    }
    return v;
}

long kiosk_host_setting_int(const kiosk_settings *s, const char *key, long def, long min, long max)
{
    if (!s || !key)
        return def;
    const struct kiosk_setting_decl *e = decl_of(s, key);
    if (e && has_range(e)) { /* the table's range, within the plugin's own */
        long lo = to_long(ceil(e->min)), hi = to_long(floor(e->max));
        min = lo > min ? lo : min;
        max = hi < max ? hi : max;
    }
    long n;
    if (e && e->def && kiosk_parse_long(e->def, min, max, &n) == 0)
        def = n;
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    if (kiosk_parse_long(v, min, max, &n)) {
        char expected[96];
        snprintf(expected, sizeof expected, "a whole number from %ld to %ld", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}

double kiosk_host_setting_double(const kiosk_settings *s, const char *key, double def, double min,
                                 double max)
{
    if (!s || !key)
        return def;
    const struct kiosk_setting_decl *e = decl_of(s, key);
    if (e && has_range(e)) {
        min = e->min > min ? e->min : min;
        max = e->max < max ? e->max : max;
    }
    double n;
    if (e && e->def && kiosk_parse_double(e->def, min, max, &n) == 0)
        def = n;
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    if (kiosk_parse_double(v, min, max, &n)) {
        char expected[96];
        snprintf(expected, sizeof expected, "a number from %g to %g", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}
