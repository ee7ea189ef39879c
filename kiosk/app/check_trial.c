/* kiosk check tries a plugin as the screen would run it: in a plugin worker (host/
 * worker.h), exec'd with its memory and CPU limits and its system call filter, it is
 * loaded, its slide made with the slide's settings, and one 1920x1080 frame of the
 * bundled demo drawn, each call within the deadline. A crash (any signal), an exit, a
 * hang, a refusal, a failing create(), running out of its memory, a frame slower than a
 * second: one line each, and the check fails. The check itself never runs a plugin's
 * code, so nothing a plugin does can take it down. */
#include "check_trial.h"

#include "core/pipeline.h"
#include "screen/setup.h"
#include "screen/show.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#define TRIAL_W 1920
#define TRIAL_H 1080
#define SLOW_MS 1000.0

static double mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int kiosk_trial_kit_open(const char *data_dir, const char *exe, bool filter, double deadline_s,
                         struct kiosk_trial_kit *k)
{
    memset(k, 0, sizeof *k);
    struct kiosk_diags d = {0};
    char demo[4200];
    snprintf(demo, sizeof demo, "%s/demo/demo-vn766.json", data_dir);
    snprintf(k->fonts_dir, sizeof k->fonts_dir, "%s/fonts", data_dir);
    struct kiosk_pipeline_source src = {.arg = demo};
    struct kiosk_read_options ro;
    struct kiosk_score_options so;
    kiosk_read_options_init(&ro);
    kiosk_score_options_init(&so);
    int rc = kiosk_setup_fonts(data_dir, &k->fonts, &d);
    if (rc == 0)
        rc = kiosk_pipeline_run(&src, 1, &ro, NULL, &so, &d, &k->snap);
    kiosk_diags_free(&d);
    if (rc == 0 && !(k->log = open_memstream(&k->log_text, &k->log_size)))
        rc = -1;
    if (rc) {
        kiosk_trial_kit_close(k);
        return rc;
    }
    kiosk_worker_conf_init(&k->workers);
    k->workers.exe = exe;
    k->workers.fonts_dir = k->fonts_dir;
    k->workers.deadline_s = deadline_s;
    k->workers.cpu_s = 10; /* a trial draws one frame */
    k->workers.sandbox = filter;
    k->workers.log = k->log;
    return 0;
}

void kiosk_trial_kit_close(struct kiosk_trial_kit *k)
{
    kiosk_snapshot_unref(k->snap);
    kiosk_fonts_close(k->fonts);
    if (k->log)
        fclose(k->log);
    free(k->log_text);
    memset(k, 0, sizeof *k);
}

void kiosk_trial_load_file(struct kiosk_trial_kit *k, struct kiosk_plugins *p, const char *file)
{
    kiosk_plugins_load_file_isolated(p, file, &k->workers);
}

void kiosk_trial_load_dirs(struct kiosk_trial_kit *k, struct kiosk_plugins *p,
                           const char *const *dirs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        kiosk_plugins_load_dir_isolated(p, dirs[i], &k->workers);
}

/* The worker's fault in a technician's words: "crashes in render(): SIGSEGV", ... */
static void say_fault(const struct kiosk_worker_fault *f, double deadline_s, char *out, size_t size)
{
    char stage[32];
    if (strcmp(f->call, "load") == 0)
        snprintf(stage, sizeof stage, "loading");
    else
        snprintf(stage, sizeof stage, "%s()", f->call);
    int code;
    if (strncmp(f->what, "SIG", 3) == 0)
        snprintf(out, size, "crashes in %s: %s", stage, f->what);
    else if (strncmp(f->what, "deadline", 8) == 0)
        snprintf(out, size, "hangs: %s did not return within %.0f s", stage, deadline_s);
    else if (sscanf(f->what, "exit %d", &code) == 1)
        snprintf(out, size, "ends the process in %s (exit status %d)", stage, code);
    else if (strncmp(f->what, "memory", 6) == 0)
        snprintf(out, size, "runs out of its memory in %s (%s)", stage, f->what);
    else if (strncmp(f->what, "cpu", 3) == 0)
        snprintf(out, size, "uses up its CPU time in %s (%s)", stage, f->what);
    else
        snprintf(out, size, "fails in %s: %s", stage, f->what);
}

/* Why the plugin file was refused: the worker's own words when it said them (a refusal
 * of the loader), else its death while loading it. */
static void say_refusal(struct kiosk_trial_kit *k, const struct kiosk_refused_plugin *rf,
                        struct kiosk_trial_result *r)
{
    fflush(k->log);
    /* the worker's own words, its last line of them: the loader's refusal (said without
     * "refused: "), or why it could not start (said whole) */
    static const struct {
        const char *marker;
        size_t skip; /* what of the marker is not said */
    } words[] = {{": output: refused: ", sizeof ": output: refused: " - 1},
                 {": output: cannot start ", sizeof ": output: " - 1},
                 {": output: plugin worker: cannot ", sizeof ": output: " - 1}};
    const char *said = NULL;
    for (size_t m = 0; m < sizeof words / sizeof *words && !said; m++)
        for (const char *at = k->log_text; at && (at = strstr(at, words[m].marker)); at++)
            said = at + words[m].skip;
    if (said) {
        size_t n = strcspn(said, "\n");
        snprintf(r->said, sizeof r->said, "%.*s", (int)n, said);
        return;
    }
    static const char died[] = "its worker failed loading it: ";
    const char *why = rf->reason ? rf->reason : "";
    if (strncmp(why, died, sizeof died - 1) == 0) {
        const char *what = why + sizeof died - 1, *paren = strstr(what, " (");
        struct kiosk_worker_fault f = {.call = "load"};
        snprintf(f.what, sizeof f.what, "%.*s", paren ? (int)(paren - what) : (int)strlen(what),
                 what);
        say_fault(&f, k->workers.deadline_s, r->said, sizeof r->said);
        return;
    }
    snprintf(r->said, sizeof r->said, "%s", why);
}

