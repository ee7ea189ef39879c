/* Shared helpers of the unit tests. */
#ifndef KIOSK_TEST_HELPERS_H
#define KIOSK_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/feed.h"
#include "core/score.h"

/* Makes a fresh directory /tmp/kiosk-NAME-XXXXXX, its path in buf; 0 or -1. */
int make_temp_dir(char *buf, size_t size, const char *name);
/* Removes a directory and all it holds; 0 or -1. */
int remove_tree(const char *dir);

/* Makes DIR/NAME, a stand-in for a kernel connector folder, with a status file holding
 * status when it is not NULL (KIOSK_DRM_SYSFS points the kiosk at DIR). */
void fake_connector(const char *dir, const char *name, const char *status);

/* Writes text as the whole of the file at path; fails the test when it cannot. */
void write_file(const char *path, const char *text);
/* Reads a whole file (test fixtures are small); aborts the test when it cannot. */
char *read_file(const char *path, size_t *len);

/* Reads a source given as on the command line ([GROUP=]path) into t with options o (NULL:
 * the defaults); returns the reader's code. */
int read_source(struct kiosk_table *t, const char *arg, const struct kiosk_read_options *o,
                struct kiosk_diags *d, struct kiosk_source_summary *summary);

/* Reads a JSON document given as text into t; returns the reader's code. */
int read_text(struct kiosk_table *t, const char *json, struct kiosk_diags *d);

/* Reads the text and scores it; fails the test on any error. Caller unrefs. */
struct kiosk_snapshot *score_text(const char *json, const struct kiosk_score_options *o);

/* Reads the file and scores it with default options. */
struct kiosk_snapshot *score_file(const char *path, const struct kiosk_score_options *o);

/* The unit of the newest period; fails the test when absent. */
const struct kiosk_unit_score *unit(const struct kiosk_snapshot *s, const char *id);

/* The group index of code in the snapshot's framework. */
size_t group(const struct kiosk_snapshot *s, const char *code);

/* True when some diagnostic's formatted line contains every given fragment (NULL ends). */
int diags_have(const struct kiosk_diags *d, ...);

/* Prints the diagnostics (to see why a test failed). */
void diags_dump(const struct kiosk_diags *d);

/* Cents of a value, for exact comparisons at display precision. */
#define CENTS(v) kiosk_cents(v)

#endif
