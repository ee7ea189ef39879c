/* Reading one source: bytes in chunks -> streaming JSON -> native or portal reader -> a table
 * of its own -> merged into the caller's table when the source is good. */
#include "feed_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct doc {
    struct reader r;
    struct kiosk_table src;
    struct native_reader *native;
    struct kiosk_json_stream *js;
    int first_byte; /* first non-blank byte, to recognise an HTML page */
};

static int doc_begin(struct doc *doc, const char *name, const char *group,
                     const struct kiosk_read_options *o, struct kiosk_diags *d,
                     struct kiosk_source_summary *summary)
{
    memset(doc, 0, sizeof *doc);
    doc->r = (struct reader){.t = &doc->src,
                             .d = d,
                             .file = name,
                             .group = group && group[0] ? group : NULL,
                             .opt = o,
                             .summary = summary,
                             .errors_at_start = d->errors};
    doc->first_byte = -1;
    if (summary)
        memset(summary, 0, sizeof *summary);
    if (kiosk_framework_builtin(&doc->src.fw))
        goto nomem;
    doc->src.has_framework = true;
    doc->native = native_reader_new(&doc->r);
    if (!doc->native)
        goto nomem;
    doc->js = kiosk_json_stream_new(&o->limits, "periods", native_on_period, doc->native);
    if (!doc->js)
        goto nomem;
    native_set_stream(doc->native, doc->js);
    return 0;
nomem:
    kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "out of memory");
    return KIOSK_ENOMEM;
}

static void doc_free(struct doc *doc)
{
    kiosk_json_stream_free(doc->js);
    native_reader_free(doc->native);
    kiosk_table_free(&doc->src);
}

static int doc_feed(struct doc *doc, const void *buf, size_t len)
{
    if (doc->first_byte < 0) {
        const unsigned char *p = buf;
        for (size_t i = 0; i < len; i++) {
            if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') {
                doc->first_byte = p[i];
                break;
            }
        }
    }
    return kiosk_json_stream_feed(doc->js, buf, len);
}

static void size_text(size_t bytes, char *buf, size_t size)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        snprintf(buf, size, "%zu MiB", bytes / (1024 * 1024));
    else if (bytes >= 1024 && bytes % 1024 == 0)
        snprintf(buf, size, "%zu KiB", bytes / 1024);
    else
        snprintf(buf, size, "%zu bytes", bytes);
}

/* Reports why the JSON stream failed, unless a reader already did. */
static int doc_stream_error(struct doc *doc, int rc, const struct kiosk_read_options *o)
{
    int line, column;
    const char *msg = kiosk_json_stream_error(doc->js, &line, &column);
    const char *path = kiosk_json_stream_error_path(doc->js);
    if (rd_failed(&doc->r))
        return rc; /* the reader stopped the stream and said why */
    if (rc == KIOSK_ELIMIT && line == 0) {
        char limit[64];
        size_text(o->limits.max_bytes, limit, sizeof limit);
        kiosk_diags_add(doc->r.d, KIOSK_SEV_ERROR, doc->r.file, NULL, 0, 0,
                        "the document is larger than the limit of %s", limit);
    } else if (rc == KIOSK_ESYNTAX && doc->first_byte == '<') {
        kiosk_diags_add(doc->r.d, KIOSK_SEV_ERROR, doc->r.file, NULL, line, column,
                        "expected JSON, found an HTML page (a server error or login page?)");
    } else if (rc == KIOSK_ESYNTAX) {
        kiosk_diags_add(doc->r.d, KIOSK_SEV_ERROR, doc->r.file, path, line, column,
                        "invalid JSON: %s", msg ? msg : "parse error");
    } else {
        kiosk_diags_add(doc->r.d, KIOSK_SEV_ERROR, doc->r.file, path, line, column, "%s",
                        msg ? msg : kiosk_strerror(rc));
    }
    return rc;
}

static void fill_summary(struct doc *doc)
{
    struct kiosk_source_summary *s = doc->r.summary;
    if (!s)
        return;
    s->bytes = kiosk_json_stream_bytes(doc->js);
    kiosk_table_sort(&doc->src);
    s->periods = doc->src.n_periods;
    if (doc->src.n_periods) {
        const struct kiosk_period *first = &doc->src.periods[0];
        const struct kiosk_period *last = &doc->src.periods[doc->src.n_periods - 1];
        snprintf(s->first_period, sizeof s->first_period, "%s", first->id);
        snprintf(s->last_period, sizeof s->last_period, "%s", last->id);
        s->units = last->n_entries;
    }
}

