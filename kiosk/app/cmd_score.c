/* kiosk score: the scoring core on files, JSON out: what the screen would say. */
#include "cli.h"

#include "core/pipeline.h"
#include "core/score.h"
#include "core/snapshot_json.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_BANDS 16

int kiosk_cmd_score(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"lang", required_argument, NULL, 'l'},
        {"state", required_argument, NULL, 's'},
        {"period", required_argument, NULL, 'p'},
        {"home", required_argument, NULL, 'H'},
        {"threshold", required_argument, NULL, 't'},
        {"band", required_argument, NULL, 'b'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct kiosk_read_options ro;
    struct kiosk_score_options so;
    struct kiosk_band bands[MAX_BANDS];
    char *band_labels[MAX_BANDS] = {0};
    const char *state = NULL;
    int status = KIOSK_EXIT_USAGE;
    kiosk_read_options_init(&ro);
    ro.require_period = true;
    kiosk_score_options_init(&so);
    so.bands = bands;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "l:s:p:H:t:b:m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (strcmp(optarg, "vi") == 0)
                so.lang = KIOSK_LANG_CODE_VI;
            else if (strcmp(optarg, "en") == 0)
                so.lang = KIOSK_LANG_CODE_EN;
            else {
                fprintf(stderr, "kiosk score: --lang: expected vi or en, found \"%s\"\n", optarg);
                goto out;
            }
            break;
        case 's':
            state = optarg;
            break;
        case 'p':
            ro.period = optarg;
            break;
        case 'H':
            so.home = optarg;
            break;
        case 't':
            if (cli_parse_number(optarg, 0, 1000, &so.threshold)) {
                fprintf(stderr,
                        "kiosk score: --threshold: expected a score from 0 to 1000, "
                        "found \"%s\"\n",
                        optarg);
                goto out;
            }
            break;
        case 'b': {
            const char *eq = strchr(optarg, '=');
            char min[64];
            if (so.n_bands == MAX_BANDS || !eq || eq == optarg || !eq[1] ||
                (size_t)(eq - optarg) >= sizeof min) {
                fprintf(stderr,
                        "kiosk score: --band: expected MIN=LABEL (e.g. 90=Xuất sắc), at "
                        "most %d, found \"%s\"\n",
                        MAX_BANDS, optarg);
                goto out;
            }
            memcpy(min, optarg, (size_t)(eq - optarg));
            min[eq - optarg] = '\0';
            struct kiosk_band *b = &bands[so.n_bands];
            if (cli_parse_number(min, 0, 1000, &b->min)) {
                fprintf(stderr,
                        "kiosk score: --band: expected a minimum score before '=', "
                        "found \"%s\"\n",
                        min);
                goto out;
            }
            band_labels[so.n_bands] = strdup(eq + 1);
            b->label = band_labels[so.n_bands++];
            break;
        }
        case 'm':
            if (cli_parse_max_bytes("score", optarg, &ro.limits.max_bytes))
                goto out;
            break;
        case 'h':
            printf("usage: kiosk score [--lang vi|en] [--state DIR] [--period ID] [--home ID]\n"
                   "                   [--threshold N] [--band MIN=LABEL]... [--max-bytes N] "
                   "SOURCE...\n");
            status = KIOSK_EXIT_OK;
            goto out;
        default:
            goto out;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "kiosk score: expected at least one SOURCE (a file, file:// URL or -)\n");
        goto out;
    }

    struct kiosk_diags d = {0};
    struct kiosk_snapshot *snap = NULL;
    struct kiosk_pipeline_source *sources = calloc((size_t)(argc - optind), sizeof *sources);
    status = KIOSK_EXIT_INPUT;
    for (int i = optind; sources && i < argc; i++)
        sources[i - optind].arg = argv[i];
    if (!sources ||
        kiosk_pipeline_run(sources, (size_t)(argc - optind), &ro, state, &so, &d, &snap))
        goto done;
    if (so.home && !snap->home)
        kiosk_diags_add(&d, KIOSK_SEV_WARNING, NULL, "--home", 0, 0,
                        "no unit \"%s\" in %s: no insights", so.home, snap->period->id);
    errno = 0;
    if (kiosk_snapshot_write_json(snap, stdout))
        /* a failed write says its errno; a value jansson refused has none to say */
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, NULL, NULL, 0, 0, "cannot write the result: %s",
                        errno ? strerror(errno)
                              : "a value could not be made JSON (out of memory, or not UTF-8)");
    else
        status = KIOSK_EXIT_OK;
done:
    kiosk_diags_print(stderr, &d);
    kiosk_snapshot_unref(snap);
    kiosk_diags_free(&d);
    free(sources);
out:
    for (size_t i = 0; i < MAX_BANDS; i++)
        free(band_labels[i]);
    return status;
}
