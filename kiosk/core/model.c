#include "model.h"

#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string table: FNV-1a hashing, open addressing, load factor <= 1/2 ---- */

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int strtab_grow_slots(struct kiosk_strtab *t)
{
    uint32_t nslots = t->nslots ? t->nslots * 2 : 64;
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return KIOSK_ENOMEM;
    for (uint32_t i = 0; i < t->count; i++) {
        const char *s = t->strings[i];
        uint32_t h = hash_bytes(s, strlen(s)) & (nslots - 1);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return 0;
}

static uint32_t strtab_lookup(const struct kiosk_strtab *t, const char *s, size_t n, uint32_t *slot)
{
    if (!t->nslots)
        return KIOSK_NONE;
    uint32_t h = hash_bytes(s, n) & (t->nslots - 1);
    while (t->slots[h]) {
        const char *cand = t->strings[t->slots[h] - 1];
        if (strncmp(cand, s, n) == 0 && cand[n] == '\0')
            return t->slots[h] - 1;
        h = (h + 1) & (t->nslots - 1);
    }
    if (slot)
        *slot = h;
    return KIOSK_NONE;
}

uint32_t kiosk_strtab_intern(struct kiosk_strtab *t, const char *s, size_t n)
{
    uint32_t slot = 0;
    uint32_t found = strtab_lookup(t, s, n, &slot);
    if (found != KIOSK_NONE)
        return found;
    if (t->count == KIOSK_NONE - 1)
        return KIOSK_NONE;
    if ((t->count + 1) * 2 > t->nslots) {
        if (strtab_grow_slots(t))
            return KIOSK_NONE;
        strtab_lookup(t, s, n, &slot);
    }
    if (t->count == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        char **grown = realloc(t->strings, cap * sizeof *grown);
        if (!grown)
            return KIOSK_NONE;
        t->strings = grown;
        t->cap = cap;
    }
    char *copy = strndup(s, n);
    if (!copy)
        return KIOSK_NONE;
    t->strings[t->count] = copy;
    t->slots[slot] = t->count + 1;
    return t->count++;
}

uint32_t kiosk_strtab_find(const struct kiosk_strtab *t, const char *s)
{
    return strtab_lookup(t, s, strlen(s), NULL);
}

const char *kiosk_strtab_get(const struct kiosk_strtab *t, uint32_t index)
{
    return index < t->count ? t->strings[index] : NULL;
}

void kiosk_strtab_free(struct kiosk_strtab *t)
{
    for (uint32_t i = 0; i < t->count; i++)
        free(t->strings[i]);
    free(t->strings);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ---- framework ---- */

int kiosk_framework_group(const struct kiosk_framework *fw, const char *code)
{
    for (size_t i = 0; i < fw->n_groups; i++)
        if (strcmp(fw->groups[i].code, code) == 0)
            return (int)i;
    return -1;
}

const struct kiosk_metric_rule *kiosk_framework_rule(const struct kiosk_framework *fw, size_t g,
                                                     const char *code)
{
    if (g >= fw->n_groups)
        return NULL;
    const struct kiosk_group *grp = &fw->groups[g];
    for (size_t i = 0; i < grp->n_rules; i++)
        if (strcmp(grp->rules[i].code, code) == 0)
            return &grp->rules[i];
    return NULL;
}

static int dup_field(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : KIOSK_ENOMEM;
}

int kiosk_framework_copy(struct kiosk_framework *dst, const struct kiosk_framework *src)
{
    memset(dst, 0, sizeof *dst);
    int rc = dup_field(&dst->id, src->id) | dup_field(&dst->title, src->title);
    dst->n_groups = src->n_groups;
    dst->max_total = src->max_total;
    for (size_t g = 0; g < src->n_groups && !rc; g++) {
        const struct kiosk_group *s = &src->groups[g];
        struct kiosk_group *d = &dst->groups[g];
        d->max = s->max;
        rc |= dup_field(&d->code, s->code) | dup_field(&d->name, s->name) |
              dup_field(&d->name_en, s->name_en);
        if (s->n_rules) {
            d->rules = calloc(s->n_rules, sizeof *d->rules);
            if (!d->rules) {
                rc = KIOSK_ENOMEM;
                break;
            }
            d->n_rules = s->n_rules;
            for (size_t r = 0; r < s->n_rules; r++) {
                d->rules[r] = s->rules[r];
                d->rules[r].code = NULL;
                d->rules[r].name = NULL;
                rc |= dup_field(&d->rules[r].code, s->rules[r].code) |
                      dup_field(&d->rules[r].name, s->rules[r].name);
            }
        }
    }
    if (rc) {
        kiosk_framework_free(dst);
        return KIOSK_ENOMEM;
    }
    return 0;
}

void kiosk_framework_free(struct kiosk_framework *fw)
{
    free(fw->id);
    free(fw->title);
    for (size_t g = 0; g < fw->n_groups; g++) {
        struct kiosk_group *grp = &fw->groups[g];
        free(grp->code);
        free(grp->name);
        free(grp->name_en);
        for (size_t r = 0; r < grp->n_rules; r++) {
            free(grp->rules[r].code);
            free(grp->rules[r].name);
        }
        free(grp->rules);
    }
    memset(fw, 0, sizeof *fw);
}

/* ---- table ---- */

struct kiosk_period *kiosk_table_period(struct kiosk_table *t, const char *id)
{
    for (size_t i = 0; i < t->n_periods; i++)
        if (strcmp(t->periods[i].id, id) == 0)
            return &t->periods[i];
    return NULL;
}

struct kiosk_period *kiosk_table_add_period(struct kiosk_table *t, const char *id,
                                            const char *label, int32_t start, int32_t end,
                                            enum kiosk_origin origin)
{
    if (t->n_periods >= KIOSK_MAX_PERIODS)
        return NULL;
    if (t->n_periods == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct kiosk_period *grown = realloc(t->periods, cap * sizeof *grown);
        if (!grown)
            return NULL;
        t->periods = grown;
        t->cap = cap;
    }
    struct kiosk_period *p = &t->periods[t->n_periods];
    memset(p, 0, sizeof *p);
    p->id = strdup(id);
    p->label = strdup(label ? label : id);
    if (!p->id || !p->label) {
        free(p->id);
        free(p->label);
        return NULL;
    }
    p->start = start;
    p->end = end;
    p->origin = origin;
    t->n_periods++;
    return p;
}

static void period_free(struct kiosk_period *p)
{
    for (size_t i = 0; i < p->n_entries; i++)
        free(p->entries[i].metrics);
    free(p->entries);
    free(p->scores);
    free(p->index);
    free(p->id);
    free(p->label);
}

void kiosk_table_remove_period(struct kiosk_table *t, size_t i)
{
    period_free(&t->periods[i]);
    memmove(&t->periods[i], &t->periods[i + 1], (t->n_periods - i - 1) * sizeof *t->periods);
    t->n_periods--;
}

static size_t unit_slot(uint32_t unit, size_t n_index)
{
    return (size_t)(unit * 2654435761u) & (n_index - 1);
}

long kiosk_period_find(const struct kiosk_period *p, uint32_t unit)
{
    if (!p->n_index)
        return -1;
    for (size_t h = unit_slot(unit, p->n_index); p->index[h]; h = (h + 1) & (p->n_index - 1))
        if (p->entries[p->index[h] - 1].unit == unit)
            return (long)p->index[h] - 1;
    return -1;
}

static int period_reindex(struct kiosk_period *p, size_t n_index)
{
    uint32_t *index = calloc(n_index, sizeof *index);
    if (!index)
        return KIOSK_ENOMEM;
    for (size_t i = 0; i < p->n_entries; i++) {
        size_t h = unit_slot(p->entries[i].unit, n_index);
        while (index[h])
            h = (h + 1) & (n_index - 1);
        index[h] = (uint32_t)i + 1;
    }
    free(p->index);
    p->index = index;
    p->n_index = n_index;
    return 0;
}

int kiosk_period_reserve(struct kiosk_table *t, struct kiosk_period *p, size_t n)
{
    if (n > KIOSK_MAX_UNITS)
        return KIOSK_ELIMIT;
    size_t ng = t->fw.n_groups;
    if (n > p->cap) {
        struct kiosk_entry *e = realloc(p->entries, n * sizeof *e);
        if (!e)
            return KIOSK_ENOMEM;
        p->entries = e;
        if (ng) {
            double *s = realloc(p->scores, n * ng * sizeof *s);
            if (!s)
                return KIOSK_ENOMEM;
            p->scores = s;
        }
        p->cap = n;
    }
    /* the index stays at least twice the capacity: appends never need to grow it */
    size_t n_index = p->n_index ? p->n_index : 128;
    while (n_index < 2 * p->cap)
        n_index *= 2;
    if (n_index != p->n_index && period_reindex(p, n_index))
        return KIOSK_ENOMEM;
    return 0;
}

int kiosk_period_entry(struct kiosk_table *t, struct kiosk_period *p, uint32_t unit, size_t *index)
{
    long found = kiosk_period_find(p, unit);
    if (found >= 0) {
        *index = (size_t)found;
        return 0;
    }
    if (p->n_entries >= KIOSK_MAX_UNITS)
        return KIOSK_ELIMIT;
    size_t ng = t->fw.n_groups;
    if (p->n_entries == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        int rc = kiosk_period_reserve(t, p, cap < KIOSK_MAX_UNITS ? cap : KIOSK_MAX_UNITS);
        if (rc)
            return rc;
    }
    size_t i = p->n_entries++;
    p->entries[i] = (struct kiosk_entry){
        .unit = unit,
        .name = unit,
        .kind = KIOSK_NONE,
        .parent = KIOSK_NONE,
        .total = NAN,
        .given_delta = NAN,
    };
    for (size_t g = 0; g < ng; g++)
        p->scores[i * ng + g] = NAN;
    size_t h = unit_slot(unit, p->n_index);
    while (p->index[h])
        h = (h + 1) & (p->n_index - 1);
    p->index[h] = (uint32_t)i + 1;
    *index = i;
    return 0;
}

static int period_cmp(const void *a, const void *b)
{
    const struct kiosk_period *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return strcmp(x->id, y->id);
}

void kiosk_table_sort(struct kiosk_table *t)
{
    if (t->n_periods > 1)
        qsort(t->periods, t->n_periods, sizeof *t->periods, period_cmp);
}

void kiosk_table_free(struct kiosk_table *t)
{
    for (size_t i = 0; i < t->n_periods; i++)
        period_free(&t->periods[i]);
    free(t->periods);
    kiosk_framework_free(&t->fw);
    kiosk_strtab_free(&t->strings);
    free(t->source);
    free(t->generated_at);
    memset(t, 0, sizeof *t);
}

/* ---- dates (proleptic Gregorian, H. Hinnant's civil-days algorithm) ---- */

int32_t kiosk_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, unsigned m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dim[m - 1];
}

int kiosk_date_parse(const char *s, int32_t *days)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, (unsigned)m))
        return -1;
    *days = kiosk_days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

