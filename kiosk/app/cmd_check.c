/* kiosk check: validates sources without scoring them. */
#include "cli.h"

#include "check_trial.h"

#include "config/config.h"
#include "core/minisign.h"
#include "host/plugin_host.h"
#include "host/services.h"
#include "paths.h"
#include "render/canvas.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

#define TRIAL_DEADLINE_S 2.0

/* A plugin file: would the kiosk load it, and does it draw? Tried in a worker. */
static int check_plugin(const char *file)
{
    struct kiosk_paths paths;
    struct kiosk_trial_kit kit;
    if (cli_find_paths(&paths) != 0)
        return KIOSK_EXIT_INPUT;
    if (kiosk_trial_kit_open(paths.data, paths.self, !paths.no_filter, TRIAL_DEADLINE_S, &kit) !=
        0) {
        fprintf(stderr, "%s: cannot try it: the kiosk's fonts or demo data are missing\n", file);
        return KIOSK_EXIT_INPUT;
    }
    struct kiosk_plugins p = {0};
    kiosk_trial_load_file(&kit, &p, file);
    struct kiosk_trial_result r;
    int rc = kiosk_check_trial(&kit, &p, NULL, KIOSK_LANG_CODE_VI, &r);
    if (rc == 0)
        printf("%s: OK: plugin \"%s\" (ABI %u.%u): %s; %s\n", file, r.name, r.abi_major,
               r.abi_minor, r.description, r.said);
    else if (r.name[0])
        fprintf(stderr, "%s: plugin \"%s\" %s\n", file, r.name, r.said);
    else
        fprintf(stderr, "%s: %s\n", file, r.said);
    kiosk_plugins_unload(&p);
    kiosk_trial_kit_close(&kit);
    return rc ? KIOSK_EXIT_INPUT : KIOSK_EXIT_OK;
}

/* Every slide of a config tried as the screen would make and draw it, every plugin in a
 * worker; a problem is an error at the slide's first line. */
static void check_slides_draw(const char *file, const struct kiosk_config *c,
                              const struct kiosk_paths *paths, struct kiosk_diags *d)
{
    struct kiosk_trial_kit kit;
    if (kiosk_trial_kit_open(paths->data, paths->self, !paths->no_filter, TRIAL_DEADLINE_S, &kit) !=
        0)
        return; /* the fonts were reported already */
    kit.workers.lang = c->lang;
    const char *dirs[1 + 64];
    size_t n_dirs = 0;
    dirs[n_dirs++] = paths->plugins;
    for (size_t i = 0; i < c->n_plugin_dirs && n_dirs < 65; i++)
        dirs[n_dirs++] = c->plugin_dirs[i];
    /* which file is which plugin: each loaded in its worker once, then let go */
    struct kiosk_plugins all = {0};
    kiosk_trial_load_dirs(&kit, &all, dirs, n_dirs);
    char **files = calloc(c->n_slides ? c->n_slides : 1, sizeof *files);
    for (size_t i = 0; files && i < c->n_slides; i++) {
        const struct kiosk_loaded_plugin *lp = kiosk_plugins_find(&all, c->slides[i].plugin);
        files[i] = lp ? strdup(lp->file) : NULL; /* none: said with the config's problems */
    }
    kiosk_plugins_unload(&all);
    for (size_t i = 0; files && i < c->n_slides; i++) {
        if (!files[i])
            continue;
        /* each slide with a worker of its own: a fault of one is not blamed on the next */
        const struct kiosk_slide_conf *sl = &c->slides[i];
        struct kiosk_plugins p = {0};
        kiosk_trial_load_file(&kit, &p, files[i]);
        struct kiosk_trial_result r;
        if (kiosk_check_trial(&kit, &p, p.n_loaded ? sl : NULL, c->lang, &r) != 0)
            kiosk_diags_add(d, KIOSK_SEV_ERROR, file, NULL, sl->kv.n ? sl->kv.lines[0] : 0, 0,
                            "[slide.%s] plugin %s %s", sl->name, sl->plugin, r.said);
        kiosk_plugins_unload(&p);
        free(files[i]);
    }
    free(files);
    kiosk_trial_kit_close(&kit);
}

/* Can the kiosk keep its state in dir: a writable folder, or one it can make (its
 * nearest existing parent is a writable folder)? NULL, or why not. */
static const char *state_dir_problem(const char *dir, char *why, size_t size)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s", dir);
    bool exists = true;
    while (stat(path, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR) {
            snprintf(why, size, "cannot use %s: %s", path, strerror(errno));
            return why;
        }
        exists = false;
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            snprintf(path, sizeof path, "%s", slash == path ? "/" : ".");
            if (stat(path, &st) != 0)
                break;
            continue;
        }
        *slash = '\0';
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(why, size, "expected a folder the kiosk can write, found %s%s, not a folder", path,
                 exists ? "" : " (a parent of it)");
        return why;
    }
    if (access(path, W_OK | X_OK) != 0) {
        snprintf(why, size, "expected a folder the kiosk can write, found %s%s: %s", path,
                 exists ? "" : " (it would be made in that folder)", strerror(errno));
        return why;
    }
    return NULL;
}

