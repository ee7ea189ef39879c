/* [fleet]: how the kiosk reports to and takes commands from its province's broker.
 *
 *   broker = mqtts://fleet.example.vn:8883   (mqtt:// only with insecure = yes)
 *   id = ...                  the kiosk's name in the topics (default: /etc/machine-id)
 *   username = ... / password_file = ...     or client_cert = ... / client_key = ...
 *   ca_file = ...             the broker's trust anchors (default: the system's)
 *   groups = phu-tho, xa      kiosk/group/<name>/cmd is obeyed for each
 *   poll_spread_s = 60        a "poll" command waits a random time up to this
 *   keepalive_s = 60
 *
 * Certificate verification (chain and host name) is always on. Every key is checked
 * here; files named are checked readable. Without a broker the section configures
 * nothing to connect to (the kiosk runs alone). */
#ifndef KIOSK_CONFIG_FLEET_H
#define KIOSK_CONFIG_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_FLEET_ID_MAX 64
#define KIOSK_FLEET_GROUPS_MAX 16

struct kiosk_fleet_conf {
    bool present;  /* the config has a [fleet] section */
    char *broker;  /* as written, or NULL: no broker */
    char *host;    /* from broker */
    int port;      /* from broker (8883 for mqtts://, 1883 for mqtt://) */
    bool tls;      /* mqtts:// */
    bool insecure; /* insecure = yes: plain mqtt:// is allowed */
    char id[KIOSK_FLEET_ID_MAX + 1];
    char *username, *password_file;
    char *client_cert, *client_key;
    char *ca_file;
    char *groups[KIOSK_FLEET_GROUPS_MAX];
    size_t n_groups;
    double poll_spread_s; /* 60 when not given: 3,321 screens never all at once */
    bool poll_spread_given;
    int keepalive_s;
    bool any_set; /* a key of these was given (a remote configuration may not) */
    /* the remote configuration's keys of [fleet] are struct kiosk_remote_conf's (remote.h) */
};

/* One key of [fleet]: 0 when taken, or -1 with what was expected in why. Relative
 * paths are taken from dir (the config file's). */
int kiosk_fleet_key(struct kiosk_fleet_conf *f, const char *dir, const char *key, const char *value,
                    char *why, size_t size);
/* After the file: the defaults (the id from machine_id_file, normally /etc/machine-id),
 * and the keys that go together. 0, or -1 with why. */
int kiosk_fleet_finish(struct kiosk_fleet_conf *f, const char *machine_id_file, char *why,
                       size_t size);
void kiosk_fleet_free(struct kiosk_fleet_conf *f);

/* Whether s is a topic-safe name (letters, digits, - and _, 1..64): ids and groups. */
bool kiosk_fleet_name_ok(const char *s);

#endif
