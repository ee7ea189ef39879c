/* kiosk run: the appliance. A full-screen SDL2 window (KMSDRM on a board without a
 * desktop, X11 or Wayland on a desktop, a window with --windowed) that rotates the
 * playlist. A reader thread rescores the sources and hands the screen a finished
 * snapshot; the screen never waits for it, and a failed read keeps the last good data.
 * When nothing moves the loop sleeps until the next page turn, slide change, minute or
 * new data: a static slide costs no CPU. */
#include "app.h"
#include "cli.h"

#include <SDL2/SDL.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TRANSITION_MS 700.0

/* ---- the reader thread ---- */

struct reader {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct kiosk_snapshot *latest; /* handed over, not yet taken */
    struct kiosk_app *app;
    long interval_ms;
    Uint32 event;
    char last_error[512]; /* said once, not on every attempt */
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        struct kiosk_diags d = {0};
        struct kiosk_snapshot *snap = NULL;
        int rc = kiosk_app_score(r->app, &d, &snap);
        char first[512] = "";
        if (d.count)
            kiosk_diag_format(&d.items[0], first, sizeof first);
        pthread_mutex_lock(&r->mu);
        if (rc == 0) {
            kiosk_snapshot_unref(r->latest);
            r->latest = snap;
            SDL_Event ev = {.type = r->event};
            SDL_PushEvent(&ev);
            r->last_error[0] = '\0';
        } else if (strcmp(first, r->last_error) != 0) {
            /* keep the last good data on screen; say what is wrong once */
            fprintf(stderr, "data: keeping the last good data: %s\n", first);
            snprintf(r->last_error, sizeof r->last_error, "%s", first);
        }
        kiosk_diags_free(&d);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->interval_ms / 1000;
        until.tv_nsec += (r->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static struct kiosk_snapshot *reader_take(struct reader *r)
{
    pthread_mutex_lock(&r->mu);
    struct kiosk_snapshot *s = r->latest;
    r->latest = NULL;
    pthread_mutex_unlock(&r->mu);
    return s;
}

/* ---- the screen ---- */

struct screen {
    SDL_Window *window;
    SDL_Renderer *renderer;
    bool software;
    SDL_Texture *tex[2];
    kiosk_canvas *canvas[2];
    int w, h;
};

/* Is the GL behind this renderer a software rasteriser (llvmpipe, softpipe, swrast)? */
static bool gl_is_software(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
        return false;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string;
    void *sym = SDL_GL_GetProcAddress("glGetString");
    memcpy(&get_string, &sym, sizeof get_string);
    const char *name = get_string ? (const char *)get_string(0x1F01 /* GL_RENDERER */) : NULL;
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                    strstr(name, "Software") || strstr(name, "swrast"));
}

static int screen_open(struct screen *s, const char *mode, bool windowed, int w, int h, FILE *log)
{
    /* without a GPU device, GL could only be a software rasteriser: do not even load it */
    bool gpu =
        access("/dev/dri/renderD128", R_OK | W_OK) == 0 || access("/dev/dri/card0", R_OK) == 0;
    bool software = strcmp(mode, "software") == 0 || (strcmp(mode, "auto") == 0 && !gpu);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (software)
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        Uint32 flags = windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
        s->window =
            SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
        if (!s->window)
            return -1;
        s->renderer =
            SDL_CreateRenderer(s->window, -1,
                               software ? SDL_RENDERER_SOFTWARE
                                        : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (s->renderer && !software && strcmp(mode, "auto") == 0 && gl_is_software(s->renderer)) {
            fprintf(log, "screen: the only GL is a software rasteriser; using the software "
                         "renderer\n");
            SDL_DestroyRenderer(s->renderer);
            SDL_DestroyWindow(s->window);
            s->renderer = NULL;
            software = true;
            continue;
        }
        break;
    }
    if (!s->renderer)
        return -1;
    SDL_RendererInfo info;
    SDL_GetRendererInfo(s->renderer, &info);
    s->software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    fprintf(log, "screen: %s renderer (%s)\n", s->software ? "software" : "hardware", info.name);
    if (!windowed)
        SDL_ShowCursor(SDL_DISABLE);
    return 0;
}

static int screen_size(struct screen *s, struct kiosk_fonts *fonts)
{
    int w, h;
    SDL_GetRendererOutputSize(s->renderer, &w, &h);
    if (w == s->w && h == s->h && s->tex[0])
        return 0;
    for (int i = 0; i < 2; i++) {
        if (s->tex[i])
            SDL_DestroyTexture(s->tex[i]);
        kiosk_canvas_free(s->canvas[i]);
        s->canvas[i] = kiosk_canvas_new(w, h, fonts);
        s->tex[i] = SDL_CreateTexture(s->renderer, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_STREAMING, w, h);
        if (!s->canvas[i] || !s->tex[i])
            return -1;
    }
    s->w = w;
    s->h = h;
    return 0;
}

static void screen_upload(struct screen *s, int i)
{
    int stride;
    const uint8_t *px = kiosk_canvas_pixels(s->canvas[i], &stride);
    SDL_UpdateTexture(s->tex[i], NULL, px, stride);
}

static void screen_close(struct screen *s)
{
    for (int i = 0; i < 2; i++) {
        if (s->tex[i])
            SDL_DestroyTexture(s->tex[i]);
        kiosk_canvas_free(s->canvas[i]);
    }
    if (s->renderer)
        SDL_DestroyRenderer(s->renderer);
    if (s->window)
        SDL_DestroyWindow(s->window);
}

static int64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Draws the current slide (or a transition frame, p in 0..1) to the window. */
static void present(struct screen *s, int cur, double p, bool push)
{
    SDL_RenderClear(s->renderer);
    if (p <= 0) {
        SDL_RenderCopy(s->renderer, s->tex[cur], NULL, NULL);
    } else {
        double e = p * p * (3 - 2 * p); /* ease in and out */
        if (push) {
            int dx = (int)lround(e * s->w);
            SDL_Rect a = {-dx, 0, s->w, s->h}, b = {s->w - dx, 0, s->w, s->h};
            SDL_RenderCopy(s->renderer, s->tex[cur], NULL, &a);
            SDL_RenderCopy(s->renderer, s->tex[1 - cur], NULL, &b);
        } else {
            SDL_SetTextureAlphaMod(s->tex[1 - cur], (Uint8)lround(255 * e));
            SDL_SetTextureBlendMode(s->tex[1 - cur], SDL_BLENDMODE_BLEND);
            SDL_RenderCopy(s->renderer, s->tex[cur], NULL, NULL);
            SDL_RenderCopy(s->renderer, s->tex[1 - cur], NULL, NULL);
        }
    }
    SDL_RenderPresent(s->renderer);
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
    while ((c = getopt_long(argc, argv, "c:f:S:wx:s:h", longopts, NULL)) != -1) {
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
            exit_after_s = atof(optarg);
            if (exit_after_s <= 0) {
                fprintf(stderr, "kiosk run: --exit-after: expected seconds, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_parse_size_wxh("run", optarg, &win_w, &win_h))
                return KIOSK_EXIT_USAGE;
            break;
        case 'h':
            printf("usage: kiosk run [--config FILE] [--feed SOURCE]... [--state DIR] "
                   "[--windowed [--size WxH]] [--exit-after S]\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
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
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr,
                "kiosk run: cannot open the display (%s): on a board set SDL_VIDEODRIVER=kmsdrm "
                "and run it on the console; without a screen use kiosk snapshot\n",
                SDL_GetError());
        kiosk_app_close(&app);
        return KIOSK_EXIT_INPUT;
    }
    struct screen scr = {0};
    if (screen_open(&scr, app.conf.renderer, windowed, win_w, win_h, stderr) ||
        screen_size(&scr, app.fonts)) {
        fprintf(stderr, "kiosk run: cannot make a window: %s\n", SDL_GetError());
        screen_close(&scr);
        SDL_Quit();
        kiosk_app_close(&app);
        return KIOSK_EXIT_INPUT;
    }
    bool push = strcmp(app.conf.transition, "push") == 0 ||
                (strcmp(app.conf.transition, "fade") == 0 && scr.software);
    bool transitions = strcmp(app.conf.transition, "none") != 0 && app.show.n > 1;
    /* transition frames at the display's refresh rate, no faster */
    SDL_DisplayMode mode;
    int hz = SDL_GetCurrentDisplayMode(0, &mode) == 0 && mode.refresh_rate >= 24 &&
                     mode.refresh_rate <= 240
                 ? mode.refresh_rate
                 : 60;
    Uint64 frame_ms = (Uint64)(1000 / hz);
    fprintf(stderr, "screen: %dx%d, %d Hz, %s transitions\n", scr.w, scr.h, hz,
            !transitions ? "no"
            : push       ? "push"
                         : "fade");

    long interval_s = 300;
    for (size_t i = 0; i < app.conf.n_sources; i++)
        if (i == 0 || app.conf.sources[i].interval_s < interval_s)
            interval_s = app.conf.sources[i].interval_s;
    struct reader rd = {
        .app = &app, .interval_ms = interval_s * 1000, .event = SDL_RegisterEvents(1)};
    pthread_mutex_init(&rd.mu, NULL);
    pthread_cond_init(&rd.cv, NULL);
    pthread_create(&rd.thread, NULL, reader_main, &rd);

    struct kiosk_snapshot *snap = NULL;
    size_t slide = 0, next = 0;
    int cur = 0;
    Uint64 start = SDL_GetTicks64(), slide_start = start, trans_start = 0, redraw_at = 0;
    bool in_transition = false, dirty = true, running = true;
    int next_hint = KIOSK_REDRAW_NEVER;
    unsigned long frames = 0, redraws = 0, trans_frames = 0;
    double redraw_ms = 0, redraw_max = 0, trans_ms = 0, trans_max = 0;
    while (running) {
        Uint64 now = SDL_GetTicks64();
        if (exit_after_s > 0 && now - start >= (Uint64)(exit_after_s * 1000))
            break;
        /* what needs doing now */
        Uint64 slide_end = slide_start + (Uint64)(app.show.slides[slide].conf->duration_s * 1000);
        if (!in_transition && transitions && now >= slide_end) {
            next = (slide + 1) % app.show.n;
            next_hint = kiosk_show_render(&app.show, next, scr.canvas[1 - cur], snap, 0, wall_ms());
            screen_upload(&scr, 1 - cur);
            in_transition = true;
            trans_start = now;
        }
        if (in_transition) {
            double p = (double)(now - trans_start) / TRANSITION_MS;
            if (p >= 1) {
                in_transition = false;
                cur = 1 - cur;
                slide = next;
                slide_start = now; /* the slide's own clock starts now; it is drawn already */
                redraw_at = next_hint == KIOSK_REDRAW_NOW ? now + 16 : now + (Uint64)next_hint;
                present(&scr, cur, 0, push);
            } else {
                Uint64 t0 = SDL_GetPerformanceCounter();
                present(&scr, cur, p, push);
                double ms = 1000.0 * (double)(SDL_GetPerformanceCounter() - t0) /
                            (double)SDL_GetPerformanceFrequency();
                trans_ms += ms;
                trans_max = ms > trans_max ? ms : trans_max;
                trans_frames++;
                frames++;
            }
        }
        if (!in_transition && (dirty || (redraw_at && now >= redraw_at))) {
            Uint64 t0 = SDL_GetPerformanceCounter();
            int hint = kiosk_show_render(&app.show, slide, scr.canvas[cur], snap,
                                         (double)(now - slide_start), wall_ms());
            redraw_at = hint == KIOSK_REDRAW_NOW ? now + 16 : now + (Uint64)hint;
            screen_upload(&scr, cur);
            present(&scr, cur, 0, push);
            double ms = 1000.0 * (double)(SDL_GetPerformanceCounter() - t0) /
                        (double)SDL_GetPerformanceFrequency();
            redraw_ms += ms;
            redraw_max = ms > redraw_max ? ms : redraw_max;
            redraws++;
            frames++;
            dirty = false;
        }
        /* sleep until then: the next frame of a transition, a redraw, a slide change */
        Uint64 wake = in_transition ? now + frame_ms : redraw_at;
        if (transitions && !in_transition && slide_end < wake)
            wake = slide_end;
        if (exit_after_s > 0 && start + (Uint64)(exit_after_s * 1000) < wake)
            wake = start + (Uint64)(exit_after_s * 1000);
        int timeout = wake > now ? (int)(wake - now) : 0;
        SDL_Event ev;
        if (!SDL_WaitEventTimeout(&ev, timeout > 0 ? timeout : 1))
            continue;
        do {
            if (ev.type == SDL_QUIT)
                running = false;
            else if (ev.type == SDL_KEYDOWN && windowed &&
                     (ev.key.keysym.sym == SDLK_ESCAPE || ev.key.keysym.sym == SDLK_q))
                running = false;
            else if (ev.type == rd.event) {
                struct kiosk_snapshot *fresh = reader_take(&rd);
                if (fresh) {
                    kiosk_snapshot_unref(snap);
                    snap = fresh;
                    dirty = true;
                }
            } else if (ev.type == SDL_WINDOWEVENT &&
                       (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
                        ev.window.event == SDL_WINDOWEVENT_EXPOSED)) {
                if (screen_size(&scr, app.fonts))
                    running = false;
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
    pthread_mutex_lock(&rd.mu);
    rd.stop = true;
    pthread_cond_signal(&rd.cv);
    pthread_mutex_unlock(&rd.mu);
    pthread_join(rd.thread, NULL);
    kiosk_snapshot_unref(rd.latest);
    kiosk_snapshot_unref(snap);
    screen_close(&scr);
    SDL_Quit();
    kiosk_app_close(&app);
    return KIOSK_EXIT_OK;
}
