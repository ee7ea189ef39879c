#include "show.h"

#include "breaker.h"
#include "core/array.h"
#include "core/freshness.h"
#include "core/timefmt.h"
#include "host/worker.h"
#include "kiosk/slide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void slide_failed(struct kiosk_show *show, const struct kiosk_slide_conf *sc,
                         const char *why)
{
    if (show->log)
        fprintf(show->log, "slide %s: left out: %s\n", sc->name, why);
    struct kiosk_failed_slide f = {
        .name = strdup(sc->name), .plugin = strdup(sc->plugin), .why = strdup(why)};
    if (!f.name || !f.plugin || !f.why)
        show->failed_dropped++;
    else if (KIOSK_ARRAY_APPEND(show->failed, show->n_failed, f, 0, &show->failed_dropped) == 0)
        return;
    free(f.name);
    free(f.plugin);
    free(f.why);
}

/* Around every call into a slide's plugin: the boundary's slide, the breaker's note. */
static void calling(const struct kiosk_show *show, const struct kiosk_slide *sl, const char *what)
{
    kiosk_breaker_enter(show->breaker, sl->name, what);
    kiosk_host_enter(&sl->host);
}

static void called(const struct kiosk_show *show)
{
    kiosk_host_leave();
    kiosk_breaker_leave(show->breaker);
}

static void slide_free(struct kiosk_slide *sl)
{
    kiosk_host_drop_images(&sl->host); /* what its plugin left behind */
    free(sl->name);
    free(sl->source);
    free(sl->host.source.bytes);
    kiosk_settings_free(&sl->settings);
}

/* The slide's own copy of what the config says of it: the config may go, the slide stays. */
static int slide_make(struct kiosk_slide *sl, const struct kiosk_slide_conf *sc,
                      const struct kiosk_loaded_plugin *p, const struct kiosk_show *show)
{
    memset(sl, 0, sizeof *sl);
    sl->plugin = p;
    sl->duration_s = sc->duration_s;
    sl->interval_s = sc->interval_s;
    sl->when = sc->when;
    sl->fallback = sc->fallback;
    if (!(sl->name = strdup(sc->name)) || kiosk_keyvals_copy(&sl->settings.kv, &sc->kv) ||
        (sc->source && !(sl->source = strdup(sc->source)))) {
        slide_free(sl);
        return KIOSK_ENOMEM;
    }
    /* the settings report their problems under the slide's name, with the plugin's table */
    sl->settings.owner = sl->name;
    sl->settings.log = show->log;
    sl->settings.decls = p->settings;
    sl->settings.n_decls = p->n_settings;
    kiosk_host_init(&sl->host, sl->name, show->lang, show->theme, show->log);
    sl->host.source.url = sl->source;
    sl->worker_slide = -1;
    return 0;
}

/* A slide of a plugin in a worker: made there; 0, or the create() result (or -1: the
 * worker faulted) with why said. */
static int slide_create_in_worker(struct kiosk_slide *sl, const struct kiosk_slide_conf *sc,
                                  char *why, size_t why_size)
{
    struct kiosk_worker *w = sl->plugin->worker;
    int rc = -1;
    sl->worker_slide = kiosk_worker_add_slide(w, sc->name, &sc->kv, &rc);
    if (sl->worker_slide < 0) {
        const struct kiosk_worker_fault *f = kiosk_worker_last_fault(w);
        snprintf(why, why_size, "the worker of plugin %s failed in create(): %s",
                 kiosk_worker_name(w), f ? f->what : "out of memory");
        return -1;
    }
    if (rc != 0)
        snprintf(why, why_size, "create() of plugin %s failed (%d)", kiosk_worker_name(w), rc);
    return rc;
}

size_t kiosk_show_build(struct kiosk_show *show, const struct kiosk_config *c,
                        struct kiosk_plugins *plugins, FILE *log)
{
    return kiosk_show_build_guarded(show, c, plugins, log, NULL);
}

