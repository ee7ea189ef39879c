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

/* When one slide is shown ([slide.NAME] days, hours, from, until), in local time. A slide
 * with none of them set is always shown. */
struct kiosk_when {
    uint8_t days; /* bit 0 = Monday .. bit 6 = Sunday; 0: every day */
    int n_hours;  /* 0: all day */
    int from[KIOSK_SCHEDULE_SPANS], to[KIOSK_SCHEDULE_SPANS]; /* minutes of the day */
    bool has_from, has_until;
    int32_t from_day, until_day; /* local days since 1970, both included */
};

/* days = mon-fri | mon,wed,fri | sat-sun | fri-mon (ranges may wrap round the week).
 * 0, or -1 with what was expected in why. */
int kiosk_when_set_days(struct kiosk_when *w, const char *spec, char *why, size_t why_size);
/* hours = 07:00-11:30 | 07:00-11:30, 13:30-17:00 (at most 4 spans; to may be 24:00). */
int kiosk_when_set_hours(struct kiosk_when *w, const char *spec, char *why, size_t why_size);
/* from or until = YYYY-MM-DD; until may not be before from. 0 or -1 with why. */
int kiosk_when_set_date(struct kiosk_when *w, bool until, const char *date, char *why,
                        size_t why_size);
/* Whether the slide is shown at this local time. */
bool kiosk_when_on(const struct kiosk_when *w, const struct tm *local);
/* Whether any of days, hours, from, until is set. */
bool kiosk_when_set(const struct kiosk_when *w);

#endif
