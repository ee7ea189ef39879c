/* Sources to a scored snapshot: read and merge every source, load and save the history
 * store when a state directory is given, score. What `kiosk score` prints and what the
 * screen shows come from this one path. */
#ifndef KIOSK_CORE_PIPELINE_H
#define KIOSK_CORE_PIPELINE_H

#include "feed.h"
#include "score.h"

#include <stdbool.h>

struct kiosk_pipeline_source {
    const char *arg;    /* as on the command line: [GROUP=]path, file:// URL or - */
    const char *group;  /* a group label given apart (config), or NULL */
    const char *period; /* the period of portal responses, or NULL for the default */
};

/* Keeps the history (when state_dir is given: loads the periods t lacks, saves t's) and
 * scores t: 0 with a new snapshot in *out. History problems are warnings: they cost the
 * history, not the scores; *history_saved (when not NULL) says whether the store took
 * t's periods. t is emptied either way. */
int kiosk_pipeline_score_table(struct kiosk_table *t, const char *state_dir,
                               const struct kiosk_score_options *so, struct kiosk_diags *d,
                               struct kiosk_snapshot **out, bool *history_saved);

/* Returns 0 with a new snapshot in *out, or KIOSK_EIO/ESCHEMA/... with the problems in d.
 * History store problems are warnings: they cost the history, not the scores. */
int kiosk_pipeline_run(const struct kiosk_pipeline_source *sources, size_t n,
                       const struct kiosk_read_options *ro, const char *state_dir,
                       const struct kiosk_score_options *so, struct kiosk_diags *d,
                       struct kiosk_snapshot **out);

#endif
