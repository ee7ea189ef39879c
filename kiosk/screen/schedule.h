/* The screen's working hours: when the display is on, in local time. Outside them the
 * kiosk powers the display down (HDMI-CEC standby where the TV supports it; a black
 * screen, not drawn, always) and keeps polling; it wakes it again when the hours begin.
 * Until the system clock is synchronised, "now" is not trusted and the screen stays on.
 * Pure logic: the clock and the display are passed in, so tests run a week in a moment. */
#ifndef KIOSK_SCREEN_SCHEDULE_H
#define KIOSK_SCREEN_SCHEDULE_H

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

/* Powering the display: implementations are CEC, a black screen, or a test's recorder. */
struct kiosk_display_power {
    int (*set)(void *ctx, bool on); /* 0, or -1 when this way cannot do it */
    void *ctx;
};

struct kiosk_power_ctl {
    const struct kiosk_schedule *schedule;
    const struct kiosk_display_power *outputs; /* each is told; a failing one is skipped */
    size_t n_outputs;
    bool on; /* the display's state as last set */
    bool started;
    bool trust_clock; /* last answer of the clock check */
};

/* Decides for now: sets the display on or off when the state changes (and at the first
 * call). clock_synced false keeps the screen on. Returns whether the screen is on. */
bool kiosk_power_update(struct kiosk_power_ctl *c, time_t now, bool clock_synced);

/* True when the kernel says the system clock is synchronised (NTP or RTC). */
bool kiosk_clock_synchronised(void);

/* HDMI-CEC through the kernel's /dev/cecN: "standby" to the TV, "image view on" to wake
 * it. Opens lazily; returns -1 where there is no CEC adapter. */
int kiosk_cec_set(void *device_path, bool on);

/* A slow shift of the whole picture against burn-in: an offset of a few pixels that moves
 * every ten minutes through a fixed round. */
void kiosk_pixel_shift(time_t now, int width, int height, int *dx, int *dy);

#endif
