#include "snapshot_json.h"

#include "error.h"

#include <stdlib.h>
#include <string.h>

static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(kiosk_round2(v));
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *date(int32_t days)
{
    char buf[16];
    kiosk_date_format(days, buf);
    return json_string(buf);
}

static json_t *unit_json(const struct kiosk_snapshot *s, const struct kiosk_unit_score *u)
{
    const struct kiosk_framework *fw = &s->table.fw;
    json_t *groups = json_object();
    for (size_t g = 0; groups && g < fw->n_groups; g++) {
        const struct kiosk_group_score *gs = &u->groups[g];
        json_object_set_new(groups, fw->groups[g].code,
                            json_pack("{s:o, s:o, s:o, s:b}", "score", num(gs->score), "max",
                                      num(gs->max), "delta", num(gs->delta), "at_max", gs->at_max));
    }
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "id", u->id, "name",
                     u->name, "rank", u->rank ? json_integer(u->rank) : json_null(), "total",
                     num(u->total), "delta", num(u->delta), "rank_change",
                     u->has_rank_change ? json_integer(u->rank_change) : json_null(), "lead_streak",
                     u->lead_streak, "best_gain",
                     u->best_gain < 0 ? json_null() : json_boolean(u->best_gain), "band",
                     str(u->band), "since", str(u->since), "groups", groups);
}

/* print rounded numbers as written: 91.7, not 91.700000000000003 */
#define DUMP_FLAGS (JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER)

/* Writes v on one line and releases it (takes the reference). */
static int put(FILE *f, json_t *v)
{
    if (!v)
        return KIOSK_ENOMEM;
    int rc = json_dumpf(v, f, DUMP_FLAGS | JSON_ENCODE_ANY) ? KIOSK_EIO : 0;
    json_decref(v);
    return rc;
}

/* Writes "key": value (key escaped by jansson) and releases the value. */
static int member(FILE *f, const char *sep, const char *key, json_t *v)
{
    fputs(sep, f);
    int rc = put(f, json_string(key));
    fputs(": ", f);
    return rc ? (json_decref(v), rc) : put(f, v);
}

static json_t *scope_head(const struct kiosk_snapshot *s, const struct kiosk_scope *sc)
{
    json_t *scope = json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "kind", sc->kind,
                              "parent", str(sc->parent), "parent_name", str(sc->parent_name),
                              "count", (json_int_t)sc->count, "mean", num(sc->mean), "median",
                              num(sc->median), "min", num(sc->min), "max", num(sc->max));
    if (scope && !isnan(s->threshold))
        json_object_set_new(scope, "at_or_above",
                            json_pack("{s:o, s:I}", "threshold", num(s->threshold), "count",
                                      (json_int_t)sc->at_or_above));
    return scope;
}

int kiosk_snapshot_write_json(const struct kiosk_snapshot *s, FILE *f)
{
    const struct kiosk_period *p = s->period;
    int rc = 0;
    fputs("{\n", f);
    rc |= member(f, " ", "period",
                 json_pack("{s:s, s:s, s:o, s:o}", "id", p->id, "label", p->label, "start",
                           date(p->start), "end", date(p->end)));
    rc |= member(
        f, ",\n ", "history",
        json_pack("{s:I, s:s}", "periods", (json_int_t)s->history_periods, "since", s->since->id));
    rc |= member(f, ",\n ", "framework",
                 json_pack("{s:s, s:o}", "id", s->table.fw.id, "max", num(s->table.fw.max_total)));
    rc |= member(f, ",\n ", "source", str(s->table.source));
    rc |= member(f, ",\n ", "home", str(s->home));
    fputs(",\n \"scopes\": [", f);
    for (size_t i = 0; i < s->n_scopes && !rc; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        /* the scope's own fields, then its units, one per line */
        char *head = NULL;
        json_t *h = scope_head(s, sc);
        if (!h || !(head = json_dumps(h, DUMP_FLAGS))) {
            json_decref(h);
            return KIOSK_ENOMEM;
        }
        json_decref(h);
        head[strlen(head) - 1] = '\0'; /* drop the closing brace */
        fprintf(f, "%s\n  %s, \"units\": [", i ? "," : "", head);
        free(head);
        for (size_t u = 0; u < sc->count && !rc; u++) {
            fputs(u ? ",\n   " : "\n   ", f);
            rc = put(f, unit_json(s, &sc->units[u]));
        }
        fputs("]}", f);
    }
    fputs("],\n \"insights\": [", f);
    for (size_t i = 0; i < s->n_insights && !rc; i++) {
        const struct kiosk_insight *in = &s->insights[i];
        fputs(i ? ",\n  " : "\n  ", f);
        rc = put(f, json_pack("{s:s, s:s, s:s}", "unit", in->unit, "type",
                              kiosk_insight_type_name(in->type), "text", in->text));
    }
    fputs("],\n \"warnings\": [", f);
    for (size_t i = 0; i < s->n_warnings && !rc; i++) {
        const struct kiosk_warning *w = &s->warnings[i];
        fputs(i ? ",\n  " : "\n  ", f);
        rc = put(f, json_pack("{s:s, s:o, s:s}", "code", w->code, "unit", str(w->unit), "text",
                              w->text));
    }
    fputs("]\n}\n", f);
    if (!rc && (ferror(f) || fflush(f)))
        rc = KIOSK_EIO;
    return rc;
}
