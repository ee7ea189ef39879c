#include "schedule.h"

#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/cec.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <unistd.h>

static int parse_hhmm(const char *s, int *minutes, const char **end)
{
    int h, m, n = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || h < 0 || h > 24 || m < 0 || m > 59 ||
        (h == 24 && m != 0))
        return -1;
    *minutes = h * 60 + m;
    *end = s + n;
    return 0;
}

int kiosk_schedule_set_day(struct kiosk_schedule *s, int weekday, const char *spec, char *why,
                           size_t why_size)
{
    s->configured = true;
    s->day[weekday].n = 0;
    while (*spec == ' ')
        spec++;
    if (strcmp(spec, "off") == 0)
        return 0;
    const char *p = spec;
    while (*p) {
        int from, to;
        if (s->day[weekday].n == KIOSK_SCHEDULE_SPANS) {
            snprintf(why, why_size, "at most %d spans a day", KIOSK_SCHEDULE_SPANS);
            return -1;
        }
        if (parse_hhmm(p, &from, &p) || *p++ != '-' || parse_hhmm(p, &to, &p) || to <= from) {
            snprintf(why, why_size,
                     "expected HH:MM-HH:MM spans separated by commas (e.g. 07:00-17:30), or "
                     "off; found \"%s\"",
                     spec);
            return -1;
        }
        s->day[weekday].from[s->day[weekday].n] = from;
        s->day[weekday].to[s->day[weekday].n] = to;
        s->day[weekday].n++;
        while (*p == ' ' || *p == ',')
            p++;
    }
    return 0;
}

int kiosk_schedule_add_holiday(struct kiosk_schedule *s, const char *date)
{
    int32_t d;
    if (s->n_holidays == KIOSK_SCHEDULE_HOLIDAYS || kiosk_date_parse(date, &d))
        return -1;
    s->configured = true;
    s->holidays[s->n_holidays++] = d;
    return 0;
}

bool kiosk_schedule_on(const struct kiosk_schedule *s, const struct tm *t)
{
    if (!s->configured)
        return true;
    int32_t today =
        kiosk_days_from_civil(t->tm_year + 1900, (unsigned)t->tm_mon + 1, (unsigned)t->tm_mday);
    for (size_t i = 0; i < s->n_holidays; i++)
        if (s->holidays[i] == today)
            return false;
    int wd = (t->tm_wday + 6) % 7, minute = t->tm_hour * 60 + t->tm_min;
    for (int i = 0; i < s->day[wd].n; i++)
        if (minute >= s->day[wd].from[i] && minute < s->day[wd].to[i])
            return true;
    return false;
}

long kiosk_schedule_next_change(const struct kiosk_schedule *s, time_t now)
{
    if (!s->configured)
        return 0;
    struct tm t;
    localtime_r(&now, &t);
    bool on = kiosk_schedule_on(s, &t);
    /* minute by minute from the next minute: 8 days is 11,520 steps, done rarely */
    time_t probe = now - t.tm_sec + 60;
    for (int i = 0; i < 8 * 24 * 60; i++, probe += 60) {
        localtime_r(&probe, &t);
        if (kiosk_schedule_on(s, &t) != on)
            return (long)(probe - now);
    }
    return 0;
}

bool kiosk_power_update(struct kiosk_power_ctl *c, time_t now, bool clock_synced)
{
    struct tm t;
    localtime_r(&now, &t);
    c->trust_clock = clock_synced;
    bool want = !clock_synced || kiosk_schedule_on(c->schedule, &t);
    if (!c->started || want != c->on) {
        for (size_t i = 0; i < c->n_outputs; i++)
            c->outputs[i].set(c->outputs[i].ctx, want);
        c->on = want;
        c->started = true;
    }
    return c->on;
}

bool kiosk_clock_synchronised(void)
{
    struct timex tx = {0};
    int state = adjtimex(&tx);
    return state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

int kiosk_cec_set(void *device_path, bool on)
{
    int fd = open(device_path ? (const char *)device_path : "/dev/cec0", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* claim a playback device's logical address if nobody configured one */
    struct cec_log_addrs la = {0};
    if (ioctl(fd, CEC_ADAP_G_LOG_ADDRS, &la) == 0 && la.num_log_addrs == 0) {
        la.cec_version = CEC_OP_CEC_VERSION_1_4;
        la.num_log_addrs = 1;
        la.vendor_id = CEC_VENDOR_ID_NONE;
        la.log_addr_type[0] = CEC_LOG_ADDR_TYPE_PLAYBACK;
        la.primary_device_type[0] = CEC_OP_PRIM_DEVTYPE_PLAYBACK;
        la.all_device_types[0] = CEC_OP_ALL_DEVTYPE_PLAYBACK;
        snprintf(la.osd_name, sizeof la.osd_name, "kiosk");
        ioctl(fd, CEC_ADAP_S_LOG_ADDRS, &la);
    }
    struct cec_msg msg = {0};
    msg.len = 2;
    msg.msg[0] = (uint8_t)((la.log_addr[0] & 0xF) << 4 | CEC_LOG_ADDR_TV);
    msg.msg[1] = on ? CEC_MSG_IMAGE_VIEW_ON : CEC_MSG_STANDBY;
    msg.timeout = 1000;
    int rc = ioctl(fd, CEC_TRANSMIT, &msg);
    close(fd);
    return rc == 0 ? 0 : -1;
}

void kiosk_pixel_shift(time_t now, int width, int height, int *dx, int *dy)
{
    /* eight positions around the centre, one every ten minutes; at most ~0.3% of the
     * screen, too little for anyone to notice, enough to rest the pixels */
    static const int round[8][2] = {{0, 0},  {1, 0},  {1, 1},   {0, 1},
                                    {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}};
    int step = (int)((now / 600) % 8);
    int amp_x = width / 480 > 1 ? width / 480 : 1, amp_y = height / 360 > 1 ? height / 360 : 1;
    *dx = round[step][0] * amp_x;
    *dy = round[step][1] * amp_y;
}
