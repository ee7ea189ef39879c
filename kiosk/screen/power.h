/* The display's power through the working hours: outside them the kiosk powers the
 * display down (HDMI-CEC standby where the TV supports it; a black screen, not drawn,
 * always; DPMS on KMSDRM) and keeps polling; it wakes it again when the hours begin.
 * Until the system clock is synchronised, "now" is not trusted and the screen stays on.
 * The clock and the outputs are passed in, so tests run a week in a moment. */
#ifndef KIOSK_SCREEN_POWER_H
#define KIOSK_SCREEN_POWER_H

#include "config/schedule.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

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

/* True when the kernel says the system clock is synchronised (NTP or RTC); where the
 * kernel may not be asked (the unit's ProtectClock=), when systemd-timesyncd says so
 * (/run/systemd/timesync/synchronized). When
 * $KIOSK_CLOCK_SYNC_FILE is set, that file stands in for the kernel (a test, or a
 * diagnosis): synchronised when it starts with 1. */
bool kiosk_clock_synchronised(void);

/* HDMI-CEC through the kernel's /dev/cecN: "standby" to the TV, "image view on" to wake
 * it. Opens lazily; returns -1 where there is no CEC adapter. */
int kiosk_cec_set(void *device_path, bool on);

/* A slow shift of the whole picture against burn-in: an offset of a few pixels that moves
 * every ten minutes through a fixed round. */
void kiosk_pixel_shift(time_t now, int width, int height, int *dx, int *dy);

#endif
