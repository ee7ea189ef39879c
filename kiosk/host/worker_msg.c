/* One message of the worker protocol, sent or received whole (SOCK_SEQPACKET keeps the
 * boundaries), with at most one file descriptor beside it. */
#include "worker_proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int kiosk_wp_send(int sock, uint16_t type, uint32_t slide, uint32_t seq, const void *payload,
                  size_t size, int fd)
{
    if (size > KIOSK_WP_MAX - sizeof(struct kiosk_wp_header))
        return -1;
    struct kiosk_wp_header h = {
        .magic = KIOSK_WP_MAGIC, .type = type, .slide = slide, .seq = seq, .size = (uint32_t)size};
    struct iovec iov[2] = {{.iov_base = &h, .iov_len = sizeof h},
                           {.iov_base = (void *)payload, .iov_len = size}};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = size ? 2 : 1};
    if (fd >= 0) {
        memset(&u, 0, sizeof u);
        m.msg_control = u.buf;
        m.msg_controllen = sizeof u.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    ssize_t n;
    do
        n = sendmsg(sock, &m, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)(sizeof h + size) ? 0 : -1;
}

long kiosk_wp_recv(int sock, void *buf, int *fd)
{
    *fd = -1;
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {.iov_base = buf, .iov_len = KIOSK_WP_MAX};
    struct msghdr m = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
    ssize_t n;
    do
        n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    int fds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < k; i++) {
            int got;
            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof got);
            if (fds++ == 0)
                *fd = got;
            else
                close(got); /* one fd a message, never more */
        }
    }
    const struct kiosk_wp_header *h = buf;
    int bad = n < 0 || (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || fds > 1 ||
              (n > 0 && ((size_t)n < sizeof *h || h->magic != KIOSK_WP_MAGIC ||
                         h->size != (size_t)n - sizeof *h));
    if (bad || n == 0) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        return bad ? -1 : 0;
    }
    return (long)n;
}
