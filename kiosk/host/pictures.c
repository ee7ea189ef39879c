/* Pictures, QR codes and time for plugins (ABI 1.3), checked at the boundary: a NULL the
 * header does not allow, a size out of range, an image that is not one the host made, an
 * unknown fit or time style is refused with one log line per slide and kind. A picture that
 * cannot be used (missing, another type, corrupt, truncated, past the caps) is one line of
 * its own, naming the file and why. */
#include "host_services.h"

#include "core/timefmt.h"
#include "render/canvas.h"
#include "render/image.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define COORD_MAX 1e6f
#define IMAGES_MAX 256                      /* held by one slide at once */
#define IMAGE_BYTES_MAX ((size_t)512 << 20) /* of pixels held by one slide at once */
/* max_w or max_h 0: as large as the largest screen the kiosk drives (4K) */
#define DEFAULT_MAX_W 3840
#define DEFAULT_MAX_H 2160

static bool coord(float v)
{
    return isfinite(v) && fabsf(v) <= COORD_MAX;
}

static FILE *log_of(const struct kiosk_host_ctx *ctx)
{
    return ctx && ctx->log ? ctx->log : stderr;
}

/* The checks both loaders share; 0, or -1 when refused. */
static int load_args(const struct kiosk_host *host, const char *service, int *max_w, int *max_h)
{
    if (!host) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE, "%s: expected the slide's host, found NULL", service);
        return -1;
    }
    if (*max_w < 0 || *max_h < 0 || *max_w > KIOSK_IMAGE_MAX_SIDE ||
        *max_h > KIOSK_IMAGE_MAX_SIDE) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE,
                          "%s(max %d x %d): expected a size of 0 to %d pixels a side", service,
                          *max_w, *max_h, KIOSK_IMAGE_MAX_SIDE);
        return -1;
    }
    const struct kiosk_host_ctx *ctx = kiosk_host_ctx_of(host);
    if (ctx->images >= IMAGES_MAX || ctx->image_bytes >= IMAGE_BYTES_MAX) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE,
                          "%s: the slide holds %d images of %zu MiB already, the most allowed "
                          "being %d of %zu MiB (release those it no longer shows)",
                          service, ctx->images, ctx->image_bytes >> 20, IMAGES_MAX,
                          IMAGE_BYTES_MAX >> 20);
        return -1;
    }
    if (*max_w == 0)
        *max_w = DEFAULT_MAX_W;
    if (*max_h == 0)
        *max_h = DEFAULT_MAX_H;
    /* the most the picture asked for can take (it is decoded no larger), checked before
     * anything is decoded: the only check of the slide's bytes */
    double px = fmin((double)*max_w * *max_h, KIOSK_IMAGE_MAX_DECODED);
    size_t worst = (size_t)(4 * px);
    if (ctx->image_bytes + worst > IMAGE_BYTES_MAX) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE,
                          "%s(max %d x %d): a picture of up to %zu MiB would take the slide past "
                          "the %zu MiB it may hold (it holds %zu MiB; release those it no "
                          "longer shows, or ask for a smaller size)",
                          service, *max_w, *max_h, worst >> 20, IMAGE_BYTES_MAX >> 20,
                          ctx->image_bytes >> 20);
        return -1;
    }
    return 0;
}

static kiosk_image *held(const struct kiosk_host *host, kiosk_image *p)
{
    if (!p)
        return NULL;
    struct kiosk_host_ctx *ctx = (struct kiosk_host_ctx *)kiosk_host_ctx_of(host);
    for (int i = 0; i < IMAGES_MAX; i++)
        if (!ctx->held[i]) {
            ctx->held[i] = p;
            ctx->images++;
            ctx->image_bytes += kiosk_image_bytes(p);
            return p;
        }
    kiosk_image_free(p); /* not reached: load_args counted the places */
    return NULL;
}

/* The place of an image among those the slide holds, or -1. */
static int place(const struct kiosk_host_ctx *ctx, const kiosk_image *p)
{
    for (int i = 0; p && i < IMAGES_MAX; i++)
        if (ctx->held[i] == p)
            return i;
    return -1;
}

int kiosk_host_drop_images(struct kiosk_host_ctx *ctx)
{
    int n = 0;
    for (int i = 0; i < IMAGES_MAX; i++)
        if (ctx->held[i]) {
            kiosk_image_free(ctx->held[i]);
            ctx->held[i] = NULL;
            n++;
        }
    if (n)
        fprintf(log_of(ctx), "slide %s: %d picture%s its plugin did not release, freed\n",
                ctx->name ? ctx->name : "?", n, n == 1 ? "" : "s");
    ctx->images = 0;
    ctx->image_bytes = 0;
    return n;
}

