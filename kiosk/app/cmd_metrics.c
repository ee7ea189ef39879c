/* kiosk metrics [--runtime DIR] [--state DIR]: the running kiosk's state in Prometheus's
 * text format, from the status.json it keeps, as `kiosk run` writes it to kiosk.prom. */
#include "cli.h"
#include "screen/metrics.h"
#include "screen/setup.h"
#include "screen/status.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int kiosk_cmd_metrics(int argc, char **argv)
{
    static const struct option longopts[] = {{"state", required_argument, NULL, 'S'},
                                             {"runtime", required_argument, NULL, 'R'},
                                             {0, 0, 0, 0}};
    const char *state = "/var/lib/kiosk", *runtime = NULL;
    bool state_given = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "S:R:", longopts, NULL)) != -1) {
        if (c == 'S')
            state = optarg, state_given = true;
        else if (c == 'R')
            runtime = optarg;
        else
            return KIOSK_EXIT_USAGE;
    }
    if (optind < argc) {
        fprintf(stderr, "kiosk metrics: unexpected argument \"%s\"\n", argv[optind]);
        return KIOSK_EXIT_USAGE;
    }
    /* where `kiosk status` looks: --runtime, the runtime directory, else the state one */
    char path[4200], in_state[4200];
    snprintf(in_state, sizeof in_state, "%s/%s", state, KIOSK_STATUS_FILE);
    const char *dir = runtime ? runtime : kiosk_runtime_dir_default();
    snprintf(path, sizeof path, "%s/%s", dir ? dir : state, KIOSK_STATUS_FILE);
    if (!runtime && dir && ((state_given && access(in_state, F_OK) == 0) || access(path, F_OK)))
        snprintf(path, sizeof path, "%s", in_state);
    json_error_t err;
    json_t *st = json_load_file(path, 0, &err);
    if (!st && access(path, F_OK) == 0) /* there but unreadable: said, and kiosk_up 0 */
        fprintf(stderr, "kiosk metrics: %s: %s\n", path, err.text);
    if (st && !json_is_object(st)) {
        fprintf(stderr, "kiosk metrics: %s: expected a JSON object\n", path);
        json_decref(st);
        st = NULL;
    }
    char *text = kiosk_metrics_text(st, (int64_t)time(NULL), NULL);
    json_decref(st);
    if (!text) {
        fprintf(stderr, "kiosk metrics: out of memory\n");
        return KIOSK_EXIT_INPUT;
    }
    fputs(text, stdout);
    free(text);
    return KIOSK_EXIT_OK;
}
