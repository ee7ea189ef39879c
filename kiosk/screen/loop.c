#include "loop.h"

#include "kiosk/plugin.h"

#include <string.h>
#include <time.h>

#define EXTEND_EVERY_MS 10000

static double cost_clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

void kiosk_loop_init(struct kiosk_loop *L, const struct kiosk_loop_ops *ops, size_t n_slides,
                     uint64_t now)
{
    memset(L, 0, sizeof *L);
    L->ops = ops;
    L->screen_on = true;
    L->frame_ms = 16;
    L->extend_at = now; /* at once when there is no display */
    L->status_dirty = true;
    kiosk_loop_restart(L, n_slides, now);
}

static bool in_schedule(const struct kiosk_loop *L, size_t slide)
{
    return !L->ops->scheduled || L->ops->scheduled(L->ops->ctx, slide);
}

static bool shows(const struct kiosk_loop *L, size_t slide)
{
    if (!in_schedule(L, slide))
        return false;
    return !L->ops->has_content || L->ops->has_content(L->ops->ctx, slide);
}

/* The first slide after `from` (in playlist order, coming round) in its hours with
 * something to show; when none other has, as the comments below say. */
static size_t next_showing(const struct kiosk_loop *L, size_t from)
{
    for (size_t k = 1; k < L->n_slides; k++) {
        size_t i = (from + k) % L->n_slides;
        if (shows(L, i))
            return i;
    }
    /* none other: from itself when it is in its hours (its waiting notice when it has
     * nothing to show), else another in its hours, else, with no slide in its hours, the
     * fallback: never a black screen */
    if (in_schedule(L, from))
        return from;
    for (size_t k = 1; k < L->n_slides; k++) {
        size_t i = (from + k) % L->n_slides;
        if (in_schedule(L, i))
            return i;
    }
    if (L->ops->fallback) {
        size_t fb = L->ops->fallback(L->ops->ctx);
        if (fb < L->n_slides)
            return fb;
    }
    return from;
}

void kiosk_loop_restart(struct kiosk_loop *L, size_t n_slides, uint64_t now)
{
    L->n_slides = n_slides;
    L->slide = L->next = 0;
    if (n_slides > 1 && !shows(L, 0))
        L->slide = L->next = next_showing(L, 0);
    L->slide_start = now;
    L->redraw_at = 0;
    L->late_retry = 0;
    L->in_transition = false;
    L->dirty = true;
    L->status_dirty = true;
}

void kiosk_loop_data_changed(struct kiosk_loop *L, uint64_t now)
{
    L->dirty = true;
    L->status_dirty = true;
    if (L->n_slides < 2 || shows(L, L->slide))
        return;
    size_t next = next_showing(L, L->slide);
    if (next == L->slide)
        return; /* nothing shows: the current one says so */
    L->in_transition = false;
    L->slide = L->next = next;
    L->slide_start = now;
}

void kiosk_loop_display_opened(struct kiosk_loop *L, int hz, bool transitions, uint64_t now)
{
    L->open = true;
    L->slide_start = now; /* a full turn for the slide that comes back */
    L->transitions = transitions;
    L->frame_ms = hz > 0 ? (uint64_t)(1000 / hz) : 16;
    L->in_transition = false;
    L->late_retry = 0;
    L->dirty = true;
    L->status_dirty = true;
}

void kiosk_loop_display_closed(struct kiosk_loop *L)
{
    L->open = false;
    L->in_transition = false;
    L->status_dirty = true;
}

bool kiosk_loop_power(struct kiosk_loop *L, bool on, uint64_t now)
{
    if (on == L->screen_on)
        return false;
    L->screen_on = on;
    L->slide_start = now;
    L->status_dirty = true;
    L->in_transition = false;
    L->dirty = on; /* back on: draw the current slide at once */
    return true;
}

bool kiosk_loop_drawing(const struct kiosk_loop *L)
{
    return L->open && L->screen_on;
}

