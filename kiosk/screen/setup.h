/* What a configuration sets up: the config itself, the plugins, the playlist, the scoring
 * options and the sources the poller keeps fresh. `kiosk run` makes one at start and a new
 * one on SIGHUP (taken whole, or not at all); `kiosk snapshot` makes one and scores once. */
#ifndef KIOSK_SCREEN_SETUP_H
#define KIOSK_SCREEN_SETUP_H

#include "config/config.h"
#include "core/pipeline.h"
#include "host/plugin_host.h"
#include "host/worker.h"
#include "net/poller.h"
#include "show.h"

#include <stdbool.h>
#include <stdio.h>

struct kiosk_setup_args {
    const char *config; /* NULL: the bundled demo configuration */
    const char **feeds; /* --feed overrides of the config's sources */
    size_t n_feeds;
    const char *state;      /* --state override, or NULL */
    const char *runtime;    /* --runtime override, or NULL */
    const char *data_dir;   /* share/kiosk: the demo, the fonts */
    const char *plugin_dir; /* the built-in plugins */
    bool read_tokens;       /* read the sources' token files (to fetch them) */
    /* notes every call into a plugin (kiosk run), opened in the runtime directory (tmpfs:
     * the note is rewritten on every call) with the first setup; NULL: nothing noted
     * (kiosk snapshot) */
    struct kiosk_breaker *breaker;
    const char *worker_exe; /* the kiosk binary workers are started from; NULL: this one */
    bool worker_no_filter;  /* workers without their system call filter (an emulator's) */
};

/* The poller's view of the sources (the config's, or --feed). Tokens are read from their
 * files once; they go into a request header and nowhere else. */
struct kiosk_sources {
    struct kiosk_poll_source *src;
    char **names, **headers; /* owned */
    size_t n;
};

struct kiosk_setup {
    const struct kiosk_setup_args *args;
    struct kiosk_config conf;
    struct kiosk_plugins plugins;
    struct kiosk_show show;
    struct kiosk_score_options so;
    struct kiosk_sources sources;
    /* how plugin workers are started and limited (the config's isolation keys) */
    struct kiosk_worker_conf workers;
    char fonts_dir[4200];
};

/* Loads the config and the plugins (the built-in ones, then the config's plugin_dir),
 * makes the slides and the sources. Problems with single plugins or slides are logged and
 * left out; a bad config, an unreadable token file or a playlist with no slide fail with
 * the problems in d (and s is closed). */
int kiosk_setup_open(struct kiosk_setup *s, const struct kiosk_setup_args *args, FILE *log,
                     struct kiosk_diags *d);
void kiosk_setup_close(struct kiosk_setup *s);
/* Makes the config's time zone the process's: the screen's clock and "data as of" are
 * local time where the kiosk stands. Called when a setup is taken, not when it is made
 * (a reload that is refused leaves the running zone). */
void kiosk_setup_use_timezone(const struct kiosk_setup *s);

/* Where the cache, the history and status.json live: --state, the config's state_dir, or
 * NULL (nowhere). */
const char *kiosk_setup_state_dir(const struct kiosk_setup *s);

/* Where status.json lives: volatile state, on tmpfs rather than the card. --runtime, the
 * config's runtime_dir, systemd's $RUNTIME_DIRECTORY (RuntimeDirectory=), /run/kiosk when
 * it is writable, else the state directory (NULL when there is none either). */
const char *kiosk_setup_runtime_dir(const struct kiosk_setup *s);

/* The same choice without a configuration: for `kiosk status`. */
const char *kiosk_runtime_dir_default(void);

/* Reads the sources once, keeps the history and scores: a new snapshot in *out. */
int kiosk_setup_score(const struct kiosk_setup *s, struct kiosk_diags *d,
                      struct kiosk_snapshot **out);

/* Opens the fonts listed in DATA_DIR/fonts. */
int kiosk_setup_fonts(const char *data_dir, struct kiosk_fonts **out, struct kiosk_diags *d);

#endif
