/* kiosk check: validates sources without scoring them. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void print_summary(const char *name, const struct kiosk_source_summary *s)
{
    switch (s->kind) {
    case KIOSK_DOC_NATIVE:
        if (s->periods == 1)
            printf("%s: OK: kiosk-scores v1, 1 period (%s), %zu units\n", name, s->last_period,
                   s->units);
        else
            printf("%s: OK: kiosk-scores v1, %zu periods (%s to %s), %zu units in the newest\n",
                   name, s->periods, s->first_period, s->last_period, s->units);
        break;
    case KIOSK_DOC_PORTAL_GROUP:
        printf("%s: OK: portal per-group response (%s), %zu units\n", name, s->group, s->units);
        break;
    case KIOSK_DOC_PORTAL_RESULTS:
        printf("%s: OK: portal service-results response, %zu units\n", name, s->units);
        break;
    }
}

int kiosk_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    struct kiosk_read_options ro;
    kiosk_read_options_init(&ro);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            ro.period = optarg;
            break;
        case 'm':
            if (cli_parse_size(optarg, &ro.limits.max_bytes)) {
                fprintf(stderr,
                        "kiosk check: --max-bytes: expected a size such as 16M, found "
                        "\"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: kiosk check [--period ID] [--max-bytes N] SOURCE...\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "kiosk check: expected at least one SOURCE (a file, file:// URL or -)\n");
        return KIOSK_EXIT_USAGE;
    }
    int status = KIOSK_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        struct kiosk_diags d = {0};
        struct kiosk_source_spec spec;
        struct kiosk_source_summary summary;
        struct kiosk_table t = {0};
        int rc = kiosk_source_parse(argv[i], &spec, &d);
        if (!rc)
            rc = kiosk_feed_read_source(&t, &spec, &ro, &d, &summary);
        cli_print_diags(stderr, &d);
        if (rc || d.errors) {
            status = KIOSK_EXIT_INPUT;
            if (!d.errors) /* never exit 1 without saying why */
                fprintf(stderr, "%s: %s\n", argv[i], kiosk_strerror(rc));
        } else {
            print_summary(argv[i], &summary);
        }
        kiosk_table_free(&t);
        kiosk_diags_free(&d);
    }
    return status;
}
