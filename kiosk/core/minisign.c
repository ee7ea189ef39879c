#include "minisign.h"

#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define UNTRUSTED "untrusted comment: "
#define TRUSTED "trusted comment: "

void kiosk_minisign_id_text(const unsigned char id[8], char *buf)
{
    /* minisign prints the id as a little-endian 64-bit number */
    for (int i = 0; i < 8; i++)
        snprintf(buf + 2 * i, 3, "%02X", id[7 - i]);
}

/* The next line of text from *pos: its start and length without the line end; false at the
 * end. */
static bool next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return false;
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t l = nl ? (size_t)(nl - start) : len - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l && start[l - 1] == '\r')
        l--;
    *line = start;
    *n = l;
    return true;
}

static bool starts(const char *line, size_t n, const char *prefix)
{
    size_t m = strlen(prefix);
    return n >= m && memcmp(line, prefix, m) == 0;
}

/* Decodes one base64 line into exactly want bytes; false when it is not that. */
static bool decode(const char *line, size_t n, unsigned char *out, size_t want)
{
    size_t got = 0;
    const char *end = NULL;
    if (n == 0 || n > 256)
        return false;
    if (sodium_base642bin(out, want, line, n, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL) !=
        0)
        return false;
    return got == want && end == line + n;
}

static bool init(void)
{
    return sodium_init() >= 0;
}

int kiosk_minisign_keys_parse(const char *text, size_t len, struct kiosk_minisign_keys *out,
                              char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0, n;
    const char *line;
    int no = 0;
    if (!init()) {
        snprintf(why, size, "cannot start libsodium");
        return KIOSK_MINISIGN_MALFORMED;
    }
    if (len > KIOSK_MINISIGN_MAX_TEXT) {
        snprintf(why, size, "expected at most %d bytes of public keys, found %zu",
                 KIOSK_MINISIGN_MAX_TEXT, len);
        return KIOSK_MINISIGN_MALFORMED;
    }
    while (next_line(text, len, &pos, &line, &n)) {
        no++;
        if (n == 0 || line[0] == '#' || starts(line, n, UNTRUSTED))
            continue;
        unsigned char raw[42];
        if (!decode(line, n, raw, sizeof raw) || raw[0] != 'E' || raw[1] != 'd') {
            snprintf(why, size,
                     "line %d: expected a minisign public key (a base64 line starting RW), found "
                     "\"%.*s\"",
                     no, (int)(n > 60 ? 60 : n), line);
            return KIOSK_MINISIGN_MALFORMED;
        }
        if (out->n == KIOSK_MINISIGN_MAX_KEYS) {
            snprintf(why, size, "line %d: more than %d keys", no, KIOSK_MINISIGN_MAX_KEYS);
            return KIOSK_MINISIGN_MALFORMED;
        }
        memcpy(out->k[out->n].id, raw + 2, 8);
        memcpy(out->k[out->n].pk, raw + 10, 32);
        out->n++;
    }
    if (!out->n) {
        snprintf(why, size, "expected at least one minisign public key, found none");
        return KIOSK_MINISIGN_MALFORMED;
    }
    return KIOSK_MINISIGN_OK;
}

int kiosk_minisign_keys_load(const char *path, struct kiosk_minisign_keys *out, char *why,
                             size_t size)
{
    char buf[KIOSK_MINISIGN_MAX_TEXT + 1];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, size, "%s: %s", path, strerror(errno));
        return KIOSK_MINISIGN_MALFORMED;
    }
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    char inner[512];
    int rc = kiosk_minisign_keys_parse(buf, len, out, inner, sizeof inner);
    if (rc)
        snprintf(why, size, "%s: %s", path, inner);
    return rc;
}

