/* nftw */
#define _XOPEN_SOURCE 700

#include "helpers.h"

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int make_temp_dir(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "/tmp/kiosk-%s-XXXXXX", name);
    return mkdtemp(buf) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

int remove_tree(const char *dir)
{
    return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fail_msg("cannot write %s", path);
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

int read_source(struct kiosk_table *t, const char *arg, const struct kiosk_read_options *o,
                struct kiosk_diags *d, struct kiosk_source_summary *summary)
{
    struct kiosk_read_options defaults;
    struct kiosk_source_spec spec;
    if (!o) {
        kiosk_read_options_init(&defaults);
        o = &defaults;
    }
    int rc = kiosk_source_parse(arg, &spec, d);
    return rc ? rc : kiosk_feed_read_source(t, &spec, o, d, summary);
}

int read_text(struct kiosk_table *t, const char *json, struct kiosk_diags *d)
{
    struct kiosk_read_options o;
    kiosk_read_options_init(&o);
    return kiosk_feed_read_buffer(t, "test.json", NULL, json, strlen(json), &o, d, NULL);
}

void diags_dump(const struct kiosk_diags *d)
{
    char line[2048];
    for (size_t i = 0; i < d->count; i++)
        print_message("  diag: %s\n", kiosk_diag_format(&d->items[i], line, sizeof line));
}

/* Scores t, which must have been read with rc 0, and frees it; fails the test otherwise. */
static struct kiosk_snapshot *score_table(struct kiosk_table *t, int rc, struct kiosk_diags *d,
                                          const struct kiosk_score_options *o)
{
    if (rc)
        diags_dump(d);
    assert_int_equal(rc, 0);
    kiosk_diags_free(d);
    struct kiosk_snapshot *s = NULL;
    assert_int_equal(kiosk_score(t, o, &s), 0);
    kiosk_table_free(t);
    return s;
}

struct kiosk_snapshot *score_text(const char *json, const struct kiosk_score_options *o)
{
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    int rc = read_text(&t, json, &d);
    return score_table(&t, rc, &d, o);
}

struct kiosk_snapshot *score_file(const char *path, const struct kiosk_score_options *o)
{
    struct kiosk_table t = {0};
    struct kiosk_diags d = {0};
    int rc = read_source(&t, path, NULL, &d, NULL);
    return score_table(&t, rc, &d, o);
}

const struct kiosk_unit_score *unit(const struct kiosk_snapshot *s, const char *id)
{
    const struct kiosk_unit_score *u = kiosk_snapshot_unit(s, id);
    if (!u)
        fail_msg("unit %s is not in the newest period", id);
    return u;
}

size_t group(const struct kiosk_snapshot *s, const char *code)
{
    int g = kiosk_framework_group(&s->table.fw, code);
    assert_true(g >= 0);
    return (size_t)g;
}

int diags_have(const struct kiosk_diags *d, ...)
{
    char line[2048];
    for (size_t i = 0; i < d->count; i++) {
        kiosk_diag_format(&d->items[i], line, sizeof line);
        va_list ap;
        va_start(ap, d);
        int all = 1;
        for (const char *frag = va_arg(ap, const char *); frag; frag = va_arg(ap, const char *))
            if (!strstr(line, frag))
                all = 0;
        va_end(ap);
        if (all)
            return 1;
    }
    return 0;
}

void fake_connector(const char *dir, const char *name, const char *status)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    mkdir(path, 0755);
    if (!status)
        return;
    snprintf(path, sizeof path, "%s/%s/status", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", status);
    fclose(f);
}
