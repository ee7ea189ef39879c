#include "config.h"

#include "theme.h"

#include "core/array.h"
#include "core/feed.h"
#include "core/ini.h"
#include "core/parse.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A name seen in the file (a section, or a key of the current section) and its line. */
struct seen {
    char *name;
    int line;
};

struct parse {
    struct kiosk_config *c;
    struct kiosk_diags *d;
    char dir[4096];     /* the config file's directory, for relative paths */
    char problem[1024]; /* the first problem, said with its line by the caller */
    int problem_line;   /* its line */
    char section[256];  /* the section of the current key */
    int count;          /* problems seen */
    int line;           /* the line being read */
    struct seen *sections;
    size_t n_sections, dropped;
    struct seen *keys; /* the keys of the current section */
    size_t n_keys;
};

const char *const kiosk_slide_host_keys[] = {"plugin", "duration_s", "source", "interval_s", "days",
                                             "hours",  "from",       "until",  NULL};

static int problem(struct parse *p, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int problem(struct parse *p, const char *section, const char *key, const char *fmt, ...)
{
    if (!p->count++) {
        char msg[768];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        if (key)
            snprintf(p->problem, sizeof p->problem, "[%s] %s: %s", section, key, msg);
        else if (section)
            snprintf(p->problem, sizeof p->problem, "[%s]: %s", section, msg);
        else
            snprintf(p->problem, sizeof p->problem, "%s", msg);
        p->problem_line = p->line;
    }
    return 0;
}

static int set_text(char **dst, const char *value)
{
    free(*dst);
    *dst = strdup(value);
    return *dst != NULL;
}

/* A path relative to the config file's directory. */
static char *resolve(const struct parse *p, const char *value)
{
    if (value[0] == '/' || strstr(value, "://") || strcmp(value, "-") == 0)
        return strdup(value); /* absolute, or a URL */
    size_t n = strlen(p->dir) + strlen(value) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", p->dir, value);
    return out;
}

static int number(const char *v, double lo, double hi, double *out)
{
    return kiosk_parse_double(v, lo, hi, out);
}

static int kiosk_key(struct parse *p, const char *s, const char *k, const char *v)
{
    struct kiosk_config *c = p->c;
    double x;
    if (strcmp(k, "language") == 0) {
        if (strcmp(v, "vi") && strcmp(v, "en"))
            return problem(p, s, k, "expected vi or en, found \"%s\"", v);
        c->lang = strcmp(v, "en") == 0 ? KIOSK_LANG_CODE_EN : KIOSK_LANG_CODE_VI;
    } else if (strcmp(k, "theme") == 0) {
        if (!kiosk_theme_find(v))
            return problem(p, s, k, "expected dark or light, found \"%s\"", v);
        return set_text(&c->theme, v);
    } else if (strcmp(k, "home") == 0) {
        return set_text(&c->home, v);
    } else if (strcmp(k, "state_dir") == 0) {
        free(c->state_dir);
        c->state_dir_line = p->line;
        return (c->state_dir = resolve(p, v)) != NULL;
    } else if (strcmp(k, "metrics_file") == 0) {
        free(c->metrics_file);
        return (c->metrics_file = resolve(p, v)) != NULL;
    } else if (strcmp(k, "runtime_dir") == 0) {
        free(c->runtime_dir);
        return (c->runtime_dir = resolve(p, v)) != NULL;
    } else if (strcmp(k, "plugin_dir") == 0) {
        char **grown = realloc(c->plugin_dirs, (c->n_plugin_dirs + 1) * sizeof *grown);
        if (!grown)
            return 0;
        c->plugin_dirs = grown;
        return (c->plugin_dirs[c->n_plugin_dirs++] = resolve(p, v)) != NULL;
    } else if (strcmp(k, "stale_after_h") == 0) {
        if (number(v, 0, 24 * 366, &c->stale_after_h))
            return problem(p, s, k, "expected hours from 0 (never) to 8784, found \"%s\"", v);
    } else if (strcmp(k, "transition") == 0) {
        if (strcmp(v, "fade") && strcmp(v, "push") && strcmp(v, "none"))
            return problem(p, s, k, "expected fade, push or none, found \"%s\"", v);
        return set_text(&c->transition, v);
    } else if (strcmp(k, "renderer") == 0) {
        if (strcmp(v, "auto") && strcmp(v, "hardware") && strcmp(v, "software"))
            return problem(p, s, k, "expected auto, hardware or software, found \"%s\"", v);
        return set_text(&c->renderer, v);
    } else if (strcmp(k, "timezone") == 0) {
        char zone[4200];
        snprintf(zone, sizeof zone, "/usr/share/zoneinfo/%s", v);
        if (strstr(v, "..") || v[0] == '/' || access(zone, R_OK) != 0)
            return problem(p, s, k, "expected a time zone such as Asia/Ho_Chi_Minh, found \"%s\"",
                           v);
        return set_text(&c->timezone, v);
    } else if (strcmp(k, "size") == 0) {
        int w, h, n = 0;
        if (sscanf(v, "%dx%d%n", &w, &h, &n) != 2 || v[n] || w < 320 || h < 240 || w > 7680 ||
            h > 4320)
            return problem(p, s, k, "expected WIDTHxHEIGHT such as 1920x1080, found \"%s\"", v);
        c->width = w;
        c->height = h;
    } else if (strcmp(k, "threshold") == 0) {
        if (number(v, 0, 1000, &c->threshold))
            return problem(p, s, k, "expected a score from 0 to 1000, found \"%s\"", v);
    } else if (strcmp(k, "band") == 0) {
        /* band = 90 Xuất sắc */
        char *end;
        errno = 0;
        x = strtod(v, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        if (errno || end == v || !*end || !(x >= 0 && x <= 1000))
            return problem(p, s, k, "expected MIN LABEL such as \"90 Xuất sắc\", found \"%s\"", v);
        if (c->n_bands == KIOSK_CONF_MAX_BANDS)
            return problem(p, s, k, "at most %d bands", KIOSK_CONF_MAX_BANDS);
        if (!(c->band_labels[c->n_bands] = strdup(end)))
            return 0;
        c->bands[c->n_bands] = (struct kiosk_band){.min = x, .label = c->band_labels[c->n_bands]};
        c->n_bands++;
    } else if (strcmp(k, "rotate") == 0) {
        if (strcmp(v, "0") && strcmp(v, "90") && strcmp(v, "180") && strcmp(v, "270"))
            return problem(p, s, k, "expected 0, 90, 180 or 270 (degrees clockwise), found \"%s\"",
                           v);
        c->rotate = atoi(v);
    } else if (strcmp(k, "isolation") == 0) {
        if (strcmp(v, "builtin-inprocess") == 0)
            c->isolation = KIOSK_ISOLATION_BUILTIN_INPROCESS;
        else if (strcmp(v, "all") == 0)
            c->isolation = KIOSK_ISOLATION_ALL;
        else if (strcmp(v, "none") == 0)
            c->isolation = KIOSK_ISOLATION_NONE;
        else
            return problem(p, s, k, "expected builtin-inprocess, all or none, found \"%s\"", v);
    } else if (strcmp(k, "render_deadline_s") == 0) {
        if (number(v, 0.1, 60, &c->render_deadline_s))
            return problem(p, s, k, "expected seconds from 0.1 to 60, found \"%s\"", v);
    } else if (strcmp(k, "worker_memory_mb") == 0 || strcmp(k, "worker_cpu_s") == 0) {
        bool mem = k[7] == 'm';
        if (number(v, mem ? 32 : 10, mem ? 65536 : 864000, &x) || x != floor(x))
            return problem(p, s, k, "expected a whole number from %s, found \"%s\"",
                           mem ? "32 to 65536 (MiB)" : "10 to 864000 (seconds)", v);
        *(mem ? &c->worker_memory_mb : &c->worker_cpu_s) = (int)x;
    } else if (strcmp(k, "quarantine_h") == 0) {
        if (number(v, 0, 24 * 366, &c->quarantine_h))
            return problem(p, s, k, "expected hours from 0 to 8784, found \"%s\"", v);
    } else {
        return problem(p, s, k,
                       "unknown key (expected language, theme, home, state_dir, runtime_dir, "
                       "plugin_dir, "
                       "stale_after_h, transition, renderer, timezone, size, threshold, band, "
                       "rotate, metrics_file, isolation, render_deadline_s, worker_memory_mb, "
                       "worker_cpu_s or quarantine_h)");
    }
    return 1;
}

/* The length of a DER element at der[0..n), or 0 when it is not one: tag, length, and
 * the length within n. */
static size_t der_element(const unsigned char *der, size_t n, unsigned char tag)
{
    if (n < 2 || der[0] != tag)
        return 0;
    size_t len = der[1], head = 2;
    if (len & 0x80) {
        size_t bytes = len & 0x7f;
        if (bytes == 0 || bytes > 4 || n < 2 + bytes)
            return 0;
        len = 0;
        for (size_t i = 0; i < bytes; i++)
            len = len << 8 | der[2 + i];
        head += bytes;
    }
    return head + len <= n ? head + len : 0;
}

/* Does this base64 text decode to an X.509 certificate's outline: a SEQUENCE filling it
 * whose first element is a SEQUENCE (the signed part)? */
static bool der_certificate(const char *b64, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char *der = malloc(n / 4 * 3 + 3);
    size_t len = 0, bits = 0;
    unsigned long acc = 0;
    bool ok = der != NULL, padded = false;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = b64[i];
        if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t')
            continue;
        if (ch == '=') {
            padded = true;
            continue;
        }
        const char *at = ch ? strchr(alphabet, ch) : NULL;
        if (!at || padded) {
            ok = false;
            break;
        }
        acc = acc << 6 | (unsigned long)(at - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            der[len++] = (unsigned char)(acc >> bits);
        }
    }
    if (ok) {
        size_t whole = der_element(der, len, 0x30);
        size_t head = whole ? (der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2) : 0;
        ok = whole == len && len > head && der_element(der + head, len - head, 0x30) > 0;
    }
    free(der);
    return ok;
}

/* A ca_file: at least one PEM certificate, and nothing in it that does not read as one (a
 * file curl would refuse only at the first poll, as a TLS failure). */
static bool ca_file_ok(const char *path, char *why, size_t size)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0;
    if (f) {
        text = malloc(1 << 20);
        n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
        fclose(f);
    }
    if (!text) {
        snprintf(why, size, "cannot read it");
        return false;
    }
    text[n] = '\0';
    int certs = 0;
    bool ok = true;
    for (const char *at = text; ok && (at = strstr(at, begin));) {
        const char *body = at + sizeof begin - 1;
        const char *stop = strstr(body, end);
        if (!stop) {
            snprintf(why, size, "found a certificate with no END line");
            ok = false;
        } else if (!der_certificate(body, (size_t)(stop - body))) {
            snprintf(why, size, "found a certificate %d that does not decode", certs + 1);
            ok = false;
        } else {
            certs++;
            at = stop + sizeof end - 1;
        }
    }
    if (ok && !certs) {
        snprintf(why, size, "found none");
        ok = false;
    }
    free(text);
    return ok;
}

