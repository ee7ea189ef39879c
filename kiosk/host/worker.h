/* Plugin workers: a plugin file loaded in a process of its own (the kiosk's own binary,
 * exec'd as `kiosk plugin-worker`, with nothing but its socket, its output pipe and
 * /dev/null), serving every slide of that plugin. The worker draws into a canvas in
 * shared memory the kiosk made (memfd) and reads the scored snapshot from a sealed,
 * read-only image the kiosk writes once per snapshot (scored again in the worker, the
 * scoring being deterministic), through the very services the kiosk's own process hands
 * out. Requests and replies go over a SOCK_SEQPACKET socketpair, checked on receipt on
 * both sides (worker_proto.h).
 *
 * Every request has a deadline. A worker that crashes (any signal), exits, misses its
 * deadline or sends a reply that is not one is killed, its slides are out of the
 * rotation, and it is started again after a backoff (1 s, doubling to 5 min); the third
 * fault within 10 minutes quarantines the plugin (an hour by default). Each fault is one
 * log line; what the plugin writes on stdout and stderr goes to the log line by line,
 * prefixed with its name, control characters escaped, at most 20 lines a minute. */
#ifndef KIOSK_HOST_WORKER_H
#define KIOSK_HOST_WORKER_H

#include "core/score.h"
#include "kiosk/plugin.h"
#include "render/canvas.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct kiosk_keyvals;

/* The fault policy, apart from any process, for a fake clock. Times are wall-clock
 * seconds. */
#define KIOSK_WORKER_BACKOFF_MIN_S 1
#define KIOSK_WORKER_BACKOFF_MAX_S 300
#define KIOSK_WORKER_FAULT_WINDOW_S 600
#define KIOSK_WORKER_FAULTS_TO_QUARANTINE 3
#define KIOSK_WORKER_QUARANTINE_S 3600

struct kiosk_fault_policy {
    int64_t recent[KIOSK_WORKER_FAULTS_TO_QUARANTINE]; /* the last faults, newest first */
    unsigned count;                                    /* faults in all */
    int64_t backoff_s;                                 /* the last wait */
    int64_t retry_at;                                  /* when it may start again */
    bool quarantined;                                  /* that wait is a quarantine */
};

/* Records a fault at now; returns when the worker may start again: the backoff doubles
 * from 1 s to 5 min for faults less than the window apart, and the third fault within
 * the window quarantines it for quarantine_s. */
int64_t kiosk_fault_record(struct kiosk_fault_policy *f, int64_t now, int64_t quarantine_s);
/* Whether the worker may be started at now. */
bool kiosk_fault_may_start(const struct kiosk_fault_policy *f, int64_t now);

struct kiosk_worker_conf {
    const char *exe;       /* the kiosk binary; NULL: /proc/self/exe */
    const char *fonts_dir; /* the font manifest's folder */
    enum kiosk_lang_code lang;
    const char *theme;    /* dark, light */
    const char *timezone; /* the screen's (TZ), for format_time; NULL: the kiosk's */
    double deadline_s;    /* for every reply (render_deadline_s: 2) */
    unsigned memory_mb;   /* RLIMIT_AS (worker_memory_mb: 256); 0: none */
    unsigned cpu_s;       /* RLIMIT_CPU; 0: none */
    int64_t quarantine_s; /* 0: KIOSK_WORKER_QUARANTINE_S */
    bool sandbox;         /* the system call filter (kiosk_worker_sandbox) */
    FILE *log;
    int64_t (*now)(void); /* wall-clock seconds; NULL: time() */
    /* Called every 100 ms while a reply is awaited (the wait is bounded by the deadline,
     * the kiosk is not hung): the screen feeds systemd's watchdog from it. NULL: none. */
    void (*waiting)(void *ctx);
    void *waiting_ctx;
};

/* The defaults above. */
void kiosk_worker_conf_init(struct kiosk_worker_conf *c);

/* The kinds of a worker's fault, for counting: a signal (crash), past its deadline or
 * its CPU time (hang), out of memory, an exit, a reply that is not one (bad_reply). */
enum kiosk_worker_fault_kind {
    KIOSK_FAULT_CRASH,
    KIOSK_FAULT_HANG,
    KIOSK_FAULT_MEMORY,
    KIOSK_FAULT_EXIT,
    KIOSK_FAULT_BAD_REPLY,
    KIOSK_FAULT_KINDS
};
/* "crash", "hang", "memory", "exit", "bad_reply" (metrics' label values). */
extern const char *const kiosk_worker_fault_kinds[KIOSK_FAULT_KINDS];

/* The last fault of a worker, as status.json says it. */
struct kiosk_worker_fault {
    char what[64];  /* SIGSEGV, "deadline 2 s", "exit 0", "bad reply", ... */
    char slide[64]; /* the slide being served, or "" (loading, between calls) */
    char call[16];  /* render, create, has_content, turn_s, load */
    unsigned count; /* faults so far */
    unsigned by_kind[KIOSK_FAULT_KINDS]; /* of them, by kind: they only grow */
    int64_t at;                          /* when */
    int64_t back_at;                     /* when its slides come back (a start is tried) */
    bool quarantined;
};

struct kiosk_worker;

/* Starts a worker for a plugin file and waits (within the deadline) for it to say the
 * plugin is loaded. 0 with *out, or -1 with why (its worker's death, "exit 3": refused,
 * the line above says why). conf's strings must outlive the worker. */
int kiosk_worker_start(struct kiosk_worker **out, const char *file,
                       const struct kiosk_worker_conf *conf, char *why, size_t why_size);
