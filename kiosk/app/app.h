/* The screen's pieces put together from a config: fonts, plugins, the playlist, and the
 * scoring of the configured sources. Shared by `kiosk snapshot` and `kiosk run`. */
#ifndef KIOSK_APP_APP_H
#define KIOSK_APP_APP_H

#include "config.h"
#include "paths.h"
#include "pipeline.h"
#include "plugin_host.h"
#include "show.h"

struct kiosk_app_args {
    const char *config; /* NULL: the bundled demo configuration */
    const char **feeds; /* --feed overrides of the config's sources */
    size_t n_feeds;
    const char *state; /* --state override, or NULL */
};

struct kiosk_app {
    struct kiosk_paths paths;
    struct kiosk_config conf;
    struct kiosk_plugins plugins;
    struct kiosk_fonts *fonts;
    struct kiosk_show show;
    struct kiosk_score_options so;
    const struct kiosk_app_args *args;
};

/* Loads the config, the fonts and the plugins, and makes the slides. Problems with single
 * plugins or slides are logged and left out; a bad config or missing fonts fail. */
int kiosk_app_open(struct kiosk_app *a, const struct kiosk_app_args *args, FILE *log,
                   struct kiosk_diags *d);
/* Reads the sources, keeps the history and scores: a new snapshot in *out. */
int kiosk_app_score(struct kiosk_app *a, struct kiosk_diags *d, struct kiosk_snapshot **out);
void kiosk_app_close(struct kiosk_app *a);

#endif
