/* The fleet simulation: N kiosks' polls of one origin, each with the kiosk's own fetch code
 * (kiosk/net/fetch.h: a connection per poll, If-None-Match, the body compared), spread
 * over a pool of threads, not N processes. Each kiosk polls every interval +-10% (the
 * poller's jitter), starting at a random point of its interval, as a fleet in its steady
 * state does. At --publish-at the new week replaces the served file atomically; with
 * --mqtt-port, one `poll` command is then published on kiosk/all/cmd through the broker,
 * and a few subscriber connections hand it to their share of the kiosks, each polling
 * after a random delay up to --spread. Time is compressed: every time given is already
 * divided by the factor the script uses. Prints one line of key=value figures.
 * usage: bench_fleet --url URL --file SERVED --old OLD --new NEW [--kiosks N]
 *        [--threads T] [--interval S] [--publish-at S] [--max S] [--mqtt-port P]
 *        [--spread S] [--subscribers K] */
#define _GNU_SOURCE /* memmem */
#include "net/fetch.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct kiosk {
    _Atomic int64_t due_us; /* the next poll, monotonic microseconds */
    char etag[256];
    bool has_new;
    int64_t got_new_us; /* when it had the new week, after the publish */
};

static struct {
    const char *url, *file, *old_path, *new_path;
    int n, threads, mqtt_port, subscribers;
    double interval, publish_at, max, spread;
    char *new_doc;
    size_t new_len;
    struct kiosk *k;
    int64_t t0, publish_us;
    _Atomic int published;
    _Atomic long requests, ok200, not304, failed, with_new;
    _Atomic long pre_requests; /* before the publish: the steady state */
    _Atomic long long body_bytes;
    _Atomic int stop;
} S = {.n = 3321,
       .threads = 24,
       .interval = 10,
       .publish_at = 10,
       .max = 25,
       .spread = 2,
       .subscribers = 4};

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

static void poll_one(struct kiosk *k, unsigned *seed)
{
    int published = atomic_load(&S.published);
    struct kiosk_fetch_request rq = {.url = S.url,
                                     .etag = k->etag[0] ? k->etag : NULL,
                                     .max_bytes = 16u << 20,
                                     .connect_timeout_s = 10,
                                     .total_timeout_s = 30};
    struct kiosk_fetch_result r;
    int rc = kiosk_fetch(&rq, &r);
    atomic_fetch_add(&S.requests, 1);
    if (!published)
        atomic_fetch_add(&S.pre_requests, 1);
    if (rc != 0) {
        atomic_fetch_add(&S.failed, 1);
    } else if (r.not_modified) {
        atomic_fetch_add(&S.not304, 1);
    } else {
        atomic_fetch_add(&S.ok200, 1);
        atomic_fetch_add(&S.body_bytes, (long long)r.len);
        snprintf(k->etag, sizeof k->etag, "%s", r.etag);
        if (published && !k->has_new && r.len == S.new_len &&
            memcmp(r.body, S.new_doc, r.len) == 0) {
            k->has_new = true;
            k->got_new_us = now_us() - S.publish_us;
            atomic_fetch_add(&S.with_new, 1);
        }
    }
    kiosk_fetch_result_free(&r);
    double wait = S.interval * (0.9 + 0.2 * uniform(seed));
    /* a poll command may have moved it earlier meanwhile: the earlier one wins */
    int64_t next = now_us() + (int64_t)(wait * 1e6), due = atomic_load(&k->due_us);
    while (due <= now_us() && !atomic_compare_exchange_weak(&k->due_us, &due, next))
        ;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    unsigned seed = (unsigned)(id * 7919 + 17);
    while (!atomic_load(&S.stop)) {
        int64_t now = now_us(), next = now + 20000;
        for (int i = (int)id; i < S.n && !atomic_load(&S.stop); i += S.threads) {
            struct kiosk *k = &S.k[i];
            int64_t due = atomic_load(&k->due_us);
            if (due <= now) {
                poll_one(k, &seed);
                now = now_us();
                due = atomic_load(&k->due_us);
            }
            if (due < next)
                next = due;
        }
        now = now_us();
        if (next > now)
            usleep((useconds_t)(next - now > 20000 ? 20000 : next - now));
    }
    return NULL;
}

