/* The crash-loop breaker for plugins that run in the kiosk's own process. Before each call
 * into a slide's plugin the kiosk notes which slide it is about to call in a small file of
 * its runtime directory, and clears the note after. A start that finds a note left by a
 * process that is gone knows that slide took the kiosk down: it quarantines the slide for a
 * while (an hour by default), says so, and shows the rest, so a plugin that crashes on
 * every frame costs one restart, not the screen. The note is kept only on tmpfs (the
 * runtime directory, /run/kiosk): rewritten on every call, it would wear a card. */
#ifndef KIOSK_SCREEN_BREAKER_H
#define KIOSK_SCREEN_BREAKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KIOSK_BREAKER_NOTE "crash-note"
#define KIOSK_BREAKER_QUARANTINE "quarantine"
#define KIOSK_BREAKER_MAX 32

struct kiosk_quarantined {
    char slide[128];
    int64_t until_unix;
};

struct kiosk_breaker {
    bool opened;
    int fd; /* the note, -1 when there is none (no directory): nothing is noted */
    char dir[4096];
    struct kiosk_quarantined q[KIOSK_BREAKER_MAX];
    size_t n;
    double hold_s; /* how long a slide stays quarantined */
};

/* Opens DIR's note. When a process that is gone left one, the slide it names is
 * quarantined from now for hold_s (written to DIR/quarantine, atomically) and said on
 * log. Quarantines still running are read back. Without a directory nothing is noted. */
void kiosk_breaker_open(struct kiosk_breaker *b, const char *dir, double hold_s, FILE *log,
                        int64_t now_unix);
/* Whether the slide is quarantined at now; its end in *until when it is. */
bool kiosk_breaker_quarantined(const struct kiosk_breaker *b, const char *slide, int64_t now_unix,
                               int64_t *until);
/* When the first quarantine still running at now ends (Unix seconds), or 0 for none. */
int64_t kiosk_breaker_next_end(const struct kiosk_breaker *b, int64_t now_unix);
/* Notes the slide about to be called (what, e.g. "render"), and clears the note. */
void kiosk_breaker_enter(struct kiosk_breaker *b, const char *slide, const char *what);
void kiosk_breaker_leave(struct kiosk_breaker *b);
/* A clean exit: the note goes, the quarantines stay until they end. */
void kiosk_breaker_close(struct kiosk_breaker *b);

#endif
