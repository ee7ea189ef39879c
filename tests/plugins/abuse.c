/* A plugin that misuses every host service it can reach, as a careless or hostile author
 * would: NULLs where none is allowed, numbers that are not finite or far past any screen,
 * a billion-degree arc, counts past every cap, garbage struct sizes, data released more
 * often than it was taken, and a render result no kiosk defines. The boundary must refuse
 * each call without drawing, log each kind once, and keep the screen alive. */
#include "kiosk/plugin.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

static const struct kiosk_host *H;

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    H = host;
    (void)host->setting_string(settings, NULL, "x");
    (void)host->setting_int(NULL, "page_size", 5, 1, 10);
    static int instance;
    *self = &instance;
    return 0;
}

static void destroy(void *self)
{
    (void)self;
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    (void)self;
    const struct kiosk_host *h = H;
    struct kiosk_text_style st = {.struct_size = sizeof st, .size_px = 30, .color = 0xFFFFFFFF};
    h->fill_rect(c, NAN, 0, 10, 10, 0, 0xFFFFFFFF);
    h->fill_rect(c, 0, 0, INFINITY, 10, 0, 0xFFFFFFFF);
    h->stroke_line(c, 0, 0, 1e30f, 5, 2, 0xFFFFFFFF);
    h->stroke_arc(c, 100, 100, 50, NAN, 90, 4, 0xFFFFFFFF);
    h->stroke_arc(c, 100, 100, INFINITY, 0, 90, 4, 0xFFFFFFFF);
    h->stroke_arc(c, 100, 100, 50, 0, 1e9f, 4, 0xFFFFFFFF); /* drawn, as one turn */
    h->stroke_polyline(c, NULL, 1000, 2, 0xFFFFFFFF);
    static float pts[4] = {0, 0, NAN, 5};
    h->stroke_polyline(c, pts, 2, 2, 0xFFFFFFFF);
    h->stroke_polyline(c, pts, (size_t)1 << 40, 2, 0xFFFFFFFF);
    h->fill_circle(c, 10, 10, -1, 0xFFFFFFFF);
    h->draw_text(c, &st, 10, 10, NULL);
    h->draw_text(c, NULL, 10, 10, "no style");
    h->measure_text(c, &st, NULL, NULL, NULL);
    h->draw_paragraph(c, &st, 10, 10, 0, 1.2f, 0, "zero width");
    h->draw_paragraph(c, &st, 10, 10, 100, NAN, 1, "no line height");
    char small[8];
    (void)h->format_number(h, 1.5, 2, NULL, 32);
    (void)h->format_number(h, 1.5, 2, small, 0);
    (void)h->format_number(NULL, 1.5, 2, small, sizeof small);
    (void)h->data_find_unit(f->data, NULL, NULL, NULL);
    (void)h->data_period(f->data, NULL);
    if (f->data) {
        const kiosk_data *mine = h->data_ref(f->data);
        h->data_unref(mine);
        h->data_unref(mine); /* twice more than taken: ignored */
        h->data_unref(mine);
    }
    unsigned char garbage[64] = {0xFF, 0xFF, 0xFF, 0x7F};
    (void)h->data_trend_view(f->data, "H01", (struct kiosk_trend_view *)garbage, 2);
    h->log(h, KIOSK_LOG_INFO, "line one\nforged: kiosk run: stopping");
    return -5;
}

KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void);
KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void)
{
    static const struct kiosk_plugin p = {
        .abi_version = KIOSK_PLUGIN_ABI_VERSION,
        .struct_size = sizeof p,
        .name = "abuse",
        .description = "misuses every host service",
        .create = create,
        .destroy = destroy,
        .render = render,
    };
    return &p;
}
