/* The kiosk's link to its fleet's MQTT broker (libmosquitto, MQTT 5), on a thread of its
 * own: it connects (TLS with the certificate and host name verified), subscribes,
 * announces itself with a retained message and leaves a last will, and after any loss
 * reconnects with exponential backoff (1 s to 5 min) and jitter, so that a province's
 * screens do not all come back in the same second. Nothing here blocks the caller: a
 * publish is queued, and refused when the queue is full or the link down. */
#ifndef KIOSK_NET_MQTT_H
#define KIOSK_NET_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define KIOSK_MQTT_QUEUE_MAX 32                  /* messages sent and not yet acknowledged */
#define KIOSK_MQTT_QUEUE_BYTES (8 * 1024 * 1024) /* their bytes */
/* The broker sends none larger (MQTT 5): board/fleet's max_packet_size, so that whatever
 * the broker takes from an operator reaches the kiosk, and a command too large for it
 * (KIOSK_FLEET_CMD_MAX_BYTES) gets its error reply rather than vanish on the way. */
#define KIOSK_MQTT_MAX_PACKET (2 * 1024 * 1024)

struct kiosk_mqtt_config {
    const char *host;
    int port;
    bool tls;
    const char *ca_file; /* NULL: the system's trust anchors */
    const char *client_cert, *client_key;
    const char *username, *password;
    const char *client_id;
    int keepalive_s;
    const char *will_topic;       /* retained "0" sent by the broker when the kiosk vanishes */
    const char *online_topic;     /* retained "1" at every connection (the will's topic) */
    const char *const *subscribe; /* topics, QoS 1 */
    size_t n_subscribe;
    /* Called on the link's thread for every message on a subscribed topic; retained: one
     * the broker kept from before (not sent now). */
    void (*on_message)(void *ctx, const char *topic, const void *payload, size_t len,
                       bool retained);
    /* Called on the link's thread when the link comes up (connected) or goes. */
    void (*on_link)(void *ctx, bool connected);
    void *ctx;
    FILE *log;
};

struct kiosk_mqtt;

/* Starts the link's thread; 0, or -1 with why (the library refuses the settings). The
 * config's strings are copied. */
int kiosk_mqtt_start(const struct kiosk_mqtt_config *cfg, struct kiosk_mqtt **out, char *why,
                     size_t size);
/* Queues a message (QoS 1); 0, or -1 when the link is down or the queue full (counted in
 * kiosk_mqtt_dropped). Safe from any thread, the link's own callbacks too. */
int kiosk_mqtt_publish(struct kiosk_mqtt *m, const char *topic, const void *payload, size_t len,
                       bool retain);
bool kiosk_mqtt_connected(struct kiosk_mqtt *m);
unsigned long kiosk_mqtt_dropped(struct kiosk_mqtt *m);
/* Says goodbye (the will is sent: the kiosk is offline), stops and joins the thread. A
 * thread stuck in a connection attempt for 5 s is left behind instead; either way, once
 * this returns no callback is called and the ctx may go. */
void kiosk_mqtt_stop(struct kiosk_mqtt *m);

#endif