/* The worker's faults so far, and its last. */
static unsigned faults_of(const struct kiosk_worker *w)
{
    const struct kiosk_worker_fault *f = w ? kiosk_worker_last_fault(w) : NULL;
    return f ? f->count : 0;
}

/* The worker's peak resident memory, from the kernel (0: unknown). */
static long peak_kb(pid_t pid)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* The slide's own last error line since `from` in the log, as its plugin said it (e.g.
 * "text: expected at most 1000 bytes for a QR code, found 1213"); false when none. */
static bool slide_said(struct kiosk_trial_kit *k, size_t from, const char *name, char *out,
                       size_t size)
{
    char marker[160];
    snprintf(marker, sizeof marker, ": output: slide %s: error: ", name);
    fflush(k->log);
    const char *said = NULL;
    for (const char *at = k->log_text && from <= k->log_size ? k->log_text + from : NULL;
         at && (at = strstr(at, marker)); at++)
        said = at + strlen(marker);
    if (said)
        snprintf(out, size, "%.*s", (int)strcspn(said, "\n"), said);
    return said != NULL;
}

int kiosk_check_trial(struct kiosk_trial_kit *k, const struct kiosk_plugins *p,
                      const struct kiosk_slide_conf *slide, enum kiosk_lang_code lang,
                      struct kiosk_trial_result *r)
{
    memset(r, 0, sizeof *r);
    fflush(k->log);
    size_t log_from = k->log_size; /* what this trial's worker says comes after */
    if (!slide && p->n_loaded == 0) {
        if (p->n_refused)
            say_refusal(k, &p->refused[p->n_refused - 1], r);
        else
            snprintf(r->said, sizeof r->said, "cannot load it");
        return -1;
    }
    struct kiosk_slide_conf one = {.name = (char *)"check", .duration_s = 15};
    if (slide)
        one = *slide;
    else
        one.plugin = (char *)p->loaded[0].desc.name;
    const struct kiosk_loaded_plugin *lp = kiosk_plugins_find(p, one.plugin);
    if (lp) {
        snprintf(r->name, sizeof r->name, "%s", lp->desc.name);
        snprintf(r->description, sizeof r->description, "%s",
                 lp->desc.description ? lp->desc.description : "");
        r->abi_major = lp->desc.abi_version >> 16;
        r->abi_minor = lp->desc.abi_version & 0xFFFF;
    }
    struct kiosk_worker *w = lp ? lp->worker : NULL;
    unsigned faults = faults_of(w);
    struct kiosk_config c = {.slides = &one, .n_slides = 1, .lang = lang};
    struct kiosk_show show;
    if (kiosk_show_build(&show, &c, (struct kiosk_plugins *)p, NULL) == 0) {
        char own[200];
        if (faults_of(w) > faults)
            say_fault(kiosk_worker_last_fault(w), k->workers.deadline_s, r->said, sizeof r->said);
        else if (slide_said(k, log_from, one.name, own, sizeof own))
            snprintf(r->said, sizeof r->said, "cannot make its slide: %s", own);
        else
            snprintf(r->said, sizeof r->said, "cannot make its slide (%s)",
                     show.n_failed ? show.failed[0].why : "out of memory");
        kiosk_show_free(&show);
        return -1;
    }
    kiosk_canvas *canvas = kiosk_canvas_new(TRIAL_W, TRIAL_H, k->fonts);
    if (!canvas) {
        snprintf(r->said, sizeof r->said, "no memory for a %dx%d canvas", TRIAL_W, TRIAL_H);
        kiosk_show_free(&show);
        return -1;
    }
    double t0 = mono_ms();
    kiosk_show_render(&show, 0, canvas, k->snap, 0, (int64_t)time(NULL) * 1000);
    r->render_ms = mono_ms() - t0;
    kiosk_canvas_free(canvas);
    int rc = 0;
    if (faults_of(w) > faults) {
        say_fault(kiosk_worker_last_fault(w), k->workers.deadline_s, r->said, sizeof r->said);
        rc = -1;
    } else if (r->render_ms > SLOW_MS) {
        snprintf(r->said, sizeof r->said,
                 "is slow: a %dx%d frame took %.0f ms (a slide should draw in well under a "
                 "second)",
                 TRIAL_W, TRIAL_H, r->render_ms);
        rc = -1;
    } else {
        r->peak_kb = w ? peak_kb(kiosk_worker_pid(w)) : 0;
        snprintf(r->said, sizeof r->said,
                 "drew a %dx%d frame of the demo in %.1f ms in its worker, peak %.0f MiB", TRIAL_W,
                 TRIAL_H, r->render_ms, (double)r->peak_kb / 1024);
    }
    kiosk_show_free(&show);
    /* the worker ended: its slide destroyed, which may go wrong too */
    struct kiosk_worker_fault end = {.call = "destroy"};
    if (rc == 0 && w && kiosk_worker_end(w, end.what, sizeof end.what) != 0) {
        say_fault(&end, k->workers.deadline_s, r->said, sizeof r->said);
        rc = -1;
    }
    return rc;
}
