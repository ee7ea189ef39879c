/* The scored snapshot as JSON: what `kiosk score` prints and other tools read. The field
 * names are an interface; add fields, never rename them. */
#ifndef KIOSK_CORE_SNAPSHOT_JSON_H
#define KIOSK_CORE_SNAPSHOT_JSON_H

#include "score.h"

#include <jansson.h>

/* Builds the JSON document (caller owns it: json_decref); NULL when out of memory. Numbers
 * are rounded to hundredths; unknown values are null. */
json_t *kiosk_snapshot_to_json(const struct kiosk_snapshot *s);

/* Dump flags that print the rounded numbers as written (91.7, not 91.700000000000003). */
#define KIOSK_JSON_DUMP_FLAGS (JSON_INDENT(1) | JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER)

#endif
