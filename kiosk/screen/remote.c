#include "remote.h"

#include "config/config.h"
#include "core/seed.h"
#include "core/files.h"
#include "core/minisign.h"
#include "net/fetch.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_CAP_S 3600
#define DOC_MAX_BYTES (4u << 20)

struct kiosk_remote {
    struct kiosk_remote_options o;
    struct kiosk_config local; /* the local config, for its [fleet] keys and the policy */
    char dir[4200];            /* STATE_DIR/remote */
    char sig_url[520];
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, started;
    unsigned seed;
    int failures;
    /* what was fetched last: bodies and validators (the same document is not looked at
     * twice, nor said twice) */
    char *doc, *sig;
    size_t doc_len, sig_len;
    char doc_etag[256], sig_etag[256];
    bool seen; /* doc and sig hold the last pair looked at */
    /* the serials: running, and the highest accepted for a trial */
    long long serial, highest;
    long long rolled_back;    /* the last serial rolled back (its reason in st.error) */
    long long pending_serial; /* accepted, waiting for the loop; 0: none */
    long long trial_serial;   /* installed, in its trial; 0: none */
    bool had_previous;        /* the trial replaced a remote configuration */
    char active[4300];
    struct kiosk_remote_status st;
};

static void say(struct kiosk_remote *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct kiosk_remote *r, const char *fmt, ...)
{
    if (!r->o.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->o.log, "remote config: ");
    vfprintf(r->o.log, fmt, ap);
    va_end(ap);
    fputc('\n', r->o.log);
    fflush(r->o.log);
}

static void file_in(const struct kiosk_remote *r, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", r->dir, name);
}

