/* race.c - the happens-before detector (see race.h).
 *
 * Each task has a vector clock; each sync object (a lock, a wait queue) one
 * too. For every annotated object the detector keeps the last write (task,
 * clock, site, step) and, per task, the clock of its last read; a write must
 * come after all of them, a read after the last write (the usual vector-clock
 * rules). Objects: pkmap_count[i] and the pkmap PTEs (one per slot), the hash
 * buckets, the slot cursor(s), per-CPU kmap state. Invariant: clocks only
 * grow within an execution; everything is reset between executions.
 *
 * On one CPU there is nothing to find: every switch between contexts there is
 * an order (hmr_race_order), so all accesses are in one chain. The detector
 * then keeps no clocks at all (it is a sixth of an execution's time). */
#include "sim/race.h"
#include "sim/world.h"
#include "sim/hooks.h"
#include <string.h>

enum { NOBJ = HMR_MAX_SLOTS };	/* indices per kind (slots, buckets, cpus, cursors) */

struct access {
	uint32_t clock;		/* the task's own clock then; 0: none */
	uint32_t step;
	uint8_t site;
	const char *fn;		/* outermost model function (static string) */
};

struct shadow {
	uint8_t used;
	uint8_t wtask;		/* last writer + 1, 0: none */
	uint8_t readers;	/* tasks that read it since the last write */
	struct access w;
	struct access r[HMR_MAX_TASKS];	/* last read per task, valid in readers */
};

static struct hmr_vc vc[HMR_MAX_TASKS];
static struct shadow sh[RACE__N][NOBJ];
static uint16_t touched[RACE__N * NOBJ];
static int ntouched;
void hmr_race_reset(void)
{
	memset(vc, 0, sizeof(vc));
	for (int t = 0; t < HMR_MAX_TASKS; t++)
		vc[t].c[t] = 1;
	for (int i = 0; i < ntouched; i++) {
		struct shadow *s = &sh[touched[i] / NOBJ][touched[i] % NOBJ];
		s->used = s->wtask = s->readers = 0;
	}
	ntouched = 0;
}

static void tick(int t) { vc[t].c[t]++; }

static int off(void) { return W.ncpu < 2; }

/* to = max(to, from), clock by clock: every clock, branch-free, so that the
 * compiler makes it a few vector operations whatever the task count (tasks
 * past ntask never run: 0 in every clock). */
static void join(struct hmr_vc *to, const struct hmr_vc *from)
{
	for (size_t k = 0; k < sizeof(to->c) / sizeof(to->c[0]); k++)
		to->c[k] = from->c[k] > to->c[k] ? from->c[k] : to->c[k];
}

void hmr_race_release(struct hmr_vc *v)
{
	if (off())
		return;
	int t = W.cur->id;
	join(v, &vc[t]);
	tick(t);
}

void hmr_race_acquire(const struct hmr_vc *v)
{
	if (off())
		return;
	join(&vc[W.cur->id], v);
}

void hmr_race_order(int from, int to)
{
	if (off() || from < 0 || to < 0 || from == to)
		return;
	join(&vc[to], &vc[from]);
	tick(from);
}

/* A conflicting access without an order: the race oracle reports it. */
static void race(int kind, int index, int other, const struct access *a, int owrite, int write)
{
	hmr_oracle->race(kind, index, other, a->fn, a->step, a->site, owrite, write);
}

static void note(struct access *a, uint32_t clock)
{
	a->clock = clock;
	a->step = W.step;
	a->site = (uint8_t)W.last_site;
	a->fn = hmr_fn_outer(W.cur);
}

void hmr_race_access(int kind, int index, int write)
{
#ifdef HMR_TSAN
	/* In the TSan build ThreadSanitizer is the race detector: the two must
	 * not mask each other, so its findings show it works on its own. */
	(void)kind, (void)index, (void)write;
	return;
#endif
	if (off())
		return;
	int t = W.cur->id;
	struct shadow *s = &sh[kind][index % NOBJ];
	const struct hmr_vc *me = &vc[t];

	if (!s->used) {
		s->used = 1;
		touched[ntouched++] = (uint16_t)(kind * NOBJ + index % NOBJ);
	}
	if (s->wtask && s->wtask - 1 != t && s->w.clock > me->c[s->wtask - 1])
		race(kind, index, s->wtask - 1, &s->w, 1, write);
	if (!write) {
		note(&s->r[t], me->c[t]);
		s->readers |= (uint8_t)(1u << t);
		return;
	}
	for (unsigned m = s->readers & ~(1u << t); m; m &= m - 1) {
		int k = __builtin_ctz(m);
		if (s->r[k].clock > me->c[k])
			race(kind, index, k, &s->r[k], 0, 1);
	}
	s->wtask = (uint8_t)(t + 1);
	note(&s->w, me->c[t]);
	s->readers = 0;
}