uint64_t kiosk_loop_slide_end(const struct kiosk_loop *L)
{
    return L->slide_start + L->ops->duration_ms(L->ops->ctx, L->slide);
}

/* When a slide drawn at now with that hint needs drawing again (0: only when dirty). Any
 * negative hint is "never", and none comes sooner than the display's next frame: a plugin
 * can make the loop neither spin nor redraw faster than the screen shows. */
static uint64_t due_after(const struct kiosk_loop *L, int hint, uint64_t now)
{
    if (hint < 0)
        return 0;
    return now + ((uint64_t)hint < L->frame_ms ? L->frame_ms : (uint64_t)hint);
}

/* 1 when slide can be drawn now, 0 when its picture is late, -1 when it cannot be. */
static int ready(struct kiosk_loop *L, size_t slide, double elapsed_ms)
{
    int r = L->ops->ready ? L->ops->ready(L->ops->ctx, slide, elapsed_ms) : 1;
    if (r == 0)
        L->stats.late++;
    return r;
}

void kiosk_loop_schedule_step(struct kiosk_loop *L, uint64_t now)
{
    if (!kiosk_loop_drawing(L) || L->in_transition || L->n_slides < 2 ||
        now < kiosk_loop_slide_end(L) || now < L->late_retry)
        return;
    L->late_retry = 0;
    L->next = next_showing(L, L->slide);
    /* a slide that cannot be drawn (its worker went down) gives its turn to the next */
    int r = 1;
    for (size_t tries = 0;
         L->next != L->slide && (r = ready(L, L->next, 0)) < 0 && tries < L->n_slides; tries++)
        L->next = next_showing(L, L->next);
    if (L->next == L->slide) { /* nothing else to show: a new turn of the same slide */
        L->slide_start = now;
        return;
    }
    if (r == 0) { /* late: the slide on screen stays until its picture is in */
        L->late_retry = now + KIOSK_LOOP_LATE_MS;
        return;
    }
    if (!L->transitions) { /* a cut: the redraw step draws it */
        L->slide = L->next;
        L->slide_start = now;
        L->dirty = true;
        L->status_dirty = true;
        return;
    }
    /* the next slide is drawn before its transition starts: no frame of it is lost */
    L->next_hint = L->ops->draw(L->ops->ctx, L->next, 1 - L->cur, 0);
    if (L->next_hint == KIOSK_LOOP_DRAW_FAILED) { /* no second picture: a cut instead */
        L->slide = L->next;
        L->slide_start = now;
        L->dirty = true;
        L->status_dirty = true;
        return;
    }
    L->in_transition = true;
    L->trans_start = now;
}

static bool prepared_this_turn(const struct kiosk_loop *L)
{
    return L->prepared && L->prepared_start == L->slide_start && L->prepared_slide == L->slide;
}

static bool prepares(const struct kiosk_loop *L)
{
    return L->prepare_ms && L->ops->prepare && L->n_slides > 1 && !L->in_transition &&
           kiosk_loop_drawing(L) && !prepared_this_turn(L);
}

void kiosk_loop_prepare_step(struct kiosk_loop *L, uint64_t now)
{
    if (!prepares(L) || now + L->prepare_ms < kiosk_loop_slide_end(L))
        return;
    L->prepared = true;
    L->prepared_start = L->slide_start;
    L->prepared_slide = L->slide;
    size_t next = next_showing(L, L->slide);
    if (next != L->slide)
        L->ops->prepare(L->ops->ctx, next);
}

