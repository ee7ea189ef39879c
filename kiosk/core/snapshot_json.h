/* The scored snapshot as JSON: what `kiosk score` prints and other tools read. The field
 * names are an interface; add fields, never rename them. */
#ifndef KIOSK_CORE_SNAPSHOT_JSON_H
#define KIOSK_CORE_SNAPSHOT_JSON_H

#include "score.h"

#include <jansson.h>

#include <stdio.h>

/* Writes the snapshot as one JSON document to f, one unit per line. It is streamed: a unit's
 * values exist only while that unit is written, so 3,400 units cost no more memory than
 * one. Numbers are rounded to hundredths; unknown values are null. Returns 0, KIOSK_EIO or
 * KIOSK_ENOMEM. */
int kiosk_snapshot_write_json(const struct kiosk_snapshot *s, FILE *f);

#endif
