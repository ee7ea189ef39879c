/* kiosk run: the appliance. A full-screen SDL2 window (KMSDRM on a board without a
 * desktop, X11 or Wayland on a desktop, a window with --windowed) that rotates the
 * playlist. The poller's thread rescores the sources and hands the screen a finished
 * snapshot; the screen never waits for it, and a failed read keeps the last good data.
 * When nothing moves the loop sleeps until the next page turn, slide change, minute or
 * new data: a static slide costs no CPU. SIGHUP reloads the configuration, SIGTERM and
 * SIGINT stop it. */
#ifndef KIOSK_SCREEN_RUN_H
#define KIOSK_SCREEN_RUN_H

#include "net/fetch.h"
#include "setup.h"

#include <stdbool.h>

struct kiosk_run_options {
    struct kiosk_setup_args setup;
    bool windowed;       /* a window (Escape or q quits) instead of full screen */
    int width, height;   /* the window's size */
    double exit_after_s; /* > 0: stop after this long (tests, benchmarks) */
    double interval_s;   /* > 0: poll every source this often */
    /* kiosk check of a remote document before it is applied: 0, or -1 with the first
     * problem in why (the app's; NULL: not checked beyond reading it) */
    int (*check_config)(void *ctx, const char *path, const struct kiosk_cancel *cancel, char *why,
                        size_t size);
};

/* Runs until stopped; returns the process's exit status (0, or 1 when it cannot start). */
int kiosk_run(const struct kiosk_run_options *o);

#endif
