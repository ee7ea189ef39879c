/* kiosk snapshot: every slide of the playlist to a PNG, headless, then exit. */
#include "cli.h"
#include "paths.h"
#include "net/fetch.h"
#include "screen/setup.h"
#include "screen/sources.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int kiosk_cmd_snapshot(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"out", required_argument, NULL, 'o'},
        {"size", required_argument, NULL, 's'},   {"feed", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, 'S'},  {"at", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0},
    };
    struct kiosk_setup_args args = {0};
    const char *out = NULL, *feeds[64];
    int w = 0, h = 0, c;
    int64_t now_ms = (int64_t)time(NULL) * 1000;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:o:s:f:S:a:h", longopts, NULL)) != -1) {
        int shared = cli_app_option("snapshot", c, optarg, &args, feeds, 64);
        if (shared < 0)
            return KIOSK_EXIT_USAGE;
        if (shared)
            continue;
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 's':
            if (cli_parse_size_wxh("snapshot", optarg, &w, &h))
                return KIOSK_EXIT_USAGE;
            break;
        case 'a': {
            int64_t t = kiosk_time_parse(optarg);
            if (!t) {
                fprintf(stderr,
                        "kiosk snapshot: --at: expected a time such as "
                        "2025-10-06T08:00:00+07:00, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            now_ms = t * 1000;
            break;
        }
        case 'h':
            printf("usage: kiosk snapshot [--config FILE] --out DIR [--size WxH] [--feed SOURCE]..."
                   " [--state DIR] [--at TIME]\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    if (!out) {
        fprintf(stderr, "kiosk snapshot: expected --out DIR (where the PNGs go)\n");
        return KIOSK_EXIT_USAGE;
    }
    if (mkdir(out, 0755) && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create the output directory: %s\n", out, strerror(errno));
        return KIOSK_EXIT_INPUT;
    }
    struct kiosk_paths paths;
    if (cli_paths(&paths, &args))
        return KIOSK_EXIT_INPUT;
    struct kiosk_diags d = {0};
    struct kiosk_setup app;
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_snapshot *snap = NULL;
    int status = KIOSK_EXIT_INPUT;
    bool open = kiosk_setup_fonts(args.data_dir, &fonts, &d) == 0 &&
                kiosk_setup_open(&app, &args, stderr, &d) == 0;
    if (open)
        kiosk_setup_use_timezone(&app);
    if (open && kiosk_setup_score(&app, &d, &snap) == 0) {
        if (!w) {
            /* a screen mounted turned: its slides lay out for the turned size */
            bool turned = app.conf.rotate == 90 || app.conf.rotate == 270;
            w = turned ? app.conf.height : app.conf.width;
            h = turned ? app.conf.width : app.conf.height;
        }
        struct kiosk_banner banner;
        kiosk_banner_init(&banner, &app.conf.banner);
        app.show.banner = &banner;
        kiosk_fetch_global_init();
        kiosk_own_sources_read_once(&app.show, &banner, stderr);
        kiosk_canvas *canvas = kiosk_canvas_new(w, h, fonts);
        status = canvas ? KIOSK_EXIT_OK : KIOSK_EXIT_INPUT;
        /* the slides the playlist would show; a slide with nothing to show for this data is
         * skipped as on the screen, and with none left, the waiting notice is the picture */
        size_t written = 0;
        for (size_t i = 0; canvas && i <= app.show.n; i++) {
            char path[4400];
            if (i == app.show.n && (written || !app.show.n))
                break;
            if (i < app.show.n && app.show.slides[i].fallback)
                continue; /* no turn of its own: shown only when no slide is in its hours */
            if (i == app.show.n) {
                snprintf(path, sizeof path, "%s/00-waiting.png", out);
                kiosk_show_render(&app.show, 0, canvas, snap, 0, now_ms);
            } else if (!kiosk_show_has_content(&app.show, i, snap, w, h)) {
                fprintf(stderr, "slide %s: skipped: nothing to show for this data\n",
                        app.show.slides[i].name);
                continue;
            } else {
                snprintf(path, sizeof path, "%s/%02zu-%s.png", out, i + 1, app.show.slides[i].name);
                kiosk_show_render(&app.show, i, canvas, snap, 0, now_ms);
                const struct kiosk_slide *sl = &app.show.slides[i];
                const struct kiosk_worker_fault *f =
                    sl->plugin->worker ? kiosk_worker_last_fault(sl->plugin->worker) : NULL;
                if (sl->faulted && f) { /* its worker's fault said in the log line above */
                    fprintf(stderr, "slide %s: not drawn: plugin %s: %s in %s()\n", sl->name,
                            kiosk_worker_name(sl->plugin->worker), f->what, f->call);
                    status = KIOSK_EXIT_INPUT;
                    continue;
                }
            }
            written++;
            if (kiosk_canvas_write_png(canvas, path, &d))
                status = KIOSK_EXIT_INPUT;
            else
                printf("%s\n", path);
        }
        kiosk_canvas_free(canvas);
        app.show.banner = NULL;
        kiosk_banner_free(&banner);
    }
    kiosk_diags_print(stderr, &d);
    kiosk_snapshot_unref(snap);
    if (open)
        kiosk_setup_close(&app);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
    return status;
}
