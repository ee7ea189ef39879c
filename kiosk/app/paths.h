/* Where the kiosk finds its data (fonts, the demo) and its built-in plugins: beside the
 * program, at the same relative places in the build tree and the installed tree.
 * KIOSK_DATA_DIR and KIOSK_PLUGIN_DIR override them. */
#ifndef KIOSK_APP_PATHS_H
#define KIOSK_APP_PATHS_H

struct kiosk_paths {
    char data[4096];    /* share/kiosk */
    char plugins[4096]; /* lib/kiosk/plugins */
};

/* Fills the paths; 0, or -1 when the program's own location is unknown. */
int kiosk_paths_init(struct kiosk_paths *p);

#endif
