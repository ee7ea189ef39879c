#include "run.h"

#include "core/seed.h"
#include "core/files.h"
#include "core/freshness.h"
#include "fleet.h"
#include "loop.h"
#include "metrics.h"
#include "net/fetch.h"
#include "power.h"
#include "remote.h"
#include "sources.h"
#include "status.h"
#include "watch.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/time.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

/* ---- waking the loop ----
 * SDL sleeps until the next event only where its video driver can wait (X11, Wayland);
 * on KMSDRM, offscreen or with no display its wait polls every millisecond. There the
 * loop sleeps on an eventfd instead, which every event of the kiosk's own threads (new
 * data, a status change, a signal) also wakes. */

static int wake_fd = -1;

static void post_event(Uint32 type)
{
    SDL_Event ev = {.type = type};
    SDL_PushEvent(&ev);
    uint64_t one = 1;
    if (wake_fd >= 0 && write(wake_fd, &one, sizeof one) < 0)
        return; /* the counter is full: the loop is awake anyway */
}

static bool sdl_waits_well(void)
{
    const char *driver = SDL_GetCurrentVideoDriver();
    return driver && (strcmp(driver, "x11") == 0 || strcmp(driver, "wayland") == 0);
}

/* The next event, waiting at most timeout_ms for one; false when none came. */
static bool next_event(SDL_Event *ev, int timeout_ms)
{
    if (sdl_waits_well())
        return SDL_WaitEventTimeout(ev, timeout_ms > 0 ? timeout_ms : 1);
    if (SDL_PollEvent(ev))
        return true;
    struct pollfd p = {.fd = wake_fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) > 0) {
        uint64_t n;
        if (read(wake_fd, &n, sizeof n) < 0)
            n = 0;
    }
    return SDL_PollEvent(ev);
}

/* ---- the hand-over from the poller's thread ---- */

struct handover {
    pthread_mutex_t mu;
    struct kiosk_snapshot *latest; /* handed over, not yet taken */
    Uint32 data_event, status_event, remote_event;
    Uint32 own_event; /* the slides' and the banner's own sources were polled */
};

static void on_snapshot(void *ctx, struct kiosk_snapshot *snap)
{
    struct handover *h = ctx;
    pthread_mutex_lock(&h->mu);
    kiosk_snapshot_unref(h->latest);
    h->latest = snap;
    pthread_mutex_unlock(&h->mu);
    post_event(h->data_event);
}

static void on_status(void *ctx)
{
    struct handover *h = ctx;
    post_event(h->status_event);
}

static void on_remote_ready(void *ctx)
{
    struct handover *h = ctx;
    post_event(h->remote_event);
}

static void on_own_status(void *ctx)
{
    struct handover *h = ctx;
    post_event(h->own_event);
}

static struct kiosk_snapshot *take(struct handover *h)
{
    pthread_mutex_lock(&h->mu);
    struct kiosk_snapshot *s = h->latest;
    h->latest = NULL;
    pthread_mutex_unlock(&h->mu);
    return s;
}

/* ---- signals: SIGHUP reloads the configuration, SIGTERM and SIGINT stop ----
 * They are blocked in every thread; this one takes them and turns them into events for
 * the loop. */

struct signal_thread {
    pthread_t thread;
    bool started;
    sigset_t set;
    Uint32 hup_event;
    volatile int stop;
};

static void block_signals(struct signal_thread *s)
{
    sigemptyset(&s->set);
    sigaddset(&s->set, SIGHUP);
    sigaddset(&s->set, SIGTERM);
    sigaddset(&s->set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &s->set, NULL);
}

static void *signal_main(void *arg)
{
    struct signal_thread *s = arg;
    for (int sig; sigwait(&s->set, &sig) == 0 && !s->stop;)
        post_event(sig == SIGHUP ? s->hup_event : SDL_QUIT);
    return NULL;
}

/* ---- the display's power ---- */

/* The black screen: nothing is drawn while off (the last call made the window black). */
static int blank_set(void *ctx, bool on)
{
    if (!on)
        kiosk_display_black(ctx);
    fprintf(stderr, "screen: %s\n", on ? "on" : "off (outside the working hours)");
    return 0;
}

/* DPMS on KMSDRM: the screen itself off, whether or not it understands CEC. */
static int dpms_set(void *ctx, bool on)
{
    int done;
    int rc = kiosk_display_dpms(ctx, on, &done);
    if (done)
        fprintf(stderr, "screen: %d screen(s) powered %s (DPMS)\n", done, on ? "up" : "down");
    return rc;
}

static int cec_set(void *ctx, bool on)
{
    (void)ctx;
    return kiosk_cec_set(NULL, on); /* no CEC adapter: the black screen does it alone */
}

/* ---- the appliance's state ---- */

