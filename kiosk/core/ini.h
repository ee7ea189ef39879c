/* The one INI reader, for the config and the font manifest: [section] lines, key = value
 * lines (a value ends at a " ;" comment or at the end of the line, however long, up to
 * KIOSK_INI_MAX_LINE), blank lines and ; or # comments. A value goes on over the lines
 * right below it that start with "|": each adds a newline and its text (after "| ", as
 * written, a ; included), up to KIOSK_INI_MAX_LINE in all:
 *     text = Giờ làm việc:
 *     | - Thứ Hai đến Thứ Sáu: 7:30 – 17:00
 * Stricter than most readers, so that what reads is what was meant: an indented line is
 * refused, not taken as the continuation of the previous value. */
#ifndef KIOSK_CORE_INI_H
#define KIOSK_CORE_INI_H

#include <stddef.h>

/* The longest line read (a portal URL with its query, a POST body). */
#define KIOSK_INI_MAX_LINE 65536

struct kiosk_ini_handler {
    /* A [name] line; return 1 to go on, 0 to stop (the handler said why). */
    int (*section)(void *user, const char *name, int line);
    /* A key = value line; the same. */
    int (*key)(void *user, const char *key, const char *value, int line);
};

/* Reads the file at path through the handler. 0 when every line read and no handler
 * stopped; 1 when a handler stopped; KIOSK_EIO when the file cannot be read (why); or
 * KIOSK_ESCHEMA for a line that is not INI, with *line set and what was expected and
 * found in why. *lines is the count of lines read. */
int kiosk_ini_read(const char *path, const struct kiosk_ini_handler *h, void *user, int *line,
                   int *lines, char *why, size_t size);

#endif
