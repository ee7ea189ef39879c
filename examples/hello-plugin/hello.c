/* hello: the smallest useful slide, to start a plugin of your own from. It greets the home
 * unit with its total and rank, in the screen's language.
 *
 * Settings ([slide.NAME] keys): greeting = the first line (default: said by language). */
#include <kiosk/plugin.h>
#include <kiosk/slide.h>

#include <stdio.h>
#include <stdlib.h>

struct hello {
    const struct kiosk_host *host;
    const char *greeting;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct hello *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    h->host = host;
    h->greeting = host->setting_string(settings, "greeting", NULL);
    *self = h;
    return 0;
}

static void destroy(void *self)
{
    free(self);
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
    float s = f->scale;
    char line[256], total[32];
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
    return KIOSK_REDRAW_NEVER;
}

KIOSK_PLUGIN_DEFINE("hello", "A greeting for the home unit: a plugin to start from", create,
                    destroy, render)
