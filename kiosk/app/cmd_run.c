/* kiosk run: the appliance (screen/run.c); here only its command line. */
#include "cli.h"
#include "paths.h"
#include "screen/run.h"

#include <getopt.h>
#include <stdio.h>

int kiosk_cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"feed", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, 'S'},  {"runtime", required_argument, NULL, 'R'},
        {"windowed", no_argument, NULL, 'w'},     {"exit-after", required_argument, NULL, 'x'},
        {"size", required_argument, NULL, 's'},   {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0},
    };
    struct kiosk_run_options o = {.width = 1280, .height = 720, .setup.read_tokens = true};
    const char *feeds[64];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:f:S:R:wx:s:i:h", longopts, NULL)) != -1) {
        int shared = cli_app_option("run", c, optarg, &o.setup, feeds, 64);
        if (shared < 0)
            return KIOSK_EXIT_USAGE;
        if (shared)
            continue;
        switch (c) {
        case 'R':
            o.setup.runtime = optarg;
            break;
        case 'w':
            o.windowed = true;
            break;
        case 'x':
            if (cli_parse_number(optarg, 0.001, 1e9, &o.exit_after_s)) {
                fprintf(stderr, "kiosk run: --exit-after: expected seconds above 0, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_parse_size_wxh("run", optarg, &o.width, &o.height))
                return KIOSK_EXIT_USAGE;
            break;
        case 'i':
            if (cli_parse_number(optarg, 0.2, 86400, &o.interval_s)) {
                fprintf(stderr, "kiosk run: --interval: expected seconds from 0.2, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: kiosk run [--config FILE] [--feed SOURCE]... [--state DIR] "
                   "[--runtime DIR] [--windowed [--size WxH]] [--interval S] "
                   "[--exit-after S]\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    struct kiosk_paths paths;
    if (cli_paths(&paths, &o.setup))
        return KIOSK_EXIT_INPUT;
    return kiosk_run(&o) == 0 ? KIOSK_EXIT_OK : KIOSK_EXIT_INPUT;
}
