/* Loading display plugins: every .so of the configured directories, checked before and
 * after dlopen. A plugin that cannot be used is refused with one log line and a reason in
 * the registry (status.json reports them); the others load. */
#ifndef KIOSK_HOST_PLUGIN_HOST_H
#define KIOSK_HOST_PLUGIN_HOST_H

#include "core/error.h"
#include "kiosk/plugin.h"

#include <stdio.h>

/* Why a plugin was refused: distinct codes, as the log line says them. */
enum kiosk_refusal {
    KIOSK_REFUSE_UNSAFE = 1, /* file or directory writable by group or others, or foreign */
    KIOSK_REFUSE_OPEN,       /* dlopen failed: not a shared object, missing library, ... */
    KIOSK_REFUSE_NO_ENTRY,   /* no kiosk_plugin_entry symbol */
    KIOSK_REFUSE_ABI,        /* another major version, or a newer minor */
    KIOSK_REFUSE_SHORT,      /* descriptor too short, or required fields missing */
    KIOSK_REFUSE_DUPLICATE,  /* a plugin of that name is already loaded */
    KIOSK_REFUSE_SETTINGS,   /* its settings table is malformed */
};

struct kiosk_loaded_plugin {
    char *file;
    void *handle;
    struct kiosk_plugin desc; /* the plugin's descriptor, zero past its struct_size */
    /* its settings table, copied (each entry zero past the plugin's struct_size), or NULL
     * when it declares none */
    struct kiosk_setting_decl *settings;
    size_t n_settings;
    /* the worker the plugin runs in (host/worker.h), or NULL: loaded in this process.
     * A worker's plugin has no handle; its desc has the name and ABI only. */
    struct kiosk_worker *worker;
};

struct kiosk_refused_plugin {
    char *file;
    enum kiosk_refusal why;
    char *reason;
};

struct kiosk_plugins {
    struct kiosk_loaded_plugin *loaded;
    size_t n_loaded;
    struct kiosk_refused_plugin *refused;
    size_t n_refused;
    size_t refused_dropped; /* refusals not listed for want of memory */
    FILE *log;
};

/* Loads every *.so in dir (in name order). Refusals are logged and recorded; returns the
 * number loaded, or a negative code when the directory itself cannot be read. */
int kiosk_plugins_load_dir(struct kiosk_plugins *p, const char *dir);
/* The same, each plugin in a worker of its own (host/worker.h; conf must outlive p): the
 * kiosk never maps the file. A worker that dies loading it is a refusal. */
struct kiosk_worker_conf;
int kiosk_plugins_load_dir_isolated(struct kiosk_plugins *p, const char *dir,
                                    const struct kiosk_worker_conf *conf);
/* Loads one file in a worker of its own; 0 or -1 (refused, recorded). */
int kiosk_plugins_load_file_isolated(struct kiosk_plugins *p, const char *file,
                                     const struct kiosk_worker_conf *conf);
/* Loads one file; 0 or -1 (refused, recorded). */
int kiosk_plugins_load_file(struct kiosk_plugins *p, const char *file);
/* Records a refusal (and logs it). */
void kiosk_plugins_refuse(struct kiosk_plugins *p, const char *file, enum kiosk_refusal why,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The plugin of that name, or NULL. */
const struct kiosk_loaded_plugin *kiosk_plugins_find(const struct kiosk_plugins *p,
                                                     const char *name);
/* Unloads everything (no slide may still use a plugin). */
void kiosk_plugins_unload(struct kiosk_plugins *p);

#endif
