/* The messages between the kiosk and a plugin worker, over a SOCK_SEQPACKET socketpair:
 * one request, one reply, each a header and a payload whose size the type fixes (CREATE's
 * payload is strings). File descriptors (the canvas's and the snapshot image's memfds)
 * travel beside a message as SCM_RIGHTS. Both sides check every message on receipt:
 * type, slide, size, strings ended within the payload, numbers finite. Internal to the
 * host layer: worker.c is the kiosk's side, worker_serve.c the worker's. */
#ifndef KIOSK_HOST_WORKER_PROTO_H
#define KIOSK_HOST_WORKER_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define KIOSK_WP_MAGIC 0x6b77u  /* "kw" */
#define KIOSK_WP_MAX 65536      /* bytes in a message, header included */
#define KIOSK_WP_MAX_SLIDES 256 /* slides one worker serves */
#define KIOSK_WP_MAX_SIDE 16384 /* canvas width or height */

enum kiosk_wp_type {
    /* worker -> kiosk, unasked, once: the plugin is loaded */
    KIOSK_WP_HELLO = 1,
    /* kiosk -> worker; the reply has the same type */
    KIOSK_WP_CREATE,      /* payload: slide name, then key, value pairs (strings) */
    KIOSK_WP_DESTROY,     /* no payload */
    KIOSK_WP_HAS_CONTENT, /* struct kiosk_wp_frame */
    KIOSK_WP_TURN_S,      /* struct kiosk_wp_frame */
    KIOSK_WP_RENDER,      /* struct kiosk_wp_frame */
    KIOSK_WP_CANVAS,      /* struct kiosk_wp_canvas, with the canvas's memfd */
    KIOSK_WP_SNAPSHOT,    /* struct kiosk_wp_snapshot, with the image's memfd (or none) */
    /* worker -> kiosk, unasked, from its fatal-signal handler: it dies out of memory
     * (the signal came with errno ENOMEM, or near its address-space limit) */
    KIOSK_WP_OUT_OF_MEMORY,
    /* kiosk -> worker: a slide's own source (1.3): struct kiosk_wp_source, with its bytes
     * in a sealed memfd (none while nothing was fetched) */
    KIOSK_WP_SOURCE,
    KIOSK_WP_END,
};

struct kiosk_wp_header {
    uint16_t magic;
    uint16_t type;
    uint32_t slide; /* the slide's number in this worker */
    uint32_t seq;   /* a reply carries its request's */
    uint32_t size;  /* payload bytes after the header */
};

struct kiosk_wp_hello {
    uint32_t abi_version;  /* the plugin's */
    uint32_t flags;        /* KIOSK_WP_HAS_* */
    char name[64];         /* the plugin's name, NUL-ended */
    char description[192]; /* its description, NUL-ended (cut short), or "" */
};
#define KIOSK_WP_HAS_HAS_CONTENT 1u
#define KIOSK_WP_HAS_TURN_S 2u

struct kiosk_wp_frame {
    int32_t width, height; /* the canvas */
    int32_t body_height;   /* the frame's height: above the status line */
    uint32_t has_data;     /* the frame has the snapshot image's data */
    double elapsed_ms;
    double scale;
    int64_t now_unix_ms;
};

struct kiosk_wp_canvas {
    int32_t width, height, stride;
    uint32_t background; /* the theme's, cleared before each render */
};

struct kiosk_wp_snapshot {
    uint64_t size; /* bytes of the image; 0: no data (no fd) */
};

#define KIOSK_WP_SOURCE_MAX (16u << 20) /* a slide's own source: the poller's cap */

struct kiosk_wp_source {
    uint64_t size;   /* bytes in the memfd; 0: none (no fd) */
    uint64_t serial; /* changes with the bytes */
    int64_t fetched_unix;
    char error[384]; /* the last fetch's failure, or "" (NUL-ended) */
};

/* Replies. */
struct kiosk_wp_result {
    int32_t value; /* CREATE: create()'s result; HAS_CONTENT: 0 or 1; RENDER: the hint */
    /* CREATE, HAS_CONTENT, TURN_S, RENDER: KIOSK_WP_REPLY_* flags; KIOSK_WP_REPLY_REDRAW: the
     * plugin called request_redraw during the call */
    uint32_t flags;
    double number; /* TURN_S: the seconds */
};
#define KIOSK_WP_REPLY_REDRAW 1u

/* Sends one message (with fd beside it when fd >= 0); 0 or -1. */
int kiosk_wp_send(int sock, uint16_t type, uint32_t slide, uint32_t seq, const void *payload,
                  size_t size, int fd);
/* Receives one message into buf (KIOSK_WP_MAX bytes): its size (header included), 0 at
 * end of file, -1 on an error or a message that is not one (wrong magic, a size that is
 * not what the header says, truncated, more than one fd). *fd gets the fd that came with
 * it (close-on-exec), or -1. */
long kiosk_wp_recv(int sock, void *buf, int *fd);

#endif
