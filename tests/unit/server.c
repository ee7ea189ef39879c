#include "server.h"

#include "helpers.h"

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int start(struct test_server *s, const char *cert, const char *key);

int test_server_start(struct test_server *s)
{
    return start(s, NULL, NULL);
}

int test_server_start_tls(struct test_server *s, const char *cert, const char *key)
{
    return start(s, cert, key);
}

static int start(struct test_server *s, const char *cert, const char *key)
{
    char portfile[128];
    memset(s, 0, sizeof *s);
    if (make_temp_dir(s->dir, sizeof s->dir, "served"))
        return -1;
    snprintf(portfile, sizeof portfile, "%s.port", s->dir);
    char *argv[] = {"python3",
                    KIOSK_SOURCE_DIR "/tests/net/server.py",
                    s->dir,
                    portfile,
                    cert ? "--tls" : NULL,
                    (char *)cert,
                    (char *)key,
                    NULL};
    if (posix_spawnp(&s->pid, "python3", NULL, NULL, argv, environ) != 0)
        return -1;
    for (int i = 0; i < 100; i++) {
        FILE *f = fopen(portfile, "r");
        if (f) {
            int ok = fscanf(f, "%d", &s->port) == 1;
            fclose(f);
            unlink(portfile);
            if (ok)
                return 0;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

void test_server_stop(struct test_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    if (remove_tree(s->dir) != 0)
        print_message("cannot remove %s\n", s->dir);
}

void test_server_put(struct test_server *s, const char *from, const char *name)
{
    size_t len;
    char *buf = read_file(from, &len);
    char tmp[256], to[256];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", s->dir, name);
    snprintf(to, sizeof to, "%s/%s", s->dir, name);
    FILE *f = fopen(tmp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    assert_int_equal(rename(tmp, to), 0);
    free(buf);
}