static int source_key(struct parse *p, const char *s, const char *k, const char *v)
{
    struct kiosk_source_conf *src = &p->c->sources[p->c->n_sources - 1];
    if (strcmp(k, "url") == 0) {
        const char *scheme_end = strstr(v, "://");
        if (scheme_end && strncmp(v, "http://", 7) && strncmp(v, "https://", 8) &&
            strncmp(v, "file://", 7))
            return problem(p, s, k,
                           "expected an http://, https:// or file:// URL or a path, found "
                           "\"%.*s://...\"",
                           (int)(scheme_end - v), v);
        free(src->location);
        return (src->location = resolve(p, v)) != NULL;
    }
    if (strcmp(k, "group") == 0) {
        if (!v[0] || strlen(v) > 16 ||
            strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(v))
            return problem(p, s, k, "expected a group code such as CKMB, found \"%s\"", v);
        return set_text(&src->group, v);
    }
    if (strcmp(k, "period") == 0) {
        int32_t a, b;
        char label[64];
        if (kiosk_period_id_parse(v, &a, &b, label, sizeof label))
            return problem(p, s, k,
                           "expected a period id such as 2026-08 or 2026-W35, found "
                           "\"%s\"",
                           v);
        return set_text(&src->period, v);
    }
    if (strcmp(k, "timeout_s") == 0) {
        double x;
        if (number(v, 1, 600, &x))
            return problem(p, s, k, "expected seconds from 1 to 600, found \"%s\"", v);
        src->timeout_s = (long)x;
        return 1;
    }
    if (strcmp(k, "post") == 0) {
        /* the body goes to the server as written: a typo is said here, not as an HTTP 400 */
        json_error_t err;
        json_t *body = json_loads(v, JSON_REJECT_DUPLICATES, &err);
        if (!body)
            return problem(p, s, k,
                           "expected a JSON body such as {\"timeType\": \"month\", ...}: "
                           "%s at character %d",
                           err.text, err.position);
        json_decref(body);
        return set_text(&src->post_body, v);
    }
    if (strcmp(k, "token_file") == 0 || strcmp(k, "ca_file") == 0) {
        char **dst = k[0] == 't' ? &src->token_file : &src->ca_file;
        free(*dst);
        if (!(*dst = resolve(p, v)))
            return 0;
        if (access(*dst, R_OK) != 0)
            return problem(p, s, k, "cannot read %s: %s", *dst, strerror(errno));
        char why[256];
        if (k[0] == 'c' && !ca_file_ok(*dst, why, sizeof why))
            return problem(p, s, k,
                           "expected PEM certificates (-----BEGIN CERTIFICATE-----) in %s, %s",
                           *dst, why);
        return 1;
    }
    if (strcmp(k, "interval_s") == 0) {
        double x;
        if (number(v, 10, 7 * 86400, &x))
            return problem(p, s, k, "expected seconds from 10 to 604800, found \"%s\"", v);
        src->interval_s = (long)x;
        return 1;
    }
    return problem(p, s, k,
                   "unknown key (expected url, group, period, interval_s, timeout_s, post, "
                   "token_file or ca_file)");
}

