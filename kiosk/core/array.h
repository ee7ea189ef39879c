/* One way to append to a growable array of records (diagnostics, warnings, insights, ...).
 *
 * The array is a pointer and a count, nothing else: its capacity follows from the count
 * (room for 8, then doubling), so only this function may grow an array it appends to.
 *
 * The rule when an item cannot be added, whether memory ran out or the array already holds
 * `max` items: the item is NOT added, the array and its count are left as they were, and
 * *dropped is incremented, so a list that lost something always says so. The caller keeps
 * ownership of whatever the item points to and frees it. The return value tells which:
 * 0 (added), KIOSK_ELIMIT (at max) or KIOSK_ENOMEM (no memory); a caller for whom a lost
 * item is fatal fails on it, any other caller may ignore it, as the count is kept. */
#ifndef KIOSK_CORE_ARRAY_H
#define KIOSK_CORE_ARRAY_H

#include <stddef.h>

/* Appends a copy of the `size` bytes at item to the array *items (items is the address of
 * the array's pointer, e.g. a struct kiosk_diag **) of *count elements; at most max
 * elements (0: no limit). dropped must not be NULL. See above for the rule on failure. */
int kiosk_array_append(void *items, size_t *count, size_t size, const void *item, size_t max,
                       size_t *dropped);

/* The same with the element size and a type check from the array: `arr` is the array
 * pointer (an lvalue), `item` an lvalue of its element type. */
#define KIOSK_ARRAY_APPEND(arr, count, item, max, dropped)                                         \
    kiosk_array_append(&(arr), &(count), sizeof *(arr) + 0 * sizeof(*(arr) = (item)), &(item),     \
                       (max), (dropped))

#endif
