/* hello: the smallest useful slide, to start a plugin of your own from. It greets the home
 * unit with its total and rank, in the screen's language, under the date and time; with a
 * picture and a QR code when the settings name them (ABI 1.3 services).
 *
 * Settings ([slide.NAME] keys): greeting = the first line (default: said by language);
 * logo = a PNG, JPEG or SVG file shown at the top left; qr = a URL shown as a QR code at
 * the right. */
#include <kiosk/plugin.h>
#include <kiosk/slide.h>

#include <stdio.h>
#include <stdlib.h>

struct hello {
    const struct kiosk_host *host;
    const char *greeting, *logo_path, *qr;
    kiosk_image *logo; /* decoded at the first render, for the screen's size */
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct hello *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    h->host = host;
    h->greeting = host->setting_string(settings, "greeting", NULL);
    h->logo_path = host->setting_string(settings, "logo", NULL);
    h->qr = host->setting_string(settings, "qr", NULL);
    *self = h;
    return 0;
}

static void destroy(void *self)
{
    struct hello *hello = self;
    hello->host->image_release(hello->host, hello->logo); /* NULL is fine */
    free(hello);
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct hello *hello = self;
    const struct kiosk_host *h = hello->host;
    struct kiosk_unit_view u = {.struct_size = sizeof u};
    size_t scope, index;
    if (!f->data || h->data_find_unit(f->data, NULL, &scope, &index) ||
        h->data_unit(f->data, scope, index, &u))
        return kiosk_draw_notice(h, c, f, "Chưa có dữ liệu", "No data yet");
    float s = f->scale, W = (float)f->width;
    char line[256], total[32], when[128], date[96], hm[16];
    /* the time in the screen's zone and language: never localtime() or strftime() */
    h->format_time(h, f->now_unix_ms, KIOSK_TIME_DATE_LONG, date, sizeof date);
    h->format_time(h, f->now_unix_ms, KIOSK_TIME_HM, hm, sizeof hm);
    snprintf(when, sizeof when, "%s  ·  %s", hm, date);
    struct kiosk_text_style top = kiosk_style(h, 40 * s, 0, KIOSK_COLOR_MUTED);
    top.align = KIOSK_ALIGN_CENTER;
    h->draw_text(c, &top, W / 2, 40 * s, when);
    /* a picture, decoded once at the size it is drawn (the host logs why when it cannot) */
    if (hello->logo_path && !hello->logo)
        hello->logo = h->image_load(h, hello->logo_path, (int)(320 * s), (int)(180 * s));
    if (hello->logo)
        h->draw_image(c, hello->logo, 40 * s, 40 * s, 320 * s, 180 * s, KIOSK_FIT_CONTAIN);
    /* a QR code beside the text: black on white whatever the theme */
    if (hello->qr) {
        float side = kiosk_qr_badge_side(f);
        kiosk_draw_qr_badge(h, c, f, W - 40 * s - side, (float)f->height - side - 120 * s, side,
                            hello->qr, kiosk_tr(h, "Quét mã QR", "Scan the code"));
    }
    struct kiosk_text_style st = kiosk_style(h, 96 * s, 1, KIOSK_COLOR_ACCENT);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = (float)f->width * 0.9f;
    h->draw_text(c, &st, (float)f->width / 2, (float)f->height * 0.3f,
                 hello->greeting ? hello->greeting : kiosk_tr(h, "Xin chào!", "Hello!"));
    snprintf(line, sizeof line, kiosk_tr(h, "%s: %s điểm, hạng %d", "%s: %s points, rank %d"),
             u.name, h->format_number(h, u.total, 2, total, sizeof total), u.rank);
    st = kiosk_style(h, 56 * s, 0, KIOSK_COLOR_TEXT);
    st.align = KIOSK_ALIGN_CENTER;
    st.max_width = (float)f->width * 0.9f;
    h->draw_text(c, &st, (float)f->width / 2, (float)f->height * 0.55f, line);
    /* drawn again when the minute turns, for the clock at the top */
    return (int)(60000 - f->now_unix_ms % 60000) + 20;
}

KIOSK_PLUGIN_DEFINE("hello", "A greeting for the home unit: a plugin to start from", create,
                    destroy, render)
