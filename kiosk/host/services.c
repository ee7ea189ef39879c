/* The host table of one slide: every service of struct kiosk_host, in the order of
 * plugin.h. The services themselves live by job: theme.c, settings.c, log.c, format.c,
 * data_views.c and pictures.c. */
#include "host_services.h"

#include <string.h>

void kiosk_host_init(struct kiosk_host_ctx *ctx, const char *name, enum kiosk_lang_code lang,
                     const struct kiosk_theme *theme, FILE *log)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->name = name;
    ctx->lang = lang;
    ctx->theme = theme ? theme : kiosk_theme_default();
    ctx->log = log;
    ctx->api = (struct kiosk_host){
        .abi_version = KIOSK_PLUGIN_ABI_VERSION,
        .struct_size = sizeof(struct kiosk_host),
        .log = kiosk_host_log,
        .setting_string = kiosk_host_setting_string,
        .setting_int = kiosk_host_setting_int,
        .setting_double = kiosk_host_setting_double,
        .theme_color = kiosk_host_theme_color,
        .language = kiosk_host_language,
        .format_number = kiosk_host_format_number,
        .fill_rect = kiosk_host_fill_rect,
        .stroke_line = kiosk_host_stroke_line,
        .stroke_arc = kiosk_host_stroke_arc,
        .stroke_polyline = kiosk_host_stroke_polyline,
        .fill_circle = kiosk_host_fill_circle,
        .draw_text = kiosk_host_draw_text,
        .measure_text = kiosk_host_measure_text,
        .draw_paragraph = kiosk_host_draw_paragraph,
        .data_ref = kiosk_host_data_ref,
        .data_unref = kiosk_host_data_unref,
        .data_period = kiosk_host_data_period,
        .data_age_s = kiosk_host_data_age_s,
        .data_scope_count = kiosk_host_data_scope_count,
        .data_scope = kiosk_host_data_scope,
        .data_find_scope = kiosk_host_data_find_scope,
        .data_unit = kiosk_host_data_unit,
        .data_find_unit = kiosk_host_data_find_unit,
        .data_group = kiosk_host_data_group,
        .data_metric = kiosk_host_data_metric,
        .data_insight_count = kiosk_host_data_insight_count,
        .data_insight = kiosk_host_data_insight,
        .data_trend = kiosk_host_data_trend,
        .data_trend_view = kiosk_host_data_trend_view,
        .image_load = kiosk_host_image_load,
        .image_load_bytes = kiosk_host_image_load_bytes,
        .image_size = kiosk_host_image_size,
        .image_release = kiosk_host_image_release,
        .draw_image = kiosk_host_draw_image,
        .draw_qr = kiosk_host_draw_qr,
        .format_time = kiosk_host_format_time,
        .source_data = kiosk_host_source_data,
        .request_redraw = kiosk_host_request_redraw,
    };
}