void kiosk_date_format(int32_t days, char *buf)
{
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    /* y is 0..9999 and m, d are calendar values: exactly 10 characters */
    buf[0] = (char)('0' + (y / 1000) % 10);
    buf[1] = (char)('0' + (y / 100) % 10);
    buf[2] = (char)('0' + (y / 10) % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

int64_t kiosk_time_parse(const char *s)
{
    int32_t days;
    char date[11];
    if (!s || strlen(s) < 10)
        return 0;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (kiosk_date_parse(date, &days))
        return 0;
    int64_t t = (int64_t)days * 86400;
    const char *p = s + 10;
    if (*p == '\0')
        return t;
    int hh, mm, ss = 0, n = 0;
    if ((*p != 'T' && *p != ' ') || sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2)
        return 0;
    p += 1 + n;
    if (*p == ':' && sscanf(p + 1, "%2d%n", &ss, &n) == 1)
        p += 1 + n;
    while (*p == '.' || (*p >= '0' && *p <= '9'))
        p++; /* fractions of a second */
    if (hh > 23 || mm > 59 || ss > 60)
        return 0;
    t += hh * 3600 + mm * 60 + ss;
    if (*p == 'Z' || *p == '\0')
        return t;
    int oh, om = 0;
    if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) >= 1 && oh <= 14)
        return *p == '+' ? t - (oh * 3600 + om * 60) : t + (oh * 3600 + om * 60);
    return 0;
}
