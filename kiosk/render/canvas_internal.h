/* Inside the render layer: the cairo context a canvas draws with, for the drawing that
 * lives beside canvas.c (pictures and QR codes in image.c). */
#ifndef KIOSK_RENDER_CANVAS_INTERNAL_H
#define KIOSK_RENDER_CANVAS_INTERNAL_H

#include "canvas.h"

#include <cairo.h>

/* The canvas's cairo context, or NULL while a bound canvas has no pixels. */
cairo_t *kiosk_canvas_cairo(kiosk_canvas *c);

#endif
