/* The kiosk's side of a plugin worker: starting it, its requests with their deadline,
 * the shared canvas and snapshot image, its output into the log, and its faults. */
#define _GNU_SOURCE
#include "worker.h"

#include "config/keyvals.h"
#include "services.h"
#include "worker_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the fault policy ---- */

const char *const kiosk_worker_fault_kinds[KIOSK_FAULT_KINDS] = {"crash", "hang", "memory", "exit",
                                                                 "bad_reply"};

/* The kind of a fault from its name (name_status's words, or the caller's). */
static enum kiosk_worker_fault_kind kind_of(const char *what)
{
    if (strncmp(what, "SIG", 3) == 0 || strncmp(what, "signal", 6) == 0)
        return KIOSK_FAULT_CRASH;
    if (strncmp(what, "deadline", 8) == 0 || strncmp(what, "cpu", 3) == 0)
        return KIOSK_FAULT_HANG; /* past its deadline, or its CPU time spent spinning */
    if (strncmp(what, "memory", 6) == 0)
        return KIOSK_FAULT_MEMORY;
    if (strncmp(what, "exit", 4) == 0)
        return KIOSK_FAULT_EXIT;
    return KIOSK_FAULT_BAD_REPLY;
}

int64_t kiosk_fault_record(struct kiosk_fault_policy *f, int64_t now, int64_t quarantine_s)
{
    bool close_to_last = f->count > 0 && now - f->recent[0] < KIOSK_WORKER_FAULT_WINDOW_S;
    for (size_t i = KIOSK_WORKER_FAULTS_TO_QUARANTINE - 1; i > 0; i--)
        f->recent[i] = f->recent[i - 1];
    f->recent[0] = now;
    f->count++;
    if (f->backoff_s == 0 || !close_to_last)
        f->backoff_s = KIOSK_WORKER_BACKOFF_MIN_S;
    else if ((f->backoff_s *= 2) > KIOSK_WORKER_BACKOFF_MAX_S)
        f->backoff_s = KIOSK_WORKER_BACKOFF_MAX_S;
    size_t n =
        f->count < KIOSK_WORKER_FAULTS_TO_QUARANTINE ? f->count : KIOSK_WORKER_FAULTS_TO_QUARANTINE;
    f->quarantined = n == KIOSK_WORKER_FAULTS_TO_QUARANTINE &&
                     now - f->recent[n - 1] < KIOSK_WORKER_FAULT_WINDOW_S;
    f->retry_at =
        now + (f->quarantined ? (quarantine_s > 0 ? quarantine_s : KIOSK_WORKER_QUARANTINE_S)
                              : f->backoff_s);
    if (f->quarantined) /* after a quarantine, a fresh start: three more faults to the next */
        memset(f->recent, 0, sizeof f->recent);
    return f->retry_at;
}

bool kiosk_fault_may_start(const struct kiosk_fault_policy *f, int64_t now)
{
    return now >= f->retry_at;
}

void kiosk_worker_conf_init(struct kiosk_worker_conf *c)
{
    memset(c, 0, sizeof *c);
    c->lang = KIOSK_LANG_CODE_VI;
    c->theme = "dark";
    c->deadline_s = 2;
    c->memory_mb = 256;
    c->cpu_s = 0;
    c->quarantine_s = KIOSK_WORKER_QUARANTINE_S;
    c->sandbox = true;
}

/* ---- the worker ---- */

#define OUT_LINE_MAX 400
#define OUT_LINES_PER_MIN 20

struct wslide {
    char *name;
    struct kiosk_keyvals kv;
    bool created; /* create() succeeded in the running worker */
    /* its own source as the running worker has it */
    bool source_sent;
    uint64_t source_serial;
    char source_error[384];
    int has_content; /* its last answer (1 before any): what is said while the worker draws */
    bool redraw;     /* request_redraw from create(), has_content() or turn_s(), not taken yet */
};

struct kiosk_worker {
    char *file;
    char name[64];
    char description[192];
    uint32_t abi_version, flags;
    const struct kiosk_worker_conf *conf;
    pid_t pid; /* 0: down */
    int sock, out;
    uint32_t seq;
    struct wslide *slides;
    size_t n_slides;
    /* the plugin's output, line by line */
    char line[OUT_LINE_MAX + 1];
    size_t line_len;
    int64_t out_window;
    unsigned out_lines;
    /* the shared canvas */
    int canvas_fd;
    uint8_t *map;
    size_t map_size;
    int cw, ch, stride;
    kiosk_canvas *canvas;
    bool canvas_sent;
    /* the snapshot image the worker has */
    struct kiosk_snapshot *snap_sent;
    bool snap_known; /* snap_sent is what the worker holds (NULL included) */
    /* faults */
    struct kiosk_fault_policy policy;
    struct kiosk_worker_fault fault;
    bool faulted;
    bool started;       /* it came up once: a fault loading it before is a refusal, not a fault */
    bool out_of_memory; /* it said so, dying */
    /* a render asked for ahead of its slide's turn, its reply not read yet */
    bool pending;
    int pending_slide, pending_w, pending_h;
    uint32_t pending_seq;
    int64_t pending_deadline; /* monotonic ms */
    /* its reply, read (kiosk_worker_picture_ready) and not painted yet: the picture is in
     * the shared pages until the next render is asked for */
    bool have_reply;
    int reply_slide, reply_w, reply_h;
    struct kiosk_snapshot *reply_snap; /* snap_sent then: cleared when that changes */
    int64_t reply_at;                  /* monotonic ms */
    struct kiosk_wp_result reply;
};