struct run {
    const struct kiosk_run_options *opt;
    struct kiosk_setup_args args; /* the options', with the breaker */
    struct kiosk_breaker breaker;
    char renderer[16];         /* the config's, for the display's next open */
    uint64_t quarantine_ends;  /* when a quarantined slide may come back (ticks), or never */
    struct kiosk_setup *setup; /* the configuration taken; a reload replaces it whole */
    struct kiosk_fonts *fonts;
    char state_dir[4096]; /* fixed for the run: a new one needs a restart */
    bool has_state;
    char runtime_dir[4096]; /* status.json: tmpfs, fixed for the run too */
    struct kiosk_status_writer status;
    bool has_runtime;
    bool clock_ok; /* the clock is synchronised (or trusted): dates can be shown */
    struct handover ho;
    struct kiosk_poller_config pc;
    struct kiosk_poller *poller;
    struct kiosk_own_sources own; /* the slides' and the banner's own sources */
    struct kiosk_banner banner;
    struct signal_thread sig;
    struct kiosk_display scr;
    struct kiosk_watch watch;
    struct kiosk_display_power outputs[3];
    struct kiosk_power_ctl power;
    struct kiosk_loop_ops ops;
    struct kiosk_loop loop;
    bool push;          /* transitions push (software) rather than fade */
    uint64_t ticker_at; /* when the banner's ticker moves on next */
    struct kiosk_snapshot *snap;
    /* the remote configuration (screen/remote.h): the config file in use, a trial */
    struct kiosk_remote *remote;
    char config_path[4300];
    uint64_t trial_ends; /* a remote document applied must show a slide by then */
    bool trial_data;     /* data scored under it came (its sources', not the old ones') */
    struct kiosk_metrics_writer metrics; /* kiosk.prom for node_exporter (path NULL: none) */
    struct kiosk_histogram frame_render; /* slide draws */
    struct kiosk_fleet *fleet;           /* the broker's link, or NULL: none configured */
    char fleet_broker[512], fleet_id[KIOSK_FLEET_ID_MAX + 1]; /* as started: fixed for the run */
    double poll_spread_s;
    Uint32 fleet_event; /* a command waits, or the link came or went */
    uint64_t poll_at;   /* a "poll" command's moment (ticks), or never */
    uint64_t shot_at;   /* the last snapshot's moment (ticks), 0: none yet */
    unsigned int seed;  /* its random delay */
    int64_t started_unix;
    uint64_t start, exit_at;
    bool quit;
};

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static int op_draw(void *ctx, size_t slide, int canvas, double elapsed_ms)
{
    struct run *r = ctx;
    kiosk_canvas *c = kiosk_display_begin(&r->scr, canvas);
    if (!c) { /* the picture on screen stays; the loop tries again */
        fprintf(stderr, "screen: cannot draw slide %s: %s\n", r->setup->show.slides[slide].name,
                SDL_GetError());
        return KIOSK_LOOP_DRAW_FAILED;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int hint = kiosk_show_render(&r->setup->show, slide, c, r->snap, elapsed_ms, wall_ms());
    clock_gettime(CLOCK_MONOTONIC, &t1);
    kiosk_histogram_observe(&r->frame_render,
                            (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    kiosk_display_end(&r->scr, canvas);
    if (!r->setup->show.ticker.on && r->scr.band_on) /* no ticker any more: not laid over */
        kiosk_display_band_off(&r->scr);
    return hint;
}

static void op_present(void *ctx, int cur, double p)
{
    struct run *r = ctx;
    kiosk_display_present(&r->scr, cur, p, r->push);
}

static void op_notify(void *ctx, const char *state)
{
    (void)ctx;
    sd_notify(0, state);
}

/* How long the sources have failed: since the oldest last success of a failing one. */
static double sources_failing_s(const struct run *r, const struct kiosk_source_status *st, size_t n)
{
    int64_t now = (int64_t)time(NULL), since = 0;
    for (size_t i = 0; i < n; i++) {
        if (st[i].failures <= 0)
            continue;
        int64_t from = st[i].last_success ? st[i].last_success : r->started_unix;
        if (!since || from < since)
            since = from;
    }
    return since && now > since ? (double)(now - since) : 0;
}

/* The status document as it stands: status.json, the metrics and the broker's copy. */
static json_t *status_document(struct run *r)
{
    struct kiosk_source_status st[64];
    size_t n = r->poller ? kiosk_poller_status(r->poller, st, 64) : 0;
    char storage[256] = "";
    bool storage_failed = r->poller && kiosk_poller_storage(r->poller, storage, sizeof storage);
    struct kiosk_source_status own[64];
    size_t n_own = r->own.poller ? kiosk_poller_status(r->own.poller, own, 64) : 0;
    struct kiosk_banner_now band = kiosk_banner_at(&r->banner, (int64_t)time(NULL));
    struct kiosk_status_info si = {.started_unix = r->started_unix,
                                   .slide = r->setup->show.slides[r->loop.slide].name,
                                   .snap = r->snap,
                                   .stale_after_h = r->setup->conf.stale_after_h,
                                   .sources = st,
                                   .n_sources = n,
                                   .plugins = &r->setup->plugins,
                                   .failed = r->setup->show.failed,
                                   .n_failed = r->setup->show.n_failed,
                                   .display = r->loop.screen_on,
                                   .display_connected = r->loop.open,
                                   .clock_synchronised = r->clock_ok,
                                   .failing_s = sources_failing_s(r, st, n),
                                   .storage_error = storage_failed ? storage : NULL,
                                   .own_sources = own,
                                   .n_own_sources = n_own,
                                   .banner = band.text,
                                   .banner_urgent = band.urgent,
                                   .frame_render = &r->frame_render,
                                   .fleet_broker = r->fleet ? r->fleet_broker : NULL,
                                   .fleet_id = r->fleet_id,
                                   .fleet_connected = kiosk_fleet_connected(r->fleet),
                                   .metrics_refresh_s =
                                       r->metrics.path ? (int)r->metrics.refresh_s : 0};
    struct kiosk_remote_status rs;
    if (r->remote) {
        kiosk_remote_get_status(r->remote, &rs);
        si.remote = &rs;
    }
    return kiosk_status_document(&r->status, &si, (int64_t)time(NULL));
}
/* kiosk.prom: at most every 15 s, only when it says something new (or its ages are a
 * minute old) */
static void write_metrics(struct run *r, const json_t *doc)
{
    if (!r->metrics.path)
        return;
    if (kiosk_metrics_write(&r->metrics, doc, (int64_t)time(NULL)) < 0)
        fprintf(stderr, "kiosk run: cannot write %s: %s (tried again in %d s)\n", r->metrics.path,
                strerror(errno), KIOSK_METRICS_MIN_S);
}

static int op_write_status(void *ctx)
{
    struct run *r = ctx;
    if (!r->has_runtime && !r->fleet && !r->metrics.path)
        return 0;
    /* the broker and kiosk.prom have it even where no runtime directory takes status.json */
    json_t *doc = status_document(r);
    int rc = !doc ? -1 : r->has_runtime ? kiosk_status_write_doc(&r->status, doc) : 0;
    if (rc < 0) /* once per run of failures */
        fprintf(stderr, "kiosk run: cannot write %s/%s: %s (tried again with the next change)\n",
                r->runtime_dir, KIOSK_STATUS_FILE, doc ? strerror(errno) : "out of memory");
    if (doc) {
        write_metrics(r, doc);
        kiosk_fleet_status(r->fleet, doc, (int64_t)time(NULL));
    }
    json_decref(doc);
    return rc == 0 ? 0 : -1;
}

/* The metrics' own pace: every 15 s when something moved that status.json leaves out
 * (the frames drawn), so the histogram and the ages keep up. */
static void handle_metrics(struct run *r)
{
    int64_t since = (int64_t)time(NULL) - r->metrics.checked_unix;
    if (!r->metrics.path || (since < KIOSK_METRICS_MIN_S && since >= 0))
        return;
    json_t *doc = status_document(r);
    if (doc)
        write_metrics(r, doc);
    json_decref(doc);
}

static uint64_t op_duration_ms(void *ctx, size_t slide)
{
    struct run *r = ctx;
    return (uint64_t)(r->setup->show.slides[slide].duration_s * 1000);
}

static bool op_has_content(void *ctx, size_t slide)
{
    struct run *r = ctx;
    bool open = kiosk_display_is_open(&r->scr);
    int w = open ? r->scr.w : r->setup->conf.width, h = open ? r->scr.h : r->setup->conf.height;
    return kiosk_show_has_content(&r->setup->show, slide, r->snap, w, h);
}

static bool op_scheduled(void *ctx, size_t slide)
{
    struct run *r = ctx;
    return kiosk_show_scheduled(&r->setup->show, slide, time(NULL));
}

static size_t op_fallback(void *ctx)
{
    struct run *r = ctx;
    return kiosk_show_fallback(&r->setup->show);
}

static void op_prepare(void *ctx, size_t slide)
{
    struct run *r = ctx;
    bool open = kiosk_display_is_open(&r->scr);
    int w = open ? r->scr.w : r->setup->conf.width, h = open ? r->scr.h : r->setup->conf.height;
    /* the frame of the turn it is asked for: its wall clock when the turn starts */
    kiosk_show_prepare(&r->setup->show, slide, r->snap, w, h,
                       wall_ms() + (int64_t)r->loop.prepare_ms);
}

/* How long a look at a worker's picture may hold the loop: a picture drawn in that is
 * shown in the same pass, a slower one is late (the picture on screen stays). */
#define READY_WAIT_MS 10

static int op_ready(void *ctx, size_t slide, double elapsed_ms)
{
    struct run *r = ctx;
    bool open = kiosk_display_is_open(&r->scr);
    int w = open ? r->scr.w : r->setup->conf.width, h = open ? r->scr.h : r->setup->conf.height;
    return kiosk_show_ready(&r->setup->show, slide, r->snap, w, h, elapsed_ms, wall_ms(),
                            READY_WAIT_MS);
}

/* Slides of plugins in workers are asked for a deadline ahead; none: nothing ahead. */
static uint64_t prepare_lead(const struct kiosk_setup *s)
{
    for (size_t i = 0; i < s->show.n; i++)
        if (s->show.slides[i].plugin->worker)
            return (uint64_t)(s->conf.render_deadline_s * 1000);
    return 0;
}

/* ---- the steps run_playloop() strings together ---- */

/* Push or fade, or none: fade needs a GPU, and one slide has nothing to move to. */
static bool choose_transitions(struct run *r)
{
    const char *t = r->setup->conf.transition;
    r->push = strcmp(t, "push") == 0 || (strcmp(t, "fade") == 0 && r->scr.software);
    return strcmp(t, "none") != 0 && r->setup->show.n > 1;
}

/* Frames a second of a software renderer's transitions and ticker: each frame there is a
 * full-screen copy on the CPU (about 2 ms at 1920x1080 here, several times that on a Pi
 * Zero 2 W), and a push at 30 reads as smooth on a wall screen. */
#define SOFTWARE_FPS 30

static void display_opened(struct run *r, uint64_t now)
{
    /* a new window: its renderer decides the transitions, its mode their pace */
    bool transitions = choose_transitions(r);
    int fps = r->scr.hz > 0 ? r->scr.hz : 60;
    if (r->scr.software && fps > SOFTWARE_FPS)
        fps = SOFTWARE_FPS;
    kiosk_loop_display_opened(&r->loop, fps, transitions, now);
    if (transitions)
        fprintf(stderr, "screen: %dx%d, %d Hz, %s transitions at %d frames a second\n", r->scr.w,
                r->scr.h, r->scr.hz, r->push ? "push" : "fade", fps);
    else
        fprintf(stderr, "screen: %dx%d, %d Hz, no transitions\n", r->scr.w, r->scr.h, r->scr.hz);
    if (!r->loop.screen_on) { /* a new display while asleep: asleep too */
        kiosk_display_black(&r->scr);
        dpms_set(&r->scr, false);
    }
}

/* The screens plugged in: gone, changed, back. */
static void handle_display(struct run *r, uint64_t now)
{
    kiosk_display_settle(&r->scr);
    if (!kiosk_watch_step(&r->watch, now))
        return;
    if (kiosk_display_is_open(&r->scr))
        display_opened(r, now);
    else
        kiosk_loop_display_closed(&r->loop);
}

static bool clock_trusted(const struct run *r)
{
    return r->setup->conf.schedule.trust_clock || kiosk_clock_synchronised();
}

/* The clock: until it is synchronised the screen shows that it is not set instead of a
 * wrong date; when it becomes synchronised the poller tries at once (HTTPS refused
 * certificates "not yet valid" meanwhile, and its backoff would make it wait). */
static void handle_clock(struct run *r)
{
    bool ok = clock_trusted(r);
    if (ok == r->clock_ok)
        return;
    r->clock_ok = ok;
    r->setup->show.clock_unset = !ok;
    r->loop.dirty = r->loop.status_dirty = true;
    fprintf(stderr, "screen: the system clock is %s\n",
            ok ? "synchronised: polling the sources now" : "not synchronised");
    if (ok && r->poller)
        kiosk_poller_wake(r->poller);
}

/* The sources' state, after the poller said it changed: the "sources failing" mark. */
static void handle_sources(struct run *r)
{
    struct kiosk_source_status st[64];
    size_t n = r->poller ? kiosk_poller_status(r->poller, st, 64) : 0;
    double failing = sources_failing_s(r, st, n);
    double limit = r->setup->conf.stale_after_h;
    if (kiosk_sources_failing(failing, limit) !=
        kiosk_sources_failing(r->setup->show.failing_s, limit))
        r->loop.dirty = true;
    r->setup->show.failing_s = failing;
    r->loop.status_dirty = true;
}

/* The working hours: off means no drawing at all, only the poller and the clock. */
static void handle_power(struct run *r, uint64_t now)
{
    /* without working hours the answer is "on": a reload that drops them wakes the screen */
    kiosk_loop_power(&r->loop, kiosk_power_update(&r->power, time(NULL), clock_trusted(r)), now);
}

static void take_snapshot(struct run *r)
{
    struct kiosk_snapshot *fresh = take(&r->ho);
    if (!fresh)
        return;
    kiosk_snapshot_unref(r->snap);
    r->snap = fresh;
    r->trial_data = true;
    /* a slide that had nothing to show may have now, and one that had may have no more */
    kiosk_loop_data_changed(&r->loop, SDL_GetTicks64());
}

static int start_poller(struct run *r, struct kiosk_setup *s)
{
    r->pc.sources = s->sources.src;
    r->pc.n_sources = s->sources.n;
    r->pc.score = &s->so;
    return kiosk_poller_start(&r->pc, &r->poller);
}

/* The slides' and the banner's own sources, polled apart from the data (their cached
 * copies are taken before the first frame). */
static void start_own_sources(struct run *r, struct kiosk_setup *s)
{
    if (kiosk_own_sources_start(&r->own, &s->show, &s->conf.banner,
                                r->has_state ? r->state_dir : NULL, r->opt->interval_s,
                                on_own_status, &r->ho, stderr) != 0)
        fprintf(stderr, "kiosk run: cannot poll the slides' own sources (out of memory)\n");
    kiosk_own_sources_take(&r->own, &s->show, &r->banner, stderr);
}

/* The own sources were polled: new bytes redraw the slide (and may give it content). */
static void handle_own_sources(struct run *r, uint64_t now)
{
    if (kiosk_own_sources_take(&r->own, &r->setup->show, &r->banner, stderr))
        kiosk_loop_data_changed(&r->loop, now);
    r->loop.status_dirty = true; /* their state is in status.json */
}

/* While the loop awaits a plugin worker's reply (within its deadline), systemd's
 * watchdog is still fed: the kiosk is waiting, not hung. */
static void worker_waiting(void *ctx)
{
    struct run *r = ctx;
    kiosk_loop_notify_step(&r->loop, SDL_GetTicks64());
}

/* Takes a configuration: its time zone, its working hours, its colours. */
static void take_setup(struct run *r, struct kiosk_setup *s)
{
    r->setup = s;
    s->workers.waiting = worker_waiting;
    s->workers.waiting_ctx = r;
    int64_t t = (int64_t)time(NULL), end = kiosk_breaker_next_end(&r->breaker, t);
    r->quarantine_ends = end ? SDL_GetTicks64() + (uint64_t)(end - t) * 1000 : UINT64_MAX;
    kiosk_setup_use_timezone(s);
    /* the display's next open takes the new renderer; nothing may point into the old config */
    snprintf(r->renderer, sizeof r->renderer, "%s", s->conf.renderer);
    r->watch.opts.renderer = r->renderer;
    if (r->watch.opts.rotate != s->conf.rotate && kiosk_display_is_open(&r->scr))
        r->watch.event = r->watch.force_reopen = true; /* turned anew: the slides lay out anew */
    r->watch.opts.rotate = s->conf.rotate;
    s->show.clock_unset = !r->clock_ok;
    r->power.schedule = &s->conf.schedule;
    r->scr.bg = s->show.theme->colors[KIOSK_COLOR_BACKGROUND];
    kiosk_banner_configure(&r->banner, &s->conf.banner);
    s->show.banner = &r->banner;
    s->show.ticker_apart = true;
}

static bool handle_reload(struct run *r, uint64_t now, const char *cause, char *why, size_t size);

/* A quarantine over: the slide comes back with the playlist made anew. */
static void handle_quarantine(struct run *r, uint64_t now)
{
    if (now < r->quarantine_ends)
        return;
    fprintf(stderr, "kiosk run: a slide's quarantine is over: making the playlist anew\n");
    r->quarantine_ends = UINT64_MAX;
    handle_reload(r, now, "quarantine over", NULL, 0);
}

/* SIGHUP: reads the config again and takes it whole (slides, sources, plugin
 * directories, theme, hours), or keeps the running one whole and says why. The screen
 * keeps its last frame meanwhile. */
static bool handle_reload(struct run *r, uint64_t now, const char *cause, char *why, size_t size)
{
    struct kiosk_setup *fresh = malloc(sizeof *fresh);
    struct kiosk_diags d = {0};
    char line[1024] = "out of memory";
    if (!fresh || kiosk_setup_open(fresh, &r->args, stderr, &d)) {
        if (d.count)
            kiosk_diag_format(&d.items[0], line, sizeof line);
        fprintf(stderr, "kiosk run: %s: %s; keeping the running configuration\n", cause, line);
        if (why)
            snprintf(why, size, "%s", line);
        kiosk_diags_free(&d);
        free(fresh);
        return false;
    }
    kiosk_diags_free(&d);
    const char *dir = kiosk_setup_state_dir(fresh);
    const char *running = r->has_state ? r->state_dir : "none";
    if (strcmp(dir ? dir : "none", running) != 0)
        fprintf(stderr,
                "kiosk run: %s: a new state_dir (%s) takes effect at the next start; %s "
                "stays in use\n",
                cause, dir ? dir : "none", running);
    /* a remote configuration names no broker (it may not): only a local one can change it */
    const struct kiosk_fleet_conf *nf = &fresh->conf.fleet;
    if (nf->any_set &&
        (strcmp(nf->broker ? nf->broker : "", r->fleet_broker) || strcmp(nf->id, r->fleet_id)))
        fprintf(stderr,
                "kiosk run: %s: a new [fleet] broker or id takes effect at the next "
                "start\n",
                cause);
    kiosk_poller_stop(r->poller);
    r->poller = NULL;
    kiosk_setup_use_timezone(fresh); /* before the new poller's thread reads the time */
    if (start_poller(r, fresh) != 0) {
        fprintf(stderr,
                "kiosk run: %s: cannot start polling the new sources (out of memory); keeping "
                "the running configuration\n",
                cause);
        if (why)
            snprintf(why, size, "cannot start polling its sources (out of memory)");
        kiosk_snapshot_unref(take(&r->ho)); /* scored under the configuration refused */
        kiosk_setup_close(fresh);
        free(fresh);
        kiosk_setup_use_timezone(r->setup);
        if (start_poller(r, r->setup) != 0)
            fprintf(stderr, "kiosk run: cannot poll the sources again: the data on screen "
                            "stays as it is until a restart\n");
        return false;
    }
    kiosk_own_sources_stop(&r->own);
    kiosk_setup_close(r->setup);
    free(r->setup);
    take_setup(r, fresh);
    start_own_sources(r, fresh);
    kiosk_loop_restart(&r->loop, fresh->show.n, now);
    r->loop.prepare_ms = prepare_lead(fresh);
    take_snapshot(r); /* the cached data, scored anew under the new configuration */
    r->loop.transitions = choose_transitions(r);
    fprintf(stderr, "kiosk run: %s: configuration reloaded: %zu slides, %zu sources, %zu plugins\n",
            cause, fresh->show.n, fresh->sources.n, fresh->plugins.n_loaded);
    return true;
}

/* Runs the config file at path from now on, as a reload; false (why) keeps the running
 * one and its file. */
static bool use_config(struct run *r, const char *path, uint64_t now, const char *cause, char *why,
                       size_t size)
{
    char before[sizeof r->config_path];
    snprintf(before, sizeof before, "%s", r->config_path);
    snprintf(r->config_path, sizeof r->config_path, "%s", path);
    r->args.config = r->config_path;
    if (handle_reload(r, now, cause, why, size))
        return true;
    snprintf(r->config_path, sizeof r->config_path, "%s", before);
    r->args.config = before[0] ? r->config_path : r->opt->setup.config;
    return false;
}

/* A signed remote document passed its checks: applied now, on trial until a slide shows. */
static void handle_remote_ready(struct run *r, uint64_t now)
{
    char path[4300], why[1024] = "";
    if (!r->remote || !kiosk_remote_install(r->remote, path, sizeof path))
        return;
    r->trial_data = false; /* the data on screen was scored under the configuration before */
    if (!use_config(r, path, now, "remote config", why, sizeof why)) {
        kiosk_remote_applied(r->remote, false, why);
        return;
    }
    kiosk_remote_applied(r->remote, true, NULL);
    r->trial_ends = now + (uint64_t)(kiosk_remote_trial_s(r->remote) * 1000);
    r->loop.status_dirty = true;
}

/* The trial of a remote document: confirmed once a slide has something to show for data
 * its own sources gave (whether or not a screen is plugged in), rolled back when none has
 * by its end. */
static void handle_remote_trial(struct run *r, uint64_t now)
{
    if (!r->remote || r->trial_ends == UINT64_MAX)
        return;
    bool shows = false;
    for (size_t i = 0; r->trial_data && i < r->setup->show.n && !shows; i++)
        shows = !r->setup->show.slides[i].fallback && op_has_content(r, i); /* its own */
    if (shows) {
        r->trial_ends = UINT64_MAX;
        kiosk_remote_confirm(r->remote);
        r->loop.status_dirty = true;
        return;
    }
    if (now < r->trial_ends)
        return;
    r->trial_ends = UINT64_MAX;
    char why[160], path[4300];
    snprintf(why, sizeof why, "no slide had anything to show within %.0f s of applying it",
             kiosk_remote_trial_s(r->remote));
    kiosk_remote_rollback(r->remote, why, path, sizeof path);
    char failed[1024];
    if (!use_config(r, path, now, "remote config rolled back", failed, sizeof failed))
        fprintf(stderr, "kiosk run: cannot go back to %s (%s): the configuration on trial stays\n",
                path, failed);
    r->loop.status_dirty = true;
}

/* ---- the fleet's commands ---- */

static void fleet_wake(void *ctx)
{
    struct run *r = ctx;
    post_event(r->fleet_event);
}

/* The picture on screen now: the slide shown drawn again at the screen's size, as it is
 * at this moment, scaled down to 960 pixels wide at most. */
static void fleet_snapshot(struct run *r, const struct kiosk_fleet_cmd *c, uint64_t now)
{
    if (!r->loop.screen_on) {
        kiosk_fleet_reply(r->fleet, c, "the screen is off (outside the working hours)", NULL);
        return;
    }
    /* each one a frame's drawing and a PNG's encoding taken from the screen: a tool that
     * asks in a loop does not make it stutter (counted from the end of the last one's work,
     * which may be after this loop's now) */
    if (r->shot_at && now < r->shot_at + KIOSK_FLEET_SNAPSHOT_MIN_MS) {
        char why[128];
        snprintf(why, sizeof why, "snapshot: one every %d s at most (the last %.1f s ago)",
                 KIOSK_FLEET_SNAPSHOT_MIN_MS / 1000,
                 now > r->shot_at ? (double)(now - r->shot_at) / 1000 : 0.0);
        kiosk_fleet_reply(r->fleet, c, why, NULL);
        return;
    }
    bool open = kiosk_display_is_open(&r->scr);
    int w = open ? r->scr.w : r->setup->conf.width, h = open ? r->scr.h : r->setup->conf.height;
    kiosk_canvas *cv = kiosk_canvas_new(w, h, r->fonts);
    unsigned char *png = NULL;
    size_t len = 0;
    int pw = 0, ph = 0;
    size_t slide = r->loop.slide;
    if (cv) {
        kiosk_show_render(&r->setup->show, slide, cv, r->snap, (double)(now - r->loop.slide_start),
                          wall_ms());
        kiosk_canvas_png(cv, KIOSK_FLEET_SCREEN_MAX_W, &png, &len, &pw, &ph);
        kiosk_canvas_free(cv);
    }
    r->shot_at = SDL_GetTicks64();
    if (!png)
        kiosk_fleet_reply(r->fleet, c, "snapshot: out of memory", NULL);
    else if (kiosk_fleet_screen(r->fleet, png, len) != 0)
        kiosk_fleet_reply(r->fleet, c, "snapshot: the link is down or its queue full", NULL);
    else
        kiosk_fleet_reply(r->fleet, c, NULL,
                          json_pack("{s:s, s:i, s:i, s:I, s:b}", "slide",
                                    r->setup->show.slides[slide].name, "width", pw, "height", ph,
                                    "bytes", (json_int_t)len, "display_connected", open));
    free(png);
}

static void fleet_command(struct run *r, const struct kiosk_fleet_cmd *c, uint64_t now)
{
    char why[256] = "";
    switch (c->kind) {
    case KIOSK_FLEET_RELOAD:
        if (handle_reload(r, now, "fleet reload", why, sizeof why))
            kiosk_fleet_reply(r->fleet, c, NULL,
                              json_pack("{s:I}", "slides", (json_int_t)r->setup->show.n));
        else
            kiosk_fleet_reply(
                r->fleet, c,
                why[0] ? why : "reload: the configuration was refused; the running one stays",
                NULL);
        break;
    case KIOSK_FLEET_POLL: {
        /* a random moment within the spread: a whole province told at once does not come
         * to the origin in the same second */
        double spread = r->poll_spread_s;
        double delay = spread * ((double)rand_r(&r->seed) / RAND_MAX);
        r->poll_at = now + (uint64_t)(delay * 1000);
        kiosk_fleet_reply(r->fleet, c, NULL, json_pack("{s:f}", "delay_s", delay));
        break;
    }
    case KIOSK_FLEET_SNAPSHOT:
        fleet_snapshot(r, c, now);
        break;
    case KIOSK_FLEET_BANNER:
        /* over the configured banner until it expires; an empty text clears it */
        if (kiosk_banner_set_remote(&r->banner, c->banner.text, c->banner.until_unix,
                                    c->banner.urgent) != 0) {
            kiosk_fleet_reply(r->fleet, c, "banner: cannot take it: out of memory", NULL);
            break;
        }
        kiosk_fleet_reply(r->fleet, c, NULL, NULL);
        r->loop.dirty = r->loop.status_dirty = true;
        break;
    }
}

/* Commands waiting, and the link's state for status.json. */
static void handle_fleet(struct run *r, uint64_t now)
{
    struct kiosk_fleet_cmd c;
    while (kiosk_fleet_take(r->fleet, &c))
        fleet_command(r, &c, now);
    r->loop.status_dirty = true;
}

/* A "poll" command's moment come; and a status the broker has not had yet. */
static void handle_fleet_due(struct run *r, uint64_t now)
{
    if (now >= r->poll_at) {
        r->poll_at = UINT64_MAX;
        fprintf(stderr, "fleet: polling every source now, as told\n");
        if (r->poller) /* the data */
            kiosk_poller_wake(r->poller);
        if (r->own.poller) /* the slides' and the banner's own sources */
            kiosk_poller_wake(r->own.poller);
    }
    int64_t due = kiosk_fleet_status_due(r->fleet);
    if (due && (int64_t)time(NULL) >= due)
        r->loop.status_dirty = true;
}

static void handle_event(struct run *r, const SDL_Event *ev, uint64_t now)
{
    if (ev->type == SDL_QUIT) {
        r->quit = true;
    } else if (ev->type == SDL_KEYDOWN && r->opt->windowed &&
               (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q)) {
        r->quit = true;
    } else if (ev->type == r->ho.data_event) {
        take_snapshot(r);
    } else if (ev->type == r->ho.status_event) {
        handle_sources(r);
    } else if (ev->type == r->ho.own_event) {
        handle_own_sources(r, now);
    } else if (ev->type == r->sig.hup_event) {
        handle_reload(r, now, "SIGHUP", NULL, 0);
    } else if (ev->type == r->ho.remote_event) {
        handle_remote_ready(r, now);
    } else if (r->fleet_event && ev->type == r->fleet_event) {
        handle_fleet(r, now);
    } else if (ev->type == SDL_DISPLAYEVENT) {
        /* a screen connected or disconnected (X11, Wayland): look now */
        r->watch.event = true;
    } else if (ev->type == SDL_RENDER_DEVICE_RESET) {
        /* the renderer lost its device (a GPU reset, a mode change): open anew */
        fprintf(stderr, "screen: the renderer lost its device; opening the display again\n");
        r->watch.event = r->watch.force_reopen = true;
    } else if (ev->type == SDL_RENDER_TARGETS_RESET) {
        r->loop.dirty = true;
    } else if (ev->type == SDL_WINDOWEVENT && (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                                               ev->window.event == SDL_WINDOWEVENT_EXPOSED)) {
        if (kiosk_display_is_open(&r->scr) && kiosk_display_fit(&r->scr, r->fonts)) {
            fprintf(stderr, "screen: cannot follow the new size (%s); opening the display again\n",
                    SDL_GetError());
            r->watch.event = r->watch.force_reopen = true;
        }
        r->loop.in_transition = false;
        r->loop.dirty = true;
    }
}

/* The banner's ticker: at the display's refresh rate its band alone is drawn (a strip, not
 * the slide) and laid over the picture on screen; a transition presents it itself. */
static void handle_ticker(struct run *r, uint64_t now)
{
    struct kiosk_show *sh = &r->setup->show;
    if (!sh->ticker.on || !kiosk_loop_drawing(&r->loop) || now < r->ticker_at)
        return;
    r->ticker_at = now + r->loop.frame_ms;
    int64_t wall = wall_ms();
    struct kiosk_banner_now band = kiosk_banner_at(&r->banner, wall / 1000);
    if (!band.text) { /* gone (its time came): the slide is drawn without it */
        sh->ticker.on = false;
        r->loop.dirty = true;
        return;
    }
    kiosk_canvas *c = kiosk_display_band_begin(&r->scr, (int)sh->ticker.y, (int)sh->ticker.h);
    if (!c) { /* no strip to draw on: the slide itself is redrawn every frame instead */
        sh->ticker_apart = false;
        r->loop.dirty = true;
        return;
    }
    kiosk_banner_draw(&band, c, &sh->slides[r->loop.slide].host.api, 0, sh->ticker.scale,
                      kiosk_banner_scroll_ms(&r->banner, &band, wall));
    kiosk_display_band_end(&r->scr);
    if (!r->loop.in_transition)
        kiosk_display_present(&r->scr, r->loop.cur, 0, r->push);
    r->loop.stats.frames++;
}

#define CLOCK_LOOK_MS 5000 /* how often an unsynchronised clock is looked at */

/* Seconds from now, never below 1. */
static int64_t kiosk_clamp_s(int64_t s)
{
    return s < 1 ? 1 : s;
}

/* Sleeps until one of the steps has something to do, or an event comes, and takes every
 * event that came. Asleep or without a display, only the hours, the data, the screens
 * plugged in and the watchdog wake it. */
static void wait_events(struct run *r, uint64_t now)
{
    uint64_t wake = kiosk_earliest(kiosk_loop_next_wake(&r->loop, now), now + 60000);
    wake = kiosk_earliest(wake, r->exit_at);
    wake = kiosk_earliest(wake, r->watch.check_at); /* a look at the screens plugged in */
    wake = kiosk_earliest(wake, r->quarantine_ends);
    wake = kiosk_earliest(wake, r->trial_ends);
    if (r->setup->conf.schedule.configured) {
        long change_s = kiosk_schedule_next_change(&r->setup->conf.schedule, time(NULL));
        if (change_s > 0)
            wake = kiosk_earliest(wake, now + (uint64_t)change_s * 1000);
    }
    if (r->setup->show.ticker.on && kiosk_loop_drawing(&r->loop))
        wake = kiosk_earliest(wake, r->ticker_at);
    if (!r->clock_ok) /* the poller waits for the clock: look again soon */
        wake = kiosk_earliest(wake, now + CLOCK_LOOK_MS);
    if (r->metrics.path) /* the next slot of kiosk.prom */
        wake = kiosk_earliest(wake, now + (uint64_t)kiosk_clamp_s(r->metrics.checked_unix +
                                                                  KIOSK_METRICS_MIN_S -
                                                                  (int64_t)time(NULL)) *
                                              1000);
    wake = kiosk_earliest(wake, r->poll_at);
    int64_t status_due = kiosk_fleet_status_due(r->fleet);
    if (status_due)
        wake = kiosk_earliest(
            wake, now + (uint64_t)kiosk_clamp_s(status_due - (int64_t)time(NULL)) * 1000);
    SDL_Event ev;
    if (!next_event(&ev, wake > now ? (int)(wake - now) : 0))
        return;
    do
        handle_event(r, &ev, SDL_GetTicks64());
    while (SDL_PollEvent(&ev));
}

/* status.json is rewritten now and then even when nothing changed: one that ages tells
 * `kiosk status` the kiosk is hung or gone */
static void handle_heartbeat(struct run *r)
{
    if (r->has_runtime && kiosk_status_due(&r->status, (int64_t)time(NULL)))
        r->loop.status_dirty = true;
}

static void run_playloop(struct run *r)
{
    while (!r->quit) {
        uint64_t now = SDL_GetTicks64();
        if (now >= r->exit_at)
            break;
        handle_display(r, now);
        handle_clock(r);
        handle_quarantine(r, now);
        handle_remote_trial(r, now);
        handle_power(r, now);
        handle_heartbeat(r);
        handle_metrics(r);
        handle_fleet_due(r, now);
        if (kiosk_show_take_redraw(&r->setup->show, r->loop.slide)) /* request_redraw */
            r->loop.dirty = true;
        kiosk_loop_prepare_step(&r->loop, now);
        kiosk_loop_schedule_step(&r->loop, now);
        kiosk_loop_transition_step(&r->loop, now);
        kiosk_loop_redraw_step(&r->loop, now);
        handle_ticker(r, now);
        kiosk_loop_notify_step(&r->loop, now);
        kiosk_loop_status_step(&r->loop, now);
        wait_events(r, now);
    }
}

/* ---- start and stop ---- */

/* The remote configuration, when the local config's [fleet] names a config_url: a remote
 * document kept from the last run replaces the local config now, before any network. */
static void start_remote(struct run *r)
{
    r->trial_ends = UINT64_MAX;
    if (!r->opt->setup.config)
        return;
    if (!r->has_state) {
        if (r->setup->conf.remote.config_url)
            fprintf(stderr, "kiosk run: [fleet] config_url needs a state directory (state_dir "
                            "or --state) to keep what it applies: no remote configuration\n");
        return;
    }
    struct kiosk_remote_options o = {.local_config = r->opt->setup.config,
                                     .state_dir = r->state_dir,
                                     .interval_override_s = r->opt->interval_s,
                                     .check = r->opt->check_config,
                                     .on_ready = on_remote_ready,
                                     .on_status = on_status,
                                     .ctx = &r->ho,
                                     .log = stderr};
    if (kiosk_remote_start(&o, &r->remote) != 0)
        return;
    /* a remote document names neither: the run keeps the local config's */
    r->args.state = r->state_dir;
    if (r->has_runtime)
        r->args.runtime = r->runtime_dir;
    const char *active = kiosk_remote_active(r->remote);
    if (!active)
        return;
    struct kiosk_setup *s = malloc(sizeof *s);
    struct kiosk_diags d = {0};
    snprintf(r->config_path, sizeof r->config_path, "%s", active);
    r->args.config = r->config_path;
    if (s && kiosk_setup_open(s, &r->args, stderr, &d) == 0) {
        kiosk_setup_close(r->setup);
        free(r->setup);
        take_setup(r, s);
        fprintf(stderr, "kiosk run: running the remote configuration %s\n", active);
    } else {
        char line[1024] = "out of memory";
        if (d.count)
            kiosk_diag_format(&d.items[0], line, sizeof line);
        fprintf(stderr,
                "kiosk run: the remote configuration %s does not start (%s): running the local "
                "config\n",
                active, line);
        free(s);
        r->args.config = r->opt->setup.config;
        r->config_path[0] = '\0';
    }
    kiosk_diags_free(&d);
}

static int start(struct run *r)
{
    struct kiosk_diags d = {0};
    r->args = r->opt->setup;
    r->args.breaker = &r->breaker;
    r->setup = calloc(1, sizeof *r->setup);
    int rc = r->setup ? kiosk_setup_fonts(r->opt->setup.data_dir, &r->fonts, &d) : KIOSK_ENOMEM;
    if (rc == 0 && (rc = kiosk_setup_open(r->setup, &r->args, stderr, &d)) != 0) {
        free(r->setup);
        r->setup = NULL;
    }
    kiosk_diags_print(stderr, &d);
    kiosk_diags_free(&d);
    if (rc)
        return -1;
    r->clock_ok = clock_trusted(r);
    take_setup(r, r->setup);
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0 || SDL_Init(SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "kiosk run: cannot start SDL: %s\n",
                wake_fd < 0 ? strerror(errno) : SDL_GetError());
        return -1;
    }
    const char *dir = kiosk_setup_state_dir(r->setup);
    if (dir) {
        snprintf(r->state_dir, sizeof r->state_dir, "%s", dir);
        r->has_state = true;
        if (kiosk_make_dirs(dir) != 0)
            fprintf(stderr, "kiosk run: cannot create the state directory %s: %s\n", dir,
                    strerror(errno));
    }
    const char *rt = kiosk_setup_runtime_dir(r->setup);
    if (rt) {
        snprintf(r->runtime_dir, sizeof r->runtime_dir, "%s", rt);
        r->has_runtime = true;
        kiosk_status_init(&r->status, r->runtime_dir);
        if (r->status.durable)
            fprintf(stderr,
                    "kiosk run: %s is not tmpfs: status.json is written there only when it "
                    "changes (set runtime_dir, or RuntimeDirectory= under systemd)\n",
                    r->runtime_dir);
    }
    const char *prom = r->setup->conf.metrics_file;
    char prom_path[4200];
    if (!prom && r->has_runtime) {
        snprintf(prom_path, sizeof prom_path, "%s/%s", r->runtime_dir, KIOSK_METRICS_FILE);
        prom = prom_path;
    }
    /* fixed for the run, like status.json */
    if (prom && kiosk_metrics_place(&r->metrics, prom))
        fprintf(stderr,
                "kiosk run: %s is not on tmpfs: it is written only when it changes, or every "
                "%d min (a node exporter then sees it age: set metrics_file or runtime_dir to "
                "tmpfs)\n",
                prom, KIOSK_METRICS_DURABLE_S / 60);
    r->ho.data_event = SDL_RegisterEvents(6);
    r->ho.status_event = r->ho.data_event + 1;
    r->sig.hup_event = r->ho.data_event + 2;
    r->ho.remote_event = r->ho.data_event + 3;
    r->ho.own_event = r->ho.data_event + 4;
    r->fleet_event = r->ho.data_event + 5;
    r->poll_at = UINT64_MAX;
    r->seed = kiosk_random_seed();
    const struct kiosk_fleet_conf *fc = &r->setup->conf.fleet;
    snprintf(r->fleet_broker, sizeof r->fleet_broker, "%s", fc->broker ? fc->broker : "");
    snprintf(r->fleet_id, sizeof r->fleet_id, "%s", fc->id);
    r->poll_spread_s = fc->poll_spread_s;
    if (kiosk_fleet_start(fc, fleet_wake, r, stderr, &r->fleet) != 0)
        fprintf(stderr, "kiosk run: the fleet's broker is left out: the kiosk runs alone\n");
    pthread_mutex_init(&r->ho.mu, NULL);
    r->pc = (struct kiosk_poller_config){.state_dir = r->has_state ? r->state_dir : NULL,
                                         .interval_override_s = r->opt->interval_s,
                                         .on_snapshot = on_snapshot,
                                         .on_status = on_status,
                                         .ctx = &r->ho,
                                         .log = stderr};
    kiosk_fetch_global_init();
    start_remote(r);
    if (start_poller(r, r->setup) != 0) {
        fprintf(stderr, "kiosk run: cannot start polling the sources\n");
        return -1;
    }
    r->snap = take(&r->ho); /* the cached data, when there was some */
    start_own_sources(r, r->setup);
    r->start = SDL_GetTicks64();
    r->exit_at =
        r->opt->exit_after_s > 0 ? r->start + (uint64_t)(r->opt->exit_after_s * 1000) : UINT64_MAX;
    r->started_unix = (int64_t)time(NULL);
    r->ops = (struct kiosk_loop_ops){.ctx = r,
                                     .draw = op_draw,
                                     .present = op_present,
                                     .notify = op_notify,
                                     .write_status = op_write_status,
                                     .duration_ms = op_duration_ms,
                                     .has_content = op_has_content,
                                     .scheduled = op_scheduled,
                                     .fallback = op_fallback,
                                     .prepare = op_prepare,
                                     .ready = op_ready};
    kiosk_loop_init(&r->loop, &r->ops, r->setup->show.n, r->start);
    r->loop.prepare_ms = prepare_lead(r->setup);
    uint64_t watchdog_us = 0;
    if (sd_watchdog_enabled(0, &watchdog_us) > 0)
        /* pinged every third of its period: a late frame still leaves a margin */
        r->loop.watchdog_ms = watchdog_us / 3000;

    /* The display. None yet (a TV switched off at boot, a cable not plugged in) is no
     * reason to stop: the sources are polled meanwhile, and the kiosk shows as soon as a
     * screen appears. It follows the screens while it runs, too. */
    r->watch = (struct kiosk_watch){.scr = &r->scr,
                                    .opts = {.renderer = r->renderer,
                                             .windowed = r->opt->windowed,
                                             .w = r->opt->width,
                                             .h = r->opt->height,
                                             .fonts = r->fonts,
                                             .rotate = r->setup->conf.rotate},
                                    .dir = kiosk_connectors_dir(),
                                    .log = stderr};
    kiosk_watch_start(&r->watch, r->start);
    /* black first, then the screen off; on again in the same order, the loop redrawing */
    r->outputs[0] = (struct kiosk_display_power){cec_set, NULL};
    r->outputs[1] = (struct kiosk_display_power){blank_set, &r->scr};
    r->outputs[2] = (struct kiosk_display_power){dpms_set, &r->scr};
    r->power.outputs = r->outputs;
    r->power.n_outputs = 3;
    r->loop.screen_on = kiosk_power_update(&r->power, time(NULL), clock_trusted(r));
    if (!r->power.trust_clock)
        fprintf(stderr, "screen: the system clock is not synchronised yet: on until it is\n");
    if (kiosk_display_is_open(&r->scr))
        display_opened(r, r->start);
    r->sig.started = pthread_create(&r->sig.thread, NULL, signal_main, &r->sig) == 0;
    return 0;
}

static void stop(struct run *r)
{
    const struct kiosk_loop_stats *st = &r->loop.stats;
    if (r->ops.ctx)
        fprintf(stderr,
                "kiosk run: stopping after %.1f s, %lu frames: %lu full redraws (mean %.1f ms, "
                "max %.1f ms), %lu transition frames (%s, mean %.1f ms, max %.1f ms)\n",
                (double)(SDL_GetTicks64() - r->start) / 1000, st->frames, st->redraws,
                st->redraws ? st->redraw_ms / (double)st->redraws : 0, st->redraw_max,
                st->trans_frames, r->push ? "push" : "fade",
                st->trans_frames ? st->trans_ms / (double)st->trans_frames : 0, st->trans_max);
    sd_notify(0, "STOPPING=1");
    if (r->sig.started) {
        r->sig.stop = 1;
        pthread_kill(r->sig.thread, SIGHUP);
        pthread_join(r->sig.thread, NULL);
    }
    kiosk_fleet_stop(r->fleet); /* the broker says the kiosk is offline */
    r->fleet = NULL;
    kiosk_remote_stop(r->remote);
    kiosk_poller_stop(r->poller);
    kiosk_own_sources_stop(&r->own);
    if (r->ho.data_event) {
        kiosk_snapshot_unref(take(&r->ho));
        pthread_mutex_destroy(&r->ho.mu);
    }
    kiosk_snapshot_unref(r->snap);
    kiosk_display_close(&r->scr);
    SDL_Quit();
    if (wake_fd >= 0)
        close(wake_fd);
    wake_fd = -1;
    if (r->setup)
        kiosk_setup_close(r->setup);
    free(r->setup);
    kiosk_breaker_close(&r->breaker); /* a clean stop: no note left */
    kiosk_fonts_close(r->fonts);
    kiosk_status_free(&r->status);
    kiosk_banner_free(&r->banner);
    kiosk_metrics_writer_free(&r->metrics);
}

int kiosk_run(const struct kiosk_run_options *o)
{
    /* the signals go to one thread only, which turns them into events for the loop; every
     * thread started from here on inherits the mask */
    struct run r = {.opt = o};
    block_signals(&r.sig);
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    int rc = start(&r);
    if (rc == 0)
        run_playloop(&r);
    stop(&r);
    return rc == 0 ? 0 : 1;
}