/* Reads a whole file of at most max bytes; NULL when it cannot. */
static char *slurp(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size <= max &&
        (buf = malloc((size_t)st.st_size + 1))) {
        *len = fread(buf, 1, (size_t)st.st_size, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

static void save_serials(struct kiosk_remote *r)
{
    char path[4300];
    file_in(r, "serial.json", path, sizeof path);
    json_t *j =
        json_pack("{s:I, s:I}", "serial", (json_int_t)r->serial, "highest", (json_int_t)r->highest);
    if (j && r->rolled_back)
        json_object_set_new(
            j, "rolled_back",
            json_pack("{s:I, s:s}", "serial", (json_int_t)r->rolled_back, "why", r->st.error));
    char *text = j ? json_dumps(j, JSON_INDENT(1)) : NULL;
    if (!text || kiosk_write_atomic(path, text, strlen(text)) != 0)
        say(r, "cannot save %s: %s", path, strerror(errno));
    free(text);
    json_decref(j);
}

static void load_serials(struct kiosk_remote *r)
{
    char path[4300];
    file_in(r, "serial.json", path, sizeof path);
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    r->serial = json_integer_value(json_object_get(j, "serial"));
    r->highest = json_integer_value(json_object_get(j, "highest"));
    if (r->highest < r->serial)
        r->highest = r->serial;
    json_t *back = json_object_get(j, "rolled_back");
    r->rolled_back = json_integer_value(json_object_get(back, "serial"));
    if (r->rolled_back) {
        snprintf(r->st.state, sizeof r->st.state, "rolled_back");
        snprintf(r->st.error, sizeof r->st.error, "%s",
                 json_string_value(json_object_get(back, "why"))
                     ? json_string_value(json_object_get(back, "why"))
                     : "");
    }
    json_decref(j);
}

/* Moves name (and its .minisig) to to; missing files are no error. */
static void move_pair(const struct kiosk_remote *r, const char *name, const char *to)
{
    char a[4300], b[4300];
    file_in(r, name, a, sizeof a);
    file_in(r, to, b, sizeof b);
    rename(a, b);
    size_t na = strlen(a), nb = strlen(b);
    snprintf(a + na, sizeof a - na, ".minisig");
    snprintf(b + nb, sizeof b - nb, ".minisig");
    rename(a, b);
}

static void remove_pair(const struct kiosk_remote *r, const char *name)
{
    char a[4300];
    file_in(r, name, a, sizeof a);
    unlink(a);
    size_t n = strlen(a);
    snprintf(a + n, sizeof a - n, ".minisig");
    unlink(a);
}

/* The document and signature as files of the remote folder, written atomically. */
static int write_pair(struct kiosk_remote *r, const char *name, const char *doc, size_t doc_len,
                      const char *sig, size_t sig_len)
{
    char a[4300];
    file_in(r, name, a, sizeof a);
    if (kiosk_write_atomic(a, doc, doc_len) != 0)
        return -1;
    size_t n = strlen(a);
    snprintf(a + n, sizeof a - n, ".minisig");
    return kiosk_write_atomic(a, sig, sig_len);
}

/* Whether doc is signed by a trusted key; 0, or -1 with why. */
static int verify(struct kiosk_remote *r, const char *doc, size_t doc_len, const char *sig,
                  size_t sig_len, char *why, size_t size)
{
    struct kiosk_minisign_keys *keys = malloc(sizeof *keys);
    char inner[600];
    int rc = -1;
    if (!keys)
        snprintf(why, size, "out of memory");
    else if (kiosk_minisign_keys_load(kiosk_remote_trusted_keys(&r->local.remote), keys, inner,
                                      sizeof inner))
        snprintf(why, size, "no trusted key: %s", inner);
    else if (kiosk_minisign_verify(keys, doc, doc_len, sig, sig_len, NULL, 0, inner, sizeof inner))
        snprintf(why, size, "%s", inner);
    else
        rc = 0;
    free(keys);
    return rc;
}

/* The serial a config file gives in [fleet]; -1 when it does not read or gives none. */
static long long serial_of(const char *path, struct kiosk_config *c, char *why, size_t size)
{
    struct kiosk_diags d = {0};
    long long serial = -1;
    if (kiosk_config_load(path, c, &d)) {
        char line[700] = "does not read";
        if (d.count)
            kiosk_diag_format(&d.items[0], line, sizeof line);
        snprintf(why, size, "invalid: %s", line);
    } else {
        serial = c->remote.serial;
        if (serial < 0)
            snprintf(why, size, "invalid: [fleet] serial: expected serial = N, found none");
    }
    kiosk_diags_free(&d);
    return serial;
}

const char *const kiosk_remote_reasons[] = {"unsigned",
                                            "untrusted_key",
                                            "bad_signature",
                                            "malformed_signature",
                                            "no_trusted_key",
                                            "replayed",
                                            "invalid",
                                            "not_allowed",
                                            "storage",
                                            "rolled_back",
                                            NULL};

static void set_state(struct kiosk_remote *r, const char *state, const char *error)
{
    snprintf(r->st.state, sizeof r->st.state, "%s", state);
    snprintf(r->st.error, sizeof r->st.error, "%s", error ? error : "");
    /* the reason in a word, for a metric's label: a refusal's leading words ("bad
     * signature: ..." is bad_signature), else the state */
    snprintf(r->st.reason, sizeof r->st.reason, "%s", state);
    size_t n = error ? strcspn(error, ":") : 0;
    if (strcmp(state, "refused") == 0 && n && error[n] == ':' && n < sizeof r->st.reason &&
        strspn(error, "abcdefghijklmnopqrstuvwxyz ") == n)
        for (size_t i = 0; i <= n; i++)
            r->st.reason[i] = i == n ? '\0' : error[i] == ' ' ? '_' : error[i];
}

/* One more document refused or rolled back, counted under its reason (set_state's); the
 * reasons past the table's last but one under "other". */
static void count_refusal(struct kiosk_remote *r)
{
    struct kiosk_remote_status *st = &r->st;
    const size_t last = KIOSK_REMOTE_REASONS - 1;
    st->refused++;
    size_t i = 0;
    while (i < st->n_refused_by && strcmp(st->refused_by[i].reason, st->reason) != 0)
        i++;
    if (i == st->n_refused_by) { /* a reason not met before */
        i = i < last ? i : last;
        if (st->n_refused_by <= i) {
            snprintf(st->refused_by[i].reason, sizeof st->refused_by[i].reason, "%s",
                     i < last ? st->reason : "other");
            st->n_refused_by = i + 1;
        }
    }
    st->refused_by[i].n++;
}

static void notify(struct kiosk_remote *r)
{
    if (r->o.on_status)
        r->o.on_status(r->o.ctx);
}

/* Whether doc is the active configuration's document. */
static bool is_active(const struct kiosk_remote *r, const char *doc, size_t len)
{
    char path[4300];
    size_t n = 0;
    file_in(r, "active.conf", path, sizeof path);
    char *held = slurp(path, DOC_MAX_BYTES, &n);
    bool same = held && n == len && memcmp(held, doc, len) == 0;
    free(held);
    return same;
}

/* Whether the kiosk is stopping the poller: a transfer or a check under way ends now. */
static bool stopping(void *ctx)
{
    struct kiosk_remote *r = ctx;
    pthread_mutex_lock(&r->mu);
    bool stop = r->stop;
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* Looks at a new pair; called without the lock. */
static void consider(struct kiosk_remote *r)
{
    char why[900] = "", path[4300], inner[800];
    long long serial = -1;
    bool running = false;
    struct kiosk_config doc;
    memset(&doc, 0, sizeof doc);
    bool ok = false;
    file_in(r, "candidate.conf", path, sizeof path);
    kiosk_make_dirs(r->dir);
    if (!r->sig)
        snprintf(why, sizeof why, "unsigned: no signature at %s", r->sig_url);
    else if (verify(r, r->doc, r->doc_len, r->sig, r->sig_len, why, sizeof why) == 0) {
        if (write_pair(r, "candidate.conf", r->doc, r->doc_len, r->sig, r->sig_len) != 0)
            snprintf(why, sizeof why, "storage: cannot save it in %s: %s", r->dir, strerror(errno));
        else if ((serial = serial_of(path, &doc, why, sizeof why)) < 0)
            ;
        else if ((serial == r->serial && is_active(r, r->doc, r->doc_len)) ||
                 serial == r->rolled_back)
            running = true; /* the one running, or the one rolled back: said already */
        else if (serial <= r->highest)
            snprintf(why, sizeof why,
                     "replayed: serial %lld is not newer than %lld (running %lld): no replay, "
                     "no rollback",
                     serial, r->highest, r->serial);
        else if (kiosk_remote_policy(&doc, &r->local, inner, sizeof inner))
            snprintf(why, sizeof why, "not allowed: %s", inner);
        else if (r->o.check && r->o.check(r->o.ctx, path, &(struct kiosk_cancel){stopping, r},
                                          inner, sizeof inner) != 0)
            snprintf(why, sizeof why, "invalid: %s", inner);
        else
            ok = true;
    }
    kiosk_config_free(&doc);
    if (!ok && stopping(r)) /* its check cut short by the stop: looked at again at the start */
        return;
    pthread_mutex_lock(&r->mu);
    r->st.last_serial = serial > 0 ? serial : 0;
    if (running) {
        pthread_mutex_unlock(&r->mu);
        remove_pair(r, "candidate.conf");
        return;
    }
    if (ok) {
        r->pending_serial = serial;
        pthread_mutex_unlock(&r->mu);
        say(r, "serial %lld from %s: signature and checks pass; applying it", serial,
            r->local.remote.config_url);
        if (r->o.on_ready)
            r->o.on_ready(r->o.ctx);
        return;
    }
    remove_pair(r, "candidate.conf");
    set_state(r, "refused", why);
    count_refusal(r);
    pthread_mutex_unlock(&r->mu);
    if (serial > 0)
        say(r, "serial %lld from %s refused: %s; the running configuration stays", serial,
            r->local.remote.config_url, why);
    else
        say(r, "the document from %s refused: %s; the running configuration stays",
            r->local.remote.config_url, why);
    notify(r);
}

/* Fetches url conditionally; 1 changed (body taken), 0 unchanged, -1 failed (why), -2 not
 * found (404, 410). */
static int fetch(struct kiosk_remote *r, const char *url, const char *etag, size_t max, char **body,
                 size_t *len, char *etag_out, size_t etag_size, char *why, size_t size)
{
    const struct kiosk_cancel cancel = {stopping, r};
    struct kiosk_fetch_request rq = {.url = url,
                                     .etag = etag && etag[0] ? etag : NULL,
                                     .max_bytes = max,
                                     .connect_timeout_s = 10,
                                     .total_timeout_s = 60,
                                     .cancel = &cancel};
    struct kiosk_fetch_result res;
    int rc = kiosk_fetch(&rq, &res);
    if (rc != 0) {
        snprintf(why, size, "%s", res.error);
        rc = res.http_status == 404 || res.http_status == 410 ? -2 : -1;
    } else if (res.not_modified) {
        rc = 0;
    } else {
        *body = res.body;
        *len = res.len;
        res.body = NULL;
        snprintf(etag_out, etag_size, "%s", res.etag);
        rc = 1;
    }
    kiosk_fetch_result_free(&res);
    return rc;
}

static bool same(const char *a, size_t al, const char *b, size_t bl)
{
    return a && b && al == bl && memcmp(a, b, al) == 0;
}

/* One poll: the document and its signature; returns whether it failed. */
static bool poll_once(struct kiosk_remote *r)
{
    pthread_mutex_lock(&r->mu);
    /* while one waits or is on trial, nothing new is looked at */
    bool busy = r->pending_serial || r->trial_serial;
    pthread_mutex_unlock(&r->mu);
    if (busy)
        return false;
    char why[600] = "", etag[256] = "", sig_etag[256] = "";
    char *doc = NULL, *sig = NULL;
    size_t doc_len = 0, sig_len = 0;
    int d = fetch(r, r->local.remote.config_url, r->seen ? r->doc_etag : NULL, DOC_MAX_BYTES, &doc,
                  &doc_len, etag, sizeof etag, why, sizeof why);
    /* the signature whole every time: a few hundred bytes, and a validator cannot miss it
     * (nginx's ETag says size and mtime in seconds, and a signature replaced within the
     * second has the old one's size); a new signature fetches the document whole too */
    int s = d < 0 ? -1
                  : fetch(r, r->sig_url, NULL, KIOSK_MINISIGN_MAX_TEXT, &sig, &sig_len, sig_etag,
                          sizeof sig_etag, why, sizeof why);
    if (d == 0 && s == 1 && !same(sig, sig_len, r->sig, r->sig_len))
        d = fetch(r, r->local.remote.config_url, NULL, DOC_MAX_BYTES, &doc, &doc_len, etag,
                  sizeof etag, why, sizeof why);
    pthread_mutex_lock(&r->mu);
    if ((d < 0 || s == -1) && r->stop) { /* ended by the stop: nothing to say */
        pthread_mutex_unlock(&r->mu);
        free(doc);
        free(sig);
        return false;
    }
    r->st.last_attempt = (int64_t)time(NULL);
    if (d < 0 || s == -1) {
        r->failures++;
        if (r->failures == 1 || r->failures % 10 == 0)
            say(r, "%s: %s (attempt %d; the running configuration stays)",
                d < 0 ? r->local.remote.config_url : r->sig_url, why, r->failures);
        set_state(r, "fetch_failed", why);
        pthread_mutex_unlock(&r->mu);
        free(doc);
        free(sig);
        notify(r);
        return true;
    }
    r->failures = 0;
    r->st.last_success = r->st.last_attempt;
    bool changed = false;
    if (d == 1) {
        changed |= !same(doc, doc_len, r->doc, r->doc_len);
        free(r->doc);
        r->doc = doc;
        r->doc_len = doc_len;
        snprintf(r->doc_etag, sizeof r->doc_etag, "%s", etag);
    }
    if (s == 1) {
        changed |= !same(sig, sig_len, r->sig, r->sig_len);
        free(r->sig);
        r->sig = sig;
        r->sig_len = sig_len;
        snprintf(r->sig_etag, sizeof r->sig_etag, "%s", sig_etag);
    } else if (s == -2) {
        changed |= r->sig != NULL;
        free(r->sig);
        r->sig = NULL;
        r->sig_etag[0] = '\0';
    }
    changed |= !r->seen;
    r->seen = true;
    if (strcmp(r->st.state, "fetch_failed") == 0)
        set_state(r, r->serial ? "applied" : "local", NULL);
    if (!changed) {
        pthread_mutex_unlock(&r->mu);
        return false;
    }
    pthread_mutex_unlock(&r->mu);
    consider(r);
    return false;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *remote_main(void *arg)
{
    struct kiosk_remote *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        pthread_mutex_unlock(&r->mu);
        bool failed = poll_once(r);
        pthread_mutex_lock(&r->mu);
        double wait = r->o.interval_override_s > 0
                          ? r->o.interval_override_s
                          : (double)kiosk_remote_interval_s(&r->local.remote);
        for (int i = 0; failed && i < r->failures && wait < BACKOFF_CAP_S; i++)
            wait *= 2;
        if (wait > BACKOFF_CAP_S)
            wait = BACKOFF_CAP_S;
        wait *= 0.9 + 0.2 * ((double)rand_r(&r->seed) / RAND_MAX);
        r->st.next_poll = (int64_t)time(NULL) + (int64_t)wait;
        double until_s = mono_s() + wait;
        while (!r->stop && mono_s() < until_s) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            double left = until_s - mono_s();
            until.tv_sec += (time_t)left;
            until.tv_nsec += (long)((left - (double)(time_t)left) * 1e9);
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&r->cv, &r->mu, &until);
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* At start: the active remote configuration, when it still holds. */
static void find_active(struct kiosk_remote *r)
{
    char path[4300], sig_path[4400], why[900] = "";
    file_in(r, "active.conf", path, sizeof path);
    snprintf(sig_path, sizeof sig_path, "%s.minisig", path);
    size_t doc_len = 0, sig_len = 0;
    char *doc = slurp(path, DOC_MAX_BYTES, &doc_len);
    char *sig = doc ? slurp(sig_path, KIOSK_MINISIGN_MAX_TEXT, &sig_len) : NULL;
    struct kiosk_config c;
    memset(&c, 0, sizeof c);
    long long serial = -1;
    if (!doc) {
        free(sig);
        if (r->serial) { /* a serial without its document: the local config runs */
            r->serial = 0;
            save_serials(r);
        }
        return;
    }
    if (!sig)
        snprintf(why, sizeof why, "its signature is missing");
    else if (verify(r, doc, doc_len, sig, sig_len, why, sizeof why) == 0 &&
             (serial = serial_of(path, &c, why, sizeof why)) > 0 && serial != r->serial)
        snprintf(why, sizeof why,
                 "serial %lld was on trial when the kiosk stopped, not confirmed (running %lld)",
                 serial, r->serial);
    else if (serial > 0) {
        /* what the local config allows may have shrunk since (a token or a plugin folder
         * taken back): the document kept is held to it again */
        char inner[700];
        if (kiosk_remote_policy(&c, &r->local, inner, sizeof inner))
            snprintf(why, sizeof why, "the local config no longer allows it: %s", inner);
    }
    kiosk_config_free(&c);
    free(doc);
    free(sig);
    if (!why[0]) {
        snprintf(r->active, sizeof r->active, "%s", path);
        if (strcmp(r->st.state, "local") == 0)
            set_state(r, "applied", NULL);
        say(r, "running serial %lld (%s)", r->serial, path);
        return;
    }
    /* the one before, if it was kept, else the local config */
    char prev[4300];
    file_in(r, "previous.conf", prev, sizeof prev);
    bool back = access(prev, R_OK) == 0;
    remove_pair(r, "active.conf");
    if (back)
        move_pair(r, "previous.conf", "active.conf");
    say(r, "%s: %s; going back to %s", path, why, back ? "the one before it" : "the local config");
    set_state(r, "rolled_back", why);
    count_refusal(r);
    if (serial > 0 && serial != r->serial)
        r->rolled_back = serial;
    save_serials(r);
    if (back) {
        find_active(r);
    } else {
        r->serial = 0;
        save_serials(r);
    }
}

int kiosk_remote_start(const struct kiosk_remote_options *o, struct kiosk_remote **out)
{
    *out = NULL;
    if (!o->local_config || !o->state_dir)
        return 1;
    struct kiosk_remote *r = calloc(1, sizeof *r);
    if (!r)
        return KIOSK_ENOMEM;
    r->o = *o;
    struct kiosk_diags d = {0};
    int rc = kiosk_config_load(o->local_config, &r->local, &d);
    kiosk_diags_free(&d);
    if (rc || !r->local.remote.config_url) {
        kiosk_config_free(&r->local);
        free(r);
        return 1;
    }
    snprintf(r->dir, sizeof r->dir, "%s/remote", o->state_dir);
    snprintf(r->sig_url, sizeof r->sig_url, "%s.minisig", r->local.remote.config_url);
    snprintf(r->st.url, sizeof r->st.url, "%s", r->local.remote.config_url);
    set_state(r, "local", NULL);
    r->seed = kiosk_random_seed();
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    kiosk_make_dirs(r->dir);
    load_serials(r);
    remove_pair(r, "candidate.conf");
    find_active(r);
    r->st.serial = r->serial;
    if (pthread_create(&r->thread, NULL, remote_main, r) != 0) {
        kiosk_remote_stop(r);
        return KIOSK_ENOMEM;
    }
    r->started = true;
    *out = r;
    return 0;
}

const char *kiosk_remote_active(struct kiosk_remote *r)
{
    return r && r->active[0] ? r->active : NULL;
}

bool kiosk_remote_install(struct kiosk_remote *r, char *path, size_t size)
{
    pthread_mutex_lock(&r->mu);
    long long serial = r->pending_serial;
    r->pending_serial = 0;
    pthread_mutex_unlock(&r->mu);
    if (!serial)
        return false;
    char active[4300];
    file_in(r, "active.conf", active, sizeof active);
    r->had_previous = access(active, R_OK) == 0;
    remove_pair(r, "previous.conf");
    if (r->had_previous)
        move_pair(r, "active.conf", "previous.conf");
    move_pair(r, "candidate.conf", "active.conf");
    pthread_mutex_lock(&r->mu);
    r->trial_serial = serial;
    r->highest = serial; /* never tried again, whatever comes of it */
    save_serials(r);
    pthread_mutex_unlock(&r->mu);
    snprintf(path, size, "%s", active);
    return true;
}

/* Restores the configuration before the trial's; its path (remote or local) in path. */
static void restore(struct kiosk_remote *r, const char *why, char *path, size_t size)
{
    remove_pair(r, "active.conf");
    if (r->had_previous)
        move_pair(r, "previous.conf", "active.conf");
    pthread_mutex_lock(&r->mu);
    long long serial = r->trial_serial;
    r->trial_serial = 0;
    set_state(r, "rolled_back", why);
    count_refusal(r);
    r->st.serial = r->serial;
    r->rolled_back = serial;
    save_serials(r);
    pthread_mutex_unlock(&r->mu);
    if (r->had_previous)
        file_in(r, "active.conf", r->active, sizeof r->active);
    else
        r->active[0] = '\0';
    if (path)
        snprintf(path, size, "%s", r->active[0] ? r->active : r->o.local_config);
    say(r, "serial %lld rolled back: %s; back to %s", serial, why,
        r->had_previous ? "the remote configuration before it" : "the local config");
    notify(r);
}

void kiosk_remote_applied(struct kiosk_remote *r, bool ok, const char *why)
{
    if (!ok) {
        restore(r, why, NULL, 0);
        return;
    }
    pthread_mutex_lock(&r->mu);
    set_state(r, "trial", NULL);
    r->st.serial = r->trial_serial;
    pthread_mutex_unlock(&r->mu);
    notify(r);
}

void kiosk_remote_confirm(struct kiosk_remote *r)
{
    pthread_mutex_lock(&r->mu);
    long long serial = r->trial_serial;
    r->trial_serial = 0;
    r->serial = serial;
    r->st.serial = serial;
    set_state(r, "applied", NULL);
    save_serials(r);
    pthread_mutex_unlock(&r->mu);
    remove_pair(r, "previous.conf");
    file_in(r, "active.conf", r->active, sizeof r->active);
    say(r, "serial %lld shows its slides: it is the configuration now", serial);
    notify(r);
}

void kiosk_remote_rollback(struct kiosk_remote *r, const char *why, char *path, size_t size)
{
    restore(r, why, path, size);
}

double kiosk_remote_trial_s(const struct kiosk_remote *r)
{
    return kiosk_remote_rollback_s(&r->local.remote);
}

void kiosk_remote_get_status(struct kiosk_remote *r, struct kiosk_remote_status *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->st;
    pthread_mutex_unlock(&r->mu);
}

void kiosk_remote_stop(struct kiosk_remote *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (r->started)
        pthread_join(r->thread, NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r->doc);
    free(r->sig);
    kiosk_config_free(&r->local);
    free(r);
}
