#include "canvas.h"
#include "canvas_internal.h"

#include "core/files.h"

#include <SDL2/SDL_ttf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- fonts ---- */

#define FONT_CACHE 48 /* opened (family, weight, size) combinations kept */

struct cached_font {
    size_t family;
    int bold;
    int size;
    TTF_Font *font;
    uint64_t used;
};

#define MAX_FALLBACK 16 /* fonts found through fontconfig */
#define MAX_MISSES 256  /* characters no font has, remembered not to ask again */

/* A font fontconfig found for characters the manifest's families lack (Arabic, Thai,
 * Khmer, CJK, emoji: whatever the system's fonts cover); one file for both weights. */
struct fallback_font {
    char *file;
    int index; /* the face in a collection */
    TTF_Font *probe;
};

/* A font file read once, mapped: every size of it opens from these pages, so opening a
 * size costs neither a file open nor the reads FreeType would make through stdio. */
struct mapped_file {
    char *path;
    void *data; /* NULL: the file could not be mapped, and opens from its path */
    size_t size;
};

#define MAX_MAPPED 40 /* the manifest's families and the fallbacks */

struct kiosk_fonts {
    struct mapped_file mapped[MAX_MAPPED];
    size_t n_mapped;
    struct kiosk_font_family *families;
    TTF_Font **probe; /* per family and weight, at a fixed size, for glyph coverage */
    size_t n;
    struct fallback_font fallback[MAX_FALLBACK]; /* families n, n + 1, ... */
    size_t n_fallback;
    uint32_t misses[MAX_MISSES];
    size_t n_misses;
    struct cached_font cache[FONT_CACHE];
    uint64_t clock;
};

uint32_t kiosk_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0) {
        (*s)++;
        return 0xFFFD;
    }
    if (len > 1)
        c &= 0xFF >> (len + 1);
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s += i;
            return 0xFFFD;
        }
        c = c << 6 | (p[i] & 0x3F);
    }
    *s += len;
    return c;
}

/* The mapping of a font file, made the first time; NULL when it cannot be mapped. */
static const struct mapped_file *mapped(struct kiosk_fonts *f, const char *path)
{
    for (size_t i = 0; i < f->n_mapped; i++)
        if (strcmp(f->mapped[i].path, path) == 0)
            return f->mapped[i].data ? &f->mapped[i] : NULL;
    if (f->n_mapped == MAX_MAPPED)
        return NULL;
    struct mapped_file *m = &f->mapped[f->n_mapped];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= SIZE_MAX && (m->path = strdup(path))) {
        m->size = (size_t)st.st_size;
        m->data = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m->data == MAP_FAILED)
            m->data = NULL;
        f->n_mapped++;
    }
    close(fd);
    return m->data ? m : NULL;
}

/* Face index of a font file at a pixel size, from its mapping where it has one. */
static TTF_Font *open_face(struct kiosk_fonts *f, const char *path, long index, int size)
{
    const struct mapped_file *m = mapped(f, path);
    SDL_RWops *rw = m ? SDL_RWFromConstMem(m->data, (int)m->size) : NULL;
    if (m && m->size > INT_MAX)
        rw = NULL;
    return rw ? TTF_OpenFontIndexRW(rw, 1, size, index) : TTF_OpenFontIndex(path, size, index);
}

int kiosk_fonts_open(const struct kiosk_font_family *families, size_t n, struct kiosk_fonts **out,
                     struct kiosk_diags *d)
{
    if (!TTF_WasInit() && TTF_Init() != 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, NULL, NULL, 0, 0, "cannot start SDL_ttf: %s",
                        TTF_GetError());
        return KIOSK_EIO;
    }
    struct kiosk_fonts *f = calloc(1, sizeof *f);
    if (!f || !(f->families = calloc(n, sizeof *f->families)) ||
        !(f->probe = calloc(2 * n, sizeof *f->probe))) {
        kiosk_fonts_close(f);
        return KIOSK_ENOMEM;
    }
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        /* own copies: the caller's strings may not outlive this call */
        f->families[i].name = strdup(families[i].name);
        f->families[i].regular = strdup(families[i].regular);
        f->families[i].bold = strdup(families[i].bold);
        if (!f->families[i].name || !f->families[i].regular || !f->families[i].bold) {
            kiosk_fonts_close(f);
            return KIOSK_ENOMEM;
        }
        const char *files[2] = {families[i].regular, families[i].bold};
        for (int b = 0; b < 2; b++) {
            f->probe[2 * i + b] = open_face(f, files[b], 0, 16);
            if (!f->probe[2 * i + b]) {
                kiosk_diags_add(d, KIOSK_SEV_ERROR, files[b], NULL, 0, 0,
                                "cannot open the font of family \"%s\": %s", families[i].name,
                                TTF_GetError());
                kiosk_fonts_close(f);
                return KIOSK_EIO;
            }
        }
    }
    *out = f;
    return 0;
}

