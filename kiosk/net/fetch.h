/* Fetching one source: HTTP(S) with libcurl, or a local file. Conditional requests
 * (If-None-Match, If-Modified-Since) so an unchanged feed costs a 304; compressed transfer
 * accepted; connect, total and stall timeouts; the body's size capped while it downloads,
 * not after; certificate verification always on (a CA file may be given; there is no
 * switch to turn it off); optional headers and a POST body. Redirects are followed (at
 * most 5), but an https:// source only ever follows https://: a redirect to plain HTTP is
 * refused, not read. Tokens in headers are never
 * logged: errors name the URL and what went wrong, nothing else. */
#ifndef KIOSK_NET_FETCH_H
#define KIOSK_NET_FETCH_H

#include <stdbool.h>
#include <stddef.h>

/* A way to end a transfer early: asked about once a second while it runs, true ends it
 * at once (a kiosk stopping or reloading waits for no server). */
struct kiosk_cancel {
    bool (*asked)(void *ctx);
    void *ctx;
};

struct kiosk_fetch_request {
    const char *url;  /* http://, https://, file:// or a path */
    const char *etag; /* the validators of the last good answer, or NULL */
    const char *last_modified;
    const char *post_body;      /* POST this JSON body when set */
    const char *const *headers; /* "Name: value" lines, NULL-terminated, or NULL */
    const char *ca_file;        /* extra trust anchors, or NULL */
    size_t max_bytes;
    long connect_timeout_s, total_timeout_s;
    const struct kiosk_cancel *cancel; /* NULL: the transfer runs to its end or timeout */
};

struct kiosk_fetch_result {
    long http_status;  /* 0 for files or when no answer came */
    bool not_modified; /* 304, or a file unchanged since the validators */
    char *body;        /* the body (malloc'd, NUL-terminated; kiosk_fetch_result_free) */
    size_t len;
    char etag[256], last_modified[128];
    char final_url[512]; /* where the answer came from, after redirects ("" for files) */
    char error[384];     /* why it failed, one line */
};

/* Once per process, before any thread fetches. */
void kiosk_fetch_global_init(void);

/* Fetches; 0 with a body or not_modified, or -1 with the reason in out->error ("stopped"
 * when req->cancel asked for it). */
int kiosk_fetch(const struct kiosk_fetch_request *req, struct kiosk_fetch_result *out);
void kiosk_fetch_result_free(struct kiosk_fetch_result *r);

#endif
