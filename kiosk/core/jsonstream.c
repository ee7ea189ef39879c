#include "jsonstream.h"

#include "error.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

const struct kiosk_json_limits kiosk_json_default_limits = {
    .max_bytes = KIOSK_DEFAULT_MAX_BYTES,
    .max_depth = 32,
    .max_string = 64 * 1024,
    .max_array = 200000,
};

struct frame {
    json_t *value;   /* object or array being built; NULL for the streamed array */
    char *key;       /* pending key inside an object */
    size_t elements; /* elements seen in an array */
    int streamed;    /* this is the streamed array */
};

struct kiosk_json_stream {
    yajl_handle yajl;
    struct kiosk_json_limits limits;
    char *stream_key;
    kiosk_json_item_fn on_item;
    void *ctx;

    struct frame *stack;
    size_t depth;
    json_t *root;

    size_t bytes;
    int line, column; /* position at the start of the current chunk */
    int failed;       /* an error code once failed */
    int own_error;    /* error was raised by us, not yajl */
    char error[512];
    char err_path[512];
    int err_line, err_column;
};

/* The JSON path of the value being parsed, e.g. periods[0].units[17].name. */
static void current_path(const struct kiosk_json_stream *s, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->depth && n < size; i++) {
        const struct frame *f = &s->stack[i];
        int w;
        if (f->streamed || json_is_array(f->value))
            w = snprintf(buf + n, size - n, "[%zu]", f->elements);
        else if (f->key)
            w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", f->key);
        else
            break;
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

static int fail(struct kiosk_json_stream *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct kiosk_json_stream *s, int code, const char *fmt, ...)
{
    if (!s->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->error, sizeof s->error, fmt, ap);
        va_end(ap);
        s->failed = code;
        s->own_error = 1;
        current_path(s, s->err_path, sizeof s->err_path);
    }
    return 0; /* tells yajl to cancel */
}

/* Adds a finished value to the container on top of the stack (or makes it the root). Takes
 * the reference to v. */
static int add_value(struct kiosk_json_stream *s, json_t *v)
{
    if (!v)
        return fail(s, KIOSK_ENOMEM, "out of memory");
    if (s->depth == 0) {
        s->root = v;
        return 1;
    }
    struct frame *top = &s->stack[s->depth - 1];
    if (top->streamed) {
        const char *why = NULL;
        size_t index = top->elements++;
        if (index >= s->limits.max_array) {
            json_decref(v);
            return fail(s, KIOSK_ELIMIT, "more than %zu elements in \"%s\"", s->limits.max_array,
                        s->stream_key);
        }
        int stop = s->on_item(s->ctx, index, v, &why);
        json_decref(v);
        if (stop)
            return fail(s, KIOSK_ESCHEMA, "%s", why ? why : "stopped");
        return 1;
    }
    if (json_is_array(top->value)) {
        if (top->elements++ >= s->limits.max_array) {
            json_decref(v);
            return fail(s, KIOSK_ELIMIT, "an array has more than %zu elements",
                        s->limits.max_array);
        }
        if (json_array_append_new(top->value, v))
            return fail(s, KIOSK_ENOMEM, "out of memory");
        return 1;
    }
    /* object: jansson keeps the last of duplicate keys, as most JSON readers do */
    int rc = json_object_set_new(top->value, top->key ? top->key : "", v);
    free(top->key);
    top->key = NULL;
    if (rc)
        return fail(s, KIOSK_ENOMEM, "out of memory");
    return 1;
}

static int push(struct kiosk_json_stream *s, json_t *container, int streamed)
{
    if (s->depth >= s->limits.max_depth) {
        json_decref(container);
        return fail(s, KIOSK_ELIMIT, "nested deeper than %zu levels", s->limits.max_depth);
    }
    if (!container && !streamed)
        return fail(s, KIOSK_ENOMEM, "out of memory");
    s->stack[s->depth] = (struct frame){.value = container, .streamed = streamed};
    s->depth++;
    return 1;
}