void kiosk_fonts_close(struct kiosk_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; f->probe && i < 2 * f->n; i++)
        if (f->probe[i])
            TTF_CloseFont(f->probe[i]);
    for (size_t i = 0; i < FONT_CACHE; i++)
        if (f->cache[i].font)
            TTF_CloseFont(f->cache[i].font);
    for (size_t i = 0; i < f->n_fallback; i++) {
        TTF_CloseFont(f->fallback[i].probe);
        free(f->fallback[i].file);
    }
    for (size_t i = 0; i < f->n_mapped; i++) { /* after every font that reads them */
        if (f->mapped[i].data)
            munmap(f->mapped[i].data, f->mapped[i].size);
        free(f->mapped[i].path);
    }
    for (size_t i = 0; f->families && i < f->n; i++) {
        free((char *)f->families[i].name);
        free((char *)f->families[i].regular);
        free((char *)f->families[i].bold);
    }
    free(f->probe);
    free(f->families);
    free(f);
}

bool kiosk_fonts_cover(struct kiosk_fonts *f, uint32_t cp, bool bold)
{
    for (size_t i = 0; i < f->n; i++)
        if (TTF_GlyphIsProvided32(f->probe[2 * i + (bold ? 1 : 0)], cp))
            return true;
    return false;
}

/* Whether the font has a glyph for every visible character of the text. */
static bool covers_all(TTF_Font *probe, const char *utf8)
{
    for (const char *s = utf8; *s;) {
        uint32_t cp = kiosk_utf8_next(&s);
        if (cp > ' ' && !TTF_GlyphIsProvided32(probe, cp))
            return false;
    }
    return true;
}

/* The first family with every character of the text (the first family when none has all). */
static size_t family_for(struct kiosk_fonts *f, const char *utf8, int bold)
{
    for (size_t i = 0; i < f->n; i++)
        if (covers_all(f->probe[2 * i + (bold ? 1 : 0)], utf8))
            return i;
    return 0;
}

static TTF_Font *font_at(struct kiosk_fonts *f, size_t family, int bold, int size)
{
    struct cached_font *victim = &f->cache[0];
    f->clock++;
    for (size_t i = 0; i < FONT_CACHE; i++) {
        struct cached_font *c = &f->cache[i];
        if (c->font && c->family == family && c->bold == bold && c->size == size) {
            c->used = f->clock;
            return c->font;
        }
        if (victim->font && (!c->font || c->used < victim->used))
            victim = c; /* an empty slot, else the least recently used */
    }
    if (victim->font)
        TTF_CloseFont(victim->font);
    if (family < f->n) {
        const char *file = bold ? f->families[family].bold : f->families[family].regular;
        victim->font = open_face(f, file, 0, size);
    } else {
        const struct fallback_font *fb = &f->fallback[family - f->n];
        victim->font = open_face(f, fb->file, fb->index, size);
        if (victim->font && bold)
            TTF_SetFontStyle(victim->font, TTF_STYLE_BOLD); /* one weight: bold made */
    }
    if (victim->font)
        TTF_SetFontHinting(victim->font, TTF_HINTING_LIGHT);
    victim->family = family;
    victim->bold = bold;
    victim->size = size;
    victim->used = f->clock;
    return victim->font;
}

/* ---- canvas ---- */

struct kiosk_canvas {
    cairo_surface_t *surface;
    cairo_t *cr;
    int w, h;
    struct kiosk_fonts *fonts;
};

kiosk_canvas *kiosk_canvas_new(int w, int h, struct kiosk_fonts *fonts)
{
    kiosk_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    c->cr = cairo_create(c->surface);
    if (cairo_surface_status(c->surface) || cairo_status(c->cr)) {
        kiosk_canvas_free(c);
        return NULL;
    }
    c->w = w;
    c->h = h;
    c->fonts = fonts;
    return c;
}

kiosk_canvas *kiosk_canvas_new_bound(int w, int h, struct kiosk_fonts *fonts)
{
    kiosk_canvas *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->w = w;
    c->h = h;
    c->fonts = fonts;
    return c;
}

