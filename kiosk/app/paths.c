#include "paths.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int kiosk_paths_init(struct kiosk_paths *p)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    const char *bindir = dirname(exe);
    const char *data = getenv("KIOSK_DATA_DIR"), *plugins = getenv("KIOSK_PLUGIN_DIR");
    if (data && data[0])
        snprintf(p->data, sizeof p->data, "%s", data);
    else
        snprintf(p->data, sizeof p->data, "%s/%s", bindir, KIOSK_REL_DATADIR);
    if (plugins && plugins[0])
        snprintf(p->plugins, sizeof p->plugins, "%s", plugins);
    else
        snprintf(p->plugins, sizeof p->plugins, "%s/%s", bindir, KIOSK_REL_PLUGINDIR);
    const char *self = getenv("KIOSK_SELF");
    if (self && self[0] && (self[0] != '/' || access(self, X_OK) != 0))
        return -2;
    snprintf(p->self, sizeof p->self, "%s", self && self[0] ? self : "/proc/self/exe");
    const char *filter = getenv("KIOSK_WORKER_FILTER");
    if (filter && filter[0] && strcmp(filter, "on") != 0 && strcmp(filter, "off") != 0)
        return -3;
    p->no_filter = filter && strcmp(filter, "off") == 0;
    return 0;
}