size_t kiosk_show_build_guarded(struct kiosk_show *show, const struct kiosk_config *c,
                                struct kiosk_plugins *plugins, FILE *log,
                                struct kiosk_breaker *breaker)
{
    memset(show, 0, sizeof *show);
    show->breaker = breaker;
    /* quarantined slides stay out while others are left to show; when they are all there
     * is, they are shown anyway: a screen that may crash beats one that is surely black */
    bool honour_quarantine = false;
    for (size_t i = 0; i < c->n_slides && !honour_quarantine; i++)
        honour_quarantine =
            !kiosk_breaker_quarantined(breaker, c->slides[i].name, (int64_t)time(NULL), NULL);
    if (!honour_quarantine && breaker && breaker->n && log)
        fprintf(log, "kiosk run: every slide is quarantined: showing them anyway\n");
    show->theme = kiosk_theme_find(c->theme ? c->theme : "dark");
    show->lang = c->lang;
    show->stale_after_h = c->stale_after_h;
    show->log = log;
    show->slides = calloc(c->n_slides ? c->n_slides : 1, sizeof *show->slides);
    if (!show->slides)
        return 0;
    for (size_t i = 0; i < c->n_slides; i++) {
        const struct kiosk_slide_conf *sc = &c->slides[i];
        const struct kiosk_loaded_plugin *p = kiosk_plugins_find(plugins, sc->plugin);
        char why[256];
        int64_t until = 0;
        if (honour_quarantine &&
            kiosk_breaker_quarantined(breaker, sc->name, (int64_t)time(NULL), &until)) {
            time_t t = (time_t)until;
            struct tm tm;
            gmtime_r(&t, &tm);
            snprintf(why, sizeof why,
                     "quarantined until %04d-%02d-%02d %02d:%02d UTC: the kiosk died while "
                     "calling its plugin %s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     sc->plugin);
            slide_failed(show, sc, why);
            continue;
        }
        if (!p) {
            snprintf(why, sizeof why, "no plugin named \"%s\" is loaded", sc->plugin);
            slide_failed(show, sc, why);
            continue;
        }
        struct kiosk_slide *sl = &show->slides[show->n];
        if (slide_make(sl, sc, p, show)) {
            slide_failed(show, sc, "out of memory");
            continue;
        }
        int rc;
        if (p->worker) {
            rc = slide_create_in_worker(sl, sc, why, sizeof why);
        } else {
            calling(show, sl, "create()");
            rc = p->desc.create(&sl->host.api, &sl->settings, &sl->self);
            called(show);
            if (rc != 0)
                snprintf(why, sizeof why, "create() of plugin %s failed (%d)", p->desc.name, rc);
        }
        if (rc != 0) {
            slide_failed(show, sc, why);
            slide_free(sl);
            continue;
        }
        show->n++;
    }
    return show->n;
}

void kiosk_show_free(struct kiosk_show *show)
{
    for (size_t i = 0; i < show->n; i++) {
        /* a worker's slides are destroyed by the worker when it ends */
        if (!show->slides[i].plugin->worker) {
            calling(show, &show->slides[i], "destroy()");
            show->slides[i].plugin->desc.destroy(show->slides[i].self);
            called(show);
        }
        slide_free(&show->slides[i]);
    }
    free(show->slides);
    for (size_t i = 0; i < show->n_failed; i++) {
        free(show->failed[i].name);
        free(show->failed[i].plugin);
        free(show->failed[i].why);
    }
    free(show->failed);
    memset(show, 0, sizeof *show);
}

float kiosk_show_scale(int width, int height)
{
    if (height > width)
        return fminf((float)width / 1080.0f, (float)height / 1920.0f);
    return fminf((float)width / 1920.0f, (float)height / 1080.0f);
}

char *kiosk_show_date(int year, int month, int day, enum kiosk_lang_code lang, char *buf,
                      size_t size)
{
    return kiosk_format_date(year, month, day, lang, buf, size);
}

char *kiosk_show_iso_date(const char *iso, enum kiosk_lang_code lang, char *buf, size_t size)
{
    int y, m, d, n = 0;
    if (sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && m >= 1 && m <= 12 &&
        d >= 1 && d <= 31)
        return kiosk_show_date(y, m, d, lang, buf, size);
    snprintf(buf, size, "%s", iso);
    return buf;
}

char *kiosk_show_time_date(const struct tm *tm, const char *sep, enum kiosk_lang_code lang,
                           char *buf, size_t size)
{
    char hm[16], date[48];
    kiosk_format_tm(tm, KIOSK_TIME_HM, lang, hm, sizeof hm);
    kiosk_format_tm(tm, KIOSK_TIME_DATE, lang, date, sizeof date);
    snprintf(buf, size, "%s%s%s", hm, sep, date);
    return buf;
}

/* "5 ngày" / "5 days", "3 giờ" / "3 hours", "12 phút" / "12 minutes" */
static void age_text(double s, enum kiosk_lang_code lang, char *buf, size_t size)
{
    bool vi = lang == KIOSK_LANG_CODE_VI;
    if (s >= 2 * 86400)
        snprintf(buf, size, vi ? "%.0f ngày" : "%.0f days", floor(s / 86400));
    else if (s >= 2 * 3600)
        snprintf(buf, size, vi ? "%.0f giờ" : "%.0f hours", floor(s / 3600));
    else
        snprintf(buf, size, vi ? "%.0f phút" : "%.0f minutes", floor(fmax(s, 0) / 60));
}

static void status_line(struct kiosk_show *show, struct kiosk_slide *sl, kiosk_canvas *c,
                        const struct kiosk_snapshot *snap, float top, int64_t now_ms, float s)
{
    const struct kiosk_host *h = &sl->host.api;
    float W = (float)kiosk_canvas_width(c), H = (float)kiosk_canvas_height(c), pad = 48 * s;
    bool vi = show->lang == KIOSK_LANG_CODE_VI;
    char clock[64], mid[256], right[256], age[64], when[64];
    time_t now = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&now, &tm);
    kiosk_show_time_date(&tm, "  ", show->lang, clock, sizeof clock);
    if (show->clock_unset) /* a wrong year is worse than none */
        snprintf(clock, sizeof clock, "%s", vi ? "⚠ Chưa đặt giờ" : "⚠ Clock not set");
    h->fill_rect(c, 0, top, W, H - top, 0, h->theme_color(h, KIOSK_COLOR_SURFACE));
    float ty = top + (H - top - 34 * s) / 2;
    struct kiosk_text_style st = kiosk_style(h, 30 * s, 1, KIOSK_COLOR_TEXT);
    if (show->clock_unset)
        st = kiosk_style(h, 30 * s, 1, KIOSK_COLOR_WARNING);
    h->draw_text(c, &st, pad, ty, clock);
    if (!snap) {
        st = kiosk_style(h, 30 * s, 0, KIOSK_COLOR_WARNING);
        st.align = KIOSK_ALIGN_RIGHT;
        h->draw_text(c, &st, W - pad, ty, vi ? "Đang chờ dữ liệu…" : "Waiting for data…");
        return;
    }
    struct kiosk_freshness fr = kiosk_data_freshness(snap, (int64_t)now);
    /* with the clock not set, ages mean nothing: no mark */
    bool failing =
        !show->clock_unset && kiosk_sources_failing(show->failing_s, show->stale_after_h);
    /* stale_after_h = 0: no mark on screen at all (the demo, whose data is old) */
    bool stale =
        !show->clock_unset && show->stale_after_h > 0 && (fr.state == KIOSK_DATA_STALE || failing);
    if (snap->produced_unix) {
        time_t produced = (time_t)snap->produced_unix;
        localtime_r(&produced, &tm);
        kiosk_show_time_date(&tm, " ", show->lang, when, sizeof when);
    } else { /* the period's last day, whatever the source wrote it as */
        kiosk_show_iso_date(snap->end, show->lang, when, sizeof when);
    }
    snprintf(mid, sizeof mid, "%s  ·  %s %s", snap->period->label,
             vi ? "Dữ liệu lúc" : "Data as of", when);
    struct kiosk_text_style mst = kiosk_style(h, 30 * s, 0, KIOSK_COLOR_MUTED);
    float mid_x = pad + 330 * s, mid_w = 0;
    h->measure_text(c, &mst, mid, &mid_w, NULL);
    if (stale && failing) {
        age_text(show->failing_s, show->lang, age, sizeof age);
        snprintf(right, sizeof right, "⚠ %s %s",
                 vi ? "Mất kết nối nguồn:" : "Sources failing:", age);
        st = kiosk_style(h, 30 * s, 1, KIOSK_COLOR_WARNING);
    } else if (stale) {
        age_text(fr.age_s, show->lang, age, sizeof age);
        snprintf(right, sizeof right, "⚠ %s %s", vi ? "Dữ liệu cũ:" : "Stale data:", age);
        st = kiosk_style(h, 30 * s, 1, KIOSK_COLOR_WARNING);
    } else {
        snprintf(right, sizeof right, "%s", snap->table.source ? snap->table.source : "");
        st = kiosk_style(h, 26 * s, 0, KIOSK_COLOR_MUTED);
    }
    /* the middle text keeps its size; the right one fits what is left, and the source
     * (not the stale mark) gives way on a narrow screen */
    float room = W - pad - (mid_x + mid_w) - 40 * s;
    if (!stale && room < 200 * s)
        right[0] = '\0';
    if (stale && room < 200 * s) {
        mst.max_width = W - pad - mid_x - 300 * s;
        room = 260 * s;
    }
    h->draw_text(c, &mst, mid_x, ty, mid);
    st.align = KIOSK_ALIGN_RIGHT;
    st.max_width = room;
    if (right[0])
        h->draw_text(c, &st, W - pad, ty, right);
}