/* a surface on memory the canvas does not own, and its context; the old ones released */
static int bind_surface(kiosk_canvas *c, uint8_t *pixels, int stride)
{
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface)
        cairo_surface_destroy(c->surface);
    c->cr = NULL;
    c->surface = NULL;
    if (!pixels || stride < cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, c->w) ||
        stride % 4 != 0)
        return -1;
    /* opaque pixels (a slide is drawn on its background): 0xXXRRGGBB, as the screen's own
     * framebuffer has them, so showing the picture is a plain copy */
    c->surface =
        cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24, c->w, c->h, stride);
    c->cr = cairo_create(c->surface);
    if (cairo_surface_status(c->surface) || cairo_status(c->cr)) {
        cairo_destroy(c->cr);
        cairo_surface_destroy(c->surface);
        c->cr = NULL;
        c->surface = NULL;
        return -1;
    }
    return 0;
}

int kiosk_canvas_bind(kiosk_canvas *c, uint8_t *pixels, int stride)
{
    return bind_surface(c, pixels, stride);
}

bool kiosk_canvas_ready(const kiosk_canvas *c)
{
    return c && c->cr;
}

void kiosk_canvas_unbind(kiosk_canvas *c)
{
    if (c->surface)
        cairo_surface_flush(c->surface);
    bind_surface(c, NULL, 0);
}

void kiosk_canvas_free(kiosk_canvas *c)
{
    if (!c)
        return;
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface)
        cairo_surface_destroy(c->surface);
    free(c);
}

cairo_t *kiosk_canvas_cairo(kiosk_canvas *c)
{
    return c->cr;
}

int kiosk_canvas_width(const kiosk_canvas *c)
{
    return c->w;
}

int kiosk_canvas_height(const kiosk_canvas *c)
{
    return c->h;
}

static void set_color(cairo_t *cr, kiosk_color color)
{
    cairo_set_source_rgba(cr, ((color >> 16) & 0xFF) / 255.0, ((color >> 8) & 0xFF) / 255.0,
                          (color & 0xFF) / 255.0, ((color >> 24) & 0xFF) / 255.0);
}

void kiosk_canvas_clear(kiosk_canvas *c, kiosk_color color)
{
    cairo_save(c->cr);
    cairo_set_operator(c->cr, CAIRO_OPERATOR_SOURCE);
    set_color(c->cr, color);
    cairo_paint(c->cr);
    cairo_restore(c->cr);
}

const uint8_t *kiosk_canvas_pixels(kiosk_canvas *c, int *stride)
{
    cairo_surface_flush(c->surface);
    *stride = cairo_image_surface_get_stride(c->surface);
    return cairo_image_surface_get_data(c->surface);
}

void kiosk_canvas_blend(kiosk_canvas *c, kiosk_canvas *src, float x, float y, float alpha)
{
    cairo_surface_flush(src->surface);
    cairo_save(c->cr);
    cairo_set_source_surface(c->cr, src->surface, x, y);
    cairo_paint_with_alpha(c->cr, alpha);
    cairo_restore(c->cr);
}

void kiosk_canvas_set_origin(kiosk_canvas *c, float x, float y, float w, float h)
{
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    cairo_rectangle(c->cr, 0, 0, w, h);
    cairo_clip(c->cr);
}

void kiosk_canvas_reset_origin(kiosk_canvas *c)
{
    cairo_restore(c->cr);
}

