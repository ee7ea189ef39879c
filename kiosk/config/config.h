/* The configuration file (INI): the kiosk's settings, its feed sources and
 * its playlist. Every problem is reported with the file, the line, the key, what was
 * expected and what was found; a config with a problem is refused whole. A commented
 * example: kiosk/data/demo/kiosk.conf. */
#ifndef KIOSK_CONFIG_CONFIG_H
#define KIOSK_CONFIG_CONFIG_H

#include "core/error.h"
#include "core/score.h"
#include "fleet.h"
#include "keyvals.h"
#include "remote.h"
#include "schedule.h"

/* A source's name: letters, digits, - and _ (it names its cache file), at most this long. */
#define KIOSK_SOURCE_NAME_MAX 63

struct kiosk_source_conf {
    char *name;
    int line;       /* the line of its [source.NAME] */
    char *location; /* a path or file:// URL (relative paths made absolute) */
    char *group;    /* the group a portal per-group response holds, or NULL */
    char *period;   /* for portal responses, or NULL */
    long interval_s;
    long timeout_s;   /* one poll's limit */
    char *post_body;  /* POST this (the national portal's API), or NULL */
    char *token_file; /* a file holding a bearer token, read at start, never logged */
    char *ca_file;    /* extra trust anchors for HTTPS, or NULL */
};

struct kiosk_slide_conf {
    char *name;
    char *plugin;
    int line; /* the line of its [slide.NAME] */
    double duration_s;
    struct kiosk_keyvals kv; /* every key of the section, plugin and duration_s too */
    char *source;            /* its own source (a path, file:// or http(s)://), or NULL */
    long interval_s;         /* how often the source is polled */
    struct kiosk_when when;  /* days, hours, from, until: outside them it is skipped */
    bool fallback; /* added by the kiosk, not in the file: the leaderboard shown only when no
                    * slide is in its hours, for a playlist with schedules and no leaderboard */
};

/* [banner]: a band over every slide. */
struct kiosk_banner_conf {
    bool configured;
    int line;
    bool top;        /* position = top (else bottom, above the status line) */
    char *text;      /* the text, or NULL */
    char *source;    /* or the text from a source (plain text, or JSON {text, until, urgent}) */
    long interval_s; /* how often the source is polled */
    char until[17];  /* YYYY-MM-DDTHH:MM local time after which it is gone, or "" */
    bool urgent;     /* a red band */
};

/* The keys of a [slide.NAME] section that the host reads itself (plugin, duration_s,
 * source, interval_s, days, hours, from, until),
 * ended by NULL: never a plugin's setting, and never unknown. */
extern const char *const kiosk_slide_host_keys[];

#define KIOSK_CONF_MAX_BANDS 16

/* Which plugins run in workers of their own: those of plugin_dir (the default), all, or
 * none (for development only: kiosk check warns). */
enum kiosk_isolation {
    KIOSK_ISOLATION_BUILTIN_INPROCESS = 0,
    KIOSK_ISOLATION_ALL,
    KIOSK_ISOLATION_NONE,
};

struct kiosk_config {
    char *path;
    int lines; /* the lines the file has */
    enum kiosk_lang_code lang;
    char *theme;
    char *home;
    char *state_dir;
    int state_dir_line;
    char *runtime_dir; /* status.json: tmpfs, not the card (NULL: /run/kiosk or state_dir) */
    char **plugin_dirs;
    size_t n_plugin_dirs;
    double stale_after_h; /* the sources failing this long is marked; 0: never */
    char *transition;     /* fade, push or none */
    char *timezone;       /* the clock's zone, e.g. Asia/Ho_Chi_Minh (the default) */
    char *renderer;       /* auto, hardware or software */
    int width, height;    /* snapshot size; the screen uses its own */
    double threshold;     /* NAN: none */
    struct kiosk_band bands[KIOSK_CONF_MAX_BANDS];
    char *band_labels[KIOSK_CONF_MAX_BANDS];
    size_t n_bands;
    struct kiosk_source_conf *sources;
    size_t n_sources;
    struct kiosk_slide_conf *slides;
    size_t n_slides;
    struct kiosk_schedule schedule;  /* the screen's working hours ([schedule]) */
    struct kiosk_remote_conf remote; /* [fleet]: the remote configuration (remote.h) */
    int rotate;                      /* 0, 90, 180 or 270: the screen is mounted turned */
    struct kiosk_banner_conf banner;
    char *metrics_file;            /* Prometheus text (NULL: runtime dir's kiosk.prom) */
    struct kiosk_fleet_conf fleet; /* [fleet]: the broker, commands */
    /* plugin workers (host/worker.h) */
    enum kiosk_isolation isolation;
    double render_deadline_s; /* a worker's reply within this (2) */
    int worker_memory_mb;     /* its address space (256) */
    int worker_cpu_s;         /* its CPU time (3600), then it is started again */
    double quarantine_h;      /* three faults in 10 minutes keep it out this long (1) */
};

/* Reads a config file; 0, or KIOSK_EIO / KIOSK_ESCHEMA with the problems in d. */
int kiosk_config_load(const char *path, struct kiosk_config *c, struct kiosk_diags *d);
void kiosk_config_free(struct kiosk_config *c);

#endif
