/* The settings of a slide: the store the config reader fills, and the setting_* services
 * plugins read it with. */
#include "host_services.h"

#include "error.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

int kiosk_settings_set(struct kiosk_settings *s, const char *key, const char *value)
{
    char **k = realloc(s->keys, (s->n + 1) * sizeof *k);
    if (!k)
        return KIOSK_ENOMEM;
    s->keys = k;
    char **v = realloc(s->values, (s->n + 1) * sizeof *v);
    if (!v)
        return KIOSK_ENOMEM;
    s->values = v;
    s->keys[s->n] = strdup(key);
    s->values[s->n] = strdup(value);
    if (!s->keys[s->n] || !s->values[s->n]) {
        free(s->keys[s->n]);
        free(s->values[s->n]);
        return KIOSK_ENOMEM;
    }
    s->n++;
    return 0;
}

const char *kiosk_settings_get(const struct kiosk_settings *s, const char *key)
{
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->keys[i], key) == 0)
            return s->values[i];
    return NULL;
}

void kiosk_settings_free(struct kiosk_settings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
        free(s->values[i]);
    }
    free(s->keys);
    free(s->values);
    memset(s, 0, sizeof *s);
}

static void settings_complain(const kiosk_settings *s, const char *key, const char *value,
                              const char *expected)
{
    if (s->log)
        fprintf(s->log, "slide %s: %s = \"%s\": expected %s; using the default\n",
                s->owner ? s->owner : "?", key, value, expected);
}

const char *kiosk_host_setting_string(const kiosk_settings *s, const char *key, const char *def)
{
    const char *v = kiosk_settings_get(s, key);
    return v ? v : def;
}

long kiosk_host_setting_int(const kiosk_settings *s, const char *key, long def, long min, long max)
{
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    char expected[96];
    long n;
    if (kiosk_parse_long(v, min, max, &n)) {
        snprintf(expected, sizeof expected, "a whole number from %ld to %ld", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}

double kiosk_host_setting_double(const kiosk_settings *s, const char *key, double def, double min,
                                 double max)
{
    const char *v = kiosk_settings_get(s, key);
    if (!v)
        return def;
    char expected[96];
    double n;
    if (kiosk_parse_double(v, min, max, &n)) {
        snprintf(expected, sizeof expected, "a number from %g to %g", min, max);
        settings_complain(s, key, v, expected);
        return def;
    }
    return n;
}
