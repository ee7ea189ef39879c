/* Files the kiosk writes: atomically, so a power cut leaves the old file or the new one,
 * never a torn one, and the folders they go in. */
#ifndef KIOSK_CORE_FILES_H
#define KIOSK_CORE_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Writes data to path atomically: a temporary file in the same directory, fsync, rename
 * over path, fsync of the directory. 0 or -1 (errno set). */
int kiosk_write_atomic(const char *path, const void *data, size_t len);

/* The same, but without the fsyncs when sync is false: for files on tmpfs (status.json),
 * where an fsync saves nothing and a rename is already all-or-nothing. */
int kiosk_write_replace(const char *path, const void *data, size_t len, bool sync);

/* Whether dir is in memory (tmpfs, ramfs): what is written there costs the card nothing
 * and is gone after a reboot. */
bool kiosk_dir_is_volatile(const char *dir);

/* Creates dir and its parents when missing; 0 or -1 (errno). */
int kiosk_make_dirs(const char *dir);

#endif
