/* qr: a large QR code with a title and a caption, e.g. the portal's satisfaction survey:
 *   text = https://dichvucong.gov.vn/...
 *   title = Đánh giá mức độ hài lòng
 *   caption = Quét mã để đánh giá chất lượng phục vụ
 * The code is drawn by the host (draw_qr): dark on light whatever the theme, on the pixel
 * grid, large enough to be read from a few metres. Landscape: the code on the left, the
 * words on the right; portrait: the title above, the caption below.
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <stdlib.h>
#include <string.h>

struct qr {
    const struct kiosk_host *host;
    const char *text, *title, *caption;
    int show_text;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    const char *text;
    if (kiosk_qr_setting(host, settings, "text", &text) != 0)
        return -1;
    if (!text) {
        host->log(host, KIOSK_LOG_ERROR, "text: expected the text or URL the code holds");
        return -1;
    }
    struct qr *q = calloc(1, sizeof *q);
    if (!q)
        return -1;
    q->host = host;
    q->text = text;
    q->title = host->setting_string(settings, "title", "");
    q->caption = host->setting_string(settings, "caption", "");
    q->show_text = strcmp(host->setting_string(settings, "show_text", "no"), "yes") == 0 ||
                   strcmp(host->setting_string(settings, "show_text", "no"), "true") == 0;
    *self = q;
    return 0;
}

static void destroy(void *self)
{
    free(self);
}

/* The title, caption and (if asked) the text itself in a column of width w from y;
 * returns the height used (measure_only: nothing drawn). */
static float words(struct qr *q, kiosk_canvas *c, float x, float y, float w, float k,
                   enum kiosk_align align, int measure_only)
{
    const struct kiosk_host *h = q->host;
    float top = y;
    if (q->title[0]) {
        struct kiosk_text_style st = kiosk_style(h, 72 * k, 1, KIOSK_COLOR_ACCENT);
        st.align = align;
        y += h->draw_paragraph(c, &st, x, y, w, 1.2f, measure_only, q->title) + 32 * k;
    }
    if (q->caption[0]) {
        struct kiosk_text_style st = kiosk_style(h, 52 * k, 0, KIOSK_COLOR_TEXT);
        st.align = align;
        y += h->draw_paragraph(c, &st, x, y, w, 1.25f, measure_only, q->caption) + 24 * k;
    }
    if (q->show_text) {
        struct kiosk_text_style st = kiosk_style(h, 34 * k, 0, KIOSK_COLOR_MUTED);
        st.align = align;
        y += h->draw_paragraph(c, &st, x, y, w, 1.2f, measure_only, q->text);
    }
    return y - top;
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct qr *q = self;
    const struct kiosk_host *h = q->host;
    float s = f->scale, pad = 64 * s, W = (float)f->width, H = (float)f->height;
    if (W >= H) {
        /* the code as tall as the slide allows, the words beside it, both centred */
        float side = H - 2 * pad, gap = 80 * s;
        if (side > W * 0.48f)
            side = W * 0.48f;
        float tx = pad + side + gap, tw = W - tx - pad, k = s, need;
        while ((need = words(q, c, tx, 0, tw, k, KIOSK_ALIGN_LEFT, 1)) > H - 2 * pad &&
               k > s * 0.4f)
            k *= 0.9f;
        h->draw_qr(c, pad, (H - side) / 2, side, q->text);
        words(q, c, tx, (H - need) / 2, tw, k, KIOSK_ALIGN_LEFT, 0);
    } else {
        /* portrait: title, code, caption down the middle */
        float tw = W - 2 * pad, side = W - 2 * pad, k = s;
        const char *caption = q->caption;
        q->caption = "";
        float head = words(q, c, W / 2, 0, tw, k, KIOSK_ALIGN_CENTER, 1);
        q->caption = caption;
        const char *title = q->title;
        q->title = "";
        float tail = words(q, c, W / 2, 0, tw, k, KIOSK_ALIGN_CENTER, 1);
        if (side > H - 2 * pad - head - tail - 64 * s)
            side = H - 2 * pad - head - tail - 64 * s;
        float y = (H - head - side - tail - 64 * s) / 2;
        q->title = title;
        q->caption = "";
        int show = q->show_text;
        q->show_text = 0;
        words(q, c, W / 2, y, tw, k, KIOSK_ALIGN_CENTER, 0);
        q->show_text = show;
        q->caption = caption;
        y += head + 32 * s;
        h->draw_qr(c, (W - side) / 2, y, side, q->text);
        q->title = "";
        words(q, c, W / 2, y + side + 32 * s, tw, k, KIOSK_ALIGN_CENTER, 0);
        q->title = title;
    }
    return KIOSK_REDRAW_NEVER;
}

static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("text", NULL, "the text or URL the code holds (at most 1000 bytes)"),
    KIOSK_SETTING_STRING("title", NULL, "the title beside or above the code"),
    KIOSK_SETTING_STRING("caption", NULL, "what to do with it, beside or below the code"),
    KIOSK_SETTING_BOOL("show_text", "no", "the text itself, small, under the caption"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_SETTINGS("qr", "A QR code with a title and a caption", create, destroy,
                                  render, settings)
