/* The display: window, renderer, canvases; the connectors the kernel reports. */
#include "display.h"

#include "power.h"

#include <SDL2/SDL_syswm.h>
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

/* Is the GL behind this renderer a software rasteriser (llvmpipe, softpipe, swrast)? */
static bool gl_is_software(SDL_Renderer *r)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(r, &info) != 0 || strncmp(info.name, "opengl", 6) != 0)
        return false;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get_string;
    void *sym = SDL_GL_GetProcAddress("glGetString");
    memcpy(&get_string, &sym, sizeof get_string);
    const char *name = get_string ? (const char *)get_string(0x1F01 /* GL_RENDERER */) : NULL;
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                    strstr(name, "Software") || strstr(name, "swrast"));
}

static int open_window(struct kiosk_display *d, const struct kiosk_display_options *o, FILE *log)
{
    /* without a GPU device, GL could only be a software rasteriser: do not even load it */
    bool gpu =
        access("/dev/dri/renderD128", R_OK | W_OK) == 0 || access("/dev/dri/card0", R_OK) == 0;
    bool software =
        strcmp(o->renderer, "software") == 0 || (strcmp(o->renderer, "auto") == 0 && !gpu);
    for (int attempt = 0; attempt < 2; attempt++) {
        /* the software renderer draws into the window's own framebuffer; Wayland has none
         * (SDL can only emulate it through GL), and SDL decides that once per video
         * driver, so it is never refused there */
        const char *driver = SDL_GetCurrentVideoDriver();
        bool own_framebuffer = !driver || strcmp(driver, "wayland") != 0;
        if (software && own_framebuffer)
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        else if (software && attempt == 0)
            fprintf(log,
                    "screen: %s has no window framebuffer: the software renderer's frames "
                    "reach it through GL\n",
                    driver);
        Uint32 flags = o->windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
        int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED, w = o->w, h = o->h;
        SDL_Rect bounds;
        /* On X11, SDL asks the window manager for full screen once the window is mapped
         * and then waits up to 100 ms to see it happen: the whole wait, where no window
         * manager runs (a kiosk started by xinit). A borderless window over the whole
         * screen is full screen already: the first frame goes there, and the window
         * manager's full-screen state is asked for after it (kiosk_display_settle). */
        if (!o->windowed && driver && strcmp(driver, "x11") == 0 &&
            SDL_GetDisplayBounds(0, &bounds) == 0 && bounds.w > 0 && bounds.h > 0) {
            flags = SDL_WINDOW_BORDERLESS;
            x = bounds.x;
            y = bounds.y;
            w = bounds.w;
            h = bounds.h;
            d->fullscreen_later = true;
        }
        d->window = SDL_CreateWindow("kiosk", x, y, w, h, flags);
        if (!d->window)
            return -1;
        d->renderer =
            SDL_CreateRenderer(d->window, -1,
                               software ? SDL_RENDERER_SOFTWARE
                                        : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        if (d->renderer && !software && strcmp(o->renderer, "auto") == 0 &&
            gl_is_software(d->renderer)) {
            fprintf(log, "screen: the only GL is a software rasteriser; using the software "
                         "renderer\n");
            SDL_DestroyRenderer(d->renderer);
            SDL_DestroyWindow(d->window);
            d->renderer = NULL;
            d->window = NULL;
            d->fullscreen_later = false;
            software = true;
            continue;
        }
        break;
    }
    if (!d->renderer)
        return -1;
    SDL_RendererInfo info;
    SDL_GetRendererInfo(d->renderer, &info);
    d->software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    fprintf(log, "screen: %s renderer (%s) on %s\n", d->software ? "software" : "hardware",
            info.name, SDL_GetCurrentVideoDriver());
    if (!o->windowed)
        SDL_ShowCursor(SDL_DISABLE);
    /* transition frames at the display's refresh rate, no faster */
    SDL_DisplayMode mode;
    int index = SDL_GetWindowDisplayIndex(d->window);
    d->hz = SDL_GetCurrentDisplayMode(index < 0 ? 0 : index, &mode) == 0 &&
                    mode.refresh_rate >= 24 && mode.refresh_rate <= 240
                ? mode.refresh_rate
                : 60;
    return 0;
}

int kiosk_display_open(struct kiosk_display *d, const struct kiosk_display_options *o, FILE *log)
{
    uint32_t bg = d->bg;
    memset(d, 0, sizeof *d);
    d->bg = bg;
    d->rotate = o->rotate == 90 || o->rotate == 180 || o->rotate == 270 ? o->rotate : 0;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
        return -1;
    if (open_window(d, o, log) != 0 || kiosk_display_fit(d, o->fonts) != 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", SDL_GetError());
        kiosk_display_close(d);
        SDL_SetError("%s", why);
        return -1;
    }
    return 0;
}

void kiosk_display_close(struct kiosk_display *d)
{
    bool started = SDL_WasInit(SDL_INIT_VIDEO) != 0;
    kiosk_display_band_off(d);
    for (int i = 0; i < 2; i++)
        if (d->tex[i])
            SDL_DestroyTexture(d->tex[i]);
    kiosk_canvas_free(d->canvas);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->window)
        SDL_DestroyWindow(d->window);
    uint32_t bg = d->bg;
    memset(d, 0, sizeof *d);
    d->bg = bg;
    if (started)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

static SDL_Texture *new_picture(struct kiosk_display *d)
{
    return SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, d->w,
                             d->h);
}

