/* image: one picture, or a folder of them shown in turn (a poster rotation), with an
 * optional caption below. path names a PNG, JPEG or SVG file, or a folder whose *.png,
 * *.jpg, *.jpeg and *.svg files are shown in name order, picture_s seconds each. Pictures
 * are decoded by the host (image_load) once, at the size they are drawn; a file that cannot
 * be used is named in the log by the host and skipped (a single picture that cannot be used
 * leaves the slide out). Without path, the picture is the slide's own source (source = URL,
 * fetched by the kiosk): decoded from its bytes whenever they change.
 *
 * Settings: the table at the end of this file. */
#include "kiosk/plugin.h"
#include "kiosk/slide.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_PICTURES 500

struct picture {
    char *path;
    bool bad; /* refused once: not tried again */
};

struct image {
    const struct kiosk_host *host;
    struct picture *pics;
    size_t n;
    enum kiosk_fit fit;
    const char *caption;
    long picture_ms;
    size_t shown;       /* the picture decoded, or n for none */
    kiosk_image *image; /* its pixels */
    int for_w, for_h;   /* the size it was decoded for */
    bool from_source;   /* the picture is the slide's own source's bytes */
    uint64_t serial;    /* of the bytes decoded (or refused) last */
};

static bool picture_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return name[0] != '.' && dot &&
           (strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".jpg") == 0 ||
            strcasecmp(dot, ".jpeg") == 0 || strcasecmp(dot, ".svg") == 0);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct picture *)a)->path, ((const struct picture *)b)->path);
}

static int add(struct image *im, const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path)
        return -1;
    snprintf(path, n, "%s%s%s", dir, dir[0] && name[0] ? "/" : "", name);
    im->pics[im->n++] = (struct picture){.path = path};
    return 0;
}

static void destroy(void *self)
{
    struct image *im = self;
    im->host->image_release(im->host, im->image);
    for (size_t i = 0; i < im->n; i++)
        free(im->pics[i].path);
    free(im->pics);
    free(im);
}

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    const char *path = host->setting_string(settings, "path", "");
    struct kiosk_source_view v = {.struct_size = sizeof v};
    host->source_data(host, &v);
    if (!path[0] && !v.url) {
        host->log(host, KIOSK_LOG_ERROR,
                  "path: expected a picture file or a folder of them (or source = URL)");
        return -1;
    }
    struct image *im = calloc(1, sizeof *im);
    if (!im || !(im->pics = calloc(MAX_PICTURES, sizeof *im->pics))) {
        free(im);
        return -1;
    }
    im->host = host;
    im->from_source = !path[0];
    const char *fit = host->setting_string(settings, "fit", "contain");
    im->fit = strcmp(fit, "cover") == 0     ? KIOSK_FIT_COVER
              : strcmp(fit, "stretch") == 0 ? KIOSK_FIT_STRETCH
                                            : KIOSK_FIT_CONTAIN;
    im->caption = host->setting_string(settings, "caption", "");
    im->picture_ms = 1000 * host->setting_int(settings, "picture_s", 10, 1, 3600);
    struct stat st;
    int rc = 0;
    if (im->from_source) {
        /* nothing to open here: the bytes come with the source */
    } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) && rc == 0)
            if (picture_name(e->d_name)) {
                if (im->n == MAX_PICTURES) {
                    host->log(host, KIOSK_LOG_WARNING,
                              "path: %s: only the first %d pictures "
                              "(by the folder's order) are shown",
                              path, MAX_PICTURES);
                    break;
                }
                rc = add(im, path, e->d_name);
            }
        if (d)
            closedir(d);
        qsort(im->pics, im->n, sizeof *im->pics, by_path);
        if (rc == 0 && im->n == 0) {
            host->log(host, KIOSK_LOG_ERROR,
                      "path: the folder %s holds no .png, .jpg, .jpeg or .svg file", path);
            rc = -1;
        }
    } else {
        rc = add(im, "", path);
        /* one picture: tried now, so that one that cannot be used leaves the slide out; small
         * (a JPEG decodes at 1/8 of its size), the real size comes with the first frame */
        kiosk_image *probe = rc == 0 ? host->image_load(host, path, 64, 64) : NULL;
        if (!probe)
            rc = -1;
        host->image_release(host, probe);
    }
    if (rc) {
        destroy(im);
        return -1;
    }
    im->shown = im->image ? 0 : im->n;
    *self = im;
    return 0;
}

/* The source's picture decoded for w x h, again when its bytes or the size change; the one
 * before stays when new bytes cannot be used (the host has said why). */
