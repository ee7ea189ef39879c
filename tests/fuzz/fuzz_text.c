/* libFuzzer target: text layout with the real fonts (fonts/fonts.ini): any bytes as a
 * text (valid UTF-8 or not, cut anywhere) measured, drawn within a width (shrunk, then cut
 * with an ellipsis) and wrapped as a paragraph, at a size and width the input picks.
 * Seeds: tests/fuzz/seeds/text (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "render/canvas.h"

#include <stdlib.h>
#include <string.h>

#ifndef KIOSK_BUILD_DATADIR
#error "KIOSK_BUILD_DATADIR: the build's share/kiosk, for the fonts"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct kiosk_fonts *fonts;
    static kiosk_canvas *canvas;
    if (!fonts) {
        struct kiosk_diags d = {0};
        if (kiosk_fonts_from_manifest(KIOSK_BUILD_DATADIR "/fonts", &fonts, &d))
            abort();
        kiosk_diags_free(&d);
        canvas = kiosk_canvas_new(480, 160, fonts);
        if (!canvas)
            abort();
    }
    if (size > 2048)
        return 0; /* a screen's text, not a book: keeps each run fast */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    unsigned p = fuzz_param(data, size, 1024);
    struct kiosk_text_style st = {.struct_size = sizeof st,
                                  .size_px = 8.0f + (float)(p % 48),
                                  .color = 0xFFFFFFFF,
                                  .bold = (int)(p >> 9 & 1),
                                  .align = (enum kiosk_align)(p % 3),
                                  .max_width = (float)(p % 5) * 100.0f};
    float w = 0, h = 0;
    kiosk_canvas_measure_text(canvas, &st, text, &w, &h);
    kiosk_canvas_draw_text(canvas, &st, 240, 10, text);
    kiosk_canvas_draw_paragraph(canvas, &st, 10, 10, 20.0f + (float)(p % 7) * 70.0f, 1.2f,
                                (int)(p >> 8 & 1), text);
    free(text);
    return 0;
}
