/* The fleet simulation: N kiosks' polls of one origin, each a poller of the kiosk's own
 * (kiosk/net/poller.h, raw mode: its schedule of interval +-10%, its ETag and cache, its
 * fetch code, its wake), in one process, not N. Every kiosk starts with last week in its
 * cache (a state folder of its own, on tmpfs) at a random point of the first interval, as
 * a fleet in its steady state polls; at --publish-at the new week replaces the served
 * file atomically. With --mqtt-port one `poll` command is then published on
 * kiosk/all/cmd through the broker to every kiosk's own connection (N subscriptions, one
 * thread driving them all), and each kiosk wakes its poller after a random delay up to
 * --spread, as kiosk run does. A kiosk has the new
 * week when its poller hands out the new document. Time is compressed: every time given
 * is already divided by the factor the script uses. Prints one line of key=value figures
 * (the origin's own counts are the script's, from nginx's log).
 * usage: bench_fleet --url URL --file SERVED --old OLD --new NEW --state DIR [--kiosks N]
 *        [--interval S] [--publish-at S] [--max S] [--mqtt-port P] [--spread S] */
#define _GNU_SOURCE /* memmem */
#include "net/poller.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mosquitto.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct kiosk {
    char state[512];
    struct kiosk_poll_source src;
    struct kiosk_poller_config cfg;
    struct kiosk_poller *p;
    int64_t start_us;        /* when it is switched on: its phase in the interval */
    _Atomic int64_t wake_us; /* a poll command's delay: when its poller is woken, or 0 */
    uint64_t serial;         /* the document it has */
    bool has_new;
    int64_t got_new_us; /* when it had the new week, after the publish */
};

static struct {
    const char *url, *file, *old_path, *new_path, *state;
    int n, mqtt_port;
    double interval, publish_at, max, spread;
    char *new_doc;
    size_t new_len;
    struct kiosk *k;
    int64_t t0, publish_us;
    _Atomic int published;
    long with_new;
    FILE *quiet; /* the pollers' log lines: a simulation says only its figures */
} S = {.n = 3321, .interval = 10, .publish_at = 25, .max = 45, .spread = 2};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double uniform(unsigned *seed)
{
    return (double)rand_r(seed) / RAND_MAX;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Replaces the served file at once: a temporary file beside it, renamed over it. */
static int replace(const char *path, const char *with)
{
    size_t len;
    char *doc = slurp(with, &len), tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = doc ? fopen(tmp, "wb") : NULL;
    int rc = f && fwrite(doc, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(doc);
    return rc == 0 ? rename(tmp, path) : -1;
}

/* A kiosk's poller, switched on: its state folder, its one source, every S.interval. */
static int switch_on(struct kiosk *k)
{
    k->src = (struct kiosk_poll_source){
        .name = "feed", .url = S.url, .interval_s = 300, .timeout_s = 30};
    k->cfg = (struct kiosk_poller_config){.sources = &k->src,
                                          .n_sources = 1,
                                          .state_dir = k->state,
                                          .max_bytes = 16u << 20,
                                          .interval_override_s = S.interval,
                                          .log = S.quiet,
                                          .raw = true};
    return kiosk_poller_start(&k->cfg, &k->p);
}

/* Whether the kiosk's poller hands out a document it did not have, and it is the new
 * week's. */
static void look(struct kiosk *k)
{
    char *bytes = NULL;
    size_t len = 0;
    int64_t at;
    uint64_t serial;
    if (kiosk_poller_document(k->p, 0, k->serial, &bytes, &len, &at, &serial) != 1)
        return;
    k->serial = serial;
    if (atomic_load(&S.published) && !k->has_new && len == S.new_len &&
        memcmp(bytes, S.new_doc, len) == 0) {
        k->has_new = true;
        k->got_new_us = now_us() - S.publish_us;
        S.with_new++;
    }
    free(bytes);
}

/* Copies a file (the first kiosk's cache into another's state folder). */
static int copy_file(const char *from, const char *to)
{
    size_t len;
    char *doc = slurp(from, &len);
    FILE *f = doc ? fopen(to, "wb") : NULL;
    int rc = f && fwrite(doc, 1, len, f) == len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    free(doc);
    return rc;
}

/* ---- MQTT: every kiosk's own connection, subscribed to kiosk/all/cmd; one thread drives
 * them all (poll over their sockets: a thread each would be N more) ---- */

struct sub {
    int index; /* its kiosk */
    unsigned seed;
    struct mosquitto *m;
    bool subscribed;
};

static struct {
    struct sub *subs;
    struct pollfd *fds;
    pthread_t thread;
    _Atomic int stop, subscribed, lost, got;
    _Atomic int64_t last_got_us; /* when the last kiosk had the command */
} M;

static void on_subscribe(struct mosquitto *m, void *ctx, int mid, int n, const int *granted)
{
    (void)m;
    (void)mid;
    struct sub *s = ctx;
    if (n == 1 && granted[0] <= 2 && !s->subscribed) {
        s->subscribed = true;
        atomic_fetch_add(&M.subscribed, 1);
    }
}

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
    (void)ctx;
    if (rc == 0)
        mosquitto_subscribe(m, NULL, "kiosk/all/cmd", 1);
}

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
    (void)m;
    struct sub *s = ctx;
    if (!msg->payload || msg->payloadlen > 4096 ||
        !memmem(msg->payload, (size_t)msg->payloadlen, "\"poll\"", 6))
        return;
    atomic_fetch_add(&M.got, 1);
    atomic_store(&M.last_got_us, now_us()); /* one thread: the latest is the last */
    /* after its random delay up to the spread, as kiosk run's poll_at */
    atomic_store(&S.k[s->index].wake_us,
                 now_us() + 1 + (int64_t)(S.spread * uniform(&s->seed) * 1e6));
}

