/* Starts and stops tests/net/server.py on a loopback port for a test. */
#ifndef KIOSK_TEST_SERVER_H
#define KIOSK_TEST_SERVER_H

#include <sys/types.h>

struct test_server {
    pid_t pid;
    int port;
    char dir[64]; /* the directory it serves (a copy the test may change) */
};

/* Serves a fresh temporary directory; returns 0 or -1. */
int test_server_start(struct test_server *s);
/* The same over HTTPS with that certificate and key (PEM files). */
int test_server_start_tls(struct test_server *s, const char *cert, const char *key);
void test_server_stop(struct test_server *s);
/* Copies a file into the served directory under a name (atomically, as a deploy would). */
void test_server_put(struct test_server *s, const char *from, const char *name);

#endif