/* cairo's PNG encoder writes into a growing buffer, which is then written atomically */
struct png_buffer {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t png_append(void *closure, const unsigned char *data, unsigned int length)
{
    struct png_buffer *b = closure;
    if (b->len + length > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + length)
            cap *= 2;
        unsigned char *grown = realloc(b->data, cap);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

int kiosk_canvas_write_png(kiosk_canvas *c, const char *path, struct kiosk_diags *d)
{
    struct png_buffer b = {0};
    cairo_surface_flush(c->surface);
    cairo_status_t st = cairo_surface_write_to_png_stream(c->surface, png_append, &b);
    int rc = st == CAIRO_STATUS_SUCCESS ? kiosk_write_atomic(path, b.data, b.len) : -1;
    if (rc != 0)
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "cannot write the PNG: %s",
                        st != CAIRO_STATUS_SUCCESS ? cairo_status_to_string(st) : strerror(errno));
    free(b.data);
    return rc == 0 ? 0 : KIOSK_EIO;
}

int kiosk_canvas_png(kiosk_canvas *c, int max_w, unsigned char **out, size_t *len, int *w, int *h)
{
    *out = NULL;
    *len = 0;
    double scale = max_w > 0 && c->w > max_w ? (double)max_w / c->w : 1;
    *w = (int)(c->w * scale + 0.5);
    *h = (int)(c->h * scale + 0.5);
    if (*w < 1 || *h < 1)
        return KIOSK_EIO;
    cairo_surface_flush(c->surface);
    cairo_surface_t *small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
    cairo_t *cr = cairo_create(small);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, c->surface, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    struct png_buffer b = {0};
    cairo_status_t st = cairo_surface_write_to_png_stream(small, png_append, &b);
    cairo_surface_destroy(small);
    if (st != CAIRO_STATUS_SUCCESS) {
        free(b.data);
        return KIOSK_EIO;
    }
    *out = b.data;
    *len = b.len;
    return 0;
}

void kiosk_canvas_fill_rect(kiosk_canvas *c, float x, float y, float w, float h, float radius,
                            kiosk_color color)
{
    cairo_t *cr = c->cr;
    if (w <= 0 || h <= 0)
        return;
    float r = fminf(radius, fminf(w, h) / 2);
    cairo_new_path(cr);
    if (r <= 0) {
        cairo_rectangle(cr, x, y, w, h);
    } else {
        cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
        cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
        cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
        cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
        cairo_close_path(cr);
    }
    set_color(cr, color);
    cairo_fill(cr);
}

void kiosk_canvas_stroke_line(kiosk_canvas *c, float x0, float y0, float x1, float y1, float width,
                              kiosk_color color)
{
    cairo_t *cr = c->cr;
    cairo_new_path(cr);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    set_color(cr, color);
    cairo_stroke(cr);
}

void kiosk_canvas_stroke_arc(kiosk_canvas *c, float cx, float cy, float radius, float from_deg,
                             float to_deg, float width, kiosk_color color)
{
    cairo_t *cr = c->cr;
    if (to_deg <= from_deg)
        return;
    /* degrees clockwise from 12 o'clock -> cairo's radians from 3 o'clock */
    double a0 = (from_deg - 90) * M_PI / 180, a1 = (to_deg - 90) * M_PI / 180;
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, radius, a0, a1);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    set_color(cr, color);
    cairo_stroke(cr);
}

