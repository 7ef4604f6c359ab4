/* stress.h - the stress backend's decisions: real threads racing (stress.c). */
#ifndef HMR_STRESS_H
#define HMR_STRESS_H
#include <stdint.h>

/* Seed the contenders' delays (each thread derives its own stream). */
void hmr_stress_init(uint64_t seed);
/* Which of the n enabled tasks tid[] runs next, decided by a race of their
 * real threads on the baton backend (the calling task, W.cur, races in person,
 * whether or not it may simply go on). Returns a position
 * in tid[]. */
int hmr_stress_pick(int n, const uint8_t *tid);
#endif
