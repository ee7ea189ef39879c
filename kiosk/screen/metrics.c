#define _GNU_SOURCE /* timegm */
#include "metrics.h"

#include "core/files.h"
#include "host/worker.h"
#include "remote.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

const double kiosk_render_bucket_le[KIOSK_RENDER_BUCKETS] = {0.002, 0.005, 0.01, 0.02, 0.05,
                                                             0.1,   0.2,   0.5,  1,    2.5};

void kiosk_histogram_observe(struct kiosk_histogram *h, double s)
{
    if (!(s >= 0)) /* NaN or negative: a clock that went back */
        s = 0;
    h->count++;
    h->sum += s;
    for (int i = 0; i < KIOSK_RENDER_BUCKETS; i++)
        if (s <= kiosk_render_bucket_le[i])
            h->le[i]++;
}

json_t *kiosk_histogram_json(const struct kiosk_histogram *h)
{
    json_t *b = json_array();
    for (int i = 0; i < KIOSK_RENDER_BUCKETS; i++)
        json_array_append_new(b,
                              json_pack("[f, I]", kiosk_render_bucket_le[i], (json_int_t)h->le[i]));
    return json_pack("{s:I, s:f, s:o}", "count", (json_int_t)h->count, "sum", h->sum, "buckets", b);
}

/* ---- the text ---- */

struct out {
    FILE *all, *key; /* every line; the lines that do not move with the clock alone */
};

/* A label value escaped as the format wants: backslash, double quote, line feed. */
static void label_value(FILE *f, const char *v)
{
    for (; v && *v; v++) {
        if (*v == '\\')
            fputs("\\\\", f);
        else if (*v == '"')
            fputs("\\\"", f);
        else if (*v == '\n')
            fputs("\\n", f);
        else
            fputc(*v, f);
    }
}

