/* kiosk status [--runtime DIR] [--state DIR]: what the running kiosk says of itself, for
 * a person. */
#define _GNU_SOURCE /* strptime, timegm */
#include "cli.h"
#include "screen/setup.h"
#include "screen/status.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* "2026-12-01T19:46:49Z" as Unix seconds; 0 when it is not one. */
static int64_t iso_unix(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? (int64_t)timegm(&tm) : 0;
}

/* What kind of answer a source had: HTTP and its status, a file, or none yet. */
static void answer_of(const json_t *src, char *buf, size_t size)
{
    const char *url = json_string_value(json_object_get(src, "url"));
    bool web = url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
    const json_t *status = json_object_get(src, "http_status");
    if (json_is_integer(status))
        snprintf(buf, size, "HTTP %lld%s", (long long)json_integer_value(status),
                 json_is_true(json_object_get(src, "unchanged")) ? " (unchanged)" : "");
    else
        snprintf(buf, size, "%s", web ? "no HTTP answer" : "file");
}

static const char *or_dash(const json_t *v)
{
    return json_string_value(v) ? json_string_value(v) : "-";
}

/* kiosk status [--runtime DIR] [--state DIR]: status.json for a person. It is looked
 * for in --runtime, else the runtime directory (systemd's, /run/kiosk), else the state
 * directory (a kiosk with no runtime directory writes it there). */
int kiosk_cmd_status(int argc, char **argv)
{
    char path[4200];
    const char *dir;
    int rc = cli_status_path("status", argc, argv, path, sizeof path, &dir);
    if (rc)
        return rc;
    json_error_t err;
    json_t *st = json_load_file(path, 0, &err);
    if (!st) {
        fprintf(stderr, "%s: %s (is the kiosk running, with runtime_dir = %s?)\n", path, err.text,
                dir);
        return KIOSK_EXIT_INPUT;
    }
    /* a status.json older than its heartbeat allows: nobody is writing it any more */
    int64_t updated = iso_unix(json_string_value(json_object_get(st, "updated")));
    json_int_t beat = json_integer_value(json_object_get(st, "heartbeat_s"));
    int64_t now = (int64_t)time(NULL);
    bool dead = beat > 0 && updated && now - updated > 2 * beat + 30;
    if (dead)
        printf("WARNING: %s was last written %lld s ago (it is rewritten every %lld s at "
               "least): the kiosk is hung or not running\n",
               path, (long long)(now - updated), (long long)beat);
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
        printf("data: %s (%s), %lld s old%s%s\n",
               json_string_value(json_object_get(period, "label")),
               json_string_value(json_object_get(period, "id")),
               (long long)json_integer_value(json_object_get(st, "data_age_s")),
               json_is_true(json_object_get(st, "stale")) ? ", STALE (the next period is overdue)"
                                                          : "",
               json_is_true(json_object_get(st, "sources_failing"))
                   ? ", SOURCES FAILING for a long time"
                   : "");
    else
        printf("data: none yet\n");
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(st, "sources"), i, src)
    {
        const char *error = json_string_value(json_object_get(src, "error"));
        char http[64];
        answer_of(src, http, sizeof http);
        const char *final = json_string_value(json_object_get(src, "final_url"));
        const char *url = json_string_value(json_object_get(src, "url"));
        if (final && url && strcmp(final, url) != 0)
            printf("source %s: redirected to %s\n", json_string_value(json_object_get(src, "name")),
                   final);
        printf("source %s: %s; last success %s; %s; %lld bytes; next poll %s\n",
               json_string_value(json_object_get(src, "name")), error ? error : "OK",
               or_dash(json_object_get(src, "last_success")), http,
               (long long)json_integer_value(json_object_get(src, "bytes")),
               or_dash(json_object_get(src, "next_poll")));
    }
    json_t *storage = json_object_get(st, "storage");
    if (json_is_false(json_object_get(storage, "ok")))
        printf("storage: FAILING: %s (kept in memory, saved when it can)\n",
               or_dash(json_object_get(storage, "error")));
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
    json_t *remote = json_object_get(st, "remote_config");
    if (json_is_object(remote)) {
        const char *error = json_string_value(json_object_get(remote, "error"));
        json_t *serial = json_object_get(remote, "serial");
        char running[64] = "the local config";
        if (json_is_integer(serial))
            snprintf(running, sizeof running, "serial %lld", (long long)json_integer_value(serial));
        printf("remote config: %s, running %s%s%s\n", or_dash(json_object_get(remote, "state")),
               running, error ? ": " : "", error ? error : "");
    }
    json_t *fleet = json_object_get(st, "fleet");
    if (json_is_object(fleet))
        printf("fleet: kiosk %s, broker %s %s\n", or_dash(json_object_get(fleet, "id")),
               or_dash(json_object_get(fleet, "broker")),
               json_is_true(json_object_get(fleet, "connected")) ? "connected"
                                                                 : "NOT CONNECTED (retrying)");
    json_t *faults = json_object_get(st, "plugin_faults");
    if (json_array_size(faults))
        printf("plugin faults: %zu\n", json_array_size(faults));
    json_array_foreach(faults, i, src)
    {
        const char *slide = json_string_value(json_object_get(src, "slide"));
        printf("  plugin %s: %s in %s()%s%s, %lld fault(s), last at %s; %s %s\n",
               json_string_value(json_object_get(src, "plugin")),
               json_string_value(json_object_get(src, "fault")),
               json_string_value(json_object_get(src, "call")), slide ? " of slide " : "",
               slide ? slide : "", (long long)json_integer_value(json_object_get(src, "count")),
               or_dash(json_object_get(src, "at")),
               json_is_true(json_object_get(src, "quarantined")) ? "quarantined until" : "back at",
               or_dash(json_object_get(src, "back_at")));
    }
    json_decref(st);
    return dead ? KIOSK_EXIT_INPUT : KIOSK_EXIT_OK;
}