/* [schedule]: mon .. sun (or weekdays, for mon-fri) = 07:00-17:30 | off; holiday = date */
static int schedule_key(struct parse *p, const char *s, const char *k, const char *v)
{
    static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char why[256];
    if (strcmp(k, "trust_clock") == 0) {
        if (strcmp(v, "yes") && strcmp(v, "no"))
            return problem(p, s, k, "expected yes or no, found \"%s\"", v);
        p->c->schedule.trust_clock = strcmp(v, "yes") == 0;
        return 1;
    }
    if (strcmp(k, "holiday") == 0) {
        if (kiosk_schedule_add_holiday(&p->c->schedule, v))
            return problem(p, s, k, "expected a date as YYYY-MM-DD (at most %d), found \"%s\"",
                           KIOSK_SCHEDULE_HOLIDAYS, v);
        return 1;
    }
    int first = -1, last = -1;
    if (strcmp(k, "weekdays") == 0) {
        first = 0;
        last = 4;
    }
    for (int d = 0; d < 7; d++)
        if (strcmp(k, days[d]) == 0)
            first = last = d;
    if (first < 0)
        return problem(p, s, k,
                       "unknown key (expected mon, tue, wed, thu, fri, sat, sun, "
                       "weekdays, holiday or trust_clock)");
    for (int d = first; d <= last; d++)
        if (kiosk_schedule_set_day(&p->c->schedule, d, v, why, sizeof why))
            return problem(p, s, k, "%s", why);
    return 1;
}

