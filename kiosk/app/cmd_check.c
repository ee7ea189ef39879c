/* kiosk check: validates sources without scoring them. */
#include "cli.h"

#include "config/config.h"
#include "host/plugin_host.h"
#include "host/services.h"
#include "net/fetch.h"
#include "paths.h"
#include "render/canvas.h"

#include <getopt.h>
#include <stdbool.h>
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

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A plugin file: would the kiosk load it? */
static int check_plugin(const char *file)
{
    struct kiosk_plugins p = {.log = NULL};
    int rc = kiosk_plugins_load_file(&p, file);
    if (rc == 0)
        printf("%s: OK: plugin \"%s\" (ABI %u.%u): %s\n", file, p.loaded[0].desc.name,
               p.loaded[0].desc.abi_version >> 16, p.loaded[0].desc.abi_version & 0xFFFF,
               p.loaded[0].desc.description ? p.loaded[0].desc.description : "");
    else
        fprintf(stderr, "%s: %s\n", file, p.refused[0].reason);
    kiosk_plugins_unload(&p);
    return rc ? KIOSK_EXIT_INPUT : KIOSK_EXIT_OK;
}

/* A config file: its syntax, the fonts and plugins its slides need, and the sources it
 * reads. */
static int check_config(const char *file, const struct kiosk_read_options *ro)
{
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    struct kiosk_plugins p = {.log = NULL};
    struct kiosk_paths paths;
    int problems = 0;
    if (kiosk_config_load(file, &c, &d)) {
        kiosk_diags_print(stderr, &d);
        kiosk_diags_free(&d);
        kiosk_config_free(&c);
        return KIOSK_EXIT_INPUT;
    }
    if (kiosk_paths_init(&paths) == 0) {
        /* the fonts every slide draws with: a missing font package shows here, not as a
         * screen that stays dark */
        char fonts_dir[4200];
        struct kiosk_fonts *fonts = NULL;
        snprintf(fonts_dir, sizeof fonts_dir, "%s/fonts", paths.data);
        kiosk_fonts_from_manifest(fonts_dir, &fonts, &d);
        kiosk_fonts_close(fonts);
        kiosk_plugins_load_dir(&p, paths.plugins);
    }
    for (size_t i = 0; i < c.n_plugin_dirs; i++)
        if (kiosk_plugins_load_dir(&p, c.plugin_dirs[i]) < 0) {
            fprintf(stderr, "%s: [kiosk] plugin_dir: cannot read %s\n", file, c.plugin_dirs[i]);
            problems++;
        }
    for (size_t i = 0; i < p.n_refused; i++) {
        fprintf(stderr, "%s: plugin %s would be refused: %s\n", file, p.refused[i].file,
                p.refused[i].reason);
        problems++;
    }
    for (size_t i = 0; i < c.n_slides; i++) {
        const struct kiosk_loaded_plugin *lp = kiosk_plugins_find(&p, c.slides[i].plugin);
        if (!lp) {
            fprintf(stderr, "%s: [slide.%s] plugin: no plugin named \"%s\" is installed\n", file,
                    c.slides[i].name, c.slides[i].plugin);
            problems++;
            continue;
        }
        /* a plugin that declares its settings has every key and value checked here, not
         * when the screen makes the slide (the problems are errors in d) */
        if (lp->settings)
            kiosk_settings_check(&c.slides[i].kv, c.slides[i].name, lp->settings, lp->n_settings,
                                 kiosk_slide_host_keys, file, &d);
    }
    size_t polled = 0;
    for (size_t i = 0; i < c.n_sources; i++) {
        const struct kiosk_source_conf *s = &c.sources[i];
        char why[384];
        long at;
        if (s->ca_file && kiosk_fetch_check_ca_file(s->ca_file, &at, why, sizeof why))
            kiosk_diags_add(&d, KIOSK_SEV_ERROR, s->ca_file, NULL, (int)at, 0,
                            "source %s: ca_file: %s", s->name, why);
        if (strstr(s->location, "://") && strncmp(s->location, "file://", 7) != 0) {
            polled++; /* fetched by the poller: nothing to read now */
            continue;
        }
        struct kiosk_source_spec spec;
        struct kiosk_table t = {0};
        struct kiosk_read_options o = *ro;
        o.period = s->period ? s->period : ro->period;
        if (kiosk_source_parse(s->location, &spec, &d) == 0) {
            if (s->group)
                snprintf(spec.group, sizeof spec.group, "%s", s->group);
            kiosk_feed_read_source(&t, &spec, &o, &d, NULL);
        }
        kiosk_table_free(&t);
    }
    problems += (int)d.errors;
    kiosk_diags_print(stderr, &d);
    if (!problems)
        printf("%s: OK: %zu slides, %zu sources (%zu read now, %zu polled), %zu plugins\n", file,
               c.n_slides, c.n_sources, c.n_sources - polled, polled, p.n_loaded);
    kiosk_plugins_unload(&p);
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    return problems ? KIOSK_EXIT_INPUT : KIOSK_EXIT_OK;
}

