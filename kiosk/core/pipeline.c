#include "pipeline.h"

#include "files.h"
#include "history.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Returns false when the store could not be used or saved (the storage failed). */
static bool use_history(struct kiosk_table *t, const char *state_dir, struct kiosk_diags *d)
{
    bool saved = false;
    char path[4200];
    size_t before = d->count, errors = d->errors;
    struct kiosk_history *h = NULL;
    snprintf(path, sizeof path, "%s/%s", state_dir, KIOSK_HISTORY_FILE);
    if (kiosk_make_dirs(state_dir))
        kiosk_diags_add(d, KIOSK_SEV_WARNING, state_dir, NULL, 0, 0,
                        "cannot create the state directory (%s): no history kept", strerror(errno));
    else if (kiosk_history_open(path, &h, d) == 0 && kiosk_history_load(h, t, d) == 0)
        saved = kiosk_history_save(h, t, d) == 0;
    kiosk_history_close(h);
    for (size_t i = before; i < d->count; i++)
        d->items[i].severity = KIOSK_SEV_WARNING;
    d->errors = errors;
    return saved;
}

int kiosk_pipeline_run(const struct kiosk_pipeline_source *sources, size_t n,
                       const struct kiosk_read_options *ro, const char *state_dir,
                       const struct kiosk_score_options *so, struct kiosk_diags *d,
                       struct kiosk_snapshot **out)
{
    struct kiosk_table t = {0};
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct kiosk_source_spec spec;
        struct kiosk_read_options o = *ro;
        if (sources[i].period)
            o.period = sources[i].period;
        int r = kiosk_source_parse(sources[i].arg, &spec, d);
        if (!r && sources[i].group)
            snprintf(spec.group, sizeof spec.group, "%s", sources[i].group);
        if (!r)
            r = kiosk_feed_read_source(&t, &spec, &o, d, NULL);
        if (r && !rc)
            rc = r;
    }
    if (!rc && d->errors)
        rc = KIOSK_ESCHEMA;
    if (!rc)
        return kiosk_pipeline_score_table(&t, state_dir, so, d, out, NULL);
    kiosk_table_free(&t);
    return rc;
}

int kiosk_pipeline_score_table(struct kiosk_table *t, const char *state_dir,
                               const struct kiosk_score_options *so, struct kiosk_diags *d,
                               struct kiosk_snapshot **out, bool *history_saved)
{
    bool saved = !state_dir || use_history(t, state_dir, d);
    if (history_saved)
        *history_saved = saved;
    int rc = kiosk_score(t, so, out);
    if (rc)
        kiosk_diags_add(d, KIOSK_SEV_ERROR, NULL, NULL, 0, 0, "cannot score: %s",
                        kiosk_strerror(rc));
    kiosk_table_free(t);
    return rc;
}
