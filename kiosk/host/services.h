/* The services the host hands to plugins (struct kiosk_host), one table per slide so log
 * lines carry the slide's name, and the settings of a slide. */
#ifndef KIOSK_HOST_SERVICES_H
#define KIOSK_HOST_SERVICES_H

#include "config/keyvals.h"
#include "config/theme.h"
#include "core/error.h"
#include "core/score.h"
#include "kiosk/plugin.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A slide's settings as its plugin reads them: the key = value pairs of its config section
 * (the slide's own copy), with what the services need to read them. */
struct kiosk_settings {
    struct kiosk_keyvals kv;
    const char *owner; /* for messages: the slide's name */
    FILE *log;
    /* the slide's plugin's settings table (its defaults and ranges), or NULL */
    const struct kiosk_setting_decl *decls;
    size_t n_decls;
};

/* Adds a pair (copied) read at a line of the config (0: unknown); 0 or KIOSK_ENOMEM. A
 * later pair with the same key wins. */
int kiosk_settings_set_at(struct kiosk_settings *s, const char *key, const char *value, int line);
int kiosk_settings_set(struct kiosk_settings *s, const char *key, const char *value);
const char *kiosk_settings_get(const struct kiosk_settings *s, const char *key);
void kiosk_settings_free(struct kiosk_settings *s);

/* The entry of a settings table for key, or NULL. */
const struct kiosk_setting_decl *kiosk_setting_find(const struct kiosk_setting_decl *decls,
                                                    size_t n, const char *key);
/* Whether a setting takes value: its type, range and choices (any value for a string). */
int kiosk_setting_accepts(const struct kiosk_setting_decl *e, const char *value);
/* What a setting takes, for messages: "a whole number from 0 to 100", "groups or metrics". */
const char *kiosk_setting_expected(const struct kiosk_setting_decl *e, char *buf, size_t size);
/* The name of a setting type: string, int, double, bool, choice. */
const char *kiosk_setting_type_name(enum kiosk_setting_type type);

/* Checks every pair of kv (the settings of slide `owner`) against a plugin's settings table: a key
 * it does not declare (host_keys, ended by NULL, aside), a value of the wrong type, out of range or
 * not among the choices. Each problem is an error in d, as "slide NAME: key KEY: expected ...,
 * found
 * "..."" at file and the pair's line. Returns the number of problems. */
size_t kiosk_settings_check(const struct kiosk_keyvals *kv, const char *owner,
                            const struct kiosk_setting_decl *decls, size_t n_decls,
                            const char *const *host_keys, const char *file, struct kiosk_diags *d);

/* A slide's own source (its `source` setting) as source_data hands it out. The screen
 * fills it on the main thread between calls into the plugin (screen/sources.h). */
struct kiosk_host_source {
    const char *url; /* NULL: the slide has no source */
    char *bytes;     /* the latest good copy (owned), or NULL: nothing yet */
    size_t size;
    int64_t fetched_unix; /* when it was fetched */
    uint64_t serial;      /* changes with the bytes */
    char error[384];      /* the last fetch's failure, or "" */
};

/* The pictures one slide may hold at once (image_load). */
#define KIOSK_HOST_IMAGES_MAX 256

/* The host table of one slide. `api` comes first: plugins get &api and the services cast
 * it back. */
struct kiosk_host_ctx {
    struct kiosk_host api;
    const char *name; /* the slide's name, in log lines */
    enum kiosk_lang_code lang;
    const struct kiosk_theme *theme;
    FILE *log;        /* where log lines go (stderr: the journal on a board) */
    uint32_t misused; /* the kinds of refused call already logged (enum kiosk_host_misuse) */
    int data_refs;    /* data references this slide's plugin took and still holds */
    struct kiosk_host_source source; /* source_data's (1.3) */
    bool redraw_requested;           /* request_redraw (1.3) was called: the screen clears it */
    int images;                      /* pictures this slide's plugin loaded and still holds */
    size_t image_bytes;              /* and the bytes of their pixels */
    kiosk_image *held[KIOSK_HOST_IMAGES_MAX]; /* those pictures (NULL: a free place) */
};

/* The kinds of call the boundary refuses, each logged once per slide. */
enum kiosk_host_misuse {
    KIOSK_MISUSE_RECT,
    KIOSK_MISUSE_LINE,
    KIOSK_MISUSE_ARC,
    KIOSK_MISUSE_POLYLINE,
    KIOSK_MISUSE_CIRCLE,
    KIOSK_MISUSE_TEXT,
    KIOSK_MISUSE_FORMAT,
    KIOSK_MISUSE_DATA,
    KIOSK_MISUSE_TREND,
    KIOSK_MISUSE_UNREF,
    KIOSK_MISUSE_SOURCE,
    KIOSK_MISUSE_REDRAW,
    KIOSK_MISUSE_IMAGE,
    KIOSK_MISUSE_DRAW_IMAGE,
    KIOSK_MISUSE_RELEASE,
    KIOSK_MISUSE_QR,
    KIOSK_MISUSE_TIME,
};

/* Around every call into a slide's plugin (create, render, destroy, ...): the slide whose
 * log a refused service call goes to. Calls are made on one thread (plugin.h). */
void kiosk_host_enter(const struct kiosk_host_ctx *ctx);
void kiosk_host_leave(void);
/* Logs, once per slide and kind, that a service refused a call ("slide NAME: refused: ..."). */
void kiosk_host_refuse(enum kiosk_host_misuse kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Frees the pictures a slide's plugin loaded and did not release (after its destroy(), or
 * a create() that failed), with one log line; returns how many. */
int kiosk_host_drop_images(struct kiosk_host_ctx *ctx);

/* Fills a slide's host table. */
void kiosk_host_init(struct kiosk_host_ctx *ctx, const char *name, enum kiosk_lang_code lang,
                     const struct kiosk_theme *theme, FILE *log);

/* A snapshot as plugins see it. */
static inline const kiosk_data *kiosk_data_of(const struct kiosk_snapshot *s)
{
    return (const kiosk_data *)s;
}

#endif
