#include "plugin_host.h"

#include "core/array.h"
#include "core/parse.h"
#include "services.h"
#include "worker.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The descriptor must reach render(): everything after it is optional. */
#define DESC_MIN_SIZE (offsetof(struct kiosk_plugin, render) + sizeof(void *))

void kiosk_plugins_refuse(struct kiosk_plugins *p, const char *file, enum kiosk_refusal why,
                          const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (p->log)
        fprintf(p->log, "plugin %s: refused: %s\n", file, reason);
    struct kiosk_refused_plugin r = {.file = strdup(file), .why = why, .reason = strdup(reason)};
    /* out of memory, the refusal is not listed (the log line said it) but counted */
    if (!r.file || !r.reason)
        p->refused_dropped++;
    else if (KIOSK_ARRAY_APPEND(p->refused, p->n_refused, r, 0, &p->refused_dropped) == 0)
        return;
    free(r.file);
    free(r.reason);
}

/* A settings entry must reach the description (the 1.1 entry); a table longer than this is
 * surely missing its end. */
#define SETTING_MIN_SIZE (offsetof(struct kiosk_setting_decl, description) + sizeof(char *))
#define SETTINGS_MAX 256

static int valid_default(const struct kiosk_setting_decl *e)
{
    double x;
    long n;
    switch (e->type) {
    case KIOSK_SETTING_INT:
        return kiosk_setting_accepts(e, e->def) &&
               kiosk_parse_long(e->def, LONG_MIN, LONG_MAX, &n) == 0;
    case KIOSK_SETTING_DOUBLE:
        return kiosk_setting_accepts(e, e->def) &&
               kiosk_parse_double(e->def, -HUGE_VAL, HUGE_VAL, &x) == 0;
    default:
        return kiosk_setting_accepts(e, e->def);
    }
}

/* Copies the plugin's settings table into *out, each entry zero past its struct_size;
 * NULL and 0 for none. Returns NULL with *why set when the table is malformed. */
static int copy_settings(const struct kiosk_setting_decl *table, struct kiosk_setting_decl **out,
                         size_t *n_out, char *why, size_t why_size)
{
    *out = NULL;
    *n_out = 0;
    if (!table)
        return 0;
    uint32_t size = table->struct_size;
    const unsigned char *at = (const unsigned char *)table;
    size_t n = 0;
    if (!table->key)
        return 0;
    if (size < SETTING_MIN_SIZE) {
        snprintf(why, why_size, "settings entries of %u bytes; ABI %d.%d needs at least %zu", size,
                 KIOSK_PLUGIN_ABI_MAJOR, KIOSK_PLUGIN_ABI_MINOR, SETTING_MIN_SIZE);
        return -1;
    }
    struct kiosk_setting_decl *copy = calloc(SETTINGS_MAX, sizeof *copy);
    if (!copy) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    for (;; n++) {
        if (n == SETTINGS_MAX) {
            snprintf(why, why_size,
                     "settings table: more than %d entries (no NULL key at the end?)",
                     SETTINGS_MAX);
            goto bad;
        }
        struct kiosk_setting_decl e = {0};
        memcpy(&e, at + n * size, size < sizeof e ? size : sizeof e);
        if (!e.key)
            break;
        e.struct_size = sizeof e;
        const char *bad = NULL;
        if (!e.key[0])
            bad = "an empty key";
        else if (e.type < KIOSK_SETTING_STRING || e.type > KIOSK_SETTING_CHOICE)
            bad = "an unknown type";
        else if (e.type == KIOSK_SETTING_CHOICE && (!e.choices || !e.choices[0]))
            bad = "a choice without choices";
        else if ((e.type == KIOSK_SETTING_INT || e.type == KIOSK_SETTING_DOUBLE) &&
                 !(e.min <= e.max))
            bad = "a range whose min is above its max";
        else if (e.def && !valid_default(&e))
            bad = "a default it does not accept itself";
        for (size_t i = 0; !bad && i < n; i++)
            if (strcmp(copy[i].key, e.key) == 0)
                bad = "a second entry";
        if (bad) {
            snprintf(why, why_size, "settings table: key %s has %s", e.key[0] ? e.key : "\"\"",
                     bad);
            goto bad;
        }
        copy[n] = e;
    }
    *out = copy;
    *n_out = n;
    return 0;
bad:
    free(copy);
    return -1;
}

/* No plugin may be writable by anyone but its owner, and the owner must be root or the
 * user the kiosk runs as: otherwise anyone with a shell could run code in the kiosk. */
