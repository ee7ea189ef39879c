#include "poller.h"

#include "core/seed.h"
#include "core/files.h"
#include "core/history.h"
#include "core/pipeline.h"
#include "fetch.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_CAP_S 3600

struct source_run {
    const struct kiosk_poll_source *conf;
    char *body; /* the last good document, or NULL */
    size_t len;
    char etag[256], last_modified[128];
    int64_t fetched_at; /* when the good document arrived */
    double due;         /* monotonic seconds of the next poll */
    bool cache_dirty;   /* the document is newer than the cache: save it when it can */
    uint64_t serial;    /* documents taken so far */
    struct kiosk_source_status status;
};

struct kiosk_poller {
    struct kiosk_poller_config cfg;
    struct source_run *src;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, wake, started;
    unsigned seed;
    /* the storage: what could not be saved is kept dirty and saved when it can */
    bool history_dirty;
    double retry_at; /* monotonic seconds of the next try, when something is dirty */
    char storage_error[256];
};

#define STORAGE_RETRY_S 60

/* How long after a failed save it is tried again: a minute, or sooner when the sources
 * are polled more often (--interval). */
static double storage_retry_s(const struct kiosk_poller *p)
{
    double s = STORAGE_RETRY_S;
    if (p->cfg.interval_override_s > 0 && p->cfg.interval_override_s < s)
        s = p->cfg.interval_override_s;
    return s;
}

/* An errno of a failed write as a technician reads it. */
static const char *storage_words(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
        return "disk full";
    case EROFS:
        return "read-only file system";
    case EACCES:
    case EPERM:
        return "not allowed to write (permissions)";
    default:
        return strerror(e);
    }
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void say(struct kiosk_poller *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct kiosk_poller *p, const char *fmt, ...)
{
    if (!p->cfg.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->cfg.log, fmt, ap);
    va_end(ap);
    fputc('\n', p->cfg.log);
    fflush(p->cfg.log);
}

static double interval_s(const struct kiosk_poller *p, const struct source_run *s)
{
    if (p->cfg.interval_override_s > 0)
        return p->cfg.interval_override_s;
    return s->conf->interval_s > 0 ? (double)s->conf->interval_s : 300;
}

/* The next poll: the interval (doubled per failure, capped) times a jitter of +-10%. */
static void schedule(struct kiosk_poller *p, struct source_run *s, double now)
{
    double wait = interval_s(p, s);
    for (int i = 0; i < s->status.failures && wait < BACKOFF_CAP_S; i++)
        wait *= 2;
    if (wait > BACKOFF_CAP_S && p->cfg.interval_override_s <= 0)
        wait = BACKOFF_CAP_S;
    double jitter = 0.9 + 0.2 * ((double)rand_r(&p->seed) / RAND_MAX);
    s->due = now + wait * jitter;
    s->status.next_poll = (int64_t)time(NULL) + (int64_t)(wait * jitter);
}

/* ---- the cache: NAME.json (the document) and NAME.meta (its validators) ---- */

static const char *cache_folder(const struct kiosk_poller *p)
{
    return p->cfg.cache_dir ? p->cfg.cache_dir : "cache";
}

