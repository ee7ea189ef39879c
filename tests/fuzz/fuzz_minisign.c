/* libFuzzer target: any bytes as a minisign signature file and as a trusted-keys file
 * (the readers of core/minisign.c), and the signature checked over a fixed document with
 * the fixtures' keys. Seeds: tests/fixtures/minisign (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "core/minisign.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct kiosk_minisign_keys trusted;
    static bool loaded;
    char why[512];
    if (!loaded) {
        if (kiosk_minisign_keys_load(KIOSK_SOURCE_DIR "/tests/fixtures/minisign/two-keys.pub",
                                     &trusted, why, sizeof why))
            abort();
        loaded = true;
    }
    const char *text = (const char *)data;
    struct kiosk_minisig sig;
    kiosk_minisign_sig_parse(text, size, &sig, why, sizeof why);
    struct kiosk_minisign_keys keys;
    kiosk_minisign_keys_parse(text, size, &keys, why, sizeof why);
    static const char doc[] = "[fleet]\nserial = 7\n[slide.ranking]\nplugin = leaderboard\n";
    char comment[1100];
    kiosk_minisign_verify(&trusted, doc, sizeof doc - 1, text, size, comment, sizeof comment, why,
                          sizeof why);
    return 0;
}
