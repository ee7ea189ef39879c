/* Seeds for rand_r: the jitter of polls and reconnections. */
#ifndef KIOSK_CORE_SEED_H
#define KIOSK_CORE_SEED_H

/* A seed from the kernel's random source (getrandom), not from the clock and the process
 * id: screens started in the same second from one image (the same pid at boot), or the
 * many pollers of one process, each get their own, so their polls stay spread. Falls back
 * to the clock's nanoseconds and the address of a local when getrandom cannot answer. */
unsigned kiosk_random_seed(void);

#endif
