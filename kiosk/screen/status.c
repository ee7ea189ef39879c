#include "status.h"

#include "host/worker.h"

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

void kiosk_status_init(struct kiosk_status_writer *w, const char *dir)
{
    memset(w, 0, sizeof *w);
    w->dir = dir;
    kiosk_make_dirs(dir);
    w->durable = !kiosk_dir_is_volatile(dir);
    w->heartbeat_s = w->durable ? 900 : 60;
}

void kiosk_status_free(struct kiosk_status_writer *w)
{
    free(w->last);
    w->last = NULL;
}

bool kiosk_status_due(const struct kiosk_status_writer *w, int64_t now_unix)
{
    return now_unix - w->last_unix >= w->heartbeat_s;
}

/* One source as status.json says it. */
static json_t *source_json(const struct kiosk_source_status *src)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:o, s:b, s:o, s:o, s:o, s:o, s:I, s:o, s:i, s:o}", "name", src->name, "url",
        src->url, "final_url", src->final_url[0] ? json_string(src->final_url) : json_null(),
        "unchanged", src->unchanged, "last_attempt", iso(src->last_attempt), "last_success",
        iso(src->last_success), "http_status",
        src->http_status ? json_integer(src->http_status) : json_null(), "error",
        src->error[0] ? json_string(src->error) : json_null(), "bytes", (json_int_t)src->bytes,
        "etag", src->etag[0] ? json_string(src->etag) : json_null(), "failures", src->failures,
        "next_poll", iso(src->next_poll));
    json_t *by = json_object();
    for (int r = 0; r < KIOSK_POLL_REASONS; r++)
        json_object_set_new(by, kiosk_poll_reason_name((enum kiosk_poll_reason)r),
                            json_integer((json_int_t)src->failed_by[r]));
    json_object_set_new(o, "failed_by", by);
    return o;
}

json_t *kiosk_status_document(const struct kiosk_status_writer *w,
                              const struct kiosk_status_info *in, int64_t now)
{
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
    struct kiosk_freshness fr = kiosk_data_freshness(s, now);
    json_object_set_new(root, "period",
                        s ? json_pack("{s:s, s:s}", "id", s->period->id, "label", s->period->label)
                          : json_null());
    json_object_set_new(root, "data", json_string(kiosk_data_state_name(fr.state)));
    json_object_set_new(root, "data_age_s",
                        fr.age_s >= 0 ? json_integer((json_int_t)fr.age_s) : json_null());
    json_object_set_new(root, "stale", json_boolean(fr.state == KIOSK_DATA_STALE));
    json_object_set_new(root, "next_period_due", iso(fr.next_due_unix));
    json_object_set_new(root, "sources_failing_s",
                        in->failing_s > 0 ? json_integer((json_int_t)in->failing_s) : json_null());
    json_object_set_new(root, "sources_failing",
                        json_boolean(kiosk_sources_failing(in->failing_s, in->stale_after_h)));
    json_object_set_new(
        root, "storage",
        json_pack("{s:b, s:o}", "ok", !in->storage_error, "error",
                  in->storage_error ? json_string(in->storage_error) : json_null()));
    json_object_set_new(root, "heartbeat_s", json_integer(w->heartbeat_s));
    if (in->metrics_refresh_s > 0)
        json_object_set_new(root, "metrics_refresh_s", json_integer(in->metrics_refresh_s));
    for (size_t i = 0; i < in->n_sources; i++)
        json_array_append_new(sources, source_json(&in->sources[i]));
    json_t *own = json_array();
    for (size_t i = 0; i < in->n_own_sources; i++)
        json_array_append_new(own, source_json(&in->own_sources[i]));
    json_object_set_new(root, "own_sources", own);
    json_object_set_new(
        root, "banner",
        in->banner ? json_pack("{s:s, s:b}", "text", in->banner, "urgent", in->banner_urgent)
                   : json_null());
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
    const struct kiosk_remote_status *rm = in->remote;
    json_t *by = rm ? json_object() : NULL;
    for (size_t i = 0; rm && i < rm->n_refused_by; i++)
        json_object_set_new(by, rm->refused_by[i].reason,
                            json_integer((json_int_t)rm->refused_by[i].n));
    json_object_set_new(
        root, "remote_config",
        rm ? json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:o}", "url", rm->url,
                       "serial", rm->serial ? json_integer(rm->serial) : json_null(), "state",
                       rm->state, "reason", rm->reason, "error",
                       rm->error[0] ? json_string(rm->error) : json_null(), "last_serial",
                       rm->last_serial ? json_integer(rm->last_serial) : json_null(),
                       "last_attempt", iso(rm->last_attempt), "last_success", iso(rm->last_success),
                       "refused", (json_int_t)rm->refused, "refused_by", by)
           : json_null());
    /* plugins whose worker faulted: which, in which slide, of what, how often, and when
     * its slides come back */
    json_t *faults = json_array();
    for (size_t i = 0; in->plugins && i < in->plugins->n_loaded; i++) {
        const struct kiosk_loaded_plugin *lp = &in->plugins->loaded[i];
        const struct kiosk_worker_fault *f =
            lp->worker ? kiosk_worker_last_fault(lp->worker) : NULL;
        if (!f)
            continue;
        json_t *kinds = json_object();
        for (int k = 0; k < KIOSK_FAULT_KINDS; k++)
            if (f->by_kind[k])
                json_object_set_new(kinds, kiosk_worker_fault_kinds[k],
                                    json_integer(f->by_kind[k]));
        json_array_append_new(faults,
                              json_pack("{s:s, s:s, s:s?, s:s, s:s, s:I, s:o, s:o, s:o, s:b}",
                                        "plugin", lp->desc.name, "file", lp->file, "slide",
                                        f->slide[0] ? f->slide : NULL, "call", f->call, "fault",
                                        f->what, "count", (json_int_t)f->count, "by_kind", kinds,
                                        "at", iso(f->at), "back_at", iso(f->back_at), "quarantined",
                                        f->quarantined && f->back_at > now));
    }
    json_object_set_new(root, "plugin_faults", faults);
    if (in->frame_render)
        json_object_set_new(root, "frame_render", kiosk_histogram_json(in->frame_render));
    if (in->fleet_broker)
        json_object_set_new(root, "fleet",
                            json_pack("{s:s, s:s, s:b}", "broker", in->fleet_broker, "id",
                                      in->fleet_id ? in->fleet_id : "", "connected",
                                      in->fleet_connected));
    return root;
}