int kiosk_display_fit(struct kiosk_display *d, struct kiosk_fonts *fonts)
{
    int w, h;
    if (SDL_GetRendererOutputSize(d->renderer, &w, &h) != 0 || w <= 0 || h <= 0)
        return -1;
    d->out_w = w;
    d->out_h = h;
    if (d->rotate == 90 || d->rotate == 270) { /* a portrait picture on a landscape output */
        int t = w;
        w = h;
        h = t;
    }
    if (w == d->w && h == d->h && d->canvas)
        return 0;
    for (int i = 0; i < 2; i++) {
        if (d->tex[i])
            SDL_DestroyTexture(d->tex[i]);
        d->tex[i] = NULL;
    }
    kiosk_canvas_free(d->canvas);
    kiosk_display_band_off(d); /* made anew at the new size */
    d->fonts = fonts;
    d->w = w;
    d->h = h;
    /* one picture at rest; the second only while a transition runs */
    d->canvas = kiosk_canvas_new_bound(w, h, fonts);
    d->tex[0] = new_picture(d);
    return d->canvas && d->tex[0] ? 0 : -1;
}

kiosk_canvas *kiosk_display_begin(struct kiosk_display *d, int i)
{
    bool made = !d->tex[i];
    if (!d->canvas || (made && !(d->tex[i] = new_picture(d))))
        return NULL;
    void *pixels;
    int pitch;
    if (SDL_LockTexture(d->tex[i], NULL, &pixels, &pitch) != 0) {
        if (made) { /* a picture never drawn is none: never shown */
            SDL_DestroyTexture(d->tex[i]);
            d->tex[i] = NULL;
        }
        return NULL;
    }
    if (kiosk_canvas_bind(d->canvas, pixels, pitch) != 0) {
        SDL_UnlockTexture(d->tex[i]);
        SDL_SetError("a texture of %dx%d with %d bytes a row cannot take the canvas", d->w, d->h,
                     pitch);
        return NULL;
    }
    return d->canvas;
}

void kiosk_display_end(struct kiosk_display *d, int i)
{
    kiosk_canvas_unbind(d->canvas);
    SDL_UnlockTexture(d->tex[i]);
}

/* Copies a picture to the rectangle (x, y, w, h) of the slides' own space, onto the output
 * turned by rotate, then shifted by (dx, dy) on the output. 90, 180 and 270 degrees map
 * pixels onto pixels: the GPU (or SDL's software renderer) turns it exactly. */
static void copy_turned(struct kiosk_display *d, SDL_Texture *t, int x, int y, int w, int h, int dx,
                        int dy)
{
    if (!d->rotate) {
        SDL_Rect at = {dx + x, dy + y, w, h};
        SDL_RenderCopy(d->renderer, t, NULL, &at);
        return;
    }
    /* the rectangle's centre from the slides' centre, turned like the picture (clockwise,
     * y down), from the output's centre */
    int ox = x + w / 2 - d->w / 2, oy = y + h / 2 - d->h / 2;
    int tx = d->rotate == 90 ? -oy : d->rotate == 180 ? -ox : oy;
    int ty = d->rotate == 90 ? ox : d->rotate == 180 ? -oy : -ox;
    int cx = d->out_w / 2 + dx + tx, cy = d->out_h / 2 + dy + ty;
    SDL_Rect at = {cx - w / 2, cy - h / 2, w, h};
    SDL_RenderCopyEx(d->renderer, t, NULL, &at, (double)d->rotate, NULL, SDL_FLIP_NONE);
}

