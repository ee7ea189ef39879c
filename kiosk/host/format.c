/* The screen's language and numbers written in it. */
#include "host_services.h"

enum kiosk_lang_code kiosk_host_language(const struct kiosk_host *host)
{
    return host ? kiosk_host_ctx_of(host)->lang : KIOSK_LANG_CODE_VI;
}

char *kiosk_host_format_number(const struct kiosk_host *host, double value, int decimals, char *buf,
                               size_t size)
{
    if (!buf || size == 0) {
        kiosk_host_refuse(KIOSK_MISUSE_FORMAT,
                          "format_number: expected a buffer and its size, found %s of %zu bytes",
                          buf ? "a buffer" : "NULL", size);
        return buf;
    }
    if (decimals < 0 || decimals > 6)
        decimals = 2;
    return kiosk_format_fixed(value, decimals, kiosk_host_language(host), buf, size);
}
