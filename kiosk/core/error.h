/* Error codes and diagnostics shared by the whole core.
 *
 * Functions return 0 on success and a negative KIOSK_E* code on failure; out parameters are
 * written only on success. Problems found in an input (a feed, a store, a command line) are
 * collected as diagnostics: one line each, naming the file, the place in it and what was
 * expected, so a technician can act on it without reading code. */
#ifndef KIOSK_CORE_ERROR_H
#define KIOSK_CORE_ERROR_H

#include <stddef.h>
#include <stdio.h>

enum kiosk_error {
    KIOSK_OK = 0,
    KIOSK_ENOMEM = -1,   /* out of memory */
    KIOSK_EIO = -2,      /* cannot read or write a file */
    KIOSK_ESYNTAX = -3,  /* not well-formed JSON */
    KIOSK_ELIMIT = -4,   /* a size, depth or count limit was exceeded */
    KIOSK_ESCHEMA = -5,  /* well-formed but not a valid document */
    KIOSK_EFORMAT = -6,  /* not a document this kiosk knows */
    KIOSK_EVERSION = -7, /* a newer format version than this kiosk reads */
    KIOSK_EUSAGE = -8,   /* a bad command line or option */
    KIOSK_ESTORE = -9,   /* the history store failed */
    KIOSK_EEMPTY = -10,  /* nothing to score */
};

/* A static description of an error code; never NULL, never freed. */
const char *kiosk_strerror(int code);

enum kiosk_severity {
    KIOSK_SEV_ERROR = 1,
    KIOSK_SEV_WARNING = 2,
};

struct kiosk_diag {
    enum kiosk_severity severity;
    char *file;    /* source name as the user gave it, or NULL */
    char *path;    /* JSON path such as periods[0].units[17].groups.CKMB, or NULL */
    int line;      /* 1-based, 0 when not known */
    int column;    /* 1-based, 0 when not known */
    char *message; /* what was expected and what was found */
};

/* A list of diagnostics. Zero-initialise before use; free with kiosk_diags_free(). At most
 * KIOSK_DIAGS_MAX are kept, so a document with a million bad values cannot exhaust memory;
 * `dropped` counts the rest. */
#define KIOSK_DIAGS_MAX 200
struct kiosk_diags {
    struct kiosk_diag *items;
    size_t count;
    size_t dropped;
    size_t errors; /* errors added, including dropped ones */
};

/* Adds a diagnostic; file, path may be NULL, line/column 0 when unknown. Never fails
 * visibly: when memory runs out the diagnostic is counted as dropped. */
void kiosk_diags_add(struct kiosk_diags *d, enum kiosk_severity sev, const char *file,
                     const char *path, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Formats one diagnostic as a single line "file:line:col: path: message" (parts that are
 * unknown left out) into buf; returns buf. */
char *kiosk_diag_format(const struct kiosk_diag *diag, char *buf, size_t size);
/* Prints every diagnostic, one line each, to f, and how many were dropped. */
void kiosk_diags_print(FILE *f, const struct kiosk_diags *d);

void kiosk_diags_free(struct kiosk_diags *d);

#endif
