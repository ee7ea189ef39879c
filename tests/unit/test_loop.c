/* The appliance's loop, step by step, under a fake clock: what is drawn on which canvas,
 * what is presented, what systemd and status.json are told, and when the loop wakes.
 * A recorder stands in for the screen; the display watch runs against SDL's offscreen
 * driver and a folder standing in for the kernel's connectors. */
#include "helpers.h"

#include "config/schedule.h"
#include "kiosk/plugin.h"
#include "screen/loop.h"
#include "screen/watch.h"

#include <SDL2/SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SLIDE_MS 10000

struct call {
    char what; /* d(raw), p(resent), n(otify), s(tatus) */
    size_t slide;
    int canvas;
    double arg; /* elapsed ms for a draw, progress for a present */
    char text[96];
};

struct rec {
    struct call calls[256];
    int n;
    int hint; /* what draw returns */
    size_t n_slides;
    unsigned empty; /* bit i: slide i has nothing to show */
};

static void add(struct rec *r, struct call c)
{
    if (r->n < 256)
        r->calls[r->n] = c;
    r->n++;
}

static int rec_draw(void *ctx, size_t slide, int canvas, double elapsed_ms)
{
    struct rec *r = ctx;
    add(r, (struct call){.what = 'd', .slide = slide, .canvas = canvas, .arg = elapsed_ms});
    return r->hint;
}

static void rec_present(void *ctx, int cur, double p)
{
    add(ctx, (struct call){.what = 'p', .canvas = cur, .arg = p});
}

static void rec_notify(void *ctx, const char *state)
{
    struct call c = {.what = 'n'};
    snprintf(c.text, sizeof c.text, "%s", state);
    add(ctx, c);
}

static int rec_status(void *ctx)
{
    add(ctx, (struct call){.what = 's'});
    return 0;
}

static uint64_t rec_duration(void *ctx, size_t slide)
{
    (void)ctx;
    (void)slide;
    return SLIDE_MS;
}

static bool rec_has_content(void *ctx, size_t slide)
{
    struct rec *r = ctx;
    return !(r->empty & (1u << slide));
}

static struct rec rec;
static const struct kiosk_loop_ops ops = {.has_content = rec_has_content,
                                          .ctx = &rec,
                                          .draw = rec_draw,
                                          .present = rec_present,
                                          .notify = rec_notify,
                                          .write_status = rec_status,
                                          .duration_ms = rec_duration};

/* Every step once, in the order the loop runs them. */
static void tick(struct kiosk_loop *L, uint64_t now)
{
    kiosk_loop_schedule_step(L, now);
    kiosk_loop_transition_step(L, now);
    kiosk_loop_redraw_step(L, now);
    kiosk_loop_notify_step(L, now);
    kiosk_loop_status_step(L, now);
}

static int count(char what)
{
    int n = 0;
    for (int i = 0; i < rec.n; i++)
        n += rec.calls[i].what == what;
    return n;
}

static const struct call *last(char what)
{
    for (int i = rec.n - 1; i >= 0; i--)
        if (rec.calls[i].what == what)
            return &rec.calls[i];
    return NULL;
}

static void start(struct kiosk_loop *L, size_t n, bool transitions, int hint)
{
    memset(&rec, 0, sizeof rec);
    rec.hint = hint;
    kiosk_loop_init(L, &ops, n, 0);
    kiosk_loop_display_opened(L, 50, transitions, 0); /* 50 Hz: a frame every 20 ms */
}

/* the slide schedule and the transition: the next slide is drawn ahead on the other
 * canvas, the frames between show it coming, its turn starts when it is in place */
