#include "history.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#define SCHEMA_VERSION 1

/* An entry record in a period's blob, little-endian, fixed stride:
 *   u32 unit, u32 name, u32 kind, u32 parent   string keys (0xFFFFFFFF: none)
 *   f64 total, f64 given_delta                 NaN: missing
 *   f64 score[n_groups]                        in the order of the period's "groups" column */
#define RECORD_HEAD 32

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS string("
    "  key INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS period("
    "  id TEXT PRIMARY KEY, label TEXT NOT NULL, start INTEGER NOT NULL,"
    "  \"end\" INTEGER NOT NULL, groups TEXT NOT NULL, n_entries INTEGER NOT NULL,"
    "  entries BLOB NOT NULL, saved_at INTEGER NOT NULL);";

struct kiosk_history {
    sqlite3 *db;
    char *path;
    struct kiosk_strtab strings; /* index i is the stored key i + 1 */
    uint32_t persisted;          /* strings[0..persisted) are in the database */
    long written;                /* periods the last save wrote */
};

/* Records are little-endian; on a little-endian board (every Pi, every PC) the bytes are
 * copied as they are. */
#define HOST_IS_LE (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)

static void put_u32(unsigned char *p, uint32_t v)
{
    if (HOST_IS_LE) {
        memcpy(p, &v, 4);
        return;
    }
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    if (HOST_IS_LE) {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_f64(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    if (HOST_IS_LE) {
        memcpy(p, &v, 8);
        return;
    }
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static double get_f64(const unsigned char *p)
{
    uint64_t v = 0;
    if (HOST_IS_LE)
        memcpy(&v, p, 8);
    else
        for (int i = 0; i < 8; i++)
            v |= (uint64_t)p[i] << (8 * i);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static bool is_corruption(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_FORMAT;
}

/* Moves a bad store (and its WAL files) aside so the next open starts afresh. */
static void set_aside(struct kiosk_history *h, const char *why, struct kiosk_diags *d)
{
    if (h->db) {
        sqlite3_close(h->db);
        h->db = NULL;
    }
    kiosk_strtab_free(&h->strings);
    h->persisted = 0;
    char stamp[32], target[4200], from[4200], to[4300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(target, sizeof target, "%s.corrupt-%s", h->path, stamp);
    if (rename(h->path, target) != 0) {
        kiosk_diags_add(d, KIOSK_SEV_WARNING, h->path, NULL, 0, 0,
                        "the history store %s, and cannot be moved aside (%s)", why,
                        strerror(errno));
        return;
    }
    static const char *const suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(from, sizeof from, "%s%s", h->path, suffixes[i]);
        snprintf(to, sizeof to, "%s%s", target, suffixes[i]);
        rename(from, to); /* absent files are fine */
    }
    kiosk_diags_add(d, KIOSK_SEV_WARNING, h->path, NULL, 0, 0,
                    "the history store %s; moved aside to %s and starting a new one", why, target);
}

/* When rc is the storage failing (disk full, read-only, an I/O error) rather than the
 * store being wrong, says so in words a technician acts on ("disk full") and returns
 * true. */
static bool storage_failure(struct kiosk_history *h, int rc, char *buf, size_t size)
{
    int code = rc & 0xff;
    if (code != SQLITE_FULL && code != SQLITE_READONLY && code != SQLITE_IOERR &&
        code != SQLITE_CANTOPEN && code != SQLITE_PERM)
        return false;
    int e = h->db ? sqlite3_system_errno(h->db) : 0;
    /* the folder tells best: SQLite's own errno may be of a -wal it could not make */
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", h->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    struct statvfs fs;
    bool known = statvfs(slash ? (dir[0] ? dir : "/") : ".", &fs) == 0;
    if (code == SQLITE_FULL || e == ENOSPC || e == EDQUOT || (known && fs.f_bavail == 0))
        snprintf(buf, size, "disk full");
    else if (e == EROFS || (known && (fs.f_flag & ST_RDONLY)))
        snprintf(buf, size, "read-only file system");
    else if (code == SQLITE_READONLY || e == EACCES || e == EPERM)
        snprintf(buf, size, "not allowed to write (%s)", e ? strerror(e) : "permissions");
    else if (code == SQLITE_CANTOPEN && !e)
        return false;
    else
        snprintf(buf, size, "%s", e ? strerror(e) : sqlite3_errstr(rc));
    return true;
}

static int exec(struct kiosk_history *h, const char *sql)
{
    return sqlite3_exec(h->db, sql, NULL, NULL, NULL);
}

static int load_strings(struct kiosk_history *h)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h->db, "SELECT key, text FROM string ORDER BY key", -1, &st, NULL);
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 key = sqlite3_column_int64(st, 0);
        const char *text = (const char *)sqlite3_column_text(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        if (!text || key != (sqlite3_int64)h->strings.count + 1) {
            rc = SQLITE_CORRUPT;
            break;
        }
        uint32_t idx = kiosk_strtab_intern(&h->strings, text, (size_t)len);
        if (idx == KIOSK_NONE) {
            rc = SQLITE_NOMEM;
            break;
        }
        if (idx != key - 1) { /* a duplicate text: UNIQUE forbids it */
            rc = SQLITE_CORRUPT;
            break;
        }
    }
    sqlite3_finalize(st);
    h->persisted = h->strings.count;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Opens the database and checks it; returns an SQLite code. */
static int try_open(struct kiosk_history *h, const char **why)
{
    *why = "cannot be opened";
    int rc = sqlite3_open_v2(h->path, &h->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc)
        return rc;
    sqlite3_busy_timeout(h->db, 5000);
    sqlite3_extended_result_codes(h->db, 0);
    /* exclusive locking, before anything reads: the WAL index lives in the process's
     * memory, not in a -shm file on the card (32 KiB written at every open); the store
     * is held only for the moment of a load and a save, and others wait (busy timeout) */
    if ((rc = exec(h, "PRAGMA locking_mode=EXCLUSIVE")))
        return rc;
    sqlite3_stmt *st;
    *why = "is not a valid database";
    rc = sqlite3_prepare_v2(h->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    int version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rc;
    if (version > SCHEMA_VERSION) {
        *why = "was written by a newer kiosk (schema version too new)";
        return SQLITE_FORMAT;
    }
    /* Writes are what wear an SD card, so the store is set for small ones. 4 KiB pages
     * (the card's and the kernel's unit): a period that did not change costs nothing, a
     * new string or a period row touches a few 4 KiB pages, not 64 KiB ones. WAL, so a
     * write appends to one file instead of journalling whole pages before overwriting
     * them. synchronous=NORMAL: the WAL is synced at checkpoints, not at every commit; a
     * power cut may drop the last commits but never corrupts the store, and what they
     * held is still in the cache (written and synced before), which the next start
     * saves again. journal_size_limit: a checkpointed WAL is cut back to 1 MiB. The page size takes
     * effect only for a new database, so it is set before WAL. */
    if (version == 0 && (rc = exec(h, "PRAGMA page_size=4096")))
        return rc;
    if ((rc = exec(h, "PRAGMA journal_mode=WAL")) || (rc = exec(h, "PRAGMA synchronous=NORMAL")) ||
        (rc = exec(h, "PRAGMA journal_size_limit=1048576")))
        return rc;
    if (version == 0 && ((rc = exec(h, schema)) || (rc = exec(h, "PRAGMA user_version=1"))))
        return rc;
    *why = "is corrupt";
    return load_strings(h);
}

int kiosk_history_open(const char *path, struct kiosk_history **out, struct kiosk_diags *d)
{
    struct kiosk_history *h = calloc(1, sizeof *h);
    if (!h || !(h->path = strdup(path))) {
        free(h);
        kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        return KIOSK_ENOMEM;
    }
    const char *why;
    int rc = try_open(h, &why);
    if (rc && is_corruption(rc)) {
        set_aside(h, why, d);
        rc = try_open(h, &why);
    }
    if (rc) {
        char reason[256];
        if (storage_failure(h, rc, reason, sizeof reason))
            kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0,
                            "the history store cannot be written: %s", reason);
        else
            kiosk_diags_add(d, KIOSK_SEV_ERROR, path, NULL, 0, 0, "the history store %s: %s", why,
                            h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
        kiosk_history_close(h);
        return KIOSK_ESTORE;
    }
    *out = h;
    return 0;
}

void kiosk_history_close(struct kiosk_history *h)
{
    if (!h)
        return;
    if (h->db)
        sqlite3_close(h->db);
    kiosk_strtab_free(&h->strings);
    free(h->path);
    free(h);
}

long kiosk_history_count(struct kiosk_history *h)
{
    sqlite3_stmt *st;
    long n = -1;
    if (!h->db || sqlite3_prepare_v2(h->db, "SELECT count(*) FROM period", -1, &st, NULL))
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Maps a stored string key to the table's strings, interning on first use. */
struct key_map {
    uint32_t *to_table; /* stored key - 1 -> table index + 1; 0 = not mapped yet */
};

static uint32_t map_key(struct kiosk_history *h, struct kiosk_table *t, struct key_map *m,
                        uint32_t key, bool *bad)
{
    if (key == KIOSK_NONE)
        return KIOSK_NONE;
    if (key == 0 || key > h->strings.count) {
        *bad = true;
        return KIOSK_NONE;
    }
    if (!m->to_table[key - 1]) {
        const char *text = kiosk_strtab_get(&h->strings, key - 1);
        uint32_t idx = kiosk_strtab_intern(&t->strings, text, strlen(text));
        if (idx == KIOSK_NONE) {
            *bad = true;
            return KIOSK_NONE;
        }
        m->to_table[key - 1] = idx + 1;
    }
    return m->to_table[key - 1] - 1;
}

/* Decodes one stored period into t; returns 0, or -1 when the row does not hold together. */
static int decode_period(struct kiosk_history *h, struct kiosk_table *t, struct key_map *m,
                         sqlite3_stmt *st)
{
    const char *id = (const char *)sqlite3_column_text(st, 0);
    const char *label = (const char *)sqlite3_column_text(st, 1);
    sqlite3_int64 start = sqlite3_column_int64(st, 2), end = sqlite3_column_int64(st, 3);
    const char *groups = (const char *)sqlite3_column_text(st, 4);
    sqlite3_int64 n = sqlite3_column_int64(st, 5);
    const unsigned char *blob = sqlite3_column_blob(st, 6);
    size_t bytes = (size_t)sqlite3_column_bytes(st, 6);
    if (!id || !label || !groups || n < 0 || n > KIOSK_MAX_UNITS || end < start)
        return -1;
    /* the stored columns, mapped to the table's groups by code */
    int column_group[KIOSK_MAX_GROUPS];
    size_t nc = 0;
    char codes[KIOSK_MAX_GROUPS * 20];
    snprintf(codes, sizeof codes, "%s", groups);
    for (char *save = NULL, *c = strtok_r(codes, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
        if (nc == KIOSK_MAX_GROUPS)
            return -1;
        column_group[nc++] = kiosk_framework_group(&t->fw, c);
    }
    size_t stride = RECORD_HEAD + 8 * nc;
    if (bytes != (size_t)n * stride || (n > 0 && !blob))
        return -1;
    struct kiosk_period *p =
        kiosk_table_add_period(t, id, label, (int32_t)start, (int32_t)end, KIOSK_ORIGIN_STORE);
    if (!p)
        return -1;
    size_t ng = t->fw.n_groups;
    bool bad = false;
    if (kiosk_period_reserve(t, p, (size_t)n))
        return -1;
    for (sqlite3_int64 r = 0; r < n && !bad; r++) {
        const unsigned char *rec = blob + (size_t)r * stride;
        uint32_t unit = map_key(h, t, m, get_u32(rec), &bad);
        if (bad || unit == KIOSK_NONE)
            return -1;
        size_t i;
        if (kiosk_period_entry(t, p, unit, &i))
            return -1;
        struct kiosk_entry *e = &p->entries[i];
        e->name = map_key(h, t, m, get_u32(rec + 4), &bad);
        e->kind = map_key(h, t, m, get_u32(rec + 8), &bad);
        e->parent = map_key(h, t, m, get_u32(rec + 12), &bad);
        e->total = get_f64(rec + 16);
        e->given_delta = get_f64(rec + 24);
        e->source_index = (uint32_t)r;
        double *scores = kiosk_entry_scores(p, i, ng);
        for (size_t c = 0; c < nc; c++)
            if (column_group[c] >= 0)
                scores[column_group[c]] = get_f64(rec + RECORD_HEAD + 8 * c);
        if (e->name == KIOSK_NONE || e->kind == KIOSK_NONE)
            bad = true;
    }
    return bad ? -1 : 0;
}

int kiosk_history_load(struct kiosk_history *h, struct kiosk_table *t, struct kiosk_diags *d)
{
    if (!h->db)
        return 0;
    if (!t->has_framework)
        return KIOSK_EEMPTY; /* stored groups map onto the table's framework: read first */
    struct key_map m = {.to_table =
                            calloc(h->strings.count ? h->strings.count : 1, sizeof *m.to_table)};
    if (!m.to_table)
        return KIOSK_ENOMEM;
    sqlite3_stmt *st;
    size_t before = t->n_periods;
    int rc = sqlite3_prepare_v2(h->db,
                                "SELECT id, label, start, \"end\", groups, n_entries, entries "
                                "FROM period ORDER BY start",
                                -1, &st, NULL);
    const char *why = "cannot be read";
    while (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            break;
        rc = SQLITE_OK;
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (id && kiosk_table_period(t, id))
            continue; /* the feed wins */
        if (decode_period(h, t, &m, st)) {
            rc = SQLITE_CORRUPT;
            why = "holds a period that does not decode";
        }
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    sqlite3_finalize(st);
    free(m.to_table);
    if (rc) {
        /* keep what the feed gave; drop what came from the bad store */
        while (t->n_periods > before)
            kiosk_table_remove_period(t, t->n_periods - 1);
        if (is_corruption(rc) || rc == SQLITE_CORRUPT) {
            set_aside(h, why, d);
            const char *ignored;
            if (try_open(h, &ignored)) {
                kiosk_diags_add(d, KIOSK_SEV_ERROR, h->path, NULL, 0, 0,
                                "cannot start a new history store");
                return KIOSK_ESTORE;
            }
            return 0;
        }
        kiosk_diags_add(d, KIOSK_SEV_ERROR, h->path, NULL, 0, 0, "the history store %s: %s", why,
                        sqlite3_errstr(rc));
        return KIOSK_ESTORE;
    }
    return 0;
}

/* The stored key of a table string, adding it to the store's strings when new. */
static int store_key(struct kiosk_history *h, const struct kiosk_table *t, uint32_t s,
                     uint32_t *key)
{
    if (s == KIOSK_NONE) {
        *key = KIOSK_NONE;
        return 0;
    }
    const char *text = kiosk_strtab_get(&t->strings, s);
    uint32_t idx = kiosk_strtab_intern(&h->strings, text, strlen(text));
    if (idx == KIOSK_NONE)
        return SQLITE_NOMEM;
    *key = idx + 1;
    return 0;
}

/* Whether the stored row of period p holds exactly this: nothing to write then. */
static bool period_unchanged(sqlite3_stmt *sel, const struct kiosk_period *p, const char *groups,
                             const unsigned char *blob, size_t bytes)
{
    sqlite3_reset(sel);
    sqlite3_bind_text(sel, 1, p->id, -1, SQLITE_STATIC);
    if (sqlite3_step(sel) != SQLITE_ROW)
        return false;
    const char *label = (const char *)sqlite3_column_text(sel, 0);
    const char *g = (const char *)sqlite3_column_text(sel, 3);
    const void *stored = sqlite3_column_blob(sel, 5);
    bool same = label && strcmp(label, p->label) == 0 && sqlite3_column_int64(sel, 1) == p->start &&
                sqlite3_column_int64(sel, 2) == p->end && g && strcmp(g, groups) == 0 &&
                sqlite3_column_int64(sel, 4) == (sqlite3_int64)p->n_entries &&
                (size_t)sqlite3_column_bytes(sel, 5) == bytes &&
                (bytes == 0 || (stored && memcmp(stored, blob, bytes) == 0));
    sqlite3_reset(sel);
    return same;
}

static int save_period(struct kiosk_history *h, const struct kiosk_table *t,
                       const struct kiosk_period *p, sqlite3_stmt *ins, sqlite3_stmt *sel,
                       long *written)
{
    size_t ng = t->fw.n_groups, stride = RECORD_HEAD + 8 * ng;
    unsigned char *blob = malloc(p->n_entries ? p->n_entries * stride : 1);
    char groups[KIOSK_MAX_GROUPS * 20] = "";
    if (!blob)
        return SQLITE_NOMEM;
    for (size_t g = 0, o = 0; g < ng; g++)
        o += (size_t)snprintf(groups + o, sizeof groups - o, "%s%s", g ? "," : "",
                              t->fw.groups[g].code);
    int rc = 0;
    for (size_t i = 0; i < p->n_entries && !rc; i++) {
        const struct kiosk_entry *e = &p->entries[i];
        unsigned char *rec = blob + i * stride;
        uint32_t k[4] = {0};
        rc = store_key(h, t, e->unit, &k[0]) || store_key(h, t, e->name, &k[1]) ||
             store_key(h, t, e->kind, &k[2]) || store_key(h, t, e->parent, &k[3]);
        if (rc)
            break;
        for (int j = 0; j < 4; j++)
            put_u32(rec + 4 * j, k[j]);
        put_f64(rec + 16, e->total);
        put_f64(rec + 24, e->given_delta);
        const double *scores = kiosk_entry_scores(p, i, ng);
        for (size_t g = 0; g < ng; g++)
            put_f64(rec + RECORD_HEAD + 8 * g, scores[g]);
    }
    if (!rc && period_unchanged(sel, p, groups, blob, p->n_entries * stride)) {
        free(blob);
        return 0;
    }
    if (!rc) {
        (*written)++;
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, p->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, p->label, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 3, p->start);
        sqlite3_bind_int64(ins, 4, p->end);
        sqlite3_bind_text(ins, 5, groups, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 6, (sqlite3_int64)p->n_entries);
        sqlite3_bind_blob(ins, 7, blob, (int)(p->n_entries * stride), SQLITE_STATIC);
        sqlite3_bind_int64(ins, 8, (sqlite3_int64)time(NULL));
        rc = sqlite3_step(ins);
        rc = rc == SQLITE_DONE ? 0 : rc;
    }
    free(blob);
    return rc;
}

static int save_strings(struct kiosk_history *h)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(h->db, "INSERT INTO string(key, text) VALUES(?, ?)", -1, &st, NULL);
    for (uint32_t i = h->persisted; !rc && i < h->strings.count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 2, kiosk_strtab_get(&h->strings, i), -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        rc = rc == SQLITE_DONE ? 0 : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

int kiosk_history_save(struct kiosk_history *h, const struct kiosk_table *t, struct kiosk_diags *d)
{
    if (!h->db)
        return 0;
    uint32_t persisted = h->persisted;
    /* a deferred transaction: one that only reads (every period as stored already)
     * writes nothing at all, not even a WAL file */
    int rc = exec(h, "BEGIN");
    sqlite3_stmt *ins = NULL, *sel = NULL;
    long written = 0;
    if (!rc)
        rc = sqlite3_prepare_v2(h->db,
                                "INSERT OR REPLACE INTO period(id, label, start, \"end\", groups, "
                                "n_entries, entries, saved_at) VALUES(?,?,?,?,?,?,?,?)",
                                -1, &ins, NULL);
    if (!rc)
        rc = sqlite3_prepare_v2(h->db,
                                "SELECT label, start, \"end\", groups, n_entries, entries "
                                "FROM period WHERE id = ?",
                                -1, &sel, NULL);
    for (size_t i = 0; !rc && i < t->n_periods; i++)
        if (t->periods[i].origin == KIOSK_ORIGIN_FEED)
            rc = save_period(h, t, &t->periods[i], ins, sel, &written);
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    if (!rc)
        rc = save_strings(h);
    if (!rc)
        rc = exec(h, "COMMIT");
    h->written = rc ? 0 : written;
    if (rc) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(h->db));
        exec(h, "ROLLBACK");
        /* strings interned for the failed transaction are not in the database */
        while (h->strings.count > persisted) {
            h->strings.count--;
            free(h->strings.strings[h->strings.count]);
        }
        struct kiosk_strtab rebuilt = {0};
        for (uint32_t i = 0; i < h->strings.count; i++)
            kiosk_strtab_intern(&rebuilt, h->strings.strings[i], strlen(h->strings.strings[i]));
        kiosk_strtab_free(&h->strings);
        h->strings = rebuilt;
        char reason[256];
        if (storage_failure(h, rc, reason, sizeof reason))
            snprintf(msg, sizeof msg, "%s", reason);
        kiosk_diags_add(d, KIOSK_SEV_ERROR, h->path, NULL, 0, 0,
                        "cannot save to the history store: %s", msg);
        return KIOSK_ESTORE;
    }
    h->persisted = h->strings.count;
    return 0;
}

long kiosk_history_written(const struct kiosk_history *h)
{
    return h->written;
}