char *kiosk_status_key(const json_t *doc, bool durable)
{
    /* what it says apart from the clock (and, on the card, the slide): unchanged and no
     * heartbeat due, nothing is written */
    json_t *key = json_deep_copy(doc);
    json_object_del(key, "updated");
    json_object_del(key, "frame_render"); /* every frame moves it: said with the rest */
    json_object_del(key, "uptime_s");
    json_object_del(key, "next_period_due");
    if (durable)
        json_object_del(key, "slide");
    size_t i;
    json_t *src;
    for (int list = 0; list < 2; list++) {
        json_t *srcs = json_object_get(key, list ? "own_sources" : "sources");
        json_array_foreach(srcs, i, src)
        {
            json_object_del(src, "last_attempt");
            json_object_del(src, "last_success");
            json_object_del(src, "next_poll");
        }
    }
    json_t *remote = json_object_get(key, "remote_config"); /* its polls alone: no change */
    json_object_del(remote, "last_attempt");
    json_object_del(remote, "last_success");
    char *said = key ? json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(key);
    return said;
}

int kiosk_status_write(struct kiosk_status_writer *w, const struct kiosk_status_info *in)
{
    json_t *doc = kiosk_status_document(w, in, (int64_t)time(NULL));
    int rc = doc ? kiosk_status_write_doc(w, doc) : -1;
    json_decref(doc);
    return rc;
}

int kiosk_status_write_doc(struct kiosk_status_writer *w, const json_t *doc)
{
    int64_t now = (int64_t)time(NULL);
    char *said = kiosk_status_key(doc, w->durable);
    if (said && w->last && strcmp(said, w->last) == 0 && !kiosk_status_due(w, now)) {
        free(said);
        return 0;
    }
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        free(said);
        return -1;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", w->dir, KIOSK_STATUS_FILE);
    size_t len = strlen(text);
    text[len] = '\n';
    int rc = kiosk_write_replace(path, text, len + 1, w->durable);
    free(text);
    /* a failed write is tried again at the next heartbeat or change, not on every pass of
     * the loop: a full disk must not be hammered, nor the log flooded */
    w->last_unix = now;
    if (rc == 0) {
        free(w->last);
        w->last = said;
        w->failing = false;
    } else {
        free(said);
        int e = errno;
        if (w->failing)
            rc = 1; /* said already */
        w->failing = true;
        errno = e;
    }
    return rc;
}
