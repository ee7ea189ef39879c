#include "mqtt.h"

#include "core/seed.h"

#include <errno.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_MIN_S 1.0
#define BACKOFF_MAX_S 300.0

struct inflight {
    int mid;
    size_t len;
};

struct kiosk_mqtt {
    struct kiosk_mqtt_config cfg;
    char *strings[12]; /* the config's copies */
    char **subscribe;
    struct mosquitto *mosq;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stop, connected, started, exited;
    bool left_behind;  /* stopped while connecting: the thread frees it when it ends */
    int *sub_mid;      /* each subscription's message id, for the broker's answer */
    bool refusal_said; /* a message the broker refused, said once a connection */
    struct inflight inflight[KIOSK_MQTT_QUEUE_MAX];
    size_t n_inflight, bytes;
    unsigned long dropped;
    unsigned int seed;
};

static void say(struct kiosk_mqtt *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct kiosk_mqtt *m, const char *fmt, ...)
{
    if (!m->cfg.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("fleet: ", m->cfg.log);
    vfprintf(m->cfg.log, fmt, ap);
    fputc('\n', m->cfg.log);
    va_end(ap);
}

/* Whether the caller has stopped the link: from then on nothing of the caller's is touched,
 * its callbacks, its ctx, its log (a thread left behind in a connection attempt may
 * connect after they are gone). */
static bool stopped(struct kiosk_mqtt *m)
{
    pthread_mutex_lock(&m->mu);
    bool stop = m->stop;
    pthread_mutex_unlock(&m->mu);
    return stop;
}

static const char *keep(struct kiosk_mqtt *m, size_t i, const char *s)
{
    return s ? (m->strings[i] = strdup(s)) : NULL;
}

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct kiosk_mqtt *m = obj;
    if (stopped(m))
        return;
    if (rc != 0) {
        say(m, "the broker %s:%d refused the connection: %s", m->cfg.host, m->cfg.port,
            mosquitto_reason_string(rc));
        return;
    }
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->cfg.n_subscribe; i++)
        if (mosquitto_subscribe(mosq, &m->sub_mid[i], m->subscribe[i], 1) != MOSQ_ERR_SUCCESS)
            m->sub_mid[i] = -1;
    m->connected = true;
    m->refusal_said = false;
    /* what was sent and not acknowledged stays counted: libmosquitto keeps it across the
     * reconnection and sends it again, its acknowledgement counts it out */
    pthread_mutex_unlock(&m->mu);
    if (m->cfg.online_topic)
        mosquitto_publish(mosq, NULL, m->cfg.online_topic, 1, "1", 1, true);
    say(m, "connected to %s:%d as %s", m->cfg.host, m->cfg.port, m->cfg.client_id);
    if (m->cfg.on_link)
        m->cfg.on_link(m->cfg.ctx, true);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
    (void)mosq;
    struct kiosk_mqtt *m = obj;
    pthread_mutex_lock(&m->mu);
    bool was = m->connected;
    m->connected = false;
    pthread_mutex_unlock(&m->mu);
    if (was && !stopped(m)) {
        if (rc)
            say(m, "lost the broker: %s", mosquitto_strerror(rc));
        if (m->cfg.on_link)
            m->cfg.on_link(m->cfg.ctx, false);
    }
}

/* The broker's answer to a subscription: a refusal (its ACL) is said, as the commands on
 * that topic will never come. */
