/* The scoring core (scoring.md): totals, ranks among peers, deltas and rank changes, lead
 * streaks, best gains, group highlights, scope statistics, bands, and the ranked insight
 * statements. Pure computation: no I/O, no SDL. kiosk_score runs forward: the figures
 * (deltas and statistics of the totals as shown, to hundredths), then the home unit
 * (kiosk_choose_home), then the insights about it (insight.h). */
#ifndef KIOSK_CORE_SCORE_H
#define KIOSK_CORE_SCORE_H

#include "kiosk/plugin.h" /* the one language enum: the plugins' */
#include "model.h"

struct kiosk_band {
    double min;        /* a total at or above this (to hundredths) is in the band */
    const char *label; /* e.g. "Xuất sắc" */
};

struct kiosk_score_options {
    enum kiosk_lang_code lang;
    const char *home;               /* unit the insights are about; NULL: the feed's own */
    double threshold;               /* count units at or above; NAN: none */
    const struct kiosk_band *bands; /* any order; copied */
    size_t n_bands;
    int64_t fetched_unix; /* when the data was fetched, the production time when the feed
                           * does not state one (generated_at); 0: unknown */
};

/* Defaults: Vietnamese, no home, no threshold, no bands, no fetch time. */
void kiosk_score_options_init(struct kiosk_score_options *o);

struct kiosk_group_score {
    double score; /* NAN: no score ("—") */
    double max;
    double delta; /* of the scores as shown (hundredths); NAN: no previous score */
    bool at_max;  /* within 0.005 of the maximum */
};

struct kiosk_unit_score {
    const char *id, *name, *kind, *parent;
    int rank;     /* competition rank among peers, 1 = first; 0: not ranked (no known total) */
    double total; /* NAN: unknown (no group score known and no total given) */
    double delta; /* of the totals as shown (hundredths); NAN for a unit that is new */
    bool has_rank_change;
    int rank_change;      /* previous rank - current rank; positive = moved up */
    int lead_streak;      /* consecutive periods ranked first, ending now; 0 unless first */
    int best_gain;        /* 1: this delta is the unit's largest; 0: not; -1: no delta */
    const char *since;    /* id of the first period the unit appears in */
    const char *band;     /* label, or NULL */
    size_t quality_flags; /* metrics carrying a data-quality flag */
    struct kiosk_group_score *groups; /* framework n_groups entries */
    const struct kiosk_entry *entry;  /* the raw entry, metrics included */
};

struct kiosk_scope {
    const char *kind;
    const char *parent;      /* NULL for a top-level scope */
    const char *parent_name; /* when the parent is itself a unit of the period */
    size_t count;
    size_t ranked;                  /* units with a known total, ranked; the others follow */
    double mean, median, min, max;  /* of the known totals as shown, to hundredths; NAN
                                     * when none is known */
    size_t at_or_above;             /* units at or above the threshold (0 without one) */
    struct kiosk_unit_score *units; /* in rank order, ties by id */
};

enum kiosk_insight_type {
    KIOSK_INSIGHT_LEAD = 1,     /* first place, with its streak */
    KIOSK_INSIGHT_RANK,         /* a place other than first */
    KIOSK_INSIGHT_GAIN,         /* change of the total, best gain */
    KIOSK_INSIGHT_GROUP_GAIN,   /* the group that gained most */
    KIOSK_INSIGHT_GROUP_MAX,    /* a group at its maximum */
    KIOSK_INSIGHT_SCOPE_LEADER, /* the leader and mean of a scope */
    KIOSK_INSIGHT_TOTAL,        /* the total of a unit with no peers to rank against */
    KIOSK_INSIGHT_GAP,          /* the points to pass the unit above, or the lead's margin */
    KIOSK_INSIGHT_ROOM,         /* the group with the most points still to gain */
};

/* The name used in JSON output: "lead", "rank", "gain", ... */
const char *kiosk_insight_type_name(enum kiosk_insight_type t);

