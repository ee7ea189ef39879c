#define _GNU_SOURCE /* timegm */
#include "fleet.h"

#include "net/mqtt.h"
#include "status.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEEN_MAX 256   /* command ids remembered against replays */
#define WAITING_MAX 16 /* commands checked, not yet taken by the screen */
#define CMD_MAX_AGE_S 600

struct kiosk_fleet {
    struct kiosk_mqtt *link;
    char id[KIOSK_FLEET_ID_MAX + 1];
    char topic_reply[128], topic_screen[128], topic_status[128];
    void (*wake)(void *ctx);
    void *ctx;
    FILE *log;
    pthread_mutex_t mu;
    char seen[SEEN_MAX][KIOSK_FLEET_ID_MAX + 1]; /* a ring */
    size_t n_seen, seen_next;
    struct kiosk_fleet_cmd waiting[WAITING_MAX];
    size_t n_waiting;
    /* the status: the newest key, the key last published */
    char *status_key, *published_key;
    int64_t published_unix;
};

static const char *const kind_names[] = {"reload", "poll", "snapshot", "banner"};

/* ---- checking a command ---- */

static int64_t iso_unix(const char *s)
{
    struct tm tm = {0};
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? (int64_t)timegm(&tm) : 0;
}

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > KIOSK_FLEET_ID_MAX)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

static int banner_args(const json_t *root, int64_t now, struct kiosk_fleet_banner *b, char *why,
                       size_t size)
{
    const json_t *text = json_object_get(root, "text"), *until = json_object_get(root, "until"),
                 *urgent = json_object_get(root, "urgent");
    const char *t = json_string_value(text);
    if (t && !t[0] && !until && !urgent) { /* "text": "" alone: the banner sent is taken away */
        memset(b, 0, sizeof *b);
        return 0;
    }
    if (!t || !t[0] || json_string_length(text) > KIOSK_FLEET_BANNER_MAX ||
        strlen(t) != json_string_length(text)) {
        snprintf(why, size,
                 "banner: expected \"text\": a string of 1 to %d bytes (or \"\" alone to take "
                 "the banner away)",
                 KIOSK_FLEET_BANNER_MAX);
        return -1;
    }
    int64_t u = json_is_integer(until) ? (int64_t)json_integer_value(until)
                                       : iso_unix(json_string_value(until));
    if (u <= now || u > now + 31 * 86400) {
        snprintf(why, size,
                 "banner: expected \"until\": a time within the next 31 days, as "
                 "2026-12-02T17:00:00Z or Unix seconds");
        return -1;
    }
    if (urgent && !json_is_boolean(urgent)) {
        snprintf(why, size, "banner: expected \"urgent\": true or false");
        return -1;
    }
    snprintf(b->text, sizeof b->text, "%s", t);
    b->until_unix = u;
    b->urgent = json_is_true(urgent);
    return 0;
}