static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *granted)
{
    (void)mosq;
    struct kiosk_mqtt *m = obj;
    if (n != 1 || granted[0] < 0x80 || stopped(m))
        return;
    const char *topic = NULL;
    pthread_mutex_lock(&m->mu);
    for (size_t i = 0; i < m->cfg.n_subscribe && !topic; i++)
        if (m->sub_mid[i] == mid)
            topic = m->subscribe[i];
    pthread_mutex_unlock(&m->mu);
    say(m,
        "the broker refused the subscription to %s: %s (no command sent there will come; "
        "board/fleet's ACL wants the user name to be the kiosk's id)",
        topic ? topic : "a topic", mosquitto_reason_string(granted[0]));
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid, int reason,
                       const mosquitto_property *props)
{
    (void)mosq;
    (void)props;
    struct kiosk_mqtt *m = obj;
    pthread_mutex_lock(&m->mu);
    bool say_it = reason >= 0x80 && !m->refusal_said && !m->stop;
    m->refusal_said |= say_it;
    for (size_t i = 0; i < m->n_inflight; i++)
        if (m->inflight[i].mid == mid) {
            m->bytes -= m->inflight[i].len;
            m->inflight[i] = m->inflight[--m->n_inflight];
            break;
        }
    pthread_mutex_unlock(&m->mu);
    if (say_it) /* once a connection: a kiosk publishes often */
        say(m,
            "the broker refused a message: %s (board/fleet's ACL lets a kiosk publish only "
            "under kiosk/<its user name>/: the user name must be the kiosk's id)",
            mosquitto_reason_string(reason));
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
    (void)mosq;
    struct kiosk_mqtt *m = obj;
    if (m->cfg.on_message && msg->topic && !stopped(m))
        m->cfg.on_message(m->cfg.ctx, msg->topic, msg->payload,
                          msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0, msg->retain);
}

/* Waits s seconds, or less when stopped; returns whether stopped. Called with mu held. */
static bool wait_s(struct kiosk_mqtt *m, double s)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)s;
    until.tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!m->stop && pthread_cond_timedwait(&m->cond, &m->mu, &until) != ETIMEDOUT)
        ;
    return m->stop;
}

static int connect_once(struct kiosk_mqtt *m)
{
    mosquitto_property *props = NULL;
    mosquitto_property_add_int32(&props, MQTT_PROP_MAXIMUM_PACKET_SIZE, KIOSK_MQTT_MAX_PACKET);
    int rc = mosquitto_connect_bind_v5(m->mosq, m->cfg.host, m->cfg.port, m->cfg.keepalive_s, NULL,
                                       props);
    mosquitto_property_free_all(&props);
    return rc;
}

/* What the link holds, freed (by its owner, or by a thread left behind as it ends: that
 * one leaves the library as it is, which a new link may be using by then). */
static void link_free(struct kiosk_mqtt *m, bool lib_cleanup)
{
    if (m->mosq)
        mosquitto_destroy(m->mosq);
    if (lib_cleanup)
        mosquitto_lib_cleanup();
    pthread_mutex_destroy(&m->mu);
    pthread_cond_destroy(&m->cond);
    if (m->strings[5]) /* the password */
        memset(m->strings[5], 0, strlen(m->strings[5]));
    for (size_t i = 0; i < sizeof m->strings / sizeof *m->strings; i++)
        free(m->strings[i]);
    for (size_t i = 0; m->subscribe && i < m->cfg.n_subscribe; i++)
        free(m->subscribe[i]);
    free(m->subscribe);
    free(m->sub_mid);
    free(m);
}