void kiosk_canvas_stroke_polyline(kiosk_canvas *c, const float *xy, size_t n, float width,
                                  kiosk_color color)
{
    cairo_t *cr = c->cr;
    if (n < 2)
        return;
    cairo_new_path(cr);
    cairo_move_to(cr, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    cairo_set_line_width(cr, width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    set_color(cr, color);
    cairo_stroke(cr);
}

void kiosk_canvas_fill_circle(kiosk_canvas *c, float cx, float cy, float radius, kiosk_color color)
{
    cairo_t *cr = c->cr;
    cairo_new_path(cr);
    cairo_arc(cr, cx, cy, radius, 0, 2 * M_PI);
    set_color(cr, color);
    cairo_fill(cr);
}

/* ---- characters the manifest's families lack: fontconfig's fonts, then a placeholder ---- */

/* The fallback family (index from f->n) that has cp, asking fontconfig for a font with it
 * the first time; -1 when no font of the system has it. */
static long fallback_for(struct kiosk_fonts *f, uint32_t cp)
{
    for (size_t i = 0; i < f->n_fallback; i++)
        if (TTF_GlyphIsProvided32(f->fallback[i].probe, cp))
            return (long)(f->n + i);
    for (size_t i = 0; i < f->n_misses; i++)
        if (f->misses[i] == cp)
            return -1;
    long found = -1;
    if (f->n_fallback < MAX_FALLBACK && FcInit()) {
        FcPattern *pat = FcPatternCreate();
        FcCharSet *cs = FcCharSetCreate();
        FcFontSet *set = NULL;
        FcResult res;
        if (pat && cs && FcCharSetAddChar(cs, cp) && FcPatternAddCharSet(pat, FC_CHARSET, cs) &&
            FcConfigSubstitute(NULL, pat, FcMatchPattern)) {
            FcDefaultSubstitute(pat);
            set = FcFontSort(NULL, pat, FcFalse, NULL, &res);
        }
        for (int i = 0; set && found < 0 && i < set->nfont; i++) {
            FcCharSet *has;
            FcChar8 *file;
            int index = 0;
            if (FcPatternGetCharSet(set->fonts[i], FC_CHARSET, 0, &has) != FcResultMatch ||
                !FcCharSetHasChar(has, cp) ||
                FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
                continue;
            FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
            TTF_Font *probe = open_face(f, (const char *)file, index, 16);
            if (!probe) /* a bitmap-only face SDL_ttf cannot size, say */
                continue;
            if (!TTF_GlyphIsProvided32(probe, cp) ||
                !(f->fallback[f->n_fallback].file = strdup((const char *)file))) {
                TTF_CloseFont(probe);
                continue;
            }
            f->fallback[f->n_fallback].index = index;
            f->fallback[f->n_fallback].probe = probe;
            found = (long)(f->n + f->n_fallback++);
        }
        if (set)
            FcFontSetDestroy(set);
        if (cs)
            FcCharSetDestroy(cs);
        if (pat)
            FcPatternDestroy(pat);
    }
    if (found < 0 && f->n_misses < MAX_MISSES)
        f->misses[f->n_misses++] = cp;
    return found;
}

/* The family for one character: the manifest's first with it, else a fallback; -1: none. */
static long family_of(struct kiosk_fonts *f, uint32_t cp, int bold)
{
    for (size_t i = 0; i < f->n; i++)
        if (TTF_GlyphIsProvided32(f->probe[2 * i + (bold ? 1 : 0)], cp))
            return (long)i;
    return fallback_for(f, cp);
}

/* The script HarfBuzz shapes a character with, where it matters (reordering, joining,
 * right to left), and whether it runs right to left; NULL: any other. */
static const char *script_of(uint32_t cp, bool *rtl)
{
    *rtl = false;
    if ((cp >= 0x0600 && cp <= 0x06FF && !(cp >= 0x0660 && cp <= 0x0669) &&
         !(cp >= 0x06F0 && cp <= 0x06F9)) ||
        (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF) ||
        (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF)) {
        *rtl = true;
        return "Arab";
    }
    if (cp >= 0x0590 && cp <= 0x05FF) {
        *rtl = true;
        return "Hebr";
    }
    if (cp >= 0x0E00 && cp <= 0x0E7F)
        return "Thai";
    if (cp >= 0x0E80 && cp <= 0x0EFF)
        return "Laoo";
    if (cp >= 0x1780 && cp <= 0x17FF)
        return "Khmr";
    if (cp >= 0x0900 && cp <= 0x097F)
        return "Deva";
    return NULL;
}

/* Characters that take the script and font of the run they are in when they can. */
static bool neutral(uint32_t cp)
{
    return cp <= 0x40 || (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0xBF) ||
           (cp >= 0x2000 && cp <= 0x206F);
}

#define MAX_RUNS 64
#define PLACEHOLDER "\xEF\xBF\xBD" /* U+FFFD, drawn once for each run of what has no glyph */

/* A piece of a text drawn with one font, one script and one direction. */
struct run {
    size_t start, len; /* bytes of the text; a placeholder run draws PLACEHOLDER */
    long family;       /* -1: a placeholder */
    const char *script;
    bool rtl;
};

/* Splits a text into runs, in visual order (a text whose first strong character is
 * right to left has its runs reversed); the number of runs, 0 for a text the single-font
 * path draws (one family of the manifest has all of it, no script needs shaping). */
static size_t runs_of(struct kiosk_fonts *f, const char *utf8, int bold, struct run *runs)
{
    bool simple = true;
    for (const char *s = utf8; *s && simple;) {
        uint32_t cp = kiosk_utf8_next(&s);
        bool rtl;
        simple = script_of(cp, &rtl) == NULL;
    }
    if (simple) {
        for (size_t i = 0; i < f->n; i++)
            if (covers_all(f->probe[2 * i + (bold ? 1 : 0)], utf8))
                return 0;
    }
    size_t n = 0;
    bool base_rtl = false, strong_seen = false;
    for (const char *s = utf8; *s;) {
        const char *at = s;
        uint32_t cp = kiosk_utf8_next(&s);
        bool rtl;
        const char *script = script_of(cp, &rtl);
        if (!strong_seen && !neutral(cp)) {
            strong_seen = true;
            base_rtl = rtl;
        }
        struct run *cur = n ? &runs[n - 1] : NULL;
        /* a neutral character stays in the run it follows when that run's font has it */
        if (cur && neutral(cp) && cur->family >= 0 &&
            (cp <= ' ' || family_of(f, cp, bold) == cur->family || (size_t)cur->family < f->n)) {
            long fam = cp <= ' ' ? cur->family : family_of(f, cp, bold);
            if (fam == cur->family) {
                cur->len += (size_t)(s - at);
                continue;
            }
        }
        long fam = cp < 0x20 ? (cur ? cur->family : 0) : family_of(f, cp, bold);
        if (!neutral(cp) || !cur || fam != cur->family) {
            if (cur && fam == cur->family &&
                (fam < 0 || (script == cur->script && rtl == cur->rtl))) {
                cur->len += (size_t)(s - at); /* the same font, script and direction */
                continue;
            }
            if (n == MAX_RUNS) {
                runs[n - 1].len = strlen(utf8) - runs[n - 1].start; /* the rest as it comes */
                break;
            }
            runs[n++] = (struct run){.start = (size_t)(at - utf8),
                                     .len = (size_t)(s - at),
                                     .family = fam,
                                     .script = script,
                                     .rtl = rtl};
            continue;
        }
        cur->len += (size_t)(s - at);
    }
    if (base_rtl)
        for (size_t i = 0; i < n / 2; i++) {
            struct run t = runs[i];
            runs[i] = runs[n - 1 - i];
            runs[n - 1 - i] = t;
        }
    return n;
}

/* The font of a run at a size, set to shape it (script, direction); NULL on failure. */
static TTF_Font *run_font(kiosk_canvas *c, const struct run *r, int bold, int size, long fallback)
{
    long fam = r->family >= 0 ? r->family : fallback;
    TTF_Font *font = fam >= 0 ? font_at(c->fonts, (size_t)fam, bold, size) : NULL;
    if (font) {
        TTF_SetFontDirection(font, r->rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
        TTF_SetFontScriptName(font, r->script ? r->script : "Zyyy");
    }
    return font;
}

static void run_font_done(TTF_Font *font)
{
    TTF_SetFontDirection(font, TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(font, "Zyyy");
}

/* A run's own text, NUL-terminated, in buf (a placeholder run: PLACEHOLDER). */
static const char *run_text(const char *utf8, const struct run *r, char *buf)
{
    if (r->family < 0)
        return PLACEHOLDER;
    memcpy(buf, utf8 + r->start, r->len);
    buf[r->len] = '\0';
    return buf;
}

/* Measures or renders (out non-NULL) a text run by run: each run with its font, on one
 * baseline. 0 or -1. */
static int runs_draw(kiosk_canvas *c, const char *utf8, int bold, int size, int *w, int *h,
                     SDL_Surface **out)
{
    struct run runs[MAX_RUNS];
    size_t n = runs_of(c->fonts, utf8, bold, runs);
    long placeholder_family = family_of(c->fonts, 0xFFFD, bold);
    char *buf = malloc(strlen(utf8) + sizeof PLACEHOLDER);
    SDL_Surface *parts[MAX_RUNS] = {NULL};
    int ascent[MAX_RUNS] = {0}, top = 0, bottom = 0, width = 0;
    if (!buf)
        return -1;
    for (size_t i = 0; i < n; i++) {
        TTF_Font *font = run_font(c, &runs[i], bold, size, placeholder_family);
        if (!font)
            continue;
        const char *text = run_text(utf8, &runs[i], buf);
        int rw = 0, rh = 0;
        ascent[i] = TTF_FontAscent(font);
        if (out) {
            SDL_Color white = {255, 255, 255, 255};
            parts[i] = TTF_RenderUTF8_Blended(font, text, white);
            if (parts[i]) {
                rw = parts[i]->w;
                rh = parts[i]->h;
            }
        } else {
            TTF_SizeUTF8(font, text, &rw, &rh);
        }
        run_font_done(font);
        width += rw;
        if (ascent[i] > top)
            top = ascent[i];
        if (rh - ascent[i] > bottom)
            bottom = rh - ascent[i];
    }
    free(buf);
    *w = width;
    *h = top + bottom;
    if (!out)
        return width > 0 ? 0 : -1;
    *out =
        width > 0 && top + bottom > 0
            ? SDL_CreateRGBSurfaceWithFormat(0, width, top + bottom, 32, SDL_PIXELFORMAT_ARGB8888)
            : NULL;
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i])
            continue;
        if (*out) {
            SDL_Rect at = {x, top - ascent[i], parts[i]->w, parts[i]->h};
            SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
            SDL_BlitSurface(parts[i], NULL, *out, &at);
        }
        x += parts[i]->w;
        SDL_FreeSurface(parts[i]);
    }
    return *out ? 0 : -1;
}

/* Renders text at a size, the glyphs' coverage as an 8-bit mask; NULL on failure. */
static SDL_Surface *render_text(kiosk_canvas *c, const char *utf8, int bold, int size)
{
    if (!c->fonts || !utf8[0])
        return NULL;
    struct run probe[MAX_RUNS];
    if (runs_of(c->fonts, utf8, bold, probe)) {
        SDL_Surface *s = NULL;
        int w, h;
        runs_draw(c, utf8, bold, size, &w, &h, &s);
        return s;
    }
    TTF_Font *font = font_at(c->fonts, family_for(c->fonts, utf8, bold), bold, size);
    if (!font)
        return NULL;
    SDL_Color white = {255, 255, 255, 255};
    return TTF_RenderUTF8_Blended(font, utf8, white);
}

static int text_size(kiosk_canvas *c, const char *utf8, int bold, int size, int *w, int *h)
{
    *w = *h = 0;
    if (!c->fonts || !utf8[0])
        return -1;
    struct run probe[MAX_RUNS];
    if (runs_of(c->fonts, utf8, bold, probe))
        return runs_draw(c, utf8, bold, size, w, h, NULL);
    TTF_Font *font = font_at(c->fonts, family_for(c->fonts, utf8, bold), bold, size);
    if (!font || TTF_SizeUTF8(font, utf8, w, h))
        return -1;
    return 0;
}

/* The pixel size to use: the style's, shrunk so the text fits max_width, but not below
 * half the style's size (a smaller text could not be read across a room: what is still
 * too wide is cut, see fit_text). */
static int fitted_size(kiosk_canvas *c, const struct kiosk_text_style *st, const char *utf8)
{
    int size = (int)lroundf(st->size_px);
    if (size < 4)
        size = 4;
    if (size > 1000)
        size = 1000;
    int floor_size = size / 2 < 4 ? 4 : size / 2;
    int w, h;
    for (int tries = 0; st->max_width > 0 && tries < 6; tries++) {
        if (text_size(c, utf8, st->bold, size, &w, &h) || w <= st->max_width)
            break;
        int smaller = (int)floorf(size * st->max_width / (float)w);
        size = smaller < size ? smaller : size - 1;
        if (size < floor_size) {
            size = floor_size;
            break;
        }
    }
    return size;
}

/* The length of the valid UTF-8 character at p (1 to 4 bytes), or 0 when the bytes there
 * are not one: a stray continuation byte, an overlong form, a surrogate, or a character
 * cut short (by a fixed-size buffer, say). */
static size_t utf8_char_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t len = c < 0x80             ? 1
                 : (c & 0xE0) == 0xC0 ? 2
                 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (!len || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
        return 0;
    if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
        return 0;
    return len;
}

/* A copy of the text made of whole characters: a character cut short at the end is left
 * out, and each run of bytes that are not UTF-8 is one U+FFFD, never a row of boxes. */
static char *whole_characters(const char *utf8)
{
    size_t n = strlen(utf8);
    char *out = malloc(n * 3 + 1), *o = out; /* a bad byte may become 3 */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)utf8;
    bool bad_run = false;
    while (*p) {
        size_t len = utf8_char_len(p);
        if (len) {
            memcpy(o, p, len);
            o += len;
            p += len;
            bad_run = false;
            continue;
        }
        /* a lead byte followed only by continuation bytes up to the end: a cut character */
        size_t k = 1;
        while (p[k] && (p[k] & 0xC0) == 0x80)
            k++;
        if (!p[k] && p[0] >= 0xC2 && p[0] <= 0xF4 && k < 4)
            break;
        if (!bad_run)
            o += sprintf(o, "\xEF\xBF\xBD");
        bad_run = true;
        p++;
    }
    *o = '\0';
    return out;
}

/* The text to draw and its size: whole characters, shrunk to fit max_width, and when even
 * half the size is too wide, cut at a character boundary with an ellipsis: a long name
 * never runs over the next column or off the screen. NULL when out of memory. */
static char *fit_text(kiosk_canvas *c, const struct kiosk_text_style *st, const char *utf8,
                      int *size)
{
    char *t = whole_characters(utf8);
    if (!t)
        return NULL;
    *size = fitted_size(c, st, t);
    int w, h;
    if (st->max_width <= 0 || text_size(c, t, st->bold, *size, &w, &h) || w <= st->max_width)
        return t;
    static const char ellipsis[] = "\xE2\x80\xA6";
    size_t n = strlen(t);
    char *probe = malloc(n + sizeof ellipsis);
    if (!probe)
        return t;
    /* the longest prefix of whole characters that fits with the ellipsis */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        while (mid > lo && (t[mid] & 0xC0) == 0x80)
            mid--; /* back to a character's start */
        if (mid == lo) {
            hi = lo;
            break;
        }
        memcpy(probe, t, mid);
        memcpy(probe + mid, ellipsis, sizeof ellipsis);
        if (text_size(c, probe, st->bold, *size, &w, &h) == 0 && w <= st->max_width)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && (t[lo - 1] == ' ' || (t[lo] & 0xC0) == 0x80))
        lo--;
    memcpy(probe, t, lo);
    memcpy(probe + lo, ellipsis, sizeof ellipsis);
    free(t);
    return probe;
}