int kiosk_fleet_parse(const void *payload, size_t len, int64_t now, struct kiosk_fleet_cmd *out,
                      char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    if (len > KIOSK_FLEET_CMD_MAX_BYTES) {
        snprintf(why, size, "command too large: %zu bytes (at most %d)", len,
                 KIOSK_FLEET_CMD_MAX_BYTES);
        return -1;
    }
    json_error_t err;
    json_t *root = json_loadb(payload, len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(root)) {
        if (root)
            snprintf(why, size, "malformed command: expected a JSON object");
        else
            snprintf(why, size, "malformed command: %s at character %d", err.text, err.position);
        json_decref(root);
        return -1;
    }
    int rc = -1;
    const char *id = json_string_value(json_object_get(root, "id"));
    const char *cmd = json_string_value(json_object_get(root, "cmd"));
    const json_t *ts = json_object_get(root, "ts");
    if (!id || !id_ok(id)) {
        snprintf(why, size, "malformed command: expected \"id\": 1 to %d printable characters",
                 KIOSK_FLEET_ID_MAX);
        goto done;
    }
    snprintf(out->id, sizeof out->id, "%s", id);
    if (!cmd) {
        snprintf(why, size, "malformed command: expected \"cmd\": a string");
        goto done;
    }
    size_t k = 0;
    while (k < 4 && strcmp(cmd, kind_names[k]) != 0)
        k++;
    if (k == 4) {
        if (id_ok(cmd)) /* printable, short: said back */
            snprintf(why, size,
                     "unknown command \"%s\" (expected reload, poll, snapshot or banner)", cmd);
        else
            snprintf(why, size, "unknown command (expected reload, poll, snapshot or banner)");
        goto done;
    }
    out->kind = (enum kiosk_fleet_cmd_kind)k;
    out->kind_known = true;
    if (ts && !json_is_integer(ts)) {
        snprintf(why, size, "malformed command: expected \"ts\": Unix seconds");
        goto done;
    }
    /* a command sent long ago (held back, then played again) is refused */
    if (ts && now - (int64_t)json_integer_value(ts) > CMD_MAX_AGE_S) {
        snprintf(why, size, "expired: sent %lld s ago (at most %d)",
                 (long long)(now - (int64_t)json_integer_value(ts)), CMD_MAX_AGE_S);
        goto done;
    }
    if (out->kind == KIOSK_FLEET_BANNER && banner_args(root, now, &out->banner, why, size))
        goto done;
    rc = 0;
done:
    json_decref(root);
    return rc;
}

/* ---- the link's side ---- */

static void publish_json(struct kiosk_fleet *f, const char *topic, json_t *doc, bool retain)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (!text || kiosk_mqtt_publish(f->link, topic, text, strlen(text), retain))
        fprintf(f->log, "fleet: cannot send on %s (the link is down or its queue full)\n", topic);
    free(text);
}

static void reply(struct kiosk_fleet *f, const char *id, const char *cmd, const char *error,
                  json_t *extra)
{
    json_t *r =
        json_pack("{s:s?, s:s?, s:b}", "id", id && id[0] ? id : NULL, "cmd", cmd, "ok", !error);
    if (error)
        json_object_set_new(r, "error", json_string(error));
    if (extra)
        json_object_update(r, extra);
    json_decref(extra);
    publish_json(f, f->topic_reply, r, false);
}

static void on_message(void *ctx, const char *topic, const void *payload, size_t len, bool retained)
{
    struct kiosk_fleet *f = ctx;
    struct kiosk_fleet_cmd c;
    char why[256] = "";
    int rc = kiosk_fleet_parse(payload, len, (int64_t)time(NULL), &c, why, sizeof why);
    for (char *w = why; *w; w++) /* what the parser quotes of it stays on one line */
        if ((unsigned char)*w < 0x20 || *w == 0x7f)
            *w = '?';
    /* a retained command would be obeyed again at every connection and every start */
    if (rc == 0 && retained) {
        snprintf(why, sizeof why, "retained: a command is sent without the retain flag");
        rc = -1;
    }
    pthread_mutex_lock(&f->mu);
    for (size_t i = 0; rc == 0 && i < f->n_seen; i++)
        if (strcmp(f->seen[i], c.id) == 0) {
            snprintf(why, sizeof why, "replayed: the command id \"%s\" was taken already", c.id);
            rc = -1;
        }
    if (rc == 0 && f->n_waiting == WAITING_MAX) {
        snprintf(why, sizeof why, "busy: %d commands wait already", WAITING_MAX);
        rc = -1;
    }
    if (rc == 0) {
        snprintf(f->seen[f->seen_next], sizeof f->seen[0], "%s", c.id);
        f->seen_next = (f->seen_next + 1) % SEEN_MAX;
        if (f->n_seen < SEEN_MAX)
            f->n_seen++;
        f->waiting[f->n_waiting++] = c;
    }
    pthread_mutex_unlock(&f->mu);
    if (rc) {
        fprintf(f->log, "fleet: refused a command on %s: %s\n", topic, why);
        reply(f, c.id, c.kind_known ? kind_names[c.kind] : NULL, why, NULL);
        return;
    }
    fprintf(f->log, "fleet: command %s (%s) from %s\n", kind_names[c.kind], c.id, topic);
    f->wake(f->ctx);
}