void kiosk_loop_transition_step(struct kiosk_loop *L, uint64_t now)
{
    if (!L->in_transition)
        return;
    double p = (double)(now - L->trans_start) / KIOSK_LOOP_TRANSITION_MS;
    if (p >= 1) {
        L->in_transition = false;
        L->cur = 1 - L->cur;
        L->slide = L->next;
        L->slide_start = now; /* the slide's own clock starts now; it is drawn already */
        L->redraw_at = due_after(L, L->next_hint, now);
        L->status_dirty = true;
        L->ops->present(L->ops->ctx, L->cur, 0);
        return;
    }
    double t0 = cost_clock_ms();
    L->ops->present(L->ops->ctx, L->cur, p);
    double ms = cost_clock_ms() - t0;
    L->stats.trans_ms += ms;
    L->stats.trans_max = ms > L->stats.trans_max ? ms : L->stats.trans_max;
    L->stats.trans_frames++;
    L->stats.frames++;
}

void kiosk_loop_redraw_step(struct kiosk_loop *L, uint64_t now)
{
    if (!kiosk_loop_drawing(L) || L->in_transition ||
        !(L->dirty || (L->redraw_at && now >= L->redraw_at)))
        return;
    if (ready(L, L->slide, (double)(now - L->slide_start)) == 0) {
        L->dirty = false; /* late: the picture on screen stays; asked again soon */
        L->redraw_at = now + KIOSK_LOOP_LATE_MS;
        return;
    }
    double t0 = cost_clock_ms();
    int hint = L->ops->draw(L->ops->ctx, L->slide, L->cur, (double)(now - L->slide_start));
    L->dirty = false;
    if (hint == KIOSK_LOOP_DRAW_FAILED) { /* the picture on screen stays; try again soon */
        L->redraw_at = now + KIOSK_LOOP_RETRY_MS;
        return;
    }
    L->redraw_at = due_after(L, hint, now);
    L->ops->present(L->ops->ctx, L->cur, 0);
    double ms = cost_clock_ms() - t0;
    L->stats.redraw_ms += ms;
    L->stats.redraw_max = ms > L->stats.redraw_max ? ms : L->stats.redraw_max;
    L->stats.redraws++;
    L->stats.frames++;
    L->dirty = false;
}

void kiosk_loop_notify_step(struct kiosk_loop *L, uint64_t now)
{
    if (!L->ready && L->open && !L->in_transition) {
        L->ops->notify(L->ops->ctx, "READY=1\nSTATUS=showing"); /* the first frame is shown */
        L->ready = true;
    } else if (!L->ready && now >= L->extend_at) {
        /* still no display: ask systemd for more start time */
        L->ops->notify(L->ops->ctx, "STATUS=waiting for a display\nEXTEND_TIMEOUT_USEC=20000000");
        L->extend_at = now + EXTEND_EVERY_MS;
    }
    if (L->watchdog_ms && now >= L->watchdog_at) {
        L->ops->notify(L->ops->ctx, "WATCHDOG=1");
        L->watchdog_at = now + L->watchdog_ms;
    }
}

int kiosk_loop_status_step(struct kiosk_loop *L, uint64_t now)
{
    (void)now;
    if (!L->status_dirty)
        return 0;
    L->status_dirty = false;
    return L->ops->write_status(L->ops->ctx);
}

uint64_t kiosk_loop_next_wake(const struct kiosk_loop *L, uint64_t now)
{
    uint64_t wake = KIOSK_LOOP_NEVER;
    if (kiosk_loop_drawing(L)) {
        if (L->in_transition || L->dirty)
            wake = L->in_transition ? now + L->frame_ms : now;
        else if (L->redraw_at)
            wake = L->redraw_at;
        if (!L->in_transition && L->n_slides > 1) {
            uint64_t end = kiosk_loop_slide_end(L);
            wake = kiosk_earliest(wake, L->late_retry > end ? L->late_retry : end);
        }
        if (prepares(L)) {
            uint64_t end = kiosk_loop_slide_end(L);
            wake = kiosk_earliest(wake, end > L->prepare_ms ? end - L->prepare_ms : now);
        }
    }
    if (!L->ready)
        wake = kiosk_earliest(wake, L->extend_at);
    if (L->watchdog_ms)
        wake = kiosk_earliest(wake, L->watchdog_at);
    if (L->status_dirty)
        wake = now;
    return wake;
}