static int doc_end(struct doc *doc, struct kiosk_table *dst, const struct kiosk_read_options *o)
{
    json_t *root = NULL;
    char what[160];
    int rc = kiosk_json_stream_finish(doc->js, &root);
    if (rc)
        return doc_stream_error(doc, rc, o);
    if (!json_is_object(root)) {
        rd_error(&doc->r, NULL, "expected a JSON object at the top level, found %s",
                 rd_describe(root, what, sizeof what));
        json_decref(root);
        return KIOSK_EFORMAT;
    }
    if (json_object_get(root, "format") || json_object_get(root, "periods")) {
        if (doc->r.summary)
            doc->r.summary->kind = KIOSK_DOC_NATIVE;
        if (doc->r.group)
            rd_warn(&doc->r, NULL,
                    "the label %s= is ignored: a kiosk-scores feed names its own groups",
                    doc->r.group);
        rc = native_finish(doc->native, root);
    } else if (json_object_get(root, "data") && json_object_get(root, "code")) {
        rc = portal_read(&doc->r, root);
    } else {
        rd_error(&doc->r, NULL,
                 "not a scores feed: expected \"format\": \"kiosk-scores\" or a portal response "
                 "{\"code\": \"OK\", \"data\": ...}");
        rc = KIOSK_EFORMAT;
    }
    json_decref(root);
    if (!rc && rd_failed(&doc->r))
        rc = KIOSK_ESCHEMA;
    if (rc)
        return rc;
    fill_summary(doc);
    return kiosk_table_merge(dst, &doc->src, doc->r.file, doc->r.d);
}

int kiosk_feed_read_buffer(struct kiosk_table *t, const char *name, const char *group,
                           const void *buf, size_t len, const struct kiosk_read_options *o,
                           struct kiosk_diags *d, struct kiosk_source_summary *summary)
{
    struct doc doc;
    int rc = doc_begin(&doc, name, group, o, d, summary);
    if (!rc) {
        rc = doc_feed(&doc, buf, len);
        rc = rc ? doc_stream_error(&doc, rc, o) : doc_end(&doc, t, o);
    }
    doc_free(&doc);
    return rc;
}

int kiosk_source_parse(const char *arg, struct kiosk_source_spec *spec, struct kiosk_diags *d)
{
    memset(spec, 0, sizeof *spec);
    const char *loc = arg;
    const char *eq = strchr(arg, '=');
    /* GROUP=LOCATION: a short code of letters and digits before the '=' */
    if (eq && eq > arg && (size_t)(eq - arg) < sizeof spec->group) {
        bool code = true;
        for (const char *c = arg; c < eq; c++)
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
                code = false;
        if (code) {
            memcpy(spec->group, arg, (size_t)(eq - arg));
            loc = eq + 1;
        }
    }
    if (strcmp(loc, "-") == 0) {
        spec->is_stdin = true;
        snprintf(spec->location, sizeof spec->location, "(standard input)");
        return 0;
    }
    if (strncmp(loc, "file://", 7) == 0) {
        const char *path = loc + 7;
        if (strncmp(path, "localhost/", 10) == 0)
            path += 9;
        if (path[0] != '/') {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, arg, NULL, 0, 0,
                            "expected file:///absolute/path (a file URL names a local file)");
            return KIOSK_EUSAGE;
        }
        /* percent-decoding, so file:///media/usb/b%E1%BA%A3ng.json works */
        size_t o = 0;
        for (const char *c = path; *c && o + 1 < sizeof spec->location; c++) {
            unsigned v;
            if (c[0] == '%' && sscanf(c + 1, "%2x", &v) == 1 && v != 0) {
                spec->location[o++] = (char)v;
                c += 2;
            } else {
                spec->location[o++] = *c;
            }
        }
        spec->location[o] = '\0';
        return 0;
    }
    if (strstr(loc, "://")) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, arg, NULL, 0, 0,
                        "this command reads files, file:// URLs and standard input (-); network "
                        "sources are polled by the kiosk's feed poller");
        return KIOSK_EUSAGE;
    }
    if (loc[0] == '\0' || strlen(loc) >= sizeof spec->location) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, arg, NULL, 0, 0, "expected a file path");
        return KIOSK_EUSAGE;
    }
    snprintf(spec->location, sizeof spec->location, "%s", loc);
    return 0;
}

int kiosk_feed_read_source(struct kiosk_table *t, const struct kiosk_source_spec *spec,
                           const struct kiosk_read_options *o, struct kiosk_diags *d,
                           struct kiosk_source_summary *summary)
{
    const char *name = spec->location;
    int fd = spec->is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "cannot open: %s", strerror(errno));
        return KIOSK_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) == 0) {
        char limit[64];
        size_text(o->limits.max_bytes, limit, sizeof limit);
        const char *bad = S_ISDIR(st.st_mode) ? "is a directory, expected a file" : NULL;
        if (!bad && S_ISREG(st.st_mode) && (size_t)st.st_size > o->limits.max_bytes) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0,
                            "the document is larger than the limit of %s (%lld bytes)", limit,
                            (long long)st.st_size);
            bad = "";
        }
        if (bad) {
            if (bad[0])
                kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "%s", bad);
            if (!spec->is_stdin)
                close(fd);
            return bad[0] ? KIOSK_EIO : KIOSK_ELIMIT;
        }
    }
    struct doc doc;
    int rc = doc_begin(&doc, name, spec->group, o, d, summary);
    static const size_t chunk = 64 * 1024;
    char *buf = rc ? NULL : malloc(chunk);
    if (!rc && !buf) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "out of memory");
        rc = KIOSK_ENOMEM;
    }
    while (!rc) {
        ssize_t n = read(fd, buf, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "cannot read: %s",
                            strerror(errno));
            rc = KIOSK_EIO;
            break;
        }
        if (n == 0) {
            rc = doc_end(&doc, t, o);
            break;
        }
        rc = doc_feed(&doc, buf, (size_t)n);
        if (rc)
            rc = doc_stream_error(&doc, rc, o);
    }
    free(buf);
    doc_free(&doc);
    if (!spec->is_stdin)
        close(fd);
    return rc;
}