/* source = a path, file:// or http(s)://, for a slide or the banner */
static int own_source(struct parse *p, const char *s, const char *k, const char *v, char **dst)
{
    const char *scheme_end = strstr(v, "://");
    if (!v[0] || (scheme_end && strncmp(v, "http://", 7) && strncmp(v, "https://", 8) &&
                  strncmp(v, "file://", 7)))
        return problem(p, s, k,
                       "expected an http://, https:// or file:// URL or a path, found \"%s\"", v);
    free(*dst);
    return (*dst = resolve(p, v)) != NULL;
}

static int own_interval(struct parse *p, const char *s, const char *k, const char *v, long *dst)
{
    double x;
    if (number(v, 10, 7 * 86400, &x))
        return problem(p, s, k, "expected seconds from 10 to 604800, found \"%s\"", v);
    *dst = (long)x;
    return 1;
}

/* The host's keys of a slide: its own source and when it is shown. 1 when taken, 0 for a
 * problem said or out of memory, -1 when the key is not one of them. */
static int slide_host_key(struct parse *p, const char *s, const char *k, const char *v,
                          struct kiosk_slide_conf *sl)
{
    char why[512];
    int rc = 0;
    if (strcmp(k, "source") == 0)
        return own_source(p, s, k, v, &sl->source);
    if (strcmp(k, "interval_s") == 0)
        return own_interval(p, s, k, v, &sl->interval_s);
    if (strcmp(k, "days") == 0)
        rc = kiosk_when_set_days(&sl->when, v, why, sizeof why);
    else if (strcmp(k, "hours") == 0)
        rc = kiosk_when_set_hours(&sl->when, v, why, sizeof why);
    else if (strcmp(k, "from") == 0 || strcmp(k, "until") == 0)
        rc = kiosk_when_set_date(&sl->when, k[0] == 'u', v, why, sizeof why);
    else
        return -1;
    return rc ? problem(p, s, k, "%s", why) : 1;
}

