#include "error.h"

#include "array.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *kiosk_strerror(int code)
{
    switch (code) {
    case KIOSK_OK:
        return "success";
    case KIOSK_ENOMEM:
        return "out of memory";
    case KIOSK_EIO:
        return "input/output error";
    case KIOSK_ESYNTAX:
        return "invalid JSON";
    case KIOSK_ELIMIT:
        return "a size limit was exceeded";
    case KIOSK_ESCHEMA:
        return "invalid document";
    case KIOSK_EFORMAT:
        return "unknown document format";
    case KIOSK_EVERSION:
        return "unsupported format version";
    case KIOSK_EUSAGE:
        return "invalid usage";
    case KIOSK_ESTORE:
        return "history store error";
    case KIOSK_EEMPTY:
        return "no data";
    default:
        return "unknown error";
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void kiosk_diags_add(struct kiosk_diags *d, enum kiosk_severity sev, const char *file,
                     const char *path, int line, int column, const char *fmt, ...)
{
    if (sev == KIOSK_SEV_ERROR)
        d->errors++;
    if (d->count >= KIOSK_DIAGS_MAX) { /* the append's rule, before the work of formatting */
        d->dropped++;
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct kiosk_diag it = {.severity = sev,
                            .file = dup_or_null(file),
                            .path = dup_or_null(path),
                            .line = line,
                            .column = column,
                            .message = strdup(msg)};
    if (!it.message || (file && !it.file) || (path && !it.path)) {
        d->dropped++;
    } else if (KIOSK_ARRAY_APPEND(d->items, d->count, it, KIOSK_DIAGS_MAX, &d->dropped) == 0) {
        return;
    }
    free(it.file);
    free(it.path);
    free(it.message);
}

char *kiosk_diag_format(const struct kiosk_diag *diag, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (n < size) {                                                                            \
            int w = snprintf(buf + n, size - n, __VA_ARGS__);                                      \
            if (w > 0)                                                                             \
                n += (size_t)w;                                                                    \
        }                                                                                          \
    } while (0)
    if (diag->file) {
        APPEND("%s", diag->file);
        if (diag->line > 0 && diag->column > 0)
            APPEND(":%d:%d", diag->line, diag->column);
        else if (diag->line > 0)
            APPEND(":%d", diag->line);
        APPEND(": ");
    }
    if (diag->severity == KIOSK_SEV_WARNING)
        APPEND("warning: ");
    if (diag->path && diag->path[0])
        APPEND("%s: ", diag->path);
    APPEND("%s", diag->message);
#undef APPEND
    return buf;
}

void kiosk_diags_free(struct kiosk_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

void kiosk_diags_print(FILE *f, const struct kiosk_diags *d)
{
    char line[2048];
    for (size_t i = 0; i < d->count; i++)
        fprintf(f, "%s\n", kiosk_diag_format(&d->items[i], line, sizeof line));
    if (d->dropped)
        fprintf(f, "... and %zu more problems\n", d->dropped);
}
