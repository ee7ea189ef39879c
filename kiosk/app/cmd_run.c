/* kiosk run: the appliance. A full-screen SDL2 window (KMSDRM on a board without a
 * desktop, X11 or Wayland on a desktop, a window with --windowed) that rotates the
 * playlist. A reader thread rescores the sources and hands the screen a finished
 * snapshot; the screen never waits for it, and a failed read keeps the last good data.
 * When nothing moves the loop sleeps until the next page turn, slide change, minute or
 * new data: a static slide costs no CPU. */
#include "app.h"
#include "cli.h"
#include "display.h"
#include "fetch.h"
#include "pipeline.h"
#include "schedule.h"
#include "status.h"

#include <SDL2/SDL.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <systemd/sd-daemon.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TRANSITION_MS 700.0

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
    Uint32 data_event, status_event;
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

static struct kiosk_snapshot *take(struct handover *h)
{
    pthread_mutex_lock(&h->mu);
    struct kiosk_snapshot *s = h->latest;
    h->latest = NULL;
    pthread_mutex_unlock(&h->mu);
    return s;
}

/* The poller's view of the configured sources (or of --feed). Tokens are read from their
 * files here, once; they go into a request header and nowhere else. */
struct poll_setup {
    struct kiosk_poll_source *src;
    char **names, **headers; /* owned */
    size_t n;
};

static int poll_setup(struct poll_setup *ps, const struct kiosk_app *app)
{
    const struct kiosk_app_args *args = app->args;
    size_t n = args->n_feeds ? args->n_feeds : app->conf.n_sources;
    ps->n = n;
    ps->src = calloc(n ? n : 1, sizeof *ps->src);
    ps->names = calloc(n ? n : 1, sizeof *ps->names);
    ps->headers = calloc(2 * (n ? n : 1), sizeof *ps->headers);
    if (!ps->src || !ps->names || !ps->headers)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct kiosk_poll_source *s = &ps->src[i];
        if (args->n_feeds) {
            char name[32];
            snprintf(name, sizeof name, "feed%zu", i + 1);
            ps->names[i] = strdup(name);
            s->name = ps->names[i];
            s->url = args->feeds[i];
            s->interval_s = 300;
            continue;
        }
        const struct kiosk_source_conf *c = &app->conf.sources[i];
        s->name = c->name;
        s->url = c->location;
        s->group = c->group;
        s->period = c->period;
        s->post_body = c->post_body;
        s->ca_file = c->ca_file;
        s->interval_s = c->interval_s;
        s->timeout_s = c->timeout_s;
        if (c->token_file) {
            char token[1024] = "";
            FILE *f = fopen(c->token_file, "r");
            if (!f || !fgets(token, sizeof token, f)) {
                fprintf(stderr, "source %s: cannot read token_file %s\n", c->name, c->token_file);
                if (f)
                    fclose(f);
                return -1;
            }
            fclose(f);
            token[strcspn(token, "\r\n")] = '\0';
            size_t size = strlen(token) + 32;
            ps->headers[2 * i] = malloc(size);
            if (!ps->headers[2 * i])
                return -1;
            snprintf(ps->headers[2 * i], size, "Authorization: Bearer %s", token);
            explicit_bzero(token, sizeof token);
            s->headers = (const char *const *)&ps->headers[2 * i];
        }
    }
    return 0;
}

static void poll_setup_free(struct poll_setup *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->names)
            free(ps->names[i]);
        if (ps->headers && ps->headers[2 * i]) {
            explicit_bzero(ps->headers[2 * i], strlen(ps->headers[2 * i]));
            free(ps->headers[2 * i]);
        }
    }
    free(ps->src);
    free(ps->names);
    free(ps->headers);
}

/* ---- signals: SIGHUP reloads the configuration, SIGTERM and SIGINT stop ----
 * They are blocked in every thread; this one takes them and turns them into events for
 * the loop. */

