/* kiosk check on a config: the slides whose duration cannot show all they page through
 * for the data their sources hold now (a ranking shown whole, show = all, at 10 s a page),
 * a warning each, at the slide's duration_s line. */
#include "cli.h"
#include "paths.h"
#include "screen/setup.h"

#include <string.h>

/* The line of a slide's duration_s, else of its first key. */
static int duration_line(const struct kiosk_slide_conf *sc)
{
    for (size_t k = 0; k < sc->kv.n; k++)
        if (strcmp(sc->kv.keys[k], "duration_s") == 0)
            return sc->kv.lines[k];
    return sc->kv.n ? sc->kv.lines[0] : 0;
}

void cli_check_turns(const char *file, struct kiosk_diags *d)
{
    struct kiosk_paths paths;
    struct kiosk_setup_args args = {.config = file};
    if (kiosk_paths_init(&paths) != 0)
        return;
    args.data_dir = paths.data;
    args.plugin_dir = paths.plugins;
    args.worker_exe = paths.self;
    args.worker_no_filter = paths.no_filter;
    struct kiosk_setup app;
    struct kiosk_diags quiet = {0}; /* the config's own problems are reported already */
    if (kiosk_setup_open(&app, &args, NULL, &quiet) != 0) {
        kiosk_diags_free(&quiet);
        return;
    }
    /* only sources that read now: the check fetches nothing, and writes no history */
    bool local = app.sources.n > 0;
    for (size_t i = 0; i < app.sources.n; i++) {
        const char *url = app.sources.src[i].url;
        local = local && (!strstr(url, "://") || strncmp(url, "file://", 7) == 0);
    }
    char *state_dir = app.conf.state_dir;
    app.conf.state_dir = NULL;
    struct kiosk_snapshot *snap = NULL;
    if (local && kiosk_setup_score(&app, &quiet, &snap) == 0) {
        for (size_t i = 0; i < app.show.n; i++) {
            const struct kiosk_slide *sl = &app.show.slides[i];
            if (sl->fallback)
                continue; /* no turn of its own */
            double need = kiosk_show_turn_s(&app.show, i, snap, app.conf.width, app.conf.height);
            if (need <= sl->duration_s + 1e-9)
                continue;
            const struct kiosk_slide_conf *sc = NULL;
            for (size_t k = 0; k < app.conf.n_slides; k++)
                if (strcmp(app.conf.slides[k].name, sl->name) == 0)
                    sc = &app.conf.slides[k];
            kiosk_diags_add(d, KIOSK_SEV_WARNING, file, NULL, sc ? duration_line(sc) : 0, 0,
                            "slide %s: duration_s: expected at least %.0f s, the time its pages "
                            "take at %dx%d with the data of its sources, found %g s: the last "
                            "pages are never shown",
                            sl->name, need, app.conf.width, app.conf.height, sl->duration_s);
        }
    }
    kiosk_snapshot_unref(snap);
    app.conf.state_dir = state_dir;
    kiosk_setup_close(&app);
    kiosk_diags_free(&quiet);
}
