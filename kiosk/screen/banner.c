#include "banner.h"

#include "kiosk/slide.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define URGENT_RED 0xFFC62828u
#define URGENT_TEXT 0xFFFFFFFFu
#define SCROLL_PX_S 150.0 /* at 1920x1080 */

void kiosk_banner_init(struct kiosk_banner *b, const struct kiosk_banner_conf *conf)
{
    memset(b, 0, sizeof *b);
    kiosk_banner_configure(b, conf);
}

void kiosk_banner_configure(struct kiosk_banner *b, const struct kiosk_banner_conf *conf)
{
    b->conf = conf && conf->configured ? conf : NULL;
    free(b->source_text);
    b->source_text = NULL;
    b->scrolling = NULL;
    b->source_until[0] = '\0';
    b->source_urgent = -1;
}

void kiosk_banner_free(struct kiosk_banner *b)
{
    free(b->source_text);
    free(b->remote_text);
    memset(b, 0, sizeof *b);
}

static bool utf8_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n || (k == 2 && c < 0xC2))
            return false;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] >> 6) != 2)
                return false;
        i += k;
    }
    return true;
}

/* The first line that is not blank, trimmed; "" when none. */
static char *first_line(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i < n && s[i] == '\n') {
            i++;
            continue;
        }
        break;
    }
    size_t end = i;
    while (end < n && s[end] != '\n' && s[end] != '\r')
        end++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    char *out = malloc(end - i + 1);
    if (out) {
        memcpy(out, s + i, end - i);
        out[end - i] = '\0';
    }
    return out;
}

static bool local_minute(const char *v)
{
    int y, mo, d, hh, mm, n = 0;
    return v && strlen(v) == 16 &&
           sscanf(v, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &hh, &mm, &n) == 5 && n == 16 &&
           mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && hh <= 23 && mm <= 59;
}

int kiosk_banner_take_source(struct kiosk_banner *b, const char *bytes, size_t len, char *why,
                             size_t why_size)
{
    size_t at = 0;
    while (at < len &&
           (bytes[at] == ' ' || bytes[at] == '\n' || bytes[at] == '\r' || bytes[at] == '\t'))
        at++;
    char *text = NULL, until[17] = "";
    int urgent = -1;
    if (at < len && bytes[at] == '{') {
        json_error_t err;
        json_t *j = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &err);
        json_t *t = json_object_get(j, "text"), *u = json_object_get(j, "until"),
               *g = json_object_get(j, "urgent");
        const char *bad = !j                   ? err.text
                          : !json_is_string(t) ? "expected \"text\": a string"
                          : u && !local_minute(json_string_value(u))
                              ? "expected \"until\": a local time as YYYY-MM-DDTHH:MM"
                          : g && !json_is_boolean(g) ? "expected \"urgent\": true or false"
                                                     : NULL;
        if (bad) {
            snprintf(why, why_size, "banner source: %s", bad);
            json_decref(j);
            return -1;
        }
        text = first_line(json_string_value(t), json_string_length(t));
        if (u)
            snprintf(until, sizeof until, "%s", json_string_value(u));
        if (g)
            urgent = json_is_true(g);
        json_decref(j);
    } else {
        if (!utf8_ok(bytes, len)) {
            snprintf(why, why_size, "banner source: expected UTF-8 text or a JSON object");
            return -1;
        }
        text = first_line(bytes, len);
    }
    if (!text) {
        snprintf(why, why_size, "banner source: out of memory");
        return -1;
    }
    if (strlen(text) > KIOSK_BANNER_TEXT_MAX) {
        snprintf(why, why_size, "banner source: expected at most %d bytes of text, found %zu",
                 KIOSK_BANNER_TEXT_MAX, strlen(text));
        free(text);
        return -1;
    }
    free(b->source_text);
    b->source_text = text;
    b->scrolling = NULL;
    snprintf(b->source_until, sizeof b->source_until, "%s", until);
    b->source_urgent = urgent;
    return 0;
}

