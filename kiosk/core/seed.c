#include "seed.h"

#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

unsigned kiosk_random_seed(void)
{
    unsigned seed;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
        return seed;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned)ts.tv_nsec ^ (unsigned)ts.tv_sec ^ (unsigned)getpid() ^
           (unsigned)(uintptr_t)&ts;
}
