#include "status.h"

#include "core/files.h"
#include "core/freshness.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

static json_t *iso(int64_t t)
{
    if (!t)
        return json_null();
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(buf);
}

int kiosk_status_write(const char *state_dir, const struct kiosk_status_info *in)
{
    int64_t now = (int64_t)time(NULL);
    json_t *root = json_object(), *sources = json_array(), *loaded = json_array(),
           *refused = json_array();
    json_object_set_new(root, "version", json_string(KIOSK_VERSION));
    json_object_set_new(root, "updated", iso(now));
    json_object_set_new(root, "uptime_s", json_integer(now - in->started_unix));
    json_object_set_new(root, "display", json_boolean(in->display));
    json_object_set_new(root, "display_connected", json_boolean(in->display_connected));
    json_object_set_new(root, "clock_synchronised", json_boolean(in->clock_synchronised));
    json_object_set_new(root, "slide", in->slide ? json_string(in->slide) : json_null());
    const struct kiosk_snapshot *s = in->snap;
    struct kiosk_freshness fr = kiosk_data_freshness(s, now, in->stale_after_h);
    json_object_set_new(root, "period",
                        s ? json_pack("{s:s, s:s}", "id", s->period->id, "label", s->period->label)
                          : json_null());
    json_object_set_new(root, "data", json_string(kiosk_data_state_name(fr.state)));
    json_object_set_new(root, "data_age_s",
                        fr.age_s >= 0 ? json_integer((json_int_t)fr.age_s) : json_null());
    json_object_set_new(root, "stale", json_boolean(fr.state == KIOSK_DATA_STALE));
    for (size_t i = 0; i < in->n_sources; i++) {
        const struct kiosk_source_status *src = &in->sources[i];
        json_array_append_new(
            sources, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o, s:i, s:o}", "name",
                               src->name, "url", src->url, "last_attempt", iso(src->last_attempt),
                               "last_success", iso(src->last_success), "http_status",
                               src->http_status ? json_integer(src->http_status) : json_null(),
                               "error", src->error[0] ? json_string(src->error) : json_null(),
                               "bytes", (json_int_t)src->bytes, "etag",
                               src->etag[0] ? json_string(src->etag) : json_null(), "failures",
                               src->failures, "next_poll", iso(src->next_poll)));
    }
    json_object_set_new(root, "sources", sources);
    for (size_t i = 0; in->plugins && i < in->plugins->n_loaded; i++)
        json_array_append_new(loaded,
                              json_pack("{s:s, s:s}", "name", in->plugins->loaded[i].desc.name,
                                        "file", in->plugins->loaded[i].file));
    for (size_t i = 0; in->plugins && i < in->plugins->n_refused; i++)
        json_array_append_new(refused, json_pack("{s:s, s:s}", "file", in->plugins->refused[i].file,
                                                 "reason", in->plugins->refused[i].reason));
    json_object_set_new(root, "plugins",
                        json_pack("{s:o, s:o, s:I}", "loaded", loaded, "refused", refused,
                                  "refused_unlisted",
                                  (json_int_t)(in->plugins ? in->plugins->refused_dropped : 0)));
    json_t *failed = json_array();
    for (size_t i = 0; i < in->n_failed; i++)
        json_array_append_new(failed,
                              json_pack("{s:s?, s:s?, s:s?}", "slide", in->failed[i].name, "plugin",
                                        in->failed[i].plugin, "reason", in->failed[i].why));
    json_object_set_new(root, "slides_failed", failed);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", state_dir, KIOSK_STATUS_FILE);
    size_t len = strlen(text);
    text[len] = '\n';
    int rc = kiosk_write_atomic(path, text, len + 1);
    free(text);
    return rc;
}