/* The frame a slide is drawn in on a canvas of w x h: the canvas above the status line. */
static struct kiosk_frame frame_for(const struct kiosk_snapshot *snap, int w, int h,
                                    double elapsed_ms, int64_t now_unix_ms)
{
    float s = kiosk_show_scale(w, h), status_h = 72 * s;
    return (struct kiosk_frame){.struct_size = sizeof(struct kiosk_frame),
                                .width = w,
                                .height = (int)((float)h - status_h),
                                .elapsed_ms = elapsed_ms,
                                .data = snap ? kiosk_data_of(snap) : NULL,
                                .scale = s,
                                .now_unix_ms = now_unix_ms};
}

/* The frame a slide's body is drawn in at now: less the banner's band when there is one
 * (as kiosk_show_render gives it). */
static struct kiosk_frame body_frame(const struct kiosk_show *show,
                                     const struct kiosk_snapshot *snap, int w, int h,
                                     double elapsed_ms, int64_t now_unix_ms)
{
    struct kiosk_frame f = frame_for(snap, w, h, elapsed_ms, now_unix_ms);
    if (show->banner && kiosk_banner_at(show->banner, now_unix_ms / 1000).text)
        f.height -= (int)kiosk_banner_height(f.scale);
    return f;
}

/* A worker's slide has its own source's latest bytes before each call into it. */
static void give_source(const struct kiosk_slide *sl)
{
    kiosk_worker_give_source(sl->plugin->worker, sl->worker_slide, &sl->host.source);
}

