/* libFuzzer target: a fleet command as the broker hands it to the kiosk (any bytes, any
 * length); taken or refused with a reason, never a crash, never a reason of several lines.
 * Seeds: tests/fuzz/seeds/command/. */
#include "fuzz_common.h"

#include "screen/fleet.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kiosk_fleet_cmd c;
    char why[256] = "";
    if (kiosk_fleet_parse(data, size, 1796119200, &c, why, sizeof why) == 0) {
        if (!c.id[0] || strlen(c.id) > KIOSK_FLEET_ID_MAX)
            __builtin_trap(); /* taken without a valid id */
    } else if (!why[0]) {
        __builtin_trap(); /* refused without saying why */
    }
    return 0;
}
