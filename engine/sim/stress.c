/* stress.c - the stress backend: tasks run free on real threads (README "Architecture").
 *
 * It is the baton backend with the scheduler's decisions taken out of the
 * chooser's hands. At every decision among n enabled tasks their threads race
 * for the next slice: the running task's thread and the parked threads of the
 * others (woken by a baton visit) each wait a random delay - mostly none,
 * sometimes a spin or a yield - and then try to claim it; the first claim wins.
 * So the host's scheduler, its wake-up latencies and its caches decide, as in
 * a stress test on real hardware; the running thread, which needs no waking,
 * has a head start.
 *
 * This file is the one place where hmrig is nondeterministic on purpose. The
 * outcome is recorded like any other decision (choice.c), so a finding still
 * replays exactly from its schedule or decision log. */
#include "sim/stress.h"
#include "sim/backend.h"
#include "sim/choice.h"
#include "sim/world.h"
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

static atomic_int winner, left;
static atomic_uint nthreads;
static sem_t done;
static uint64_t seed;
static _Thread_local uint64_t rng, rng_seeded;

static uint64_t draw(void)
{
	if (!rng_seeded) {	/* a stream per thread, from the seed */
		rng = seed ^ (0x9e3779b97f4a7c15ull * (atomic_fetch_add(&nthreads, 1) + 1));
		rng_seeded = 1;
	}
	return hmr_rand64(&rng);
}

/* The random delay before a claim: none 5/8 of the time, else a short or a
 * long spin (up to 1,000 or 10,000 loop turns) or a yield of the CPU. */
static void delay(void)
{
	uint64_t r = draw();
	unsigned spin = 0;
	switch (r & 7) {
	case 5: spin = (unsigned)(r >> 8) % 1000; break;
	case 6: spin = (unsigned)(r >> 8) % 10000; break;
	case 7: sched_yield(); break;
	default: break;
	}
	for (volatile unsigned i = 0; i < spin; i++)
		;
}

static void contend(int pos)
{
	int none = -1;
	delay();
	atomic_compare_exchange_strong(&winner, &none, pos);
}

/* On a parked task's thread: contend, and let the last one report back. */
static void visited(int pos)
{
	contend(pos);
	if (atomic_fetch_sub(&left, 1) == 1)
		sem_post(&done);
}

void hmr_stress_init(uint64_t s)
{
	static int once;
	if (!once)
		sem_init(&done, 0, 0), once = 1;
	seed = s;
}

int hmr_stress_pick(int n, const uint8_t *tid)
{
	int me = -1;	/* the caller's own position: it contends in person */
	for (int i = 0; i < n; i++)
		if (W.cur && tid[i] == W.cur->id)
			me = i;
	int others = n - (me >= 0);
	atomic_store(&winner, -1);
	atomic_store(&left, others);
	for (int i = 0; i < n; i++)
		if (i != me)
			hmr_baton_visit(&W.task[tid[i]].fib, visited, i);
	if (me >= 0)
		contend(me);
	if (others)
		sem_wait(&done);	/* every contender is parked again */
	return atomic_load(&winner);
}
