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

/* One line: 1 read, 0 a handler stopped, -1 not INI (why). */
static int on_line(const struct kiosk_ini_handler *h, void *user, char *text, int line, char *why,
                   size_t size)
{
    if (line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; /* a byte-order mark, as some editors write */
    text[strcspn(text, "\r\n")] = '\0';
    if (text[0] == ' ' || text[0] == '\t') {
        char *rest = trim(text);
        if (!rest[0] || rest[0] == ';' || rest[0] == '#')
            return 1; /* blank, or an indented comment */
        /* other readers would take this for a continuation of the previous value */
        snprintf(why, size,
                 "expected a line starting at its first column, found an indented line "
                 "(\"%.40s\"); continuation lines are not read: write a value on one line",
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
    return h->key(user, key, value, line) ? 1 : 0;
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
            got = on_line(h, user, buf, *lines, why, size);
        }
        if (got < 0) {
            *line = *lines;
            rc = KIOSK_ESCHEMA;
        } else if (got == 0) {
            rc = 1;
        }
    }
    if (!rc && ferror(f)) {
        snprintf(why, size, "cannot read: %s", strerror(errno));
        *line = *lines + 1;
        rc = KIOSK_EIO;
    }
    free(buf);
    fclose(f);
    return rc;
}
