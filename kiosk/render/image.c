/* Pictures: told by their content, their declared size read and checked before anything is
 * decoded, then decoded row by row into an area-averaging scaler, so that a picture larger
 * than it will be drawn never needs its full size in memory (PNG, non-interlaced, and
 * JPEG, which also decodes at 1/2, 1/4 or 1/8 of its size where that is still large
 * enough). SVG is rendered at the size asked, by librsvg, opened the first time one comes
 * (most screens show none, and it brings GLib's object system, Pango and libxml2: a few
 * MB of the kiosk's memory and of every plugin worker's). QR codes are drawn module by
 * module on the pixel grid. */
#include "image.h"

#include "canvas_internal.h"

#include <dlfcn.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pthread.h>
#include <png.h>
#include <qrencode.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* after stdio.h: jpeglib.h needs FILE and size_t */
#include <jerror.h>
#include <jpeglib.h>

#define IMAGE_MAGIC 0x4B494D47u      /* "KIMG" */
#define JPEG_MAX_MEMORY (128u << 20) /* libjpeg's working memory (progressive files) */
#define PNG_MAX_CHUNK (8u << 20)     /* a PNG's ancillary chunk (text, ICC profile) */
#define SVG_SNIFF 4096               /* bytes looked at for "<svg" */
/* an interlaced PNG comes in passes and is held whole while it decodes */
#define INTERLACED_MAX_PIXELS (16u * 1000 * 1000)

struct kiosk_image {
    uint32_t magic;
    cairo_surface_t *surface; /* ARGB32, premultiplied */
    int w, h;
};

static void say(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t size, const char *fmt, ...)
{
    if (!why || size == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* ---- the target size ---- */

/* The size a sw x sh picture takes within max_w x max_h and KIOSK_IMAGE_MAX_DECODED
 * pixels, keeping its aspect, never larger than it is (up: whether it may be scaled up,
 * for vectors). */
static void fit_size(double sw, double sh, int max_w, int max_h, bool up, int *tw, int *th)
{
    double s = fmin((double)max_w / sw, (double)max_h / sh);
    if (!up && s > 1)
        s = 1;
    double area = sw * s * sh * s;
    bool capped = area > KIOSK_IMAGE_MAX_DECODED;
    if (capped) /* a picture asked for as large as 16384 a side: its pixels, not its sides */
        s *= sqrt(KIOSK_IMAGE_MAX_DECODED / area);
    *tw = (int)fmax(1, fmin(max_w, capped ? floor(sw * s) : round(sw * s)));
    *th = (int)fmax(1, fmin(max_h, capped ? floor(sh * s) : round(sh * s)));
}

/* ---- the area-averaging scaler: source rows in, the target's pixels out ---- */

struct scaler {
    int sw, sh, tw, th;
    uint32_t *out;  /* the target surface's pixels */
    int stride;     /* in pixels */
    uint64_t *acc;  /* tw x 4 sums: a, r, g, b premultiplied */
    uint32_t *cols; /* source columns per target column */
    int y;          /* the next source row */
    int ty;         /* the target row being summed */
    int rows;       /* source rows summed into it */
};

static int scaler_init(struct scaler *s, int sw, int sh, int tw, int th, cairo_surface_t *surf)
{
    memset(s, 0, sizeof *s);
    s->sw = sw;
    s->sh = sh;
    s->tw = tw;
    s->th = th;
    s->out = (uint32_t *)cairo_image_surface_get_data(surf);
    s->stride = cairo_image_surface_get_stride(surf) / 4;
    s->acc = calloc((size_t)tw * 4, sizeof *s->acc);
    s->cols = calloc((size_t)tw, sizeof *s->cols);
    if (!s->out || !s->acc || !s->cols)
        return -1;
    for (int x = 0; x < sw; x++)
        s->cols[(int64_t)x * tw / sw]++;
    return 0;
}

static void scaler_free(struct scaler *s)
{
    free(s->acc);
    free(s->cols);
    s->acc = NULL;
    s->cols = NULL;
}

static void scaler_emit(struct scaler *s)
{
    uint32_t *row = s->out + (size_t)s->ty * (size_t)s->stride;
    for (int tx = 0; tx < s->tw; tx++) {
        uint64_t n = (uint64_t)s->cols[tx] * (uint64_t)s->rows, *a = s->acc + 4 * tx;
        uint32_t v = 0;
        for (int k = 0; k < 4; k++)
            v = v << 8 | (uint32_t)((a[k] + n / 2) / n);
        row[tx] = v;
        a[0] = a[1] = a[2] = a[3] = 0;
    }
    s->rows = 0;
}

/* One source row: RGBA (bpp 4, straight alpha) or RGB (bpp 3). */
static void scaler_row(struct scaler *s, const uint8_t *px, int bpp)
{
    if (s->y >= s->sh)
        return;
    int ty = (int)((int64_t)s->y * s->th / s->sh);
    if (ty != s->ty && s->rows > 0)
        scaler_emit(s);
    s->ty = ty;
    for (int x = 0; x < s->sw; x++, px += bpp) {
        int tx = (int)((int64_t)x * s->tw / s->sw);
        uint32_t a = bpp == 4 ? px[3] : 255;
        uint64_t *acc = s->acc + 4 * tx;
        acc[0] += a;
        acc[1] += (px[0] * a + 127) / 255;
        acc[2] += (px[1] * a + 127) / 255;
        acc[3] += (px[2] * a + 127) / 255;
    }
    s->rows++;
    s->y++;
    if (s->y == s->sh)
        scaler_emit(s);
}

/* The target surface and its scaler, for a decoder that has read the declared size. */
static kiosk_image *image_new(int tw, int th)
{
    kiosk_image *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, tw, th);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p->surface);
        free(p);
        return NULL;
    }
    p->magic = IMAGE_MAGIC;
    p->w = tw;
    p->h = th;
    return p;
}

