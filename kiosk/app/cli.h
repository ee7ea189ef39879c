/* The kiosk's subcommands. Each returns the process exit status: 0 success, 1 an input was
 * refused, 2 a usage error. Messages go to stderr, one line each; results to stdout. */
#ifndef KIOSK_APP_CLI_H
#define KIOSK_APP_CLI_H

#include "error.h"
#include "feed.h"

#include <stdio.h>

#define KIOSK_EXIT_OK 0
#define KIOSK_EXIT_INPUT 1
#define KIOSK_EXIT_USAGE 2

int kiosk_cmd_score(int argc, char **argv);
int kiosk_cmd_check(int argc, char **argv);
int kiosk_cmd_snapshot(int argc, char **argv);
int kiosk_cmd_run(int argc, char **argv);

/* Prints every diagnostic, one line each, to f. */
void cli_print_diags(FILE *f, const struct kiosk_diags *d);

/* Parses a byte size such as 16777216, 16M, 512K; 0 or -1. */
int cli_parse_size(const char *s, size_t *out);

#endif
