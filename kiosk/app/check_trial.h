/* kiosk check's trial of a plugin: loaded, its slide made and one frame drawn in a child
 * process, each stage within a deadline (check_trial.c). */
#ifndef KIOSK_APP_CHECK_TRIAL_H
#define KIOSK_APP_CHECK_TRIAL_H

#include "config/config.h"
#include "core/score.h"
#include "render/canvas.h"

#include <stddef.h>

struct kiosk_trial {
    const char *file;        /* a plugin file to load, or NULL: */
    const char *const *dirs; /* the directories to load plugins from */
    size_t n_dirs;
    const struct kiosk_slide_conf *slide; /* the slide to make, or NULL: the file's plugin */
    struct kiosk_fonts *fonts;
    const struct kiosk_snapshot *snap; /* the data of the frame */
    enum kiosk_lang_code lang;
    double deadline_s; /* for each stage: loading, create(), render(), destroy() */
};

struct kiosk_trial_result {
    char said[700];                   /* what went wrong, or what the frame cost */
    char name[128], description[256]; /* of the plugin file tried */
    unsigned abi_major, abi_minor;
    double render_ms;
    long peak_kb; /* the child's peak resident memory */
};

/* What trials draw with: the fonts and the bundled demo (DATA_DIR/demo), scored once. */
struct kiosk_trial_kit {
    struct kiosk_fonts *fonts;
    struct kiosk_snapshot *snap;
};
int kiosk_trial_kit_open(const char *data_dir, struct kiosk_trial_kit *k);
void kiosk_trial_kit_close(struct kiosk_trial_kit *k);

/* Tries it; 0 when the plugin loaded, made its slide and drew a frame in time, else -1,
 * r->said telling why in words for a technician. */
int kiosk_check_trial(const struct kiosk_trial *t, struct kiosk_trial_result *r);

#endif