static void on_link(void *ctx, bool up)
{
    struct kiosk_fleet *f = ctx;
    if (up) { /* the broker may have lost the retained status: the next one goes at once */
        pthread_mutex_lock(&f->mu);
        free(f->published_key);
        f->published_key = NULL;
        f->published_unix = 0;
        pthread_mutex_unlock(&f->mu);
    }
    f->wake(f->ctx); /* status.json says whether the link is up; the status goes out */
}

/* The password file's first line. */
static char *read_password(const char *path, FILE *log)
{
    FILE *in = fopen(path, "r");
    char line[1024];
    if (!in || !fgets(line, sizeof line, in)) {
        fprintf(log, "fleet: cannot read the password from %s: %s\n", path,
                in ? "it is empty" : strerror(errno));
        if (in)
            fclose(in);
        return NULL;
    }
    fclose(in);
    line[strcspn(line, "\r\n")] = '\0';
    return strdup(line);
}

int kiosk_fleet_start(const struct kiosk_fleet_conf *conf, void (*wake)(void *ctx), void *ctx,
                      FILE *log, struct kiosk_fleet **out)
{
    *out = NULL;
    if (!conf->broker)
        return 0;
    struct kiosk_fleet *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->id, sizeof f->id, "%s", conf->id);
    f->wake = wake;
    f->ctx = ctx;
    f->log = log;
    pthread_mutex_init(&f->mu, NULL);
    snprintf(f->topic_reply, sizeof f->topic_reply, "kiosk/%s/reply", f->id);
    snprintf(f->topic_screen, sizeof f->topic_screen, "kiosk/%s/screen", f->id);
    snprintf(f->topic_status, sizeof f->topic_status, "kiosk/%s/status", f->id);
    char online[128], own[128], groups[KIOSK_FLEET_GROUPS_MAX][128];
    const char *subs[KIOSK_FLEET_GROUPS_MAX + 2];
    size_t n = 0;
    snprintf(online, sizeof online, "kiosk/%s/online", f->id);
    snprintf(own, sizeof own, "kiosk/%s/cmd", f->id);
    subs[n++] = own;
    subs[n++] = "kiosk/all/cmd";
    for (size_t i = 0; i < conf->n_groups; i++) {
        snprintf(groups[i], sizeof groups[i], "kiosk/group/%s/cmd", conf->groups[i]);
        subs[n++] = groups[i];
    }
    char *password = conf->password_file ? read_password(conf->password_file, log) : NULL;
    if (conf->password_file && !password) {
        kiosk_fleet_stop(f);
        return -1;
    }
    struct kiosk_mqtt_config mc = {.host = conf->host,
                                   .port = conf->port,
                                   .tls = conf->tls,
                                   .ca_file = conf->ca_file,
                                   .client_cert = conf->client_cert,
                                   .client_key = conf->client_key,
                                   .username = conf->username,
                                   .password = password,
                                   .client_id = f->id,
                                   .keepalive_s = conf->keepalive_s,
                                   .will_topic = online,
                                   .online_topic = online,
                                   .subscribe = subs,
                                   .n_subscribe = n,
                                   .on_message = on_message,
                                   .on_link = on_link,
                                   .ctx = f,
                                   .log = log};
    char why[256];
    int rc = kiosk_mqtt_start(&mc, &f->link, why, sizeof why);
    if (password) {
        memset(password, 0, strlen(password));
        free(password);
    }
    if (rc) {
        fprintf(log, "fleet: cannot set up the link to %s: %s\n", conf->broker, why);
        kiosk_fleet_stop(f);
        return -1;
    }
    *out = f;
    return 0;
}