struct signal_thread {
    pthread_t thread;
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

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* ---- the display's power ---- */

/* The black screen: nothing is drawn while off (the last call made the window black). */
struct blank {
    struct kiosk_display *scr;
    bool off;
};

static int blank_set(void *ctx, bool on)
{
    struct blank *b = ctx;
    b->off = !on;
    if (!on)
        kiosk_display_black(b->scr);
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

/* Reads the config again; on success swaps the playlist and restarts the poller on the
 * new sources, the screen keeping its last frame meanwhile. A config that does not read,
 * or whose slides cannot be made, is reported and the running one kept. */
static bool reload(struct kiosk_app *app, struct poll_setup *ps, struct kiosk_poller_config *pc,
                   struct kiosk_poller **poller)
{
    struct kiosk_config fresh;
    struct kiosk_diags d = {0};
    struct kiosk_show show;
    char line[1024] = "";
    if (kiosk_config_load(app->conf.path, &fresh, &d)) {
        if (d.count)
            kiosk_diag_format(&d.items[0], line, sizeof line);
        fprintf(stderr, "kiosk run: SIGHUP: %s; keeping the running configuration\n", line);
        kiosk_config_free(&fresh);
        kiosk_diags_free(&d);
        return false;
    }
    kiosk_diags_free(&d);
    if (kiosk_show_build(&show, &fresh, &app->plugins, stderr) == 0) {
        fprintf(stderr,
                "kiosk run: SIGHUP: %s: no slide can be shown; keeping the running "
                "configuration\n",
                fresh.path);
        kiosk_show_free(&show);
        kiosk_config_free(&fresh);
        return false;
    }
    kiosk_poller_stop(*poller);
    *poller = NULL;
    poll_setup_free(ps);
    kiosk_show_free(&app->show);
    kiosk_config_free(&app->conf);
    app->conf = fresh; /* the slides point into its arrays, which move with it */
    app->show = show;
    setenv("TZ", app->conf.timezone, 1);
    tzset();
    app->so.lang = app->conf.lang;
    app->so.home = app->conf.home;
    app->so.threshold = app->conf.threshold;
    app->so.bands = app->conf.bands;
    app->so.n_bands = app->conf.n_bands;
    memset(ps, 0, sizeof *ps);
    if (poll_setup(ps, app) == 0) {
        pc->sources = ps->src;
        pc->n_sources = ps->n;
        kiosk_poller_start(pc, poller);
    }
    fprintf(stderr, "kiosk run: SIGHUP: configuration reloaded: %zu slides, %zu sources\n",
            app->show.n, ps->n);
    return true;
}

/* Push or fade, or none: fade needs a GPU, and one slide has nothing to move to. */
static void choose_transitions(const struct kiosk_app *app, const struct kiosk_display *scr,
                               bool *push, bool *transitions)
{
    const char *t = app->conf.transition;
    *push = strcmp(t, "push") == 0 || (strcmp(t, "fade") == 0 && scr->software);
    *transitions = strcmp(t, "none") != 0 && app->show.n > 1;
}

/* ---- following the display ---- */

#define DISPLAY_CHECK_MS 2000  /* a look at the connectors */
#define DISPLAY_RETRY_MS 10000 /* a try to open while there is no display */
#define NEVER_MS UINT64_MAX

struct display_watch {
    struct kiosk_display *scr;
    struct kiosk_display_options opts;
    const char *dir;              /* where the kernel lists its connectors */
    struct kiosk_connectors seen; /* as last read */
    Uint64 check_at, retry_at;    /* SDL ticks */
    Uint64 extend_at;             /* the next start-time extension asked of systemd */
    Uint64 lost_at;               /* since when there is no display */
    bool event;                   /* SDL said the screens changed: look now */
    bool force_reopen;            /* the renderer is lost: open anew */
    bool reopened;                /* opened (anew); the loop has not caught up yet */
    bool ever_open, said_waiting;
};

static void display_watch_schedule(struct display_watch *w, Uint64 now)
{
    bool open = kiosk_display_is_open(w->scr);
    if (w->seen.n > 0)
        w->check_at = now + DISPLAY_CHECK_MS;
    else /* nothing to look at: SDL's events and the retries tell */
        w->check_at = open ? NEVER_MS : w->retry_at;
}

/* Tries to open the display; says why not once per absence, and tries again later. */
static void display_watch_open(struct display_watch *w, Uint64 now, const char *what)
{
    const char *why = NULL;
    if (w->seen.n > 0 && w->seen.connected == 0) {
        why = "no screen connected";
        SDL_SetError("%s: no connector has a screen", w->dir);
    } else if (kiosk_display_open(w->scr, &w->opts, stderr) == 0) {
        if (w->said_waiting)
            fprintf(stderr, "kiosk run: the display %s after %llu s\n",
                    w->ever_open ? "is back" : "appeared",
                    (unsigned long long)((now - w->lost_at) / 1000));
        w->ever_open = w->reopened = true;
        w->said_waiting = false;
    } else {
        why = SDL_GetError();
    }
    if (why && !w->said_waiting) {
        fprintf(stderr,
                "kiosk run: %s (%s); trying again every 10 s, polling meanwhile (on a board: "
                "SDL_VIDEODRIVER=kmsdrm on the console; without a screen: kiosk snapshot)\n",
                what, why);
        w->said_waiting = true;
    }
    if (why)
        w->retry_at = now + DISPLAY_RETRY_MS;
    display_watch_schedule(w, now);
}

static void display_watch_start(struct display_watch *w, Uint64 now)
{
    kiosk_connectors_read(w->dir, &w->seen);
    w->lost_at = now;
    w->extend_at = now; /* at once when there is no display */
    display_watch_open(w, now, "no display yet");
}

/* Looks at the screens plugged in and follows them: closes the display when the last one
 * goes, opens it anew when they change, opens it when one comes. True when the display
 * was closed or opened. */
static bool display_watch_update(struct display_watch *w, Uint64 now)
{
    struct kiosk_connectors c;
    kiosk_connectors_read(w->dir, &c);
    bool open = kiosk_display_is_open(w->scr);
    enum kiosk_display_action a =
        open && w->force_reopen
            ? KIOSK_DISPLAY_REOPEN
            : kiosk_display_decide(open, &w->seen, &c, w->event || now >= w->retry_at);
    w->seen = c;
    w->event = w->force_reopen = false;
    switch (a) {
    case KIOSK_DISPLAY_KEEP:
        display_watch_schedule(w, now);
        return false;
    case KIOSK_DISPLAY_CLOSE:
        fprintf(stderr,
                "screen: no screen is connected any more (%s: %d connectors); nothing is "
                "shown until one is, polling goes on\n",
                w->dir, c.n);
        kiosk_display_close(w->scr);
        w->lost_at = now;
        w->said_waiting = true;
        w->retry_at = now + DISPLAY_RETRY_MS;
        display_watch_schedule(w, now);
        return true;
    case KIOSK_DISPLAY_REOPEN:
        fprintf(stderr, "screen: the screens changed (%d connected); opening the display anew\n",
                c.connected);
        kiosk_display_close(w->scr);
        w->lost_at = now;
        display_watch_open(w, now, "cannot open the display again");
        return true;
    case KIOSK_DISPLAY_OPEN:
        display_watch_open(w, now, "no display");
        return kiosk_display_is_open(w->scr);
    }
    return false;
}

int kiosk_cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"feed", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, 'S'},
        {"windowed", no_argument, NULL, 'w'},
        {"exit-after", required_argument, NULL, 'x'},
        {"size", required_argument, NULL, 's'},
        {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct kiosk_app_args args = {0};
    const char *feeds[64];
    bool windowed = false;
    double exit_after_s = 0;
    int c;
    optind = 1;
    int win_w = 1280, win_h = 720;
    double interval_override = 0;
    while ((c = getopt_long(argc, argv, "c:f:S:wx:s:i:h", longopts, NULL)) != -1) {
        int shared = cli_app_option("run", c, optarg, &args, feeds, 64);
        if (shared < 0)
            return KIOSK_EXIT_USAGE;
        if (shared)
            continue;
        switch (c) {
        case 'w':
            windowed = true;
            break;
        case 'x':
            if (cli_parse_number(optarg, 0.001, 1e9, &exit_after_s)) {
                fprintf(stderr, "kiosk run: --exit-after: expected seconds above 0, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_parse_size_wxh("run", optarg, &win_w, &win_h))
                return KIOSK_EXIT_USAGE;
            break;
        case 'i':
            if (cli_parse_number(optarg, 0.2, 86400, &interval_override)) {
                fprintf(stderr, "kiosk run: --interval: expected seconds from 0.2, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: kiosk run [--config FILE] [--feed SOURCE]... [--state DIR] "
                   "[--windowed [--size WxH]] [--interval S] [--exit-after S]\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    /* the signals go to one thread only, which turns them into events for the loop; every
     * thread started from here on inherits the mask */
    struct signal_thread sig_thread = {0};
    block_signals(&sig_thread);
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    struct kiosk_diags d = {0};
    struct kiosk_app app;
    if (kiosk_app_open(&app, &args, stderr, &d)) {
        cli_print_diags(stderr, &d);
        kiosk_diags_free(&d);
        kiosk_app_close(&app);
        return KIOSK_EXIT_INPUT;
    }
    cli_print_diags(stderr, &d);
    kiosk_diags_free(&d);
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0 || SDL_Init(SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "kiosk run: cannot start SDL: %s\n",
                wake_fd < 0 ? strerror(errno) : SDL_GetError());
        if (wake_fd >= 0)
            close(wake_fd);
        kiosk_app_close(&app);
        return KIOSK_EXIT_INPUT;
    }
    /* fixed for the run: a new state_dir in a reloaded config needs a restart */
    char state_buf[4096];
    const char *state_dir = args.state ? args.state : app.conf.state_dir;
    if (state_dir) {
        snprintf(state_buf, sizeof state_buf, "%s", state_dir);
        state_dir = state_buf;
    }
    if (state_dir && kiosk_make_dirs(state_dir) != 0)
        fprintf(stderr, "kiosk run: cannot create the state directory %s: %s\n", state_dir,
                strerror(errno));
    struct handover ho = {.data_event = SDL_RegisterEvents(2)};
    ho.status_event = ho.data_event + 1;
    pthread_mutex_init(&ho.mu, NULL);
    struct poll_setup ps = {0};
    struct kiosk_poller *poller = NULL;
    struct kiosk_poller_config pc = {.state_dir = state_dir,
                                     .score = &app.so,
                                     .interval_override_s = interval_override,
                                     .on_snapshot = on_snapshot,
                                     .on_status = on_status,
                                     .ctx = &ho,
                                     .log = stderr};
    kiosk_fetch_global_init();
    if (poll_setup(&ps, &app) ||
        (pc.sources = ps.src, pc.n_sources = ps.n, kiosk_poller_start(&pc, &poller))) {
        fprintf(stderr, "kiosk run: cannot start polling the sources\n");
        poll_setup_free(&ps);
        SDL_Quit();
        close(wake_fd);
        kiosk_app_close(&app);
        return KIOSK_EXIT_INPUT;
    }

    /* The display. None yet (a TV switched off at boot, a cable not plugged in) is no
     * reason to stop: the sources are polled meanwhile, and the kiosk shows as soon as a
     * screen appears. It follows the screens while it runs, too. */
    struct kiosk_display scr = {.bg = app.show.theme->colors[KIOSK_COLOR_BACKGROUND]};
    struct display_watch dw = {.scr = &scr,
                               .opts = {.renderer = app.conf.renderer,
                                        .windowed = windowed,
                                        .w = win_w,
                                        .h = win_h,
                                        .fonts = app.fonts},
                               .dir = kiosk_connectors_dir()};
    Uint64 start = SDL_GetTicks64();
    display_watch_start(&dw, start);
    bool push = false, transitions = false;
    Uint64 frame_ms = 16;

    struct blank blank = {.scr = &scr};
    /* black first, then the screen off; on again in the same order, the loop redrawing */
    struct kiosk_display_power outputs[] = {{cec_set, NULL}, {blank_set, &blank}, {dpms_set, &scr}};
    struct kiosk_power_ctl power = {
        .schedule = &app.conf.schedule, .outputs = outputs, .n_outputs = 3};
    bool screen_on = kiosk_power_update(
        &power, time(NULL), app.conf.schedule.trust_clock || kiosk_clock_synchronised());
    if (!power.trust_clock)
        fprintf(stderr, "screen: the system clock is not synchronised yet: on until it is\n");
    sig_thread.hup_event = SDL_RegisterEvents(1);
    pthread_create(&sig_thread.thread, NULL, signal_main, &sig_thread);
    int64_t started = (int64_t)time(NULL);
    bool status_dirty = true, ready = false;
    uint64_t watchdog_us = 0;
    if (sd_watchdog_enabled(0, &watchdog_us) <= 0)
        watchdog_us = 0;

    struct kiosk_snapshot *snap = take(&ho); /* the cached data, when there was some */
    size_t slide = 0, next = 0;
    int cur = 0;
    Uint64 slide_start = start, trans_start = 0, redraw_at = 0;
    bool in_transition = false, dirty = true, running = true;
    int next_hint = KIOSK_REDRAW_NEVER;
    unsigned long frames = 0, redraws = 0, trans_frames = 0;
    double redraw_ms = 0, redraw_max = 0, trans_ms = 0, trans_max = 0;
    while (running) {
        Uint64 now = SDL_GetTicks64();
        if (exit_after_s > 0 && now - start >= (Uint64)(exit_after_s * 1000))
            break;
        /* the display: gone, changed, back */
        if (now >= dw.check_at || dw.event) {
            if (display_watch_update(&dw, now))
                status_dirty = true;
        }
        bool open = kiosk_display_is_open(&scr);
        if (open && dw.reopened) {
            /* a new window: its renderer decides the transitions, its mode their pace */
            choose_transitions(&app, &scr, &push, &transitions);
            frame_ms = (Uint64)(1000 / scr.hz);
            fprintf(stderr, "screen: %dx%d, %d Hz, %s transitions\n", scr.w, scr.h, scr.hz,
                    !transitions ? "no"
                    : push       ? "push"
                                 : "fade");
            in_transition = false;
            dirty = true;
            dw.reopened = false;
            if (!screen_on) { /* a new display while asleep: asleep too */
                kiosk_display_black(&scr);
                dpms_set(&scr, false);
            }
        }
        if (!open)
            in_transition = false;
        /* working hours: off means no drawing at all, only the poller and the clock */
        bool was_on = screen_on;
        if (app.conf.schedule.configured)
            screen_on = kiosk_power_update(
                &power, time(NULL), app.conf.schedule.trust_clock || kiosk_clock_synchronised());
        if (screen_on != was_on) {
            status_dirty = true;
            in_transition = false;
            dirty = screen_on; /* back on: draw the current slide at once */
        }
        bool drawing = screen_on && open;
        /* what needs doing now */
        Uint64 slide_end = slide_start + (Uint64)(app.show.slides[slide].conf->duration_s * 1000);
        if (drawing && !in_transition && transitions && now >= slide_end) {
            next = (slide + 1) % app.show.n;
            next_hint = kiosk_show_render(&app.show, next, scr.canvas[1 - cur], snap, 0, wall_ms());
            kiosk_display_upload(&scr, 1 - cur);
            in_transition = true;
            trans_start = now;
        }
        if (in_transition) {
            double p = (double)(now - trans_start) / TRANSITION_MS;
            if (p >= 1) {
                in_transition = false;
                cur = 1 - cur;
                slide = next;
                status_dirty = true;
                slide_start = now; /* the slide's own clock starts now; it is drawn already */
                redraw_at = next_hint == KIOSK_REDRAW_NOW ? now + 16 : now + (Uint64)next_hint;
                kiosk_display_present(&scr, cur, 0, push);
            } else {
                Uint64 t0 = SDL_GetPerformanceCounter();
                kiosk_display_present(&scr, cur, p, push);
                double ms = 1000.0 * (double)(SDL_GetPerformanceCounter() - t0) /
                            (double)SDL_GetPerformanceFrequency();
                trans_ms += ms;
                trans_max = ms > trans_max ? ms : trans_max;
                trans_frames++;
                frames++;
            }
        }
        if (drawing && !in_transition && (dirty || (redraw_at && now >= redraw_at))) {
            Uint64 t0 = SDL_GetPerformanceCounter();
            int hint = kiosk_show_render(&app.show, slide, scr.canvas[cur], snap,
                                         (double)(now - slide_start), wall_ms());
            redraw_at = hint == KIOSK_REDRAW_NOW ? now + 16 : now + (Uint64)hint;
            kiosk_display_upload(&scr, cur);
            kiosk_display_present(&scr, cur, 0, push);
            double ms = 1000.0 * (double)(SDL_GetPerformanceCounter() - t0) /
                        (double)SDL_GetPerformanceFrequency();
            redraw_ms += ms;
            redraw_max = ms > redraw_max ? ms : redraw_max;
            redraws++;
            frames++;
            dirty = false;
        }
        if (!ready && open && !in_transition) {
            sd_notify(0, "READY=1\nSTATUS=showing"); /* the first frame is on screen */
            ready = true;
        } else if (!ready && now >= dw.extend_at) {
            /* still no display: ask systemd for more start time */
            sd_notify(0, "STATUS=waiting for a display\nEXTEND_TIMEOUT_USEC=20000000");
            dw.extend_at = now + 10000;
        }
        if (watchdog_us)
            sd_notify(0, "WATCHDOG=1"); /* only a loop that draws reaches this line */
        if (status_dirty && state_dir) {
            struct kiosk_source_status st[64];
            size_t n = poller ? kiosk_poller_status(poller, st, 64) : 0;
            struct kiosk_status_info si = {.started_unix = started,
                                           .slide = app.show.slides[slide].conf->name,
                                           .snap = snap,
                                           .stale_after_h = app.conf.stale_after_h,
                                           .sources = st,
                                           .n_sources = n,
                                           .plugins = &app.plugins,
                                           .failed = app.show.failed,
                                           .n_failed = app.show.n_failed,
                                           .display = screen_on,
                                           .display_connected = open,
                                           .clock_synchronised = power.trust_clock};
            if (kiosk_status_write(state_dir, &si) != 0)
                fprintf(stderr, "kiosk run: cannot write %s/%s: %s\n", state_dir, KIOSK_STATUS_FILE,
                        strerror(errno));
            status_dirty = false;
        }
        /* sleep until then: the next frame of a transition, a redraw, a slide change;
         * asleep or without a display, only the hours, the data, the screens plugged in
         * and the watchdog wake it */
        Uint64 wake = now + 60000;
        if (drawing) {
            wake = in_transition ? now + frame_ms : redraw_at;
            if (transitions && !in_transition && slide_end < wake)
                wake = slide_end;
        }
        if (exit_after_s > 0 && start + (Uint64)(exit_after_s * 1000) < wake)
            wake = start + (Uint64)(exit_after_s * 1000);
        if (dw.check_at < wake)
            wake = dw.check_at; /* a look at the screens plugged in */
        if (!ready && dw.extend_at < wake)
            wake = dw.extend_at;
        if (app.conf.schedule.configured) {
            long change_s = kiosk_schedule_next_change(&app.conf.schedule, time(NULL));
            if (change_s > 0 && now + (Uint64)change_s * 1000 < wake)
                wake = now + (Uint64)change_s * 1000;
            if (!power.trust_clock && now + 60000 < wake)
                wake = now + 60000; /* look at the clock again in a minute */
        }
        if (watchdog_us && now + watchdog_us / 2000 < wake)
            wake = now + watchdog_us / 2000; /* ping the watchdog at half its period */
        int timeout = wake > now ? (int)(wake - now) : 0;
        SDL_Event ev;
        if (!next_event(&ev, timeout))
            continue;
        do {
            if (ev.type == SDL_QUIT)
                running = false;
            else if (ev.type == SDL_KEYDOWN && windowed &&
                     (ev.key.keysym.sym == SDLK_ESCAPE || ev.key.keysym.sym == SDLK_q))
                running = false;
            else if (ev.type == ho.data_event) {
                struct kiosk_snapshot *fresh = take(&ho);
                if (fresh) {
                    kiosk_snapshot_unref(snap);
                    snap = fresh;
                    dirty = true;
                    status_dirty = true;
                }
            } else if (ev.type == ho.status_event) {
                status_dirty = true;
            } else if (ev.type == sig_thread.hup_event) {
                if (reload(&app, &ps, &pc, &poller)) {
                    slide = 0;
                    in_transition = false;
                    choose_transitions(&app, &scr, &push, &transitions);
                    scr.bg = app.show.theme->colors[KIOSK_COLOR_BACKGROUND];
                    slide_start = SDL_GetTicks64();
                    dirty = true;
                    status_dirty = true;
                }
            } else if (ev.type == SDL_DISPLAYEVENT) {
                /* a screen connected or disconnected (X11, Wayland): look now */
                dw.event = true;
            } else if (ev.type == SDL_RENDER_DEVICE_RESET) {
                /* the renderer lost its device (a GPU reset, a mode change): open anew */
                fprintf(stderr, "screen: the renderer lost its device; opening the display "
                                "again\n");
                dw.event = dw.force_reopen = true;
            } else if (ev.type == SDL_RENDER_TARGETS_RESET) {
                dirty = true;
            } else if (ev.type == SDL_WINDOWEVENT &&
                       (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                        ev.window.event == SDL_WINDOWEVENT_EXPOSED)) {
                if (open && kiosk_display_fit(&scr, app.fonts)) {
                    fprintf(stderr,
                            "screen: cannot follow the new size (%s); opening the "
                            "display again\n",
                            SDL_GetError());
                    dw.event = dw.force_reopen = true;
                }
                in_transition = false;
                dirty = true;
            }
        } while (SDL_PollEvent(&ev));
    }
    fprintf(stderr,
            "kiosk run: stopping after %.1f s, %lu frames: %lu full redraws (mean %.1f ms, max "
            "%.1f ms), %lu transition frames (%s, mean %.1f ms, max %.1f ms)\n",
            (double)(SDL_GetTicks64() - start) / 1000, frames, redraws,
            redraws ? redraw_ms / (double)redraws : 0, redraw_max, trans_frames,
            push ? "push" : "fade", trans_frames ? trans_ms / (double)trans_frames : 0, trans_max);
    sd_notify(0, "STOPPING=1");
    sig_thread.stop = 1;
    pthread_kill(sig_thread.thread, SIGHUP);
    pthread_join(sig_thread.thread, NULL);
    kiosk_poller_stop(poller);
    poll_setup_free(&ps);
    kiosk_snapshot_unref(take(&ho));
    pthread_mutex_destroy(&ho.mu);
    kiosk_snapshot_unref(snap);
    kiosk_display_close(&scr);
    SDL_Quit();
    close(wake_fd);
    wake_fd = -1;
    kiosk_app_close(&app);
    return KIOSK_EXIT_OK;
}
