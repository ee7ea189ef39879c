/* Runs a command N times and reports its wall time (median, min, max) and its peak
 * resident memory, as the kernel accounts them for the child (wait4 rusage).
 *   measure N COMMAND [ARGS...]   (the command's stdout goes to /dev/null) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: measure N COMMAND [ARGS...]\n");
        return 2;
    }
    int n = atoi(argv[1]);
    if (n < 1 || n > 1000)
        return 2;
    double *ms = calloc((size_t)n, sizeof *ms);
    long max_rss_kb = 0;
    double cpu_s = 0;
    for (int i = 0; i < n; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, STDOUT_FILENO);
            execvp(argv[2], argv + 2);
            _exit(127);
        }
        int status;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "measure: %s failed\n", argv[2]);
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ru.ru_maxrss > max_rss_kb)
            max_rss_kb = ru.ru_maxrss;
        cpu_s += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp);
    printf("runs %d  wall ms: median %.1f min %.1f max %.1f  cpu ms/run %.1f  peak RSS %.1f MiB\n",
           n, ms[n / 2], ms[0], ms[n - 1], cpu_s * 1e3 / n, (double)max_rss_kb / 1024.0);
    free(ms);
    return 0;
}
