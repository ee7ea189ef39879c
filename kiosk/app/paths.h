/* Where the kiosk finds its data (fonts, the demo) and its built-in plugins: beside the
 * program, at the same relative places in the build tree and the installed tree.
 * KIOSK_DATA_DIR and KIOSK_PLUGIN_DIR override them.
 *
 * The kiosk starts itself again for its plugin workers and to check a configuration
 * before it takes it: /proc/self/exe, the very program running (an upgrade that replaces
 * the file mid-run still starts the same version). KIOSK_SELF names another program for
 * that: an emulated kiosk's wrapper (under qemu-user an arm64 program cannot exec an arm64
 * program), which must then start this kiosk with the arguments it is given. Such an
 * emulator has no system call filter for its programs either: KIOSK_WORKER_FILTER=off
 * starts the workers without theirs (said in the log); nothing else turns it off. */
#ifndef KIOSK_APP_PATHS_H
#define KIOSK_APP_PATHS_H

#include <stdbool.h>

struct kiosk_paths {
    char data[4096];    /* share/kiosk */
    char plugins[4096]; /* lib/kiosk/plugins */
    char self[4096];    /* the program that starts this kiosk again */
    bool no_filter;     /* KIOSK_WORKER_FILTER=off */
};

/* Fills the paths; 0, -1 when the program's own location is unknown, or -2 when
 * KIOSK_SELF is not the absolute path of a program that may be run, -3 when
 * KIOSK_WORKER_FILTER is neither on nor off. */
int kiosk_paths_init(struct kiosk_paths *p);

#endif