static void family(struct out *o, const char *name, const char *type, const char *help)
{
    fprintf(o->all, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample: name{l1="v1",...} value. labels: pairs of name and value, ended by NULL. */
static void sample(struct out *o, bool moves, const char *name, const char *const *labels,
                   double value)
{
    FILE *fs[2] = {o->all, moves ? NULL : o->key};
    for (int k = 0; k < 2; k++) {
        FILE *f = fs[k];
        if (!f)
            continue;
        fputs(name, f);
        if (labels && labels[0]) {
            fputc('{', f);
            for (size_t i = 0; labels[i]; i += 2) {
                fprintf(f, "%s%s=\"", i ? "," : "", labels[i]);
                label_value(f, labels[i + 1]);
                fputc('"', f);
            }
            fputc('}', f);
        }
        if (value == (double)(long long)value && value > -1e15 && value < 1e15)
            fprintf(f, " %lld\n", (long long)value);
        else
            fprintf(f, " %.9g\n", value);
    }
}

static void gauge(struct out *o, const char *name, const char *help, double value)
{
    family(o, name, "gauge", help);
    sample(o, false, name, NULL, value);
}

/* "2026-12-01T19:46:49Z" as Unix seconds; 0 when it is not one. */
static int64_t iso_unix(const json_t *v)
{
    const char *s = json_string_value(v);
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? (int64_t)timegm(&tm) : 0;
}

static const char *str(const json_t *obj, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : dflt;
}

static bool flag(const json_t *obj, const char *key)
{
    return json_is_true(json_object_get(obj, key));
}

static void build(struct out *o)
{
    struct utsname u;
    const char *arch = uname(&u) == 0 ? u.machine : "unknown";
    family(o, "kiosk_build_info", "gauge", "The kiosk's version and the machine it runs on.");
    sample(o, false, "kiosk_build_info",
           (const char *const[]){"version", KIOSK_VERSION, "arch", arch, NULL}, 1);
}

static void sources(struct out *o, const json_t *list)
{
    static const char *const reasons[] = {"network", "timeout", "tls", "http", "invalid", "file"};
    size_t i;
    json_t *src;
    family(o, "kiosk_source_up", "gauge", "Whether the source's last poll succeeded.");
    json_array_foreach(list, i, src)
    {
        const char *l[] = {"source", str(src, "name", "?"), NULL};
        sample(o, false, "kiosk_source_up", l,
               json_integer_value(json_object_get(src, "failures")) == 0 &&
                   !json_is_null(json_object_get(src, "last_success")));
    }
    family(o, "kiosk_source_last_success_timestamp_seconds", "gauge",
           "When the source last answered with a good document or an unchanged one.");
    json_array_foreach(list, i, src)
    {
        int64_t t = iso_unix(json_object_get(src, "last_success"));
        if (t)
            sample(o, true, "kiosk_source_last_success_timestamp_seconds",
                   (const char *const[]){"source", str(src, "name", "?"), NULL}, (double)t);
    }
    family(o, "kiosk_source_last_attempt_timestamp_seconds", "gauge",
           "When the source was last polled.");
    json_array_foreach(list, i, src)
    {
        int64_t t = iso_unix(json_object_get(src, "last_attempt"));
        if (t)
            sample(o, true, "kiosk_source_last_attempt_timestamp_seconds",
                   (const char *const[]){"source", str(src, "name", "?"), NULL}, (double)t);
    }
    family(o, "kiosk_source_consecutive_failures", "gauge",
           "The source's failed polls since its last success.");
    json_array_foreach(list, i, src)
    {
        sample(o, false, "kiosk_source_consecutive_failures",
               (const char *const[]){"source", str(src, "name", "?"), NULL},
               (double)json_integer_value(json_object_get(src, "failures")));
    }
    family(o, "kiosk_source_poll_failures_total", "counter",
           "The source's failed polls since the kiosk started, by reason.");
    json_array_foreach(list, i, src)
    {
        const json_t *by = json_object_get(src, "failed_by");
        for (size_t r = 0; r < sizeof reasons / sizeof *reasons; r++)
            sample(
                o, false, "kiosk_source_poll_failures_total",
                (const char *const[]){"source", str(src, "name", "?"), "reason", reasons[r], NULL},
                (double)json_integer_value(json_object_get(by, reasons[r])));
    }
    family(o, "kiosk_source_document_bytes", "gauge",
           "The size of the source's last good document.");
    json_array_foreach(list, i, src)
    {
        sample(o, false, "kiosk_source_document_bytes",
               (const char *const[]){"source", str(src, "name", "?"), NULL},
               (double)json_integer_value(json_object_get(src, "bytes")));
    }
}

/* The kind of fault a slide left out of the playlist has, from its reason. */
static const char *fault_of(const char *why)
{
    if (strncmp(why, "quarantined", 11) == 0)
        return "quarantined";
    if (strncmp(why, "create()", 8) == 0)
        return "create_failed";
    if (strncmp(why, "no plugin named", 15) == 0)
        return "not_loaded";
    return "other";
}

static void count_fault(json_t *counts, const char *plugin, const char *fault)
{
    size_t i;
    json_t *c;
    json_array_foreach(counts, i, c)
    {
        if (strcmp(json_string_value(json_array_get(c, 0)), plugin) == 0 &&
            strcmp(json_string_value(json_array_get(c, 1)), fault) == 0) {
            json_array_set_new(c, 2, json_integer(json_integer_value(json_array_get(c, 2)) + 1));
            return;
        }
    }
    json_array_append_new(counts, json_pack("[s, s, i]", plugin, fault, 1));
}

static void plugins(struct out *o, const json_t *status, int64_t now)
{
    const json_t *pl = json_object_get(status, "plugins");
    const json_t *loaded = json_object_get(pl, "loaded"), *refused = json_object_get(pl, "refused");
    const json_t *failed = json_object_get(status, "slides_failed");
    gauge(o, "kiosk_plugins_loaded", "Plugins loaded.", (double)json_array_size(loaded));
    gauge(o, "kiosk_plugins_refused", "Plugin files found and refused.",
          (double)json_array_size(refused) +
              (double)json_integer_value(json_object_get(pl, "refused_unlisted")));
    gauge(o, "kiosk_slides_failed", "Slides of the configuration left out of the playlist.",
          (double)json_array_size(failed));
    /* a plugin's faults in its worker by kind, counted by the worker: they only grow until
     * the configuration is taken again (a reload makes new workers: a counter reset) */
    family(o, "kiosk_plugin_faults_total", "counter",
           "Faults of a plugin in its worker since the configuration was taken, by kind "
           "(crash, hang, memory, exit, bad_reply).");
    size_t i;
    json_t *f;
    const json_t *worker_faults = json_object_get(status, "plugin_faults");
    json_array_foreach(worker_faults, i, f)
    {
        for (int kind = 0; kind < KIOSK_FAULT_KINDS; kind++)
            sample(o, false, "kiosk_plugin_faults_total",
                   (const char *const[]){"plugin", str(f, "plugin", "?"), "fault",
                                         kiosk_worker_fault_kinds[kind], NULL},
                   (double)json_integer_value(json_object_get(json_object_get(f, "by_kind"),
                                                              kiosk_worker_fault_kinds[kind])));
    }
    /* what the configuration lost when it was taken: slides by plugin and reason, and
     * plugin files refused; [plugin, reason, n] for each pair seen */
    family(o, "kiosk_plugin_slides_failed", "gauge",
           "Slides of the configuration left out of the playlist, by plugin and reason "
           "(quarantined, create_failed, not_loaded), and plugin files refused (refused).");
    json_t *counts = json_array();
    json_array_foreach(failed, i, f)
        count_fault(counts, str(f, "plugin", "?"), fault_of(str(f, "reason", "")));
    json_array_foreach(refused, i, f)
    {
        const char *file = str(f, "file", "?"), *base = strrchr(file, '/');
        count_fault(counts, base ? base + 1 : file, "refused");
    }
    json_array_foreach(counts, i, f)
    {
        sample(o, false, "kiosk_plugin_slides_failed",
               (const char *const[]){"plugin", json_string_value(json_array_get(f, 0)), "reason",
                                     json_string_value(json_array_get(f, 1)), NULL},
               (double)json_integer_value(json_array_get(f, 2)));
    }
    json_decref(counts);
    const char *k;
    json_t *n;
    /* 1 for a plugin with a slide in quarantine (the crash-loop breaker's, or its worker's
     * until it is started again), 0 for every other plugin loaded */
    family(o, "kiosk_plugin_quarantined", "gauge",
           "Whether a slide of the plugin is quarantined (by the crash-loop breaker, or its "
           "worker after repeated faults).");
    json_t *q = json_object();
    json_array_foreach(loaded, i, f) json_object_set_new(q, str(f, "name", "?"), json_false());
    json_array_foreach(failed, i, f)
    {
        if (strcmp(fault_of(str(f, "reason", "")), "quarantined") == 0)
            json_object_set_new(q, str(f, "plugin", "?"), json_true());
    }
    json_array_foreach(worker_faults, i, f)
    {
        if (json_is_true(json_object_get(f, "quarantined")) &&
            iso_unix(json_object_get(f, "back_at")) > now)
            json_object_set_new(q, str(f, "plugin", "?"), json_true());
    }
    json_object_foreach(q, k, n)
    {
        sample(o, false, "kiosk_plugin_quarantined", (const char *const[]){"plugin", k, NULL},
               json_is_true(n));
    }
    json_decref(q);
}

static void frame_render(struct out *o, const json_t *h)
{
    const char *name = "kiosk_frame_render_seconds";
    family(o, name, "histogram", "How long drawing one slide takes.");
    /* every frame moves it: written with what changes, or with the ages */
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(h, "buckets"), i, b)
    {
        char le[32];
        snprintf(le, sizeof le, "%g", json_number_value(json_array_get(b, 0)));
        sample(o, true, "kiosk_frame_render_seconds_bucket", (const char *const[]){"le", le, NULL},
               (double)json_integer_value(json_array_get(b, 1)));
    }
    double count = (double)json_integer_value(json_object_get(h, "count"));
    sample(o, true, "kiosk_frame_render_seconds_bucket", (const char *const[]){"le", "+Inf", NULL},
           count);
    sample(o, true, "kiosk_frame_render_seconds_sum", NULL,
           json_number_value(json_object_get(h, "sum")));
    sample(o, true, "kiosk_frame_render_seconds_count", NULL, count);
}

/* The signed remote configuration, when the kiosk takes one: the serial running, the
 * documents refused, and its state with the last reason (a label: one sample at a time). */
static void remote_config(struct out *o, const json_t *rc)
{
    if (!json_is_object(rc))
        return;
    gauge(o, "kiosk_remote_config_serial",
          "The serial of the remote configuration running (0: the local one).",
          (double)json_integer_value(json_object_get(rc, "serial")));
    family(o, "kiosk_remote_config_refused_total", "counter",
           "Remote configuration documents refused or rolled back since the start, by reason.");
    /* every reason the kiosk gives, at 0 until it happens (a series that first appears at 1
     * is a refusal rate() and increase() never see), then any other it counted */
    const json_t *by = json_object_get(rc, "refused_by");
    const char *const *known = kiosk_remote_reasons;
    for (size_t i = 0; known[i]; i++)
        sample(o, false, "kiosk_remote_config_refused_total",
               (const char *const[]){"reason", known[i], NULL},
               (double)json_integer_value(json_object_get(by, known[i])));
    const char *why;
    json_t *n;
    json_object_foreach((json_t *)by, why, n)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], why) != 0)
            i++;
        if (!known[i])
            sample(o, false, "kiosk_remote_config_refused_total",
                   (const char *const[]){"reason", why, NULL}, (double)json_integer_value(n));
    }
    family(o, "kiosk_remote_config_state", "gauge",
           "The remote configuration's state, and the reason of its last refusal or rollback.");
    sample(
        o, false, "kiosk_remote_config_state",
        (const char *const[]){"state", str(rc, "state", ""), "reason", str(rc, "reason", ""), NULL},
        1);
}

