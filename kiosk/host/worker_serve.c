/* The worker's side: one plugin file loaded in a process of its own, serving all of its
 * slides. It answers the kiosk's requests one at a time with the same host services as
 * the kiosk's own process (kiosk_host_init, the boundary, the canvas), drawing into the
 * canvas the kiosk shares with it. A request that is not well formed ends the worker: the
 * kiosk sent it, so it is a fault of the kiosk's own, never something to guess around. */
#include "worker.h"

#include "config/keyvals.h"
#include "plugin_host.h"
#include "services.h"
#include "worker_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct served_slide {
    bool used;
    char *name;
    struct kiosk_settings settings;
    struct kiosk_host_ctx host;
    void *self;
};

struct server {
    const struct kiosk_worker_serve_args *a;
    const struct kiosk_loaded_plugin *p;
    const struct kiosk_theme *theme;
    struct kiosk_fonts *fonts;
    struct served_slide slides[KIOSK_WP_MAX_SLIDES];
    /* the canvas the kiosk shares */
    kiosk_canvas *canvas;
    uint8_t *pixels;
    size_t map_size;
    int stride;
    kiosk_color background;
    /* the scored snapshot, from the kiosk's image */
    struct kiosk_snapshot *snap;
};

#if defined(__SANITIZE_ADDRESS__)
#define KIOSK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIOSK_UNDER_ASAN 1
#endif
#endif

/* A fatal signal (after the plugin's malloc failed, or near the address-space limit)
 * says "out of memory" to the kiosk before the worker dies of it, so the fault is named
 * "memory 256 MiB" rather than the signal a NULL from malloc led to. Only async-signal-safe
 * calls; the signal's own action then ends the process. */
static unsigned long as_limit_pages;

/* The address space in use, in pages (0: unknown); async-signal-safe. */
static unsigned long vm_pages(void)
{
    unsigned long pages = 0;
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd >= 0) {
        char b[64];
        ssize_t n = read(fd, b, sizeof b - 1);
        close(fd);
        for (ssize_t i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++)
            pages = pages * 10 + (unsigned long)(b[i] - '0');
    }
    return pages;
}