static void slides_turn_with_a_transition(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 3, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    assert_int_equal(count('d'), 1);
    assert_int_equal(last('d')->slide, 0);
    assert_int_equal(last('d')->canvas, 0);
    assert_int_equal(count('s'), 1); /* the first status */
    assert_int_equal(kiosk_loop_next_wake(&L, 0), SLIDE_MS);
    tick(&L, SLIDE_MS - 1);
    assert_int_equal(count('d'), 1);
    tick(&L, SLIDE_MS);
    assert_int_equal(count('d'), 2); /* slide 1 drawn ahead, before any frame of it */
    assert_int_equal(last('d')->slide, 1);
    assert_int_equal(last('d')->canvas, 1);
    assert_true(L.in_transition);
    assert_int_equal(kiosk_loop_next_wake(&L, SLIDE_MS), SLIDE_MS + 20);
    tick(&L, SLIDE_MS + 350);
    assert_float_equal(last('p')->arg, 0.5, 1e-9);
    assert_int_equal(L.slide, 0); /* still slide 0's status until it is in place */
    tick(&L, SLIDE_MS + KIOSK_LOOP_TRANSITION_MS);
    assert_false(L.in_transition);
    assert_int_equal(L.slide, 1);
    assert_int_equal(L.cur, 1);
    assert_float_equal(last('p')->arg, 0, 0);
    assert_int_equal(last('p')->canvas, 1);
    assert_int_equal(count('d'), 2); /* not drawn again: it was drawn ahead */
    assert_int_equal(count('s'), 2); /* status.json names the new slide */
    /* its turn is counted from when it is in place */
    uint64_t t1 = SLIDE_MS + KIOSK_LOOP_TRANSITION_MS;
    assert_int_equal(kiosk_loop_slide_end(&L), t1 + SLIDE_MS);
    tick(&L, t1 + SLIDE_MS);
    tick(&L, t1 + SLIDE_MS + KIOSK_LOOP_TRANSITION_MS);
    assert_int_equal(L.slide, 2);
    assert_int_equal(L.cur, 0);
    uint64_t t2 = t1 + SLIDE_MS + KIOSK_LOOP_TRANSITION_MS;
    tick(&L, t2 + SLIDE_MS);
    tick(&L, t2 + SLIDE_MS + KIOSK_LOOP_TRANSITION_MS);
    assert_int_equal(L.slide, 0); /* round again */
    /* a frame at each start, and the one half way through the first */
    assert_int_equal(L.stats.trans_frames, 4);
}

/* a slide with nothing to show is skipped, until the data changes */
static void slides_with_nothing_to_show_are_skipped(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 3, false, KIOSK_REDRAW_NEVER);
    rec.empty = 1u << 1; /* slide 1: a trend with one period */
    tick(&L, 0);
    tick(&L, SLIDE_MS);
    assert_int_equal(L.slide, 2);
    assert_int_equal(last('d')->slide, 2);
    tick(&L, 2 * SLIDE_MS);
    assert_int_equal(L.slide, 0);
    /* with transitions too: the slide drawn ahead is the one after the skipped one */
    start(&L, 3, true, KIOSK_REDRAW_NEVER);
    rec.empty = 1u << 1;
    tick(&L, 0);
    tick(&L, SLIDE_MS);
    assert_int_equal(last('d')->slide, 2);
    tick(&L, SLIDE_MS + KIOSK_LOOP_TRANSITION_MS);
    assert_int_equal(L.slide, 2);
    /* new data: slide 2 has nothing any more and slide 1 has; a cut to slide 0 at once,
     * then slide 1 in its turn */
    uint64_t t = SLIDE_MS + KIOSK_LOOP_TRANSITION_MS + 1000;
    rec.empty = 1u << 2;
    kiosk_loop_data_changed(&L, t);
    assert_int_equal(L.slide, 0);
    assert_int_equal(kiosk_loop_slide_end(&L), t + SLIDE_MS);
    tick(&L, t);
    assert_int_equal(last('d')->slide, 0);
    tick(&L, t + SLIDE_MS);
    assert_int_equal(last('d')->slide, 1);
}

/* a playlist whose first slides have nothing starts on the first that has; with nothing to
 * show anywhere, the current slide stays (its waiting notice), a new turn each time, and the
 * loop does not spin */