bool kiosk_show_has_content(const struct kiosk_show *show, size_t i,
                            const struct kiosk_snapshot *snap, int width, int height)
{
    if (i >= show->n)
        return false;
    const struct kiosk_slide *sl = &show->slides[i];
    struct kiosk_frame f = frame_for(snap, width, height, 0, 0);
    /* a slide whose worker is down (or faults now) is out of the rotation */
    if (sl->plugin->worker && (give_source(sl), true))
        return kiosk_worker_has_content(sl->plugin->worker, sl->worker_slide, width, height, &f,
                                        (struct kiosk_snapshot *)snap) == 1;
    if (!sl->plugin->desc.has_content)
        return true;
    calling(show, sl, "has_content()");
    int has = sl->plugin->desc.has_content(sl->self, &f);
    called(show);
    return has != 0;
}

double kiosk_show_turn_s(const struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                         int width, int height)
{
    if (i >= show->n)
        return 0;
    const struct kiosk_slide *sl = &show->slides[i];
    struct kiosk_frame f = frame_for(snap, width, height, 0, 0);
    if (sl->plugin->worker) {
        double t = 0;
        give_source(sl);
        kiosk_worker_turn_s(sl->plugin->worker, sl->worker_slide, width, height, &f,
                            (struct kiosk_snapshot *)snap, &t);
        return t > 0 && t < 1e9 ? t : 0;
    }
    if (!sl->plugin->desc.turn_s)
        return 0;
    calling(show, sl, "turn_s()");
    double t = sl->plugin->desc.turn_s(sl->self, &f);
    called(show);
    return t > 0 && t < 1e9 ? t : 0;
}