/* Replaces | in table cells, so a description cannot break the Markdown table. */
static void cell(const char *s)
{
    for (; s && *s; s++)
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
}

/* The settings tables of the built-in plugins, as Markdown: the plugin guide's list
 * (plugins/GUIDE.md) is this output, checked by a test. */
static int list_settings(void)
{
    struct kiosk_paths paths;
    struct kiosk_plugins p = {.log = NULL};
    if (kiosk_paths_init(&paths) != 0 || kiosk_plugins_load_dir(&p, paths.plugins) <= 0) {
        fprintf(stderr, "kiosk check: --list-settings: cannot load the built-in plugins\n");
        kiosk_plugins_unload(&p);
        return KIOSK_EXIT_INPUT;
    }
    for (size_t i = 0; i < p.n_loaded; i++) {
        const struct kiosk_loaded_plugin *lp = &p.loaded[i];
        printf("%s### %s\n\n%s.\n\n", i ? "\n" : "", lp->desc.name,
               lp->desc.description ? lp->desc.description : "");
        if (!lp->settings) {
            printf("No declared settings.\n");
            continue;
        }
        printf("| key | type | default | accepts | what it does |\n");
        printf("| --- | --- | --- | --- | --- |\n");
        for (size_t k = 0; k < lp->n_settings; k++) {
            const struct kiosk_setting_decl *e = &lp->settings[k];
            char expected[512];
            printf("| `%s` | %s | %s%s%s | ", e->key, kiosk_setting_type_name(e->type),
                   e->def ? "`" : "", e->def ? e->def : "none", e->def ? "`" : "");
            cell(kiosk_setting_expected(e, expected, sizeof expected));
            printf(" | ");
            cell(e->description);
            printf(" |\n");
        }
    }
    kiosk_plugins_unload(&p);
    return KIOSK_EXIT_OK;
}

int kiosk_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},
        {"max-bytes", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {"list-settings", no_argument, NULL, 'L'}, /* for the plugin guide; not in --help */
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
            if (cli_parse_max_bytes("check", optarg, &ro.limits.max_bytes))
                return KIOSK_EXIT_USAGE;
            break;
        case 'L':
            return list_settings();
        case 'h':
            printf("usage: kiosk check [--period ID] [--max-bytes N] FILE...\n"
                   "  FILE: a feed (a file, file:// URL or -), a config (.conf, .ini: its "
                   "syntax, plugins and sources) or a plugin (.so)\n");
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
        if (ends_with(argv[i], ".so")) {
            if (check_plugin(argv[i]))
                status = KIOSK_EXIT_INPUT;
            continue;
        }
        if (ends_with(argv[i], ".conf") || ends_with(argv[i], ".ini")) {
            if (check_config(argv[i], &ro))
                status = KIOSK_EXIT_INPUT;
            continue;
        }
        struct kiosk_diags d = {0};
        struct kiosk_source_spec spec;
        struct kiosk_source_summary summary;
        struct kiosk_table t = {0};
        int rc = kiosk_source_parse(argv[i], &spec, &d);
        if (!rc)
            rc = kiosk_feed_read_source(&t, &spec, &ro, &d, &summary);
        kiosk_diags_print(stderr, &d);
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
