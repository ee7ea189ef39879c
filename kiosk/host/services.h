/* The services the host hands to plugins (struct kiosk_host), one table per slide so log
 * lines carry the slide's name, and the settings of a slide. */
#ifndef KIOSK_HOST_SERVICES_H
#define KIOSK_HOST_SERVICES_H

#include "kiosk/plugin.h"
#include "score.h"

#include <stdio.h>

struct kiosk_theme {
    const char *name;
    kiosk_color colors[KIOSK_COLOR_WARNING + 1]; /* indexed by enum kiosk_theme_color */
};

/* The built-in themes: "dark" (the default, for wall screens) and "light". NULL when no
 * theme has that name. */
const struct kiosk_theme *kiosk_theme_find(const char *name);

/* A slide's settings: the key = value pairs of its config section. */
struct kiosk_settings {
    char **keys, **values;
    size_t n;
    const char *owner; /* for messages: the slide's name */
    FILE *log;
};

/* Adds a pair (copied); 0 or KIOSK_ENOMEM. A later pair with the same key wins. */
int kiosk_settings_set(struct kiosk_settings *s, const char *key, const char *value);
const char *kiosk_settings_get(const struct kiosk_settings *s, const char *key);
void kiosk_settings_free(struct kiosk_settings *s);

/* The host table of one slide. `api` comes first: plugins get &api and the services cast
 * it back. */
struct kiosk_host_ctx {
    struct kiosk_host api;
    const char *name; /* the slide's name, in log lines */
    enum kiosk_lang_code lang;
    const struct kiosk_theme *theme;
    FILE *log; /* where log lines go (stderr: the journal on a board) */
};

/* Fills a slide's host table. */
void kiosk_host_init(struct kiosk_host_ctx *ctx, const char *name, enum kiosk_lang_code lang,
                     const struct kiosk_theme *theme, FILE *log);

/* A snapshot as plugins see it. */
static inline const kiosk_data *kiosk_data_of(const struct kiosk_snapshot *s)
{
    return (const kiosk_data *)s;
}

#endif
