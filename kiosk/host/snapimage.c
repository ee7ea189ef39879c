/* The snapshot image a worker reads: the table the snapshot was scored from and the
 * options it was scored with, flat (counts, numbers, strings as length and bytes, string
 * references as indexes), in a memfd sealed against any change. The worker scores it
 * again; the scoring is deterministic, so its views are the kiosk's. The reader checks
 * every count, index and length against the image's size and the model's limits. */
#define _GNU_SOURCE
#include "worker.h"

#include "core/error.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char MAGIC[8] = "KSNAPIM1";
#define NO_STRING UINT32_MAX
#define IMAGE_MAX_TEXT 65536

struct out {
    unsigned char *b;
    size_t n, cap;
    bool failed;
};

static void put(struct out *o, const void *v, size_t n)
{
    if (o->failed)
        return;
    if (o->n + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1 << 16;
        while (cap < o->n + n)
            cap *= 2;
        unsigned char *g = realloc(o->b, cap);
        if (!g) {
            o->failed = true;
            return;
        }
        o->b = g;
        o->cap = cap;
    }
    memcpy(o->b + o->n, v, n);
    o->n += n;
}

static void put_u32(struct out *o, uint32_t v)
{
    put(o, &v, sizeof v);
}

static void put_f64(struct out *o, double v)
{
    put(o, &v, sizeof v);
}

static void put_i64(struct out *o, int64_t v)
{
    put(o, &v, sizeof v);
}

static void put_str(struct out *o, const char *s)
{
    if (!s) {
        put_u32(o, NO_STRING);
        return;
    }
    size_t n = strlen(s);
    put_u32(o, (uint32_t)n);
    put(o, s, n);
}

