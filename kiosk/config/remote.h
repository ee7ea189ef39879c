/* Remote configuration, the [fleet] section's keys for it:
 *   config_url = https://.../kiosk.conf   the document, its signature at config_url.minisig
 *   trusted_keys = /etc/kiosk/trusted-keys  minisign public keys (the default)
 *   config_interval_s = 300                how often it is polled (+-10%)
 *   config_rollback_s = 60                 a document applied that shows no slide this
 *                                          long is rolled back
 *   serial = N                             in a remote document only: newer than the one
 *                                          running, or it is refused (no replay, no rollback)
 * A remote document may set less than a local config (kiosk_remote_policy): never the
 * [fleet] keys above but serial, never state_dir or runtime_dir, plugin_dir, token_file
 * and ca_file only as the local config has them, and sources by http(s):// URL only. */
#ifndef KIOSK_CONFIG_REMOTE_H
#define KIOSK_CONFIG_REMOTE_H

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_REMOTE_TRUSTED_KEYS "/etc/kiosk/trusted-keys"

struct kiosk_remote_conf {
    char *config_url;   /* NULL: no remote configuration */
    char *trusted_keys; /* NULL: KIOSK_REMOTE_TRUSTED_KEYS */
    long interval_s;    /* 0: 300 */
    double rollback_s;  /* 0: 60 */
    long long serial;   /* a remote document's serial; -1: not given */
    bool any_set;       /* a key other than serial was given */
};

/* Before the first key: nothing set. */
void kiosk_remote_conf_init(struct kiosk_remote_conf *r);
void kiosk_remote_conf_free(struct kiosk_remote_conf *r);

/* A key of [fleet]: 1 taken, 0 not one of these keys, -1 a bad value; why says what was
 * expected and found (the caller names the file, line and key). */
int kiosk_remote_conf_key(struct kiosk_remote_conf *r, const char *key, const char *value,
                          char *why, size_t size);

/* The trusted-keys file, the poll interval and the rollback delay, defaults applied. */
const char *kiosk_remote_trusted_keys(const struct kiosk_remote_conf *r);
long kiosk_remote_interval_s(const struct kiosk_remote_conf *r);
double kiosk_remote_rollback_s(const struct kiosk_remote_conf *r);

struct kiosk_config;
/* Whether a remote document (doc) stays within what the local config (local) allows; 0,
 * or -1 with the first key that does not, and why. */
int kiosk_remote_policy(const struct kiosk_config *doc, const struct kiosk_config *local, char *why,
                        size_t size);

#endif