static int slide_key(struct parse *p, const char *s, const char *k, const char *v)
{
    struct kiosk_slide_conf *sl = &p->c->slides[p->c->n_slides - 1];
    if (strcmp(k, "plugin") == 0 && !set_text(&sl->plugin, v))
        return 0;
    if (strcmp(k, "duration_s") == 0 && number(v, 1, 3600, &sl->duration_s))
        return problem(p, s, k, "expected seconds from 1 to 3600, found \"%s\"", v);
    if (slide_host_key(p, s, k, v, sl) == 0)
        return 0; /* a problem said, or out of memory */
    /* every key, known to the host or not, is the plugin's to read; a `path` (a picture, a
     * folder of them) relative to the config file, as every path of the config is */
    if (strcmp(k, "path") == 0) {
        char *full = resolve(p, v);
        int ok = full && kiosk_keyvals_set_at(&sl->kv, k, full, p->line) == 0;
        free(full);
        return ok;
    }
    return kiosk_keyvals_set_at(&sl->kv, k, v, p->line) == 0;
}

/* [fleet]: the remote configuration's keys (remote.c), then the broker's (fleet.c). */
static int fleet_key(struct parse *p, const char *s, const char *k, const char *v)
{
    char why[512];
    int rc = kiosk_remote_conf_key(&p->c->remote, k, v, why, sizeof why);
    if (rc < 0)
        return problem(p, s, k, "%s", why);
    if (rc == 0 && kiosk_fleet_key(&p->c->fleet, p->dir, k, v, why, sizeof why)) /* the broker's */
        return problem(p, s, k, "%s", why);
    if (rc == 0)
        p->c->fleet.any_set = true;
    return 1;
}

/* until = 2026-12-31T17:00 (local time), kept as written for comparing with the clock */
static bool local_minute_ok(const char *v)
{
    int32_t day;
    char date[11];
    int hh, mm, n = 0;
    if (strlen(v) != 16 || v[10] != 'T')
        return false;
    memcpy(date, v, 10);
    date[10] = '\0';
    return kiosk_date_parse(date, &day) == 0 && sscanf(v + 11, "%2d:%2d%n", &hh, &mm, &n) == 2 &&
           n == 5 && v[13] == ':' && hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59;
}

