#include "score.h"

#include <stdio.h>
#include <string.h>

char *kiosk_format_fixed(double v, int decimals, enum kiosk_lang_code lang, char *buf, size_t size)
{
    if (isnan(v)) {
        snprintf(buf, size, "—");
        return buf;
    }
    /* round first so that -0.001 prints as 0.00, not -0.00 */
    double scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    double r = (double)llround(v * scale) / scale;
    if (r == 0)
        r = 0;
    snprintf(buf, size, "%.*f", decimals, r);
    if (lang == KIOSK_LANG_CODE_VI) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = ',';
    }
    return buf;
}

char *kiosk_format_short(double v, enum kiosk_lang_code lang, char *buf, size_t size)
{
    if (!isnan(v) && kiosk_cents(v) % 100 == 0)
        return kiosk_format_fixed(v, 0, lang, buf, size);
    return kiosk_format_fixed(v, 2, lang, buf, size);
}
