/* How old the scored data is and whether it is stale: one answer for the screen's status
 * line, the plugins' data age and status.json.
 *
 * Stale follows the feed's cadence, not a fixed age: weekly data is stale when the next
 * week is overdue, i.e. past the newest period's end + its length + a grace (a seventh
 * of the length, at least a day: 8 days after the end of a week). That data sits a few
 * days old every Wednesday is normal. Sources that keep failing are a different mark
 * (kiosk_sources_failing), with its own limit (stale_after_h of the config). */
#ifndef KIOSK_CORE_FRESHNESS_H
#define KIOSK_CORE_FRESHNESS_H

#include "score.h"

#include <stdbool.h>
#include <stdint.h>

enum kiosk_data_state {
    KIOSK_DATA_NONE = 0, /* no snapshot yet: waiting for data, which is not stale */
    KIOSK_DATA_FRESH,    /* data whose next period is not overdue yet (or of unknown age) */
    KIOSK_DATA_STALE,    /* the next period is overdue */
};

struct kiosk_freshness {
    enum kiosk_data_state state;
    double age_s;          /* now - the snapshot's produced_unix, in seconds; NAN when unknown (no
                            * snapshot, or neither the feed nor the fetch said when). Negative
                            * when the clock is behind the production time. */
    int64_t next_due_unix; /* when the next period is overdue; 0 when unknown */
};

/* The state and age of snapshot s (NULL: none yet) at now_unix. */
struct kiosk_freshness kiosk_data_freshness(const struct kiosk_snapshot *s, int64_t now_unix);

/* When data of the period [start_day, end_day] (days since 1970, end included) is
 * overdue: the end + the length + the grace. */
int64_t kiosk_period_due_unix(int32_t start_day, int32_t end_day);

/* Whether sources failing for failing_s seconds (0: they are fine) are to be marked,
 * with the limit limit_h hours (0: never). */
bool kiosk_sources_failing(double failing_s, double limit_h);

/* "none", "fresh" or "stale", for JSON and logs. */
const char *kiosk_data_state_name(enum kiosk_data_state state);

#endif
