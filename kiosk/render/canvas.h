/* The canvas plugins draw on: a cairo image surface (anti-aliased shapes) with text from
 * SDL2_ttf. The host owns it; plugins reach it through the drawing services of
 * struct kiosk_host. No window here: the screen uploads the pixels, snapshots write PNGs. */
#ifndef KIOSK_RENDER_CANVAS_H
#define KIOSK_RENDER_CANVAS_H

#include "core/error.h"
#include "kiosk/plugin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The fonts, in fallback order: for each string the first family that has every one of
 * its characters is used. */
struct kiosk_fonts;

struct kiosk_font_family {
    const char *name;
    const char *regular; /* file paths */
    const char *bold;
};

/* Opens the families (their files must exist); 0 or a negative code with a message in d. */
int kiosk_fonts_open(const struct kiosk_font_family *families, size_t n, struct kiosk_fonts **out,
                     struct kiosk_diags *d);
/* Opens the families a font manifest (DIR/fonts.ini) names, files relative to DIR. */
int kiosk_fonts_from_manifest(const char *dir, struct kiosk_fonts **out, struct kiosk_diags *d);
void kiosk_fonts_close(struct kiosk_fonts *f);
/* True when some family has a glyph for the code point. */
bool kiosk_fonts_cover(struct kiosk_fonts *f, uint32_t codepoint, bool bold);
/* Decodes one UTF-8 character at *s, advancing it; U+FFFD for a bad sequence. */
uint32_t kiosk_utf8_next(const char **s);

/* A canvas of w x h pixels; NULL when out of memory. */
kiosk_canvas *kiosk_canvas_new(int w, int h, struct kiosk_fonts *fonts);
/* A canvas of w x h pixels that draws into memory it is given (a texture's, while it is
 * locked), so the picture is not held twice: bind it before drawing, unbind after. Until
 * it is bound it has no pixels and must not be drawn on. NULL when out of memory. */
kiosk_canvas *kiosk_canvas_new_bound(int w, int h, struct kiosk_fonts *fonts);
/* Draws from now on into pixels (opaque 0xXXRRGGBB in native order, the top byte
 * undefined: SDL's RGB888; stride bytes a row, at least w * 4 and a multiple of 4); 0, or
 * -1 when they cannot take the canvas (it is then unbound). The memory must stay valid
 * until kiosk_canvas_unbind. */
int kiosk_canvas_bind(kiosk_canvas *c, uint8_t *pixels, int stride);
/* Whether the canvas has pixels to draw on (a bound canvas between frames has none). */
bool kiosk_canvas_ready(const kiosk_canvas *c);
/* Finishes the drawing into the bound memory and lets it go. */
void kiosk_canvas_unbind(kiosk_canvas *c);
void kiosk_canvas_free(kiosk_canvas *c);
void kiosk_canvas_clear(kiosk_canvas *c, kiosk_color color);
int kiosk_canvas_width(const kiosk_canvas *c);
int kiosk_canvas_height(const kiosk_canvas *c);
/* The pixels, premultiplied ARGB32 in native order (SDL_PIXELFORMAT_ARGB8888), and the
 * bytes per row. Valid until the canvas is freed. */
const uint8_t *kiosk_canvas_pixels(kiosk_canvas *c, int *stride);
/* Copies src onto c at (x, y) with an opacity of alpha (0..1). */
void kiosk_canvas_blend(kiosk_canvas *c, kiosk_canvas *src, float x, float y, float alpha);
/* Moves the origin of what is drawn next to (x, y) and clips it to w x h from there (a
 * slide's room below a banner); kiosk_canvas_reset_origin undoes it. */
void kiosk_canvas_set_origin(kiosk_canvas *c, float x, float y, float w, float h);
void kiosk_canvas_reset_origin(kiosk_canvas *c);
/* Writes the canvas as a PNG, atomically (a temporary file renamed over path). */
int kiosk_canvas_write_png(kiosk_canvas *c, const char *path, struct kiosk_diags *d);
/* The picture as a PNG in memory (malloc'd *out), scaled down to at most max_w pixels wide
 * (0: as it is), its size in *w, *h. 0 or KIOSK_EIO. */
int kiosk_canvas_png(kiosk_canvas *c, int max_w, unsigned char **out, size_t *len, int *w, int *h);

/* The drawing services, as the host table hands them to plugins. */
void kiosk_canvas_fill_rect(kiosk_canvas *c, float x, float y, float w, float h, float radius,
                            kiosk_color color);
void kiosk_canvas_stroke_line(kiosk_canvas *c, float x0, float y0, float x1, float y1, float width,
                              kiosk_color color);
void kiosk_canvas_stroke_arc(kiosk_canvas *c, float cx, float cy, float radius, float from_deg,
                             float to_deg, float width, kiosk_color color);
void kiosk_canvas_stroke_polyline(kiosk_canvas *c, const float *xy, size_t n, float width,
                                  kiosk_color color);
void kiosk_canvas_fill_circle(kiosk_canvas *c, float cx, float cy, float radius, kiosk_color color);
float kiosk_canvas_draw_text(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                             float y, const char *utf8);
float kiosk_canvas_draw_paragraph(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                                  float y, float width, float line_height, int measure_only,
                                  const char *utf8);
void kiosk_canvas_measure_text(kiosk_canvas *c, const struct kiosk_text_style *style,
                               const char *utf8, float *width, float *height);

#endif
