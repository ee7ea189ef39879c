#include "fleet.h"

#include "core/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool kiosk_fleet_name_ok(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= KIOSK_FLEET_ID_MAX &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

static int set_text(char **dst, const char *v)
{
    free(*dst);
    *dst = strdup(v);
    return *dst ? 0 : -1;
}

static int set_path(char **dst, const char *dir, const char *v, char *why, size_t size)
{
    free(*dst);
    size_t n = strlen(dir) + strlen(v) + 2;
    if (!(*dst = malloc(n))) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    if (v[0] == '/')
        snprintf(*dst, n, "%s", v);
    else
        snprintf(*dst, n, "%s/%s", dir, v);
    if (access(*dst, R_OK) != 0) {
        snprintf(why, size, "cannot read %s: %s", *dst, strerror(errno));
        return -1;
    }
    return 0;
}

/* mqtts://host[:port] or mqtt://host[:port]; no path, no user in it. */
static int broker_key(struct kiosk_fleet_conf *f, const char *v, char *why, size_t size)
{
    bool tls = strncmp(v, "mqtts://", 8) == 0;
    if (!tls && strncmp(v, "mqtt://", 7) != 0) {
        snprintf(why, size,
                 "expected mqtts://HOST[:PORT] (or mqtt:// with insecure = yes), "
                 "found \"%s\"",
                 v);
        return -1;
    }
    const char *h = v + (tls ? 8 : 7);
    const char *colon = strrchr(h, ':');
    size_t hlen = colon ? (size_t)(colon - h) : strlen(h);
    double port = tls ? 8883 : 1883;
    if (hlen == 0 || hlen > 253 || strcspn(h, "/@?# ") < hlen ||
        (colon && kiosk_parse_double(colon + 1, 1, 65535, &port)) || port != (int)port) {
        snprintf(why, size,
                 "expected mqtts://HOST[:PORT] with a port from 1 to 65535, found "
                 "\"%s\"",
                 v);
        return -1;
    }
    free(f->host);
    if (!(f->host = strndup(h, hlen)) || set_text(&f->broker, v)) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    f->tls = tls;
    f->port = (int)port;
    return 0;
}

static int groups_key(struct kiosk_fleet_conf *f, const char *v, char *why, size_t size)
{
    char copy[2048];
    if (strlen(v) >= sizeof copy) {
        snprintf(why, size, "expected at most %d group names, found a longer list",
                 KIOSK_FLEET_GROUPS_MAX);
        return -1;
    }
    snprintf(copy, sizeof copy, "%s", v);
    char *save = NULL;
    for (char *g = strtok_r(copy, ",", &save); g; g = strtok_r(NULL, ",", &save)) {
        while (*g == ' ' || *g == '\t')
            g++;
        for (size_t n = strlen(g); n && (g[n - 1] == ' ' || g[n - 1] == '\t'); n--)
            g[n - 1] = '\0';
        if (!kiosk_fleet_name_ok(g)) {
            snprintf(why, size,
                     "expected group names of letters, digits, - and _ separated by commas, "
                     "found \"%s\"",
                     g);
            return -1;
        }
        if (f->n_groups == KIOSK_FLEET_GROUPS_MAX) {
            snprintf(why, size, "expected at most %d groups", KIOSK_FLEET_GROUPS_MAX);
            return -1;
        }
        if (!(f->groups[f->n_groups] = strdup(g))) {
            snprintf(why, size, "out of memory");
            return -1;
        }
        f->n_groups++;
    }
    return 0;
}

