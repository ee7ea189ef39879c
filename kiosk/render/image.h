/* Pictures and QR codes on the canvas. Pictures are decoded once, from a file or from
 * memory, with Debian's decoders (libpng, libjpeg-turbo, librsvg), at most the size they
 * will be drawn at: the declared size is read first and a file past the caps is refused
 * before anything is decoded. QR codes are encoded with libqrencode. */
#ifndef KIOSK_RENDER_IMAGE_H
#define KIOSK_RENDER_IMAGE_H

#include "kiosk/plugin.h"

#include <stddef.h>
#include <stdint.h>

#define KIOSK_IMAGE_MAX_BYTES (64u * 1024 * 1024)   /* of an encoded file */
#define KIOSK_IMAGE_MAX_PIXELS (64u * 1000 * 1000)  /* declared width x height */
#define KIOSK_IMAGE_MAX_SIDE 16384                  /* of a decoded picture */
#define KIOSK_IMAGE_MAX_DECODED (16u * 1000 * 1000) /* pixels of a decoded picture (64 MB) */
#define KIOSK_QR_MAX_TEXT 1000                      /* bytes of a QR code's text */

/* Decodes a PNG, JPEG or SVG (told by its content) to at most max_w x max_h pixels (both
 * 1 .. KIOSK_IMAGE_MAX_SIDE) and at most KIOSK_IMAGE_MAX_DECODED in all, scaled down
 * keeping its aspect (an SVG scaled up to fit, within the same caps). Returns the picture, or
 * NULL with why (one line, no newline: "expected a PNG, JPEG or SVG picture, found ...",
 * "truncated PNG", "declares 100000 x 100000 pixels, more than the 64 megapixels allowed").
 * Thread-safe: it touches nothing shared. */
kiosk_image *kiosk_image_decode(const void *bytes, size_t size, int max_w, int max_h, char *why,
                                size_t why_size);
/* Reads a regular file of at most KIOSK_IMAGE_MAX_BYTES and decodes it the same way. */
kiosk_image *kiosk_image_read(const char *path, int max_w, int max_h, char *why, size_t why_size);
/* Whether p is a picture this file made (and not yet freed). */
int kiosk_image_valid(const kiosk_image *p);
void kiosk_image_dimensions(const kiosk_image *p, int *width, int *height);
/* The bytes its pixels take. */
size_t kiosk_image_bytes(const kiosk_image *p);
void kiosk_image_free(kiosk_image *p);

/* Draws a picture into the rectangle: contain (centred, aspect kept), cover (filling it,
 * aspect kept, the rest cut off) or stretch. */
void kiosk_canvas_draw_image(kiosk_canvas *c, const kiosk_image *p, float x, float y, float w,
                             float h, enum kiosk_fit fit);
/* A QR code of utf8 (error correction M, a quiet zone of 4 modules) in the square of side
 * size at (x, y): the square light (#fff), the modules dark (#000), each a whole number of
 * pixels on the pixel grid, the code centred. 0, or -1 when the text does not fit a QR code
 * or a module would be smaller than a pixel (nothing drawn). */
int kiosk_canvas_draw_qr(kiosk_canvas *c, float x, float y, float size, const char *utf8);

#endif
