/* Remote configuration: a thread polls the [fleet] config_url of the local config (and its
 * signature at config_url + ".minisig") as the poller polls a source: conditional
 * requests, an interval with +-10% jitter, exponential backoff after failures. A document
 * is accepted only when it carries a valid minisign signature by a key of the
 * trusted-keys file, a serial newer than any tried before (no replay, no rollback), stays
 * within what a remote document may set (config/remote.h) and passes the checks of
 * `kiosk check` (a callback). The screen's loop then installs it (kept in the state
 * directory as the active remote config, written atomically), applies it like SIGHUP,
 * and confirms it once a slide has something to show, or rolls back to the configuration
 * before it (the previous remote one, or the local one) after config_rollback_s.
 * Every refusal is one log line and its reason in the status; the running configuration
 * stays. Files, in STATE_DIR/remote/: active.conf and active.conf.minisig (what runs),
 * previous.conf[.minisig] (during a trial), candidate.conf (being checked), serial.json
 * ({"serial": running, "highest": highest tried}). */
#ifndef KIOSK_SCREEN_REMOTE_H
#define KIOSK_SCREEN_REMOTE_H

#include "net/fetch.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KIOSK_REMOTE_REASONS 12 /* refusals counted by reason: this many kinds at most */

/* The words a refusal or a rollback is counted under (its error's first words, the
 * rollback's state), NULL-ended: the metrics give each one, at 0 until it happens. */
extern const char *const kiosk_remote_reasons[];

struct kiosk_remote_status {
    char url[512];
    long long serial;      /* the remote configuration running; 0: the local one */
    long long last_serial; /* the serial of the last document looked at; 0: none */
    /* local (no remote document runs), applied, trial (applied, no slide shown yet),
     * refused (the last document; the running configuration stays), rolled_back,
     * fetch_failed */
    char state[16];
    char error[512]; /* why the last document was refused or rolled back, or "" */
    char reason[24]; /* that in a word: one of kiosk_remote_reasons, else the state */
    int64_t last_attempt, last_success, next_poll;
    unsigned long refused; /* documents refused or rolled back since start */
    /* the same by reason, in the order first met; past the last but one, "other" */
    struct {
        char reason[24];
        unsigned long n;
    } refused_by[KIOSK_REMOTE_REASONS];
    size_t n_refused_by;
};

struct kiosk_remote_options {
    const char *local_config; /* the local config file: its [fleet] section */
    const char *state_dir;
    double interval_override_s; /* > 0: poll this often (tests, --interval) */
    /* kiosk check of a file: 0, or -1 with the first problem in why; cancel asks whether
     * to end it now (the kiosk stopping) */
    int (*check)(void *ctx, const char *path, const struct kiosk_cancel *cancel, char *why,
                 size_t size);
    /* on the thread: a document passed, call kiosk_remote_install from the loop */
    void (*on_ready)(void *ctx);
    /* on the thread: the status changed */
    void (*on_status)(void *ctx);
    void *ctx;
    FILE *log;
};

struct kiosk_remote;

/* Reads the local config's [fleet] section and starts polling; 0 and *out, or 1 when no
 * config_url is set (*out NULL), or a KIOSK_E* code. */
int kiosk_remote_start(const struct kiosk_remote_options *o, struct kiosk_remote **out);
/* The remote configuration kept from the last run, when its signature and serial still
 * hold (a trial cut short by a restart is rolled back first); NULL: the local one. */
const char *kiosk_remote_active(struct kiosk_remote *r);
/* The loop: moves the accepted document into place as the active one; its path in path.
 * False when none is waiting. */
bool kiosk_remote_install(struct kiosk_remote *r, char *path, size_t size);
/* The loop: the installed document was applied (its trial starts), or could not be
 * (why): the one before is restored. */
void kiosk_remote_applied(struct kiosk_remote *r, bool ok, const char *why);
/* The loop: the trial's document showed a slide; it is now the last good one. */
void kiosk_remote_confirm(struct kiosk_remote *r);
/* The loop: the trial's document showed nothing (why); the one before is restored and
 * its path (a remote one, or the local config) is put in path, to be applied. */
void kiosk_remote_rollback(struct kiosk_remote *r, const char *why, char *path, size_t size);
/* How long a trial lasts, in seconds. */
double kiosk_remote_trial_s(const struct kiosk_remote *r);
void kiosk_remote_get_status(struct kiosk_remote *r, struct kiosk_remote_status *out);
void kiosk_remote_stop(struct kiosk_remote *r);

#endif
