/* Plugins with one fault each, chosen with -DFAULT=...: what a buggy or hostile plugin
 * does to the process it runs in. kiosk check must name each, and survive it. */
#include "kiosk/plugin.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if FAULT == 1 /* ctor_crash: the constructor runs at dlopen */
__attribute__((constructor)) static void crash_on_load(void)
{
    raise(SIGSEGV);
}
#endif

static int create(const struct kiosk_host *host, const kiosk_settings *settings, void **self)
{
    (void)host;
    (void)settings;
#if FAULT == 2 /* create_crash */
    raise(SIGSEGV);
#endif
    static int instance;
    *self = &instance;
    return 0;
}

static void destroy(void *self)
{
    (void)self;
#if FAULT == 12 /* destroy_crash */
    raise(SIGSEGV);
#endif
}

#if FAULT == 9
static int deep(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    if (n < 0) /* never: n only grows, until the stack is gone */
        return 0;
    return deep(n + 1) + pad[0];
}
#endif

static int render(void *self, kiosk_canvas *c, const struct kiosk_frame *f)
{
    (void)self;
    (void)c;
    (void)f;
#if FAULT == 3 /* render_segv */
    raise(SIGSEGV);
#elif FAULT == 4  /* render_abort */
    abort();
#elif FAULT == 5  /* render_exit */
    exit(0);
#elif FAULT == 6  /* render_loop */
    for (volatile int spin = 1; spin;)
        ;
#elif FAULT == 7  /* render_sleep */
    sleep(30);
#elif FAULT == 8  /* render_alloc: 4 GiB, written */
    char *p = malloc((size_t)4 << 30);
    if (!p)
        return KIOSK_REDRAW_NEVER; /* refused by the limit: the right answer */
    memset(p, 1, (size_t)4 << 30);
    free(p);
#elif FAULT == 9  /* stack_overflow */
    return deep(0);
#elif FAULT == 11 /* render_leak: 110 MiB a frame kept, and a careless NULL check */
    static char *volatile kept; /* each frame's block chained to the last: never freed */
    char *p = malloc((size_t)110 << 20);
    memset(p, 1, (size_t)110 << 20); /* a NULL from malloc written: SIGSEGV */
    memcpy(p, (const void *)&kept, sizeof kept);
    kept = p;
#elif FAULT == 10 /* render_slow: 1.5 s of work a frame */
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 1500);
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
        .description = "a plugin with one fault",
        .create = create,
        .destroy = destroy,
        .render = render,
    };
    return &p;
}