static int pop(struct kiosk_json_stream *s)
{
    struct frame f = s->stack[--s->depth];
    free(f.key);
    if (f.streamed)
        return add_value(s, json_array());
    return add_value(s, f.value);
}

static int on_null(void *ctx)
{
    return add_value(ctx, json_null());
}

static int on_boolean(void *ctx, int b)
{
    return add_value(ctx, json_boolean(b));
}

static int on_number(void *ctx, const char *text, size_t len)
{
    struct kiosk_json_stream *s = ctx;
    char buf[64];
    if (len >= sizeof buf)
        return fail(s, KIOSK_ELIMIT, "a number written with more than %zu characters",
                    sizeof buf - 1);
    memcpy(buf, text, len);
    buf[len] = '\0';
    int is_real = strpbrk(buf, ".eE") != NULL;
    if (!is_real) {
        errno = 0;
        long long ll = strtoll(buf, NULL, 10);
        if (errno != ERANGE)
            return add_value(s, json_integer(ll));
    }
    errno = 0;
    double d = strtod(buf, NULL);
    if (!isfinite(d) || (errno == ERANGE && fabs(d) > 1.0))
        return fail(s, KIOSK_ESYNTAX, "number %s is out of range", buf);
    return add_value(s, json_real(d));
}

static int on_string(void *ctx, const unsigned char *str, size_t len)
{
    struct kiosk_json_stream *s = ctx;
    if (len > s->limits.max_string)
        return fail(s, KIOSK_ELIMIT, "a string of %zu bytes (the limit is %zu)", len,
                    s->limits.max_string);
    json_t *v = json_stringn((const char *)str, len);
    if (!v)
        return fail(s, KIOSK_ESYNTAX, "a string that is not valid UTF-8");
    return add_value(s, v);
}

static int on_start_map(void *ctx)
{
    return push(ctx, json_object(), 0);
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
    struct kiosk_json_stream *s = ctx;
    if (len > s->limits.max_string)
        return fail(s, KIOSK_ELIMIT, "a key of %zu bytes (the limit is %zu)", len,
                    s->limits.max_string);
    if (memchr(key, '\0', len))
        return fail(s, KIOSK_ESYNTAX, "a key containing a NUL character");
    struct frame *top = &s->stack[s->depth - 1];
    free(top->key);
    top->key = strndup((const char *)key, len);
    if (!top->key)
        return fail(s, KIOSK_ENOMEM, "out of memory");
    return 1;
}

static int on_end_map(void *ctx)
{
    return pop(ctx);
}

static int on_start_array(void *ctx)
{
    struct kiosk_json_stream *s = ctx;
    int streamed = s->stream_key && s->on_item && s->depth == 1 &&
                   json_is_object(s->stack[0].value) && s->stack[0].key &&
                   strcmp(s->stack[0].key, s->stream_key) == 0;
    return push(s, streamed ? NULL : json_array(), streamed);
}

static int on_end_array(void *ctx)
{
    return pop(ctx);
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end_array,
};

struct kiosk_json_stream *kiosk_json_stream_new(const struct kiosk_json_limits *limits,
                                                const char *stream_key, kiosk_json_item_fn on_item,
                                                void *ctx)
{
    struct kiosk_json_stream *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->limits = limits ? *limits : kiosk_json_default_limits;
    if (s->limits.max_depth == 0)
        s->limits.max_depth = 1;
    s->stack = calloc(s->limits.max_depth, sizeof *s->stack);
    s->stream_key = stream_key ? strdup(stream_key) : NULL;
    s->yajl = yajl_alloc(&callbacks, NULL, s);
    if (!s->stack || (stream_key && !s->stream_key) || !s->yajl) {
        kiosk_json_stream_free(s);
        return NULL;
    }
    s->on_item = on_item;
    s->ctx = ctx;
    s->line = 1;
    s->column = 1;
    return s;
}