static void *link_main(void *arg)
{
    struct kiosk_mqtt *m = arg;
    double backoff = BACKOFF_MIN_S;
    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        pthread_mutex_unlock(&m->mu);
        int rc = connect_once(m);
        if (rc != MOSQ_ERR_SUCCESS && !stopped(m))
            say(m, "cannot reach the broker %s:%d: %s", m->cfg.host, m->cfg.port,
                rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
        bool was_up = false, reached = rc == MOSQ_ERR_SUCCESS;
        while (rc == MOSQ_ERR_SUCCESS) {
            rc = mosquitto_loop(m->mosq, 1000, 1);
            pthread_mutex_lock(&m->mu);
            bool stop = m->stop;
            was_up |= m->connected;
            pthread_mutex_unlock(&m->mu);
            if (stop && rc == MOSQ_ERR_SUCCESS) {
                /* goodbye with the will: the broker says "0" on the online topic now */
                mosquitto_disconnect_v5(m->mosq, MQTT_RC_DISCONNECT_WITH_WILL_MSG, NULL);
                for (int i = 0; i < 10 && mosquitto_loop(m->mosq, 100, 1) == MOSQ_ERR_SUCCESS; i++)
                    ;
                break;
            }
        }
        if (reached && rc != MOSQ_ERR_SUCCESS && !was_up && !stopped(m))
            say(m, "cannot connect to the broker %s:%d: %s%s", m->cfg.host, m->cfg.port,
                rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc),
                rc == MOSQ_ERR_TLS ? " (no answer, or a certificate not from ca_file or not for "
                                     "this host name)"
                                   : "");
        pthread_mutex_lock(&m->mu);
        if (m->stop)
            break;
        /* after a connection that worked, start again from the shortest wait */
        if (was_up)
            backoff = BACKOFF_MIN_S;
        double jittered = backoff * (0.5 + (double)rand_r(&m->seed) / RAND_MAX);
        backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
        if (wait_s(m, jittered))
            break;
    }
    m->exited = true;
    bool orphan = m->left_behind;
    pthread_cond_broadcast(&m->cond);
    pthread_mutex_unlock(&m->mu);
    if (orphan)
        link_free(m, false);
    return NULL;
}

int kiosk_mqtt_start(const struct kiosk_mqtt_config *cfg, struct kiosk_mqtt **out, char *why,
                     size_t size)
{
    *out = NULL;
    struct kiosk_mqtt *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    m->cfg = *cfg;
    m->cfg.host = keep(m, 0, cfg->host);
    m->cfg.ca_file = keep(m, 1, cfg->ca_file);
    m->cfg.client_cert = keep(m, 2, cfg->client_cert);
    m->cfg.client_key = keep(m, 3, cfg->client_key);
    m->cfg.username = keep(m, 4, cfg->username);
    m->cfg.password = keep(m, 5, cfg->password);
    m->cfg.client_id = keep(m, 6, cfg->client_id);
    m->cfg.will_topic = keep(m, 7, cfg->will_topic);
    m->cfg.online_topic = keep(m, 8, cfg->online_topic);
    m->subscribe = calloc(cfg->n_subscribe + 1, sizeof *m->subscribe);
    m->sub_mid = calloc(cfg->n_subscribe + 1, sizeof *m->sub_mid);
    bool copied = m->subscribe != NULL && m->sub_mid != NULL;
    for (size_t i = 0; m->subscribe && i < cfg->n_subscribe; i++)
        copied &= (m->subscribe[i] = strdup(cfg->subscribe[i])) != NULL;
    const char *const given[] = {cfg->host,       cfg->ca_file,    cfg->client_cert,
                                 cfg->client_key, cfg->username,   cfg->password,
                                 cfg->client_id,  cfg->will_topic, cfg->online_topic};
    for (size_t i = 0; i < sizeof given / sizeof *given; i++)
        copied &= !given[i] || m->strings[i];
    m->seed = kiosk_random_seed();
    pthread_mutex_init(&m->mu, NULL);
    pthread_condattr_t ca; /* waits on the monotonic clock: the wall clock jumps at boot */
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->cond, &ca);
    pthread_condattr_destroy(&ca);
    mosquitto_lib_init();
    m->mosq = mosquitto_new(m->cfg.client_id, true, m);
    int rc = m->mosq && copied ? MOSQ_ERR_SUCCESS : MOSQ_ERR_NOMEM;
    if (!rc)
        rc = mosquitto_int_option(m->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
    if (!rc)
        rc = mosquitto_threaded_set(m->mosq, true);
    if (!rc && m->cfg.username)
        rc = mosquitto_username_pw_set(m->mosq, m->cfg.username, m->cfg.password);
    if (!rc && m->cfg.tls) {
        /* the chain and the host name are checked, always */
        rc = mosquitto_tls_set(m->mosq, m->cfg.ca_file, m->cfg.ca_file ? NULL : "/etc/ssl/certs",
                               m->cfg.client_cert, m->cfg.client_key, NULL);
        if (!rc)
            rc = mosquitto_tls_opts_set(m->mosq, 1, NULL, NULL);
        if (!rc)
            rc = mosquitto_tls_insecure_set(m->mosq, false);
    }
    if (!rc && m->cfg.will_topic)
        rc = mosquitto_will_set(m->mosq, m->cfg.will_topic, 1, "0", 1, true);
    if (rc) {
        snprintf(why, size, "%s", mosquitto_strerror(rc));
        kiosk_mqtt_stop(m);
        return -1;
    }
    mosquitto_connect_callback_set(m->mosq, on_connect);
    mosquitto_disconnect_callback_set(m->mosq, on_disconnect);
    mosquitto_publish_v5_callback_set(m->mosq, on_publish);
    mosquitto_subscribe_callback_set(m->mosq, on_subscribe);
    mosquitto_message_callback_set(m->mosq, on_message);
    m->started = pthread_create(&m->thread, NULL, link_main, m) == 0;
    if (!m->started) {
        snprintf(why, size, "cannot start a thread");
        kiosk_mqtt_stop(m);
        return -1;
    }
    *out = m;
    return 0;
}

