/* How old the scored data is and whether it is stale: one answer for the screen's status
 * line, the plugins' data age and status.json. */
#ifndef KIOSK_CORE_FRESHNESS_H
#define KIOSK_CORE_FRESHNESS_H

#include "score.h"

#include <stdint.h>

enum kiosk_data_state {
    KIOSK_DATA_NONE = 0, /* no snapshot yet: waiting for data, which is not stale */
    KIOSK_DATA_FRESH,    /* data, not older than the configured limit (or its age unknown) */
    KIOSK_DATA_STALE,    /* data older than the configured limit */
};

struct kiosk_freshness {
    enum kiosk_data_state state;
    double age_s; /* now - the snapshot's produced_unix, in seconds; NAN when unknown (no
                   * snapshot, or neither the feed nor the fetch said when). Negative
                   * when the clock is behind the production time: such data is fresh. */
};

/* The state and age of snapshot s (NULL: none yet) at now_unix, with data stale when older
 * than stale_after_h hours (0: never stale). Data of unknown age is fresh: nothing says it
 * is old. */
struct kiosk_freshness kiosk_data_freshness(const struct kiosk_snapshot *s, int64_t now_unix,
                                            double stale_after_h);

/* "none", "fresh" or "stale", for JSON and logs. */
const char *kiosk_data_state_name(enum kiosk_data_state state);

#endif
