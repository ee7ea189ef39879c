#include "freshness.h"

#include <math.h>

#define DAY_S 86400

int64_t kiosk_period_due_unix(int32_t start_day, int32_t end_day)
{
    int64_t length = (int64_t)end_day - start_day + 1;
    if (length < 1)
        length = 1;
    int64_t grace_s = length * DAY_S / 7;
    if (grace_s < DAY_S)
        grace_s = DAY_S;
    return ((int64_t)end_day + 1 + length) * DAY_S + grace_s;
}

struct kiosk_freshness kiosk_data_freshness(const struct kiosk_snapshot *s, int64_t now_unix)
{
    struct kiosk_freshness f = {.state = KIOSK_DATA_NONE, .age_s = NAN};
    if (!s)
        return f;
    f.state = KIOSK_DATA_FRESH;
    if (s->produced_unix)
        f.age_s = (double)(now_unix - s->produced_unix);
    if (s->period) {
        f.next_due_unix = kiosk_period_due_unix(s->period->start, s->period->end);
        if (now_unix > f.next_due_unix)
            f.state = KIOSK_DATA_STALE;
    }
    return f;
}

bool kiosk_sources_failing(double failing_s, double limit_h)
{
    return limit_h > 0 && failing_s > limit_h * 3600.0;
}

const char *kiosk_data_state_name(enum kiosk_data_state state)
{
    switch (state) {
    case KIOSK_DATA_NONE:
        return "none";
    case KIOSK_DATA_FRESH:
        return "fresh";
    case KIOSK_DATA_STALE:
        return "stale";
    }
    return "none";
}
