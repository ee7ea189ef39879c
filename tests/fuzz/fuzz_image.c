/* libFuzzer target: the picture decoder (kiosk_image_decode, what image_load_bytes calls)
 * on any bytes: PNG, JPEG, SVG or none, cut anywhere, at a size the input picks; the
 * decoded picture drawn once into a small canvas with a fit the input picks. Seeds: the
 * pictures of tests/fixtures/pictures and tests/fuzz/seeds/image (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "render/canvas.h"
#include "render/image.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static kiosk_canvas *canvas;
    if (!canvas && !(canvas = kiosk_canvas_new(64, 48, NULL)))
        abort();
    unsigned p = fuzz_param(data, size, 1u << 16);
    int w = 1 + (int)(p % 96), h = 1 + (int)((p >> 7) % 96);
    char why[256];
    kiosk_image *image = kiosk_image_decode(data, size, w, h, why, sizeof why);
    if (!image)
        return 0;
    int iw, ih;
    kiosk_image_dimensions(image, &iw, &ih);
    if (iw < 1 || ih < 1 || iw > w || ih > h)
        abort(); /* the decoder's promise: never larger than asked */
    kiosk_canvas_draw_image(canvas, image, 2, 3, 60, 40, (enum kiosk_fit)(1 + (p >> 14) % 3));
    kiosk_image_free(image);
    return 0;
}
