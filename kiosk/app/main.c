/* kiosk: the wall-screen kiosk for the public-service quality index. */
#include "cli.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
    fputs("usage: kiosk COMMAND [OPTIONS] ...\n"
          "\n"
          "commands:\n"
          "  score [--lang vi|en] [--state DIR] [--period ID] [--home ID] [--threshold N]\n"
          "        [--band MIN=LABEL]... [--max-bytes N] SOURCE...\n"
          "                 score the sources and print what the screen would say, as JSON\n"
          "  check [--period ID] [--max-bytes N] FILE...\n"
          "                 validate feeds, configs (.conf) and plugins (.so); one line per\n"
          "                 file, or one per problem\n"
          "  run [--config FILE] [--feed SOURCE]... [--state DIR] [--runtime DIR]\n"
          "      [--windowed [--size WxH]] [--interval S] [--exit-after S]\n"
          "                 the appliance: the playlist full screen (the demo without --config)\n"
          "  snapshot [--config FILE] --out DIR [--size WxH] [--feed SOURCE]... [--state DIR]\n"
          "        [--at TIME]\n"
          "                 draw every slide of the playlist to a PNG, without a screen\n"
          "  status [--runtime DIR] [--state DIR]\n"
          "                 what the running kiosk says of itself (status.json in\n"
          "                 /run/kiosk), and whether it is still being written\n"
          "  metrics [--runtime DIR] [--state DIR]\n"
          "                 the running kiosk's state as Prometheus metrics (text format)\n"
          "  version        print the version\n"
          "\n"
          "A SOURCE is a file, a file:// URL or - (standard input), optionally labelled with\n"
          "the group a portal per-group response holds: CKMB=transparency.json\n",
          f);
}

/* Above this, an allocation is a mapping of its own, given back to the system when freed.
 * Set once, it stays: glibc otherwise raises the threshold to the size of the last such
 * block freed, so the next full-screen picture (8 MB at 1920x1080, a transition's second
 * one, a decoded poster) comes from the heap, and the heap, fragmented, keeps the memory
 * after it is freed (the rotating demo's heap grew from 3.6 to 13.4 MB in a minute). */
#define KIOSK_MMAP_THRESHOLD (256 * 1024)

int main(int argc, char **argv)
{
    mallopt(M_MMAP_THRESHOLD, KIOSK_MMAP_THRESHOLD);
    if (argc < 2) {
        usage(stderr);
        return KIOSK_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "score") == 0)
        return kiosk_cmd_score(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return kiosk_cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "status") == 0)
        return kiosk_cmd_status(argc - 1, argv + 1);
    if (strcmp(cmd, "metrics") == 0)
        return kiosk_cmd_metrics(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return kiosk_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "snapshot") == 0)
        return kiosk_cmd_snapshot(argc - 1, argv + 1);
    if (strcmp(cmd, "plugin-worker") == 0)
        return kiosk_cmd_plugin_worker(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("kiosk %s\n", KIOSK_VERSION);
        return KIOSK_EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return KIOSK_EXIT_OK;
    }
    fprintf(stderr, "kiosk: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return KIOSK_EXIT_USAGE;
}