/* The plugin's name, as its descriptor says, and the file. */
const char *kiosk_worker_name(const struct kiosk_worker *w);
const char *kiosk_worker_file(const struct kiosk_worker *w);
/* The plugin's ABI version and description (maybe ""), as it said them when loaded. */
uint32_t kiosk_worker_abi(const struct kiosk_worker *w);
const char *kiosk_worker_description(const struct kiosk_worker *w);
pid_t kiosk_worker_pid(const struct kiosk_worker *w);

/* Makes a slide in the worker (its create() with the settings kv, copied): the slide's
 * number, with *create_rc the result of create(); -1 when the worker faulted. */
int kiosk_worker_add_slide(struct kiosk_worker *w, const char *name, const struct kiosk_keyvals *kv,
                           int *create_rc);

/* Whether the worker can serve now: running, or started again now that its backoff or
 * quarantine is over (its slides made again). False while it is down. */
bool kiosk_worker_ready(struct kiosk_worker *w);

/* The slide's calls, on a canvas of width x height for frame f (f->data is the snapshot
 * snap, or NULL). Each fails (-1, or false) when the worker is down or faults, which the
 * worker's fault then says. has_content: 1 or 0. render: the picture drawn into dst
 * (of that size), 0 with *hint. */
int kiosk_worker_has_content(struct kiosk_worker *w, int slide, int width, int height,
                             const struct kiosk_frame *f, struct kiosk_snapshot *snap);
int kiosk_worker_turn_s(struct kiosk_worker *w, int slide, int width, int height,
                        const struct kiosk_frame *f, struct kiosk_snapshot *snap, double *out);
int kiosk_worker_render(struct kiosk_worker *w, int slide, kiosk_canvas *dst,
                        kiosk_color background, const struct kiosk_frame *f,
                        struct kiosk_snapshot *snap, int *hint);
/* True once after the plugin called request_redraw in create(), has_content() or turn_s()
 * of slide (from render() it is the hint kiosk_worker_render gives). */
bool kiosk_worker_take_redraw(struct kiosk_worker *w, int slide);

/* Asks for slide's picture ahead of its turn, without waiting: the next call for the
 * slide (kiosk_worker_render on a canvas of that size, for the same snapshot) takes the
 * picture, waiting only for what is left of the deadline counted from now; any other
 * call first reads the reply and drops it. 0, or -1 when the worker is down or faults.
 * One at a time: while one is asked for, this does nothing. */
int kiosk_worker_render_ahead(struct kiosk_worker *w, int slide, int width, int height,
                              kiosk_color background, const struct kiosk_frame *f,
                              struct kiosk_snapshot *snap);
/* Whether slide's picture (on a canvas of that size, for that snapshot) can be painted
 * now without waiting: 1 (its reply is in: kiosk_worker_render takes it at once), 0 (not
 * within wait_ms: late, ask again; the deadline counts from when it was first asked for),
 * or -1 (the worker is down or faulted). Asks for it when it was not asked for ahead; a
 * picture of another slide still being drawn is waited for no more than this one. */
int kiosk_worker_picture_ready(struct kiosk_worker *w, int slide, int width, int height,
                               kiosk_color background, const struct kiosk_frame *f,
                               struct kiosk_snapshot *snap, int wait_ms);
/* Whether slide's picture was asked for ahead and not taken yet. */
bool kiosk_worker_pending(const struct kiosk_worker *w, int slide);

/* Ends the worker as kiosk_worker_free does (its slides destroyed, the process gone within
 * the deadline), saying how it went: 0, or -1 with what (SIGSEGV, "deadline 2 s",
 * "exit 1"). The worker is down after it; free it still. */
int kiosk_worker_end(struct kiosk_worker *w, char *what, size_t size);
/* The last fault, or NULL when it never faulted. */
const struct kiosk_worker_fault *kiosk_worker_last_fault(const struct kiosk_worker *w);
/* Ends the worker (its slides destroyed) and frees it. NULL is allowed. */
void kiosk_worker_free(struct kiosk_worker *w);

/* ---- the worker's side (`kiosk plugin-worker`) ---- */

struct kiosk_worker_serve_args {
    int fd;                /* the socket */
    const char *plugin;    /* the file */
    const char *fonts_dir; /* the font manifest's folder */
    enum kiosk_lang_code lang;
    const char *theme;
    const char *timezone; /* set as TZ before the plugin loads, or NULL */
    unsigned memory_mb, cpu_s;
    bool sandbox;
    FILE *log; /* stderr: the kiosk reads it */
};

/* The worker has slide's own source as src has it (sent when its bytes or error changed);
 * 0, or -1 when the worker is down or faulted. */
struct kiosk_host_source;
int kiosk_worker_give_source(struct kiosk_worker *w, int slide,
                             const struct kiosk_host_source *src);

/* Loads the plugin under the limits and serves the kiosk until it hangs up; the exit
 * status: 0, 1 (a request that was not one), 2 (no fonts, no filter), 3 (refused). */
int kiosk_worker_serve(const struct kiosk_worker_serve_args *a);

/* The system call filter of a worker (libseccomp): what loading a plugin and drawing
 * need (reading files, mapping memory, futexes, the socket it was given) and nothing
 * else: socket, connect, exec, ptrace, and opening files for writing fail with EPERM.
 * 0, or -1 when it cannot be installed. */
int kiosk_worker_sandbox(void);

/* ---- the snapshot image ---- */

/* Writes the table a snapshot was scored from, and its scoring options, as one flat
 * image into a sealed read-only memfd: 0 with *fd and *size. */
int kiosk_snapimage_write(const struct kiosk_snapshot *s, int *fd, uint64_t *size);
/* Reads an image and scores it again: 0 with a new snapshot (one reference), or -1 for
 * an image that is not one. */
int kiosk_snapimage_read(int fd, uint64_t size, struct kiosk_snapshot **out);

#endif
