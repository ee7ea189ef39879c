/* The screen's working hours ([schedule] in the config): when the display is on, in local
 * time, and the holidays it is off. Pure logic: the clock is passed in, so tests run a
 * week in a moment. What the screen does with them is screen/power.h. */
#ifndef KIOSK_CONFIG_SCHEDULE_H
#define KIOSK_CONFIG_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define KIOSK_SCHEDULE_SPANS 4
#define KIOSK_SCHEDULE_HOLIDAYS 64

struct kiosk_schedule {
    bool configured; /* false: always on */
    struct {
        int n;
        int from[KIOSK_SCHEDULE_SPANS], to[KIOSK_SCHEDULE_SPANS]; /* minutes of the day */
    } day[7];                                                     /* 0 = Monday */
    int32_t holidays[KIOSK_SCHEDULE_HOLIDAYS];                    /* local days since 1970 */
    size_t n_holidays;
    bool trust_clock; /* a battery-backed clock and no NTP: trust it without sync */
};

/* Parses one day's hours: "07:00-17:30", "07:00-11:30, 13:30-17:00" or "off" (to may be
 * 24:00). 0, or -1 with what was expected in why. */
int kiosk_schedule_set_day(struct kiosk_schedule *s, int weekday, const char *spec, char *why,
                           size_t why_size);
/* Adds a holiday (YYYY-MM-DD): off all day. 0 or -1. */
int kiosk_schedule_add_holiday(struct kiosk_schedule *s, const char *date);

/* Is the display on at this local time? */
bool kiosk_schedule_on(const struct kiosk_schedule *s, const struct tm *local);
/* Seconds from now until the display next turns on or off (at most 8 days ahead; 0 when
 * there is no schedule). */
long kiosk_schedule_next_change(const struct kiosk_schedule *s, time_t now);

#endif