/* The style as the host reads it: as far as the plugin's struct_size covers, defaults for
 * the rest. A style shorter than the 1.0 one is refused (logged once). */
#define STYLE_SIZE_1_0 (offsetof(struct kiosk_text_style, max_width) + sizeof(float))

static int style_of(const struct kiosk_text_style *in, struct kiosk_text_style *st)
{
    static int said;
    *st = (struct kiosk_text_style){
        .struct_size = sizeof *st, .size_px = 16, .color = 0xFFFFFFFF, .align = KIOSK_ALIGN_LEFT};
    if (!in || in->struct_size < STYLE_SIZE_1_0) {
        if (!said++)
            fprintf(stderr,
                    "canvas: a text style of %u bytes (at least %zu needed): text not drawn\n",
                    in ? in->struct_size : 0, STYLE_SIZE_1_0);
        return -1;
    }
    memcpy(st, in, in->struct_size < sizeof *st ? in->struct_size : sizeof *st);
    st->struct_size = sizeof *st;
    return 0;
}

void kiosk_canvas_measure_text(kiosk_canvas *c, const struct kiosk_text_style *style,
                               const char *utf8, float *width, float *height)
{
    int w = 0, h = 0, size;
    struct kiosk_text_style st;
    char *text = style_of(style, &st) == 0 && utf8 ? fit_text(c, &st, utf8, &size) : NULL;
    if (text)
        text_size(c, text, st.bold, size, &w, &h);
    free(text);
    if (width)
        *width = (float)w;
    if (height)
        *height = (float)h;
}