int kiosk_mqtt_publish(struct kiosk_mqtt *m, const char *topic, const void *payload, size_t len,
                       bool retain)
{
    if (!m)
        return -1;
    pthread_mutex_lock(&m->mu);
    int rc = -1;
    if (m->connected && m->n_inflight < KIOSK_MQTT_QUEUE_MAX &&
        m->bytes + len <= KIOSK_MQTT_QUEUE_BYTES) {
        int mid = 0;
        if (mosquitto_publish(m->mosq, &mid, topic, (int)len, payload, 1, retain) ==
            MOSQ_ERR_SUCCESS) {
            m->inflight[m->n_inflight++] = (struct inflight){mid, len};
            m->bytes += len;
            rc = 0;
        }
    }
    if (rc)
        m->dropped++;
    pthread_mutex_unlock(&m->mu);
    return rc;
}

bool kiosk_mqtt_connected(struct kiosk_mqtt *m)
{
    if (!m)
        return false;
    pthread_mutex_lock(&m->mu);
    bool up = m->connected;
    pthread_mutex_unlock(&m->mu);
    return up;
}

unsigned long kiosk_mqtt_dropped(struct kiosk_mqtt *m)
{
    pthread_mutex_lock(&m->mu);
    unsigned long n = m->dropped;
    pthread_mutex_unlock(&m->mu);
    return n;
}

void kiosk_mqtt_stop(struct kiosk_mqtt *m)
{
    if (!m)
        return;
    if (m->started) {
        /* the thread ends within a second, unless it is inside a connection attempt to an
         * address that does not answer (TCP gives up only after minutes): then it is left
         * behind, with what it uses, rather than hold up the kiosk's stop; stopped, it
         * calls none of the caller's callbacks even if that attempt then succeeds */
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 5;
        pthread_mutex_lock(&m->mu);
        m->stop = true;
        pthread_cond_broadcast(&m->cond);
        while (!m->exited && pthread_cond_timedwait(&m->cond, &m->mu, &until) != ETIMEDOUT)
            ;
        bool exited = m->exited;
        if (!exited) { /* said and let go under the lock: the thread ends, and frees m, after */
            say(m, "the link is still trying to connect: left behind");
            pthread_detach(m->thread);
            m->left_behind = true;
            pthread_mutex_unlock(&m->mu);
            return;
        }
        pthread_mutex_unlock(&m->mu);
        pthread_join(m->thread, NULL);
    }
    link_free(m, true);
}
