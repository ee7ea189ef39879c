/* kiosk plugin-worker: not for people. The kiosk execs its own binary in this mode for
 * each plugin file it isolates, with the socket on fd 3 and its output on a pipe. */
#include "cli.h"
#include "host/worker.h"

#include <stdlib.h>
#include <string.h>

int kiosk_cmd_plugin_worker(int argc, char **argv)
{
    struct kiosk_worker_serve_args a = {
        .fd = 3, .lang = KIOSK_LANG_CODE_VI, .theme = "dark", .sandbox = true, .log = stderr};
    int i = 1;
    for (; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--sandbox") == 0)
            a.sandbox = true;
        else if (strcmp(o, "--no-sandbox") == 0)
            a.sandbox = false;
        else if (v && strcmp(o, "--fonts") == 0)
            a.fonts_dir = argv[++i];
        else if (v && strcmp(o, "--lang") == 0)
            a.lang = strcmp(argv[++i], "en") == 0 ? KIOSK_LANG_CODE_EN : KIOSK_LANG_CODE_VI;
        else if (v && strcmp(o, "--theme") == 0)
            a.theme = argv[++i];
        else if (v && strcmp(o, "--timezone") == 0)
            a.timezone = argv[++i];
        else if (v && strcmp(o, "--memory") == 0)
            a.memory_mb = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (v && strcmp(o, "--cpu") == 0)
            a.cpu_s = (unsigned)strtoul(argv[++i], NULL, 10);
        else
            break;
    }
    if (i + 1 != argc || !a.fonts_dir) {
        fprintf(stderr, "kiosk plugin-worker: started by the kiosk itself, not by hand\n");
        return KIOSK_EXIT_USAGE;
    }
    a.plugin = argv[i];
    return kiosk_worker_serve(&a);
}
