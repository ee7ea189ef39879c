#include "array.h"

#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The capacity an array of count elements has: 0 when empty, else 8 or the next power of
 * two at or above count. It is full (must grow before an append) when count is 0 or a
 * power of two from 8 on. */
static int full(size_t count)
{
    return count == 0 || (count >= 8 && (count & (count - 1)) == 0);
}

int kiosk_array_append(void *items, size_t *count, size_t size, const void *item, size_t max,
                       size_t *dropped)
{
    size_t n = *count;
    if (max && n >= max) {
        (*dropped)++;
        return KIOSK_ELIMIT;
    }
    /* the array's pointer, read and written as bytes: items may point to any T * */
    unsigned char *arr;
    memcpy(&arr, items, sizeof arr);
    if (full(n)) {
        size_t cap = n ? 2 * n : 8;
        if (cap > SIZE_MAX / size) {
            (*dropped)++;
            return KIOSK_ENOMEM;
        }
        unsigned char *grown = realloc(arr, cap * size);
        if (!grown) {
            (*dropped)++;
            return KIOSK_ENOMEM;
        }
        arr = grown;
        memcpy(items, &arr, sizeof arr);
    }
    memcpy(arr + n * size, item, size);
    *count = n + 1;
    return 0;
}