static void a_playlist_with_nothing_to_show_stays_on_one_slide(void **state)
{
    (void)state;
    struct kiosk_loop L;
    memset(&rec, 0, sizeof rec);
    rec.hint = KIOSK_REDRAW_NEVER;
    rec.empty = 1u << 0 | 1u << 1;
    kiosk_loop_init(&L, &ops, 3, 0);
    kiosk_loop_display_opened(&L, 50, true, 0);
    assert_int_equal(L.slide, 2);
    rec.empty = 7;
    tick(&L, 0);
    int draws = count('d');
    tick(&L, SLIDE_MS);
    assert_false(L.in_transition);
    assert_int_equal(L.slide, 2);
    assert_int_equal(count('d'), draws); /* nothing changed: nothing drawn */
    assert_int_equal(kiosk_loop_next_wake(&L, SLIDE_MS + 1), 2 * SLIDE_MS);
    kiosk_loop_data_changed(&L, SLIDE_MS + 5);
    assert_int_equal(L.slide, 2);
    tick(&L, SLIDE_MS + 5);
    assert_int_equal(count('d'), draws + 1); /* the new data drawn */
}

/* without transitions ("none"), slides still turn: by a cut */
static void slides_turn_by_a_cut(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, false, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    tick(&L, SLIDE_MS);
    assert_false(L.in_transition);
    assert_int_equal(L.slide, 1);
    assert_int_equal(count('d'), 2);
    assert_int_equal(last('d')->slide, 1);
    assert_int_equal(last('d')->canvas, 0); /* the same canvas: nothing to move */
    assert_int_equal(count('p'), 2);
    assert_int_equal(L.stats.trans_frames, 0);
}

/* one slide stays: no slide change, no wake-up for one */
static void one_slide_stays(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 1, false, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    assert_int_equal(kiosk_loop_next_wake(&L, 0), KIOSK_LOOP_NEVER);
    tick(&L, 5 * SLIDE_MS);
    assert_int_equal(count('d'), 1);
}

/* the redraw step follows the slide's hint; a negative hint is "never", not a spin */
static void redraws_follow_the_hint(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 1, false, 2500);
    tick(&L, 0);
    assert_int_equal(kiosk_loop_next_wake(&L, 0), 2500);
    tick(&L, 2499);
    assert_int_equal(count('d'), 1);
    tick(&L, 2500);
    assert_int_equal(count('d'), 2);
    assert_float_equal(last('d')->arg, 2500, 0); /* elapsed since the slide came */
    rec.hint = KIOSK_REDRAW_NOW;
    tick(&L, 5000);
    assert_int_equal(kiosk_loop_next_wake(&L, 5000), 5020); /* the next frame */
    rec.hint = -5;
    tick(&L, 5020);
    int draws = count('d');
    assert_int_equal(kiosk_loop_next_wake(&L, 5020), KIOSK_LOOP_NEVER);
    tick(&L, 5021);
    tick(&L, 60000);
    assert_int_equal(count('d'), draws);
    L.dirty = true; /* new data */
    assert_int_equal(kiosk_loop_next_wake(&L, 60000), 60000);
    tick(&L, 60000);
    assert_int_equal(count('d'), draws + 1);
}

/* the power step: off outside the hours draws nothing and turns no slide; back on draws
 * the current slide at once */
static void power_off_draws_nothing(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    assert_true(kiosk_loop_power(&L, false, 0));
    assert_false(kiosk_loop_power(&L, false, 0)); /* no change */
    tick(&L, 1);
    assert_int_equal(count('s'), 2); /* status.json says the screen is off */
    tick(&L, 3 * SLIDE_MS);
    assert_int_equal(count('d'), 1);
    assert_int_equal(L.slide, 0);
    assert_int_equal(kiosk_loop_next_wake(&L, 3 * SLIDE_MS), KIOSK_LOOP_NEVER);
    assert_true(kiosk_loop_power(&L, true, 3 * SLIDE_MS + 1));
    tick(&L, 3 * SLIDE_MS + 1);
    assert_int_equal(count('d'), 2);
    assert_int_equal(last('d')->slide, 0); /* the slide left, for a full turn */
    assert_false(L.in_transition);
    assert_int_equal(kiosk_loop_slide_end(&L), 4 * SLIDE_MS + 1);
}

