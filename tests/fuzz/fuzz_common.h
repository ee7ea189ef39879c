/* What the libFuzzer targets share: the entry point's prototype, and a parameter taken
 * from the input without eating into it (the seeds are whole documents, read from their
 * first byte). */
#ifndef KIOSK_FUZZ_COMMON_H
#define KIOSK_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A number from 0 to n - 1 that follows the input's last bytes and its size: mutations of
 * the end of a document vary it, and the document stays whole. */
static inline unsigned fuzz_param(const uint8_t *data, size_t size, unsigned n)
{
    unsigned h = (unsigned)size * 2654435761u;
    for (size_t i = size > 4 ? size - 4 : 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return n ? (h >> 8) % n : 0;
}

#endif