static void cache_path(const struct kiosk_poller *p, const struct source_run *s, const char *ext,
                       char *buf, size_t size)
{
    char safe[64];
    size_t n = 0;
    for (const char *c = s->conf->name; *c && n + 1 < sizeof safe; c++)
        safe[n++] = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                            (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'
                        ? *c
                        : '_';
    safe[n] = '\0';
    if (p->cfg.raw && strcmp(ext, "json") == 0)
        ext = "body"; /* a slide's document may be anything */
    snprintf(buf, size, "%s/%s/%s.%s", p->cfg.state_dir, cache_folder(p), safe, ext);
}

/* Saves the source's document and validators; 0, or -1 with the reason kept for status. */
static int cache_save(struct kiosk_poller *p, struct source_run *s)
{
    if (!p->cfg.state_dir)
        return 0;
    char dir[4200], body[4300], meta[4300];
    snprintf(dir, sizeof dir, "%s/%s", p->cfg.state_dir, cache_folder(p));
    mkdir(p->cfg.state_dir, 0755);
    mkdir(dir, 0755);
    cache_path(p, s, "json", body, sizeof body);
    cache_path(p, s, "meta", meta, sizeof meta);
    json_t *m =
        json_pack("{s:s, s:s, s:s, s:I}", "url", s->conf->url, "etag", s->etag, "last_modified",
                  s->last_modified, "fetched_at", (json_int_t)s->fetched_at);
    char *text = m ? json_dumps(m, JSON_COMPACT) : NULL;
    /* the document first: a meta without its document is never left behind */
    int rc = 0;
    if (kiosk_write_atomic(body, s->body, s->len) != 0 ||
        (text && kiosk_write_atomic(meta, text, strlen(text)) != 0)) {
        int e = errno;
        pthread_mutex_lock(&p->mu);
        snprintf(p->storage_error, sizeof p->storage_error,
                 "cannot save the cache of source %s in %s: %s", s->conf->name, dir,
                 storage_words(e));
        pthread_mutex_unlock(&p->mu);
        say(p, "source %s: %s; kept in memory, saved when it can", s->conf->name, p->storage_error);
        rc = -1;
    }
    free(text);
    json_decref(m);
    pthread_mutex_lock(&p->mu);
    s->cache_dirty = rc != 0;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* Reads a document as this source's; 0, or -1 with the first problem in why. */
static int validate(struct kiosk_poller *p, const struct source_run *s, const char *body,
                    size_t len, char *why, size_t size)
{
    if (p->cfg.raw) /* taken as it is: its slide reads it */
        return 0;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = p->cfg.max_bytes;
    o.period = s->conf->period;
    o.require_period = true;
    int rc = kiosk_feed_read_buffer(&t, s->conf->url, s->conf->group, body, len, &o, &d, NULL);
    if (rc && d.count)
        kiosk_diag_format(&d.items[0], why, size);
    else if (rc)
        snprintf(why, size, "%s", kiosk_strerror(rc));
    kiosk_table_free(&t);
    kiosk_diags_free(&d);
    return rc ? -1 : 0;
}

static const char *text_of(const json_t *v)
{
    const char *s = json_string_value(v);
    return s ? s : "";
}

static void cache_load(struct kiosk_poller *p, struct source_run *s)
{
    char body[4300], meta[4300], why[512];
    if (!p->cfg.state_dir)
        return;
    cache_path(p, s, "json", body, sizeof body);
    cache_path(p, s, "meta", meta, sizeof meta);
    json_error_t err;
    json_t *m = json_load_file(meta, 0, &err);
    FILE *f = m ? fopen(body, "rb") : NULL;
    const char *url = json_string_value(json_object_get(m, "url"));
    if (!f || !url || strcmp(url, s->conf->url) != 0) {
        /* nothing cached, or cached for another URL: start without it */
        if (f)
            fclose(f);
        json_decref(m);
        return;
    }
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size <= p->cfg.max_bytes &&
        (data = malloc((size_t)st.st_size + 1)))
        len = fread(data, 1, (size_t)st.st_size, f);
    fclose(f);
    if (!data || len != (size_t)st.st_size || validate(p, s, data, len, why, sizeof why)) {
        char aside[4400];
        snprintf(aside, sizeof aside, "%s.corrupt", body);
        rename(body, aside);
        unlink(meta);
        say(p, "source %s: the cached document does not read (%s); moved aside to %s",
            s->conf->name, data ? why : "cannot read it", aside);
        free(data);
        json_decref(m);
        return;
    }
    data[len] = '\0';
    s->body = data;
    s->len = len;
    s->serial++;
    snprintf(s->etag, sizeof s->etag, "%s", text_of(json_object_get(m, "etag")));
    snprintf(s->last_modified, sizeof s->last_modified, "%s",
             text_of(json_object_get(m, "last_modified")));
    s->fetched_at = json_integer_value(json_object_get(m, "fetched_at"));
    s->status.last_success = s->fetched_at;
    s->status.bytes = len;
    snprintf(s->status.etag, sizeof s->status.etag, "%s", s->etag);
    json_decref(m);
}

/* Scores every source's last good document together and hands the snapshot over. */
static void publish(struct kiosk_poller *p, bool hand_over)
{
    if (p->cfg.raw) /* nothing to score: the documents are handed out as they are */
        return;
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    o.limits.max_bytes = p->cfg.max_bytes;
    o.require_period = true;
    int64_t oldest = 0;
    size_t used = 0;
    for (size_t i = 0; i < p->cfg.n_sources; i++) {
        struct source_run *s = &p->src[i];
        if (!s->body)
            continue;
        o.period = s->conf->period;
        if (kiosk_feed_read_buffer(&t, s->conf->url, s->conf->group, s->body, s->len, &o, &d,
                                   NULL) == 0) {
            used++;
            if (!oldest || s->fetched_at < oldest)
                oldest = s->fetched_at;
        }
    }
    struct kiosk_snapshot *snap = NULL;
    struct kiosk_score_options so;
    if (p->cfg.score)
        so = *p->cfg.score;
    else
        kiosk_score_options_init(&so);
    so.fetched_unix = oldest; /* what the data's age is when the feed does not say */
    bool saved = true;
    if (used && kiosk_pipeline_score_table(&t, p->cfg.state_dir, &so, &d, &snap, &saved) == 0) {
        if (hand_over)
            p->cfg.on_snapshot(p->cfg.ctx, snap);
        else
            kiosk_snapshot_unref(snap);
    } else {
        kiosk_table_free(&t);
    }
    char first[1024] = "";
    for (size_t i = 0; i < d.count; i++) {
        char line[1024];
        kiosk_diag_format(&d.items[i], line, sizeof line);
        if (!first[0] && d.items[i].file && strstr(d.items[i].file, KIOSK_HISTORY_FILE))
            snprintf(first, sizeof first, "%s", line);
        say(p, "data: %s", line);
    }
    kiosk_diags_free(&d);
    if (!used)
        return;
    pthread_mutex_lock(&p->mu);
    bool was = p->history_dirty;
    p->history_dirty = !saved;
    if (!saved)
        snprintf(p->storage_error, sizeof p->storage_error, "%s",
                 first[0] ? first : "cannot save the history store");
    else if (was)
        say(p, "storage: the history store is saved again");
    pthread_mutex_unlock(&p->mu);
}

/* Whether something could not be saved; sets when to try again. Called with the lock. */
static bool storage_dirty(struct kiosk_poller *p)
{
    bool dirty = p->history_dirty;
    for (size_t i = 0; i < p->cfg.n_sources; i++)
        dirty |= p->src[i].cache_dirty;
    if (!dirty)
        p->storage_error[0] = '\0';
    return dirty;
}

/* Saves what could not be saved before (space came back, the folder is writable again).
 * Called without the lock. */
static void storage_retry(struct kiosk_poller *p)
{
    bool history = false;
    for (size_t i = 0; i < p->cfg.n_sources; i++) {
        struct source_run *s = &p->src[i];
        if (s->cache_dirty && cache_save(p, s) == 0)
            say(p, "source %s: the cache is saved again", s->conf->name);
    }
    pthread_mutex_lock(&p->mu);
    history = p->history_dirty;
    pthread_mutex_unlock(&p->mu);
    if (history)
        publish(p, false); /* the same data: the screen has it; only the store is due */
}

const char *kiosk_poll_reason_name(enum kiosk_poll_reason r)
{
    static const char *const names[KIOSK_POLL_REASONS] = {"network", "timeout", "tls",
                                                          "http",    "invalid", "file"};
    return r < KIOSK_POLL_REASONS ? names[r] : "network";
}

static bool contains_ci(const char *s, const char *word)
{
    for (size_t n = strlen(word); *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

/* The reason of a failed poll, from what failed and the one line that says it. */
static enum kiosk_poll_reason reason_of(const struct kiosk_poll_source *src, bool refused,
                                        long http_status, const char *error)
{
    if (refused || strstr(error, "larger than") || strstr(error, "too large"))
        return KIOSK_POLL_INVALID;
    if (http_status >= 400)
        return KIOSK_POLL_HTTP;
    if (strncmp(src->url, "http://", 7) && strncmp(src->url, "https://", 8))
        return KIOSK_POLL_FILE;
    if (contains_ci(error, "timeout") || contains_ci(error, "timed out"))
        return KIOSK_POLL_TIMEOUT;
    if (contains_ci(error, "ssl") || contains_ci(error, "tls") || contains_ci(error, "certificate"))
        return KIOSK_POLL_TLS;
    return KIOSK_POLL_NETWORK;
}

/* Whether the poller is being stopped: its transfer ends at once. */
static bool stopping(void *ctx)
{
    struct kiosk_poller *p = ctx;
    pthread_mutex_lock(&p->mu);
    bool stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    return stop;
}

/* Polls one source; returns true when its document changed. Called without the lock. */
static bool poll_one(struct kiosk_poller *p, struct source_run *s)
{
    const struct kiosk_cancel cancel = {stopping, p};
    struct kiosk_fetch_request rq = {.url = s->conf->url,
                                     .etag = s->body ? s->etag : NULL,
                                     .last_modified = s->body ? s->last_modified : NULL,
                                     .post_body = s->conf->post_body,
                                     .headers = s->conf->headers,
                                     .ca_file = s->conf->ca_file,
                                     .max_bytes = p->cfg.max_bytes,
                                     .connect_timeout_s = 10,
                                     .total_timeout_s =
                                         s->conf->timeout_s > 0 ? s->conf->timeout_s : 60,
                                     .cancel = &cancel};
    struct kiosk_fetch_result r;
    int64_t now = (int64_t)time(NULL);
    int rc = kiosk_fetch(&rq, &r);
    if (rc != 0 && stopping(p)) /* ended by the stop: no failure of the source's */
        return false;
    char why[512] = "";
    bool changed = false;
    /* a body identical to the one held is a 304 that did not say so (servers that send no
     * validators, POST APIs): nothing is read again, written or scored. The document is
     * in memory, so the comparison is of the bytes themselves. */
    bool same = rc == 0 && !r.not_modified && s->body && r.len == s->len &&
                memcmp(r.body, s->body, r.len) == 0;
    if (rc == 0 && !r.not_modified && !same && validate(p, s, r.body, r.len, why, sizeof why) != 0)
        rc = -1;
    pthread_mutex_lock(&p->mu);
    struct kiosk_source_status *st = &s->status;
    st->last_attempt = now;
    st->http_status = r.http_status;
    snprintf(st->final_url, sizeof st->final_url, "%s", r.final_url);
    st->unchanged = same;
    if (rc == 0) {
        bool was_failing = st->failures > 0;
        st->failures = 0;
        st->error[0] = '\0';
        st->last_success = now;
        if (same) {
            /* keep the validators the server sends now, in memory: a restart asks with the
             * cached ones and compares the body again */
            snprintf(s->etag, sizeof s->etag, "%s", r.etag);
            snprintf(s->last_modified, sizeof s->last_modified, "%s", r.last_modified);
        } else if (!r.not_modified) {
            free(s->body);
            s->body = r.body;
            s->len = r.len;
            r.body = NULL;
            snprintf(s->etag, sizeof s->etag, "%s", r.etag);
            snprintf(s->last_modified, sizeof s->last_modified, "%s", r.last_modified);
            s->fetched_at = now;
            s->serial++;
            st->bytes = s->len;
            snprintf(st->etag, sizeof st->etag, "%s", s->etag);
            changed = true;
            s->cache_dirty = true; /* until the cache holds it */
        }
        if (was_failing)
            say(p, "source %s: recovered", s->conf->name);
    } else {
        snprintf(st->error, sizeof st->error, "%s", why[0] ? why : r.error);
        st->failures++;
        st->failed_by[reason_of(s->conf, why[0] != '\0', r.http_status, st->error)]++;
        say(p, "source %s: %s (attempt %d; the last good data stays)", s->conf->name, st->error,
            st->failures);
    }
    schedule(p, s, mono_s());
    pthread_mutex_unlock(&p->mu);
    if (changed)
        cache_save(p, s);
    kiosk_fetch_result_free(&r);
    return changed;
}

static void *poller_main(void *arg)
{
    struct kiosk_poller *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        double now = mono_s(), next = now + 3600;
        bool changed = false;
        for (size_t i = 0; i < p->cfg.n_sources && !p->stop; i++) {
            struct source_run *s = &p->src[i];
            if (p->wake || s->due <= now) {
                pthread_mutex_unlock(&p->mu);
                changed |= poll_one(p, s);
                if (p->cfg.on_status)
                    p->cfg.on_status(p->cfg.ctx);
                pthread_mutex_lock(&p->mu);
            }
            if (s->due < next)
                next = s->due;
        }
        p->wake = false;
        if (changed) {
            pthread_mutex_unlock(&p->mu);
            publish(p, true);
            pthread_mutex_lock(&p->mu);
            p->retry_at = mono_s() + storage_retry_s(p);
        } else if (storage_dirty(p) && mono_s() >= p->retry_at) {
            pthread_mutex_unlock(&p->mu);
            storage_retry(p);
            if (p->cfg.on_status)
                p->cfg.on_status(p->cfg.ctx);
            pthread_mutex_lock(&p->mu);
            p->retry_at = mono_s() + storage_retry_s(p);
        }
        if (storage_dirty(p) && p->retry_at < next)
            next = p->retry_at;
        now = mono_s();
        if (!p->stop && !p->wake && next > now) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            double wait = next - now;
            until.tv_sec += (time_t)wait;
            until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&p->cv, &p->mu, &until);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int kiosk_poller_start(const struct kiosk_poller_config *cfg, struct kiosk_poller **out)
{
    struct kiosk_poller *p = calloc(1, sizeof *p);
    if (!p || !(p->src = calloc(cfg->n_sources ? cfg->n_sources : 1, sizeof *p->src))) {
        free(p);
        return KIOSK_ENOMEM;
    }
    p->cfg = *cfg;
    if (!p->cfg.max_bytes)
        p->cfg.max_bytes = KIOSK_DEFAULT_MAX_BYTES;
    p->seed = kiosk_random_seed();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    double now = mono_s();
    bool cached = false;
    for (size_t i = 0; i < cfg->n_sources; i++) {
        struct source_run *s = &p->src[i];
        s->conf = &cfg->sources[i];
        snprintf(s->status.name, sizeof s->status.name, "%s", s->conf->name);
        snprintf(s->status.url, sizeof s->status.url, "%s", s->conf->url);
        cache_load(p, s);
        cached |= s->body != NULL;
        s->due = now; /* the first poll right away */
    }
    if (cached)
        publish(p, true); /* the cached data, before any network */
    p->retry_at = mono_s() + storage_retry_s(p);
    if (pthread_create(&p->thread, NULL, poller_main, p) != 0) {
        kiosk_poller_stop(p);
        return KIOSK_ENOMEM;
    }
    p->started = true;
    *out = p;
    return 0;
}

size_t kiosk_poller_status(struct kiosk_poller *p, struct kiosk_source_status *out, size_t max)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->cfg.n_sources < max ? p->cfg.n_sources : max;
    for (size_t i = 0; i < n; i++)
        out[i] = p->src[i].status;
    pthread_mutex_unlock(&p->mu);
    return n;
}

int kiosk_poller_document(struct kiosk_poller *p, size_t i, uint64_t have, char **bytes,
                          size_t *len, int64_t *fetched_at, uint64_t *serial)
{
    int rc = -1;
    pthread_mutex_lock(&p->mu);
    const struct source_run *s = i < p->cfg.n_sources ? &p->src[i] : NULL;
    if (s && s->body && s->serial == have) {
        rc = 0;
    } else if (s && s->body && (*bytes = malloc(s->len + 1))) {
        memcpy(*bytes, s->body, s->len);
        (*bytes)[s->len] = '\0';
        *len = s->len;
        *fetched_at = s->fetched_at;
        *serial = s->serial;
        rc = 1;
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

bool kiosk_poller_storage(struct kiosk_poller *p, char *error, size_t size)
{
    pthread_mutex_lock(&p->mu);
    bool dirty = storage_dirty(p);
    snprintf(error, size, "%s", dirty ? p->storage_error : "");
    pthread_mutex_unlock(&p->mu);
    return dirty;
}

void kiosk_poller_wake(struct kiosk_poller *p)
{
    pthread_mutex_lock(&p->mu);
    p->wake = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void kiosk_poller_stop(struct kiosk_poller *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->started)
        pthread_join(p->thread, NULL);
    for (size_t i = 0; i < p->cfg.n_sources; i++)
        free(p->src[i].body);
    free(p->src);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
