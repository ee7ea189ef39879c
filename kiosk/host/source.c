/* A slide's own source and redraws on demand (ABI 1.3): source_data hands the plugin what
 * the screen keeps in its host table (struct kiosk_host_source); request_redraw marks the
 * slide for the screen to draw again. */
#include "host_services.h"

#include <string.h>
#include <time.h>

#define VIEW_SIZE_MAX 4096

int kiosk_host_source_data(const struct kiosk_host *host, struct kiosk_source_view *out)
{
    if (!host || !out || out->struct_size < sizeof(uint32_t) || out->struct_size > VIEW_SIZE_MAX) {
        kiosk_host_refuse(KIOSK_MISUSE_SOURCE,
                          "source_data(%s, %s): expected a view of 4 to %d bytes",
                          host ? "host" : "NULL", out ? "view" : "NULL", VIEW_SIZE_MAX);
        return -1;
    }
    const struct kiosk_host_source *src = &kiosk_host_ctx_of(host)->source;
    struct kiosk_source_view v = {.struct_size = out->struct_size, .url = src->url};
    int rc = -1;
    if (!src->url) {
        v.error = "the slide has no source setting";
    } else if (!src->bytes) {
        v.error = src->error[0] ? src->error : "nothing fetched yet";
    } else {
        double age = (double)((int64_t)time(NULL) - src->fetched_unix);
        v.bytes = src->bytes;
        v.size = src->size;
        v.age_s = age > 0 ? age : 0;
        v.serial = src->serial;
        v.error = src->error[0] ? src->error : NULL;
        rc = 0;
    }
    size_t n = out->struct_size < sizeof v ? out->struct_size : sizeof v;
    memcpy(out, &v, n);
    return rc;
}

void kiosk_host_request_redraw(const struct kiosk_host *host)
{
    if (!host)
        return kiosk_host_refuse(KIOSK_MISUSE_REDRAW, "request_redraw(NULL)");
    struct kiosk_host_ctx *ctx = (struct kiosk_host_ctx *)kiosk_host_ctx_of(host);
    if (kiosk_host_calling() == ctx) {
        ctx->redraw_requested = true;
        return;
    }
    /* outside a call into its plugin (a thread of its own, a call kept for later): the
     * kiosk would not know when it is safe to draw */
    if (ctx->misused & (1u << KIOSK_MISUSE_REDRAW))
        return;
    ctx->misused |= 1u << KIOSK_MISUSE_REDRAW;
    fprintf(ctx->log ? ctx->log : stderr,
            "slide %s: refused: request_redraw() outside a call into the plugin; ignored (said "
            "once)\n",
            ctx->name);
}
