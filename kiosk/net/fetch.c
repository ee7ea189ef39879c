#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void kiosk_fetch_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void kiosk_fetch_result_free(struct kiosk_fetch_result *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

struct sink {
    struct kiosk_fetch_result *out;
    size_t cap, max;
    bool too_big;
};

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    struct sink *s = user;
    size_t bytes = size * n;
    if (s->out->len + bytes > s->max) {
        s->too_big = true;
        return 0; /* abort the transfer now, not after the whole body arrived */
    }
    if (s->out->len + bytes + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 64 * 1024;
        while (cap < s->out->len + bytes + 1)
            cap *= 2;
        if (cap > s->max + 1)
            cap = s->max + 1;
        char *grown = realloc(s->out->body, cap);
        if (!grown)
            return 0;
        s->out->body = grown;
        s->cap = cap;
    }
    memcpy(s->out->body + s->out->len, data, bytes);
    s->out->len += bytes;
    s->out->body[s->out->len] = '\0';
    return bytes;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    const struct kiosk_cancel *c = user;
    return c->asked(c->ctx) ? 1 : 0; /* non-zero: libcurl ends the transfer */
}

/* Copies a header's value (ETag, Last-Modified) without its line end. */
static void header_value(const char *line, size_t len, const char *name, char *dst, size_t size)
{
    size_t n = strlen(name);
    if (len <= n + 1 || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t m = (size_t)(end - v);
    if (m >= size)
        m = size - 1;
    memcpy(dst, v, m);
    dst[m] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *user)
{
    struct kiosk_fetch_result *out = user;
    size_t len = size * n;
    /* a redirect or 100-continue starts a new header block: keep the last one's */
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        out->etag[0] = '\0';
        out->last_modified[0] = '\0';
    }
    header_value(line, len, "ETag", out->etag, sizeof out->etag);
    header_value(line, len, "Last-Modified", out->last_modified, sizeof out->last_modified);
    return len;
}

/* A local file: the validator is its size and modification time. */
static int fetch_file(const struct kiosk_fetch_request *req, const char *path,
                      struct kiosk_fetch_result *out)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(out->error, sizeof out->error, "%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    snprintf(out->etag, sizeof out->etag, "\"%lld-%lld.%09ld\"", (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    if (req->etag && strcmp(req->etag, out->etag) == 0) {
        out->not_modified = true;
        close(fd);
        return 0;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > req->max_bytes) {
        snprintf(out->error, sizeof out->error,
                 S_ISREG(st.st_mode) ? "%s: the document is larger than the limit of %zu bytes"
                                     : "%s: not a regular file",
                 path, req->max_bytes);
        close(fd);
        return -1;
    }
    out->body = malloc((size_t)st.st_size + 1);
    ssize_t got = out->body ? read(fd, out->body, (size_t)st.st_size) : -1;
    close(fd);
    if (got != st.st_size) {
        snprintf(out->error, sizeof out->error, "%s: cannot read: %s", path,
                 got < 0 ? strerror(errno) : "changed while reading");
        kiosk_fetch_result_free(out);
        return -1;
    }
    out->len = (size_t)got;
    out->body[out->len] = '\0';
    return 0;
}

int kiosk_fetch(const struct kiosk_fetch_request *req, struct kiosk_fetch_result *out)
{
    memset(out, 0, sizeof *out);
    if (strncmp(req->url, "file://", 7) == 0)
        return fetch_file(req, req->url + 7, out);
    if (!strstr(req->url, "://"))
        return fetch_file(req, req->url, out);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(out->error, sizeof out->error, "cannot start libcurl");
        return -1;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct sink sink = {.out = out, .max = req->max_bytes};
    struct curl_slist *headers = NULL;
    char line[512];
    if (req->etag && req->etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", req->etag);
        headers = curl_slist_append(headers, line);
    }
    if (req->last_modified && req->last_modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", req->last_modified);
        headers = curl_slist_append(headers, line);
    }
    for (const char *const *h = req->headers; h && *h; h++)
        headers = curl_slist_append(headers, *h);
    if (req->post_body)
        headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");

    curl_easy_setopt(c, CURLOPT_URL, req->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* an https source only ever follows https: a redirect to http is a downgrade */
    bool secure = strncasecmp(req->url, "https://", 8) == 0;
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, secure ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl knows */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     req->connect_timeout_s > 0 ? req->connect_timeout_s : 10);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, req->total_timeout_s > 0 ? req->total_timeout_s : 60);
    /* a server that stops sending: under 100 bytes/s for 15 s is a stall */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 100L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 15L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_bytes);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "kiosk/" KIOSK_FETCH_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (req->post_body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->post_body);
    if (req->cancel) {
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)req->cancel);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    }

    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->http_status);
    char *final = NULL;
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final) == CURLE_OK && final)
        snprintf(out->final_url, sizeof out->final_url, "%s", final);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL && secure &&
        strncasecmp(out->final_url, "https://", 8) != 0) {
        /* libcurl stopped at the redirect's target, which it names as the effective URL */
        snprintf(errbuf, sizeof errbuf,
                 "refused a redirect from https to %.200s: an https source only follows https",
                 out->final_url);
        out->final_url[0] = '\0';
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);

    int result = 0;
    if (sink.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(out->error, sizeof out->error,
                 "the document is larger than the limit of %zu bytes (download stopped)",
                 req->max_bytes);
        result = -1;
    } else if (rc == CURLE_ABORTED_BY_CALLBACK) {
        snprintf(out->error, sizeof out->error, "stopped");
        result = -1;
    } else if (rc != CURLE_OK) {
        snprintf(out->error, sizeof out->error, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        result = -1;
    } else if (out->http_status == 304) {
        out->not_modified = true;
    } else if (out->http_status < 200 || out->http_status >= 300) {
        snprintf(out->error, sizeof out->error, "the server answered HTTP %ld", out->http_status);
        result = -1;
    } else if (!out->body) {
        snprintf(out->error, sizeof out->error, "the server answered with an empty body");
        result = -1;
    }
    if (result)
        kiosk_fetch_result_free(out);
    return result;
}
