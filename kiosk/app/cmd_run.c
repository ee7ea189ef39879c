/* kiosk run: the appliance (screen/run.c); here only its command line. */
#include "cli.h"
#include "paths.h"
#include "screen/run.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CHECK_DEADLINE_S 120

/* A remote document is checked as `kiosk check FILE` checks it, by this program itself in
 * a child process: the same code, and a document that would crash it crashes the child,
 * not the screen. 0, or -1 with its first line of problems in why. */
static const char *self_program = "/proc/self/exe"; /* struct kiosk_paths.self */

static int check_config(void *ctx, const char *path, const struct kiosk_cancel *cancel, char *why,
                        size_t size)
{
    (void)ctx;
    int out[2];
    if (pipe(out) != 0) {
        snprintf(why, size, "cannot run kiosk check: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 2);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawnattr_init(&at);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none); /* the kiosk's threads block its signals */
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    char *argv[] = {"kiosk", "check", (char *)path, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, self_program, &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        snprintf(why, size, "cannot run kiosk check: %s", strerror(rc));
        return -1;
    }
    char said[2048];
    size_t n = 0;
    time_t until = time(NULL) + CHECK_DEADLINE_S;
    bool cut = false; /* the kiosk stopping: the check ends now */
    for (;;) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        int got_in = 0; /* stays 0 past the deadline */
        while (!(cut = cancel && cancel->asked(cancel->ctx)) && time(NULL) < until &&
               (got_in = poll(&p, 1, 500)) == 0)
            ;
        if (cut || got_in <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        char buf[512];
        ssize_t got = read(out[0], buf, sizeof buf);
        if (got <= 0)
            break;
        size_t take = n + (size_t)got < sizeof said - 1 ? (size_t)got : sizeof said - 1 - n;
        memcpy(said + n, buf, take);
        n += take;
    }
    said[n] = '\0';
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (cut) {
        snprintf(why, size, "stopped");
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    said[strcspn(said, "\n")] = '\0';
    if (said[0])
        snprintf(why, size, "%s", said);
    else if (WIFSIGNALED(status))
        snprintf(why, size, "kiosk check of %s died of signal %d (or took over %d s)", path,
                 WTERMSIG(status), CHECK_DEADLINE_S);
    else
        snprintf(why, size, "kiosk check of %s failed", path);
    return -1;
}

int kiosk_cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'}, {"feed", required_argument, NULL, 'f'},
        {"state", required_argument, NULL, 'S'},  {"runtime", required_argument, NULL, 'R'},
        {"windowed", no_argument, NULL, 'w'},     {"exit-after", required_argument, NULL, 'x'},
        {"size", required_argument, NULL, 's'},   {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0},
    };
    struct kiosk_run_options o = {
        .width = 1280, .height = 720, .setup.read_tokens = true, .check_config = check_config};
    const char *feeds[64];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:f:S:R:wx:s:i:h", longopts, NULL)) != -1) {
        int shared = cli_app_option("run", c, optarg, &o.setup, feeds, 64);
        if (shared < 0)
            return KIOSK_EXIT_USAGE;
        if (shared)
            continue;
        switch (c) {
        case 'R':
            o.setup.runtime = optarg;
            break;
        case 'w':
            o.windowed = true;
            break;
        case 'x':
            if (cli_parse_number(optarg, 0.001, 1e9, &o.exit_after_s)) {
                fprintf(stderr, "kiosk run: --exit-after: expected seconds above 0, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_parse_size_wxh("run", optarg, &o.width, &o.height))
                return KIOSK_EXIT_USAGE;
            break;
        case 'i':
            if (cli_parse_number(optarg, 0.2, 86400, &o.interval_s)) {
                fprintf(stderr, "kiosk run: --interval: expected seconds from 0.2, found \"%s\"\n",
                        optarg);
                return KIOSK_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: kiosk run [--config FILE] [--feed SOURCE]... [--state DIR] "
                   "[--runtime DIR] [--windowed [--size WxH]] [--interval S] "
                   "[--exit-after S]\n");
            return KIOSK_EXIT_OK;
        default:
            return KIOSK_EXIT_USAGE;
        }
    }
    struct kiosk_paths paths;
    if (cli_paths(&paths, &o.setup))
        return KIOSK_EXIT_INPUT;
    self_program = paths.self;
    return kiosk_run(&o) == 0 ? KIOSK_EXIT_OK : KIOSK_EXIT_INPUT;
}
