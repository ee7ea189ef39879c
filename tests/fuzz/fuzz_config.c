/* libFuzzer target: any bytes as the config file (the INI reader, every section's keys,
 * the schedule, paths, bands, a ca_file named in it). The file is written to a private
 * temporary folder, as the reader takes a path. Seeds: kiosk/data/demo/kiosk.conf and
 * tests/fuzz/seeds/config (tests/fuzz/run.sh). */
#include "fuzz_common.h"

#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        char dir[] = "/tmp/kiosk-fuzz-config-XXXXXX";
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/kiosk.conf", dir);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    struct kiosk_config c;
    struct kiosk_diags d = {0};
    kiosk_config_load(path, &c, &d);
    kiosk_config_free(&c);
    kiosk_diags_free(&d);
    return 0;
}
