#include "freshness.h"

struct kiosk_freshness kiosk_data_freshness(const struct kiosk_snapshot *s, int64_t now_unix,
                                            double stale_after_h)
{
    struct kiosk_freshness f = {.state = KIOSK_DATA_NONE, .age_s = NAN};
    if (!s)
        return f;
    f.state = KIOSK_DATA_FRESH;
    if (s->produced_unix)
        f.age_s = (double)(now_unix - s->produced_unix);
    if (stale_after_h > 0 && !isnan(f.age_s) && f.age_s > stale_after_h * 3600.0)
        f.state = KIOSK_DATA_STALE;
    return f;
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
