/* The minisign verifier against signatures made by Debian's minisign
 * (tests/fixtures/minisign/: an operator's key pair and another, a document signed
 * prehashed (minisign's default), signed legacy (-l) and by the other key), and the same
 * bytes changed one by one: the document, the trusted comment, the signature. */
#include "helpers.h"

#include "core/minisign.h"

#include <stdlib.h>
#include <string.h>

#define DIR KIOSK_FIXTURES "/minisign/"

struct fixture {
    struct kiosk_minisign_keys keys;
    char *doc, *sig, *legacy, *other;
    size_t doc_len, sig_len, legacy_len, other_len;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    char why[256];
    assert_int_equal(kiosk_minisign_keys_load(DIR "op.pub", &f->keys, why, sizeof why), 0);
    f->doc = read_file(DIR "doc.conf", &f->doc_len);
    f->sig = read_file(DIR "doc.conf.minisig", &f->sig_len);
    f->legacy = read_file(DIR "doc.conf.legacy.minisig", &f->legacy_len);
    f->other = read_file(DIR "doc.conf.other.minisig", &f->other_len);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    free(f->doc);
    free(f->sig);
    free(f->legacy);
    free(f->other);
    free(f);
    return 0;
}

static int verify(const struct fixture *f, const struct kiosk_minisign_keys *keys, const char *doc,
                  size_t len, const char *sig, size_t sig_len, char *why, size_t size)
{
    (void)f;
    return kiosk_minisign_verify(keys, doc, len, sig, sig_len, NULL, 0, why, size);
}

static void test_signed_by_the_trusted_key(void **state)
{
    struct fixture *f = *state;
    char why[512] = "", comment[64];
    assert_int_equal(kiosk_minisign_verify(&f->keys, f->doc, f->doc_len, f->sig, f->sig_len,
                                           comment, sizeof comment, why, sizeof why),
                     KIOSK_MINISIGN_OK);
    assert_string_equal(comment, "serial 7");
    /* the legacy signature over the document itself, not its hash */
    assert_int_equal(
        verify(f, &f->keys, f->doc, f->doc_len, f->legacy, f->legacy_len, why, sizeof why),
        KIOSK_MINISIGN_OK);
}

static void test_another_key_is_untrusted(void **state)
{
    struct fixture *f = *state;
    char why[512] = "";
    assert_int_equal(
        verify(f, &f->keys, f->doc, f->doc_len, f->other, f->other_len, why, sizeof why),
        KIOSK_MINISIGN_UNTRUSTED);
    assert_non_null(strstr(why, "untrusted key: signed by key "));
    /* trusted once its key is in the file too */
    struct kiosk_minisign_keys two;
    assert_int_equal(kiosk_minisign_keys_load(DIR "two-keys.pub", &two, why, sizeof why), 0);
    assert_int_equal(two.n, 2);
    assert_int_equal(verify(f, &two, f->doc, f->doc_len, f->other, f->other_len, why, sizeof why),
                     KIOSK_MINISIGN_OK);
}

static void test_any_byte_changed_is_refused(void **state)
{
    struct fixture *f = *state;
    char why[512];
    char *doc = malloc(f->doc_len);
    /* every byte of the document in turn, for both kinds of signature */
    for (size_t i = 0; i < f->doc_len; i++) {
        memcpy(doc, f->doc, f->doc_len);
        doc[i] ^= 0x01;
        assert_int_equal(verify(f, &f->keys, doc, f->doc_len, f->sig, f->sig_len, why, sizeof why),
                         KIOSK_MINISIGN_BAD);
        assert_int_equal(
            verify(f, &f->keys, doc, f->doc_len, f->legacy, f->legacy_len, why, sizeof why),
            KIOSK_MINISIGN_BAD);
    }
    assert_non_null(strstr(why, "bad signature: the document does not match"));
    /* one byte more or less */
    assert_int_equal(
        verify(f, &f->keys, f->doc, f->doc_len - 1, f->sig, f->sig_len, why, sizeof why),
        KIOSK_MINISIGN_BAD);
    free(doc);
}

static void test_trusted_comment_is_signed_too(void **state)
{
    struct fixture *f = *state;
    char why[512];
    char *sig = malloc(f->sig_len + 8);
    memcpy(sig, f->sig, f->sig_len);
    char *at = strstr(sig, "serial 7");
    assert_non_null(at);
    at[7] = '9'; /* "serial 9" */
    assert_int_equal(verify(f, &f->keys, f->doc, f->doc_len, sig, f->sig_len, why, sizeof why),
                     KIOSK_MINISIGN_BAD);
    assert_non_null(strstr(why, "trusted comment does not match"));
    free(sig);
}

static void test_malformed_signatures_say_where(void **state)
{
    struct fixture *f = *state;
    char why[512];
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"", "line 1: expected \"untrusted comment: ...\""},
        {"<html>404 Not Found</html>\n", "line 1: expected \"untrusted comment"},
        {"untrusted comment: x\nnot base64 at all\n", "line 2: expected an Ed25519 signature"},
        {"untrusted comment: x\nRWQ=\n", "line 2: expected an Ed25519 signature"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(verify(f, &f->keys, f->doc, f->doc_len, cases[i].text,
                                strlen(cases[i].text), why, sizeof why),
                         KIOSK_MINISIGN_MALFORMED);
        assert_non_null(strstr(why, cases[i].says));
    }
    /* the signature without its trusted comment and global signature */
    char *cut = malloc(f->sig_len);
    memcpy(cut, f->sig, f->sig_len);
    size_t two_lines = (size_t)(strchr(strchr(cut, '\n') + 1, '\n') + 1 - cut);
    assert_int_equal(verify(f, &f->keys, f->doc, f->doc_len, cut, two_lines, why, sizeof why),
                     KIOSK_MINISIGN_MALFORMED);
    assert_non_null(strstr(why, "line 3: expected \"trusted comment: ...\""));
    free(cut);
}

static void test_key_files(void **state)
{
    (void)state;
    struct kiosk_minisign_keys k;
    char why[512];
    const char *bad = "untrusted comment: minisign public key\nRWQ-not-a-key\n";
    assert_int_equal(kiosk_minisign_keys_parse(bad, strlen(bad), &k, why, sizeof why),
                     KIOSK_MINISIGN_MALFORMED);
    assert_non_null(strstr(why, "line 2: expected a minisign public key"));
    assert_int_equal(kiosk_minisign_keys_parse("# none\n\n", 8, &k, why, sizeof why),
                     KIOSK_MINISIGN_MALFORMED);
    assert_non_null(strstr(why, "found none"));
    assert_int_equal(kiosk_minisign_keys_load("/nonexistent/trusted-keys", &k, why, sizeof why),
                     KIOSK_MINISIGN_MALFORMED);
    assert_non_null(strstr(why, "/nonexistent/trusted-keys: No such file"));
    /* the id as minisign prints it in the key's comment */
    size_t len;
    char *text = read_file(DIR "op.pub", &len);
    assert_int_equal(kiosk_minisign_keys_parse(text, len, &k, why, sizeof why), 0);
    char id[17];
    kiosk_minisign_id_text(k.k[0].id, id);
    assert_non_null(strstr(text, id));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_by_the_trusted_key),
        cmocka_unit_test(test_another_key_is_untrusted),
        cmocka_unit_test(test_any_byte_changed_is_refused),
        cmocka_unit_test(test_trusted_comment_is_signed_too),
        cmocka_unit_test(test_malformed_signatures_say_where),
        cmocka_unit_test(test_key_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