/* [banner]: position, text, source, interval_s, until, urgent */
static int banner_key(struct parse *p, const char *s, const char *k, const char *v)
{
    struct kiosk_banner_conf *b = &p->c->banner;
    if (strcmp(k, "position") == 0) {
        if (strcmp(v, "top") && strcmp(v, "bottom"))
            return problem(p, s, k, "expected top or bottom, found \"%s\"", v);
        b->top = strcmp(v, "top") == 0;
        return 1;
    }
    if (strcmp(k, "text") == 0) {
        if (strlen(v) > 4096)
            return problem(p, s, k, "expected at most 4096 bytes of text, found %zu", strlen(v));
        return set_text(&b->text, v);
    }
    if (strcmp(k, "source") == 0)
        return own_source(p, s, k, v, &b->source);
    if (strcmp(k, "interval_s") == 0)
        return own_interval(p, s, k, v, &b->interval_s);
    if (strcmp(k, "until") == 0) {
        if (!local_minute_ok(v))
            return problem(p, s, k,
                           "expected a local time as YYYY-MM-DDTHH:MM (e.g. 2026-12-31T17:00), "
                           "found \"%s\"",
                           v);
        snprintf(b->until, sizeof b->until, "%s", v);
        return 1;
    }
    if (strcmp(k, "urgent") == 0) {
        if (strcmp(v, "yes") && strcmp(v, "no"))
            return problem(p, s, k, "expected yes or no, found \"%s\"", v);
        b->urgent = strcmp(v, "yes") == 0;
        return 1;
    }
    return problem(p, s, k,
                   "unknown key (expected position, text, source, interval_s, until or urgent)");
}

/* Starts a new [source.NAME] or [slide.NAME] when the section changes. */
static int begin_section(struct parse *p, const char *section)
{
    struct kiosk_config *c = p->c;
    if (strncmp(section, "source.", 7) == 0) {
        struct kiosk_source_conf *grown = realloc(c->sources, (c->n_sources + 1) * sizeof *grown);
        if (!grown)
            return 0;
        c->sources = grown;
        c->sources[c->n_sources] =
            (struct kiosk_source_conf){.interval_s = 300, .timeout_s = 60, .line = p->line};
        return (c->sources[c->n_sources++].name = strdup(section + 7)) != NULL;
    }
    if (strncmp(section, "slide.", 6) == 0) {
        struct kiosk_slide_conf *grown = realloc(c->slides, (c->n_slides + 1) * sizeof *grown);
        if (!grown)
            return 0;
        c->slides = grown;
        c->slides[c->n_slides] =
            (struct kiosk_slide_conf){.duration_s = 15, .interval_s = 300, .line = p->line};
        struct kiosk_slide_conf *sl = &c->slides[c->n_slides++];
        sl->name = strdup(section + 6);
        return sl->name != NULL;
    }
    if (strcmp(section, "banner") == 0)
        c->banner =
            (struct kiosk_banner_conf){.configured = true, .line = p->line, .interval_s = 60};
    return 1;
}

/* A playlist whose slides have hours and none of which is a leaderboard gets one of its
 * own, shown only when no slide is in its hours: never a black screen, and never a slide
 * out of its hours. 0, or -1 out of memory. */
static int add_fallback(struct kiosk_config *c)
{
    bool scheduled = false;
    for (size_t i = 0; i < c->n_slides; i++) {
        if (strcmp(c->slides[i].plugin, "leaderboard") == 0)
            return 0;
        scheduled |= kiosk_when_set(&c->slides[i].when);
    }
    if (!scheduled)
        return 0;
    char name[32] = "fallback"; /* a name no slide of the file has: fallback, fallback-2, ... */
    for (int n = 2, taken = 1; taken; n++) {
        taken = 0;
        for (size_t i = 0; i < c->n_slides && !taken; i++)
            taken = strcmp(c->slides[i].name, name) == 0;
        if (taken)
            snprintf(name, sizeof name, "fallback-%d", n);
    }
    struct kiosk_slide_conf *grown = realloc(c->slides, (c->n_slides + 1) * sizeof *grown);
    if (!grown)
        return -1;
    c->slides = grown;
    struct kiosk_slide_conf *sl = &c->slides[c->n_slides];
    *sl = (struct kiosk_slide_conf){.duration_s = 15, .interval_s = 300, .fallback = true};
    if (!(sl->name = strdup(name)) || !(sl->plugin = strdup("leaderboard")) ||
        kiosk_keyvals_set_at(&sl->kv, "plugin", "leaderboard", 0)) {
        free(sl->name);
        free(sl->plugin);
        kiosk_keyvals_free(&sl->kv);
        return -1;
    }
    c->n_slides++;
    return 0;
}

