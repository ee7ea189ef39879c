#include "remote.h"

#include "config.h"

#include "core/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kiosk_remote_conf_init(struct kiosk_remote_conf *r)
{
    memset(r, 0, sizeof *r);
    r->serial = -1;
}

void kiosk_remote_conf_free(struct kiosk_remote_conf *r)
{
    free(r->config_url);
    free(r->trusted_keys);
    kiosk_remote_conf_init(r);
}

static bool web_url(const char *v)
{
    return (strncmp(v, "https://", 8) == 0 && v[8]) || (strncmp(v, "http://", 7) == 0 && v[7]);
}

int kiosk_remote_conf_key(struct kiosk_remote_conf *r, const char *key, const char *value,
                          char *why, size_t size)
{
    double x;
    if (strcmp(key, "serial") == 0) {
        if (kiosk_parse_double(value, 1, 9e15, &x) || x != (double)(long long)x) {
            snprintf(why, size, "expected a whole number from 1, found \"%s\"", value);
            return -1;
        }
        r->serial = (long long)x;
        return 1;
    }
    if (strcmp(key, "config_url") == 0) {
        if (!web_url(value) || strlen(value) > 400) {
            snprintf(why, size,
                     "expected an http:// or https:// URL of at most 400 bytes, found "
                     "\"%.80s\"",
                     value);
            return -1;
        }
        free(r->config_url);
        r->config_url = strdup(value);
    } else if (strcmp(key, "trusted_keys") == 0) {
        if (value[0] != '/') {
            snprintf(why, size, "expected an absolute path, found \"%s\"", value);
            return -1;
        }
        free(r->trusted_keys);
        r->trusted_keys = strdup(value);
    } else if (strcmp(key, "config_interval_s") == 0) {
        if (kiosk_parse_double(value, 1, 86400, &x)) {
            snprintf(why, size, "expected seconds from 1 to 86400, found \"%s\"", value);
            return -1;
        }
        r->interval_s = (long)x;
    } else if (strcmp(key, "config_rollback_s") == 0) {
        if (kiosk_parse_double(value, 1, 3600, &x)) {
            snprintf(why, size, "expected seconds from 1 to 3600, found \"%s\"", value);
            return -1;
        }
        r->rollback_s = x;
    } else {
        snprintf(why, size,
                 "unknown key (expected config_url, trusted_keys, config_interval_s, "
                 "config_rollback_s or serial)");
        return 0;
    }
    r->any_set = true;
    return 1;
}

const char *kiosk_remote_trusted_keys(const struct kiosk_remote_conf *r)
{
    return r->trusted_keys ? r->trusted_keys : KIOSK_REMOTE_TRUSTED_KEYS;
}

long kiosk_remote_interval_s(const struct kiosk_remote_conf *r)
{
    return r->interval_s > 0 ? r->interval_s : 300;
}

double kiosk_remote_rollback_s(const struct kiosk_remote_conf *r)
{
    return r->rollback_s > 0 ? r->rollback_s : 60;
}

/* Whether two http(s) URLs go to the same place: scheme, host and port alike. */
static bool same_origin(const char *a, const char *b)
{
    const char *pa = strstr(a, "://"), *pb = strstr(b, "://");
    if (!pa || !pb)
        return false;
    size_t na = (size_t)(pa + 3 - a) + strcspn(pa + 3, "/?#");
    size_t nb = (size_t)(pb + 3 - b) + strcspn(pb + 3, "/?#");
    return na == nb && strncasecmp(a, b, na) == 0;
}

/* Whether path is one the local config names for the same purpose. */
static bool local_has(const char *path, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] && strcmp(list[i], path) == 0)
            return true;
    return false;
}

int kiosk_remote_policy(const struct kiosk_config *doc, const struct kiosk_config *local, char *why,
                        size_t size)
{
    if (doc->remote.any_set || doc->fleet.any_set) {
        snprintf(why, size,
                 "[fleet]: a remote configuration may set only serial there; the "
                 "fleet settings stay the local config's");
        return -1;
    }
    if (doc->remote.serial < 0) {
        snprintf(why, size,
                 "[fleet] serial: expected serial = N (newer than the running one), "
                 "found none");
        return -1;
    }
    if (doc->state_dir || doc->runtime_dir) {
        snprintf(why, size,
                 "[kiosk] %s: may not be set by a remote configuration (the local one "
                 "stays)",
                 doc->state_dir ? "state_dir" : "runtime_dir");
        return -1;
    }
    for (size_t i = 0; i < doc->n_plugin_dirs; i++)
        if (!local_has(doc->plugin_dirs[i], (const char *const *)local->plugin_dirs,
                       local->n_plugin_dirs)) {
            snprintf(why, size, "[kiosk] plugin_dir: %s is not one of the local config's",
                     doc->plugin_dirs[i]);
            return -1;
        }
    const char *tokens[64], *cas[64];
    size_t nt = 0, nc = 0;
    for (size_t i = 0; i < local->n_sources; i++) {
        if (local->sources[i].token_file && nt < 64)
            tokens[nt++] = local->sources[i].token_file;
        if (local->sources[i].ca_file && nc < 64)
            cas[nc++] = local->sources[i].ca_file;
    }
    for (size_t i = 0; i < doc->n_sources; i++) {
        const struct kiosk_source_conf *s = &doc->sources[i];
        if (!web_url(s->location)) {
            snprintf(why, size,
                     "[source.%s] url: a remote configuration reads sources by "
                     "http(s):// only, found \"%.80s\"",
                     s->name, s->location);
            return -1;
        }
        if (s->token_file && !local_has(s->token_file, tokens, nt)) {
            snprintf(why, size, "[source.%s] token_file: %s is not one of the local config's",
                     s->name, s->token_file);
            return -1;
        }
        /* a token goes only where the local config sends it: no other host gets it */
        bool token_ok = !s->token_file;
        for (size_t k = 0; !token_ok && k < local->n_sources; k++)
            token_ok = local->sources[k].token_file &&
                       strcmp(local->sources[k].token_file, s->token_file) == 0 &&
                       same_origin(local->sources[k].location, s->location);
        if (!token_ok) {
            snprintf(why, size,
                     "[source.%s] token_file: the local config sends %s to another host than "
                     "%.80s",
                     s->name, s->token_file, s->location);
            return -1;
        }
        if (s->ca_file && !local_has(s->ca_file, cas, nc)) {
            snprintf(why, size, "[source.%s] ca_file: %s is not one of the local config's", s->name,
                     s->ca_file);
            return -1;
        }
    }
    /* the slides' and the banner's own sources too: a file of the kiosk's (a password, a
     * key) would go on the wall, and to the broker with a snapshot */
    for (size_t i = 0; i < doc->n_slides; i++)
        if (doc->slides[i].source && !web_url(doc->slides[i].source)) {
            snprintf(why, size,
                     "[slide.%s] source: a remote configuration reads sources by http(s):// "
                     "only, found \"%.80s\"",
                     doc->slides[i].name, doc->slides[i].source);
            return -1;
        }
    if (doc->banner.source && !web_url(doc->banner.source)) {
        snprintf(why, size,
                 "[banner] source: a remote configuration reads sources by http(s):// only, "
                 "found \"%.80s\"",
                 doc->banner.source);
        return -1;
    }
    if (doc->metrics_file) {
        snprintf(why, size,
                 "[kiosk] metrics_file: may not be set by a remote configuration (the local "
                 "one stays)");
        return -1;
    }
    return 0;
}