/* Advances line/column over n bytes, counting characters (not UTF-8 continuation bytes). */
static void advance(const unsigned char *p, size_t n, int *line, int *column)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            (*line)++;
            *column = 1;
        } else if ((p[i] & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

static int record_error(struct kiosk_json_stream *s, const unsigned char *buf, size_t len)
{
    size_t consumed = yajl_get_bytes_consumed(s->yajl);
    if (consumed > len)
        consumed = len;
    int line = s->line, column = s->column;
    /* yajl reports the byte after the offending token; point at the token itself */
    advance(buf, consumed ? consumed - 1 : 0, &line, &column);
    s->err_line = line;
    s->err_column = column;
    if (!s->own_error) {
        current_path(s, s->err_path, sizeof s->err_path);
        unsigned char *msg = yajl_get_error(s->yajl, 0, buf, len);
        const char *text = msg ? (const char *)msg : "invalid JSON";
        /* yajl's messages end with a newline and start with its own category */
        snprintf(s->error, sizeof s->error, "%s", text);
        size_t n = strlen(s->error);
        while (n && (s->error[n - 1] == '\n' || s->error[n - 1] == ' '))
            s->error[--n] = '\0';
        if (msg)
            yajl_free_error(s->yajl, msg);
        s->failed = KIOSK_ESYNTAX;
    }
    return s->failed;
}

int kiosk_json_stream_feed(struct kiosk_json_stream *s, const void *buf, size_t len)
{
    if (s->failed)
        return s->failed;
    if (len > s->limits.max_bytes - s->bytes) {
        s->err_line = 0;
        s->own_error = 1;
        snprintf(s->error, sizeof s->error, "the document is larger than the limit of %zu bytes",
                 s->limits.max_bytes);
        s->failed = KIOSK_ELIMIT;
        return s->failed;
    }
    s->bytes += len;
    yajl_status st = yajl_parse(s->yajl, buf, len);
    if (st != yajl_status_ok)
        return record_error(s, buf, len);
    advance(buf, len, &s->line, &s->column);
    return 0;
}

int kiosk_json_stream_finish(struct kiosk_json_stream *s, json_t **root)
{
    if (s->failed)
        return s->failed;
    if (s->bytes == 0) {
        s->own_error = 1;
        s->failed = KIOSK_ESYNTAX;
        snprintf(s->error, sizeof s->error, "the document is empty");
        return s->failed;
    }
    yajl_status st = yajl_complete_parse(s->yajl);
    if (st != yajl_status_ok || !s->root) {
        s->err_line = s->line;
        s->err_column = s->column;
        if (!s->own_error) {
            snprintf(s->error, sizeof s->error, "the document ends before the JSON value does");
            s->failed = KIOSK_ESYNTAX;
        }
        return s->failed;
    }
    *root = s->root;
    s->root = NULL;
    return 0;
}

const char *kiosk_json_stream_error_path(const struct kiosk_json_stream *s)
{
    return s->failed && s->err_path[0] ? s->err_path : NULL;
}

const char *kiosk_json_stream_error(const struct kiosk_json_stream *s, int *line, int *column)
{
    if (line)
        *line = s->err_line;
    if (column)
        *column = s->err_line ? s->err_column : 0;
    return s->failed ? s->error : NULL;
}

json_t *kiosk_json_stream_peek_root(const struct kiosk_json_stream *s)
{
    if (s->depth == 0 || !json_is_object(s->stack[0].value))
        return NULL;
    return s->stack[0].value;
}

size_t kiosk_json_stream_bytes(const struct kiosk_json_stream *s)
{
    return s->bytes;
}

void kiosk_json_stream_free(struct kiosk_json_stream *s)
{
    if (!s)
        return;
    if (s->yajl)
        yajl_free(s->yajl);
    if (s->stack) {
        for (size_t i = 0; i < s->depth; i++) {
            json_decref(s->stack[i].value);
            free(s->stack[i].key);
        }
        free(s->stack);
    }
    json_decref(s->root);
    free(s->stream_key);
    free(s);
}
