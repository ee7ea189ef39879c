#include "snapshot_json.h"

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
    return json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "id", u->id, "name",
                     u->name, "rank", u->rank, "total", num(u->total), "delta", num(u->delta),
                     "rank_change", u->has_rank_change ? json_integer(u->rank_change) : json_null(),
                     "lead_streak", u->lead_streak, "best_gain",
                     u->best_gain < 0 ? json_null() : json_boolean(u->best_gain), "band",
                     str(u->band), "since", str(u->since), "groups", groups);
}

json_t *kiosk_snapshot_to_json(const struct kiosk_snapshot *s)
{
    const struct kiosk_period *p = s->period;
    json_t *root = json_object();
    json_t *scopes = json_array();
    json_t *insights = json_array();
    json_t *warnings = json_array();
    if (!root || !scopes || !insights || !warnings)
        goto nomem;
    json_object_set_new(root, "period",
                        json_pack("{s:s, s:s, s:o, s:o}", "id", p->id, "label", p->label, "start",
                                  date(p->start), "end", date(p->end)));
    json_object_set_new(
        root, "history",
        json_pack("{s:I, s:s}", "periods", (json_int_t)s->history_periods, "since", s->since->id));
    json_object_set_new(
        root, "framework",
        json_pack("{s:s, s:o}", "id", s->table.fw.id, "max", num(s->table.fw.max_total)));
    json_object_set_new(root, "source", str(s->table.source));
    json_object_set_new(root, "home", str(s->home));
    for (size_t i = 0; i < s->n_scopes; i++) {
        const struct kiosk_scope *sc = &s->scopes[i];
        json_t *units = json_array();
        for (size_t u = 0; units && u < sc->count; u++)
            json_array_append_new(units, unit_json(s, &sc->units[u]));
        json_t *scope = json_pack("{s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o}", "kind", sc->kind,
                                  "parent", str(sc->parent), "parent_name", str(sc->parent_name),
                                  "count", (json_int_t)sc->count, "mean", num(sc->mean), "median",
                                  num(sc->median), "min", num(sc->min), "max", num(sc->max));
        if (scope && !isnan(s->threshold))
            json_object_set_new(scope, "at_or_above",
                                json_pack("{s:o, s:I}", "threshold", num(s->threshold), "count",
                                          (json_int_t)sc->at_or_above));
        if (scope)
            json_object_set_new(scope, "units", units);
        else
            json_decref(units);
        json_array_append_new(scopes, scope);
    }
    for (size_t i = 0; i < s->n_insights; i++) {
        const struct kiosk_insight *in = &s->insights[i];
        json_array_append_new(insights,
                              json_pack("{s:s, s:s, s:s}", "unit", in->unit, "type",
                                        kiosk_insight_type_name(in->type), "text", in->text));
    }
    for (size_t i = 0; i < s->n_warnings; i++) {
        const struct kiosk_warning *w = &s->warnings[i];
        json_array_append_new(warnings, json_pack("{s:s, s:o, s:s}", "code", w->code, "unit",
                                                  str(w->unit), "text", w->text));
    }
    json_object_set_new(root, "scopes", scopes);
    json_object_set_new(root, "insights", insights);
    json_object_set_new(root, "warnings", warnings);
    return root;
nomem:
    json_decref(root);
    json_decref(scopes);
    json_decref(insights);
    json_decref(warnings);
    return NULL;
}
