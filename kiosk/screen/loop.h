/* The appliance's loop as steps over one state: which slide is on screen and since when,
 * a transition under way, when the slide must be drawn again, what systemd and
 * status.json have been told. Each step is a function of the state and the time; what it
 * does outside the state (drawing, presenting, telling systemd, writing status.json) goes
 * through kiosk_loop_ops, so a test drives every step with a fake clock and records what
 * the screen was told. screen/run.c strings the steps together and waits between them. */
#ifndef KIOSK_SCREEN_LOOP_H
#define KIOSK_SCREEN_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_LOOP_TRANSITION_MS 700
#define KIOSK_LOOP_NEVER UINT64_MAX
/* What draw returns when it could not draw at all (no picture to draw on): the slide
 * changes by a cut then, and a redraw is tried again a second later. */
#define KIOSK_LOOP_DRAW_FAILED INT32_MIN
#define KIOSK_LOOP_RETRY_MS 1000
/* How often a late picture (ops->ready) is asked about while the one on screen stays. */
#define KIOSK_LOOP_LATE_MS 50

/* The earlier of two times. */
static inline uint64_t kiosk_earliest(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

struct kiosk_loop_ops {
    void *ctx;
    /* Draws slide i on canvas (0 or 1) and makes it ready to present; returns the slide's
     * redraw hint (KIOSK_REDRAW_NEVER, KIOSK_REDRAW_NOW or milliseconds), or
     * KIOSK_LOOP_DRAW_FAILED. */
    int (*draw)(void *ctx, size_t slide, int canvas, double elapsed_ms);
    /* Shows canvas cur, or, with p in (0, 1), a transition frame towards the other. */
    void (*present)(void *ctx, int cur, double p);
    /* A line for systemd's notify socket ("READY=1", "WATCHDOG=1", ...). */
    void (*notify)(void *ctx, const char *state);
    /* Writes status.json from what the loop and the rest of the kiosk know; 0 or -1. */
    int (*write_status)(void *ctx);
    /* The duration of slide i, in milliseconds. */
    uint64_t (*duration_ms)(void *ctx, size_t slide);
    /* Whether slide i has anything to show for the current data (its plugin's
     * has_content); NULL: every slide has. A slide without is skipped until the data
     * changes; when none has, the current one stays, showing the waiting notice. */
    bool (*has_content)(void *ctx, size_t slide);
    /* Whether slide i is inside its schedule (days, hours, from, until) now; NULL: every
     * slide is. A slide outside is skipped like one with nothing to show. */
    bool (*scheduled)(void *ctx, size_t slide);
    /* The slide shown when none is left to show (the leaderboard), or NULL: the current
     * one stays. */
    size_t (*fallback)(void *ctx);
    /* Asks for slide i's picture ahead of its turn (its plugin's worker starts drawing it
     * now; draw takes it then); NULL: nothing is asked ahead. */
    void (*prepare)(void *ctx, size_t slide);
    /* Whether slide i can be drawn now without waiting (its worker's picture is in): 1,
     * 0 when it is late (the picture on screen stays, the loop asks again
     * KIOSK_LOOP_LATE_MS later: a slide change waits for it, the others keep their
     * turns after it), or -1 when it cannot be drawn at all (the next slide is taken
     * instead). NULL: every slide can. */
    int (*ready)(void *ctx, size_t slide, double elapsed_ms);
};

struct kiosk_loop_stats {
    unsigned long frames, redraws, trans_frames;
    unsigned long late; /* times a slide's picture was not ready when due */
    double redraw_ms, redraw_max, trans_ms, trans_max;
};

struct kiosk_loop {
    const struct kiosk_loop_ops *ops;
    size_t n_slides;
    /* the display, as the display and power steps last said */
    bool open;        /* a display is open */
    bool screen_on;   /* inside the working hours */
    bool transitions; /* slides change with a transition (else by a cut) */
    uint64_t frame_ms;
    /* the slide on screen */
    size_t slide, next;
    int cur;              /* the canvas showing it */
    uint64_t slide_start; /* when it came on screen */
    uint64_t trans_start;
    uint64_t redraw_at; /* 0: only when dirty */
    int next_hint;      /* the hint of the slide drawn for the transition */
    bool in_transition;
    bool dirty;          /* draw the current slide at once */
    uint64_t late_retry; /* the slide change waits for a late picture until then; 0: none */
    /* systemd: READY once the first frame is shown, start-time extensions before that,
     * the watchdog at half its period */
    bool ready;
    uint64_t extend_at;
    uint64_t watchdog_ms; /* half the watchdog's period; 0: no watchdog */
    uint64_t watchdog_at;
    /* the next slide is asked for this long before the turn ends (the workers' deadline,
     * so a slide that answers within it comes on screen on time); 0: never */
    uint64_t prepare_ms;
    uint64_t prepared_start; /* the turn (its start) the next slide was asked for in */
    size_t prepared_slide;
    bool prepared;
    /* status.json */
    bool status_dirty;
    struct kiosk_loop_stats stats;
};

/* A loop over n slides (n >= 1), the first coming on screen at now. */
void kiosk_loop_init(struct kiosk_loop *L, const struct kiosk_loop_ops *ops, size_t n_slides,
                     uint64_t now);
/* A new playlist (a reloaded configuration): its first slide with something to show,
 * drawn at once. */
void kiosk_loop_restart(struct kiosk_loop *L, size_t n_slides, uint64_t now);
/* New data: the current slide drawn at once, or, when it has nothing to show any more, the
 * next that has (by a cut, for a full turn). */
void kiosk_loop_data_changed(struct kiosk_loop *L, uint64_t now);

/* The display step's news: a display was opened (anew) at now with that refresh rate;
 * whether the slides change with transitions on it. Drops any transition and draws the
 * current slide at once, for a full turn. */
void kiosk_loop_display_opened(struct kiosk_loop *L, int hz, bool transitions, uint64_t now);
/* The display step's news: no display any more. */
void kiosk_loop_display_closed(struct kiosk_loop *L);
/* The power step: the screen is on or off at now (working hours). True when it changed;
 * back on, the current slide is drawn at once, for a full turn. */
bool kiosk_loop_power(struct kiosk_loop *L, bool on, uint64_t now);

/* Whether anything is drawn: a display is open and the screen is on. */
bool kiosk_loop_drawing(const struct kiosk_loop *L);
/* When the current slide's turn ends. */
uint64_t kiosk_loop_slide_end(const struct kiosk_loop *L);

/* The slide schedule: at the end of the slide's turn, draws the next one with something to
 * show ahead and starts the transition to it (or cuts to it without transitions); with no
 * other slide to show, the current one starts a new turn. */
void kiosk_loop_schedule_step(struct kiosk_loop *L, uint64_t now);
/* Draw-ahead: prepare_ms before the turn ends, the next slide with something to show is
 * asked for (ops->prepare), once a turn. */
void kiosk_loop_prepare_step(struct kiosk_loop *L, uint64_t now);
/* The transition: a frame of it, or its end (the next slide is then the current one). */
void kiosk_loop_transition_step(struct kiosk_loop *L, uint64_t now);
/* The redraw: the current slide, when it is dirty or its hint is due. */
void kiosk_loop_redraw_step(struct kiosk_loop *L, uint64_t now);
/* systemd: READY=1 after the first frame shown, EXTEND_TIMEOUT every 10 s while there is
 * none, WATCHDOG=1 every half period (only a loop that runs reaches it). */
void kiosk_loop_notify_step(struct kiosk_loop *L, uint64_t now);
/* status.json, when something it says changed. Returns the write's result (0 when
 * nothing was due). */
int kiosk_loop_status_step(struct kiosk_loop *L, uint64_t now);

/* The earliest time one of the steps above has something to do. */
uint64_t kiosk_loop_next_wake(const struct kiosk_loop *L, uint64_t now);

#endif