/* the power step in the middle of a transition drops it */
static void power_off_ends_a_transition(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    tick(&L, SLIDE_MS);
    assert_true(L.in_transition);
    kiosk_loop_power(&L, false, SLIDE_MS);
    assert_false(L.in_transition);
    int presents = count('p');
    tick(&L, SLIDE_MS + 100);
    assert_int_equal(count('p'), presents);
}

/* the display step's news: closed, nothing drawn; opened anew, drawn at once, at the new
 * display's pace */
static void display_closed_and_opened(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    tick(&L, SLIDE_MS); /* a transition under way */
    kiosk_loop_display_closed(&L);
    assert_false(L.in_transition);
    assert_false(kiosk_loop_drawing(&L));
    int draws = count('d');
    tick(&L, SLIDE_MS + 5000);
    assert_int_equal(count('d'), draws);
    kiosk_loop_display_opened(&L, 30, true, SLIDE_MS + 6000);
    tick(&L, SLIDE_MS + 6000);
    assert_int_equal(count('d'), draws + 1);
    assert_int_equal(L.frame_ms, 33);
}

static int count_text(const char *prefix)
{
    int n = 0;
    for (int i = 0; i < rec.n; i++)
        n += rec.calls[i].what == 'n' && strncmp(rec.calls[i].text, prefix, strlen(prefix)) == 0;
    return n;
}

/* systemd: start-time extensions every 10 s while there is no display, READY once with
 * the first frame, the watchdog at half its period and no gap longer */
static void notify_tells_systemd(void **state)
{
    (void)state;
    struct kiosk_loop L;
    memset(&rec, 0, sizeof rec);
    rec.hint = KIOSK_REDRAW_NEVER;
    kiosk_loop_init(&L, &ops, 2, 0);
    L.watchdog_ms = 1000;
    for (uint64_t t = 0; t < 25000; t = kiosk_loop_next_wake(&L, t))
        tick(&L, t);
    assert_int_equal(count_text("STATUS=waiting"), 3); /* at 0, 10 and 20 s */
    assert_int_equal(count_text("READY"), 0);
    assert_int_equal(count_text("WATCHDOG=1"), 25);
    kiosk_loop_display_opened(&L, 60, true, 25000);
    tick(&L, 25000);
    assert_int_equal(count_text("READY=1"), 1);
    int pings = count_text("WATCHDOG=1");
    uint64_t t = 25000;
    for (int i = 0; i < 200 && t < 60000; i++) {
        uint64_t next = kiosk_loop_next_wake(&L, t);
        assert_true(next - t <= 1000); /* never a gap longer than half the period */
        t = next;
        tick(&L, t);
    }
    assert_int_equal(count_text("READY=1"), 1);
    assert_in_range(count_text("WATCHDOG=1") - pings, 34, 36);
}

/* status.json only when something it says changed */
static void status_only_on_change(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, true, 1000);
    tick(&L, 0);
    assert_int_equal(count('s'), 1);
    for (uint64_t t = 1000; t < SLIDE_MS; t += 1000)
        tick(&L, t); /* redraws, no change of slide */
    assert_int_equal(count('s'), 1);
    L.status_dirty = true; /* a source's status changed */
    assert_int_equal(kiosk_loop_next_wake(&L, 9500), 9500);
    tick(&L, 9500);
    assert_int_equal(count('s'), 2);
}

/* a new playlist starts at its first slide, drawn at once */
static void restart_takes_a_new_playlist(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 3, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    tick(&L, SLIDE_MS);
    tick(&L, SLIDE_MS + KIOSK_LOOP_TRANSITION_MS);
    assert_int_equal(L.slide, 1);
    kiosk_loop_restart(&L, 2, 20000);
    tick(&L, 20000);
    assert_int_equal(L.slide, 0);
    assert_int_equal(last('d')->slide, 0);
    assert_int_equal(kiosk_loop_slide_end(&L), 20000 + SLIDE_MS);
}

