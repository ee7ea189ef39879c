/* Files the kiosk writes: atomically, so a power cut leaves the old file or the new one,
 * never a torn one, and the folders they go in. */
#ifndef KIOSK_CORE_FILES_H
#define KIOSK_CORE_FILES_H

#include <stddef.h>

/* Writes data to path atomically: a temporary file in the same directory, fsync, rename
 * over path, fsync of the directory. 0 or -1 (errno set). */
int kiosk_write_atomic(const char *path, const void *data, size_t len);

/* Creates dir and its parents when missing; 0 or -1 (errno). */
int kiosk_make_dirs(const char *dir);

#endif