static bool show_source(struct image *im, int w, int h)
{
    const struct kiosk_host *host = im->host;
    struct kiosk_source_view v = {.struct_size = sizeof v};
    if (host->source_data(host, &v) != 0)
        return im->image != NULL;
    if (im->image && v.serial == im->serial && im->for_w == w && im->for_h == h)
        return true;
    if (!im->image && v.serial == im->serial && im->for_w == w && im->for_h == h)
        return false; /* these bytes were refused already */
    kiosk_image *fresh = host->image_load_bytes(host, v.bytes, v.size, w, h);
    im->serial = v.serial;
    im->for_w = w;
    im->for_h = h;
    if (fresh) {
        host->image_release(host, im->image);
        im->image = fresh;
    }
    return im->image != NULL;
}

/* Whether any picture is still worth trying. */
static int has_content(void *self, const struct kiosk_frame *f)
{
    (void)f;
    struct image *im = self;
    if (im->from_source) {
        struct kiosk_source_view v = {.struct_size = sizeof v};
        return im->image || im->host->source_data(im->host, &v) == 0;
    }
    for (size_t i = 0; i < im->n; i++)
        if (!im->pics[i].bad)
            return 1;
    return 0;
}

/* Picture i decoded for w x h (again when the canvas's size changes); false when it cannot
 * be used. */
static bool show(struct image *im, size_t i, int w, int h)
{
    const struct kiosk_host *host = im->host;
    if (im->shown == i && im->image && im->for_w == w && im->for_h == h)
        return true;
    host->image_release(host, im->image);
    im->image = host->image_load(host, im->pics[i].path, w, h);
    im->shown = i;
    im->for_w = w;
    im->for_h = h;
    if (!im->image)
        im->pics[i].bad = true;
    return im->image != NULL;
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    struct image *im = self;
    const struct kiosk_host *h = im->host;
    float s = f->scale, W = (float)f->width, H = (float)f->height;
    float band = im->caption[0] ? 96 * s : 0, ph = H - band;
    long turn = im->n > 1 ? (long)(f->elapsed_ms / (double)im->picture_ms) : 0;
    size_t at = im->n ? (size_t)turn % im->n : 0;
    bool ok = im->from_source && show_source(im, (int)W, (int)ph);
    for (size_t k = 0; k < im->n && !ok; k++) {
        size_t i = (at + k) % im->n;
        if (!im->pics[i].bad)
            ok = show(im, i, (int)W, (int)ph);
    }
    if (!ok)
        return kiosk_draw_notice(h, c, f, "Không đọc được ảnh", "The picture cannot be read");
    /* contained, the picture and its caption are centred together (a landscape poster on a
     * portrait screen keeps its caption below it); filled, the caption takes the bottom */
    float top = 0, tall = ph;
    int iw = 0, ih = 0;
    if (im->fit == KIOSK_FIT_CONTAIN && h->image_size(im->image, &iw, &ih) == 0 && iw > 0) {
        float k = W / (float)iw < ph / (float)ih ? W / (float)iw : ph / (float)ih;
        tall = (float)ih * k;
        top = (H - tall - band) / 2;
    }
    h->draw_image(c, im->image, 0, top, W, tall, im->fit);
    if (band > 0) {
        struct kiosk_text_style st = kiosk_style(h, 48 * s, 1, KIOSK_COLOR_TEXT);
        st.align = KIOSK_ALIGN_CENTER;
        st.max_width = W - 96 * s;
        h->draw_text(c, &st, W / 2, top + tall + (band - 48 * s * 1.25f) / 2, im->caption);
    }
    if (im->n < 2)
        return KIOSK_REDRAW_NEVER;
    double next = (double)(turn + 1) * (double)im->picture_ms - f->elapsed_ms;
    return next < 1 ? 1 : (int)next;
}

static const char *const fits[] = {"contain", "cover", "stretch", NULL};
static const struct kiosk_setting_decl settings[] = {
    KIOSK_SETTING_STRING("path", NULL,
                         "a PNG, JPEG or SVG file, or a folder of them shown in name order "
                         "(relative to the config file); without it, the slide's own "
                         "source = URL"),
    KIOSK_SETTING_CHOICE("fit", "contain", fits,
                         "all of the picture (contain), all of the slide (cover), or both "
                         "(stretch)"),
    KIOSK_SETTING_INT("picture_s", "10", 1, 3600, "seconds each picture of a folder shows"),
    KIOSK_SETTING_STRING("caption", NULL, "a line below the picture"),
    KIOSK_SETTINGS_END,
};

KIOSK_PLUGIN_DEFINE_WITH_CONTENT("image", "A picture, or a folder of them in turn", create, destroy,
                                 render, settings, has_content)