int kiosk_banner_set_remote(struct kiosk_banner *b, const char *text, int64_t until_unix,
                            bool urgent)
{
    if (text && (strlen(text) > KIOSK_BANNER_TEXT_MAX || !utf8_ok(text, strlen(text))))
        return -1;
    char *copy = text && text[0] ? strdup(text) : NULL;
    if (text && text[0] && !copy)
        return -1;
    free(b->remote_text);
    b->remote_text = copy;
    b->scrolling = NULL;
    b->remote_until = until_unix;
    b->remote_urgent = urgent;
    return 0;
}

struct kiosk_banner_now kiosk_banner_at(const struct kiosk_banner *b, int64_t now_unix)
{
    struct kiosk_banner_now out = {.top = b->conf && b->conf->top};
    if (b->remote_text && (!b->remote_until || now_unix < b->remote_until)) {
        out.text = b->remote_text;
        out.urgent = b->remote_urgent;
        return out;
    }
    if (!b->conf)
        return out;
    /* until is local time: compared as text, "2026-12-31T17:00" against the clock's */
    time_t t = (time_t)now_unix;
    struct tm tm;
    char minute[32];
    localtime_r(&t, &tm);
    snprintf(minute, sizeof minute, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min);
    const char *text = b->conf->source ? b->source_text : b->conf->text;
    const char *until = b->conf->source && b->source_until[0] ? b->source_until : b->conf->until;
    if (!text || !text[0] || (until[0] && strcmp(minute, until) >= 0))
        return out;
    out.text = text;
    out.urgent = b->conf->source && b->source_urgent >= 0 ? b->source_urgent : b->conf->urgent;
    return out;
}

float kiosk_banner_height(float scale)
{
    return roundf(64 * scale);
}

int kiosk_banner_draw(const struct kiosk_banner_now *now, kiosk_canvas *c,
                      const struct kiosk_host *h, float y, float scale, int64_t scroll_ms)
{
    if (!now->text)
        return KIOSK_REDRAW_NEVER;
    float W = (float)kiosk_canvas_width(c), bh = kiosk_banner_height(scale), pad = 48 * scale;
    kiosk_color bg = now->urgent ? URGENT_RED : h->theme_color(h, KIOSK_COLOR_SURFACE);
    h->fill_rect(c, 0, y, W, bh, 0, bg);
    /* a rule on the side that faces the slide */
    float rule = fmaxf(2, roundf(4 * scale));
    h->fill_rect(c, 0, now->top ? y + bh - rule : y, W, rule, 0,
                 now->urgent ? URGENT_TEXT : h->theme_color(h, KIOSK_COLOR_ACCENT));
    struct kiosk_text_style st = kiosk_style(h, 34 * scale, 1, KIOSK_COLOR_TEXT);
    if (now->urgent)
        st.color = URGENT_TEXT;
    float tw = 0, th = 0;
    h->measure_text(c, &st, now->text, &tw, &th);
    float ty = y + (bh - 40 * scale) / 2;
    if (tw <= W - 2 * pad) {
        h->draw_text(c, &st, pad, ty, now->text);
        return KIOSK_REDRAW_NEVER;
    }
    /* a ticker: the text goes by from right to left, again after a gap, without a jump
     * between slides (it moves by the time it has been shown, not the slide's) */
    float gap = 160 * scale, cycle = tw + gap;
    double moved =
        fmod((double)(scroll_ms > 0 ? scroll_ms : 0) / 1000.0 * SCROLL_PX_S * scale, (double)cycle);
    float x = pad - (float)moved;
    kiosk_canvas_set_origin(c, 0, y, W, bh);
    h->draw_text(c, &st, x, ty - y, now->text);
    if (x + cycle < W)
        h->draw_text(c, &st, x + cycle, ty - y, now->text);
    kiosk_canvas_reset_origin(c);
    return KIOSK_REDRAW_NOW;
}

int64_t kiosk_banner_scroll_ms(struct kiosk_banner *b, const struct kiosk_banner_now *now,
                               int64_t now_ms)
{
    if (now->text != b->scrolling) {
        b->scrolling = now->text;
        b->scroll_from_ms = now_ms;
    }
    return now_ms - b->scroll_from_ms;
}
