/* clock: the time, large; the date in words; the center's name above and its opening hours
 * below, from the settings. Time and date come from the host's format_time, in the
 * screen's time zone and language ("07:30", "Thứ Hai, ngày 6 tháng 10 năm 2025"): the
 * plugin never reads the zone itself. It asks to be drawn again when the minute turns (the
 * second, with seconds = yes).
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct clock {
    const struct kiosk_host *host;
    const char *name, *hours;
    int seconds;
};

static int yes(const char *v)
{
    return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
}

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct clock *k = calloc(1, sizeof *k);
    if (!k)
        return -1;
    k->host = host;
    k->name = host->setting_string(settings, "name", "");
    k->hours = host->setting_string(settings, "opening_hours", "");
    k->seconds = yes(host->setting_string(settings, "seconds", "no"));
    *self = k;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

/* The opening hours: one line each (a value over several | lines), centred; returns the
 * height (measure_only: nothing drawn). */
static float hours(struct clock *k, kiosk_canvas *c, float cx, float y, float w, float px,
                   int measure_only)
{
    const struct kiosk_host *h = k->host;
    char line[512];
    float top = y;
    for (const char *p = k->hours; *p;) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        struct kiosk_text_style st = kiosk_style(h, px, 0, KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_CENTER;
        st.max_width = w;
        if (!measure_only && line[0])
            h->draw_text(c, &st, cx, y, line);
        y += px * 1.3f;
        p += n + (p[n] == '\n');
    }
    return y - top;
}

/* The center's name, wrapped and centred; returns its height. */
static float name(struct clock *k, kiosk_canvas *c, float cx, float y, float w, float px,
                  int measure_only)
{
    const struct kiosk_host *h = k->host;
    struct kiosk_text_style st = kiosk_style(h, px, 1, KIOSK_COLOR_ACCENT);
    st.align = KIOSK_ALIGN_CENTER;
    return h->draw_paragraph(c, &st, cx, y, w, 1.25f, measure_only, k->name);
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct clock *k = self;
    const struct kiosk_host *h = k->host;
    float s = f->scale, pad = 64 * s, W = (float)f->width, H = (float)f->height, cx = W / 2;
    float room = W - 2 * pad;
    char time[32], date[128];
    h->format_time(h, f->now_unix_ms, k->seconds ? KIOSK_TIME_HMS : KIOSK_TIME_HM, time,
                   sizeof time);
    h->format_time(h, f->now_unix_ms, KIOSK_TIME_DATE_LONG, date, sizeof date);
    /* name, time, date, hours, shrunk together until they fit the height */
    float big = (W >= H ? 300 : 260) * s, mid = 64 * s, small = 48 * s, k2 = 1, need;
    for (;; k2 *= 0.92f) {
        need = (k->name[0] ? name(k, c, cx, 0, room, mid * k2, 1) + 40 * s : 0) + big * k2 * 1.15f +
               mid * k2 * 1.3f +
               (k->hours[0] ? 48 * s + hours(k, c, cx, 0, room, small * k2, 1) : 0);
        if (need <= H - 2 * pad || k2 < 0.3f)
            break;
    }
    float y = (H - need) / 2;
    if (k->name[0])
        y += name(k, c, cx, y, room, mid * k2, 0) + 40 * s;
    struct kiosk_text_style st = kiosk_style(h, big * k2, 1, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = room;
    h->draw_text(c, &st, cx, y, time);
    y += big * k2 * 1.15f;
    st = kiosk_style(h, mid * k2, 0, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = room;
    h->draw_text(c, &st, cx, y, date);
    y += mid * k2 * 1.3f;
    if (k->hours[0]) {
        y += 24 * s;
        h->fill_rect(c, cx - 160 * s, y, 320 * s, 4 * s, 2 * s,
                     h->theme_color(h, KIOSK_COLOR_ACCENT));
        y += 24 * s;
        hours(k, c, cx, y, room, small * k2, 0);
    }
    /* again when the minute (or second) turns; a little after, never before */
    int64_t unit = k->seconds ? 1000 : 60000, now = f->now_unix_ms;
    int64_t left = unit - ((now % unit) + unit) % unit;
    return (int)(left + 20);
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("name", NULL, "the center's name, above the time"),
    KIOSK_SETTING_STRING("opening_hours", NULL,
                         "the opening hours below the date, a line each (| lines go on)"),
    KIOSK_SETTING_BOOL("seconds", "no", "the seconds too (drawn every second)"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_SETTINGS("clock", "The time, the date in words and the opening hours",
                                  create, destroy, render, settings)
