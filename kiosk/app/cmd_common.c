#include "cli.h"

#include "core/parse.h"
#include "paths.h"
#include "screen/setup.h"
#include "screen/status.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

int cli_parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return -1;
    unsigned long long mult = 1;
    if (*end == 'K' || *end == 'k')
        mult = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mult = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mult = 1024ULL * 1024 * 1024, end++;
    if (*end == 'i' && mult > 1)
        end++;
    if (*end == 'B')
        end++;
    if (*end || v == 0 || v > (1ULL << 40) / mult)
        return -1;
    *out = (size_t)(v * mult);
    return 0;
}

int cli_parse_max_bytes(const char *cmd, const char *arg, size_t *out)
{
    if (cli_parse_size(arg, out) == 0)
        return 0;
    fprintf(stderr, "kiosk %s: --max-bytes: expected a size such as 16M, found \"%s\"\n", cmd, arg);
    return -1;
}

int cli_parse_size_wxh(const char *cmd, const char *arg, int *w, int *h)
{
    int n = 0;
    if (sscanf(arg, "%dx%d%n", w, h, &n) != 2 || arg[n] || *w < 320 || *h < 240 || *w > 7680 ||
        *h > 4320) {
        fprintf(stderr,
                "kiosk %s: --size: expected WIDTHxHEIGHT from 320x240 to 7680x4320, found "
                "\"%s\"\n",
                cmd, arg);
        return -1;
    }
    return 0;
}

int cli_app_option(const char *cmd, int c, const char *arg, struct kiosk_setup_args *args,
                   const char **feeds, size_t max_feeds)
{
    switch (c) {
    case 'c':
        args->config = arg;
        return 1;
    case 'S':
        args->state = arg;
        return 1;
    case 'f':
        if (args->n_feeds == max_feeds) {
            fprintf(stderr, "kiosk %s: at most %zu --feed\n", cmd, max_feeds);
            return -1;
        }
        args->feeds = feeds;
        feeds[args->n_feeds++] = arg;
        return 1;
    default:
        return 0;
    }
}

int cli_parse_number(const char *s, double lo, double hi, double *out)
{
    return kiosk_parse_double(s, lo, hi, out);
}

int cli_find_paths(struct kiosk_paths *paths)
{
    int rc = kiosk_paths_init(paths);
    if (rc == -2) {
        fprintf(stderr,
                "kiosk: KIOSK_SELF=\"%s\": expected the absolute path of a program this user "
                "may run\n",
                getenv("KIOSK_SELF"));
        return -1;
    }
    if (rc == -3) {
        fprintf(stderr, "kiosk: KIOSK_WORKER_FILTER=\"%s\": expected on or off\n",
                getenv("KIOSK_WORKER_FILTER"));
        return -1;
    }
    if (rc) {
        fprintf(stderr, "kiosk: cannot tell where the kiosk is installed (/proc/self/exe)\n");
        return -1;
    }
    return 0;
}

int cli_paths(struct kiosk_paths *paths, struct kiosk_setup_args *args)
{
    if (cli_find_paths(paths))
        return -1;
    args->data_dir = paths->data;
    args->plugin_dir = paths->plugins;
    args->worker_exe = paths->self;
    args->worker_no_filter = paths->no_filter;
    return 0;
}

int cli_status_path(const char *cmd, int argc, char **argv, char *path, size_t size,
                    const char **dir)
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
        fprintf(stderr, "kiosk %s: unexpected argument \"%s\"\n", cmd, argv[optind]);
        return KIOSK_EXIT_USAGE;
    }
    char in_state[4200];
    snprintf(in_state, sizeof in_state, "%s/%s", state, KIOSK_STATUS_FILE);
    const char *rt = runtime ? runtime : kiosk_runtime_dir_default();
    *dir = rt ? rt : state;
    snprintf(path, size, "%s/%s", *dir, KIOSK_STATUS_FILE);
    /* a state directory named on the command line that holds one: a kiosk that ran without
     * a runtime directory; and none in the runtime directory: the same */
    if (!runtime && rt && ((state_given && access(in_state, F_OK) == 0) || access(path, F_OK)))
        snprintf(path, size, "%s", in_state);
    return 0;
}