void kiosk_fleet_stop(struct kiosk_fleet *f)
{
    if (!f)
        return;
    kiosk_mqtt_stop(f->link);
    pthread_mutex_destroy(&f->mu);
    free(f->status_key);
    free(f->published_key);
    free(f);
}

bool kiosk_fleet_connected(struct kiosk_fleet *f)
{
    return f && kiosk_mqtt_connected(f->link);
}

/* ---- the screen's side ---- */

bool kiosk_fleet_take(struct kiosk_fleet *f, struct kiosk_fleet_cmd *out)
{
    if (!f)
        return false;
    pthread_mutex_lock(&f->mu);
    bool any = f->n_waiting > 0;
    if (any) {
        *out = f->waiting[0];
        memmove(f->waiting, f->waiting + 1, --f->n_waiting * sizeof *f->waiting);
    }
    pthread_mutex_unlock(&f->mu);
    return any;
}

void kiosk_fleet_reply(struct kiosk_fleet *f, const struct kiosk_fleet_cmd *c, const char *error,
                       json_t *extra)
{
    reply(f, c->id, kind_names[c->kind], error, extra);
}

int kiosk_fleet_screen(struct kiosk_fleet *f, const void *png, size_t len)
{
    return kiosk_mqtt_publish(f->link, f->topic_screen, png, len, false);
}

void kiosk_fleet_status(struct kiosk_fleet *f, const json_t *doc, int64_t now)
{
    if (!f)
        return;
    /* the link as it is now (the document may be older than the connection); a document
     * made while it was down is not sent, even if it came up meanwhile: it would say
     * "not connected" over the link, retained (the link's coming up asks for a new one) */
    bool up = kiosk_mqtt_connected(f->link);
    json_t *now_doc = doc ? json_copy((json_t *)doc) : NULL;
    json_t *fl = json_object_get(now_doc, "fleet");
    if (json_is_object(fl)) {
        json_t *fresh = json_copy(fl);
        json_object_set_new(fresh, "connected", json_boolean(up));
        json_object_set_new(now_doc, "fleet", fresh);
    }
    /* what it says apart from the clock: the slide on screen and the data's age left out */
    json_t *said = now_doc ? json_copy(now_doc) : NULL;
    json_object_del(said, "data_age_s");
    char *key = said ? kiosk_status_key(said, true) : NULL;
    json_decref(said);
    char *text = key ? json_dumps(now_doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(now_doc);
    if (!text) {
        free(key);
        return;
    }
    pthread_mutex_lock(&f->mu);
    free(f->status_key);
    f->status_key = key;
    bool news = !f->published_key || strcmp(key, f->published_key) != 0;
    bool due = now - f->published_unix >= KIOSK_FLEET_STATUS_MIN_S || now < f->published_unix;
    char *send = up && news && due ? text : NULL;
    if (send)
        f->published_unix = now; /* tried: the next try in 5 s, even if the link went down */
    else
        free(text);
    pthread_mutex_unlock(&f->mu);
    if (send && kiosk_mqtt_publish(f->link, f->topic_status, send, strlen(send), true) == 0) {
        pthread_mutex_lock(&f->mu);
        free(f->published_key);
        f->published_key = strdup(key);
        pthread_mutex_unlock(&f->mu);
    }
    free(send);
}

int64_t kiosk_fleet_status_due(struct kiosk_fleet *f)
{
    if (!f || !kiosk_mqtt_connected(f->link)) /* its coming up asks for the status */
        return 0;
    pthread_mutex_lock(&f->mu);
    bool news = f->status_key && (!f->published_key || strcmp(f->status_key, f->published_key));
    int64_t due = news ? f->published_unix + KIOSK_FLEET_STATUS_MIN_S : 0;
    pthread_mutex_unlock(&f->mu);
    return due;
}