/* The kinds of unit in a table, added to a list (each once). */
static void kinds_add(char ***kinds, size_t *n, const struct kiosk_table *t)
{
    for (size_t p = 0; p < t->n_periods; p++)
        for (size_t i = 0; i < t->periods[p].n_entries; i++) {
            const char *k = kiosk_strtab_get(&t->strings, t->periods[p].entries[i].kind);
            bool seen = false;
            for (size_t j = 0; k && j < *n && !seen; j++)
                seen = strcmp((*kinds)[j], k) == 0;
            if (!k || seen)
                continue;
            char **grown = realloc(*kinds, (*n + 1) * sizeof *grown);
            if (!grown)
                return;
            *kinds = grown;
            if (((*kinds)[*n] = strdup(k)))
                ++*n;
        }
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
    bool have_paths = cli_find_paths(&paths) == 0;
    if (have_paths) {
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
    if (!c.n_slides)
        /* kiosk run would have nothing to show and refuse it */
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, file, NULL, c.lines ? c.lines : 1, 0,
                        "expected at least one [slide.NAME] with its plugin (e.g. "
                        "[slide.national] and plugin = leaderboard), found %s",
                        c.lines ? "none" : "an empty file");
    if (c.isolation == KIOSK_ISOLATION_NONE)
        /* a warning: development only, every plugin's fault then the kiosk's */
        kiosk_diags_add(&d, KIOSK_SEV_WARNING, file, NULL, 0, 0,
                        "[kiosk] isolation = none: every plugin runs in the kiosk's own process, "
                        "so a crash or a hang in one takes the screen down (for development "
                        "only; builtin-inprocess is the default)");
    char why[4400];
    struct kiosk_minisign_keys *keys = c.remote.config_url ? malloc(sizeof *keys) : NULL;
    if (keys &&
        kiosk_minisign_keys_load(kiosk_remote_trusted_keys(&c.remote), keys, why, sizeof why))
        /* a kiosk that cannot check a signature refuses every remote document */
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, file, NULL, 0, 0, "[fleet] trusted_keys: %s", why);
    free(keys);
    if (c.state_dir && state_dir_problem(c.state_dir, why, sizeof why))
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, file, NULL, c.state_dir_line, 0,
                        "[kiosk] state_dir: %s", why);
    size_t polled = 0;
    char **kinds = NULL;
    size_t n_kinds = 0;
    for (size_t i = 0; i < c.n_sources; i++) {
        const struct kiosk_source_conf *s = &c.sources[i];
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
        kinds_add(&kinds, &n_kinds, &t);
        kiosk_table_free(&t);
    }
    /* a slide that ranks a kind of unit no source has draws an empty slide: when every
     * source was read now, say so */
    for (size_t i = 0; n_kinds && !polled && i < c.n_slides; i++) {
        const struct kiosk_keyvals *kv = &c.slides[i].kv;
        const char *scope = kiosk_keyvals_get(kv, "scope");
        bool found = false;
        for (size_t k = 0; scope && k < n_kinds && !found; k++)
            found = strcmp(kinds[k], scope) == 0;
        if (!scope || found)
            continue;
        char list[512] = "";
        for (size_t k = 0; k < n_kinds; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                     kinds[k]);
        int line = 0;
        for (size_t k = 0; k < kv->n; k++)
            if (strcmp(kv->keys[k], "scope") == 0)
                line = kv->lines[k];
        kiosk_diags_add(&d, KIOSK_SEV_ERROR, file, NULL, line, 0,
                        "[slide.%s] scope: expected a kind of unit the sources have (%s), found "
                        "\"%s\": the slide would be empty",
                        c.slides[i].name, list, scope);
    }
    for (size_t k = 0; k < n_kinds; k++)
        free(kinds[k]);
    free(kinds);
    if (!d.errors && !problems) {
        cli_check_turns(file, &d); /* durations too short for the pages of the data */
        if (have_paths)
            check_slides_draw(file, &c, &paths, &d);
    }
    problems += (int)d.errors;
    kiosk_diags_print(stderr, &d);
    bool fallback = c.n_slides && c.slides[c.n_slides - 1].fallback;
    if (!problems)
        printf("%s: OK: %zu slides%s, %zu sources (%zu read now, %zu polled), %zu plugins\n", file,
               c.n_slides - fallback,
               fallback ? " (and a leaderboard for the hours no slide is in)" : "", c.n_sources,
               c.n_sources - polled, polled, p.n_loaded);
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
        {"config", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {"list-settings", no_argument, NULL, 'L'}, /* for the plugin guide; not in --help */
        {0, 0, 0, 0},
    };
    struct kiosk_read_options ro;
    kiosk_read_options_init(&ro);
    int c;
    const char *configs[64];
    int n_configs = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "p:m:c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (n_configs == (int)(sizeof configs / sizeof configs[0])) {
                fprintf(stderr, "kiosk check: at most 64 --config\n");
                return KIOSK_EXIT_USAGE;
            }
            configs[n_configs++] = optarg;
            break;
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
            printf("usage: kiosk check [--period ID] [--max-bytes N] [--config FILE]... [FILE...]\n"
                   "  FILE: a feed (a file, file:// URL or -), a config (.conf, .ini: its "
                   "syntax, plugins and sources) or a plugin (.so)\n"
                   "  --config FILE: FILE is a config, whatever its name\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    if (optind >= argc && !n_configs) {
        fprintf(stderr, "kiosk check: expected at least one SOURCE (a file, file:// URL or -) "
                        "or --config FILE\n");
        return KIOSK_EXIT_USAGE;
    }
    int status = KIOSK_EXIT_OK;
    for (int i = 0; i < n_configs; i++)
        if (check_config(configs[i], &ro))
            status = KIOSK_EXIT_INPUT;
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