/* ---- merging ---- */

static uint32_t remap(struct kiosk_table *dst, const struct kiosk_table *src, uint32_t s)
{
    if (s == KIOSK_NONE)
        return KIOSK_NONE;
    const char *text = kiosk_strtab_get(&src->strings, s);
    return kiosk_strtab_intern(&dst->strings, text, strlen(text));
}

static int merge_entry(struct kiosk_table *dst, struct kiosk_period *dp,
                       const struct kiosk_table *src, const struct kiosk_period *sp, size_t si)
{
    const struct kiosk_entry *se = &sp->entries[si];
    uint32_t unit = remap(dst, src, se->unit);
    if (unit == KIOSK_NONE)
        return KIOSK_ENOMEM;
    size_t di;
    int rc = kiosk_period_entry(dst, dp, unit, &di);
    if (rc)
        return rc;
    struct kiosk_entry *de = &dp->entries[di];
    de->name = remap(dst, src, se->name);
    de->kind = remap(dst, src, se->kind);
    if (se->parent != KIOSK_NONE || de->parent == KIOSK_NONE)
        de->parent = remap(dst, src, se->parent);
    de->source_index = se->source_index;
    if (!isnan(se->total))
        de->total = se->total;
    if (!isnan(se->given_delta))
        de->given_delta = se->given_delta;
    size_t ng = dst->fw.n_groups;
    const double *ss = kiosk_entry_scores(sp, si, ng);
    double *ds = kiosk_entry_scores(dp, di, ng);
    for (size_t g = 0; g < ng; g++)
        if (!isnan(ss[g]))
            ds[g] = ss[g];
    if (se->n_metrics) {
        struct kiosk_metric *m = realloc(de->metrics, (de->n_metrics + se->n_metrics) * sizeof *m);
        if (!m)
            return KIOSK_ENOMEM;
        de->metrics = m;
        for (uint32_t k = 0; k < se->n_metrics; k++) {
            struct kiosk_metric x = se->metrics[k];
            x.code = remap(dst, src, x.code);
            x.name = remap(dst, src, x.name);
            x.quality = remap(dst, src, x.quality);
            x.quality_message = remap(dst, src, x.quality_message);
            m[de->n_metrics++] = x;
        }
    }
    return 0;
}

int kiosk_table_merge(struct kiosk_table *dst, struct kiosk_table *src, const char *name,
                      struct kiosk_diags *d)
{
    if (dst->has_framework && !kiosk_framework_compatible(&dst->fw, &src->fw)) {
        kiosk_diags_add(d, KIOSK_SEV_ERROR, name, "framework", 0, 0,
                        "framework \"%s\" differs from \"%s\" of the sources before it; sources "
                        "merged into one table must share their groups",
                        src->fw.id, dst->fw.id);
        return KIOSK_ESCHEMA;
    }
    if (dst->n_periods == 0) {
        /* the common case, one source: take it over whole */
        struct kiosk_table keep = *dst;
        *dst = *src;
        memset(src, 0, sizeof *src);
        if (keep.has_framework) {
            kiosk_framework_free(&dst->fw);
            dst->fw = keep.fw;
            memset(&keep.fw, 0, sizeof keep.fw);
        }
        if (!dst->source && keep.source) {
            dst->source = keep.source;
            keep.source = NULL;
        }
        kiosk_table_free(&keep);
        return 0;
    }
    for (size_t i = 0; i < src->n_periods; i++) {
        const struct kiosk_period *sp = &src->periods[i];
        struct kiosk_period *dp = kiosk_table_period(dst, sp->id);
        if (!dp)
            dp = kiosk_table_add_period(dst, sp->id, sp->label, sp->start, sp->end, sp->origin);
        if (!dp)
            goto nomem;
        for (size_t e = 0; e < sp->n_entries; e++) {
            int rc = merge_entry(dst, dp, src, sp, e);
            if (rc == KIOSK_ELIMIT) {
                kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0,
                                "merging gives period %s more than %d units", sp->id,
                                KIOSK_MAX_UNITS);
                return rc;
            }
            if (rc)
                goto nomem;
        }
    }
    if (src->source) {
        free(dst->source);
        dst->source = src->source;
        src->source = NULL;
    }
    if (src->generated_at) {
        free(dst->generated_at);
        dst->generated_at = src->generated_at;
        src->generated_at = NULL;
    }
    kiosk_table_free(src);
    return 0;
nomem:
    kiosk_diags_add(d, KIOSK_SEV_ERROR, name, NULL, 0, 0, "out of memory");
    return KIOSK_ENOMEM;
}
