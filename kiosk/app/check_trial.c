/* kiosk check tries a plugin as the screen would use it: in a child process of its own, it
 * is loaded, its slide made with the slide's settings, and one 1920x1080 frame of the
 * bundled demo drawn, each stage within a deadline. A crash (any signal), an exit, a hang,
 * a refusal, a failing create(), a frame slower than a second: one line each, and the
 * check fails. The check itself never runs a plugin's code, so nothing a plugin does can
 * take it down. */
#include "check_trial.h"

#include "core/pipeline.h"
#include "screen/setup.h"
#include "screen/show.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRIAL_W 1920
#define TRIAL_H 1080
#define SLOW_MS 1000.0
#define MEMORY_MB 256 /* what a plugin may allocate in the trial */

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int fd, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(fd, line, (size_t)n) < 0)
        _exit(99);
}

/* The child: every stage announced before it starts, the verdict last. */
static _Noreturn void trial_child(int fd, const struct kiosk_trial *t)
{
#if !defined(__SANITIZE_ADDRESS__) /* whose shadow memory no limit of this size fits */
    /* room for the plugin to work, not to take the machine: what the process holds now,
     * and MEMORY_MB more */
    long data_kb = 0;
    FILE *st = fopen("/proc/self/status", "r");
    char line[128];
    while (st && fgets(line, sizeof line, st))
        if (sscanf(line, "VmData: %ld kB", &data_kb) == 1)
            break;
    if (st)
        fclose(st);
    struct rlimit mem;
    if (data_kb > 0 && getrlimit(RLIMIT_DATA, &mem) == 0) {
        rlim_t want = ((rlim_t)data_kb + (rlim_t)MEMORY_MB * 1024) * 1024;
        if (mem.rlim_max == RLIM_INFINITY || want < mem.rlim_max) {
            mem.rlim_cur = want;
            setrlimit(RLIMIT_DATA, &mem);
        }
    }
#endif
    /* a fault is the child's death by its signal, whatever handler the process had (a
     * sanitizer's, say): that is what the parent reads */
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
        signal(faults[i], SIG_DFL);
    /* what the plugin prints is not the check's to say */
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
    }
    struct kiosk_plugins p = {.log = NULL};
    say(fd, "stage loading");
    if (t->file) {
        if (kiosk_plugins_load_file(&p, t->file) != 0) {
            say(fd, "refused %s", p.n_refused ? p.refused[0].reason : "cannot load it");
            _exit(0);
        }
        const struct kiosk_plugin *d = &p.loaded[0].desc;
        say(fd, "plugin %u.%u %s|%s", d->abi_version >> 16, d->abi_version & 0xFFFF, d->name,
            d->description ? d->description : "");
    } else {
        for (size_t i = 0; i < t->n_dirs; i++)
            kiosk_plugins_load_dir(&p, t->dirs[i]);
    }
    struct kiosk_slide_conf one = {.name = (char *)"check", .duration_s = 15};
    if (t->slide)
        one = *t->slide;
    else
        one.plugin = (char *)p.loaded[0].desc.name;
    struct kiosk_config c = {.slides = &one, .n_slides = 1, .lang = t->lang};
    struct kiosk_show show;
    say(fd, "stage create()");
    if (kiosk_show_build(&show, &c, &p, NULL) == 0) {
        say(fd, "failed cannot make its slide (%s)",
            show.n_failed ? show.failed[0].why : "out of memory");
        _exit(0);
    }
    kiosk_canvas *canvas = kiosk_canvas_new(TRIAL_W, TRIAL_H, t->fonts);
    if (!canvas) {
        say(fd, "failed no memory for a %dx%d canvas", TRIAL_W, TRIAL_H);
        _exit(0);
    }
    say(fd, "stage render()");
    double t0 = mono_ms();
    kiosk_show_render(&show, 0, canvas, t->snap, 0, (int64_t)time(NULL) * 1000);
    say(fd, "ok %.1f", mono_ms() - t0);
    say(fd, "stage destroy()");
    kiosk_show_free(&show);
    say(fd, "done");
    _exit(0);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGXCPU:
        return "SIGXCPU";
    default:
        return "a signal";
    }
}