kiosk_image *kiosk_host_image_load(const struct kiosk_host *host, const char *path, int max_w,
                                   int max_h)
{
    if (load_args(host, "image_load", &max_w, &max_h))
        return NULL;
    if (!path || !*path) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE, "image_load: expected a file's path, found %s",
                          path ? "\"\"" : "NULL");
        return NULL;
    }
    char why[256];
    kiosk_image *p = kiosk_image_read(path, max_w, max_h, why, sizeof why);
    if (!p)
        fprintf(log_of(kiosk_host_ctx_of(host)), "slide %s: image %s: refused: %s\n",
                kiosk_host_ctx_of(host)->name, path, why);
    return held(host, p);
}

kiosk_image *kiosk_host_image_load_bytes(const struct kiosk_host *host, const void *bytes,
                                         size_t size, int max_w, int max_h)
{
    if (load_args(host, "image_load_bytes", &max_w, &max_h))
        return NULL;
    if (!bytes) {
        kiosk_host_refuse(KIOSK_MISUSE_IMAGE, "image_load_bytes: expected bytes, found NULL");
        return NULL;
    }
    char why[256];
    kiosk_image *p = kiosk_image_decode(bytes, size, max_w, max_h, why, sizeof why);
    if (!p)
        fprintf(log_of(kiosk_host_ctx_of(host)), "slide %s: image of %zu bytes: refused: %s\n",
                kiosk_host_ctx_of(host)->name, size, why);
    return held(host, p);
}

int kiosk_host_image_size(const kiosk_image *image, int *width, int *height)
{
    if (!kiosk_image_valid(image)) {
        if (image)
            kiosk_host_refuse(KIOSK_MISUSE_IMAGE, "image_size: not an image the host made");
        return -1;
    }
    kiosk_image_dimensions(image, width, height);
    return 0;
}

void kiosk_host_image_release(const struct kiosk_host *host, kiosk_image *image)
{
    if (!image)
        return;
    struct kiosk_host_ctx *ctx = host ? (struct kiosk_host_ctx *)kiosk_host_ctx_of(host) : NULL;
    int at = ctx ? place(ctx, image) : -1;
    if (at < 0) {
        kiosk_host_refuse(KIOSK_MISUSE_RELEASE,
                          "image_release(%s, image): expected the slide's host and an image it "
                          "loaded and did not release",
                          host ? "host" : "NULL");
        return;
    }
    size_t bytes = kiosk_image_bytes(image);
    ctx->held[at] = NULL;
    ctx->images--;
    ctx->image_bytes -= bytes < ctx->image_bytes ? bytes : ctx->image_bytes;
    kiosk_image_free(image);
}

void kiosk_host_draw_image(kiosk_canvas *c, const kiosk_image *image, float x, float y, float w,
                           float h, enum kiosk_fit fit)
{
    if (!kiosk_canvas_ready(c) || !kiosk_image_valid(image) || !coord(x) || !coord(y) ||
        !coord(w) || !coord(h) || w < 0 || h < 0 || fit < KIOSK_FIT_CONTAIN ||
        fit > KIOSK_FIT_STRETCH) {
        kiosk_host_refuse(KIOSK_MISUSE_DRAW_IMAGE,
                          "draw_image(%s, %g, %g, %g, %g, fit %d): expected an image the host "
                          "made, a finite rectangle and a fit of 1 to 3",
                          kiosk_image_valid(image) ? "image"
                          : image                  ? "not an image"
                                                   : "NULL",
                          x, y, w, h, (int)fit);
        return;
    }
    kiosk_canvas_draw_image(c, image, x, y, w, h, fit);
}

int kiosk_host_draw_qr(kiosk_canvas *c, float x, float y, float size, const char *utf8)
{
    if (!kiosk_canvas_ready(c) || !utf8 || !coord(x) || !coord(y) || !coord(size) || size < 0 ||
        strnlen(utf8, KIOSK_QR_MAX_TEXT + 1) > KIOSK_QR_MAX_TEXT) {
        kiosk_host_refuse(KIOSK_MISUSE_QR,
                          "draw_qr(%g, %g, size %g, %s): expected a finite square and a text of "
                          "at most %d bytes",
                          x, y, size, utf8 ? "text" : "NULL", KIOSK_QR_MAX_TEXT);
        return -1;
    }
    if (kiosk_canvas_draw_qr(c, x, y, size, utf8) == 0)
        return 0;
    kiosk_host_refuse(KIOSK_MISUSE_QR,
                      "draw_qr(size %g): a text of %zu bytes does not fit a QR code, or the "
                      "square is too small for a pixel a module",
                      size, strlen(utf8));
    return -1;
}

char *kiosk_host_format_time(const struct kiosk_host *host, int64_t unix_ms,
                             enum kiosk_time_style style, char *buf, size_t size)
{
    if (!buf || size == 0 || style < KIOSK_TIME_HM || style > KIOSK_TIME_DATE_TIME) {
        kiosk_host_refuse(KIOSK_MISUSE_TIME,
                          "format_time(style %d, %s of %zu bytes): expected a style of 1 to 6 "
                          "and a buffer",
                          (int)style, buf ? "a buffer" : "NULL", size);
        if (buf && size)
            buf[0] = '\0';
        return buf;
    }
    return kiosk_format_unix_ms(unix_ms, style, kiosk_host_language(host), buf, size);
}
