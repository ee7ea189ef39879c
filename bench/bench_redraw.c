/* A full redraw of each slide of a playlist, in-process: the plugin's body and the status
 * line on a canvas of the given size, as `kiosk run` draws it before upload. Prints, per
 * slide, the first draw (the text not laid out before) and the median and the maximum of
 * N redraws after it, in milliseconds.
 *   bench_redraw DATA_DIR PLUGIN_DIR CONFIG WxH N */
#include "core/error.h"
#include "render/canvas.h"
#include "screen/setup.h"
#include "screen/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int w, h, n;
    if (argc != 6 || sscanf(argv[4], "%dx%d", &w, &h) != 2 || (n = atoi(argv[5])) < 1 ||
        n > 10000) {
        fprintf(stderr, "usage: bench_redraw DATA_DIR PLUGIN_DIR CONFIG WxH N\n");
        return 2;
    }
    struct kiosk_setup_args args = {.config = argv[3], .data_dir = argv[1], .plugin_dir = argv[2]};
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_setup s;
    struct kiosk_snapshot *snap = NULL;
    if (kiosk_setup_fonts(args.data_dir, &fonts, &d) || kiosk_setup_open(&s, &args, stderr, &d)) {
        kiosk_diags_print(stderr, &d);
        return 1;
    }
    kiosk_setup_use_timezone(&s);
    if (kiosk_setup_score(&s, &d, &snap)) {
        kiosk_diags_print(stderr, &d);
        return 1;
    }
    kiosk_canvas *c = kiosk_canvas_new(w, h, fonts);
    double *ms = calloc((size_t)n, sizeof *ms);
    if (!c || !ms)
        return 1;
    int64_t wall = (int64_t)time(NULL) * 1000;
    for (size_t i = 0; i < s.show.n; i++) {
        double t0 = now_ms();
        kiosk_show_render(&s.show, i, c, snap, 0, wall);
        double first = now_ms() - t0;
        for (int k = 0; k < n; k++) {
            t0 = now_ms();
            kiosk_show_render(&s.show, i, c, snap, 0, wall);
            ms[k] = now_ms() - t0;
        }
        qsort(ms, (size_t)n, sizeof *ms, cmp);
        printf("redraw %s %dx%d first_ms=%.2f median_ms=%.2f max_ms=%.2f\n", s.show.slides[i].name,
               w, h, first, ms[n / 2], ms[n - 1]);
    }
    free(ms);
    kiosk_canvas_free(c);
    kiosk_snapshot_unref(snap);
    kiosk_setup_close(&s);
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
    return 0;
}