static void copy_slide(struct kiosk_display *d, SDL_Texture *t, int ox, int dx, int dy)
{
    copy_turned(d, t, ox, 0, d->w, d->h, dx, dy);
}

kiosk_canvas *kiosk_display_band_begin(struct kiosk_display *d, int y, int h)
{
    if (!d->renderer || h <= 0 || h > d->h)
        return NULL;
    if (d->band && d->band_h != h) {
        SDL_DestroyTexture(d->band);
        kiosk_canvas_free(d->band_canvas);
        d->band = NULL;
        d->band_canvas = NULL;
    }
    if (!d->band) {
        d->band = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888,
                                    SDL_TEXTUREACCESS_STREAMING, d->w, h);
        d->band_canvas = kiosk_canvas_new_bound(d->w, h, d->fonts);
        d->band_h = h;
        if (!d->band || !d->band_canvas) {
            kiosk_display_band_off(d);
            return NULL;
        }
        SDL_SetTextureBlendMode(d->band, SDL_BLENDMODE_NONE);
    }
    void *pixels;
    int pitch;
    if (SDL_LockTexture(d->band, NULL, &pixels, &pitch) != 0)
        return NULL;
    if (kiosk_canvas_bind(d->band_canvas, pixels, pitch) != 0) {
        SDL_UnlockTexture(d->band);
        return NULL;
    }
    d->band_y = y;
    return d->band_canvas;
}

void kiosk_display_band_end(struct kiosk_display *d)
{
    kiosk_canvas_unbind(d->band_canvas);
    SDL_UnlockTexture(d->band);
    d->band_on = true;
}

void kiosk_display_band_off(struct kiosk_display *d)
{
    if (d->band)
        SDL_DestroyTexture(d->band);
    kiosk_canvas_free(d->band_canvas);
    d->band = NULL;
    d->band_canvas = NULL;
    d->band_on = false;
    d->band_h = 0;
}

void kiosk_display_present(struct kiosk_display *d, int cur, double p, bool push)
{
    int dx, dy;
    kiosk_pixel_shift(time(NULL), d->out_w, d->out_h, &dx, &dy);
    /* the few pixels the shift uncovers take the theme's background */
    SDL_SetRenderDrawColor(d->renderer, (d->bg >> 16) & 0xFF, (d->bg >> 8) & 0xFF, d->bg & 0xFF,
                           255);
    if (!d->tex[cur]) { /* nothing drawn yet: the background alone */
        SDL_RenderClear(d->renderer);
        SDL_RenderPresent(d->renderer);
        return;
    }
    if (d->software) {
        /* the software renderer draws into the window's framebuffer, which keeps what it
         * had: only the strips the shift leaves are filled, not the whole screen again */
        SDL_Rect strips[2] = {
            {dx > 0 ? 0 : d->out_w + dx, 0, abs(dx), d->out_h},
            {0, dy > 0 ? 0 : d->out_h + dy, d->out_w, abs(dy)},
        };
        SDL_RenderFillRects(d->renderer, strips, 2);
    } else {
        SDL_RenderClear(d->renderer); /* a GPU's back buffer holds nothing to keep */
    }
    /* the picture on screen is opaque, whatever a fade left on its texture */
    SDL_SetTextureAlphaMod(d->tex[cur], 255);
    SDL_SetTextureBlendMode(d->tex[cur], SDL_BLENDMODE_NONE);
    if (p <= 0 || !d->tex[1 - cur]) {
        copy_slide(d, d->tex[cur], 0, dx, dy);
        if (p <= 0 && d->tex[1 - cur]) { /* no transition: the other picture is let go */
            SDL_DestroyTexture(d->tex[1 - cur]);
            d->tex[1 - cur] = NULL;
        }
    } else {
        double e = p * p * (3 - 2 * p); /* ease in and out */
        if (push) {
            int slide_x = (int)lround(e * d->w);
            copy_slide(d, d->tex[cur], -slide_x, dx, dy);
            copy_slide(d, d->tex[1 - cur], d->w - slide_x, dx, dy);
        } else {
            SDL_SetTextureAlphaMod(d->tex[1 - cur], (Uint8)lround(255 * e));
            SDL_SetTextureBlendMode(d->tex[1 - cur], SDL_BLENDMODE_BLEND);
            copy_slide(d, d->tex[cur], 0, dx, dy);
            copy_slide(d, d->tex[1 - cur], 0, dx, dy);
        }
    }
    if (d->band_on) /* the ticker, moved on apart from the slide under it */
        copy_turned(d, d->band, 0, d->band_y, d->w, d->band_h, dx, dy);
    SDL_RenderPresent(d->renderer);
    d->shown = true;
}

