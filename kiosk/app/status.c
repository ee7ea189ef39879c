#include "status.h"

#include "cli.h"
#include "paths.h"

#include <errno.h>
#include <getopt.h>
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
    double age = s && s->produced_unix ? (double)(now - s->produced_unix) : -1;
    json_object_set_new(root, "period",
                        s ? json_pack("{s:s, s:s}", "id", s->period->id, "label", s->period->label)
                          : json_null());
    json_object_set_new(root, "data_age_s", age >= 0 ? json_integer((json_int_t)age) : json_null());
    json_object_set_new(
        root, "stale",
        json_boolean(!s || (in->stale_after_h > 0 && age >= 0 && age > in->stale_after_h * 3600)));
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
                        json_pack("{s:o, s:o}", "loaded", loaded, "refused", refused));
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

static const char *or_dash(const json_t *v)
{
    return json_string_value(v) ? json_string_value(v) : "-";
}

/* kiosk status [--state DIR]: status.json for a person. */
int kiosk_cmd_status(int argc, char **argv)
{
    static const struct option longopts[] = {{"state", required_argument, NULL, 'S'}, {0, 0, 0, 0}};
    const char *state = "/var/lib/kiosk";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "S:", longopts, NULL)) != -1) {
        if (c != 'S')
            return KIOSK_EXIT_USAGE;
        state = optarg;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", state, KIOSK_STATUS_FILE);
    json_error_t err;
    json_t *st = json_load_file(path, 0, &err);
    if (!st) {
        fprintf(stderr, "%s: %s (is the kiosk running with state_dir = %s?)\n", path, err.text,
                state);
        return KIOSK_EXIT_INPUT;
    }
    json_t *period = json_object_get(st, "period");
    printf("kiosk %s, up %lld s, updated %s\n", json_string_value(json_object_get(st, "version")),
           (long long)json_integer_value(json_object_get(st, "uptime_s")),
           json_string_value(json_object_get(st, "updated")));
    printf("screen: %s%s, slide %s\n",
           json_is_false(json_object_get(st, "display_connected"))
               ? "no display (no screen connected, or none opened yet)"
           : json_is_true(json_object_get(st, "display")) ? "on"
                                                          : "off (working hours)",
           json_is_false(json_object_get(st, "clock_synchronised"))
               ? " (clock not synchronised yet)"
               : "",
           or_dash(json_object_get(st, "slide")));
    if (json_is_object(period))
        printf("data: %s (%s), %lld s old%s\n", json_string_value(json_object_get(period, "label")),
               json_string_value(json_object_get(period, "id")),
               (long long)json_integer_value(json_object_get(st, "data_age_s")),
               json_is_true(json_object_get(st, "stale")) ? ", STALE" : "");
    else
        printf("data: none yet\n");
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(st, "sources"), i, src)
    {
        const char *error = json_string_value(json_object_get(src, "error"));
        char http[32] = "file";
        if (json_is_integer(json_object_get(src, "http_status")))
            snprintf(http, sizeof http, "HTTP %lld",
                     (long long)json_integer_value(json_object_get(src, "http_status")));
        printf("source %s: %s; last success %s; %s; %lld bytes; next poll %s\n",
               json_string_value(json_object_get(src, "name")), error ? error : "OK",
               or_dash(json_object_get(src, "last_success")), http,
               (long long)json_integer_value(json_object_get(src, "bytes")),
               or_dash(json_object_get(src, "next_poll")));
    }
    json_t *plugins = json_object_get(st, "plugins");
    printf("plugins: %zu loaded, %zu refused\n",
           json_array_size(json_object_get(plugins, "loaded")),
           json_array_size(json_object_get(plugins, "refused")));
    json_array_foreach(json_object_get(plugins, "refused"), i, src)
        printf("  refused %s: %s\n", json_string_value(json_object_get(src, "file")),
               json_string_value(json_object_get(src, "reason")));
    json_t *failed = json_object_get(st, "slides_failed");
    if (json_array_size(failed))
        printf("slides failed: %zu\n", json_array_size(failed));
    json_array_foreach(failed, i, src)
        printf("  slide %s (plugin %s): %s\n", json_string_value(json_object_get(src, "slide")),
               json_string_value(json_object_get(src, "plugin")),
               json_string_value(json_object_get(src, "reason")));
    json_decref(st);
    return KIOSK_EXIT_OK;
}
