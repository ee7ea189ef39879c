/* The theme_color service: the slide's theme, one colour per role. */
#include "host_services.h"

kiosk_color kiosk_host_theme_color(const struct kiosk_host *host, enum kiosk_theme_color role)
{
    const struct kiosk_host_ctx *c = kiosk_host_ctx_of(host);
    if (role < KIOSK_COLOR_BACKGROUND || role > KIOSK_COLOR_WARNING)
        return c->theme->colors[KIOSK_COLOR_TEXT];
    return c->theme->colors[role];
}
