#include "setup.h"

#define KIOSK_QUARANTINE_S 3600 /* a slide that took the kiosk down stays out an hour */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void sources_free(struct kiosk_sources *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->names)
            free(ps->names[i]);
        if (ps->headers && ps->headers[2 * i]) {
            explicit_bzero(ps->headers[2 * i], strlen(ps->headers[2 * i]));
            free(ps->headers[2 * i]);
        }
    }
    free(ps->src);
    free(ps->names);
    free(ps->headers);
    memset(ps, 0, sizeof *ps);
}

/* "Authorization: Bearer TOKEN" from the first line of the token file. */
static char *bearer_header(const struct kiosk_source_conf *c, struct kiosk_diags *d)
{
    char token[1024] = "";
    FILE *f = fopen(c->token_file, "r");
    const char *why = f ? NULL : strerror(errno);
    if (f && !fgets(token, sizeof token, f))
        token[0] = '\0';
    if (f)
        fclose(f);
    token[strcspn(token, "\r\n")] = '\0';
    if (!why && !token[0])
        why = "its first line holds no token";
    if (why) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, c->token_file, NULL, 0, 0,
                        "source %s: cannot read token_file: %s", c->name, why);
        return NULL;
    }
    size_t size = strlen(token) + 32;
    char *h = malloc(size);
    if (h)
        snprintf(h, size, "Authorization: Bearer %s", token);
    explicit_bzero(token, sizeof token);
    return h;
}

/* The one mapping from the config's sources (or --feed) to what is fetched and read. */
static int sources_make(struct kiosk_sources *ps, const struct kiosk_setup *s,
                        struct kiosk_diags *d)
{
    const struct kiosk_setup_args *args = s->args;
    size_t n = args->n_feeds ? args->n_feeds : s->conf.n_sources;
    ps->n = n;
    ps->src = calloc(n ? n : 1, sizeof *ps->src);
    ps->names = calloc(n ? n : 1, sizeof *ps->names);
    ps->headers = calloc(2 * (n ? n : 1), sizeof *ps->headers);
    if (!ps->src || !ps->names || !ps->headers)
        return KIOSK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct kiosk_poll_source *p = &ps->src[i];
        if (args->n_feeds) {
            char name[32];
            snprintf(name, sizeof name, "feed%zu", i + 1);
            if (!(ps->names[i] = strdup(name)))
                return KIOSK_ENOMEM;
            p->name = ps->names[i];
            p->url = args->feeds[i];
            p->interval_s = 300;
            continue;
        }
        const struct kiosk_source_conf *c = &s->conf.sources[i];
        p->name = c->name;
        p->url = c->location;
        p->group = c->group;
        p->period = c->period;
        p->post_body = c->post_body;
        p->ca_file = c->ca_file;
        p->interval_s = c->interval_s;
        p->timeout_s = c->timeout_s;
        if (c->token_file && args->read_tokens) {
            if (!(ps->headers[2 * i] = bearer_header(c, d)))
                return KIOSK_EIO;
            p->headers = (const char *const *)&ps->headers[2 * i];
        }
    }
    return 0;
}

int kiosk_setup_fonts(const char *data_dir, struct kiosk_fonts **out, struct kiosk_diags *d)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fonts", data_dir);
    return kiosk_fonts_from_manifest(path, out, d);
}

/* The workers' limits, from the config. */
static void setup_workers(struct kiosk_setup *s, FILE *log)
{
    struct kiosk_worker_conf *w = &s->workers;
    kiosk_worker_conf_init(w);
    snprintf(s->fonts_dir, sizeof s->fonts_dir, "%s/fonts", s->args->data_dir);
    w->exe = s->args->worker_exe;
    w->sandbox = !s->args->worker_no_filter;
    if (!w->sandbox && log)
        fprintf(log, "kiosk: KIOSK_WORKER_FILTER=off: plugin workers run without their system "
                     "call filter (for an emulator that has none, never on a screen)\n");
    w->fonts_dir = s->fonts_dir;
    w->lang = s->conf.lang;
    w->theme = s->conf.theme ? s->conf.theme : "dark";
    w->timezone = s->conf.timezone; /* set before the kiosk's own TZ is */
    w->deadline_s = s->conf.render_deadline_s;
    w->memory_mb = (unsigned)s->conf.worker_memory_mb;
    w->cpu_s = (unsigned)s->conf.worker_cpu_s;
    w->quarantine_s = (int64_t)(s->conf.quarantine_h * 3600);
    if (w->quarantine_s <= 0)
        w->quarantine_s = 1; /* quarantine_h = 0: only the backoff */
    w->log = log;
}

