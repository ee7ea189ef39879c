/* The fleet: the kiosk on its province's MQTT broker ([fleet] in the config).
 *
 * It publishes kiosk/<id>/online (retained "1"; the broker's last will says "0" when the
 * kiosk vanishes) and kiosk/<id>/status (retained: the status.json document, when what it
 * says changes, at most once every 5 s), and obeys commands on kiosk/<id>/cmd,
 * kiosk/all/cmd and kiosk/group/<name>/cmd: JSON objects
 *
 *   {"id": "op-42", "cmd": "reload" | "poll" | "snapshot" | "banner", ...}
 *   banner: "text": "...", "until": "2026-12-02T17:00:00Z" (or Unix seconds),
 *           "urgent": true|false
 *   any: "ts": Unix seconds the command was sent (optional; older than 10 min: refused;
 *        a kiosk's clock before synchronisation is behind, never ahead: still safe)
 *
 * each answered on kiosk/<id>/reply with {"id", "cmd", "ok", "error"?, ...}. A command
 * larger than 16 KiB, not JSON, without an id, of an unknown kind, with an id seen
 * already (a replay), retained by the broker, or with a bad argument gets an error reply
 * and changes nothing.
 * Commands are checked on the link's thread and handed to the screen's loop, which
 * takes them with kiosk_fleet_take() after the wake callback. */
#ifndef KIOSK_SCREEN_FLEET_H
#define KIOSK_SCREEN_FLEET_H

#include "config/fleet.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define KIOSK_FLEET_CMD_MAX_BYTES (16 * 1024)
#define KIOSK_FLEET_STATUS_MIN_S 5
#define KIOSK_FLEET_SCREEN_MAX_W 960
#define KIOSK_FLEET_SNAPSHOT_MIN_MS 2000 /* drawn on the render thread: one this often */
#define KIOSK_FLEET_BANNER_MAX 512       /* bytes of text */

enum kiosk_fleet_cmd_kind {
    KIOSK_FLEET_RELOAD,
    KIOSK_FLEET_POLL,
    KIOSK_FLEET_SNAPSHOT,
    KIOSK_FLEET_BANNER,
};

struct kiosk_fleet_banner {
    char text[KIOSK_FLEET_BANNER_MAX + 1]; /* UTF-8, checked */
    int64_t until_unix;                    /* shown until then */
    bool urgent;
};

/* Hands a banner to the screen; 0, or -1 with why. The screen's banner is wired here. */
typedef int (*kiosk_fleet_banner_fn)(void *ctx, const struct kiosk_fleet_banner *b, char *why,
                                     size_t size);

struct kiosk_fleet_cmd {
    enum kiosk_fleet_cmd_kind kind;
    bool kind_known; /* false: the command had none, or one of no known kind */
    char id[KIOSK_FLEET_ID_MAX + 1];
    struct kiosk_fleet_banner banner;
};

struct kiosk_fleet;

/* Connects to the broker of conf (none: *out NULL and 0). wake(ctx) is called on the
 * link's thread when a command waits or the link came or went. 0, or -1 said to log. */
int kiosk_fleet_start(const struct kiosk_fleet_conf *conf, void (*wake)(void *ctx), void *ctx,
                      FILE *log, struct kiosk_fleet **out);
void kiosk_fleet_stop(struct kiosk_fleet *f);
bool kiosk_fleet_connected(struct kiosk_fleet *f);

/* Checks a command as it came from the broker at now_unix: 0 with *out filled, or -1 with
 * the error reply's text in why (and in *out what could be read: the id, the kind). */
int kiosk_fleet_parse(const void *payload, size_t len, int64_t now_unix,
                      struct kiosk_fleet_cmd *out, char *why, size_t size);

/* The next command checked and waiting for the screen; false when none. */
bool kiosk_fleet_take(struct kiosk_fleet *f, struct kiosk_fleet_cmd *out);
/* Answers a command on kiosk/<id>/reply: error NULL for success; extra (taken, may be
 * NULL) adds its keys. */
void kiosk_fleet_reply(struct kiosk_fleet *f, const struct kiosk_fleet_cmd *c, const char *error,
                       json_t *extra);
/* Publishes a PNG on kiosk/<id>/screen; 0 or -1 (link down, queue full). */
int kiosk_fleet_screen(struct kiosk_fleet *f, const void *png, size_t len);
/* The status document: published (retained) when it says something new, at most every
 * 5 s, and only while the link is up; what waits is published by a later call, at or
 * after kiosk_fleet_status_due(), or when the link comes up. */
void kiosk_fleet_status(struct kiosk_fleet *f, const json_t *doc, int64_t now_unix);
/* When a status waits to be published (Unix seconds), or 0 (none, or the link is down). */
int64_t kiosk_fleet_status_due(struct kiosk_fleet *f);

#endif
