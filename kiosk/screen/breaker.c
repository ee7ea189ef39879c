#include "breaker.h"

#include "core/files.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define NOTE_SIZE 256 /* one fixed record, rewritten in place: no allocation on the path */

static void save_quarantine(const struct kiosk_breaker *b, FILE *log)
{
    char text[KIOSK_BREAKER_MAX * 160] = "", path[4200];
    size_t used = 0;
    for (size_t i = 0; i < b->n && used < sizeof text; i++) {
        int w = snprintf(text + used, sizeof text - used, "%" PRId64 " %s\n", b->q[i].until_unix,
                         b->q[i].slide);
        used += w > 0 ? (size_t)w : 0;
    }
    snprintf(path, sizeof path, "%s/%s", b->dir, KIOSK_BREAKER_QUARANTINE);
    if (kiosk_write_atomic(path, text, strlen(text)) != 0 && log)
        fprintf(log, "kiosk run: cannot write %s: %s\n", path, strerror(errno));
}

static void load_quarantine(struct kiosk_breaker *b, int64_t now)
{
    char path[4200], line[256];
    snprintf(path, sizeof path, "%s/%s", b->dir, KIOSK_BREAKER_QUARANTINE);
    FILE *f = fopen(path, "r");
    while (f && b->n < KIOSK_BREAKER_MAX && fgets(line, sizeof line, f)) {
        struct kiosk_quarantined q = {0};
        int at = 0;
        if (sscanf(line, "%" SCNd64 " %n", &q.until_unix, &at) != 1 || at <= 0)
            continue;
        snprintf(q.slide, sizeof q.slide, "%s", line + at);
        q.slide[strcspn(q.slide, "\n")] = '\0';
        if (q.slide[0] && q.until_unix > now)
            b->q[b->n++] = q;
    }
    if (f)
        fclose(f);
}

void kiosk_breaker_open(struct kiosk_breaker *b, const char *dir, double hold_s, FILE *log,
                        int64_t now_unix)
{
    memset(b, 0, sizeof *b);
    b->opened = true;
    b->fd = -1;
    b->hold_s = hold_s;
    if (!dir)
        return;
    snprintf(b->dir, sizeof b->dir, "%s", dir);
    kiosk_make_dirs(dir); /* failing, the open below says so */
    load_quarantine(b, now_unix);
    char path[4200], note[NOTE_SIZE + 1] = "";
    snprintf(path, sizeof path, "%s/%s", dir, KIOSK_BREAKER_NOTE);
    /* the note is rewritten on every plugin call: on a card that would be a write every few
     * seconds for months, so it is kept on tmpfs only */
    struct statfs fs;
    if (statfs(dir, &fs) != 0 || (fs.f_type != TMPFS_MAGIC && fs.f_type != RAMFS_MAGIC)) {
        if (log)
            fprintf(log,
                    "kiosk run: %s is not on tmpfs: no crash note is kept (a slide that "
                    "crashes the kiosk will not be found; give a runtime_dir on tmpfs)\n",
                    dir);
        return;
    }
    b->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (b->fd < 0) {
        if (log)
            fprintf(log,
                    "kiosk run: cannot keep the crash note %s: %s; a slide that crashes "
                    "the kiosk will not be found\n",
                    path, strerror(errno));
        return;
    }
    ssize_t n = pread(b->fd, note, NOTE_SIZE, 0);
    note[n > 0 ? n : 0] = '\0';
    long pid = 0;
    int at = 0;
    char what[32] = "";
    if (sscanf(note, "%ld %31s %n", &pid, what, &at) == 2 && at > 0 && pid > 0 &&
        pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
        char slide[128];
        snprintf(slide, sizeof slide, "%s", note + at);
        size_t len = strcspn(slide, "\n");
        while (len > 0 && slide[len - 1] == ' ') /* the record's padding */
            len--;
        slide[len] = '\0';
        size_t i = 0;
        while (i < b->n && strcmp(b->q[i].slide, slide) != 0)
            i++;
        if (slide[0] && i < KIOSK_BREAKER_MAX) {
            snprintf(b->q[i].slide, sizeof b->q[i].slide, "%s", slide);
            b->q[i].until_unix = now_unix + (int64_t)hold_s;
            if (i == b->n)
                b->n++;
            save_quarantine(b, log);
            if (log)
                fprintf(log,
                        "kiosk run: the last run (pid %ld) died in %s of slide %s: the slide "
                        "is quarantined for %.0f minutes, the others are shown\n",
                        pid, what, slide, hold_s / 60);
        }
    }
    kiosk_breaker_leave(b);
}

bool kiosk_breaker_quarantined(const struct kiosk_breaker *b, const char *slide, int64_t now_unix,
                               int64_t *until)
{
    for (size_t i = 0; b && i < b->n; i++)
        if (strcmp(b->q[i].slide, slide) == 0 && b->q[i].until_unix > now_unix) {
            if (until)
                *until = b->q[i].until_unix;
            return true;
        }
    return false;
}

int64_t kiosk_breaker_next_end(const struct kiosk_breaker *b, int64_t now_unix)
{
    int64_t next = 0;
    for (size_t i = 0; b && i < b->n; i++)
        if (b->q[i].until_unix > now_unix && (!next || b->q[i].until_unix < next))
            next = b->q[i].until_unix;
    return next;
}

static void write_note(struct kiosk_breaker *b, const char *text)
{
    char note[NOTE_SIZE];
    memset(note, ' ', sizeof note);
    size_t len = strlen(text);
    memcpy(note, text, len < sizeof note ? len : sizeof note);
    note[sizeof note - 1] = '\n';
    if (pwrite(b->fd, note, sizeof note, 0) != (ssize_t)sizeof note) {
        close(b->fd); /* a note that cannot be written is no note: stop noting */
        b->fd = -1;
    }
}

void kiosk_breaker_enter(struct kiosk_breaker *b, const char *slide, const char *what)
{
    if (!b || !b->opened || b->fd < 0)
        return;
    char text[NOTE_SIZE];
    snprintf(text, sizeof text, "%ld %s %s", (long)getpid(), what, slide);
    write_note(b, text);
}

void kiosk_breaker_leave(struct kiosk_breaker *b)
{
    if (b && b->opened && b->fd >= 0)
        write_note(b, "");
}

void kiosk_breaker_close(struct kiosk_breaker *b)
{
    if (!b->opened)
        return;
    if (b->fd >= 0) {
        kiosk_breaker_leave(b);
        close(b->fd);
    }
    b->fd = -1;
}
