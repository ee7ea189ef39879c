#include "schedule.h"

#include "core/model.h"

#include <stdio.h>
#include <string.h>

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
