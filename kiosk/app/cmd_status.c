/* kiosk status [--state DIR]: what the running kiosk says of itself, for a person. */
#include "cli.h"
#include "screen/status.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

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