static void on_fatal(int sig)
{
    int e = errno;
    bool near = as_limit_pages && vm_pages() >= as_limit_pages / 10 * 9;
    if (as_limit_pages && (e == ENOMEM || near)) {
        struct kiosk_wp_header h = {.magic = KIOSK_WP_MAGIC, .type = KIOSK_WP_OUT_OF_MEMORY};
        send(3, &h, sizeof h, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    raise(sig); /* SA_RESETHAND | SA_NODEFER: the default action, now */
}

static void catch_fatal(void)
{
    static char alt[64 * 1024]; /* a stack overflow still reaches the handler */
    stack_t st = {.ss_sp = alt, .ss_size = sizeof alt};
    sigaltstack(&st, NULL);
    struct sigaction sa = {.sa_handler = on_fatal,
                           .sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER};
    const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void limits(const struct kiosk_worker_serve_args *a)
{
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* no core files, no ptrace by others */
    struct rlimit r = {0, 0};
    setrlimit(RLIMIT_CORE, &r);
#ifndef KIOSK_UNDER_ASAN /* the sanitizer reserves terabytes of address space */
    if (a->memory_mb) {
        r.rlim_cur = r.rlim_max = (rlim_t)a->memory_mb << 20;
        unsigned long page_size = (unsigned long)sysconf(_SC_PAGESIZE);
        if (setrlimit(RLIMIT_AS, &r) == 0 && page_size)
            as_limit_pages = ((unsigned long)a->memory_mb << 20) / page_size;
        /* a process that is already that large is not held by it (an emulator's, whose
         * own reservations are what is measured): its deaths are not told as memory */
        if (vm_pages() >= as_limit_pages / 10 * 9) {
            fprintf(a->log,
                    "plugin worker: already %lu MiB at its start, near its memory "
                    "limit: a death past it is not told as memory\n",
                    vm_pages() * page_size >> 20);
            as_limit_pages = 0;
        }
    }
#endif
    catch_fatal();
    if (a->cpu_s) {
        r.rlim_cur = a->cpu_s;
        r.rlim_max = a->cpu_s + 5; /* SIGXCPU first, SIGKILL if it is ignored */
        setrlimit(RLIMIT_CPU, &r);
    }
}

/* The strings of a CREATE payload: the slide's name, then keys and values, each ended. */
static int create_slide(struct server *s, uint32_t id, const char *pl, size_t size)
{
    if (id >= KIOSK_WP_MAX_SLIDES || s->slides[id].used || size == 0 || pl[size - 1] != '\0')
        return -1;
    struct served_slide *sl = &s->slides[id];
    memset(sl, 0, sizeof *sl);
    const char *at = pl, *end = pl + size;
    sl->name = strdup(at);
    at += strlen(at) + 1;
    while (sl->name && at < end) {
        const char *key = at;
        at += strlen(at) + 1;
        if (at >= end)
            return -1; /* a key without its value */
        const char *value = at;
        at += strlen(at) + 1;
        if (kiosk_settings_set(&sl->settings, key, value))
            return -1;
    }
    if (!sl->name)
        return -1;
    sl->settings.owner = sl->name;
    sl->settings.log = s->a->log;
    sl->settings.decls = s->p->settings;
    sl->settings.n_decls = s->p->n_settings;
    kiosk_host_init(&sl->host, sl->name, s->a->lang, s->theme, s->a->log);
    /* a slide with its own source: the kiosk fetches it and sends the bytes (SOURCE) */
    sl->host.source.url = kiosk_keyvals_get(&sl->settings.kv, "source");
    sl->used = true;
    return 0;
}

static void destroy_slide(struct server *s, struct served_slide *sl)
{
    if (sl->self) {
        kiosk_host_enter(&sl->host);
        s->p->desc.destroy(sl->self);
        kiosk_host_leave();
    }
    kiosk_host_drop_images(&sl->host); /* what its plugin left behind, said in the log */
    free(sl->name);
    free(sl->host.source.bytes);
    kiosk_settings_free(&sl->settings);
    memset(sl, 0, sizeof *sl);
}

/* A slide's own source from the kiosk: the bytes read out of its memfd, checked. */
static int take_source(struct served_slide *sl, const struct kiosk_wp_source *m, int fd)
{
    if (!sl || !sl->used || !memchr(m->error, '\0', sizeof m->error) ||
        m->size > KIOSK_WP_SOURCE_MAX || (m->size == 0) != (fd < 0))
        return -1;
    char *bytes = NULL;
    if (m->size) {
        struct stat st;
        if (fstat(fd, &st) || (uint64_t)st.st_size != m->size || !(bytes = malloc(m->size)))
            return -1;
        for (size_t at = 0; at < m->size;) {
            ssize_t n = pread(fd, bytes + at, m->size - at, (off_t)at);
            if (n <= 0) {
                free(bytes);
                return -1;
            }
            at += (size_t)n;
        }
    }
    struct kiosk_host_source *src = &sl->host.source;
    free(src->bytes);
    src->bytes = bytes;
    src->size = (size_t)m->size;
    src->serial = m->serial;
    src->fetched_unix = m->fetched_unix;
    snprintf(src->error, sizeof src->error, "%s", m->error);
    return 0;
}

static int take_canvas(struct server *s, const struct kiosk_wp_canvas *m, int fd)
{
    struct stat st;
    if (fd < 0 || m->width <= 0 || m->height <= 0 || m->width > KIOSK_WP_MAX_SIDE ||
        m->height > KIOSK_WP_MAX_SIDE || m->stride < m->width * 4 || m->stride % 4 ||
        fstat(fd, &st) || (size_t)st.st_size < (size_t)m->stride * (size_t)m->height)
        return -1;
    if (s->pixels)
        munmap(s->pixels, s->map_size);
    kiosk_canvas_free(s->canvas);
    s->map_size = (size_t)m->stride * (size_t)m->height;
    s->pixels = mmap(NULL, s->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    s->canvas = kiosk_canvas_new_bound(m->width, m->height, s->fonts);
    s->stride = m->stride;
    s->background = m->background;
    if (s->pixels == MAP_FAILED || !s->canvas) {
        s->pixels = NULL;
        return -1;
    }
    return 0;
}

static int take_snapshot(struct server *s, const struct kiosk_wp_snapshot *m, int fd)
{
    if (s->snap)
        kiosk_snapshot_unref(s->snap);
    s->snap = NULL;
    if (m->size == 0)
        return fd < 0 ? 0 : -1;
    return fd >= 0 && kiosk_snapimage_read(fd, m->size, &s->snap) == 0 ? 0 : -1;
}

/* A frame as the kiosk describes it, checked; NULL when it is not one. */
static int frame_of(const struct server *s, const struct kiosk_wp_frame *m, bool render,
                    struct kiosk_frame *f)
{
    if (m->width <= 0 || m->height <= 0 || m->width > KIOSK_WP_MAX_SIDE ||
        m->height > KIOSK_WP_MAX_SIDE || m->body_height < 0 || m->body_height > m->height ||
        !isfinite(m->elapsed_ms) || !(m->scale > 0 && m->scale < 100) || (m->has_data && !s->snap))
        return -1;
    if (render && (!s->canvas || kiosk_canvas_width(s->canvas) != m->width ||
                   kiosk_canvas_height(s->canvas) != m->height))
        return -1;
    *f = (struct kiosk_frame){.struct_size = sizeof *f,
                              .width = m->width,
                              .height = m->body_height,
                              .elapsed_ms = m->elapsed_ms,
                              .data = m->has_data ? kiosk_data_of(s->snap) : NULL,
                              .scale = (float)m->scale,
                              .now_unix_ms = m->now_unix_ms};
    return 0;
}

/* Serves one request; 0, or -1 when it was not one (the worker then ends). */
static int serve_one(struct server *s, int sock, const struct kiosk_wp_header *h, const void *pl,
                     int fd)
{
    struct kiosk_wp_result r = {0};
    struct served_slide *sl = h->slide < KIOSK_WP_MAX_SLIDES ? &s->slides[h->slide] : NULL;
    struct kiosk_frame f;
    switch (h->type) {
    case KIOSK_WP_CREATE:
        if (fd >= 0 || create_slide(s, h->slide, pl, h->size))
            return -1;
        kiosk_host_enter(&sl->host);
        r.value = s->p->desc.create(&sl->host.api, &sl->settings, &sl->self);
        kiosk_host_leave();
        if (r.value != 0) {
            sl->self = NULL;
            destroy_slide(s, sl);
        } else if (sl->host.redraw_requested) { /* request_redraw from create() */
            r.flags |= KIOSK_WP_REPLY_REDRAW;
            sl->host.redraw_requested = false;
        }
        break;
    case KIOSK_WP_DESTROY:
        if (fd >= 0 || h->size || !sl || !sl->used)
            return -1;
        destroy_slide(s, sl);
        break;
    case KIOSK_WP_HAS_CONTENT:
    case KIOSK_WP_TURN_S:
    case KIOSK_WP_RENDER:
        if (fd >= 0 || h->size != sizeof(struct kiosk_wp_frame) || !sl || !sl->used ||
            frame_of(s, pl, h->type == KIOSK_WP_RENDER, &f))
            return -1;
        kiosk_host_enter(&sl->host);
        if (h->type == KIOSK_WP_HAS_CONTENT)
            r.value = s->p->desc.has_content ? s->p->desc.has_content(sl->self, &f) != 0 : 1;
        else if (h->type == KIOSK_WP_TURN_S)
            r.number = s->p->desc.turn_s ? s->p->desc.turn_s(sl->self, &f) : 0;
        else {
            kiosk_canvas_bind(s->canvas, s->pixels, s->stride);
            kiosk_canvas_clear(s->canvas, s->background);
            r.value = s->p->desc.render(sl->self, s->canvas, &f);
            kiosk_canvas_unbind(s->canvas);
        }
        kiosk_host_leave();
        if (sl->host.redraw_requested) /* request_redraw during the call */
            r.flags |= KIOSK_WP_REPLY_REDRAW;
        sl->host.redraw_requested = false;
        if (!isfinite(r.number))
            r.number = 0;
        break;
    case KIOSK_WP_SOURCE:
        if (h->size != sizeof(struct kiosk_wp_source) || take_source(sl, pl, fd))
            return -1;
        break;
    case KIOSK_WP_CANVAS:
        if (h->size != sizeof(struct kiosk_wp_canvas) || take_canvas(s, pl, fd))
            return -1;
        break;
    case KIOSK_WP_SNAPSHOT:
        if (h->size != sizeof(struct kiosk_wp_snapshot) || take_snapshot(s, pl, fd))
            return -1;
        break;
    default:
        return -1;
    }
    return kiosk_wp_send(sock, h->type, h->slide, h->seq, &r, sizeof r, -1);
}

int kiosk_worker_serve(const struct kiosk_worker_serve_args *a)
{
    static struct server s; /* large (the slides); one a process */
    memset(&s, 0, sizeof s);
    s.a = a;
    s.theme = kiosk_theme_find(a->theme ? a->theme : "dark");
    if (!s.theme)
        s.theme = kiosk_theme_default();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (a->timezone && a->timezone[0]) { /* format_time in the screen's zone */
        setenv("TZ", a->timezone, 1);
        tzset();
    }
    limits(a);
    struct kiosk_diags d = {0};
    if (kiosk_fonts_from_manifest(a->fonts_dir, &s.fonts, &d) != 0) {
        fprintf(a->log, "plugin worker: cannot open the fonts of %s\n", a->fonts_dir);
        kiosk_diags_free(&d);
        return 2;
    }
    kiosk_diags_free(&d);
    if (a->sandbox && kiosk_worker_sandbox() != 0) {
        fprintf(a->log, "plugin worker: cannot install the system call filter\n");
        return 2;
    }
    struct kiosk_plugins plugins = {0}; /* the kiosk says it is loaded, or why not */
    if (kiosk_plugins_load_file(&plugins, a->plugin) != 0) {
        fprintf(a->log, "refused: %s\n",
                plugins.n_refused ? plugins.refused[0].reason : "out of memory");
        kiosk_plugins_unload(&plugins);
        return 3;
    }
    s.p = &plugins.loaded[0];
    struct kiosk_wp_hello hello = {.abi_version = s.p->desc.abi_version};
    hello.flags = (s.p->desc.has_content ? KIOSK_WP_HAS_HAS_CONTENT : 0) |
                  (s.p->desc.turn_s ? KIOSK_WP_HAS_TURN_S : 0);
    snprintf(hello.name, sizeof hello.name, "%s", s.p->desc.name);
    snprintf(hello.description, sizeof hello.description, "%s",
             s.p->desc.description ? s.p->desc.description : "");
    /* cut short at a character's start, not inside its UTF-8 bytes */
    size_t dn = strlen(hello.description);
    if (dn == sizeof hello.description - 1) {
        size_t lead = dn - 1;
        while (lead > 0 && ((unsigned char)hello.description[lead] & 0xC0) == 0x80)
            lead--;
        unsigned char c = (unsigned char)hello.description[lead];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (lead + len > dn)
            hello.description[lead] = '\0';
    }
    if (kiosk_wp_send(a->fd, KIOSK_WP_HELLO, 0, 0, &hello, sizeof hello, -1))
        return 1;
    static _Alignas(8) unsigned char buf[KIOSK_WP_MAX];
    int rc = 0;
    for (;;) {
        int fd;
        long n = kiosk_wp_recv(a->fd, buf, &fd);
        if (n == 0)
            break; /* the kiosk is done with us */
        const struct kiosk_wp_header *h = (const void *)buf;
        if (n < 0 || h->type <= KIOSK_WP_HELLO || h->type >= KIOSK_WP_END ||
            serve_one(&s, a->fd, h, buf + sizeof *h, fd)) {
            if (fd >= 0)
                close(fd);
            fprintf(a->log, "plugin worker: a request that is not one: ending\n");
            rc = 1;
            break;
        }
        if (fd >= 0)
            close(fd);
    }
    for (size_t i = 0; i < KIOSK_WP_MAX_SLIDES; i++)
        if (s.slides[i].used)
            destroy_slide(&s, &s.slides[i]);
    if (s.snap)
        kiosk_snapshot_unref(s.snap);
    kiosk_canvas_free(s.canvas);
    if (s.pixels)
        munmap(s.pixels, s.map_size);
    kiosk_plugins_unload(&plugins);
    kiosk_fonts_close(s.fonts);
    return rc;
}