/* Reads, writes and keeps alive every connection until told to stop. */
static void *drive(void *unused)
{
    (void)unused;
    int64_t misc_at = 0;
    while (!atomic_load(&M.stop)) {
        for (int i = 0; i < S.n; i++) {
            M.fds[i].fd = mosquitto_socket(M.subs[i].m);
            M.fds[i].events = POLLIN | (mosquitto_want_write(M.subs[i].m) ? POLLOUT : 0);
            M.fds[i].revents = 0;
        }
        if (poll(M.fds, (nfds_t)S.n, 100) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < S.n; i++) {
            struct mosquitto *m = M.subs[i].m;
            int rc = MOSQ_ERR_SUCCESS;
            if (M.fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                rc = mosquitto_loop_read(m, 1);
            if (rc == MOSQ_ERR_SUCCESS && (M.fds[i].revents & POLLOUT))
                rc = mosquitto_loop_write(m, 1);
            if (rc != MOSQ_ERR_SUCCESS && M.fds[i].fd >= 0 && mosquitto_socket(m) < 0)
                atomic_fetch_add(&M.lost, 1); /* said in the figures, not reconnected */
        }
        if (now_us() >= misc_at) {
            for (int i = 0; i < S.n; i++)
                mosquitto_loop_misc(M.subs[i].m);
            misc_at = now_us() + 1000000;
        }
    }
    return NULL;
}

/* Every kiosk connected and subscribed, then the thread that drives them. */
static int connect_fleet(void)
{
    M.subs = calloc((size_t)S.n, sizeof *M.subs);
    M.fds = calloc((size_t)S.n, sizeof *M.fds);
    if (!M.subs || !M.fds)
        return -1;
    for (int i = 0; i < S.n; i++) {
        char id[64];
        snprintf(id, sizeof id, "fleet-sim-%04d", i);
        M.subs[i] = (struct sub){.index = i, .seed = (unsigned)(i * 31 + 7)};
        M.subs[i].m = mosquitto_new(id, true, &M.subs[i]);
        if (!M.subs[i].m)
            return -1;
        mosquitto_connect_callback_set(M.subs[i].m, on_connect);
        mosquitto_subscribe_callback_set(M.subs[i].m, on_subscribe);
        mosquitto_message_callback_set(M.subs[i].m, on_message);
        if (mosquitto_connect(M.subs[i].m, "127.0.0.1", S.mqtt_port, 60) != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "bench_fleet: connection %d of %d to the broker on port %d: %s\n",
                    i + 1, S.n, S.mqtt_port, strerror(errno));
            return -1;
        }
    }
    if (pthread_create(&M.thread, NULL, drive, NULL) != 0)
        return -1;
    for (int w = 0; w < 3000 && atomic_load(&M.subscribed) < S.n; w++)
        usleep(10000);
    if (atomic_load(&M.subscribed) < S.n) {
        fprintf(stderr, "bench_fleet: %d of %d kiosks subscribed to the broker in 30 s\n",
                atomic_load(&M.subscribed), S.n);
        return -1;
    }
    return 0;
}