void kiosk_display_settle(struct kiosk_display *d)
{
    if (d->fullscreen_later && d->shown) {
        d->fullscreen_later = false;
        SDL_SetWindowFullscreen(d->window, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
}

void kiosk_display_black(struct kiosk_display *d)
{
    if (!d->renderer)
        return;
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    SDL_RenderPresent(d->renderer);
}

/* The DRM device SDL's KMSDRM backend scans out through, or -1. */
static int kmsdrm_fd(struct kiosk_display *d)
{
#if defined(SDL_VIDEO_DRIVER_KMSDRM)
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (d->window && SDL_GetWindowWMInfo(d->window, &info) && info.subsystem == SDL_SYSWM_KMSDRM)
        return info.info.kmsdrm.drm_fd;
#else
    (void)d;
#endif
    return -1;
}

int kiosk_display_dpms(struct kiosk_display *d, bool on, int *done)
{
    *done = 0;
    int fd = kmsdrm_fd(d);
    drmModeRes *res = fd >= 0 ? drmModeGetResources(fd) : NULL;
    if (!res)
        return -1;
    int failed = 0;
    for (int i = 0; i < res->count_connectors; i++) {
        drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);
        if (!c)
            continue;
        for (int p = 0; c->connection == DRM_MODE_CONNECTED && p < c->count_props; p++) {
            drmModePropertyRes *prop = drmModeGetProperty(fd, c->props[p]);
            if (prop && strcmp(prop->name, "DPMS") == 0) {
                if (drmModeConnectorSetProperty(fd, c->connector_id, prop->prop_id,
                                                on ? DRM_MODE_DPMS_ON : DRM_MODE_DPMS_OFF) == 0)
                    (*done)++;
                else
                    failed++;
            }
            drmModeFreeProperty(prop);
        }
        drmModeFreeConnector(c);
    }
    drmModeFreeResources(res);
    return failed || !*done ? -1 : 0;
}

/* ---- connectors ---- */

const char *kiosk_connectors_dir(void)
{
    const char *dir = getenv("KIOSK_DRM_SYSFS");
    return dir && *dir ? dir : "/sys/class/drm";
}

/* A connector's directory is named cardN-TYPE-M (card0-HDMI-A-1); cardN alone is the GPU
 * and renderDN its render node. */
static bool is_connector(const char *name)
{
    if (strncmp(name, "card", 4) != 0)
        return false;
    const char *p = name + 4;
    while (*p >= '0' && *p <= '9')
        p++;
    return p > name + 4 && *p == '-' && p[1];
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void kiosk_connectors_read(const char *dir, struct kiosk_connectors *out)
{
    memset(out, 0, sizeof *out);
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    /* readdir's order is the directory's, not sorted: combine the names order-free */
    uint64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (!is_connector(e->d_name))
            continue;
        char path[4352], status[32] = "";
        snprintf(path, sizeof path, "%s/%s/status", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        if (!fgets(status, sizeof status, f))
            status[0] = 0;
        fclose(f);
        out->n++;
        /* "connected", "disconnected", or "unknown" from a connector that cannot tell: a
         * screen may be there, so it counts */
        if (strncmp(status, "disconnected", 12) != 0) {
            out->connected++;
            sum += fnv1a(14695981039346656037ULL, e->d_name);
        }
    }
    closedir(dp);
    out->fingerprint = sum;
}

enum kiosk_display_action kiosk_display_decide(bool open, const struct kiosk_connectors *before,
                                               const struct kiosk_connectors *now, bool retry_due)
{
    if (now->n == 0) /* the kernel tells nothing: only SDL can say, by failing to open */
        return open || !retry_due ? KIOSK_DISPLAY_KEEP : KIOSK_DISPLAY_OPEN;
    bool changed = now->fingerprint != before->fingerprint || now->connected != before->connected;
    if (open) {
        if (now->connected == 0)
            return KIOSK_DISPLAY_CLOSE;
        return changed ? KIOSK_DISPLAY_REOPEN : KIOSK_DISPLAY_KEEP;
    }
    if (now->connected == 0)
        return KIOSK_DISPLAY_KEEP;
    return changed || retry_due ? KIOSK_DISPLAY_OPEN : KIOSK_DISPLAY_KEEP;
}