int kiosk_check_trial(const struct kiosk_trial *t, struct kiosk_trial_result *r)
{
    memset(r, 0, sizeof *r);
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(r->said, sizeof r->said, "cannot try it: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(r->said, sizeof r->said, "cannot try it: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        trial_child(fds[1], t);
    }
    close(fds[1]);
    /* read the child's lines; every stage has the deadline */
    char buf[4096], stage[64] = "loading", verdict[600] = "";
    size_t used = 0;
    bool hung = false, eof = false;
    double stage_started = mono_ms();
    while (!eof) {
        int left = (int)(t->deadline_s * 1000 - (mono_ms() - stage_started));
        struct pollfd pf = {.fd = fds[0], .events = POLLIN};
        if (left <= 0 || poll(&pf, 1, left) == 0) {
            hung = true;
            kill(pid, SIGKILL);
            break;
        }
        ssize_t n = read(fds[0], buf + used, sizeof buf - 1 - used);
        if (n <= 0) {
            eof = true;
            n = 0;
        }
        used += (size_t)n;
        buf[used] = '\0';
        char *nl;
        while ((nl = strchr(buf, '\n'))) {
            *nl = '\0';
            if (strncmp(buf, "stage ", 6) == 0) {
                snprintf(stage, sizeof stage, "%s", buf + 6);
                stage_started = mono_ms();
            } else if (strncmp(buf, "plugin ", 7) == 0) {
                unsigned major = 0, minor = 0;
                int at = 0;
                if (sscanf(buf + 7, "%u.%u %n", &major, &minor, &at) == 2 && at > 0) {
                    r->abi_major = major;
                    r->abi_minor = minor;
                    char *bar = strchr(buf + 7 + at, '|');
                    if (bar)
                        *bar = '\0';
                    snprintf(r->name, sizeof r->name, "%s", buf + 7 + at);
                    snprintf(r->description, sizeof r->description, "%s", bar ? bar + 1 : "");
                }
            } else if (strcmp(buf, "done") != 0) {
                snprintf(verdict, sizeof verdict, "%s", buf);
            }
            size_t rest = used - (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, rest);
            used = rest;
            buf[used] = '\0';
        }
        if (used == sizeof buf - 1)
            used = 0; /* a line that long is no line of ours */
    }
    close(fds[0]);
    /* the child said its last word; it has the deadline to be gone (a plugin that closed
     * its descriptors and hangs must not hang the check) */
    int status = 0;
    struct rusage ru = {0};
    double waited_from = mono_ms();
    for (;;) {
        pid_t got = wait4(pid, &status, WNOHANG, &ru);
        if (got == pid || (got < 0 && errno != EINTR))
            break;
        if (!hung && mono_ms() - waited_from > t->deadline_s * 1000) {
            hung = true;
            kill(pid, SIGKILL);
        }
        struct timespec nap = {0, 5 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    r->peak_kb = ru.ru_maxrss;
    if (hung) {
        snprintf(r->said, sizeof r->said, "hangs: %s did not return within %.0f s", stage,
                 t->deadline_s);
        return -1;
    }
    if (WIFSIGNALED(status)) {
        snprintf(r->said, sizeof r->said, "crashes in %s: %s (%s)", stage,
                 signal_name(WTERMSIG(status)), strsignal(WTERMSIG(status)));
        return -1;
    }
    if (strncmp(verdict, "refused ", 8) == 0) {
        snprintf(r->said, sizeof r->said, "%s", verdict + 8);
        return -1;
    }
    if (strncmp(verdict, "failed ", 7) == 0) {
        snprintf(r->said, sizeof r->said, "%s", verdict + 7);
        return -1;
    }
    if (strncmp(verdict, "ok ", 3) != 0 || strcmp(stage, "destroy()") != 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        snprintf(r->said, sizeof r->said, "ends the process in %s (exit status %d)", stage,
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    r->render_ms = strtod(verdict + 3, NULL);
    if (r->render_ms > SLOW_MS) {
        snprintf(r->said, sizeof r->said,
                 "is slow: a %dx%d frame took %.0f ms (a slide should draw in well under a "
                 "second)",
                 TRIAL_W, TRIAL_H, r->render_ms);
        return -1;
    }
    snprintf(r->said, sizeof r->said, "drew a %dx%d frame of the demo in %.1f ms, peak %.0f MiB",
             TRIAL_W, TRIAL_H, r->render_ms, (double)r->peak_kb / 1024);
    return 0;
}

int kiosk_trial_kit_open(const char *data_dir, struct kiosk_trial_kit *k)
{
    memset(k, 0, sizeof *k);
    struct kiosk_diags d = {0};
    char demo[4200];
    snprintf(demo, sizeof demo, "%s/demo/demo-vn766.json", data_dir);
    struct kiosk_pipeline_source src = {.arg = demo};
    struct kiosk_read_options ro;
    struct kiosk_score_options so;
    kiosk_read_options_init(&ro);
    kiosk_score_options_init(&so);
    int rc = kiosk_setup_fonts(data_dir, &k->fonts, &d);
    if (rc == 0)
        rc = kiosk_pipeline_run(&src, 1, &ro, NULL, &so, &d, &k->snap);
    kiosk_diags_free(&d);
    if (rc)
        kiosk_trial_kit_close(k);
    return rc;
}

void kiosk_trial_kit_close(struct kiosk_trial_kit *k)
{
    kiosk_snapshot_unref(k->snap);
    kiosk_fonts_close(k->fonts);
    memset(k, 0, sizeof *k);
}