int kiosk_fleet_key(struct kiosk_fleet_conf *f, const char *dir, const char *k, const char *v,
                    char *why, size_t size)
{
    f->present = true;
    double x;
    if (strcmp(k, "broker") == 0)
        return broker_key(f, v, why, size);
    if (strcmp(k, "insecure") == 0) {
        if (strcmp(v, "yes") && strcmp(v, "no")) {
            snprintf(why, size, "expected yes or no, found \"%s\"", v);
            return -1;
        }
        f->insecure = strcmp(v, "yes") == 0;
        return 0;
    }
    if (strcmp(k, "id") == 0) {
        if (!kiosk_fleet_name_ok(v)) {
            snprintf(why, size,
                     "expected an id of 1 to %d letters, digits, - or _ (it names the kiosk's "
                     "topics), found \"%s\"",
                     KIOSK_FLEET_ID_MAX, v);
            return -1;
        }
        if (strcmp(v, "all") == 0 || strcmp(v, "group") == 0) {
            snprintf(why, size,
                     "expected an id other than \"%s\" (kiosk/%s/... are the fleet's command "
                     "topics)",
                     v, v);
            return -1;
        }
        snprintf(f->id, sizeof f->id, "%s", v);
        return 0;
    }
    if (strcmp(k, "username") == 0) {
        if (!v[0] || strlen(v) > 128) {
            snprintf(why, size, "expected a user name of 1 to 128 characters");
            return -1;
        }
        return set_text(&f->username, v);
    }
    if (strcmp(k, "password_file") == 0)
        return set_path(&f->password_file, dir, v, why, size);
    if (strcmp(k, "client_cert") == 0)
        return set_path(&f->client_cert, dir, v, why, size);
    if (strcmp(k, "client_key") == 0)
        return set_path(&f->client_key, dir, v, why, size);
    if (strcmp(k, "ca_file") == 0)
        return set_path(&f->ca_file, dir, v, why, size);
    if (strcmp(k, "groups") == 0)
        return groups_key(f, v, why, size);
    if (strcmp(k, "poll_spread_s") == 0) {
        if (kiosk_parse_double(v, 0, 3600, &x)) {
            snprintf(why, size, "expected seconds from 0 to 3600, found \"%s\"", v);
            return -1;
        }
        f->poll_spread_s = x;
        f->poll_spread_given = true;
        return 0;
    }
    if (strcmp(k, "keepalive_s") == 0) {
        if (kiosk_parse_double(v, 5, 3600, &x)) {
            snprintf(why, size, "expected seconds from 5 to 3600, found \"%s\"", v);
            return -1;
        }
        f->keepalive_s = (int)x;
        return 0;
    }
    snprintf(why, size,
             "unknown key (expected broker, insecure, id, username, password_file, "
             "client_cert, client_key, ca_file, groups, poll_spread_s, keepalive_s, "
             "config_url, trusted_keys, config_interval_s, config_rollback_s or serial)");
    return -1;
}

int kiosk_fleet_finish(struct kiosk_fleet_conf *f, const char *machine_id_file, char *why,
                       size_t size)
{
    if (!f->keepalive_s)
        f->keepalive_s = 60;
    if (!f->poll_spread_given) /* a poll to a whole fleet spread over a minute */
        f->poll_spread_s = 60;
    if (!f->present || !f->broker)
        return 0;
    if (!f->tls && !f->insecure) {
        snprintf(why, size,
                 "broker: %s is plain MQTT, readable on the wire: use mqtts://, or "
                 "say insecure = yes",
                 f->broker);
        return -1;
    }
    if (!f->username != !f->password_file) {
        snprintf(why, size, "username and password_file go together");
        return -1;
    }
    if (!f->client_cert != !f->client_key) {
        snprintf(why, size, "client_cert and client_key go together");
        return -1;
    }
    if (f->client_cert && !f->tls) {
        snprintf(why, size, "client_cert needs an mqtts:// broker");
        return -1;
    }
    if (!f->id[0]) {
        char line[128] = "";
        FILE *in = fopen(machine_id_file, "r");
        if (in) {
            if (!fgets(line, sizeof line, in))
                line[0] = '\0';
            fclose(in);
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!kiosk_fleet_name_ok(line)) {
            snprintf(why, size, "id: not given, and %s holds no machine id: give id = NAME",
                     machine_id_file);
            return -1;
        }
        snprintf(f->id, sizeof f->id, "%s", line);
    }
    return 0;
}

void kiosk_fleet_free(struct kiosk_fleet_conf *f)
{
    free(f->broker);
    free(f->host);
    free(f->username);
    free(f->password_file);
    free(f->client_cert);
    free(f->client_key);
    free(f->ca_file);
    for (size_t i = 0; i < f->n_groups; i++)
        free(f->groups[i]);
    memset(f, 0, sizeof *f);
}
