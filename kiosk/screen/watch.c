#include "watch.h"

#include <SDL2/SDL.h>

static void schedule(struct kiosk_watch *w, uint64_t now)
{
    if (w->seen.n > 0)
        w->check_at = now + KIOSK_WATCH_CHECK_MS;
    else /* nothing to look at: SDL's events and the retries tell */
        w->check_at = kiosk_display_is_open(w->scr) ? UINT64_MAX : w->retry_at;
}

/* Tries to open the display; says why not once per absence, and tries again later. */
static void try_open(struct kiosk_watch *w, uint64_t now, const char *what)
{
    const char *why = NULL;
    if (w->seen.n > 0 && w->seen.connected == 0) {
        why = "no screen connected";
        SDL_SetError("%s: no connector has a screen", w->dir);
    } else if (kiosk_display_open(w->scr, &w->opts, w->log) == 0) {
        if (w->said_waiting)
            fprintf(w->log, "kiosk run: the display %s after %llu s\n",
                    w->ever_open ? "is back" : "appeared",
                    (unsigned long long)((now - w->lost_at) / 1000));
        w->ever_open = true;
        w->said_waiting = false;
    } else {
        why = SDL_GetError();
    }
    if (why && !w->said_waiting) {
        fprintf(w->log,
                "kiosk run: %s (%s); trying again every 10 s, polling meanwhile (on a board: "
                "SDL_VIDEODRIVER=kmsdrm on the console; without a screen: kiosk snapshot)\n",
                what, why);
        w->said_waiting = true;
    }
    if (why)
        w->retry_at = now + KIOSK_WATCH_RETRY_MS;
    schedule(w, now);
}

void kiosk_watch_start(struct kiosk_watch *w, uint64_t now)
{
    kiosk_connectors_read(w->dir, &w->seen);
    w->lost_at = now;
    try_open(w, now, "no display yet");
}

bool kiosk_watch_step(struct kiosk_watch *w, uint64_t now)
{
    if (now < w->check_at && !w->event)
        return false;
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
        schedule(w, now);
        return false;
    case KIOSK_DISPLAY_CLOSE:
        fprintf(w->log,
                "screen: no screen is connected any more (%s: %d connectors); nothing is "
                "shown until one is, polling goes on\n",
                w->dir, c.n);
        kiosk_display_close(w->scr);
        w->lost_at = now;
        w->said_waiting = true;
        w->retry_at = now + KIOSK_WATCH_RETRY_MS;
        schedule(w, now);
        return true;
    case KIOSK_DISPLAY_REOPEN:
        fprintf(w->log, "screen: the screens changed (%d connected); opening the display anew\n",
                c.connected);
        kiosk_display_close(w->scr);
        w->lost_at = now;
        try_open(w, now, "cannot open the display again");
        return true;
    case KIOSK_DISPLAY_OPEN:
        try_open(w, now, "no display");
        return kiosk_display_is_open(w->scr);
    }
    return false;
}