int kiosk_setup_open(struct kiosk_setup *s, const struct kiosk_setup_args *args, FILE *log,
                     struct kiosk_diags *d)
{
    memset(s, 0, sizeof *s);
    s->args = args;
    s->plugins.log = log;
    char path[4200];
    const char *config = args->config;
    if (!config) {
        snprintf(path, sizeof path, "%s/demo/kiosk.conf", args->data_dir);
        config = path;
    }
    int rc = kiosk_config_load(config, &s->conf, d);
    if (rc == 0)
        rc = sources_make(&s->sources, s, d);
    if (rc) {
        kiosk_setup_close(s);
        return rc;
    }
    /* the built-in plugins, then the configured directories: in workers as isolation says */
    setup_workers(s, log);
    if (s->conf.isolation == KIOSK_ISOLATION_ALL)
        kiosk_plugins_load_dir_isolated(&s->plugins, args->plugin_dir, &s->workers);
    else
        kiosk_plugins_load_dir(&s->plugins, args->plugin_dir);
    for (size_t i = 0; i < s->conf.n_plugin_dirs; i++) {
        if (s->conf.isolation == KIOSK_ISOLATION_NONE)
            kiosk_plugins_load_dir(&s->plugins, s->conf.plugin_dirs[i]);
        else
            kiosk_plugins_load_dir_isolated(&s->plugins, s->conf.plugin_dirs[i], &s->workers);
    }
    kiosk_score_options_init(&s->so);
    s->so.lang = s->conf.lang;
    s->so.home = s->conf.home;
    s->so.threshold = s->conf.threshold;
    s->so.bands = s->conf.bands;
    s->so.n_bands = s->conf.n_bands;
    /* the first setup of a run finds out whether the last one died in a plugin */
    if (args->breaker && !args->breaker->opened)
        kiosk_breaker_open(args->breaker, kiosk_setup_runtime_dir(s), KIOSK_QUARANTINE_S, log,
                           (int64_t)time(NULL));
    if (kiosk_show_build_guarded(&s->show, &s->conf, &s->plugins, log, args->breaker) == 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, s->conf.path, NULL, 0, 0,
                        "no slide can be shown: the playlist is empty or every slide failed");
        kiosk_setup_close(s);
        return KIOSK_ESCHEMA;
    }
    return 0;
}

void kiosk_setup_use_timezone(const struct kiosk_setup *s)
{
    setenv("TZ", s->conf.timezone, 1);
    tzset();
}

void kiosk_setup_close(struct kiosk_setup *s)
{
    kiosk_show_free(&s->show);
    kiosk_plugins_unload(&s->plugins);
    sources_free(&s->sources);
    kiosk_config_free(&s->conf);
    memset(s, 0, sizeof *s);
}

const char *kiosk_setup_state_dir(const struct kiosk_setup *s)
{
    return s->args->state ? s->args->state : s->conf.state_dir;
}

#define KIOSK_RUNTIME_DIR "/run/kiosk"

const char *kiosk_runtime_dir_default(void)
{
    const char *env = getenv("RUNTIME_DIRECTORY"); /* systemd's RuntimeDirectory= */
    if (env && env[0] && !strchr(env, ':'))
        return env;
    if (access(KIOSK_RUNTIME_DIR, W_OK) == 0)
        return KIOSK_RUNTIME_DIR;
    return NULL;
}

const char *kiosk_setup_runtime_dir(const struct kiosk_setup *s)
{
    if (s->args->runtime)
        return s->args->runtime;
    if (s->conf.runtime_dir)
        return s->conf.runtime_dir;
    const char *dir = kiosk_runtime_dir_default();
    return dir ? dir : kiosk_setup_state_dir(s);
}

int kiosk_setup_score(const struct kiosk_setup *s, struct kiosk_diags *d,
                      struct kiosk_snapshot **out)
{
    size_t n = s->sources.n;
    if (n == 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, s->conf.path, NULL, 0, 0,
                        "no source: add a [source.NAME] section with url = ..., or give --feed");
        return KIOSK_EEMPTY;
    }
    struct kiosk_pipeline_source *src = calloc(n, sizeof *src);
    if (!src)
        return KIOSK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        src[i].arg = s->sources.src[i].url;
        src[i].group = s->sources.src[i].group;
        src[i].period = s->sources.src[i].period;
    }
    struct kiosk_read_options ro;
    kiosk_read_options_init(&ro);
    ro.require_period = true;
    int rc = kiosk_pipeline_run(src, n, &ro, kiosk_setup_state_dir(s), &s->so, d, out);
    free(src);
    return rc;
}