/* no second picture to draw the next slide on: a cut instead of a transition; no picture
 * at all: the one on screen stays, tried again a second later, no spin */
static void a_failed_draw_cuts_or_waits(void **state)
{
    (void)state;
    struct kiosk_loop L;
    start(&L, 2, true, KIOSK_REDRAW_NEVER);
    tick(&L, 0);
    rec.hint = KIOSK_LOOP_DRAW_FAILED;
    int presents = count('p');
    tick(&L, SLIDE_MS);
    assert_false(L.in_transition);
    assert_int_equal(L.slide, 1);           /* the slide changed by a cut */
    assert_int_equal(count('p'), presents); /* and nothing was presented that was not drawn */
    assert_int_equal(kiosk_loop_next_wake(&L, SLIDE_MS), SLIDE_MS + KIOSK_LOOP_RETRY_MS);
    rec.hint = KIOSK_REDRAW_NEVER;
    tick(&L, SLIDE_MS + KIOSK_LOOP_RETRY_MS);
    assert_int_equal(count('p'), presents + 1);
    assert_int_equal(last('d')->slide, 1);
}

/* ---- the display watch, against SDL's offscreen driver and a stand-in sysfs ---- */

static char drm[64];

static void watch_follows_the_screens(void **state)
{
    (void)state;
    assert_int_equal(make_temp_dir(drm, sizeof drm, "drm"), 0);
    fake_connector(drm, "card0-HDMI-A-1", "disconnected");
    struct kiosk_fonts *fonts = NULL;
    struct kiosk_diags d = {0};
    assert_int_equal(kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d), 0);
    assert_int_equal(SDL_Init(SDL_INIT_EVENTS), 0);
    struct kiosk_display scr = {.bg = 0xff000000};
    FILE *log = tmpfile();
    struct kiosk_watch w = {
        .scr = &scr,
        .opts = {.renderer = "software", .windowed = true, .w = 320, .h = 240, .fonts = fonts},
        .dir = drm,
        .log = log};
    kiosk_watch_start(&w, 0);
    assert_false(kiosk_display_is_open(&scr)); /* no screen: not opened */
    assert_int_equal(w.check_at, KIOSK_WATCH_CHECK_MS);
    assert_false(kiosk_watch_step(&w, 1000)); /* no look due yet */
    assert_false(kiosk_watch_step(&w, 2000));
    fake_connector(drm, "card0-HDMI-A-1", "connected");
    assert_false(kiosk_watch_step(&w, 3000)); /* seen only at the next look */
    assert_true(kiosk_watch_step(&w, 4000));
    assert_true(kiosk_display_is_open(&scr));
    assert_false(kiosk_watch_step(&w, 6000)); /* nothing changed */
    fake_connector(drm, "card0-HDMI-A-1", "disconnected");
    assert_true(kiosk_watch_step(&w, 8000));
    assert_false(kiosk_display_is_open(&scr));
    fake_connector(drm, "card0-HDMI-A-1", "connected");
    assert_true(kiosk_watch_step(&w, 10000));
    assert_true(kiosk_display_is_open(&scr));
    w.event = w.force_reopen = true; /* the renderer lost its device */
    assert_true(kiosk_watch_step(&w, 10001));
    assert_true(kiosk_display_is_open(&scr));
    kiosk_display_close(&scr);
    /* the log says each change once */
    rewind(log);
    char text[4096] = "";
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = '\0';
    fclose(log);
    assert_non_null(strstr(text, "no screen connected"));
    assert_non_null(strstr(text, "the display appeared after 4 s"));
    assert_non_null(strstr(text, "no screen is connected any more"));
    assert_non_null(strstr(text, "the display is back after 2 s"));
    assert_int_equal(remove_tree(drm), 0);
    SDL_Quit();
    kiosk_fonts_close(fonts);
    kiosk_diags_free(&d);
}

/* ---- per-slide schedules under a fake clock, over a week ---- */

