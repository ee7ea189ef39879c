/* kiosk check's trial of a plugin, as the screen would run it: loaded in a plugin worker
 * of its own (exec'd, its limits and filter in place), its slide made with the slide's
 * settings, and one 1920x1080 frame of the bundled demo drawn, each call within the
 * deadline (check_trial.c). Nothing of a plugin runs in the check's own process. */
#ifndef KIOSK_APP_CHECK_TRIAL_H
#define KIOSK_APP_CHECK_TRIAL_H

#include "config/config.h"
#include "core/score.h"
#include "host/plugin_host.h"
#include "host/worker.h"
#include "render/canvas.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What trials draw with and run in: the fonts and the bundled demo (DATA_DIR/demo),
 * scored once, and the workers' settings. */
struct kiosk_trial_kit {
    struct kiosk_fonts *fonts;
    struct kiosk_snapshot *snap;
    char fonts_dir[4200];
    struct kiosk_worker_conf workers;
    FILE *log; /* what the workers said (their plugins' output, their faults) */
    char *log_text;
    size_t log_size;
};
/* exe: the program workers are started from (struct kiosk_paths.self); filter: their
 * system call filter. 0, or -1 when the fonts or the demo are missing. */
int kiosk_trial_kit_open(const char *data_dir, const char *exe, bool filter, double deadline_s,
                         struct kiosk_trial_kit *k);
void kiosk_trial_kit_close(struct kiosk_trial_kit *k);

/* The plugins to try: one file, or every file of the directories, each in its worker. */
void kiosk_trial_load_file(struct kiosk_trial_kit *k, struct kiosk_plugins *p, const char *file);
void kiosk_trial_load_dirs(struct kiosk_trial_kit *k, struct kiosk_plugins *p,
                           const char *const *dirs, size_t n);

struct kiosk_trial_result {
    char said[700];                   /* what went wrong, or what the frame cost */
    char name[128], description[256]; /* of the plugin tried */
    unsigned abi_major, abi_minor;
    double render_ms;
    long peak_kb; /* its worker's peak resident memory */
};

/* Tries slide (NULL: a slide of the first plugin loaded, with no settings) with the
 * plugins loaded; 0 when it was made and drew a frame in time, else -1, r->said telling
 * why in words for a technician (a refusal, a crash, a hang, an exit, a slow frame). */
int kiosk_check_trial(struct kiosk_trial_kit *k, const struct kiosk_plugins *p,
                      const struct kiosk_slide_conf *slide, enum kiosk_lang_code lang,
                      struct kiosk_trial_result *r);

#endif