int kiosk_minisign_sig_parse(const char *text, size_t len, struct kiosk_minisig *out, char *why,
                             size_t size)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0, n;
    const char *line;
    if (!init()) {
        snprintf(why, size, "cannot start libsodium");
        return KIOSK_MINISIGN_MALFORMED;
    }
    if (len > KIOSK_MINISIGN_MAX_TEXT) {
        snprintf(why, size, "expected a minisign signature of at most %d bytes, found %zu",
                 KIOSK_MINISIGN_MAX_TEXT, len);
        return KIOSK_MINISIGN_MALFORMED;
    }
    if (!next_line(text, len, &pos, &line, &n) || !starts(line, n, UNTRUSTED)) {
        snprintf(why, size, "line 1: expected \"untrusted comment: ...\" (a minisign signature)");
        return KIOSK_MINISIGN_MALFORMED;
    }
    unsigned char raw[74];
    if (!next_line(text, len, &pos, &line, &n) || !decode(line, n, raw, sizeof raw) ||
        raw[0] != 'E' || (raw[1] != 'd' && raw[1] != 'D')) {
        snprintf(why, size,
                 "line 2: expected an Ed25519 signature (a base64 line starting RW "
                 "or RU)");
        return KIOSK_MINISIGN_MALFORMED;
    }
    memcpy(out->alg, raw, 2);
    memcpy(out->id, raw + 2, 8);
    memcpy(out->sig, raw + 10, 64);
    size_t tl = strlen(TRUSTED);
    if (!next_line(text, len, &pos, &line, &n) || !starts(line, n, TRUSTED) ||
        n - tl >= sizeof out->trusted_comment || memchr(line, '\0', n)) {
        snprintf(why, size, "line 3: expected \"trusted comment: ...\" of at most %zu bytes",
                 sizeof out->trusted_comment - 1);
        return KIOSK_MINISIGN_MALFORMED;
    }
    memcpy(out->trusted_comment, line + tl, n - tl);
    out->trusted_comment[n - tl] = '\0';
    if (!next_line(text, len, &pos, &line, &n) || !decode(line, n, out->global_sig, 64)) {
        snprintf(why, size, "line 4: expected the global signature (64 bytes in base64)");
        return KIOSK_MINISIGN_MALFORMED;
    }
    while (next_line(text, len, &pos, &line, &n))
        if (n) {
            snprintf(why, size, "expected nothing after the global signature, found more lines");
            return KIOSK_MINISIGN_MALFORMED;
        }
    return KIOSK_MINISIGN_OK;
}

int kiosk_minisign_verify(const struct kiosk_minisign_keys *keys, const void *msg, size_t len,
                          const char *sigtext, size_t siglen, char *comment, size_t comment_size,
                          char *why, size_t size)
{
    struct kiosk_minisig s;
    char inner[256];
    if (kiosk_minisign_sig_parse(sigtext, siglen, &s, inner, sizeof inner)) {
        snprintf(why, size, "malformed signature: %s", inner);
        return KIOSK_MINISIGN_MALFORMED;
    }
    const struct kiosk_minisign_key *key = NULL;
    for (size_t i = 0; i < keys->n && !key; i++)
        if (memcmp(keys->k[i].id, s.id, 8) == 0)
            key = &keys->k[i];
    char id[17];
    kiosk_minisign_id_text(s.id, id);
    if (!key) {
        snprintf(why, size, "untrusted key: signed by key %s, which is not a trusted key", id);
        return KIOSK_MINISIGN_UNTRUSTED;
    }
    int bad;
    if (s.alg[1] == 'D') {
        unsigned char hash[crypto_generichash_BYTES_MAX];
        crypto_generichash(hash, sizeof hash, msg, len, NULL, 0);
        bad = crypto_sign_verify_detached(s.sig, hash, sizeof hash, key->pk);
    } else {
        bad = crypto_sign_verify_detached(s.sig, msg, len, key->pk);
    }
    if (bad) {
        snprintf(why, size,
                 "bad signature: the document does not match its signature by key %s (changed "
                 "after signing?)",
                 id);
        return KIOSK_MINISIGN_BAD;
    }
    /* the global signature: over the signature and the trusted comment */
    size_t tc = strlen(s.trusted_comment);
    unsigned char global[64 + sizeof s.trusted_comment];
    memcpy(global, s.sig, 64);
    memcpy(global + 64, s.trusted_comment, tc);
    if (crypto_sign_verify_detached(s.global_sig, global, 64 + tc, key->pk)) {
        snprintf(why, size,
                 "bad signature: the trusted comment does not match its signature by key %s", id);
        return KIOSK_MINISIGN_BAD;
    }
    if (comment)
        snprintf(comment, comment_size, "%s", s.trusted_comment);
    return KIOSK_MINISIGN_OK;
}
