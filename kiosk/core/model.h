/* The data model: a framework (groups and their maxima), and a table of periods, each with
 * the entries of the units scored in it. Every text (unit ids, names, kinds, metric codes)
 * is interned once in the table's string table, so 52 weeks of 3,400 units cost one copy of
 * each name, and entries are small fixed-size records. No SDL, no I/O. */
#ifndef KIOSK_CORE_MODEL_H
#define KIOSK_CORE_MODEL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIOSK_NONE UINT32_MAX /* "no string" in an interned reference */

/* Limits that keep a document from exhausting a small board's memory. */
#define KIOSK_MAX_GROUPS 32
#define KIOSK_MAX_METRICS 64   /* per unit */
#define KIOSK_MAX_UNITS 50000  /* per period */
#define KIOSK_MAX_PERIODS 1000 /* per table */
#define KIOSK_MAX_TEXT 1024    /* bytes in an id, name, label or message */

/* ---- string table ---- */
struct kiosk_strtab {
    char **strings; /* index -> NUL-terminated text */
    uint32_t count, cap;
    uint32_t *slots; /* open addressing: index+1, 0 = empty */
    uint32_t nslots;
};

/* Interns s (length n); returns its index or KIOSK_NONE when out of memory. */
uint32_t kiosk_strtab_intern(struct kiosk_strtab *t, const char *s, size_t n);
/* Looks s up without adding it; KIOSK_NONE when absent. */
uint32_t kiosk_strtab_find(const struct kiosk_strtab *t, const char *s);
/* The text of an index, or NULL for KIOSK_NONE. Valid while the table lives. */
const char *kiosk_strtab_get(const struct kiosk_strtab *t, uint32_t index);
void kiosk_strtab_free(struct kiosk_strtab *t);

/* ---- framework ---- */
enum kiosk_rule {
    KIOSK_RULE_LINEAR = 1, /* score = max * numerator / denominator */
    KIOSK_RULE_TARGET = 2, /* score = max * min(1, ratio / target) */
};

struct kiosk_metric_rule {
    char *code;
    char *name;
    double max;
    enum kiosk_rule rule;
    double target_pct; /* for KIOSK_RULE_TARGET */
};

struct kiosk_group {
    char *code;
    char *name;    /* in the framework's own language (Vietnamese for vn-766) */
    char *name_en; /* English name, or NULL */
    double max;
    struct kiosk_metric_rule *rules;
    size_t n_rules;
};

struct kiosk_framework {
    char *id;
    char *title;
    struct kiosk_group groups[KIOSK_MAX_GROUPS];
    size_t n_groups;
    double max_total; /* sum of group maxima */
};

/* Index of a group code, or -1. */
int kiosk_framework_group(const struct kiosk_framework *fw, const char *code);
/* The rule for a metric code in group g, or NULL. */
const struct kiosk_metric_rule *kiosk_framework_rule(const struct kiosk_framework *fw, size_t g,
                                                     const char *code);
/* Deep copy; 0 or KIOSK_ENOMEM. */
int kiosk_framework_copy(struct kiosk_framework *dst, const struct kiosk_framework *src);
void kiosk_framework_free(struct kiosk_framework *fw);

/* ---- periods and entries ---- */
struct kiosk_metric {
    uint32_t group; /* framework group index */
    uint32_t code, name;
    double numerator, denominator; /* NAN when missing */
    double ratio;                  /* percent; NAN when missing */
    double score, max;             /* NAN when missing */
    uint32_t quality;              /* data-quality status code, or KIOSK_NONE */
    uint32_t quality_message;      /* or KIOSK_NONE */
};

struct kiosk_entry {
    uint32_t unit;         /* interned id */
    uint32_t name;         /* interned name */
    uint32_t kind;         /* interned kind: province, department, commune, ... */
    uint32_t parent;       /* interned parent id, or KIOSK_NONE */
    uint32_t source_index; /* position in the source document, for messages */
    uint32_t n_metrics;
    double total;       /* given total, or NAN */
    double given_delta; /* a delta the source states (the portal's scoreDelta), or NAN */
    struct kiosk_metric *metrics;
};

enum kiosk_origin {
    KIOSK_ORIGIN_FEED = 1,  /* read from a source this run */
    KIOSK_ORIGIN_STORE = 2, /* loaded from the history store */
};

struct kiosk_period {
    char *id;
    char *label;
    int32_t start, end; /* days since 1970-01-01 */
    enum kiosk_origin origin;
    struct kiosk_entry *entries;
    double *scores; /* n_entries x framework n_groups; NAN = missing */
    size_t n_entries, cap;
    uint32_t *index; /* hash of unit id -> entry index + 1 (0 = empty) */
    size_t n_index;
};

struct kiosk_table {
    struct kiosk_framework fw;
    bool has_framework;
    struct kiosk_strtab strings;
    struct kiosk_period *periods;
    size_t n_periods, cap;
    char *source;       /* attribution to show on screen, or NULL */
    char *generated_at; /* as the feed states it, or NULL */
};

static inline double *kiosk_entry_scores(const struct kiosk_period *p, size_t i, size_t n_groups)
{
    return &p->scores[i * n_groups];
}

/* Finds a period by id; NULL when absent. */
struct kiosk_period *kiosk_table_period(struct kiosk_table *t, const char *id);
/* Adds an empty period (id and label copied); NULL on no memory. */
struct kiosk_period *kiosk_table_add_period(struct kiosk_table *t, const char *id,
                                            const char *label, int32_t start, int32_t end,
                                            enum kiosk_origin origin);
/* Removes period i. */
void kiosk_table_remove_period(struct kiosk_table *t, size_t i);
/* Makes room for n entries in p, so a period of known size is filled without copying.
 * 0, KIOSK_ENOMEM, or KIOSK_ELIMIT when n is over KIOSK_MAX_UNITS. */
int kiosk_period_reserve(struct kiosk_table *t, struct kiosk_period *p, size_t n);
/* The index of unit's entry in p, or -1. */
long kiosk_period_find(const struct kiosk_period *p, uint32_t unit);
/* Appends an entry for unit id (all scores missing) or returns the existing one when the
 * period already has this unit (merging sources by unit id). *index receives its index.
 * Returns 0, KIOSK_ENOMEM or KIOSK_ELIMIT. */
int kiosk_period_entry(struct kiosk_table *t, struct kiosk_period *p, uint32_t unit, size_t *index);
/* Sorts periods by start date, then id. */
void kiosk_table_sort(struct kiosk_table *t);
void kiosk_table_free(struct kiosk_table *t);

/* ---- dates ---- */
/* Parses YYYY-MM-DD into days since 1970-01-01; 0 on success, -1 when invalid. */
int kiosk_date_parse(const char *s, int32_t *days);
/* Formats days as YYYY-MM-DD into buf (at least 11 bytes). */
void kiosk_date_format(int32_t days, char *buf);
int32_t kiosk_days_from_civil(int y, unsigned m, unsigned d);

/* Parses an ISO 8601 time (2025-10-05T18:00:00+07:00, ...Z, or a date alone) into Unix
 * seconds; 0 when s is NULL or not such a time. */
int64_t kiosk_time_parse(const char *s);

/* Rounds to hundredths as an integer count of hundredths (91.7 -> 9170). */
static inline long long kiosk_cents(double v)
{
    return llround(v * 100.0);
}
static inline double kiosk_round2(double v)
{
    return isnan(v) ? v : (double)kiosk_cents(v) / 100.0;
}

#endif
