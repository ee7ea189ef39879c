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

int kiosk_when_set_days(struct kiosk_when *w, const char *spec, char *why, size_t why_size)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    uint8_t days = 0;
    const char *p = spec;
    for (;;) {
        int a = -1, b = -1;
        while (*p == ' ')
            p++;
        for (int d = 0; d < 7; d++)
            if (strncmp(p, names[d], 3) == 0)
                a = d;
        if (a >= 0) {
            p += 3;
            b = a;
            if (*p == '-') {
                p++;
                b = -1;
                for (int d = 0; d < 7; d++)
                    if (strncmp(p, names[d], 3) == 0)
                        b = d;
                p += b >= 0 ? 3 : 0;
            }
        }
        while (*p == ' ')
            p++;
        if (a < 0 || b < 0 || (*p && *p != ',')) {
            snprintf(why, why_size,
                     "expected days such as mon-fri, sat-sun or mon,wed,fri (mon tue wed thu "
                     "fri sat sun), found \"%s\"",
                     spec);
            return -1;
        }
        for (int d = a;; d = (d + 1) % 7) { /* fri-mon wraps round the week */
            days |= (uint8_t)(1u << d);
            if (d == b)
                break;
        }
        if (!*p)
            break;
        p++;
    }
    w->days = days;
    return 0;
}

int kiosk_when_set_hours(struct kiosk_when *w, const char *spec, char *why, size_t why_size)
{
    struct kiosk_schedule s;
    memset(&s, 0, sizeof s);
    if (strcmp(spec, "off") == 0 || kiosk_schedule_set_day(&s, 0, spec, why, why_size) != 0) {
        if (strcmp(spec, "off") == 0 || strstr(why, "found") == NULL)
            snprintf(why, why_size,
                     "expected HH:MM-HH:MM spans separated by commas (e.g. 07:00-11:30, "
                     "13:30-17:00; at most %d), found \"%s\"",
                     KIOSK_SCHEDULE_SPANS, spec);
        return -1;
    }
    w->n_hours = s.day[0].n;
    memcpy(w->from, s.day[0].from, sizeof w->from);
    memcpy(w->to, s.day[0].to, sizeof w->to);
    return 0;
}

int kiosk_when_set_date(struct kiosk_when *w, bool until, const char *date, char *why,
                        size_t why_size)
{
    int32_t d;
    if (kiosk_date_parse(date, &d)) {
        snprintf(why, why_size, "expected a date as YYYY-MM-DD, found \"%s\"", date);
        return -1;
    }
    if ((until && w->has_from && d < w->from_day) || (!until && w->has_until && d > w->until_day)) {
        snprintf(why, why_size, "expected from on or before until, found %s %s %s",
                 until ? "until" : "from", date, until ? "before from" : "after until");
        return -1;
    }
    if (until) {
        w->has_until = true;
        w->until_day = d;
    } else {
        w->has_from = true;
        w->from_day = d;
    }
    return 0;
}

bool kiosk_when_set(const struct kiosk_when *w)
{
    return w->days || w->n_hours || w->has_from || w->has_until;
}

bool kiosk_when_on(const struct kiosk_when *w, const struct tm *t)
{
    int32_t today =
        kiosk_days_from_civil(t->tm_year + 1900, (unsigned)t->tm_mon + 1, (unsigned)t->tm_mday);
    if ((w->has_from && today < w->from_day) || (w->has_until && today > w->until_day))
        return false;
    int wd = (t->tm_wday + 6) % 7, minute = t->tm_hour * 60 + t->tm_min;
    if (w->days && !(w->days & (1u << wd)))
        return false;
    if (!w->n_hours)
        return true;
    for (int i = 0; i < w->n_hours; i++)
        if (minute >= w->from[i] && minute < w->to[i])
            return true;
    return false;
}
