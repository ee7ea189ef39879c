/* The boundary: every drawing service checks what a plugin hands it before the canvas sees
 * it. A canvas kept past its frame (it has no pixels then), a NULL the header does not allow, a
 * coordinate, size or angle that is not a finite number within reach of any screen, a count past
 * its cap: nothing is drawn, and the slide's log says so once per kind of mistake, never a flood.
 */
#include "host_services.h"

#include "render/canvas.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define COORD_MAX 1e6f       /* pixels: far beyond any screen, near enough to stay exact */
#define STROKE_MAX 1e4f      /* a line's width */
#define POINTS_MAX 100000    /* a polyline's points */
#define TEXT_MAX (64 * 1024) /* bytes of one text */

/* The slide whose plugin the kiosk is calling: the services are called on its thread only
 * (plugin.h), between kiosk_host_enter and kiosk_host_leave. */
static struct kiosk_host_ctx *calling;

void kiosk_host_enter(const struct kiosk_host_ctx *ctx)
{
    calling = (struct kiosk_host_ctx *)ctx; /* its record of refusals is the boundary's */
}

void kiosk_host_leave(void)
{
    calling = NULL;
}

struct kiosk_host_ctx *kiosk_host_calling(void)
{
    return calling;
}

void kiosk_host_refuse(enum kiosk_host_misuse kind, const char *fmt, ...)
{
    struct kiosk_host_ctx *c = calling;
    if (c && (c->misused & (1u << kind)))
        return;
    if (c)
        c->misused |= 1u << kind;
    FILE *log = c && c->log ? c->log : stderr;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(log, "slide %s: refused: %s; ignored (said once)\n", c ? c->name : "?", msg);
}

static bool coord(float v)
{
    return isfinite(v) && fabsf(v) <= COORD_MAX;
}

static bool size_ok(float v, float max)
{
    return isfinite(v) && v >= 0 && v <= max;
}

void kiosk_host_fill_rect(kiosk_canvas *c, float x, float y, float w, float h, float radius,
                          kiosk_color color)
{
    if (!kiosk_canvas_ready(c) || !coord(x) || !coord(y) || !size_ok(w, COORD_MAX) ||
        !size_ok(h, COORD_MAX) || !size_ok(radius, COORD_MAX)) {
        kiosk_host_refuse(KIOSK_MISUSE_RECT, "fill_rect(%g, %g, %g, %g, radius %g)", x, y, w, h,
                          radius);
        return;
    }
    kiosk_canvas_fill_rect(c, x, y, w, h, radius, color);
}

void kiosk_host_stroke_line(kiosk_canvas *c, float x0, float y0, float x1, float y1, float width,
                            kiosk_color color)
{
    if (!kiosk_canvas_ready(c) || !coord(x0) || !coord(y0) || !coord(x1) || !coord(y1) ||
        !size_ok(width, STROKE_MAX)) {
        kiosk_host_refuse(KIOSK_MISUSE_LINE, "stroke_line(%g, %g, %g, %g, width %g)", x0, y0, x1,
                          y1, width);
        return;
    }
    kiosk_canvas_stroke_line(c, x0, y0, x1, y1, width, color);
}

void kiosk_host_stroke_arc(kiosk_canvas *c, float cx, float cy, float radius, float from_deg,
                           float to_deg, float width, kiosk_color color)
{
    if (!kiosk_canvas_ready(c) || !coord(cx) || !coord(cy) || !size_ok(radius, COORD_MAX) ||
        !coord(from_deg) || !coord(to_deg) || !size_ok(width, STROKE_MAX)) {
        kiosk_host_refuse(KIOSK_MISUSE_ARC, "stroke_arc(%g, %g, radius %g, %g° to %g°, width %g)",
                          cx, cy, radius, from_deg, to_deg, width);
        return;
    }
    /* more than a turn draws the same circle: the rest would only cost time */
    if (to_deg - from_deg > 360)
        to_deg = from_deg + 360;
    else if (from_deg - to_deg > 360)
        to_deg = from_deg - 360;
    kiosk_canvas_stroke_arc(c, cx, cy, radius, from_deg, to_deg, width, color);
}

void kiosk_host_stroke_polyline(kiosk_canvas *c, const float *xy, size_t n, float width,
                                kiosk_color color)
{
    bool ok =
        kiosk_canvas_ready(c) && (xy || n == 0) && n <= POINTS_MAX && size_ok(width, STROKE_MAX);
    for (size_t i = 0; ok && i < 2 * n; i++)
        ok = coord(xy[i]);
    if (!ok) {
        kiosk_host_refuse(KIOSK_MISUSE_POLYLINE,
                          "stroke_polyline(%s, %zu points, width %g): expected at most %d "
                          "points of finite coordinates",
                          xy ? "points" : "NULL", n, width, POINTS_MAX);
        return;
    }
    kiosk_canvas_stroke_polyline(c, xy, n, width, color);
}

void kiosk_host_fill_circle(kiosk_canvas *c, float cx, float cy, float radius, kiosk_color color)
{
    if (!kiosk_canvas_ready(c) || !coord(cx) || !coord(cy) || !size_ok(radius, COORD_MAX)) {
        kiosk_host_refuse(KIOSK_MISUSE_CIRCLE, "fill_circle(%g, %g, radius %g)", cx, cy, radius);
        return;
    }
    kiosk_canvas_fill_circle(c, cx, cy, radius, color);
}

/* A text call's common checks: canvas, style, text and its length, position. */
static bool text_ok(kiosk_canvas *c, const struct kiosk_text_style *style, float x, float y,
                    const char *utf8, const char *service)
{
    if (kiosk_canvas_ready(c) && style && utf8 && coord(x) && coord(y) &&
        strnlen(utf8, TEXT_MAX + 1) <= TEXT_MAX && isfinite(style->size_px))
        return true;
    kiosk_host_refuse(KIOSK_MISUSE_TEXT,
                      "%s(%s, %s, %g, %g): expected a style, a text of at most %d bytes and a "
                      "finite position",
                      service, style ? "style" : "NULL style", utf8 ? "text" : "NULL text", x, y,
                      TEXT_MAX);
    return false;
}

float kiosk_host_draw_text(kiosk_canvas *c, const struct kiosk_text_style *style, float x, float y,
                           const char *utf8)
{
    return text_ok(c, style, x, y, utf8, "draw_text") ? kiosk_canvas_draw_text(c, style, x, y, utf8)
                                                      : 0;
}

void kiosk_host_measure_text(kiosk_canvas *c, const struct kiosk_text_style *style,
                             const char *utf8, float *width, float *height)
{
    float w = 0, h = 0;
    if (text_ok(c, style, 0, 0, utf8, "measure_text"))
        kiosk_canvas_measure_text(c, style, utf8, &w, &h);
    if (width)
        *width = w;
    if (height)
        *height = h;
}

float kiosk_host_draw_paragraph(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                                float y, float width, float line_height, int measure_only,
                                const char *utf8)
{
    if (!text_ok(c, style, x, y, utf8, "draw_paragraph"))
        return 0;
    if (!size_ok(width, COORD_MAX) || width == 0 || !size_ok(line_height, 100) ||
        line_height == 0) {
        kiosk_host_refuse(KIOSK_MISUSE_TEXT,
                          "draw_paragraph(width %g, line height %g): expected a width above 0 "
                          "and a line height from above 0 to 100",
                          width, line_height);
        return 0;
    }
    return kiosk_canvas_draw_paragraph(c, style, x, y, width, line_height, measure_only, utf8);
}
