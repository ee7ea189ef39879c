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
    char path[4200];
    const char *dir;
    int rc = cli_status_path("metrics", argc, argv, path, sizeof path, &dir);
    if (rc)
        return rc;
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
