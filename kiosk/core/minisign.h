/* minisign's signatures (Ed25519, https://jedisct1.github.io/minisign/): the public keys
 * an operator trusts and the signature files `minisign -S` writes, read and checked with
 * libsodium. Both signature kinds are read: "Ed" (over the document) and "ED" (over its
 * BLAKE2b-512 hash, minisign's default since 0.10), and the global signature over the
 * signature and the trusted comment must hold too, so the trusted comment cannot be
 * changed either. Every parse is bounded and says in one line what was wrong. */
#ifndef KIOSK_CORE_MINISIGN_H
#define KIOSK_CORE_MINISIGN_H

#include <stddef.h>

#define KIOSK_MINISIGN_MAX_KEYS 32
#define KIOSK_MINISIGN_MAX_TEXT 8192 /* a signature or key file larger than this is refused */

struct kiosk_minisign_key {
    unsigned char id[8];
    unsigned char pk[32];
};

struct kiosk_minisign_keys {
    struct kiosk_minisign_key k[KIOSK_MINISIGN_MAX_KEYS];
    size_t n;
};

struct kiosk_minisig {
    unsigned char alg[2]; /* "Ed" or "ED" */
    unsigned char id[8];
    unsigned char sig[64];
    char trusted_comment[1024]; /* without its "trusted comment: " prefix */
    unsigned char global_sig[64];
};

enum kiosk_minisign_result {
    KIOSK_MINISIGN_OK = 0,
    KIOSK_MINISIGN_MALFORMED = -1, /* not a minisign signature (or key) file */
    KIOSK_MINISIGN_UNTRUSTED = -2, /* signed by a key not among the trusted ones */
    KIOSK_MINISIGN_BAD = -3,       /* the signature does not hold: the document was changed */
};

/* The key id as minisign prints it ("8402D6EFBC92ECF6"); buf holds at least 17 bytes. */
void kiosk_minisign_id_text(const unsigned char id[8], char *buf);

/* Reads public keys: each a base64 line as minisign writes it ("RW..."), with its
 * "untrusted comment:" line or not; blank lines and # comments are skipped. 0 with at
 * least one key, or KIOSK_MINISIGN_MALFORMED with the line and what was wrong in why. */
int kiosk_minisign_keys_parse(const char *text, size_t len, struct kiosk_minisign_keys *out,
                              char *why, size_t size);
/* The same from a file (at most KIOSK_MINISIGN_MAX_TEXT bytes); the file is named in why. */
int kiosk_minisign_keys_load(const char *path, struct kiosk_minisign_keys *out, char *why,
                             size_t size);

/* Reads a signature file: untrusted comment, signature, trusted comment, global
 * signature. 0, or KIOSK_MINISIGN_MALFORMED with why. */
int kiosk_minisign_sig_parse(const char *text, size_t len, struct kiosk_minisig *out, char *why,
                             size_t size);

/* Whether msg carries a valid signature (sigtext, a signature file's bytes) by one of the
 * keys; on success the trusted comment is copied to comment (may be NULL). A
 * kiosk_minisign_result, with why for a technician. */
int kiosk_minisign_verify(const struct kiosk_minisign_keys *keys, const void *msg, size_t len,
                          const char *sigtext, size_t siglen, char *comment, size_t comment_size,
                          char *why, size_t size);

#endif
