/* Strict number parsing for settings and command-line options: the whole string is the
 * number, nothing before or after it ("5s" and " 5" are refused), never NaN or infinite,
 * and within the range asked for. */
#ifndef KIOSK_CORE_PARSE_H
#define KIOSK_CORE_PARSE_H

/* Parses a decimal number within [min, max]; 0 and *out set, or -1 (*out untouched) for an
 * empty string, trailing characters, NaN, an infinity, an overflow or a value out of
 * range. */
int kiosk_parse_double(const char *s, double min, double max, double *out);

/* The same for a whole number in base 10 within [min, max]; "5.0" is refused. */
int kiosk_parse_long(const char *s, long min, long max, long *out);

#endif