static int64_t now_s(const struct kiosk_worker *w)
{
    return w->conf->now ? w->conf->now() : (int64_t)time(NULL);
}

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

const char *kiosk_worker_name(const struct kiosk_worker *w)
{
    return w->name[0] ? w->name : w->file;
}

uint32_t kiosk_worker_abi(const struct kiosk_worker *w)
{
    return w->abi_version;
}

const char *kiosk_worker_description(const struct kiosk_worker *w)
{
    return w->description;
}

const char *kiosk_worker_file(const struct kiosk_worker *w)
{
    return w->file;
}

pid_t kiosk_worker_pid(const struct kiosk_worker *w)
{
    return w->pid;
}

const struct kiosk_worker_fault *kiosk_worker_last_fault(const struct kiosk_worker *w)
{
    return w->faulted ? &w->fault : NULL;
}

/* One line of the plugin's output into the log: its name first, control characters
 * escaped, so it cannot pass for a line of the kiosk's; at most 20 a minute. */
static void out_line(struct kiosk_worker *w, const char *s, size_t n)
{
    if (!w->conf->log)
        return;
    int64_t t = mono_ms();
    if (t - w->out_window >= 60000) {
        w->out_window = t;
        w->out_lines = 0;
    }
    if (++w->out_lines > OUT_LINES_PER_MIN) {
        if (w->out_lines == OUT_LINES_PER_MIN + 1)
            fprintf(w->conf->log,
                    "plugin %s: output: more than %d lines a minute: the rest of "
                    "this minute's left out\n",
                    kiosk_worker_name(w), OUT_LINES_PER_MIN);
        return;
    }
    char esc[OUT_LINE_MAX * 4 + 1];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            k += (size_t)snprintf(esc + k, sizeof esc - k, "\\x%02x", c);
        else
            esc[k++] = (char)c;
    }
    esc[k] = '\0';
    fprintf(w->conf->log, "plugin %s: output: %s\n", kiosk_worker_name(w), esc);
}

/* Reads what the worker wrote so far (the pipe is non-blocking). */
static void drain(struct kiosk_worker *w)
{
    if (w->out < 0)
        return;
    char buf[4096];
    for (int rounds = 0; rounds < 64; rounds++) {
        ssize_t n = read(w->out, buf, sizeof buf);
        if (n <= 0)
            return;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || w->line_len == OUT_LINE_MAX) {
                out_line(w, w->line, w->line_len);
                w->line_len = 0;
                if (buf[i] == '\n')
                    continue;
            }
            w->line[w->line_len++] = buf[i];
        }
    }
}

static void closed(struct kiosk_worker *w)
{
    drain(w);
    if (w->line_len)
        out_line(w, w->line, w->line_len);
    w->line_len = 0;
    if (w->sock >= 0)
        close(w->sock);
    if (w->out >= 0)
        close(w->out);
    w->sock = w->out = -1;
    w->pid = 0;
    w->pending = false;
    w->have_reply = false;
    w->out_of_memory = false;
    w->canvas_sent = false;
    if (w->snap_sent)
        kiosk_snapshot_unref(w->snap_sent);
    w->snap_sent = NULL;
    w->snap_known = false;
    for (size_t i = 0; i < w->n_slides; i++) {
        w->slides[i].created = false;
        w->slides[i].source_sent = false; /* a new worker has none of it */
    }
}

/* How a worker's process ended, in status.json's words: "memory 256 MiB" (its own notice
 * came first), "cpu 3600 s", SIGSEGV, "exit 0"; "" when it ended with exit 0 and clean
 * is true. */