static const char *unsafe(const struct stat *st)
{
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return "is writable by group or others (chmod go-w)";
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return "belongs to another user (owner must be root or the kiosk's user)";
    return NULL;
}

/* A plugin file that cannot be trusted (missing, not a regular file, writable by others):
 * refused with why; true then. Both loaders ask before anything is loaded or started. */
static bool file_refused(struct kiosk_plugins *p, const char *file)
{
    struct stat st;
    if (stat(file, &st) != 0) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_OPEN, "cannot stat: %s", strerror(errno));
        return true;
    }
    const char *bad = S_ISREG(st.st_mode) ? unsafe(&st) : "is not a regular file";
    if (bad) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_UNSAFE, "the file %s", bad);
        return true;
    }
    return false;
}

int kiosk_plugins_load_file(struct kiosk_plugins *p, const char *file)
{
    if (file_refused(p, file))
        return -1;
    dlerror();
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_OPEN, "not a loadable plugin: %s",
                             e ? e : "dlopen failed");
        return -1;
    }
    kiosk_plugin_entry_fn entry;
    void *sym = dlsym(h, KIOSK_PLUGIN_ENTRY_SYMBOL);
    memcpy(&entry, &sym, sizeof entry); /* object pointer to function pointer, as POSIX allows */
    const struct kiosk_plugin *desc = entry ? entry() : NULL;
    struct kiosk_plugin copy = {0};
    if (!entry) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_NO_ENTRY,
                             "no %s symbol: not a kiosk plugin, or not exported",
                             KIOSK_PLUGIN_ENTRY_SYMBOL);
        goto refuse;
    }
    if (!desc) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_SHORT, "%s returned no descriptor",
                             KIOSK_PLUGIN_ENTRY_SYMBOL);
        goto refuse;
    }
    uint32_t major = desc->abi_version >> 16, minor = desc->abi_version & 0xFFFF;
    if (major != KIOSK_PLUGIN_ABI_MAJOR || minor > KIOSK_PLUGIN_ABI_MINOR) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_ABI,
                             "built for plugin ABI %u.%u; this kiosk has %d.%d (%s)", major, minor,
                             KIOSK_PLUGIN_ABI_MAJOR, KIOSK_PLUGIN_ABI_MINOR,
                             major != KIOSK_PLUGIN_ABI_MAJOR ? "another major version"
                                                             : "rebuild it or update the kiosk");
        goto refuse;
    }
    if (desc->struct_size < DESC_MIN_SIZE) {
        kiosk_plugins_refuse(
            p, file, KIOSK_REFUSE_SHORT, "descriptor of %u bytes; ABI %d.%d needs at least %zu",
            desc->struct_size, KIOSK_PLUGIN_ABI_MAJOR, KIOSK_PLUGIN_ABI_MINOR, DESC_MIN_SIZE);
        goto refuse;
    }
    /* read only as far as the plugin's struct goes; the rest stays zero */
    memcpy(&copy, desc, desc->struct_size < sizeof copy ? desc->struct_size : sizeof copy);
    if (!copy.name || !copy.name[0] || !copy.create || !copy.destroy || !copy.render) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_SHORT, "descriptor lacks %s",
                             !copy.name || !copy.name[0] ? "a name"
                             : !copy.create              ? "create()"
                             : !copy.destroy             ? "destroy()"
                                                         : "render()");
        goto refuse;
    }
    struct kiosk_setting_decl *settings = NULL;
    size_t n_settings = 0;
    char why[256];
    if (copy_settings(copy.settings, &settings, &n_settings, why, sizeof why)) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_SETTINGS, "%s", why);
        goto refuse;
    }
    if (kiosk_plugins_find(p, copy.name)) {
        free(settings);
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_DUPLICATE,
                             "a plugin named \"%s\" is already loaded from %s", copy.name,
                             kiosk_plugins_find(p, copy.name)->file);
        goto refuse;
    }
    struct kiosk_loaded_plugin *l = realloc(p->loaded, (p->n_loaded + 1) * sizeof *l);
    if (!l) {
        free(settings);
        goto refuse;
    }
    p->loaded = l;
    l[p->n_loaded] = (struct kiosk_loaded_plugin){.file = strdup(file),
                                                  .handle = h,
                                                  .desc = copy,
                                                  .settings = settings,
                                                  .n_settings = n_settings};
    p->n_loaded++;
    if (p->log)
        fprintf(p->log, "plugin %s: loaded \"%s\" (ABI %u.%u)\n", file, copy.name, major, minor);
    return 0;
