/* Dates and times as the screen's language writes them: one piece of code for the status
 * line and for the plugins' format_time service. Names only, no locale: Vietnamese and
 * English weekdays and months are written out here. */
#ifndef KIOSK_CORE_TIMEFMT_H
#define KIOSK_CORE_TIMEFMT_H

#include "kiosk/plugin.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A date: 31/08/2026 in Vietnamese, 31 Aug 2026 in English (month 1-12). Returns buf. */
char *kiosk_format_date(int year, int month, int day, enum kiosk_lang_code lang, char *buf,
                        size_t size);
/* A broken-down local time in a style of enum kiosk_time_style: "07:30", "07:30:05",
 * "06/10/2025", "Thứ Hai, ngày 6 tháng 10 năm 2025", "Thứ Hai", "07:30 06/10/2025" (and
 * their English forms). Returns buf, "" for a style it does not know or a field out of
 * range; never more than size - 1 bytes (cut at a character's boundary). */
char *kiosk_format_tm(const struct tm *tm, enum kiosk_time_style style, enum kiosk_lang_code lang,
                      char *buf, size_t size);
/* The same of a wall-clock time in ms since 1970, in the process's time zone (TZ, which the
 * kiosk sets from the config's `timezone`). */
char *kiosk_format_unix_ms(int64_t unix_ms, enum kiosk_time_style style, enum kiosk_lang_code lang,
                           char *buf, size_t size);

#endif
