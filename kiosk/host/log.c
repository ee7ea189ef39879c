/* The log service: one line per call, under the slide's name. */
#include "host_services.h"

#include <stdarg.h>

void kiosk_host_log(const struct kiosk_host *host, enum kiosk_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"", "error", "warning", "info", "debug"};
    const struct kiosk_host_ctx *c = kiosk_host_ctx_of(host);
    if (!c->log)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line per event: a plugin's newlines must not forge extra lines */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fprintf(c->log, "slide %s: %s: %s\n", c->name, names[level >= 1 && level <= 4 ? level : 3],
            msg);
}