refuse:
    dlclose(h);
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A plugin file in a worker of its own: refused when the worker does not come up. */
static int load_isolated(struct kiosk_plugins *p, const char *file,
                         const struct kiosk_worker_conf *conf)
{
    if (file_refused(p, file))
        return -1;
    struct kiosk_worker *w;
    char why[256];
    if (kiosk_worker_start(&w, file, conf, why, sizeof why)) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_OPEN, "%s", why);
        return -1;
    }
    const char *name = kiosk_worker_name(w);
    if (kiosk_plugins_find(p, name)) {
        kiosk_plugins_refuse(p, file, KIOSK_REFUSE_DUPLICATE,
                             "a plugin named \"%s\" is already loaded from %s", name,
                             kiosk_plugins_find(p, name)->file);
        kiosk_worker_free(w);
        return -1;
    }
    struct kiosk_loaded_plugin *l = realloc(p->loaded, (p->n_loaded + 1) * sizeof *l);
    char *copy = strdup(file);
    if (!l || !copy) {
        if (l)
            p->loaded = l;
        free(copy);
        kiosk_worker_free(w);
        return -1;
    }
    p->loaded = l;
    l[p->n_loaded] =
        (struct kiosk_loaded_plugin){.file = copy,
                                     .desc = {.abi_version = kiosk_worker_abi(w),
                                              .struct_size = 0,
                                              .name = name,
                                              .description = kiosk_worker_description(w)},
                                     .worker = w};
    p->n_loaded++;
    if (p->log)
        fprintf(p->log, "plugin %s: loaded \"%s\" in a worker (pid %d)\n", file, name,
                (int)kiosk_worker_pid(w));
    return 0;
}

static int load_dir(struct kiosk_plugins *p, const char *dir, const struct kiosk_worker_conf *conf);

int kiosk_plugins_load_dir(struct kiosk_plugins *p, const char *dir)
{
    return load_dir(p, dir, NULL);
}

int kiosk_plugins_load_dir_isolated(struct kiosk_plugins *p, const char *dir,
                                    const struct kiosk_worker_conf *conf)
{
    return load_dir(p, dir, conf);
}

int kiosk_plugins_load_file_isolated(struct kiosk_plugins *p, const char *file,
                                     const struct kiosk_worker_conf *conf)
{
    return load_isolated(p, file, conf);
}

static int load_dir(struct kiosk_plugins *p, const char *dir, const struct kiosk_worker_conf *conf)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (p->log)
            fprintf(p->log, "plugins %s: cannot read the directory: %s\n", dir,
                    errno ? strerror(errno) : "not a directory");
        return KIOSK_EIO;
    }
    const char *bad = unsafe(&st);
    DIR *d = opendir(dir);
    if (!d) {
        if (p->log)
            fprintf(p->log, "plugins %s: cannot read the directory: %s\n", dir, strerror(errno));
        return KIOSK_EIO;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0)
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *grown);
        if (!grown)
            break;
        names = grown;
        size_t size = strlen(dir) + len + 2;
        if (!(names[n] = malloc(size)))
            break;
        snprintf(names[n], size, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int loaded = 0;
    for (size_t i = 0; i < n; i++) {
        if (bad)
            kiosk_plugins_refuse(p, names[i], KIOSK_REFUSE_UNSAFE, "its directory %s %s", dir, bad);
        else if ((conf ? load_isolated(p, names[i], conf) : kiosk_plugins_load_file(p, names[i])) ==
                 0)
            loaded++;
        free(names[i]);
    }
    free(names);
    return loaded;
}

const struct kiosk_loaded_plugin *kiosk_plugins_find(const struct kiosk_plugins *p,
                                                     const char *name)
{
    for (size_t i = 0; i < p->n_loaded; i++)
        if (strcmp(p->loaded[i].desc.name, name) == 0)
            return &p->loaded[i];
    return NULL;
}

void kiosk_plugins_unload(struct kiosk_plugins *p)
{
    for (size_t i = 0; i < p->n_loaded; i++) {
        kiosk_worker_free(p->loaded[i].worker);
        if (p->loaded[i].handle)
            dlclose(p->loaded[i].handle);
        free(p->loaded[i].file);
        free(p->loaded[i].settings);
    }
    for (size_t i = 0; i < p->n_refused; i++) {
        free(p->refused[i].file);
        free(p->refused[i].reason);
    }
    free(p->loaded);
    free(p->refused);
    FILE *log = p->log;
    memset(p, 0, sizeof *p);
    p->log = log;
}