static void name_status(const struct kiosk_worker *w, int st, bool clean, char *out, size_t size)
{
    out[0] = '\0';
    if (WIFSIGNALED(st) && w->out_of_memory)
        snprintf(out, size, "memory %u MiB", w->conf->memory_mb);
    else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU)
        snprintf(out, size, "cpu %u s", w->conf->cpu_s);
    else if (WIFSIGNALED(st) && sigabbrev_np(WTERMSIG(st)))
        snprintf(out, size, "SIG%s", sigabbrev_np(WTERMSIG(st)));
    else if (WIFSIGNALED(st))
        snprintf(out, size, "signal %d", WTERMSIG(st));
    else if (WIFEXITED(st) && !(clean && WEXITSTATUS(st) == 0))
        snprintf(out, size, "exit %d", WEXITSTATUS(st));
}

/* Ends a worker that went wrong: its status (a signal, an exit) named unless the fault is
 * already named (a deadline, a bad reply), one log line, and its backoff. */
static void fault(struct kiosk_worker *w, int slide, const char *call, const char *what)
{
    char named[64];
    snprintf(named, sizeof named, "%s", what ? what : "");
    int st = 0;
    pid_t r = 0;
    if (w->pid > 0) {
        if (!what) /* it hung up: give it a moment to be reaped as what it died of */
            for (int i = 0; i < 100 && (r = waitpid(w->pid, &st, WNOHANG)) == 0; i++)
                usleep(2000);
        if (r == 0) {
            kill(w->pid, SIGKILL);
            while ((r = waitpid(w->pid, &st, 0)) < 0 && errno == EINTR)
                ;
            if (!named[0])
                snprintf(named, sizeof named, "bad reply");
        } else if (!named[0] && r > 0) {
            name_status(w, st, false, named, sizeof named);
        }
        if (!named[0])
            snprintf(named, sizeof named, "bad reply");
    }
    closed(w);
    int64_t now = now_s(w);
    kiosk_fault_record(&w->policy, now, w->conf->quarantine_s);
    w->faulted = true;
    struct kiosk_worker_fault *f = &w->fault;
    snprintf(f->what, sizeof f->what, "%s", named);
    snprintf(f->slide, sizeof f->slide, "%s",
             slide >= 0 && (size_t)slide < w->n_slides ? w->slides[slide].name : "");
    snprintf(f->call, sizeof f->call, "%s", call);
    f->count = w->policy.count;
    f->by_kind[kind_of(f->what)]++;
    f->at = now;
    f->back_at = w->policy.retry_at;
    f->quarantined = w->policy.quarantined;
    if (w->conf->log && w->started) {
        time_t t = (time_t)f->back_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        fprintf(w->conf->log,
                "plugin %s: fault %u: %s in %s()%s%s: its slides are out of the rotation; %s "
                "%04d-%02d-%02d %02d:%02d:%02d UTC\n",
                kiosk_worker_name(w), f->count, f->what, f->call, f->slide[0] ? " of slide " : "",
                f->slide, f->quarantined ? "quarantined until" : "started again at",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        fflush(w->conf->log);
    }
}

/* Waits, within the deadline, for the reply to request seq: 0 with r filled, or -1 (the
 * fault recorded). */
static int await_until(struct kiosk_worker *w, uint16_t type, uint32_t slide, uint32_t seq,
                       const char *call, void *reply, size_t reply_size, int64_t deadline)
{
    static _Alignas(8) unsigned char buf[KIOSK_WP_MAX];
    for (;;) {
        /* a reply already there is taken even past the deadline (asked for ahead, it was
         * in time; it is read late) */
        int64_t left = deadline - mono_ms();
        if (left < 0)
            left = 0;
        struct pollfd p[2] = {{.fd = w->sock, .events = POLLIN}, {.fd = w->out, .events = POLLIN}};
        int n = poll(p, 2, (int)(left < 100 ? left : 100));
        if (w->conf->waiting)
            w->conf->waiting(w->conf->waiting_ctx);
        if (n < 0 && errno != EINTR) {
            fault(w, (int)slide, call, "bad reply");
            return -1;
        }
        if (n > 0 && p[1].revents)
            drain(w);
        bool reply_there = n > 0 && p[0].revents;
        if (left == 0 && !reply_there) {
            char what[64];
            snprintf(what, sizeof what, "deadline %g s", w->conf->deadline_s);
            fault(w, (int)slide, call, what);
            return -1;
        }
        if (!reply_there)
            continue;
        int fd;
        long got = kiosk_wp_recv(w->sock, buf, &fd);
        if (fd >= 0)
            close(fd); /* a worker sends no fds */
        const struct kiosk_wp_header *h = (const void *)buf;
        if (got == 0) { /* it hung up: it died, or closed its socket */
            fault(w, (int)slide, call, NULL);
            return -1;
        }
        if (got == (long)sizeof *h && fd < 0 && h->type == KIOSK_WP_OUT_OF_MEMORY) {
            w->out_of_memory = true; /* its death follows */
            continue;
        }
        if (got < 0 || fd >= 0 || h->type != type || h->slide != slide || h->seq != seq ||
            h->size != reply_size) {
            fault(w, (int)slide, call, "bad reply");
            return -1;
        }
        memcpy(reply, buf + sizeof *h, reply_size);
        drain(w);
        return 0;
    }
}

static int await(struct kiosk_worker *w, uint16_t type, uint32_t slide, uint32_t seq,
                 const char *call, void *reply, size_t reply_size)
{
    return await_until(w, type, slide, seq, call, reply, reply_size,
                       mono_ms() + (int64_t)(w->conf->deadline_s * 1000));
}

/* The reply to the render asked for ahead, within its deadline (from when it was asked):
 * 0 with r, or -1 (the fault recorded). */
static int collect(struct kiosk_worker *w, struct kiosk_wp_result *r)
{
    w->pending = false;
    return await_until(w, KIOSK_WP_RENDER, (uint32_t)w->pending_slide, w->pending_seq, "render", r,
                       sizeof *r, w->pending_deadline);
}

/* The reply to the picture asked for, read (within what is left of its deadline) and kept
 * for its slide: 0, or -1 (the fault recorded). */
static int keep_pending(struct kiosk_worker *w)
{
    int slide = w->pending_slide, pw = w->pending_w, ph = w->pending_h;
    if (collect(w, &w->reply))
        return -1;
    w->have_reply = true;
    w->reply_slide = slide;
    w->reply_w = pw;
    w->reply_h = ph;
    w->reply_snap = w->snap_sent;
    w->reply_at = mono_ms();
    return 0;
}

static int request(struct kiosk_worker *w, uint16_t type, int slide, const char *call,
                   const void *payload, size_t size, int fd, struct kiosk_wp_result *r)
{
    if (w->pid <= 0)
        return -1;
    if (w->pending && keep_pending(w)) /* one request at a time: the picture kept */
        return -1;
    if (type == KIOSK_WP_RENDER)
        w->have_reply = false; /* its picture is drawn over from now */
    uint32_t seq = ++w->seq;
    if (kiosk_wp_send(w->sock, type, (uint32_t)slide, seq, payload, size, fd)) {
        fault(w, slide, call, NULL);
        return -1;
    }
    return await(w, type, (uint32_t)slide, seq, call, r, sizeof *r);
}

#if defined(__SANITIZE_ADDRESS__)
#define KIOSK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIOSK_UNDER_ASAN 1
#endif
#endif

extern char **environ;

/* The worker's environment: the kiosk's. Under the sanitizer, a worker's crash must
 * still be its signal (not the sanitizer's report and exit), and the leak check, which
 * traces the process, is what its filter refuses. */
static char **worker_env(char *asan, size_t size)
{
#ifdef KIOSK_UNDER_ASAN
    static char *env[512];
    size_t n = 0;
    const char *old = getenv("ASAN_OPTIONS");
    snprintf(asan, size, "ASAN_OPTIONS=%s%shandle_segv=0:handle_sigbus=0:detect_leaks=0",
             old ? old : "", old && old[0] ? ":" : "");
    for (char **e = environ; *e && n < 510; e++)
        if (strncmp(*e, "ASAN_OPTIONS=", 13) != 0)
            env[n++] = *e;
    env[n++] = asan;
    env[n] = NULL;
    return env;
#else
    (void)asan;
    (void)size;
    return environ;
#endif
}

/* Spawns the worker and reads its HELLO; 0, or -1 with the fault recorded (or why). */
static int spawn(struct kiosk_worker *w, char *why, size_t why_size)
{
    int sv[2], out[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
        return -1;
    if (pipe2(out, O_CLOEXEC)) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    const char *exe = w->conf->exe ? w->conf->exe : "/proc/self/exe";
    char mem[24], cpu[24];
    snprintf(mem, sizeof mem, "%u", w->conf->memory_mb);
    snprintf(cpu, sizeof cpu, "%u", w->conf->cpu_s);
    const char *argv[] = {"kiosk",
                          "plugin-worker",
                          "--fonts",
                          w->conf->fonts_dir ? w->conf->fonts_dir : ".",
                          "--lang",
                          w->conf->lang == KIOSK_LANG_CODE_EN ? "en" : "vi",
                          "--theme",
                          w->conf->theme ? w->conf->theme : "dark",
                          "--timezone",
                          w->conf->timezone ? w->conf->timezone : "",
                          "--memory",
                          mem,
                          "--cpu",
                          cpu,
                          w->conf->sandbox ? "--sandbox" : "--no-sandbox",
                          w->file,
                          NULL};
    char asan[1024], cannot[600];
    char **env = worker_env(asan, sizeof asan);
    snprintf(cannot, sizeof cannot, "cannot start the kiosk program %s for it (", exe);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) { /* only async-signal-safe calls from here to exec */
        int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0 ||
            dup2(sv[1], 3) < 0)
            _exit(126);
        if (sv[1] == 3)
            fcntl(3, F_SETFD, 0);
        closefrom(4);
        /* it ends with the kiosk, even spinning in a plugin's loop */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* nothing of the kiosk's signal handling: no signal blocked, none ignored */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        for (int sig = 1; sig < NSIG; sig++)
            if (sig != SIGKILL && sig != SIGSTOP)
                sigaction(sig, &dfl, NULL);
        execve(exe, (char *const *)argv, env);
        /* said with write() alone: the errno's name (from glibc's constant table) after
         * the words made before the fork */
        const char *e = strerrorname_np(errno);
        if (write(1, cannot, strlen(cannot)) >= 0 && write(1, e ? e : "?", e ? strlen(e) : 1) >= 0)
            (void)!write(1, ")\n", 2);
        _exit(127);
    }
    close(sv[1]);
    close(out[1]);
    if (pid < 0) {
        close(sv[0]);
        close(out[0]);
        snprintf(why, why_size, "cannot start its worker: %s", strerror(errno));
        return -1;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    w->pid = pid;
    w->sock = sv[0];
    w->out = out[0];
    w->seq = 0;
    struct kiosk_wp_hello hello;
    if (await(w, KIOSK_WP_HELLO, 0, 0, "load", &hello, sizeof hello))
        return -1;
    if (!memchr(hello.name, '\0', sizeof hello.name) || !hello.name[0] ||
        (w->name[0] && strcmp(w->name, hello.name) != 0)) {
        fault(w, -1, "load", "bad reply");
        return -1;
    }
    snprintf(w->name, sizeof w->name, "%s", hello.name);
    w->flags = hello.flags;
    w->abi_version = hello.abi_version;
    if (memchr(hello.description, '\0', sizeof hello.description))
        memcpy(w->description, hello.description, sizeof w->description);
    return 0;
}

int kiosk_worker_start(struct kiosk_worker **out, const char *file,
                       const struct kiosk_worker_conf *conf, char *why, size_t why_size)
{
    *out = NULL;
    struct kiosk_worker *w = calloc(1, sizeof *w);
    if (!w || !(w->file = strdup(file))) {
        free(w);
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    w->conf = conf;
    w->sock = w->out = w->canvas_fd = -1;
    why[0] = '\0';
    if (spawn(w, why, why_size)) {
        if (!why[0] && w->faulted)
            snprintf(why, why_size, "its worker failed loading it: %s%s", w->fault.what,
                     strcmp(w->fault.what, "exit 3") == 0 || strcmp(w->fault.what, "exit 127") == 0
                         ? " (the line above says why)"
                         : "");
        kiosk_worker_free(w);
        return -1;
    }
    w->started = true;
    *out = w;
    return 0;
}

/* The CREATE payload: the slide's name, then its keys and values, each ended. */
static int create(struct kiosk_worker *w, int id, int *create_rc)
{
    static char buf[KIOSK_WP_MAX];
    const struct wslide *sl = &w->slides[id];
    size_t n = 0, room = KIOSK_WP_MAX - sizeof(struct kiosk_wp_header);
    const char *parts[2];
    size_t len = strlen(sl->name) + 1;
    if (len > room)
        return -1;
    memcpy(buf, sl->name, len);
    n = len;
    for (size_t i = 0; i < sl->kv.n; i++) {
        parts[0] = sl->kv.keys[i];
        parts[1] = sl->kv.values[i];
        for (int k = 0; k < 2; k++) {
            len = strlen(parts[k]) + 1;
            if (n + len > room) {
                *create_rc = -1000; /* settings too long to send: the slide fails */
                return 0;
            }
            memcpy(buf + n, parts[k], len);
            n += len;
        }
    }
    struct kiosk_wp_result r;
    if (request(w, KIOSK_WP_CREATE, id, "create", buf, n, -1, &r))
        return -1;
    *create_rc = r.value;
    w->slides[id].created = r.value == 0;
    w->slides[id].has_content = 1;
    w->slides[id].redraw = r.value == 0 && (r.flags & KIOSK_WP_REPLY_REDRAW);
    return 0;
}

int kiosk_worker_add_slide(struct kiosk_worker *w, const char *name, const struct kiosk_keyvals *kv,
                           int *create_rc)
{
    *create_rc = -1;
    if (w->n_slides == KIOSK_WP_MAX_SLIDES || w->pid <= 0)
        return -1;
    struct wslide *grown = realloc(w->slides, (w->n_slides + 1) * sizeof *grown);
    if (!grown)
        return -1;
    w->slides = grown;
    struct wslide *sl = &w->slides[w->n_slides];
    memset(sl, 0, sizeof *sl);
    if (!(sl->name = strdup(name)) || kiosk_keyvals_copy(&sl->kv, kv)) {
        free(sl->name);
        return -1;
    }
    int id = (int)w->n_slides++;
    if (create(w, id, create_rc))
        return -1;
    return id;
}

bool kiosk_worker_ready(struct kiosk_worker *w)
{
    if (w->pid > 0)
        return true;
    if (!kiosk_fault_may_start(&w->policy, now_s(w)))
        return false;
    char why[256];
    if (spawn(w, why, sizeof why))
        return false;
    for (size_t i = 0; i < w->n_slides; i++) {
        int rc;
        if (create(w, (int)i, &rc))
            return false;
    }
    if (w->conf->log)
        fprintf(w->conf->log, "plugin %s: its worker started again (pid %d)\n",
                kiosk_worker_name(w), (int)w->pid);
    return true;
}

/* The worker holds snap (the image sent when it is new to it). */
static int give_snapshot(struct kiosk_worker *w, int slide, struct kiosk_snapshot *snap)
{
    if (w->snap_known && w->snap_sent == snap)
        return 0;
    int fd = -1;
    struct kiosk_wp_snapshot m = {0};
    if (snap && kiosk_snapimage_write(snap, &fd, &m.size))
        return -1;
    struct kiosk_wp_result r;
    int rc = request(w, KIOSK_WP_SNAPSHOT, slide, "snapshot", &m, sizeof m, fd, &r);
    if (fd >= 0)
        close(fd);
    if (rc)
        return -1;
    if (w->snap_sent)
        kiosk_snapshot_unref(w->snap_sent);
    w->snap_sent = snap ? kiosk_snapshot_ref(snap) : NULL;
    w->snap_known = true;
    w->have_reply = false; /* a kept picture is of the data before */
    return 0;
}

static bool usable(struct kiosk_worker *w, int slide);

static int write_all(int fd, const void *bytes, size_t size)
{
    const char *p = bytes;
    while (size) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

int kiosk_worker_give_source(struct kiosk_worker *w, int slide, const struct kiosk_host_source *src)
{
    if (!src->url)
        return 0;
    if (!usable(w, slide))
        return -1;
    struct wslide *ws = &w->slides[slide];
    if (ws->source_sent && ws->source_serial == src->serial &&
        strcmp(ws->source_error, src->error) == 0)
        return 0;
    if (w->pending)
        return 0; /* given once the picture being drawn is in: never waited for here */
    struct kiosk_wp_source m = {.serial = src->serial, .fetched_unix = src->fetched_unix};
    snprintf(m.error, sizeof m.error, "%s", src->error);
    int fd = -1;
    if (src->bytes && src->size) {
        /* sealed: the worker reads what the kiosk wrote, and nothing else can change it */
        fd = memfd_create("kiosk-source", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0 || write_all(fd, src->bytes, src->size) ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
        m.size = src->size;
    }
    struct kiosk_wp_result r;
    int rc = request(w, KIOSK_WP_SOURCE, slide, "source", &m, sizeof m, fd, &r);
    if (fd >= 0)
        close(fd);
    if (rc)
        return -1;
    ws->source_sent = true;
    ws->source_serial = src->serial;
    snprintf(ws->source_error, sizeof ws->source_error, "%s", src->error);
    if (w->have_reply && w->reply_slide == slide)
        w->have_reply = false; /* drawn before these bytes */
    return 0;
}

/* The shared canvas, of width x height, known to the worker. */
static int give_canvas(struct kiosk_worker *w, int slide, int width, int height,
                       kiosk_color background, kiosk_canvas *fonts_of)
{
    if (w->canvas && w->cw == width && w->ch == height && w->canvas_sent)
        return 0;
    if (!w->canvas || w->cw != width || w->ch != height) {
        w->have_reply = false; /* its picture goes with the pages */
        if (w->map)
            munmap(w->map, w->map_size);
        if (w->canvas_fd >= 0)
            close(w->canvas_fd);
        kiosk_canvas_free(w->canvas);
        w->map = NULL;
        w->canvas = NULL;
        w->stride = width * 4;
        w->map_size = (size_t)w->stride * (size_t)height;
        w->canvas_fd = memfd_create("kiosk-canvas", MFD_CLOEXEC);
        if (w->canvas_fd < 0 || ftruncate(w->canvas_fd, (off_t)w->map_size))
            return -1;
        w->map = mmap(NULL, w->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, w->canvas_fd, 0);
        if (w->map == MAP_FAILED) {
            w->map = NULL;
            return -1;
        }
        (void)fonts_of;
        w->canvas = kiosk_canvas_new_bound(width, height, NULL);
        if (!w->canvas)
            return -1;
        w->cw = width;
        w->ch = height;
    }
    struct kiosk_wp_canvas m = {
        .width = width, .height = height, .stride = w->stride, .background = background};
    struct kiosk_wp_result r;
    if (request(w, KIOSK_WP_CANVAS, slide, "canvas", &m, sizeof m, w->canvas_fd, &r))
        return -1;
    w->canvas_sent = true;
    return 0;
}

static struct kiosk_wp_frame wire_frame(int width, int height, const struct kiosk_frame *f)
{
    return (struct kiosk_wp_frame){.width = width,
                                   .height = height,
                                   .body_height = f->height,
                                   .has_data = f->data != NULL,
                                   .elapsed_ms = isfinite(f->elapsed_ms) ? f->elapsed_ms : 0,
                                   .scale = f->scale,
                                   .now_unix_ms = f->now_unix_ms};
}

static bool usable(struct kiosk_worker *w, int slide)
{
    return slide >= 0 && (size_t)slide < w->n_slides && kiosk_worker_ready(w) &&
           w->slides[slide].created;
}

int kiosk_worker_has_content(struct kiosk_worker *w, int slide, int width, int height,
                             const struct kiosk_frame *f, struct kiosk_snapshot *snap)
{
    if (!usable(w, slide))
        return -1;
    if (!(w->flags & KIOSK_WP_HAS_HAS_CONTENT))
        return 1;
    if (w->pending || (w->have_reply && w->reply_slide == slide && w->reply_snap == snap))
        return w->slides[slide].has_content; /* its last answer: the worker is drawing */
    struct kiosk_wp_frame m = wire_frame(width, height, f);
    struct kiosk_wp_result r;
    if (give_snapshot(w, slide, snap) ||
        request(w, KIOSK_WP_HAS_CONTENT, slide, "has_content", &m, sizeof m, -1, &r))
        return -1;
    if (r.value != 0 && r.value != 1) {
        fault(w, slide, "has_content", "bad reply");
        return -1;
    }
    w->slides[slide].has_content = r.value;
    w->slides[slide].redraw |= (r.flags & KIOSK_WP_REPLY_REDRAW) != 0;
    return r.value;
}

int kiosk_worker_turn_s(struct kiosk_worker *w, int slide, int width, int height,
                        const struct kiosk_frame *f, struct kiosk_snapshot *snap, double *out)
{
    *out = 0;
    if (!usable(w, slide))
        return -1;
    if (!(w->flags & KIOSK_WP_HAS_TURN_S) || w->pending)
        return 0; /* none, or not now: the worker is drawing (the slide's own duration) */
    struct kiosk_wp_frame m = wire_frame(width, height, f);
    struct kiosk_wp_result r;
    if (give_snapshot(w, slide, snap) ||
        request(w, KIOSK_WP_TURN_S, slide, "turn_s", &m, sizeof m, -1, &r))
        return -1;
    *out = isfinite(r.number) ? r.number : 0;
    w->slides[slide].redraw |= (r.flags & KIOSK_WP_REPLY_REDRAW) != 0;
    return 0;
}

bool kiosk_worker_take_redraw(struct kiosk_worker *w, int slide)
{
    if (slide < 0 || (size_t)slide >= w->n_slides || !w->slides[slide].redraw)
        return false;
    w->slides[slide].redraw = false;
    return true;
}

static bool pending_for(const struct kiosk_worker *w, int slide, int width, int height,
                        const struct kiosk_snapshot *snap)
{
    return w->pending && w->pending_slide == slide && w->pending_w == width &&
           w->pending_h == height && w->snap_sent == snap;
}

/* Whether the worker's reply is there to read, within wait_ms. */
static bool reply_there(struct kiosk_worker *w, int wait_ms)
{
    struct pollfd p = {.fd = w->sock, .events = POLLIN};
    return poll(&p, 1, wait_ms) > 0;
}

int kiosk_worker_picture_ready(struct kiosk_worker *w, int slide, int width, int height,
                               kiosk_color background, const struct kiosk_frame *f,
                               struct kiosk_snapshot *snap, int wait_ms)
{
    if (!usable(w, slide))
        return -1;
    if (w->have_reply && w->reply_slide == slide && w->reply_w == width && w->reply_h == height &&
        w->reply_snap == snap)
        return 1;
    if (w->pending && !pending_for(w, slide, width, height, snap)) {
        /* busy with another picture (or this one for other data): it is read, and kept,
         * only once it is there or past its deadline */
        if (!reply_there(w, 0) && mono_ms() < w->pending_deadline)
            return 0;
        if (keep_pending(w))
            return -1;
    }
    /* another slide's picture, kept for its turn (asked for ahead): drawn over only when
     * it has waited twice the deadline, so that slide comes when its turn does */
    if (w->have_reply && w->reply_slide != slide &&
        mono_ms() - w->reply_at < (int64_t)(2000 * w->conf->deadline_s))
        return 0;
    if (!w->pending && kiosk_worker_render_ahead(w, slide, width, height, background, f, snap) != 0)
        return -1;
    if (!reply_there(w, wait_ms) && mono_ms() < w->pending_deadline)
        return 0; /* late: asked again later, the deadline still counted from the asking */
    return keep_pending(w) ? -1 : 1;
}

int kiosk_worker_render(struct kiosk_worker *w, int slide, kiosk_canvas *dst,
                        kiosk_color background, const struct kiosk_frame *f,
                        struct kiosk_snapshot *snap, int *hint)
{
    if (!usable(w, slide))
        return -1;
    int width = kiosk_canvas_width(dst), height = kiosk_canvas_height(dst);
    struct kiosk_wp_frame m = wire_frame(width, height, f);
    struct kiosk_wp_result r;
    if (w->have_reply && w->reply_slide == slide && w->reply_w == width && w->reply_h == height &&
        w->reply_snap == snap) {
        r = w->reply; /* read already: no wait at all */
        w->have_reply = false;
    } else if (pending_for(w, slide, width, height, snap)) {
        if (collect(w, &r)) /* asked for ahead: only what is left of its deadline */
            return -1;
    } else if (give_canvas(w, slide, width, height, background, dst) || w->pid <= 0 ||
               give_snapshot(w, slide, snap) ||
               request(w, KIOSK_WP_RENDER, slide, "render", &m, sizeof m, -1, &r)) {
        return -1;
    }
    *hint = r.flags & KIOSK_WP_REPLY_REDRAW ? KIOSK_REDRAW_NOW : r.value; /* request_redraw */
    /* the picture is in the shared pages: a surface on them, painted onto dst */
    if (kiosk_canvas_bind(w->canvas, w->map, w->stride) == 0) {
        kiosk_canvas_blend(dst, w->canvas, 0, 0, 1.0f);
        kiosk_canvas_unbind(w->canvas);
    }
    return 0;
}

int kiosk_worker_render_ahead(struct kiosk_worker *w, int slide, int width, int height,
                              kiosk_color background, const struct kiosk_frame *f,
                              struct kiosk_snapshot *snap)
{
    if (w->pending)
        return 0; /* one at a time */
    if (!usable(w, slide))
        return -1;
    struct kiosk_wp_frame m = wire_frame(width, height, f);
    if (give_canvas(w, slide, width, height, background, NULL) || w->pid <= 0 ||
        give_snapshot(w, slide, snap))
        return -1;
    uint32_t seq = ++w->seq;
    w->have_reply = false;
    if (kiosk_wp_send(w->sock, KIOSK_WP_RENDER, (uint32_t)slide, seq, &m, sizeof m, -1)) {
        fault(w, slide, "render", NULL);
        return -1;
    }
    w->pending = true;
    w->pending_slide = slide;
    w->pending_w = width;
    w->pending_h = height;
    w->pending_seq = seq;
    w->pending_deadline = mono_ms() + (int64_t)(w->conf->deadline_s * 1000);
    return 0;
}

bool kiosk_worker_pending(const struct kiosk_worker *w, int slide)
{
    return w->pending && w->pending_slide == slide;
}

/* Hangs up, which asks the worker to destroy its slides and end; one that does not within
 * the deadline is killed. 0 with its status, or -1 when it had to be killed. */
static int hang_up(struct kiosk_worker *w, int *st)
{
    shutdown(w->sock, SHUT_WR);
    int64_t until = mono_ms() + (int64_t)(w->conf->deadline_s * 1000);
    pid_t r;
    while ((r = waitpid(w->pid, st, WNOHANG)) == 0 && mono_ms() < until) {
        drain(w);
        usleep(2000);
    }
    if (r == 0) {
        kill(w->pid, SIGKILL);
        waitpid(w->pid, st, 0);
        return -1;
    }
    return 0;
}

int kiosk_worker_end(struct kiosk_worker *w, char *what, size_t size)
{
    what[0] = '\0';
    if (w->pid <= 0)
        return 0;
    int st = 0;
    if (hang_up(w, &st) != 0)
        snprintf(what, size, "deadline %g s", w->conf->deadline_s);
    else
        name_status(w, st, true, what, size);
    closed(w);
    return what[0] ? -1 : 0;
}

void kiosk_worker_free(struct kiosk_worker *w)
{
    if (!w)
        return;
    int st;
    if (w->pid > 0)
        hang_up(w, &st);
    closed(w);
    for (size_t i = 0; i < w->n_slides; i++) {
        free(w->slides[i].name);
        kiosk_keyvals_free(&w->slides[i].kv);
    }
    free(w->slides);
    if (w->map)
        munmap(w->map, w->map_size);
    if (w->canvas_fd >= 0)
        close(w->canvas_fd);
    kiosk_canvas_free(w->canvas);
    free(w->file);
    free(w);
}