void kiosk_image_free(kiosk_image *p)
{
    if (!p)
        return;
    p->magic = 0;
    cairo_surface_destroy(p->surface);
    free(p);
}

static bool declared_ok(const char *kind, double w, double h, char *why, size_t ws)
{
    if (!(w >= 1 && h >= 1)) {
        say(why, ws, "corrupt %s: it declares a size of %.0f x %.0f pixels", kind, w, h);
        return false;
    }
    if (w * h > KIOSK_IMAGE_MAX_PIXELS) {
        say(why, ws,
            "%s declares %.0f x %.0f pixels, more than the %u megapixels allowed; refused "
            "before decoding",
            kind, w, h, KIOSK_IMAGE_MAX_PIXELS / 1000000);
        return false;
    }
    return true;
}

/* ---- PNG (libpng) ---- */

struct png_job {
    const uint8_t *bytes;
    size_t size, pos;
    char *why;
    size_t ws;
    kiosk_image *image;
    struct scaler sc;
    uint8_t *rows; /* one row, or every row of an interlaced picture */
};

static void png_read_mem(png_structp png, png_bytep out, size_t len)
{
    struct png_job *j = png_get_io_ptr(png);
    if (j->size - j->pos < len)
        png_error(png, "truncated");
    memcpy(out, j->bytes + j->pos, len);
    j->pos += len;
}