static void from_status(struct out *o, const json_t *st, int64_t now)
{
    int64_t updated = iso_unix(json_object_get(st, "updated"));
    json_int_t beat = json_integer_value(json_object_get(st, "heartbeat_s"));
    int64_t behind = updated && now > updated ? now - updated : 0;
    /* a status.json its writer stopped renewing: the kiosk is hung or gone */
    gauge(o, "kiosk_up", "Whether the kiosk is running: its status renewed within its heartbeat.",
          updated && behind <= 2 * (beat > 0 ? beat : 60) + 5);
    family(o, "kiosk_status_updated_timestamp_seconds", "gauge", "When status.json was written.");
    sample(o, true, "kiosk_status_updated_timestamp_seconds", NULL, (double)updated);
    /* how old kiosk.prom may grow while the kiosk runs: the fleet's dashboard and alert
     * compare its age with this (every minute on tmpfs, every 15 on an SD card) */
    json_int_t refresh = json_integer_value(json_object_get(st, "metrics_refresh_s"));
    if (refresh > 0)
        gauge(o, "kiosk_metrics_refresh_seconds",
              "How often kiosk.prom is rewritten when nothing changed.", (double)refresh);
    json_int_t uptime = json_integer_value(json_object_get(st, "uptime_s"));
    gauge(o, "kiosk_start_time_seconds", "When the kiosk started.", (double)(updated - uptime));
    const json_t *age = json_object_get(st, "data_age_s");
    family(o, "kiosk_data_age_seconds", "gauge",
           "How old the data on screen is (its period's end, or when it came).");
    if (json_is_integer(age))
        sample(o, true, "kiosk_data_age_seconds", NULL, (double)(json_integer_value(age) + behind));
    gauge(o, "kiosk_data_present", "Whether the kiosk has data to show.",
          strcmp(str(st, "data", "none"), "none") != 0);
    gauge(o, "kiosk_data_stale", "Whether the next period is overdue.", flag(st, "stale"));
    const json_t *period = json_object_get(st, "period");
    family(o, "kiosk_data_period_info", "gauge", "The period on screen.");
    if (json_is_object(period))
        sample(o, false, "kiosk_data_period_info",
               (const char *const[]){"period", str(period, "id", ""), "label",
                                     str(period, "label", ""), NULL},
               1);
    int64_t due = iso_unix(json_object_get(st, "next_period_due"));
    family(o, "kiosk_data_next_period_due_timestamp_seconds", "gauge",
           "When the next period is due.");
    if (due)
        sample(o, false, "kiosk_data_next_period_due_timestamp_seconds", NULL, (double)due);
    gauge(o, "kiosk_sources_failing", "Whether the sources have failed longer than stale_after_h.",
          flag(st, "sources_failing"));
    sources(o, json_object_get(st, "sources"));
    gauge(o, "kiosk_storage_ok", "Whether the state directory takes what the kiosk saves.",
          flag(json_object_get(st, "storage"), "ok"));
    plugins(o, st, now);
    gauge(o, "kiosk_display_on", "Whether the screen is on (not asleep outside working hours).",
          flag(st, "display"));
    gauge(o, "kiosk_display_connected", "Whether a screen is plugged in and shown on.",
          flag(st, "display_connected"));
    gauge(o, "kiosk_clock_synchronised", "Whether the system clock is synchronised.",
          flag(st, "clock_synchronised"));
    remote_config(o, json_object_get(st, "remote_config"));
    const json_t *fleet = json_object_get(st, "fleet");
    if (json_is_object(fleet))
        gauge(o, "kiosk_fleet_broker_connected", "Whether the kiosk is connected to its broker.",
              flag(fleet, "connected"));
    const json_t *h = json_object_get(st, "frame_render");
    if (json_is_object(h))
        frame_render(o, h);
}

