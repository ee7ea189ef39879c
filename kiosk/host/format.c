/* The screen's language and numbers written in it. */
#include "host_services.h"

enum kiosk_lang_code kiosk_host_language(const struct kiosk_host *host)
{
    return kiosk_host_ctx_of(host)->lang;
}

char *kiosk_host_format_number(const struct kiosk_host *host, double value, int decimals, char *buf,
                               size_t size)
{
    if (decimals < 0 || decimals > 6)
        decimals = 2;
    return kiosk_format_fixed(value, decimals, kiosk_host_ctx_of(host)->lang, buf, size);
}
