#include "timefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const months_short_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const months_en[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
/* tm_wday order: Sunday first */
static const char *const weekdays_en[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
static const char *const weekdays_vi[] = {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
                                          "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};

/* snprintf cuts at a byte; a cut inside a UTF-8 character is taken back to its start */
static char *utf8_clean_end(char *buf, size_t size)
{
    size_t n = strnlen(buf, size);
    size_t i = n;
    while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0 && ((unsigned char)buf[i - 1] & 0x80)) {
        unsigned char lead = (unsigned char)buf[i - 1];
        size_t want = (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
        if (n - (i - 1) < want)
            buf[i - 1] = '\0';
    }
    return buf;
}

char *kiosk_format_date(int year, int month, int day, enum kiosk_lang_code lang, char *buf,
                        size_t size)
{
    if (lang == KIOSK_LANG_CODE_EN && month >= 1 && month <= 12)
        snprintf(buf, size, "%d %s %04d", day, months_short_en[month - 1], year);
    else
        snprintf(buf, size, "%02d/%02d/%04d", day, month, year);
    return buf;
}

char *kiosk_format_tm(const struct tm *tm, enum kiosk_time_style style, enum kiosk_lang_code lang,
                      char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    buf[0] = '\0';
    if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_wday < 0 || tm->tm_wday > 6 ||
        tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_hour < 0 || tm->tm_hour > 23 ||
        tm->tm_min < 0 || tm->tm_min > 59 || tm->tm_sec < 0 || tm->tm_sec > 60)
        return buf;
    bool en = lang == KIOSK_LANG_CODE_EN;
    int year = tm->tm_year + 1900, month = tm->tm_mon + 1;
    char date[48];
    int n = -1;
    switch (style) {
    case KIOSK_TIME_HM:
        n = snprintf(buf, size, "%02d:%02d", tm->tm_hour, tm->tm_min);
        break;
    case KIOSK_TIME_HMS:
        n = snprintf(buf, size, "%02d:%02d:%02d", tm->tm_hour, tm->tm_min, tm->tm_sec);
        break;
    case KIOSK_TIME_DATE:
        kiosk_format_date(year, month, tm->tm_mday, lang, buf, size);
        n = 0;
        break;
    case KIOSK_TIME_DATE_LONG:
        if (en)
            n = snprintf(buf, size, "%s, %d %s %d", weekdays_en[tm->tm_wday], tm->tm_mday,
                         months_en[tm->tm_mon], year);
        else
            n = snprintf(buf, size, "%s, ngày %d tháng %d năm %d", weekdays_vi[tm->tm_wday],
                         tm->tm_mday, month, year);
        break;
    case KIOSK_TIME_WEEKDAY:
        n = snprintf(buf, size, "%s", (en ? weekdays_en : weekdays_vi)[tm->tm_wday]);
        break;
    case KIOSK_TIME_DATE_TIME:
        kiosk_format_date(year, month, tm->tm_mday, lang, date, sizeof date);
        n = snprintf(buf, size, "%02d:%02d %s", tm->tm_hour, tm->tm_min, date);
        break;
    }
    if (n < 0)
        buf[0] = '\0';
    return utf8_clean_end(buf, size);
}

char *kiosk_format_unix_ms(int64_t unix_ms, enum kiosk_time_style style, enum kiosk_lang_code lang,
                           char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    /* floor, so that a time before 1970 still names its own second */
    int64_t s = unix_ms / 1000 - (unix_ms % 1000 < 0);
    time_t t = (time_t)s;
    struct tm tm;
    if ((int64_t)t != s || !localtime_r(&t, &tm)) {
        buf[0] = '\0';
        return buf;
    }
    return kiosk_format_tm(&tm, style, lang, buf, size);
}