char *kiosk_metrics_text(const json_t *status, int64_t now_unix, char **key)
{
    char *all = NULL, *k = NULL;
    size_t all_len = 0, k_len = 0;
    struct out o = {open_memstream(&all, &all_len), key ? open_memstream(&k, &k_len) : NULL};
    if (!o.all || (key && !o.key)) {
        if (o.all)
            fclose(o.all);
        if (o.key)
            fclose(o.key);
        free(all);
        free(k);
        return NULL;
    }
    build(&o);
    if (status)
        from_status(&o, status, now_unix);
    else
        gauge(&o, "kiosk_up",
              "Whether the kiosk is running: its status renewed within its "
              "heartbeat.",
              0);
    bool failed = ferror(o.all) || (o.key && ferror(o.key));
    fclose(o.all);
    if (o.key)
        fclose(o.key);
    if (failed) {
        free(all);
        free(k);
        return NULL;
    }
    if (key)
        *key = k;
    return all;
}

int kiosk_metrics_write(struct kiosk_metrics_writer *w, const json_t *status, int64_t now)
{
    int64_t since = now - w->last_unix;
    if (now - w->checked_unix < KIOSK_METRICS_MIN_S && now >= w->checked_unix)
        return 0;
    w->checked_unix = now;
    char *key = NULL;
    char *text = kiosk_metrics_text(status, now, &key);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    int64_t refresh = w->refresh_s > 0 ? w->refresh_s : KIOSK_METRICS_MAX_S;
    if (w->last_key && strcmp(key, w->last_key) == 0 && since < refresh && since >= 0) {
        free(text);
        free(key);
        return 0;
    }
    int rc = kiosk_write_replace(w->path, text, strlen(text), false);
    free(text);
    w->last_unix = now; /* a failure is tried again at the next slot, not at every frame */
    if (rc == 0) {
        free(w->last_key);
        w->last_key = key;
        w->failing = false;
    } else {
        free(key);
        int e = errno;
        rc = w->failing ? 1 : -1;
        w->failing = true;
        errno = e;
    }
    return rc;
}

bool kiosk_metrics_place(struct kiosk_metrics_writer *w, const char *path)
{
    free(w->path);
    w->path = path ? strdup(path) : NULL;
    if (!w->path)
        return false;
    char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    bool durable = dir && !kiosk_dir_is_volatile(slash ? dir : ".");
    free(dir);
    w->refresh_s = durable ? KIOSK_METRICS_DURABLE_S : KIOSK_METRICS_MAX_S;
    return durable;
}

void kiosk_metrics_writer_free(struct kiosk_metrics_writer *w)
{
    free(w->path);
    free(w->last_key);
    memset(w, 0, sizeof *w);
}
