/* Steady-state scoring, phase by phase, in one process: what the kiosk's poller does when
 * a new week arrives, without process start-up or JSON output.
 *   bench_core STATE_DIR FEED RUNS
 * Each run: read and validate the feed; open the history store, load the earlier periods,
 * save the feed's; score. Prints the median of each phase and of their sum, and the
 * process's peak RSS. */
#include "core/feed.h"
#include "core/history.h"
#include "core/score.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_core STATE_DIR FEED RUNS\n");
        return 2;
    }
    int runs = atoi(argv[3]);
    if (runs < 1 || runs > 1000)
        return 2;
    char db[4200];
    snprintf(db, sizeof db, "%s/%s", argv[1], KIOSK_HISTORY_FILE);
    double *parse = calloc((size_t)runs, sizeof(double));
    double *hist = calloc((size_t)runs, sizeof(double));
    double *score = calloc((size_t)runs, sizeof(double));
    double *total = calloc((size_t)runs, sizeof(double));
    size_t periods = 0, units = 0;
    for (int i = 0; i < runs; i++) {
        struct kiosk_table t = {0};
        struct kiosk_diags d = {0};
        struct kiosk_read_options o;
        struct kiosk_source_spec spec;
        struct kiosk_history *h = NULL;
        struct kiosk_snapshot *s = NULL;
        kiosk_read_options_init(&o);
        double t0 = now_ms();
        if (kiosk_source_parse(argv[2], &spec, &d) ||
            kiosk_feed_read_source(&t, &spec, &o, &d, NULL))
            goto fail;
        double t1 = now_ms();
        if (kiosk_history_open(db, &h, &d) || kiosk_history_load(h, &t, &d) ||
            kiosk_history_save(h, &t, &d))
            goto fail;
        kiosk_history_close(h);
        double t2 = now_ms();
        if (kiosk_score(&t, NULL, &s))
            goto fail;
        double t3 = now_ms();
        periods = s->history_periods;
        units = s->period->n_entries;
        kiosk_snapshot_unref(s);
        parse[i] = t1 - t0;
        hist[i] = t2 - t1;
        score[i] = t3 - t2;
        total[i] = t3 - t0;
        kiosk_diags_free(&d);
        continue;
    fail:
        for (size_t k = 0; k < d.count; k++) {
            char line[1024];
            fprintf(stderr, "%s\n", kiosk_diag_format(&d.items[k], line, sizeof line));
        }
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("runs %d, %zu periods, %zu units in the newest\n", runs, periods, units);
    printf("  read+validate %.1f ms, history load+save %.1f ms, score %.1f ms\n",
           median(parse, runs), median(hist, runs), median(score, runs));
    printf("  parse+merge+score: median %.1f ms; peak RSS %.1f MiB\n", median(total, runs),
           (double)ru.ru_maxrss / 1024.0);
    free(parse);
    free(hist);
    free(score);
    free(total);
    return 0;
}