static void png_fail(png_structp png, png_const_charp msg)
{
    struct png_job *j = png_get_error_ptr(png);
    if (strcmp(msg, "truncated") == 0)
        say(j->why, j->ws, "truncated PNG: the file ends before its picture does");
    else
        say(j->why, j->ws, "corrupt PNG: %s", msg);
    png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static kiosk_image *decode_png(const uint8_t *bytes, size_t size, int max_w, int max_h, char *why,
                               size_t ws)
{
    struct png_job *volatile j = calloc(1, sizeof *j);
    if (!j) {
        say(why, ws, "out of memory");
        return NULL;
    }
    j->bytes = bytes;
    j->size = size;
    j->why = why;
    j->ws = ws;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_fail, png_quiet);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    kiosk_image *volatile result = NULL;
    if (!png || !info) {
        say(why, ws, "out of memory");
        goto done;
    }
    if (setjmp(png_jmpbuf(png))) {
        kiosk_image_free(j->image);
        j->image = NULL;
        goto done;
    }
    png_set_read_fn(png, j, png_read_mem);
    png_set_user_limits(png, 1000000, 1000000);
    png_set_chunk_malloc_max(png, PNG_MAX_CHUNK);
    png_read_info(png, info);
    png_uint_32 w, h;
    int depth, ctype, interlace;
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if (!declared_ok("PNG", w, h, why, ws))
        goto done;
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    if (!(ctype & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    if (interlace != PNG_INTERLACE_NONE && (double)w * h > INTERLACED_MAX_PIXELS) {
        say(why, ws,
            "interlaced PNG of %u x %u pixels: an interlaced picture is held whole while it "
            "decodes, so at most %u megapixels (save it without interlacing)",
            (unsigned)w, (unsigned)h, INTERLACED_MAX_PIXELS / 1000000);
        goto done;
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 4)
        png_error(png, "unexpected row layout after conversion");
    int tw, th;
    fit_size(w, h, max_w, max_h, false, &tw, &th);
    if (!(j->image = image_new(tw, th)) ||
        scaler_init(&j->sc, (int)w, (int)h, tw, th, j->image->surface))
        png_error(png, "out of memory");
    /* an interlaced picture comes in passes: it is held whole (within the pixel cap) */
    size_t held = passes > 1 ? (size_t)h : 1;
    if (!(j->rows = malloc(held * (size_t)w * 4)))
        png_error(png, "out of memory");
    if (passes > 1) {
        for (int pass = 0; pass < passes; pass++)
            for (png_uint_32 y = 0; y < h; y++)
                png_read_row(png, j->rows + (size_t)y * w * 4, NULL);
        for (png_uint_32 y = 0; y < h; y++)
            scaler_row(&j->sc, j->rows + (size_t)y * w * 4, 4);
    } else {
        for (png_uint_32 y = 0; y < h; y++) {
            png_read_row(png, j->rows, NULL);
            scaler_row(&j->sc, j->rows, 4);
        }
    }
    cairo_surface_mark_dirty(j->image->surface);
    result = j->image;
    j->image = NULL;
done:
    png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
    scaler_free(&j->sc);
    free(j->rows);
    free(j);
    return result;
}

/* ---- JPEG (libjpeg-turbo) ---- */

struct jpeg_job {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    char *why;
    size_t ws;
    kiosk_image *image;
    struct scaler sc;
    uint8_t *row;
    struct jpeg_progress_mgr progress; /* counts the scans */
};

static void jpeg_fail(j_common_ptr cinfo)
{
    struct jpeg_job *j = (struct jpeg_job *)cinfo->err;
    char msg[JMSG_LENGTH_MAX];
    cinfo->err->format_message(cinfo, msg);
    say(j->why, j->ws, "corrupt JPEG: %s", msg);
    longjmp(j->jump, 1);
}

/* A warning: a file that ends early is refused (libjpeg would draw grey for the rest);
 * other warnings (stray bytes between markers) leave a picture worth showing. */
static void jpeg_note(j_common_ptr cinfo, int level)
{
    struct jpeg_job *j = (struct jpeg_job *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        say(j->why, j->ws, "truncated JPEG: the file ends before its picture does");
        longjmp(j->jump, 1);
    }
}

/* A progressive JPEG of thousands of scans would keep the screen's thread decoding for
 * minutes: past JPEG_MAX_SCANS it is refused (as djpeg -maxscans does). */
#define JPEG_MAX_SCANS 100

static void jpeg_progress(j_common_ptr cinfo)
{
    struct jpeg_decompress_struct *d = (struct jpeg_decompress_struct *)cinfo;
    if (cinfo->is_decompressor && d->input_scan_number > JPEG_MAX_SCANS) {
        struct jpeg_job *j = (struct jpeg_job *)cinfo->err;
        say(j->why, j->ws, "JPEG of more than %d scans: refused (a picture needs a few)",
            JPEG_MAX_SCANS);
        longjmp(j->jump, 1);
    }
}

static kiosk_image *decode_jpeg(const uint8_t *bytes, size_t size, int max_w, int max_h, char *why,
                                size_t ws)
{
    struct jpeg_job *volatile j = calloc(1, sizeof *j);
    struct jpeg_decompress_struct *cinfo = calloc(1, sizeof *cinfo);
    kiosk_image *volatile result = NULL;
    if (!j || !cinfo) {
        say(why, ws, "out of memory");
        free(j);
        free(cinfo);
        return NULL;
    }
    j->why = why;
    j->ws = ws;
    cinfo->err = jpeg_std_error(&j->mgr);
    j->mgr.error_exit = jpeg_fail;
    j->mgr.emit_message = jpeg_note;
    if (setjmp(j->jump)) {
        kiosk_image_free(j->image);
        j->image = NULL;
        goto done;
    }
    jpeg_create_decompress(cinfo);
    cinfo->mem->max_memory_to_use = JPEG_MAX_MEMORY;
    j->progress.progress_monitor = jpeg_progress;
    cinfo->progress = &j->progress;
    jpeg_mem_src(cinfo, bytes, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    double w = cinfo->image_width, h = cinfo->image_height;
    if (!declared_ok("JPEG", w, h, why, ws))
        goto done;
    if (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) {
        say(why, ws, "JPEG in CMYK (a print file): expected RGB or greyscale");
        goto done;
    }
    cinfo->out_color_space = JCS_RGB;
    int tw, th;
    fit_size(w, h, max_w, max_h, false, &tw, &th);
    /* the smallest of the decoder's own scales (n/8) that still gives the size wanted */
    cinfo->scale_denom = 8;
    for (cinfo->scale_num = 1; cinfo->scale_num < 8; cinfo->scale_num++)
        if (ceil(w * cinfo->scale_num / 8) >= tw && ceil(h * cinfo->scale_num / 8) >= th)
            break;
    jpeg_start_decompress(cinfo);
    int ow = (int)cinfo->output_width, oh = (int)cinfo->output_height;
    if (cinfo->output_components != 3)
        ERREXIT(cinfo, JERR_CONVERSION_NOTIMPL);
    /* the size from the declared aspect, not the reduced one's rounding */
    tw = tw < ow ? tw : ow;
    th = th < oh ? th : oh;
    if (!(j->image = image_new(tw, th)) || scaler_init(&j->sc, ow, oh, tw, th, j->image->surface) ||
        !(j->row = malloc((size_t)ow * 3))) {
        say(why, ws, "out of memory");
        kiosk_image_free(j->image);
        j->image = NULL;
        jpeg_abort_decompress(cinfo);
        goto done;
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW r = j->row;
        if (jpeg_read_scanlines(cinfo, &r, 1) != 1)
            ERREXIT(cinfo, JERR_INPUT_EOF);
        scaler_row(&j->sc, j->row, 3);
    }
    jpeg_finish_decompress(cinfo);
    cairo_surface_mark_dirty(j->image->surface);
    result = j->image;
    j->image = NULL;
done:
    jpeg_destroy_decompress(cinfo);
    scaler_free(&j->sc);
    free(j->row);
    free(j);
    free(cinfo);
    return result;
}

/* ---- SVG (librsvg), rendered at the size asked ---- */

/* The calls of librsvg (and of the GLib under it) the decoder makes, found in the library
 * opened on first use; NULL members when it cannot be opened. */
static struct {
    __typeof__(rsvg_handle_new_from_data) *new_from_data;
    __typeof__(rsvg_handle_get_intrinsic_size_in_pixels) *size_in_pixels;
    __typeof__(rsvg_handle_get_intrinsic_dimensions) *dimensions;
    __typeof__(rsvg_handle_render_document) *render_document;
    __typeof__(g_object_unref) *unref;
    __typeof__(g_error_free) *error_free;
    char why[200];
} rsvg;
static pthread_once_t rsvg_once = PTHREAD_ONCE_INIT;

static void *rsvg_sym(void *lib, const char *name)
{
    void *f = lib ? dlsym(lib, name) : NULL;
    if (lib && !f && !rsvg.why[0])
        snprintf(rsvg.why, sizeof rsvg.why, "%s has no %s", KIOSK_RSVG_SONAME, name);
    return f;
}

static void rsvg_open(void)
{
    void *lib = dlopen(KIOSK_RSVG_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(rsvg.why, sizeof rsvg.why, "%s", e ? e : "cannot open " KIOSK_RSVG_SONAME);
        return;
    }
    /* object pointers to function pointers, as POSIX allows */
    void *f[6] = {rsvg_sym(lib, "rsvg_handle_new_from_data"),
                  rsvg_sym(lib, "rsvg_handle_get_intrinsic_size_in_pixels"),
                  rsvg_sym(lib, "rsvg_handle_get_intrinsic_dimensions"),
                  rsvg_sym(lib, "rsvg_handle_render_document"),
                  rsvg_sym(lib, "g_object_unref"),
                  rsvg_sym(lib, "g_error_free")};
    if (rsvg.why[0])
        return; /* the library stays open: what it started may not be unloaded */
    memcpy(&rsvg.new_from_data, &f[0], sizeof f[0]);
    memcpy(&rsvg.size_in_pixels, &f[1], sizeof f[1]);
    memcpy(&rsvg.dimensions, &f[2], sizeof f[2]);
    memcpy(&rsvg.render_document, &f[3], sizeof f[3]);
    memcpy(&rsvg.unref, &f[4], sizeof f[4]);
    memcpy(&rsvg.error_free, &f[5], sizeof f[5]);
}

static void rsvg_clear_error(GError **err)
{
    if (*err)
        rsvg.error_free(*err);
    *err = NULL;
}

static kiosk_image *decode_svg(const uint8_t *bytes, size_t size, int max_w, int max_h, char *why,
                               size_t ws)
{
    pthread_once(&rsvg_once, rsvg_open);
    if (!rsvg.new_from_data) {
        say(why, ws, "SVG cannot be drawn here: %s", rsvg.why);
        return NULL;
    }
    GError *err = NULL;
    /* no base file: references to other files are not followed */
    RsvgHandle *svg = rsvg.new_from_data(bytes, size, &err);
    if (!svg) {
        say(why, ws, "corrupt SVG: %s", err ? err->message : "unreadable");
        rsvg_clear_error(&err);
        return NULL;
    }
    double w = 0, h = 0;
    if (!rsvg.size_in_pixels(svg, &w, &h)) {
        gboolean has_box = FALSE;
        RsvgRectangle box = {0};
        rsvg.dimensions(svg, NULL, NULL, NULL, NULL, &has_box, &box);
        w = has_box ? box.width : max_w;
        h = has_box ? box.height : max_h;
    }
    kiosk_image *p = NULL;
    if (!isfinite(w) || !isfinite(h) || w <= 0 || h <= 0) {
        say(why, ws, "corrupt SVG: it declares no usable size (%g x %g)", w, h);
        goto done;
    }
    int tw, th;
    fit_size(w, h, max_w, max_h, true, &tw, &th);
    if (!(p = image_new(tw, th))) {
        say(why, ws, "out of memory");
        goto done;
    }
    cairo_t *cr = cairo_create(p->surface);
    RsvgRectangle view = {0, 0, tw, th};
    gboolean ok = rsvg.render_document(svg, cr, &view, &err);
    cairo_destroy(cr);
    if (!ok) {
        say(why, ws, "corrupt SVG: %s", err ? err->message : "cannot be drawn");
        kiosk_image_free(p);
        p = NULL;
    }
done:
    rsvg_clear_error(&err);
    rsvg.unref(svg);
    return p;
}

/* ---- by content ---- */

static bool starts(const uint8_t *b, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(b, magic, m) == 0;
}

static bool contains(const uint8_t *b, size_t n, const char *what)
{
    size_t m = strlen(what);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(b + i, what, m) == 0)
            return true;
    return false;
}

static bool looks_svg(const uint8_t *b, size_t n)
{
    size_t i = starts(b, n, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    if (i >= n || b[i] != '<')
        return false;
    size_t look = n - i < SVG_SNIFF ? n - i : SVG_SNIFF;
    return contains(b + i, look, "<svg");
}

static const char *what_it_is(const uint8_t *b, size_t n)
{
    if (n == 0)
        return "an empty file";
    if (starts(b, n, "GIF8", 4))
        return "a GIF picture";
    if (n >= 12 && starts(b, n, "RIFF", 4) && memcmp(b + 8, "WEBP", 4) == 0)
        return "a WebP picture";
    if (starts(b, n, "BM", 2))
        return "a BMP picture";
    if (starts(b, n, "\x1F\x8B", 2))
        return "a gzip file (a compressed SVG is not read: give it uncompressed)";
    if (starts(b, n, "%PDF", 4))
        return "a PDF document";
    if (n >= 12 && memcmp(b + 4, "ftyp", 4) == 0)
        return "an HEIF/AVIF picture or a video";
    if (contains(b, n < 512 ? n : 512, "<html") || contains(b, n < 512 ? n : 512, "<!DOCTYPE"))
        return "an HTML page";
    return "something else";
}

kiosk_image *kiosk_image_decode(const void *bytes, size_t size, int max_w, int max_h, char *why,
                                size_t why_size)
{
    say(why, why_size, "unknown");
    if (!bytes && size)
        return NULL;
    if (max_w < 1 || max_h < 1 || max_w > KIOSK_IMAGE_MAX_SIDE || max_h > KIOSK_IMAGE_MAX_SIDE) {
        say(why, why_size, "expected a size of 1 to %d pixels a side, found %d x %d",
            KIOSK_IMAGE_MAX_SIDE, max_w, max_h);
        return NULL;
    }
    if (size > KIOSK_IMAGE_MAX_BYTES) {
        say(why, why_size, "%zu bytes, more than the %u MiB allowed", size,
            KIOSK_IMAGE_MAX_BYTES >> 20);
        return NULL;
    }
    const uint8_t *b = bytes;
    if (size >= 8 && png_sig_cmp(b, 0, 8) == 0)
        return decode_png(b, size, max_w, max_h, why, why_size);
    if (starts(b, size, "\xFF\xD8\xFF", 3))
        return decode_jpeg(b, size, max_w, max_h, why, why_size);
    if (looks_svg(b, size))
        return decode_svg(b, size, max_w, max_h, why, why_size);
    say(why, why_size, "expected a PNG, JPEG or SVG picture, found %s", what_it_is(b, size));
    return NULL;
}

kiosk_image *kiosk_image_read(const char *path, int max_w, int max_h, char *why, size_t why_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        say(why, why_size, "cannot open it: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        say(why, why_size, "expected a picture file, found %s",
            S_ISDIR(st.st_mode) ? "a folder" : "a device, pipe or socket");
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > KIOSK_IMAGE_MAX_BYTES) {
        say(why, why_size, "%lld bytes, more than the %u MiB allowed", (long long)st.st_size,
            KIOSK_IMAGE_MAX_BYTES >> 20);
        close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size, got = 0;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf) {
        say(why, why_size, "out of memory");
        close(fd);
        return NULL;
    }
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    kiosk_image *p = kiosk_image_decode(buf, got, max_w, max_h, why, why_size);
    free(buf);
    return p;
}

int kiosk_image_valid(const kiosk_image *p)
{
    return p && p->magic == IMAGE_MAGIC;
}

void kiosk_image_dimensions(const kiosk_image *p, int *width, int *height)
{
    if (width)
        *width = p->w;
    if (height)
        *height = p->h;
}

size_t kiosk_image_bytes(const kiosk_image *p)
{
    return (size_t)cairo_image_surface_get_stride(p->surface) * (size_t)p->h;
}

/* ---- drawing ---- */

void kiosk_canvas_draw_image(kiosk_canvas *c, const kiosk_image *p, float x, float y, float w,
                             float h, enum kiosk_fit fit)
{
    cairo_t *cr = kiosk_canvas_cairo(c);
    if (!cr || w <= 0 || h <= 0)
        return;
    double sx = w / p->w, sy = h / p->h;
    if (fit == KIOSK_FIT_CONTAIN)
        sx = sy = fmin(sx, sy);
    else if (fit == KIOSK_FIT_COVER)
        sx = sy = fmax(sx, sy);
    double dw = p->w * sx, dh = p->h * sy, dx = x + (w - dw) / 2, dy = y + (h - dh) / 2;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_rectangle(cr, dx, dy, dw, dh);
    cairo_clip(cr);
    cairo_translate(cr, dx, dy);
    cairo_scale(cr, sx, sy);
    cairo_set_source_surface(cr, p->surface, 0, 0);
    cairo_pattern_t *pat = cairo_get_source(cr);
    /* the edges' own pixels past the edge, not transparency fading in */
    cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
    cairo_pattern_set_filter(pat,
                             sx < 0.75 || sy < 0.75 ? CAIRO_FILTER_GOOD : CAIRO_FILTER_BILINEAR);
    cairo_paint(cr);
    cairo_restore(cr);
}

int kiosk_canvas_draw_qr(kiosk_canvas *c, float x, float y, float size, const char *utf8)
{
    cairo_t *cr = kiosk_canvas_cairo(c);
    if (!cr || strnlen(utf8, KIOSK_QR_MAX_TEXT + 1) > KIOSK_QR_MAX_TEXT)
        return -1;
    QRcode *q = QRcode_encodeString(utf8, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return -1;
    int n = q->width + 8; /* a quiet zone of 4 modules each side */
    int mod = (int)floor(size / n);
    if (mod < 1) {
        QRcode_free(q);
        return -1;
    }
    double side = (double)mod * n;
    double ox = round(x + (size - side) / 2) + 4.0 * mod,
           oy = round(y + (size - side) / 2) + 4.0 * mod;
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, round(x), round(y), round(size), round(size));
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < q->width; r++) {
        const unsigned char *row = q->data + (size_t)r * (size_t)q->width;
        for (int m = 0; m < q->width;) {
            if (!(row[m] & 1)) {
                m++;
                continue;
            }
            int run = m;
            while (run < q->width && (row[run] & 1))
                run++;
            cairo_rectangle(cr, ox + (double)m * mod, oy + (double)r * mod, (double)(run - m) * mod,
                            mod);
            m = run;
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);
    QRcode_free(q);
    return 0;
}
