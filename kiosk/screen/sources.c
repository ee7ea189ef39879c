#include "sources.h"

#include "net/fetch.h"

#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

static int add(struct kiosk_own_sources *o, const char *name, const char *url, long interval_s,
               size_t slide)
{
    size_t i = o->n;
    if (!(o->names[i] = strdup(name)))
        return KIOSK_ENOMEM;
    o->src[i] = (struct kiosk_poll_source){
        .name = o->names[i], .url = url, .interval_s = interval_s, .timeout_s = 60};
    o->slide_of[i] = slide;
    o->n++;
    return 0;
}

/* The name a slide's source is cached under: slide-NAME where NAME is letters, digits, - and
 * _ of at most 48 bytes; another name (Vietnamese letters, a long one) gets a hash of it
 * after, so two slides never share a cache file. */
static void cache_name(const char *slide, char *buf, size_t size)
{
    bool plain = strlen(slide) <= 48;
    for (const char *c = slide; plain && *c; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '-' || *c == '_';
    if (plain) {
        snprintf(buf, size, "slide-%s", slide);
        return;
    }
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)slide; *c; c++)
        h = (h ^ *c) * 16777619u;
    snprintf(buf, size, "slide-%.40s-%08x", slide, (unsigned)h);
}

int kiosk_own_sources_start(struct kiosk_own_sources *o, struct kiosk_show *show,
                            const struct kiosk_banner_conf *conf, const char *state_dir,
                            double interval_override_s, void (*on_status)(void *), void *ctx,
                            FILE *log)
{
    memset(o, 0, sizeof *o);
    size_t max = show->n + 1;
    o->src = calloc(max, sizeof *o->src);
    o->names = calloc(max, sizeof *o->names);
    o->slide_of = calloc(max, sizeof *o->slide_of);
    if (!o->src || !o->names || !o->slide_of)
        return KIOSK_ENOMEM;
    char name[128];
    for (size_t i = 0; i < show->n; i++) {
        if (!show->slides[i].source)
            continue;
        cache_name(show->slides[i].name, name, sizeof name);
        if (add(o, name, show->slides[i].source, show->slides[i].interval_s, i))
            return KIOSK_ENOMEM;
    }
    if (conf && conf->configured && conf->source &&
        add(o, "banner", conf->source, conf->interval_s, KIOSK_OWN_BANNER))
        return KIOSK_ENOMEM;
    if (!o->n)
        return 0;
    struct kiosk_poller_config pc = {.sources = o->src,
                                     .n_sources = o->n,
                                     .state_dir = state_dir,
                                     .interval_override_s = interval_override_s,
                                     .on_status = on_status,
                                     .ctx = ctx,
                                     .log = log,
                                     .raw = true,
                                     .cache_dir = "own-cache"};
    return kiosk_poller_start(&pc, &o->poller);
}

bool kiosk_own_sources_take(struct kiosk_own_sources *o, struct kiosk_show *show,
                            struct kiosk_banner *banner, FILE *log)
{
    if (!o->poller)
        return false;
    struct kiosk_source_status *st = calloc(o->n, sizeof *st);
    size_t n_st = st ? kiosk_poller_status(o->poller, st, o->n) : 0;
    bool changed = false;
    for (size_t i = 0; i < o->n; i++) {
        bool is_banner = o->slide_of[i] == KIOSK_OWN_BANNER;
        struct kiosk_host_source *hs = !is_banner && o->slide_of[i] < show->n
                                           ? &show->slides[o->slide_of[i]].host.source
                                           : NULL;
        if (!is_banner && !hs)
            continue;
        uint64_t have = is_banner ? o->banner_serial : hs->serial, serial = 0;
        char *bytes = NULL;
        size_t len = 0;
        int64_t at = 0;
        if (kiosk_poller_document(o->poller, i, have, &bytes, &len, &at, &serial) == 1) {
            if (is_banner) {
                char why[256];
                o->banner_serial = serial;
                if (banner && kiosk_banner_take_source(banner, bytes, len, why, sizeof why) == 0) {
                    changed = true;
                    if (log)
                        fprintf(log, "banner: from its source: \"%.200s\"%s%s%s\n",
                                banner->source_text, banner->source_urgent > 0 ? ", urgent" : "",
                                banner->source_until[0] ? ", until " : "", banner->source_until);
                } else if (banner && log)
                    fprintf(log, "banner: %s (%s); the banner as it was stays\n", why,
                            o->src[i].url);
                free(bytes);
            } else {
                free(hs->bytes);
                hs->bytes = bytes;
                hs->size = len;
                hs->fetched_unix = at;
                hs->serial = serial;
                changed = true;
            }
        }
        if (hs && i < n_st && strcmp(hs->error, st[i].error) != 0) {
            snprintf(hs->error, sizeof hs->error, "%s", st[i].error);
            changed = true; /* a slide may show that its source fails */
        }
    }
    free(st);
    return changed;
}

void kiosk_own_sources_stop(struct kiosk_own_sources *o)
{
    kiosk_poller_stop(o->poller);
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->src);
    free(o->slide_of);
    memset(o, 0, sizeof *o);
}

static int fetch_once(const char *url, struct kiosk_fetch_result *r)
{
    struct kiosk_fetch_request rq = {.url = url,
                                     .max_bytes = KIOSK_DEFAULT_MAX_BYTES,
                                     .connect_timeout_s = 10,
                                     .total_timeout_s = 60};
    return kiosk_fetch(&rq, r);
}

void kiosk_own_sources_read_once(struct kiosk_show *show, struct kiosk_banner *banner, FILE *log)
{
    struct kiosk_fetch_result r;
    for (size_t i = 0; i < show->n; i++) {
        struct kiosk_slide *sl = &show->slides[i];
        if (!sl->source)
            continue;
        if (fetch_once(sl->source, &r) != 0) {
            snprintf(sl->host.source.error, sizeof sl->host.source.error, "%s", r.error);
            if (log)
                fprintf(log, "slide %s: source: %s\n", sl->name, r.error);
        } else {
            free(sl->host.source.bytes);
            sl->host.source.bytes = r.body;
            sl->host.source.size = r.len;
            sl->host.source.fetched_unix = (int64_t)time(NULL);
            sl->host.source.serial++;
            r.body = NULL;
        }
        kiosk_fetch_result_free(&r);
    }
    if (!banner || !banner->conf || !banner->conf->source)
        return;
    char why[256];
    if (fetch_once(banner->conf->source, &r) != 0) {
        if (log)
            fprintf(log, "banner: source: %s\n", r.error);
    } else if (kiosk_banner_take_source(banner, r.body, r.len, why, sizeof why) != 0 && log) {
        fprintf(log, "banner: %s (%s)\n", why, banner->conf->source);
    }
    kiosk_fetch_result_free(&r);
}
