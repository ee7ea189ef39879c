#include "ini.h"

#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* A key = value line read, not yet handed over: "| " lines below it may continue it. */
struct pending {
    char *key, *value;
    size_t len;
    int line;
};

/* Hands the pending pair to the handler: 1 go on, 0 it stopped. */
static int flush(const struct kiosk_ini_handler *h, void *user, struct pending *p)
{
    if (!p->key)
        return 1;
    int go = h->key(user, p->key, p->value, p->line) ? 1 : 0;
    free(p->key);
    free(p->value);
    memset(p, 0, sizeof *p);
    return go;
}

static int hold(struct pending *p, const char *key, const char *value, int line)
{
    p->key = strdup(key);
    p->value = strdup(value);
    p->len = strlen(value);
    p->line = line;
    return p->key && p->value ? 0 : -1;
}

/* A "|" line: the value above goes on, on a line of its own ("| " and trailing blanks left
 * out, the rest as written: a ; there is text, not a comment). 1, or -1 (why). */
static int go_on(struct pending *p, char *text, char *why, size_t size)
{
    if (!p->key) {
        snprintf(why, size,
                 "expected a key = value line (or another | line) just above this | line: a "
                 "| line continues that value");
        return -1;
    }
    char *more = text + 1 + (text[1] == ' ');
    size_t n = strlen(more);
    while (n && (more[n - 1] == ' ' || more[n - 1] == '\t'))
        more[--n] = '\0';
    if (p->len + 1 + n > KIOSK_INI_MAX_LINE) {
        snprintf(why, size, "expected a value of at most %d bytes with its | lines, found more",
                 KIOSK_INI_MAX_LINE);
        return -1;
    }
    char *v = realloc(p->value, p->len + 1 + n + 1);
    if (!v) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    v[p->len] = '\n';
    memcpy(v + p->len + 1, more, n + 1);
    p->value = v;
    p->len += 1 + n;
    return 1;
}

/* One line: 1 read, 0 a handler stopped, -1 not INI (why). */
static int on_line(const struct kiosk_ini_handler *h, void *user, struct pending *p, char *text,
                   int line, char *why, size_t size)
{
    if (line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; /* a byte-order mark, as some editors write */
    text[strcspn(text, "\r\n")] = '\0';
    if (text[0] == '|')
        return go_on(p, text, why, size);
    if (!flush(h, user, p))
        return 0;
    if (text[0] == ' ' || text[0] == '\t') {
        char *rest = trim(text);
        if (!rest[0] || rest[0] == ';' || rest[0] == '#')
            return 1; /* blank, or an indented comment */
        /* other readers would take this for a continuation of the previous value */
        snprintf(why, size,
                 "expected a line starting at its first column, found an indented line "
                 "(\"%.40s\"); a value goes on over more lines with lines starting \"| \"",
                 rest);
        return -1;
    }
    if (!text[0] || text[0] == ';' || text[0] == '#')
        return 1;
    if (text[0] == '[') {
        char *end = strchr(text, ']');
        char *after = end ? trim(end + 1) : NULL;
        if (!end || (after[0] && after[0] != ';' && after[0] != '#')) {
            snprintf(why, size, "expected [section], found \"%.60s\"", text);
            return -1;
        }
        *end = '\0';
        char *name = trim(text + 1);
        if (!name[0]) {
            snprintf(why, size, "expected a section name between [ and ], found \"[]\"");
            return -1;
        }
        return h->section(user, name, line) ? 1 : 0;
    }
    char *eq = strchr(text, '=');
    if (!eq) {
        snprintf(why, size, "expected [section], key = value, or a ; or # comment, found \"%.60s\"",
                 text);
        return -1;
    }
    *eq = '\0';
    char *key = trim(text);
    char *value = eq + 1;
    for (char *c = value; *c; c++)
        if (*c == ';' && (c == value || c[-1] == ' ' || c[-1] == '\t')) {
            *c = '\0';
            break;
        }
    value = trim(value);
    if (!key[0] || strpbrk(key, " \t[]")) {
        snprintf(why, size, "expected a key (one word) before =, found \"%.60s\"", key);
        return -1;
    }
    if (hold(p, key, value, line)) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    return 1;
}

int kiosk_ini_read(const char *path, const struct kiosk_ini_handler *h, void *user, int *line,
                   int *lines, char *why, size_t size)
{
    *line = *lines = 0;
    FILE *f = fopen(path, "r");
    struct stat st;
    if (!f) {
        snprintf(why, size, "cannot open: %s", strerror(errno));
        return KIOSK_EIO;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, size, "expected a file, found %s",
                 S_ISDIR(st.st_mode) ? "a directory" : "something that is not a regular file");
        fclose(f);
        return KIOSK_EIO;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    struct pending p = {0};
    while (rc == 0 && (n = getline(&buf, &cap, f)) >= 0) {
        ++*lines;
        int got;
        if ((size_t)n != strlen(buf)) {
            snprintf(why, size, "expected text, found a NUL byte");
            got = -1;
        } else if (n > KIOSK_INI_MAX_LINE) {
            snprintf(why, size, "expected a line of at most %d bytes, found %zd bytes",
                     KIOSK_INI_MAX_LINE, n);
            got = -1;
        } else {
            got = on_line(h, user, &p, buf, *lines, why, size);
        }
        if (got < 0) {
            *line = *lines;
            rc = KIOSK_ESCHEMA;
        } else if (got == 0) {
            rc = 1;
        }
    }
    if (!rc && !flush(h, user, &p))
        rc = 1;
    free(p.key);
    free(p.value);
    if (!rc && ferror(f)) {
        snprintf(why, size, "cannot read: %s", strerror(errno));
        *line = *lines + 1;
        rc = KIOSK_EIO;
    }
    free(buf);
    fclose(f);
    return rc;
}