void kiosk_show_prepare(struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                        int width, int height, int64_t now_unix_ms)
{
    if (i >= show->n || !show->slides[i].plugin->worker)
        return;
    struct kiosk_slide *sl = &show->slides[i];
    struct kiosk_frame f = body_frame(show, snap, width, height, 0, now_unix_ms);
    if (kiosk_show_has_content(show, i, snap, width, height)) /* the source given there */
        kiosk_worker_render_ahead(sl->plugin->worker, sl->worker_slide, width, height,
                                  show->theme->colors[KIOSK_COLOR_BACKGROUND], &f,
                                  (struct kiosk_snapshot *)snap);
}

int kiosk_show_ready(struct kiosk_show *show, size_t i, const struct kiosk_snapshot *snap,
                     int width, int height, double elapsed_ms, int64_t now_unix_ms, int wait_ms)
{
    if (i >= show->n || !show->slides[i].plugin->worker)
        return 1;
    struct kiosk_slide *sl = &show->slides[i];
    struct kiosk_worker *w = sl->plugin->worker;
    if (!kiosk_show_has_content(show, i, snap, width, height)) /* the source given there */
        return kiosk_worker_ready(w) ? 1 : -1; /* the waiting notice, or out of the rotation */
    struct kiosk_frame f = body_frame(show, snap, width, height, elapsed_ms, now_unix_ms);
    return kiosk_worker_picture_ready(w, sl->worker_slide, width, height,
                                      show->theme->colors[KIOSK_COLOR_BACKGROUND], &f,
                                      (struct kiosk_snapshot *)snap, wait_ms);
}