struct kiosk_insight {
    const char *unit; /* the unit the statement is about */
    enum kiosk_insight_type type;
    int priority; /* higher first */
    char *text;
};

struct kiosk_warning {
    const char *unit; /* or NULL */
    char *code;       /* total_mismatch, missing_group, data_quality */
    char *text;
};

struct kiosk_snapshot {
    struct kiosk_table table;          /* owned: every string below points into it */
    const struct kiosk_period *period; /* the newest period */
    size_t history_periods;            /* periods held, the newest included */
    const struct kiosk_period *since;  /* the oldest period held */
    enum kiosk_lang_code lang;
    double threshold;
    const char *home; /* the unit the insights are about, or NULL */
    struct kiosk_scope *scopes;
    size_t n_scopes;
    struct kiosk_insight *insights;
    size_t n_insights;
    struct kiosk_warning *warnings;
    size_t n_warnings;
    size_t warnings_dropped;  /* warnings not kept: over KIOSK_DIAGS_MAX (array.h) */
    double **totals;          /* per period (table order), per entry: the effective totals */
    int64_t produced_unix;    /* when the data was produced: the feed's generated_at, else
                               * the options' fetched_unix; 0 when neither is known */
    char start[11], end[11];  /* the newest period's dates, YYYY-MM-DD */
    struct kiosk_band *bands; /* the options' bands, labels copied: units point into them */
    size_t n_bands;
    int refs;
    int plugin_refs; /* of refs, those plugins took (data_ref), on the screen's thread */
};

/* Scores table t and returns a new snapshot (one reference) in *out. The table is moved
 * into the snapshot on success (t is left empty) and untouched on failure. Returns 0,
 * KIOSK_EEMPTY when there is no period, or KIOSK_ENOMEM. */
int kiosk_score(struct kiosk_table *t, const struct kiosk_score_options *o,
                struct kiosk_snapshot **out);

/* The unit the insights are about, the home unit (a step of kiosk_score, after the scopes
 * and before the insights): the configured one (NULL when s has no such unit), else the
 * unit whose own departments and communes s carries (a province's feed), else the leader
 * of the first scope; NULL when s has no units. */
const struct kiosk_unit_score *kiosk_choose_home(const struct kiosk_snapshot *s,
                                                 const char *configured);

/* Reference counting: a snapshot stays valid while a reference is held. */
struct kiosk_snapshot *kiosk_snapshot_ref(struct kiosk_snapshot *s);
void kiosk_snapshot_unref(struct kiosk_snapshot *s);

/* A unit's total and rank among its peers in period p (table order); the rank is 0 and
 * the total NAN where the unit is absent. */
void kiosk_snapshot_unit_at(const struct kiosk_snapshot *s, size_t p, const char *id, double *total,
                            int *rank);

/* Finds a unit of the newest period by id; NULL when absent. */
const struct kiosk_unit_score *kiosk_snapshot_unit(const struct kiosk_snapshot *s, const char *id);
/* The scope a unit is ranked in; NULL when absent. */
const struct kiosk_scope *kiosk_snapshot_scope_of(const struct kiosk_snapshot *s, const char *id);

/* Score of a metric from its counts by the framework's rule (rule may be NULL: linear);
 * NAN when the denominator is 0 or missing. */
double kiosk_metric_score(const struct kiosk_metric_rule *rule, double numerator,
                          double denominator, double max);

/* ---- number formatting (numfmt.c) ---- */

/* Formats v with `decimals` places: a decimal comma in Vietnamese (91,70), a point in
 * English (91.70); "—" for NAN. Returns buf. */
char *kiosk_format_fixed(double v, int decimals, enum kiosk_lang_code lang, char *buf, size_t size);
/* Like kiosk_format_fixed with 2 places, but whole numbers without decimals (10, 22). */
char *kiosk_format_short(double v, enum kiosk_lang_code lang, char *buf, size_t size);

#endif
