#include "app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int kiosk_app_open(struct kiosk_app *a, const struct kiosk_app_args *args, FILE *log,
                   struct kiosk_diags *d)
{
    memset(a, 0, sizeof *a);
    a->args = args;
    a->plugins.log = log;
    if (kiosk_paths_init(&a->paths)) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, NULL, NULL, 0, 0,
                        "cannot tell where the kiosk is installed (/proc/self/exe)");
        return KIOSK_EIO;
    }
    char path[4200];
    const char *config = args->config;
    if (!config) {
        snprintf(path, sizeof path, "%s/demo/kiosk.conf", a->paths.data);
        config = path;
    }
    int rc = kiosk_config_load(config, &a->conf, d);
    if (rc)
        return rc;
    /* the screen's clock and "data as of" are local time where the kiosk stands */
    setenv("TZ", a->conf.timezone, 1);
    tzset();
    snprintf(path, sizeof path, "%s/fonts", a->paths.data);
    if ((rc = kiosk_fonts_from_manifest(path, &a->fonts, d)))
        return rc;
    /* the built-in plugins, then the configured directories */
    kiosk_plugins_load_dir(&a->plugins, a->paths.plugins);
    for (size_t i = 0; i < a->conf.n_plugin_dirs; i++)
        kiosk_plugins_load_dir(&a->plugins, a->conf.plugin_dirs[i]);
    kiosk_score_options_init(&a->so);
    a->so.lang = a->conf.lang;
    a->so.home = a->conf.home;
    a->so.threshold = a->conf.threshold;
    a->so.bands = a->conf.bands;
    a->so.n_bands = a->conf.n_bands;
    if (kiosk_show_build(&a->show, &a->conf, &a->plugins, log) == 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, config, NULL, 0, 0,
                        "no slide can be shown: the playlist is empty or every slide failed");
        return KIOSK_ESCHEMA;
    }
    return 0;
}

int kiosk_app_score(struct kiosk_app *a, struct kiosk_diags *d, struct kiosk_snapshot **out)
{
    const struct kiosk_app_args *args = a->args;
    size_t n = args->n_feeds ? args->n_feeds : a->conf.n_sources;
    struct kiosk_pipeline_source *src = calloc(n ? n : 1, sizeof *src);
    if (!src)
        return KIOSK_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (args->n_feeds) {
            src[i].arg = args->feeds[i];
        } else {
            src[i].arg = a->conf.sources[i].location;
            src[i].group = a->conf.sources[i].group;
            src[i].period = a->conf.sources[i].period;
        }
    }
    struct kiosk_read_options ro;
    kiosk_read_options_init(&ro);
    ro.require_period = true;
    int rc = n ? kiosk_pipeline_run(src, n, &ro, args->state ? args->state : a->conf.state_dir,
                                    &a->so, d, out)
               : KIOSK_EEMPTY;
    if (n == 0)
        kiosk_diags_add(d, KIOSK_SEV_ERROR, a->conf.path, NULL, 0, 0,
                        "no source: add a [source.NAME] section with url = ..., or give --feed");
    free(src);
    return rc;
}

void kiosk_app_close(struct kiosk_app *a)
{
    kiosk_show_free(&a->show);
    kiosk_plugins_unload(&a->plugins);
    kiosk_fonts_close(a->fonts);
    kiosk_config_free(&a->conf);
    memset(a, 0, sizeof *a);
}