static struct kiosk_when week_when[4];
static time_t week_start; /* the wall clock at loop time 0 */
static uint64_t week_now; /* loop time, ms */

static bool week_scheduled(void *ctx, size_t slide)
{
    (void)ctx;
    time_t t = week_start + (time_t)(week_now / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    return !kiosk_when_set(&week_when[slide]) || kiosk_when_on(&week_when[slide], &tm);
}

static size_t week_fallback(void *ctx)
{
    (void)ctx;
    return 0; /* the leaderboard */
}

static void per_slide_schedules_over_a_week(void **state)
{
    (void)state;
    char why[256];
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    memset(week_when, 0, sizeof week_when);
    /* 0: the leaderboard, office hours only; 1: mornings of the working week; 2: the
     * weekend; 3: from Wednesday to Thursday only */
    assert_int_equal(kiosk_when_set_hours(&week_when[0], "07:00-17:00", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_days(&week_when[1], "mon-fri", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_hours(&week_when[1], "07:00-11:30", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_days(&week_when[2], "sat-sun", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_date(&week_when[3], false, "2026-12-02", why, sizeof why), 0);
    assert_int_equal(kiosk_when_set_date(&week_when[3], true, "2026-12-03", why, sizeof why), 0);
    struct tm monday = {.tm_year = 126, .tm_mon = 10, .tm_mday = 30, .tm_isdst = -1};
    week_start = mktime(&monday); /* Monday 30 November 2026, 00:00 */
    static const struct kiosk_loop_ops week_ops = {.ctx = &rec,
                                                   .draw = rec_draw,
                                                   .present = rec_present,
                                                   .notify = rec_notify,
                                                   .write_status = rec_status,
                                                   .duration_ms = rec_duration,
                                                   .has_content = rec_has_content,
                                                   .scheduled = week_scheduled,
                                                   .fallback = week_fallback};
    memset(&rec, 0, sizeof rec);
    rec.hint = KIOSK_REDRAW_NEVER;
    struct kiosk_loop L;
    week_now = 0;
    kiosk_loop_init(&L, &week_ops, 4, 0);
    kiosk_loop_display_opened(&L, 50, false, 0);
    /* turns of each slide by weekday (0 = Monday) and hour */
    static unsigned shown[4][7][24];
    memset(shown, 0, sizeof shown);
    size_t turns = 0, fallbacks = 0;
    size_t last_slide = SIZE_MAX;
    uint64_t last_start = UINT64_MAX;
    for (week_now = 0; week_now < 7ULL * 86400 * 1000; week_now += SLIDE_MS) {
        tick(&L, week_now);
        if (L.slide == last_slide && L.slide_start == last_start)
            continue;
        last_slide = L.slide;
        last_start = L.slide_start;
        turns++;
        time_t t = week_start + (time_t)(week_now / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        int wd = (tm.tm_wday + 6) % 7;
        shown[L.slide][wd][tm.tm_hour]++;
        bool any = false;
        for (size_t i = 0; i < 4; i++)
            any |= week_scheduled(NULL, i);
        if (!week_scheduled(NULL, L.slide)) {
            /* outside its schedule only as the fallback, when nothing else is in its own */
            assert_int_equal(L.slide, 0);
            assert_false(any);
            fallbacks++;
        }
    }
    assert_true(turns > 7 * 86400 / (SLIDE_MS / 1000) / 2);
    for (int wd = 0; wd < 7; wd++)
        for (int h = 0; h < 24; h++) {
            /* mornings of the working week: slide 1 has its turns, never at other times */
            if (wd < 5 && h >= 7 && h < 11)
                assert_true(shown[1][wd][h] > 0);
            if (wd >= 5 || h < 7 || h >= 12)
                assert_int_equal(shown[1][wd][h], 0);
            /* the weekend's slide on Saturday and Sunday alone, all day */
            if (wd >= 5)
                assert_true(shown[2][wd][h] > 0);
            else
                assert_int_equal(shown[2][wd][h], 0);
            /* the dated slide on 2 and 3 December alone (Wednesday, Thursday) */
            if (wd == 2 || wd == 3)
                assert_true(shown[3][wd][h] > 0);
            else
                assert_int_equal(shown[3][wd][h], 0);
        }
    /* Monday night: nothing is scheduled, and the leaderboard stands in: never black */
    assert_true(shown[0][0][2] > 0);
    assert_true(fallbacks > 0);
    /* no data yet on Wednesday at 08:00 (nothing has content, slides 0, 1 and 3 are in their
     * hours): the playlist starts on its first slide and stays there with its waiting notice,
     * the fallback is for hours, not for data */
    memset(&rec, 0, sizeof rec);
    rec.empty = 0xF;
    week_now = (2ULL * 86400 + 8 * 3600) * 1000;
    kiosk_loop_init(&L, &week_ops, 4, week_now);
    kiosk_loop_display_opened(&L, 50, false, week_now);
    assert_int_equal(L.slide, 0);
    tick(&L, week_now + SLIDE_MS);
    assert_int_equal(L.slide, 0);
    /* and a slide out of its hours with no data moves to one in its hours (Saturday
     * 18:00: only the weekend's slide 2 is), not to the fallback */
    week_now = (5ULL * 86400 + 18 * 3600) * 1000;
    kiosk_loop_init(&L, &week_ops, 4, week_now);
    assert_int_equal(L.slide, 2);
}

/* draw-ahead: the next slide with something to show is asked for prepare_ms before the
 * turn ends, once a turn, and the loop wakes for it */
static size_t prepared[16];
static int n_prepared;
static void rec_prepare(void *ctx, size_t slide)
{
    (void)ctx;
    if (n_prepared < 16)
        prepared[n_prepared++] = slide;
}

static void the_next_slide_is_asked_for_ahead(void **state)
{
    (void)state;
    struct kiosk_loop_ops with_prepare = ops;
    with_prepare.prepare = rec_prepare;
    struct kiosk_loop L;
    start(&L, 3, false, KIOSK_REDRAW_NEVER);
    L.ops = &with_prepare;
    L.prepare_ms = 2000;
    n_prepared = 0;
    rec.empty = 1u << 1; /* slide 1 has nothing: slide 2 is next */
    kiosk_loop_prepare_step(&L, 0);
    tick(&L, 0);
    assert_int_equal(n_prepared, 0);
    assert_int_equal(kiosk_loop_next_wake(&L, 0), SLIDE_MS - 2000);
    kiosk_loop_prepare_step(&L, SLIDE_MS - 2001);
    assert_int_equal(n_prepared, 0);
    kiosk_loop_prepare_step(&L, SLIDE_MS - 2000);
    assert_int_equal(n_prepared, 1);
    assert_int_equal(prepared[0], 2);
    kiosk_loop_prepare_step(&L, SLIDE_MS - 1000); /* once a turn */
    assert_int_equal(n_prepared, 1);
    assert_int_equal(kiosk_loop_next_wake(&L, SLIDE_MS - 1000), SLIDE_MS);
    tick(&L, SLIDE_MS); /* the cut to slide 2; its turn asks for slide 0 */
    assert_int_equal(L.slide, 2);
    kiosk_loop_prepare_step(&L, 2 * SLIDE_MS - 2000);
    assert_int_equal(n_prepared, 2);
    assert_int_equal(prepared[1], 0);
    /* without a lead, nothing is asked ahead */
    L.prepare_ms = 0;
    tick(&L, 2 * SLIDE_MS);
    kiosk_loop_prepare_step(&L, 3 * SLIDE_MS - 1);
    assert_int_equal(n_prepared, 2);
}

/* a late picture (a worker still drawing it): the slide on screen stays, nothing is drawn
 * or presented, the loop asks again KIOSK_LOOP_LATE_MS later (never spinning), and the
 * change comes when the picture is in; a slide that cannot be drawn gives its turn */
static int late_until[4]; /* slide i is late until then (ms of the fake clock) */
static bool broken[4];    /* slide i cannot be drawn */
static uint64_t fake_now;
static int rec_ready(void *ctx, size_t slide, double elapsed_ms)
{
    (void)ctx;
    (void)elapsed_ms;
    if (broken[slide])
        return -1;
    return fake_now < (uint64_t)late_until[slide] ? 0 : 1;
}

static void late_pictures_keep_the_screen(void **state)
{
    (void)state;
    struct kiosk_loop_ops with_ready = ops;
    with_ready.ready = rec_ready;
    for (int transitions = 0; transitions < 2; transitions++) {
        struct kiosk_loop L;
        start(&L, 3, transitions, KIOSK_REDRAW_NEVER);
        L.ops = &with_ready;
        memset(late_until, 0, sizeof late_until);
        memset(broken, 0, sizeof broken);
        fake_now = 0;
        tick(&L, 0);
        assert_int_equal(count('d'), 1);
        late_until[1] = SLIDE_MS + 300; /* slide 1's picture comes 300 ms after its turn */
        int draws = count('d'), presents = count('p');
        for (fake_now = SLIDE_MS; fake_now < SLIDE_MS + 300; fake_now += 10) {
            tick(&L, fake_now);
            assert_int_equal(L.slide, 0);
            assert_false(L.in_transition);
            uint64_t wake = kiosk_loop_next_wake(&L, fake_now);
            assert_true(wake > fake_now && wake <= fake_now + KIOSK_LOOP_LATE_MS);
        }
        assert_int_equal(count('d'), draws); /* nothing drawn over the picture on screen */
        assert_int_equal(count('p'), presents);
        assert_true(L.stats.late >= 300 / KIOSK_LOOP_LATE_MS);
        fake_now = SLIDE_MS + 300;
        tick(&L, fake_now);
        if (transitions) {
            assert_true(L.in_transition);
            fake_now += KIOSK_LOOP_TRANSITION_MS;
            tick(&L, fake_now);
        }
        assert_int_equal(L.slide, 1);
        uint64_t shown = fake_now;
        assert_int_equal(kiosk_loop_slide_end(&L), shown + SLIDE_MS); /* a full turn */
        /* a redraw that is late: the picture on screen stays until the new one is in */
        late_until[1] = (int)(shown + 200);
        kiosk_loop_data_changed(&L, shown);
        draws = count('d');
        tick(&L, shown);
        assert_int_equal(count('d'), draws);
        assert_int_equal(kiosk_loop_next_wake(&L, shown), shown + KIOSK_LOOP_LATE_MS);
        fake_now = shown + 200;
        tick(&L, fake_now);
        assert_int_equal(count('d'), draws + 1);
        /* slide 2 cannot be drawn (its worker is down): slide 0 comes instead, on time */
        broken[2] = true;
        fake_now = kiosk_loop_slide_end(&L);
        tick(&L, fake_now);
        if (transitions) {
            fake_now += KIOSK_LOOP_TRANSITION_MS;
            tick(&L, fake_now);
        }
        assert_int_equal(L.slide, 0);
    }
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slides_turn_with_a_transition),
        cmocka_unit_test(slides_turn_by_a_cut),
        cmocka_unit_test(slides_with_nothing_to_show_are_skipped),
        cmocka_unit_test(a_playlist_with_nothing_to_show_stays_on_one_slide),
        cmocka_unit_test(one_slide_stays),
        cmocka_unit_test(per_slide_schedules_over_a_week),
        cmocka_unit_test(redraws_follow_the_hint),
        cmocka_unit_test(power_off_draws_nothing),
        cmocka_unit_test(power_off_ends_a_transition),
        cmocka_unit_test(display_closed_and_opened),
        cmocka_unit_test(notify_tells_systemd),
        cmocka_unit_test(status_only_on_change),
        cmocka_unit_test(restart_takes_a_new_playlist),
        cmocka_unit_test(a_failed_draw_cuts_or_waits),
        cmocka_unit_test(watch_follows_the_screens),
        cmocka_unit_test(the_next_slide_is_asked_for_ahead),
        cmocka_unit_test(late_pictures_keep_the_screen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
