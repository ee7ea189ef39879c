/* Plugins that try, in render(), what a worker's filter refuses, chosen with -DTRY=...,
 * and say on stdout whether it was refused (the kiosk logs the line under the plugin's
 * name); or that write garbage and forged lines (TRY=6), or return a render result the
 * ABI does not define (TRY=7: -5, TRY=8: INT_MAX). */
#include "kiosk/plugin.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    (void)host;
    (void)settings;
    static int instance;
    *self = &instance;
    return 0;
}

static void destroy(void *self)
{
    (void)self;
}

__attribute__((unused)) static void say(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "allowed" : errno == EPERM ? "refused" : strerror(errno));
    fflush(stdout);
}

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    (void)self;
    (void)c;
    (void)f;
#if TRY == 1 /* sandbox_socket */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    say("socket", s >= 0);
#elif TRY == 2 /* sandbox_exec */
    char *const argv[] = {"/bin/true", NULL};
    execv("/bin/true", argv);
    say("exec", 0);
#elif TRY == 3 /* sandbox_write: a file opened for writing */
    int fd = open("/tmp/kiosk-sandbox-write-test", O_WRONLY | O_CREAT, 0600);
    say("open for writing", fd >= 0);
    if (fd >= 0)
        unlink("/tmp/kiosk-sandbox-write-test");
#elif TRY == 4 /* sandbox_ptrace */
    long r = ptrace(PTRACE_ATTACH, getppid(), NULL, NULL);
    say("ptrace", r == 0);
#elif TRY == 5 /* sandbox_kill: the kiosk itself */
    int r = kill(getppid(), SIGKILL);
    say("kill", r == 0);
#elif TRY == 6 /* noisy: garbage, a forged line of the kiosk's, a flood */
    fputs("\x1b[31mred\x07 and a\rcarriage\n", stdout);
    fputs("slide headline: left out: forged\n", stderr);
    for (int i = 0; i < 100; i++)
        printf("flood %d\n", i);
    fflush(stdout);
#elif TRY == 7 /* render_negative */
    return -5;
#elif TRY == 8 /* render_huge */
    return INT_MAX;
#endif
    return KIOSK_REDRAW_NEVER;
}

KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void);
KIOSK_PLUGIN_EXPORT const struct kiosk_plugin *kiosk_plugin_entry(void)
{
    static const struct kiosk_plugin p = {
        .abi_version = KIOSK_PLUGIN_ABI_VERSION,
        .struct_size = sizeof p,
        .name = PLUGIN_NAME,
        .description = "a plugin that tries what its worker may not do",
        .create = create,
        .destroy = destroy,
        .render = render,
    };
    return &p;
}
