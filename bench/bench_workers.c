/* What a plugin worker costs, on the demo: (1) a full redraw of each slide in-process and
 * through its worker (isolation = all), the median of N each, and the difference; (2) the
 * PSS of one idle worker (/proc/PID/smaps_rollup); (3) the time from a worker's crash
 * (SIGSEGV sent to it) to its slide drawn again: the fault found, the worker started
 * again, the slide made again and drawn (the backoff's 1 s wait left out: a policy, not a
 * cost).
 *   bench_workers KIOSK DATA_DIR PLUGIN_DIR CONFIG_NONE CONFIG_ALL WxH N */
#include "core/error.h"
#include "render/canvas.h"
#include "screen/setup.h"
#include "screen/show.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int64_t later;
static int64_t clock_after_backoff(void)
{
    return (int64_t)time(NULL) + later;
}

static int open_setup(struct kiosk_setup *s, struct kiosk_setup_args *a,
                      struct kiosk_snapshot **snap)
{
    struct kiosk_diags d = {0};
    if (kiosk_setup_open(s, a, NULL, &d) || kiosk_setup_score(s, &d, snap)) {
        kiosk_diags_print(stderr, &d);
        return -1;
    }
    kiosk_setup_use_timezone(s);
    kiosk_diags_free(&d);
    return 0;
}

/* The median of n redraws of slide i (after a first one). */
static double median_redraw(struct kiosk_setup *s, size_t i, kiosk_canvas *c,
                            struct kiosk_snapshot *snap, int n, double *t)
{
    int64_t wall = (int64_t)time(NULL) * 1000;
    kiosk_show_render(&s->show, i, c, snap, 0, wall);
    for (int k = 0; k < n; k++) {
        double t0 = now_ms();
        kiosk_show_render(&s->show, i, c, snap, 0, wall);
        t[k] = now_ms() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    return t[n / 2];
}

/* A figure of /proc/PID/smaps_rollup ("Pss", "Pss_Shmem", ...), in kB; -1: unknown. */
static long rollup_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':' && sscanf(line + n + 1, "%ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    int w, h, n;
    if (argc != 8 || sscanf(argv[6], "%dx%d", &w, &h) != 2 || (n = atoi(argv[7])) < 1 ||
        n > 10000) {
        fprintf(stderr,
                "usage: bench_workers KIOSK DATA_DIR PLUGIN_DIR CONFIG_NONE CONFIG_ALL WxH N\n");
        return 2;
    }
    struct kiosk_setup_args in = {
        .config = argv[4], .data_dir = argv[2], .plugin_dir = argv[3], .worker_exe = argv[1]};
    struct kiosk_setup_args iso = in;
    iso.config = argv[5];
    struct kiosk_diags d = {0};
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_setup a, b;
    struct kiosk_snapshot *sa = NULL, *sb = NULL;
    if (kiosk_setup_fonts(in.data_dir, &fonts, &d) || open_setup(&a, &in, &sa) ||
        open_setup(&b, &iso, &sb))
        return 1;
    kiosk_canvas *c = kiosk_canvas_new(w, h, fonts);
    double *t = calloc((size_t)n, sizeof *t);
    printf("slide\tin-process ms\tworker ms\tadded ms\n");
    double added_max = 0;
    for (size_t i = 0; i < a.show.n && i < b.show.n; i++) {
        double x = median_redraw(&a, i, c, sa, n, t), y = median_redraw(&b, i, c, sb, n, t);
        printf("%s\t%.2f\t%.2f\t%.2f\n", a.show.slides[i].name, x, y, y - x);
        if (y - x > added_max)
            added_max = y - x;
    }
    printf("largest added cost of a worker-drawn frame: %.2f ms\n", added_max);
    /* one worker, idle */
    struct kiosk_worker *wk = b.show.slides[0].plugin->worker;
    /* the shared canvas (the screen's picture, mapped by the kiosk too) and the sealed
     * data image are counted half to each side: said apart from the worker's own */
    pid_t wp = kiosk_worker_pid(wk);
    long pss = rollup_kb(wp, "Pss"), shmem = rollup_kb(wp, "Pss_Shmem");
    printf("PSS of one idle worker (%s): %.2f MiB, of which %.2f MiB its share of the shared "
           "canvas and data image; its own %.2f MiB (anonymous: heap, stacks and the "
           "libraries' relocated data %.2f; file pages %.2f)\n",
           kiosk_worker_name(wk), (double)pss / 1024, (double)shmem / 1024,
           (double)(pss - shmem) / 1024, (double)rollup_kb(wp, "Pss_Anon") / 1024,
           (double)rollup_kb(wp, "Pss_File") / 1024);
    /* crash to served again, 5 times */
    double back[5];
    for (int k = 0; k < 5; k++) {
        kill(kiosk_worker_pid(wk), SIGSEGV);
        double t0 = now_ms();
        int64_t wall = (int64_t)time(NULL) * 1000;
        kiosk_show_render(&b.show, 0, c, sb, 0, wall); /* the fault found */
        later += 7200; /* past the backoff or the quarantine, whatever it is */
        b.workers.now = clock_after_backoff;
        for (int tries = 0; tries < 100 && !kiosk_show_has_content(&b.show, 0, sb, w, h); tries++)
            ;
        kiosk_show_render(&b.show, 0, c, sb, 0, wall);
        back[k] = now_ms() - t0;
    }
    qsort(back, 5, sizeof *back, cmp);
    printf("crash to its slide drawn again (backoff aside): %.1f ms median of 5 (max %.1f)\n",
           back[2], back[4]);
    free(t);
    kiosk_canvas_free(c);
    kiosk_snapshot_unref(sa);
    kiosk_snapshot_unref(sb);
    kiosk_setup_close(&a);
    kiosk_setup_close(&b);
    kiosk_fonts_close(fonts);
    return 0;
}