/* Keys that may be given more than once, each adding to a list; any other key given twice
 * in one section is refused rather than silently overridden. */
static bool repeatable(const char *section, const char *key)
{
    if (strcmp(section, "kiosk") == 0)
        return strcmp(key, "band") == 0 || strcmp(key, "plugin_dir") == 0;
    if (strcmp(section, "schedule") == 0)
        return strcmp(key, "holiday") == 0;
    return false;
}

static const struct seen *seen_find(const struct seen *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

static int seen_add(struct seen **list, size_t *n, size_t *dropped, const char *name, int line)
{
    struct seen e = {.name = strdup(name), .line = line};
    if (!e.name || KIOSK_ARRAY_APPEND(*list, *n, e, 0, dropped)) {
        free(e.name);
        return 0;
    }
    return 1;
}

static void seen_free(struct seen **list, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free((*list)[i].name);
    free(*list);
    *list = NULL;
    *n = 0;
}

/* A source's name names its cache files in the state directory: only letters, digits, -
 * and _, so that two sources can never share one. */
static bool source_name_ok(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && n <= KIOSK_SOURCE_NAME_MAX &&
           strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

static int on_section(void *user, const char *section, int line)
{
    struct parse *p = user;
    p->line = line;
    const struct seen *before = seen_find(p->sections, p->n_sections, section);
    if (before)
        return problem(p, section, NULL,
                       "a second [%s] section (the first is at line %d): give each section "
                       "once",
                       section, before->line);
    bool known = strcmp(section, "kiosk") == 0 || strcmp(section, "schedule") == 0 ||
                 strcmp(section, "fleet") == 0 || strcmp(section, "banner") == 0 ||
                 (strncmp(section, "source.", 7) == 0 && section[7]) ||
                 (strncmp(section, "slide.", 6) == 0 && section[6]);
    if (!known)
        return problem(p, section, NULL,
                       "unknown section (expected [kiosk], [schedule], [banner], [fleet], "
                       "[source.NAME] "
                       "or [slide.NAME])");
    if (strncmp(section, "source.", 7) == 0 && !source_name_ok(section + 7))
        return problem(p, section, NULL,
                       "expected a source name of at most %d letters, digits, - or _ (it names "
                       "the source's cache file), found \"%s\"",
                       KIOSK_SOURCE_NAME_MAX, section + 7);
    snprintf(p->section, sizeof p->section, "%s", section);
    seen_free(&p->keys, &p->n_keys);
    if (!seen_add(&p->sections, &p->n_sections, &p->dropped, section, p->line) ||
        !begin_section(p, section))
        return problem(p, section, NULL, "out of memory");
    return 1;
}

static int on_key(void *user, const char *key, const char *value, int line)
{
    struct parse *p = user;
    p->line = line;
    const char *section = p->section;
    if (!section[0])
        return problem(p, NULL, NULL,
                       "expected a [section] before the first key, found \"%s = ...\"", key);
    const struct seen *before = seen_find(p->keys, p->n_keys, key);
    if (before && !repeatable(section, key))
        return problem(p, section, key,
                       "given again (first at line %d): a key is given once per section",
                       before->line);
    if (!seen_add(&p->keys, &p->n_keys, &p->dropped, key, p->line))
        return problem(p, section, key, "out of memory");
    if (strcmp(section, "kiosk") == 0)
        return kiosk_key(p, section, key, value);
    if (strcmp(section, "schedule") == 0)
        return schedule_key(p, section, key, value);
    if (strcmp(section, "banner") == 0)
        return banner_key(p, section, key, value);
    if (strncmp(section, "source.", 7) == 0)
        return source_key(p, section, key, value);
    if (strcmp(section, "fleet") == 0)
        return fleet_key(p, section, key, value);
    return slide_key(p, section, key, value);
}

int kiosk_config_load(const char *path, struct kiosk_config *c, struct kiosk_diags *d)
{
    struct parse p = {.c = c, .d = d};
    memset(c, 0, sizeof *c);
    c->lang = KIOSK_LANG_CODE_VI;
    c->threshold = NAN;
    c->stale_after_h = 48;
    c->render_deadline_s = 2;
    c->worker_memory_mb = 256;
    c->worker_cpu_s = 3600;
    c->quarantine_h = 1;
    c->width = 1920;
    c->height = 1080;
    c->path = strdup(path);
    kiosk_remote_conf_init(&c->remote);
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", path);
    snprintf(p.dir, sizeof p.dir, "%s", dirname(copy));
    static const struct kiosk_ini_handler handler = {.section = on_section, .key = on_key};
    char why[1024];
    int line, lines;
    int rc = kiosk_ini_read(path, &handler, &p, &line, &lines, why, sizeof why);
    seen_free(&p.sections, &p.n_sections);
    seen_free(&p.keys, &p.n_keys);
    c->lines = lines;
    if (rc == KIOSK_EIO || rc == KIOSK_ESCHEMA) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, line, 0, "%s", why);
        return rc;
    }
    if (p.count) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, p.problem_line, 0, "%s", p.problem);
        return KIOSK_ESCHEMA;
    }
    for (size_t i = 0; i < c->n_sources; i++)
        if (!c->sources[i].location) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, c->sources[i].line, 0,
                            "[source.%s]: missing url (a file, a file:// URL or http(s)://)",
                            c->sources[i].name);
            return KIOSK_ESCHEMA;
        }
    for (size_t i = 0; i < c->n_slides; i++)
        if (!c->slides[i].plugin) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, c->slides[i].line, 0,
                            "[slide.%s]: missing plugin (e.g. plugin = leaderboard)",
                            c->slides[i].name);
            return KIOSK_ESCHEMA;
        }
    if (add_fallback(c)) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        return KIOSK_ESCHEMA;
    }
    if (c->banner.configured && !c->banner.text && !c->banner.source) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, c->banner.line, 0,
                        "[banner]: expected text = ... or source = URL");
        return KIOSK_ESCHEMA;
    }
    if (c->banner.text && c->banner.source) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, c->banner.line, 0,
                        "[banner]: expected text or source, found both");
        return KIOSK_ESCHEMA;
    }
    char fleet_why[512];
    if (kiosk_fleet_finish(&c->fleet, "/etc/machine-id", fleet_why, sizeof fleet_why)) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "[fleet]: %s", fleet_why);
        return KIOSK_ESCHEMA;
    }
    if (!c->transition)
        c->transition = strdup("fade");
    if (!c->theme)
        c->theme = strdup("dark");
    if (!c->timezone)
        c->timezone = strdup("Asia/Ho_Chi_Minh");
    if (!c->renderer)
        c->renderer = strdup("auto");
    return 0;
}

