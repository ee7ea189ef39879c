/* The insight step of the scoring pipeline (scoring.md "Insights"): score (score.c) ->
 * choose the home unit (kiosk_choose_home) -> insights (insight.c). It reads a snapshot
 * whose scopes are built and writes nothing into it: the scoring entry point stores what
 * it returns. */
#ifndef KIOSK_CORE_INSIGHT_H
#define KIOSK_CORE_INSIGHT_H

#include "score.h"

/* The statements about the unit home of the scored snapshot s (its scopes built), in lang,
 * ranked by priority (higher first; equal priorities in the order made). Returns 0 with a
 * new array of *n_out entries in *out (NULL and 0 when home is NULL), each text owned by the
 * array, or KIOSK_ENOMEM with nothing in *out. */
int kiosk_insights_build(const struct kiosk_snapshot *s, const struct kiosk_unit_score *home,
                         enum kiosk_lang_code lang, struct kiosk_insight **out, size_t *n_out);

#endif
