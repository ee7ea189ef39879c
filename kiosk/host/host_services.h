/* Inside the host layer: the services that services.c assembles into struct kiosk_host,
 * one file per job. Each is the function of the plugin.h field of the same name, which
 * documents it; other layers use services.h. */
#ifndef KIOSK_HOST_HOST_SERVICES_H
#define KIOSK_HOST_HOST_SERVICES_H

#include "services.h"

static inline const struct kiosk_host_ctx *kiosk_host_ctx_of(const struct kiosk_host *h)
{
    return (const struct kiosk_host_ctx *)h;
}

/* boundary.c: the slide whose plugin is being called, or NULL */
struct kiosk_host_ctx *kiosk_host_calling(void);
/* boundary.c: the drawing services, checked before the canvas sees them */
void kiosk_host_fill_rect(kiosk_canvas *c, float x, float y, float w, float h, float radius,
                          kiosk_color color);
void kiosk_host_stroke_line(kiosk_canvas *c, float x0, float y0, float x1, float y1, float width,
                            kiosk_color color);
void kiosk_host_stroke_arc(kiosk_canvas *c, float cx, float cy, float radius, float from_deg,
                           float to_deg, float width, kiosk_color color);
void kiosk_host_stroke_polyline(kiosk_canvas *c, const float *xy, size_t n, float width,
                                kiosk_color color);
void kiosk_host_fill_circle(kiosk_canvas *c, float cx, float cy, float radius, kiosk_color color);
float kiosk_host_draw_text(kiosk_canvas *c, const struct kiosk_text_style *style, float x, float y,
                           const char *utf8);
void kiosk_host_measure_text(kiosk_canvas *c, const struct kiosk_text_style *style,
                             const char *utf8, float *width, float *height);
float kiosk_host_draw_paragraph(kiosk_canvas *c, const struct kiosk_text_style *style, float x,
                                float y, float width, float line_height, int measure_only,
                                const char *utf8);

/* pictures.c: pictures, QR codes and time (1.3) */
kiosk_image *kiosk_host_image_load(const struct kiosk_host *host, const char *path, int max_w,
                                   int max_h);
kiosk_image *kiosk_host_image_load_bytes(const struct kiosk_host *host, const void *bytes,
                                         size_t size, int max_w, int max_h);
int kiosk_host_image_size(const kiosk_image *image, int *width, int *height);
void kiosk_host_image_release(const struct kiosk_host *host, kiosk_image *image);
void kiosk_host_draw_image(kiosk_canvas *c, const kiosk_image *image, float x, float y, float w,
                           float h, enum kiosk_fit fit);
int kiosk_host_draw_qr(kiosk_canvas *c, float x, float y, float size, const char *utf8);
char *kiosk_host_format_time(const struct kiosk_host *host, int64_t unix_ms,
                             enum kiosk_time_style style, char *buf, size_t size);

/* theme.c */
kiosk_color kiosk_host_theme_color(const struct kiosk_host *host, enum kiosk_theme_color role);

/* log.c */
void kiosk_host_log(const struct kiosk_host *host, enum kiosk_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* format.c */
enum kiosk_lang_code kiosk_host_language(const struct kiosk_host *host);
char *kiosk_host_format_number(const struct kiosk_host *host, double value, int decimals, char *buf,
                               size_t size);

/* settings.c */
const char *kiosk_host_setting_string(const kiosk_settings *s, const char *key, const char *def);
long kiosk_host_setting_int(const kiosk_settings *s, const char *key, long def, long min, long max);
double kiosk_host_setting_double(const kiosk_settings *s, const char *key, double def, double min,
                                 double max);

/* data_views.c */
const kiosk_data *kiosk_host_data_ref(const kiosk_data *d);
void kiosk_host_data_unref(const kiosk_data *d);
int kiosk_host_data_period(const kiosk_data *d, struct kiosk_period_view *out);
double kiosk_host_data_age_s(const kiosk_data *d);
size_t kiosk_host_data_scope_count(const kiosk_data *d);
int kiosk_host_data_scope(const kiosk_data *d, size_t scope, struct kiosk_scope_view *out);
long kiosk_host_data_find_scope(const kiosk_data *d, const char *kind, const char *parent);
int kiosk_host_data_unit(const kiosk_data *d, size_t scope, size_t index,
                         struct kiosk_unit_view *out);
int kiosk_host_data_find_unit(const kiosk_data *d, const char *id, size_t *scope, size_t *index);
int kiosk_host_data_group(const kiosk_data *d, size_t scope, size_t index, size_t group,
                          struct kiosk_group_view *out);
int kiosk_host_data_metric(const kiosk_data *d, size_t scope, size_t index, size_t metric,
                           struct kiosk_metric_view *out);
size_t kiosk_host_data_insight_count(const kiosk_data *d);
int kiosk_host_data_insight(const kiosk_data *d, size_t i, struct kiosk_insight_view *out);
size_t kiosk_host_data_trend(const kiosk_data *d, const char *unit_id,
                             struct kiosk_trend_point *out, size_t max);
size_t kiosk_host_data_trend_view(const kiosk_data *d, const char *unit_id,
                                  struct kiosk_trend_view *out, size_t max);

/* source.c */
int kiosk_host_source_data(const struct kiosk_host *host, struct kiosk_source_view *out);
void kiosk_host_request_redraw(const struct kiosk_host *host);

#endif