void kiosk_config_free(struct kiosk_config *c)
{
    free(c->path);
    free(c->theme);
    free(c->home);
    free(c->state_dir);
    free(c->runtime_dir);
    free(c->transition);
    free(c->timezone);
    free(c->renderer);
    free(c->metrics_file);
    kiosk_fleet_free(&c->fleet);
    for (size_t i = 0; i < c->n_plugin_dirs; i++)
        free(c->plugin_dirs[i]);
    free(c->plugin_dirs);
    for (size_t i = 0; i < c->n_bands; i++)
        free(c->band_labels[i]);
    for (size_t i = 0; i < c->n_sources; i++) {
        free(c->sources[i].name);
        free(c->sources[i].location);
        free(c->sources[i].group);
        free(c->sources[i].period);
        free(c->sources[i].post_body);
        free(c->sources[i].token_file);
        free(c->sources[i].ca_file);
    }
    free(c->sources);
    for (size_t i = 0; i < c->n_slides; i++) {
        free(c->slides[i].name);
        free(c->slides[i].plugin);
        free(c->slides[i].source);
        kiosk_keyvals_free(&c->slides[i].kv);
    }
    free(c->slides);
    kiosk_remote_conf_free(&c->remote);
    free(c->banner.text);
    free(c->banner.source);
    memset(c, 0, sizeof *c);
}
