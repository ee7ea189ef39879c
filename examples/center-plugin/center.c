/* center: the front page of a service center, as an example of the 1.3 services. It shows
 * the center's logo (image_load, draw_image), its name, the time and the date in the
 * screen's language (format_time), the QR code of the satisfaction survey (draw_qr) and
 * the first line of a notice the kiosk fetches for it (the slide's own `source = URL`,
 * read with source_data: the plugin never opens a file or a socket for it).
 *
 * Settings ([slide.NAME] keys):
 *   name = the center's name        logo = a PNG, JPEG or SVG file
 *   survey = the survey's address   source = where the notice comes from (the kiosk's key)
 */
#include <kiosk/plugin.h>
#include <kiosk/slide.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct center {
    const struct kiosk_host *host;
    const char *name, *logo_path, *survey;
    kiosk_image *logo;
    int logo_w, logo_h; /* the size it was decoded at */
    char notice[512];
    uint64_t notice_serial;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct center *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->host = host;
    c->name = host->setting_string(settings, "name", NULL);
    c->logo_path = host->setting_string(settings, "logo", NULL);
    c->survey = host->setting_string(settings, "survey", NULL);
    *self = c;
    return 0;
}

static void destroy(void *self)
{
    struct center *c = self;
    c->host->image_release(c->host, c->logo);
    free(c);
}

/* The logo, decoded once at the size it is drawn (again only when that changes). */
static const kiosk_image *logo(struct center *c, int w, int h)
{
    if (!c->logo_path)
        return NULL;
    if (c->logo && (c->logo_w != w || c->logo_h != h)) {
        c->host->image_release(c->host, c->logo);
        c->logo = NULL;
    }
    if (!c->logo) {
        c->logo = c->host->image_load(c->host, c->logo_path, w, h);
        c->logo_w = w;
        c->logo_h = h;
    }
    return c->logo;
}

/* The notice's first line, copied when its source changed: the bytes are only borrowed. */
static const char *notice(struct center *c)
{
    struct kiosk_source_view v = {.struct_size = sizeof v};
    if (c->host->source_data(c->host, &v) != 0)
        return c->notice[0] ? c->notice : NULL;
    if (v.serial != c->notice_serial) {
        size_t n = v.size < sizeof c->notice - 1 ? v.size : sizeof c->notice - 1;
        const char *text = v.bytes, *nl = memchr(text, '\n', n);
        if (nl)
            n = (size_t)(nl - text);
        memcpy(c->notice, text, n);
        c->notice[n] = '\0';
        c->notice_serial = v.serial;
    }
    return c->notice[0] ? c->notice : NULL;
}

static int render(void *self, kiosk_canvas *canvas, const struct kiosk_frame *f)
{
    struct center *c = self;
    const struct kiosk_host *h = c->host;
    float s = f->scale, pad = 64 * s, w = (float)f->width, ht = (float)f->height;
    float qr = ht * 0.42f, left = pad, top = pad;

    const kiosk_image *img = logo(c, (int)(160 * s), (int)(160 * s));
    if (img) {
        h->draw_image(canvas, img, left, top, 160 * s, 160 * s, KIOSK_FIT_CONTAIN);
        left += 192 * s;
    }
    struct kiosk_text_style st = kiosk_style(h, 64 * s, 1, KIOSK_COLOR_TEXT);
    st.max_width = w - left - pad;
    h->draw_text(canvas, &st, left, top + 16 * s,
                 c->name ? c->name
                         : kiosk_tr(h, "Trung tâm Phục vụ hành chính công",
                                    "Public Administrative Service Center"));
    char when[96];
    st = kiosk_style(h, 40 * s, 0, KIOSK_COLOR_ACCENT);
    st.max_width = w - left - pad;
    h->draw_text(canvas, &st, left, top + 100 * s,
                 h->format_time(h, f->now_unix_ms, KIOSK_TIME_DATE_LONG, when, sizeof when));

    st = kiosk_style(h, 200 * s, 1, KIOSK_COLOR_TEXT);
    h->draw_text(canvas, &st, pad, ht * 0.36f,
                 h->format_time(h, f->now_unix_ms, KIOSK_TIME_HM, when, sizeof when));

    const char *line = notice(c);
    if (line) {
        st = kiosk_style(h, 44 * s, 0, KIOSK_COLOR_TEXT);
        h->draw_paragraph(canvas, &st, pad, ht * 0.66f, w - qr - 3 * pad, 1.25f, 0, line);
    }
    if (c->survey) {
        float x = w - pad - qr, y = ht * 0.30f;
        h->draw_qr(canvas, x, y, qr, c->survey);
        st = kiosk_style(h, 32 * s, 0, KIOSK_COLOR_MUTED);
        st.align = KIOSK_ALIGN_CENTER;
        st.max_width = qr;
        h->draw_text(canvas, &st, x + qr / 2, y + qr + 16 * s,
                     kiosk_tr(h, "Quét mã để đánh giá", "Scan to rate our service"));
    }
    /* the clock's next minute */
    int64_t ms = 60000 - f->now_unix_ms % 60000;
    return (int)(ms > 0 ? ms : 60000);
}

KIOSK_PLUGIN_DEFINE("center", "A service center's front page: logo, clock, survey QR, notice",
                    create, destroy, render)
