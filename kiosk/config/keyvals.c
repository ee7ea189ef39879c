#include "keyvals.h"

#include "core/error.h"

#include <stdlib.h>
#include <string.h>

int kiosk_keyvals_set_at(struct kiosk_keyvals *s, const char *key, const char *value, int line)
{
    char **k = realloc(s->keys, (s->n + 1) * sizeof *k);
    if (!k)
        return KIOSK_ENOMEM;
    s->keys = k;
    char **v = realloc(s->values, (s->n + 1) * sizeof *v);
    if (!v)
        return KIOSK_ENOMEM;
    s->values = v;
    int *l = realloc(s->lines, (s->n + 1) * sizeof *l);
    if (!l)
        return KIOSK_ENOMEM;
    s->lines = l;
    s->keys[s->n] = strdup(key);
    s->values[s->n] = strdup(value);
    s->lines[s->n] = line;
    if (!s->keys[s->n] || !s->values[s->n]) {
        free(s->keys[s->n]);
        free(s->values[s->n]);
        return KIOSK_ENOMEM;
    }
    s->n++;
    return 0;
}

const char *kiosk_keyvals_get(const struct kiosk_keyvals *s, const char *key)
{
    for (size_t i = s->n; i-- > 0;)
        if (strcmp(s->keys[i], key) == 0)
            return s->values[i];
    return NULL;
}

void kiosk_keyvals_free(struct kiosk_keyvals *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->keys[i]);
        free(s->values[i]);
    }
    free(s->keys);
    free(s->values);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

int kiosk_keyvals_copy(struct kiosk_keyvals *dst, const struct kiosk_keyvals *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++)
        if (kiosk_keyvals_set_at(dst, src->keys[i], src->values[i], src->lines[i])) {
            kiosk_keyvals_free(dst);
            return KIOSK_ENOMEM;
        }
    return 0;
}
