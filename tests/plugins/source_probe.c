/* A plugin that shows what source_data gives it: the first line of its source's bytes,
 * their size, serial and age, or why there are none, drawn on the slide and logged each
 * time the serial or the error changes (the tests read the log). With `redraw = yes` it
 * asks for a redraw from every render() (request_redraw), with `redraw_in = create`,
 * `has_content` or `turn_s` from that call; with `nothing_until_source = yes` it has
 * nothing to show until its source has bytes; with `keep_picture = FILE` it loads that
 * picture in create() and never releases it (the host frees it with the slide). */
#include "kiosk/plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct probe {
    const struct kiosk_host *h;
    int redraw, wait_for_source;
    char redraw_in[16]; /* create, has_content, turn_s or "" */
    uint64_t serial;
    char error[400];
    unsigned long renders;
};

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    struct probe *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->h = host;
    p->redraw = strcmp(host->setting_string(settings, "redraw", "no"), "yes") == 0;
    p->wait_for_source =
        strcmp(host->setting_string(settings, "nothing_until_source", "no"), "yes") == 0;
    snprintf(p->redraw_in, sizeof p->redraw_in, "%s",
             host->setting_string(settings, "redraw_in", ""));
    if (strcmp(p->redraw_in, "create") == 0)
        host->request_redraw(host);
    const char *keep = host->setting_string(settings, "keep_picture", NULL);
    if (keep && !host->image_load(host, keep, 64, 64))
        host->log(host, KIOSK_LOG_WARNING, "probe: cannot load %s", keep);
    *self = p;
    return 0;
}

static void destroy(void *self)
{
    struct probe *p = self;
    p->h->log(p->h, KIOSK_LOG_INFO, "probe: %lu renders", p->renders);
    free(p);
}

/* The first line of the bytes, at most 120 of them. */
static void first_line(const struct kiosk_source_view *v, char *buf, size_t size)
{
    size_t n = 0;
    const char *b = v->bytes;
    while (n < v->size && n + 1 < size && n < 120 && b[n] != '\n')
        n++;
    memcpy(buf, b, n);
    buf[n] = '\0';
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct probe *p = self;
    const struct kiosk_host *h = p->h;
    p->renders++;
    struct kiosk_source_view v = {.struct_size = sizeof v};
    int rc = h->source_data(h, &v);
    char line[160] = "", text[400];
    if (rc == 0)
        first_line(&v, line, sizeof line);
    if (rc == 0)
        snprintf(text, sizeof text, "serial %llu, %zu bytes: %s", (unsigned long long)v.serial,
                 v.size, line);
    else
        snprintf(text, sizeof text, "no bytes: %s", v.error ? v.error : "?");
    const char *err = v.error ? v.error : "";
    if ((rc == 0 && v.serial != p->serial) || strcmp(err, p->error) != 0) {
        h->log(h, KIOSK_LOG_INFO, "probe: %s (age %.0f s, error: %s)", text, v.age_s,
               err[0] ? err : "none");
        p->serial = rc == 0 ? v.serial : p->serial;
        snprintf(p->error, sizeof p->error, "%s", err);
    }
    struct kiosk_text_style st = {.struct_size = sizeof st,
                                  .size_px = 40 * f->scale,
                                  .bold = 1,
                                  .color = h->theme_color(h, KIOSK_COLOR_TEXT),
                                  .align = KIOSK_ALIGN_LEFT,
                                  .max_width = (float)f->width - 96 * f->scale};
    h->draw_text(c, &st, 48 * f->scale, 200 * f->scale, text);
    if (p->redraw)
        h->request_redraw(h);
    return KIOSK_REDRAW_NEVER;
}

static int has_content(void *self, const struct kiosk_frame *f)
{
    (void)f;
    struct probe *p = self;
    if (strcmp(p->redraw_in, "has_content") == 0)
        p->h->request_redraw(p->h);
    if (!p->wait_for_source)
        return 1;
    struct kiosk_source_view v = {.struct_size = sizeof v};
    return p->h->source_data(p->h, &v) == 0;
}

static double turn_s(void *self, const struct kiosk_frame *f)
{
    (void)f;
    struct probe *p = self;
    if (strcmp(p->redraw_in, "turn_s") == 0)
        p->h->request_redraw(p->h);
    return 0; /* the slide's own duration */
}

static const struct kiosk_plugin plugin = {
    .abi_version = KIOSK_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct kiosk_plugin),
    .name = PLUGIN_NAME,
    .description = "shows what source_data gives (tests)",
    .create = create,
    .destroy = destroy,
    .render = render,
    .has_content = has_content,
    .turn_s = turn_s,
};

KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void);
KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void)
{
    return &plugin;
}