float kiosk_canvas_draw_text(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                             float y, const char *utf8)
{
    struct kiosk_text_style st;
    if (style_of(style, &st) || !utf8)
        return 0;
    int size;
    char *text = fit_text(c, &st, utf8, &size);
    SDL_Surface *s = text ? render_text(c, text, st.bold, size) : NULL;
    free(text);
    if (!s)
        return 0;
    /* the glyphs' alpha becomes a cairo A8 mask painted in the style's colour */
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_A8, s->w);
    unsigned char *mask = calloc((size_t)stride * (size_t)s->h, 1);
    float drawn = (float)s->w;
    if (mask && SDL_LockSurface(s) == 0) {
        const SDL_PixelFormat *fmt = s->format;
        for (int row = 0; row < s->h; row++) {
            const uint32_t *src = (const uint32_t *)((const uint8_t *)s->pixels + row * s->pitch);
            for (int col = 0; col < s->w; col++)
                mask[row * stride + col] = (unsigned char)((src[col] & fmt->Amask) >> fmt->Ashift);
        }
        SDL_UnlockSurface(s);
        cairo_surface_t *ms =
            cairo_image_surface_create_for_data(mask, CAIRO_FORMAT_A8, s->w, s->h, stride);
        float left = st.align == KIOSK_ALIGN_CENTER  ? x - drawn / 2
                     : st.align == KIOSK_ALIGN_RIGHT ? x - drawn
                                                     : x;
        set_color(c->cr, st.color);
        cairo_mask_surface(c->cr, ms, roundf(left), roundf(y));
        cairo_surface_destroy(ms);
    }
    free(mask);
    SDL_FreeSurface(s);
    return drawn;
}