/* ---- MQTT: a few subscriber connections, each the stand-in for its share of kiosks ---- */

struct sub {
    int index;
    unsigned seed;
    struct mosquitto *m;
    _Atomic int connected;
};

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
    struct sub *s = ctx;
    if (rc == 0 && mosquitto_subscribe(m, NULL, "kiosk/all/cmd", 1) == MOSQ_ERR_SUCCESS)
        atomic_store(&s->connected, 1);
}

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
    (void)m;
    struct sub *s = ctx;
    if (!msg->payload || msg->payloadlen > 4096 ||
        !memmem(msg->payload, (size_t)msg->payloadlen, "\"poll\"", 6))
        return;
    int64_t now = now_us();
    for (int i = s->index; i < S.n; i += S.subscribers) {
        int64_t due = now + (int64_t)(S.spread * uniform(&s->seed) * 1e6);
        int64_t was = atomic_load(&S.k[i].due_us);
        while (due < was && !atomic_compare_exchange_weak(&S.k[i].due_us, &was, due))
            ;
    }
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
    static const struct option opts[] = {{"url", 1, NULL, 'u'},
                                         {"file", 1, NULL, 'f'},
                                         {"old", 1, NULL, 'o'},
                                         {"new", 1, NULL, 'w'},
                                         {"kiosks", 1, NULL, 'n'},
                                         {"threads", 1, NULL, 't'},
                                         {"interval", 1, NULL, 'i'},
                                         {"publish-at", 1, NULL, 'p'},
                                         {"max", 1, NULL, 'm'},
                                         {"mqtt-port", 1, NULL, 'q'},
                                         {"spread", 1, NULL, 's'},
                                         {"subscribers", 1, NULL, 'k'},
                                         {0, 0, 0, 0}};
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
        case 'n':
            S.n = atoi(optarg);
            break;
        case 't':
            S.threads = atoi(optarg);
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
        case 'k':
            S.subscribers = atoi(optarg);
            break;
        default:
            return 2;
        }
    }
    /* bounded: a simulation, not a load test of the machine */
    if (!S.url || !S.file || !S.old_path || !S.new_path || S.n < 1 || S.n > 20000 ||
        S.threads < 1 || S.threads > 128 || S.interval <= 0 || S.max <= S.publish_at ||
        S.max > 600 || S.subscribers < 1 || S.subscribers > 64) {
        fprintf(stderr, "bench_fleet: see the usage at the top of bench/fleet_sim.c\n");
        return 2;
    }
    if (!(S.new_doc = slurp(S.new_path, &S.new_len)) || replace(S.file, S.old_path) != 0) {
        fprintf(stderr, "bench_fleet: cannot read %s or write %s: %s\n", S.new_path, S.file,
                strerror(errno));
        return 1;
    }
    kiosk_fetch_global_init();
    S.k = calloc((size_t)S.n, sizeof *S.k);
    /* the fleet holds last week already, with its validators: a first poll is a 304 */
    struct kiosk_fetch_request rq0 = {.url = S.url, .max_bytes = 16u << 20};
    struct kiosk_fetch_result r0;
    if (kiosk_fetch(&rq0, &r0) != 0) {
        fprintf(stderr, "bench_fleet: %s: %s\n", S.url, r0.error);
        return 1;
    }
    for (int i = 0; i < S.n; i++)
        snprintf(S.k[i].etag, sizeof S.k[i].etag, "%s", r0.etag);
    kiosk_fetch_result_free(&r0);
    unsigned seed = 12345;
    S.t0 = now_us();
    for (int i = 0; i < S.n; i++) /* the steady state: anywhere in their interval */
        atomic_store(&S.k[i].due_us, S.t0 + (int64_t)(S.interval * uniform(&seed) * 1e6));
    struct sub subs[64];
    struct mosquitto *pub = NULL;
    if (S.mqtt_port) {
        mosquitto_lib_init();
        for (int i = 0; i < S.subscribers; i++) {
            char id[64];
            snprintf(id, sizeof id, "fleet-sim-%d", i);
            subs[i] = (struct sub){.index = i, .seed = (unsigned)(i * 31 + 7)};
            subs[i].m = mosquitto_new(id, true, &subs[i]);
            mosquitto_connect_callback_set(subs[i].m, on_connect);
            mosquitto_message_callback_set(subs[i].m, on_message);
            if (mosquitto_connect(subs[i].m, "127.0.0.1", S.mqtt_port, 30) != MOSQ_ERR_SUCCESS ||
                mosquitto_loop_start(subs[i].m) != MOSQ_ERR_SUCCESS) {
                fprintf(stderr, "bench_fleet: cannot reach the broker on port %d\n", S.mqtt_port);
                return 1;
            }
        }
        pub = mosquitto_new("fleet-sim-operator", true, NULL);
        if (mosquitto_connect(pub, "127.0.0.1", S.mqtt_port, 30) != MOSQ_ERR_SUCCESS ||
            mosquitto_loop_start(pub) != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, "bench_fleet: cannot reach the broker on port %d\n", S.mqtt_port);
            return 1;
        }
        for (int i = 0; i < S.subscribers; i++)
            for (int w = 0; w < 500 && !atomic_load(&subs[i].connected); w++)
                usleep(10000);
    }
    pthread_t th[128];
    for (long i = 0; i < S.threads; i++)
        pthread_create(&th[i], NULL, worker, (void *)i);
    usleep((useconds_t)(S.publish_at * 1e6));
    long pre = atomic_load(&S.requests);
    double pre_s = (double)(now_us() - S.t0) / 1e6;
    S.publish_us = now_us();
    if (replace(S.file, S.new_path) != 0) {
        fprintf(stderr, "bench_fleet: cannot replace %s\n", S.file);
        return 1;
    }
    atomic_store(&S.published, 1);
    if (pub) {
        static const char cmd[] = "{\"id\": \"new-week\", \"cmd\": \"poll\"}";
        mosquitto_publish(pub, NULL, "kiosk/all/cmd", (int)sizeof cmd - 1, cmd, 1, false);
    }
    int64_t end = S.t0 + (int64_t)(S.max * 1e6);
    while (now_us() < end && atomic_load(&S.with_new) < S.n)
        usleep(20000);
    double after_s = (double)(now_us() - S.publish_us) / 1e6;
    atomic_store(&S.stop, 1);
    for (long i = 0; i < S.threads; i++)
        pthread_join(th[i], NULL);
    if (pub) {
        for (int i = 0; i < S.subscribers; i++) {
            mosquitto_disconnect(subs[i].m);
            mosquitto_loop_stop(subs[i].m, false);
            mosquitto_destroy(subs[i].m);
        }
        mosquitto_disconnect(pub);
        mosquitto_loop_stop(pub, false);
        mosquitto_destroy(pub);
        mosquitto_lib_cleanup();
    }
    double p50 = -1, p99 = -1, p100 = -1;
    percentile_ms(0.5, &p50);
    percentile_ms(0.99, &p99);
    percentile_ms(1.0, &p100);
    printf("kiosks=%d mqtt=%d steady_s=%.2f steady_requests=%ld after_s=%.2f requests=%ld "
           "ok200=%ld not304=%ld failed=%ld body_bytes=%lld with_new=%ld p50_ms=%.0f "
           "p99_ms=%.0f p100_ms=%.0f\n",
           S.n, S.mqtt_port ? 1 : 0, pre_s, pre, after_s, atomic_load(&S.requests),
           atomic_load(&S.ok200), atomic_load(&S.not304), atomic_load(&S.failed),
           (long long)atomic_load(&S.body_bytes), atomic_load(&S.with_new), p50, p99, p100);
    free(S.k);
    free(S.new_doc);
    return 0;
}
