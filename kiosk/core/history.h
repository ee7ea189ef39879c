/* The history store: every period the kiosk has seen, in SQLite, so deltas and streaks
 * work when a feed carries only the newest week, and survive reboots.
 *
 * Periods merge by id and the feed wins: loading adds only periods the table lacks; saving
 * writes the periods read from feeds that differ from what is stored, in one transaction
 * (a start or a poll with nothing new writes nothing). The database runs in WAL mode with
 * 4 KiB pages, synchronised at checkpoints: a power cut never corrupts it and loses at
 * most the last commits, whose documents the cache still holds. A store that cannot be
 * written (disk full, read-only) is reported as such. A store
 * that is not a database, is corrupt or comes from a newer kiosk is moved aside
 * (history.sqlite.corrupt-<time>) and reported; the kiosk goes on with an empty one. */
#ifndef KIOSK_CORE_HISTORY_H
#define KIOSK_CORE_HISTORY_H

#include "error.h"
#include "model.h"

struct kiosk_history;

/* The store's file name inside a state directory. */
#define KIOSK_HISTORY_FILE "history.sqlite"

/* Opens (creating when absent) the store at path. Problems are reported in d; a store set
 * aside is a warning, not a failure. Returns 0 or KIOSK_ESTORE (the store cannot be used at
 * all, e.g. the directory is read-only). */
int kiosk_history_open(const char *path, struct kiosk_history **out, struct kiosk_diags *d);

/* Adds to t every stored period whose id t does not have. Stored groups map by code onto
 * t's framework, so t must have one (read the feed first): KIOSK_EEMPTY otherwise.
 * Returns 0 or KIOSK_ESTORE/KIOSK_ENOMEM/KIOSK_EEMPTY. */
int kiosk_history_load(struct kiosk_history *h, struct kiosk_table *t, struct kiosk_diags *d);

/* Writes the periods of t that came from feeds (origin KIOSK_ORIGIN_FEED), replacing stored
 * periods of the same id, in one transaction. */
int kiosk_history_save(struct kiosk_history *h, const struct kiosk_table *t, struct kiosk_diags *d);

/* How many periods the last kiosk_history_save wrote (the others were stored already). */
long kiosk_history_written(const struct kiosk_history *h);

/* Number of periods stored. */
long kiosk_history_count(struct kiosk_history *h);

void kiosk_history_close(struct kiosk_history *h);

#endif
