/* The kiosk's subcommands. Each returns the process exit status: 0 success, 1 an input was
 * refused, 2 a usage error. Messages go to stderr, one line each; results to stdout. */
#ifndef KIOSK_APP_CLI_H
#define KIOSK_APP_CLI_H

#include "core/error.h"
#include "core/feed.h"

#include <stdio.h>

#define KIOSK_EXIT_OK 0
#define KIOSK_EXIT_INPUT 1
#define KIOSK_EXIT_USAGE 2

int kiosk_cmd_score(int argc, char **argv);
int kiosk_cmd_check(int argc, char **argv);
int kiosk_cmd_snapshot(int argc, char **argv);
int kiosk_cmd_run(int argc, char **argv);
int kiosk_cmd_status(int argc, char **argv);
int kiosk_cmd_metrics(int argc, char **argv);
/* The hidden plugin-worker mode: the kiosk starts it, never a person. */
int kiosk_cmd_plugin_worker(int argc, char **argv);

/* Parses WIDTHxHEIGHT within 320x240 .. 7680x4320; 0, or -1 after saying why on stderr
 * as "kiosk CMD: --size: ...". */
int cli_parse_size_wxh(const char *cmd, const char *arg, int *w, int *h);

struct kiosk_setup_args;
struct kiosk_paths;
/* The options run and snapshot share: --config (c), --feed (f), --state (S). Returns 1
 * when c was one of them (and handled), 0 when not, -1 on a usage error (said). */
int cli_app_option(const char *cmd, int c, const char *arg, struct kiosk_setup_args *args,
                   const char **feeds, size_t max_feeds);
/* Finds the program's data, its built-in plugins and how it starts itself again
 * (paths.h); 0, or -1 after saying why on stderr. */
int cli_find_paths(struct kiosk_paths *paths);
/* The same, and points args at them. */
int cli_paths(struct kiosk_paths *paths, struct kiosk_setup_args *args);

/* kiosk check of a config: a warning in d for each slide whose duration_s is shorter than
 * the time its pages take with the data its sources hold now (local sources only). */
void cli_check_turns(const char *file, struct kiosk_diags *d);

/* The options status and metrics share, --runtime DIR and --state DIR, and the status.json
 * they read: in --runtime, else the runtime directory (systemd's, /run/kiosk), else the
 * state directory (a kiosk with no runtime directory writes it there; also when the
 * state directory is named and holds one). *dir is the directory a missing file was looked
 * for in. 0, or KIOSK_EXIT_USAGE after saying why on stderr as "kiosk CMD: ...". */
int cli_status_path(const char *cmd, int argc, char **argv, char *path, size_t size,
                    const char **dir);

/* Parses a decimal number within [lo, hi], nothing after it ("5s" is refused); 0 or -1. */
int cli_parse_number(const char *s, double lo, double hi, double *out);

/* Parses a byte size such as 16777216, 16M, 512K; 0 or -1. */
int cli_parse_size(const char *s, size_t *out);

/* Parses the value of --max-bytes (a size as cli_parse_size reads it) into *out; 0, or -1
 * after saying why on stderr as "kiosk CMD: --max-bytes: ...". */
int cli_parse_max_bytes(const char *cmd, const char *arg, size_t *out);

#endif