static void disconnect_fleet(void)
{
    atomic_store(&M.stop, 1);
    pthread_join(M.thread, NULL);
    for (int i = 0; i < S.n; i++) {
        mosquitto_disconnect(M.subs[i].m);
        mosquitto_destroy(M.subs[i].m);
    }
    free(M.subs);
    free(M.fds);
}

static int percentile_ms(double p, double *out)
{
    int64_t *t = malloc((size_t)S.n * sizeof *t);
    int m = 0;
    for (int i = 0; i < S.n; i++)
        if (S.k[i].has_new)
            t[m++] = S.k[i].got_new_us;
    int need = (int)ceil(p * S.n);
    if (m < need || need == 0) {
        free(t);
        return -1;
    }
    for (int i = 1; i < m; i++) /* insertion sort: at most a few thousand */
        for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
            int64_t x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
    *out = (double)t[need - 1] / 1000;
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"url", 1, NULL, 'u'},       {"file", 1, NULL, 'f'},       {"old", 1, NULL, 'o'},
        {"new", 1, NULL, 'w'},       {"state", 1, NULL, 'd'},      {"kiosks", 1, NULL, 'n'},
        {"interval", 1, NULL, 'i'},  {"publish-at", 1, NULL, 'p'}, {"max", 1, NULL, 'm'},
        {"mqtt-port", 1, NULL, 'q'}, {"spread", 1, NULL, 's'},     {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            S.url = optarg;
            break;
        case 'f':
            S.file = optarg;
            break;
        case 'o':
            S.old_path = optarg;
            break;
        case 'w':
            S.new_path = optarg;
            break;
        case 'd':
            S.state = optarg;
            break;
        case 'n':
            S.n = atoi(optarg);
            break;
        case 'i':
            S.interval = atof(optarg);
            break;
        case 'p':
            S.publish_at = atof(optarg);
            break;
        case 'm':
            S.max = atof(optarg);
            break;
        case 'q':
            S.mqtt_port = atoi(optarg);
            break;
        case 's':
            S.spread = atof(optarg);
            break;
        default:
            return 2;
        }
    }
    /* bounded: a simulation, not a load test of the machine (a thread a kiosk) */
    if (!S.url || !S.file || !S.old_path || !S.new_path || !S.state || S.n < 1 || S.n > 5000 ||
        S.interval <= 0 || S.publish_at <= S.interval || S.max <= S.publish_at || S.max > 600) {
        fprintf(stderr, "bench_fleet: see the usage at the top of bench/fleet_sim.c\n");
        return 2;
    }
    if (!(S.new_doc = slurp(S.new_path, &S.new_len)) || replace(S.file, S.old_path) != 0) {
        fprintf(stderr, "bench_fleet: cannot read %s or write %s: %s\n", S.new_path, S.file,
                strerror(errno));
        return 1;
    }
    S.quiet = fopen("/dev/null", "w");
    S.k = calloc((size_t)S.n, sizeof *S.k);
    if (!S.quiet || !S.k)
        return 1;
    /* the fleet holds last week already, with its validators: the first kiosk fetches it
     * into its cache, the others start from a copy of that cache */
    for (int i = 0; i < S.n; i++)
        snprintf(S.k[i].state, sizeof S.k[i].state, "%s/k%04d", S.state, i);
    if (switch_on(&S.k[0]) != 0)
        return 1;
    for (int w = 0; w < 1000 && !S.k[0].serial; w++) {
        look(&S.k[0]);
        usleep(10000);
    }
    kiosk_poller_stop(S.k[0].p);
    S.k[0].p = NULL;
    char from[600], to[600];
    for (int i = 1; i < S.n; i++) {
        snprintf(to, sizeof to, "%s/cache", S.k[i].state);
        if (mkdir(S.k[i].state, 0755) || mkdir(to, 0755))
            return 1;
        for (int e = 0; e < 2; e++) {
            const char *ext = e ? "meta" : "body";
            snprintf(from, sizeof from, "%s/cache/feed.%s", S.k[0].state, ext);
            snprintf(to, sizeof to, "%s/cache/feed.%s", S.k[i].state, ext);
            if (copy_file(from, to) != 0) {
                fprintf(stderr, "bench_fleet: the first kiosk cached nothing from %s\n", S.url);
                return 1;
            }
        }
    }
    unsigned seed = 12345;
    S.t0 = now_us();
    for (int i = 0; i < S.n; i++) /* the steady state: anywhere in their interval */
        S.k[i].start_us = S.t0 + (int64_t)(S.interval * uniform(&seed) * 1e6);
    struct mosquitto *pub = NULL;
    if (S.mqtt_port) {
        mosquitto_lib_init();
        /* the operator first: libmosquitto's own loop selects on its socket, whose number
         * must stay below FD_SETSIZE (after the fleet's it would be past 3,000) */
        pub = mosquitto_new("fleet-sim-operator", true, NULL);
        if (mosquitto_connect(pub, "127.0.0.1", S.mqtt_port, 30) != MOSQ_ERR_SUCCESS ||
            mosquitto_loop_start(pub) != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "bench_fleet: cannot reach the broker on port %d\n", S.mqtt_port);
            return 1;
        }
        if (connect_fleet() != 0)
            return 1;
    }
    /* the run: kiosks switched on in their turn, the new week at publish_at, each kiosk
     * looked at every 20 ms (the screen's taking of a new document) and woken when its
     * poll command's delay is over */
    int64_t publish = S.t0 + (int64_t)(S.publish_at * 1e6), end = S.t0 + (int64_t)(S.max * 1e6);
    long started = 0, failed_start = 0;
    struct timespec wall = {0};
    while (now_us() < end && S.with_new < S.n) {
        int64_t now = now_us();
        if (!atomic_load(&S.published) && now >= publish) {
            S.publish_us = now;
            clock_gettime(CLOCK_REALTIME, &wall);
            if (replace(S.file, S.new_path) != 0) {
                fprintf(stderr, "bench_fleet: cannot replace %s\n", S.file);
                return 1;
            }
            atomic_store(&S.published, 1);
            if (pub) {
                static const char cmd[] = "{\"id\": \"new-week\", \"cmd\": \"poll\"}";
                int rc = mosquitto_publish(pub, NULL, "kiosk/all/cmd", (int)sizeof cmd - 1, cmd, 1,
                                           false);
                if (rc != MOSQ_ERR_SUCCESS)
                    fprintf(stderr, "bench_fleet: the poll command not sent: %s\n",
                            mosquitto_strerror(rc));
            }
        }
        for (int i = 0; i < S.n; i++) {
            struct kiosk *k = &S.k[i];
            if (!k->p && k->start_us <= now) {
                started++;
                if (switch_on(k) != 0) {
                    failed_start++;
                    k->start_us = INT64_MAX; /* not tried again */
                }
            }
            if (!k->p)
                continue;
            int64_t wake = atomic_load(&k->wake_us);
            if (wake && wake <= now && atomic_compare_exchange_strong(&k->wake_us, &wake, 0))
                kiosk_poller_wake(k->p);
            look(k);
        }
        usleep(20000);
    }
    double after_s = (double)(now_us() - S.publish_us) / 1e6;
    /* the failed polls, from the pollers' own status */
    long failed = 0;
    for (int i = 0; i < S.n; i++) {
        struct kiosk_source_status st;
        if (S.k[i].p && kiosk_poller_status(S.k[i].p, &st, 1) == 1)
            for (int r = 0; r < KIOSK_POLL_REASONS; r++)
                failed += (long)st.failed_by[r];
    }
    for (int i = 0; i < S.n; i++)
        if (S.k[i].p)
            kiosk_poller_stop(S.k[i].p);
    int lost = atomic_load(&M.lost);
    if (pub) {
        disconnect_fleet();
        mosquitto_disconnect(pub);
        mosquitto_loop_stop(pub, false);
        mosquitto_destroy(pub);
        mosquitto_lib_cleanup();
    }
    double p50 = -1, p99 = -1, p100 = -1;
    percentile_ms(0.5, &p50);
    percentile_ms(0.99, &p99);
    percentile_ms(1.0, &p100);
    int64_t last_got = atomic_load(&M.last_got_us);
    printf("kiosks=%d mqtt=%d mqtt_links=%d mqtt_lost=%d mqtt_got=%d mqtt_last_ms=%.1f started=%ld "
           "failed_start=%ld "
           "publish_unix=%.3f after_s=%.2f failed=%ld with_new=%ld p50_ms=%.0f p99_ms=%.0f "
           "p100_ms=%.0f\n",
           S.n, S.mqtt_port ? 1 : 0, S.mqtt_port ? S.n : 0, lost, atomic_load(&M.got),
           last_got ? (double)(last_got - S.publish_us) / 1000 : -1.0, started, failed_start,
           (double)wall.tv_sec + wall.tv_nsec / 1e9, after_s, failed, S.with_new, p50, p99, p100);
    free(S.k);
    free(S.new_doc);
    fclose(S.quiet);
    return 0;
}