int kiosk_show_render(struct kiosk_show *show, size_t i, kiosk_canvas *c,
                      const struct kiosk_snapshot *snap, double elapsed_ms, int64_t now_unix_ms)
{
    if (i >= show->n)
        return KIOSK_REDRAW_NEVER;
    struct kiosk_slide *sl = &show->slides[i];
    int w = kiosk_canvas_width(c), h = kiosk_canvas_height(c);
    float s = kiosk_show_scale(w, h);
    kiosk_canvas_clear(c, show->theme->colors[KIOSK_COLOR_BACKGROUND]);
    struct kiosk_frame f = frame_for(snap, w, h, elapsed_ms, now_unix_ms);
    float status_top = (float)f.height;
    /* the banner takes its band from the slide's room: the status line keeps its place */
    struct kiosk_banner_now band = {0};
    if (show->banner)
        band = kiosk_banner_at(show->banner, now_unix_ms / 1000);
    float band_h = band.text ? kiosk_banner_height(s) : 0;
    f.height -= (int)band_h;
    if (band.text && band.top)
        kiosk_canvas_set_origin(c, 0, band_h, (float)w, (float)f.height);
    int hint;
    if (sl->plugin->worker) {
        /* drawn by the worker into the shared canvas, painted here; a fault draws the
         * notice once and the slide is out of the rotation from the next turn */
        bool asked = kiosk_worker_pending(sl->plugin->worker, sl->worker_slide);
        if (!asked)
            give_source(sl);
        sl->faulted = (!asked && !kiosk_show_has_content(show, i, snap, w, h)) ||
                      kiosk_worker_render(sl->plugin->worker, sl->worker_slide, c,
                                          show->theme->colors[KIOSK_COLOR_BACKGROUND], &f,
                                          (struct kiosk_snapshot *)snap, &hint) != 0;
        if (sl->faulted) {
            kiosk_canvas_clear(c, show->theme->colors[KIOSK_COLOR_BACKGROUND]);
            hint = kiosk_draw_notice(&sl->host.api, c, &f, "Đang chờ dữ liệu để hiển thị",
                                     "Waiting for data to show");
        }
    } else if (kiosk_show_has_content(show, i, snap, w, h)) {
        calling(show, sl, "render()");
        hint = sl->plugin->desc.render(sl->self, c, &f);
        called(show);
        if (kiosk_show_take_redraw(show, i))
            hint = KIOSK_REDRAW_NOW; /* the display's next frame */
    } else /* the playlist has nothing to show: one notice, never a black screen */
        hint = kiosk_draw_notice(&sl->host.api, c, &f, "Đang chờ dữ liệu để hiển thị",
                                 "Waiting for data to show");
    if (band.text && band.top)
        kiosk_canvas_reset_origin(c);
    float band_y = band.top ? 0 : status_top - band_h;
    show->ticker.on =
        band.text && kiosk_banner_draw(&band, c, &sl->host.api, band_y, s,
                                       kiosk_banner_scroll_ms(show->banner, &band, now_unix_ms)) ==
                         KIOSK_REDRAW_NOW;
    show->ticker.y = band_y;
    show->ticker.h = band_h;
    show->ticker.scale = s;
    if (show->ticker.on && !show->ticker_apart)
        hint = KIOSK_REDRAW_NOW; /* a ticker: at the display's refresh rate */
    status_line(show, sl, c, snap, status_top, now_unix_ms, s);
    if (band.text && band.text == show->banner->remote_text && show->banner->remote_until) {
        int64_t left = show->banner->remote_until * 1000 - now_unix_ms; /* gone on time */
        if (left > 0 && left < 60000 && (hint < 0 || left < hint))
            hint = (int)left;
    }
    /* the clock in the status line changes every minute */
    int to_minute = (int)(60000 - now_unix_ms % 60000) + 1;
    if (hint < 0 || hint > to_minute) /* any negative is "never", not a busy redraw */
        hint = to_minute;
    return hint;
}

bool kiosk_show_scheduled(const struct kiosk_show *show, size_t i, time_t now)
{
    if (i < show->n && show->slides[i].fallback)
        return false; /* not a turn of its own */
    if (i >= show->n || !kiosk_when_set(&show->slides[i].when))
        return i < show->n;
    struct tm tm;
    localtime_r(&now, &tm);
    return kiosk_when_on(&show->slides[i].when, &tm);
}

size_t kiosk_show_fallback(const struct kiosk_show *show)
{
    for (size_t i = 0; i < show->n; i++)
        if (show->slides[i].fallback)
            return i;
    for (size_t i = 0; i < show->n; i++)
        if (strcmp(show->slides[i].plugin->desc.name, "leaderboard") == 0)
            return i;
    return 0;
}

bool kiosk_show_take_redraw(struct kiosk_show *show, size_t i)
{
    if (i >= show->n)
        return false;
    struct kiosk_slide *sl = &show->slides[i];
    if (sl->plugin->worker)
        return kiosk_worker_take_redraw(sl->plugin->worker, sl->worker_slide);
    if (!sl->host.redraw_requested)
        return false;
    sl->host.redraw_requested = false;
    return true;
}
