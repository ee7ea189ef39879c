/* The key = value pairs of a config section, in the order read, each with its line: plain
 * data the config reader fills and the layers above read (a slide's settings). */
#ifndef KIOSK_CONFIG_KEYVALS_H
#define KIOSK_CONFIG_KEYVALS_H

#include <stddef.h>

struct kiosk_keyvals {
    char **keys, **values;
    int *lines; /* each pair's line in the config file, 0 when unknown */
    size_t n;
};

/* Adds a pair (copied) read at a line (0: unknown); 0 or KIOSK_ENOMEM. A later pair with
 * the same key wins. */
int kiosk_keyvals_set_at(struct kiosk_keyvals *kv, const char *key, const char *value, int line);
/* The value of the last pair with that key, or NULL. */
const char *kiosk_keyvals_get(const struct kiosk_keyvals *kv, const char *key);
/* A deep copy of src in *dst (emptied first); 0 or KIOSK_ENOMEM (dst then empty). */
int kiosk_keyvals_copy(struct kiosk_keyvals *dst, const struct kiosk_keyvals *src);
void kiosk_keyvals_free(struct kiosk_keyvals *kv);

#endif