float kiosk_canvas_draw_paragraph(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                                  float y, float width, float line_height, int measure_only,
                                  const char *utf8)
{
    struct kiosk_text_style st;
    if (style_of(style, &st) || !utf8)
        return 0;
    float step = st.size_px * (line_height > 0 ? line_height : 1.25f), used = 0;
    size_t len = strlen(utf8);
    char *line = malloc(len + 1);
    if (!line)
        return 0;
    st.max_width = width; /* a single word longer than a line shrinks, never clips */
    const char *p = utf8;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* take words while the line fits */
        size_t n = 0, fit = 0;
        const char *q = p, *fit_end = p;
        while (*q) {
            const char *word_end = q;
            while (*word_end && *word_end != ' ')
                word_end++;
            size_t add = (size_t)(word_end - q);
            memcpy(line + n, q, add);
            line[n + add] = '\0';
            float w = 0;
            struct kiosk_text_style probe = st;
            probe.max_width = 0;
            kiosk_canvas_measure_text(c, &probe, line, &w, NULL);
            if (w > width && fit > 0)
                break;
            n += add;
            fit = n;
            fit_end = word_end;
            q = word_end;
            if (*q == ' ') {
                line[n++] = ' ';
                q++;
            }
        }
        line[fit] = '\0';
        if (!measure_only)
            kiosk_canvas_draw_text(c, &st, x, y + used, line);
        used += step;
        p = fit_end;
    }
    free(line);
    return used;
}