int kiosk_snapimage_write(const struct kiosk_snapshot *s, int *fd, uint64_t *size)
{
    struct out o = {0};
    const struct kiosk_table *t = &s->table;
    const struct kiosk_framework *fw = &t->fw;
    put(&o, MAGIC, sizeof MAGIC);
    put_u32(&o, (uint32_t)s->lang);
    put_f64(&o, s->threshold);
    put_str(&o, s->home);
    put_u32(&o, (uint32_t)s->n_bands);
    for (size_t i = 0; i < s->n_bands; i++) {
        put_f64(&o, s->bands[i].min);
        put_str(&o, s->bands[i].label);
    }
    put_i64(&o, s->produced_unix);
    put_u32(&o, t->has_framework);
    put_str(&o, fw->id);
    put_str(&o, fw->title);
    put_u32(&o, (uint32_t)fw->n_groups);
    for (size_t g = 0; g < fw->n_groups; g++) {
        const struct kiosk_group *grp = &fw->groups[g];
        put_str(&o, grp->code);
        put_str(&o, grp->name);
        put_str(&o, grp->name_en);
        put_f64(&o, grp->max);
        put_u32(&o, (uint32_t)grp->n_rules);
        for (size_t r = 0; r < grp->n_rules; r++) {
            put_str(&o, grp->rules[r].code);
            put_str(&o, grp->rules[r].name);
            put_f64(&o, grp->rules[r].max);
            put_u32(&o, (uint32_t)grp->rules[r].rule);
            put_f64(&o, grp->rules[r].target_pct);
        }
    }
    put_f64(&o, fw->max_total);
    put_u32(&o, t->strings.count);
    for (uint32_t i = 0; i < t->strings.count; i++)
        put_str(&o, kiosk_strtab_get(&t->strings, i));
    put_str(&o, t->source);
    put_str(&o, t->generated_at);
    put_u32(&o, (uint32_t)t->n_periods);
    for (size_t pi = 0; pi < t->n_periods; pi++) {
        const struct kiosk_period *p = &t->periods[pi];
        put_str(&o, p->id);
        put_str(&o, p->label);
        put_u32(&o, (uint32_t)p->start);
        put_u32(&o, (uint32_t)p->end);
        put_u32(&o, (uint32_t)p->origin);
        put_u32(&o, (uint32_t)p->n_entries);
        for (size_t i = 0; i < p->n_entries; i++) {
            const struct kiosk_entry *e = &p->entries[i];
            uint32_t u[] = {e->unit, e->name, e->kind, e->parent, e->source_index, e->n_metrics};
            put(&o, u, sizeof u);
            put_f64(&o, e->total);
            put_f64(&o, e->given_delta);
            for (uint32_t m = 0; m < e->n_metrics; m++)
                put(&o, &e->metrics[m], sizeof e->metrics[m]);
        }
        put(&o, p->scores, p->n_entries * fw->n_groups * sizeof(double));
    }
    if (o.failed) {
        free(o.b);
        return KIOSK_ENOMEM;
    }
    int f = memfd_create("kiosk-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    size_t done = 0;
    while (f >= 0 && done < o.n) {
        ssize_t k = write(f, o.b + done, o.n - done);
        if (k <= 0)
            break;
        done += (size_t)k;
    }
    free(o.b);
    if (f < 0 || done != o.n ||
        fcntl(f, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
        if (f >= 0)
            close(f);
        return KIOSK_EIO;
    }
    *fd = f;
    *size = o.n;
    return 0;
}

/* ---- reading ---- */

struct in {
    const unsigned char *b;
    size_t n, at;
    bool bad;
};

static void get(struct in *r, void *v, size_t n)
{
    if (r->bad || n > r->n - r->at) {
        r->bad = true;
        memset(v, 0, n);
        return;
    }
    memcpy(v, r->b + r->at, n);
    r->at += n;
}

static uint32_t get_u32(struct in *r)
{
    uint32_t v;
    get(r, &v, sizeof v);
    return v;
}

static double get_f64(struct in *r)
{
    double v;
    get(r, &v, sizeof v);
    return v;
}

/* A string, copied (NULL for none: *had says whether one was there). */
static char *get_str(struct in *r, bool *had)
{
    uint32_t n = get_u32(r);
    *had = false;
    if (r->bad || n == NO_STRING)
        return NULL;
    if (n > IMAGE_MAX_TEXT || n > r->n - r->at || memchr(r->b + r->at, '\0', n)) {
        r->bad = true;
        return NULL;
    }
    char *s = strndup((const char *)r->b + r->at, n);
    r->at += n;
    if (!s)
        r->bad = true;
    *had = s != NULL;
    return s;
}

static bool ref_ok(uint32_t ref, uint32_t count, bool optional)
{
    return ref < count || (optional && ref == KIOSK_NONE);
}

static void read_table(struct in *r, struct kiosk_table *t)
{
    bool had;
    struct kiosk_framework *fw = &t->fw;
    t->has_framework = get_u32(r) != 0;
    fw->id = get_str(r, &had);
    fw->title = get_str(r, &had);
    uint32_t ng = get_u32(r);
    if (ng > KIOSK_MAX_GROUPS) {
        r->bad = true;
        return;
    }
    for (uint32_t g = 0; g < ng && !r->bad; g++) {
        struct kiosk_group *grp = &fw->groups[g];
        fw->n_groups = g + 1;
        grp->code = get_str(r, &had);
        grp->name = get_str(r, &had);
        grp->name_en = get_str(r, &had);
        grp->max = get_f64(r);
        uint32_t nr = get_u32(r);
        if (nr > KIOSK_MAX_METRICS || !(grp->rules = calloc(nr ? nr : 1, sizeof *grp->rules))) {
            r->bad = true;
            return;
        }
        for (uint32_t k = 0; k < nr && !r->bad; k++) {
            grp->n_rules = k + 1;
            grp->rules[k].code = get_str(r, &had);
            grp->rules[k].name = get_str(r, &had);
            grp->rules[k].max = get_f64(r);
            grp->rules[k].rule = (enum kiosk_rule)get_u32(r);
            grp->rules[k].target_pct = get_f64(r);
        }
    }
    fw->max_total = get_f64(r);
    uint32_t ns = get_u32(r);
    if (ns > r->n / 4) { /* each string takes four bytes at least */
        r->bad = true;
        return;
    }
    for (uint32_t i = 0; i < ns && !r->bad; i++) {
        char *s = get_str(r, &had);
        if (!s || kiosk_strtab_intern(&t->strings, s, strlen(s)) != i)
            r->bad = true;
        free(s);
    }
    t->source = get_str(r, &had);
    t->generated_at = get_str(r, &had);
    uint32_t np = get_u32(r);
    if (np > KIOSK_MAX_PERIODS) {
        r->bad = true;
        return;
    }
    for (uint32_t pi = 0; pi < np && !r->bad; pi++) {
        char *id = get_str(r, &had), *label = get_str(r, &had);
        int32_t start = (int32_t)get_u32(r), end = (int32_t)get_u32(r);
        uint32_t origin = get_u32(r), n = get_u32(r);
        struct kiosk_period *p = NULL;
        if (!r->bad && id && n <= KIOSK_MAX_UNITS &&
            (origin == KIOSK_ORIGIN_FEED || origin == KIOSK_ORIGIN_STORE))
            p = kiosk_table_add_period(t, id, label, start, end, (enum kiosk_origin)origin);
        free(id);
        free(label);
        if (!p || (n && kiosk_period_reserve(t, p, n))) {
            r->bad = true;
            return;
        }
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            uint32_t u[6];
            get(r, u, sizeof u);
            size_t idx;
            if (r->bad || !ref_ok(u[0], ns, false) || !ref_ok(u[1], ns, false) ||
                !ref_ok(u[2], ns, true) || !ref_ok(u[3], ns, true) || u[5] > KIOSK_MAX_METRICS ||
                kiosk_period_find(p, u[0]) >= 0 || kiosk_period_entry(t, p, u[0], &idx)) {
                r->bad = true;
                return;
            }
            struct kiosk_entry *e = &p->entries[idx];
            e->name = u[1];
            e->kind = u[2];
            e->parent = u[3];
            e->source_index = u[4];
            e->total = get_f64(r);
            e->given_delta = get_f64(r);
            if (u[5] && !(e->metrics = calloc(u[5], sizeof *e->metrics))) {
                r->bad = true;
                return;
            }
            for (uint32_t m = 0; m < u[5] && !r->bad; m++) {
                struct kiosk_metric *mt = &e->metrics[m];
                get(r, mt, sizeof *mt);
                e->n_metrics = m + 1;
                if (mt->group >= ng || !ref_ok(mt->code, ns, false) ||
                    !ref_ok(mt->name, ns, true) || !ref_ok(mt->quality, ns, true) ||
                    !ref_ok(mt->quality_message, ns, true))
                    r->bad = true;
            }
        }
        if (ng && n)
            get(r, p->scores, (size_t)n * ng * sizeof(double));
    }
}

int kiosk_snapimage_read(int fd, uint64_t size, struct kiosk_snapshot **out)
{
    *out = NULL;
    if (size < sizeof MAGIC || size > ((uint64_t)1 << 30))
        return -1;
    void *map = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return -1;
    struct in r = {.b = map, .n = (size_t)size};
    char magic[sizeof MAGIC];
    get(&r, magic, sizeof magic);
    struct kiosk_score_options so;
    kiosk_score_options_init(&so);
    struct kiosk_band bands[64];
    char *labels[64] = {0};
    char *home = NULL;
    bool had;
    struct kiosk_table t = {0};
    if (memcmp(magic, MAGIC, sizeof MAGIC) != 0)
        r.bad = true;
    uint32_t lang = get_u32(&r);
    so.lang = lang == KIOSK_LANG_CODE_EN ? KIOSK_LANG_CODE_EN : KIOSK_LANG_CODE_VI;
    so.threshold = get_f64(&r);
    so.home = home = get_str(&r, &had);
    uint32_t nb = get_u32(&r);
    if (nb > 64)
        r.bad = true;
    for (uint32_t i = 0; i < nb && !r.bad; i++) {
        bands[i].min = get_f64(&r);
        bands[i].label = labels[i] = get_str(&r, &had);
        if (!had)
            r.bad = true;
    }
    so.bands = bands;
    so.n_bands = r.bad ? 0 : nb;
    get(&r, &so.fetched_unix, sizeof so.fetched_unix);
    read_table(&r, &t);
    int rc = -1;
    if (!r.bad && r.at == r.n && kiosk_score(&t, &so, out) == 0)
        rc = 0;
    kiosk_table_free(&t);
    for (uint32_t i = 0; i < 64; i++)
        free(labels[i]);
    free(home);
    munmap(map, (size_t)size);
    return rc;
}
