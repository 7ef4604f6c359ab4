/* baton.c - the baton backend: every task on its own pthread, exactly one
 * thread running at a time, control passed with one semaphore per context
 * (README "Architecture"). The scheduler's decisions are the same as with fibers, so the
 * reports are the same bytes; the point is real threads (for sanitizers that
 * understand threads, and QEMU's thread emulation).
 *
 * A task's thread is created on first use and kept. An execution that ends
 * leaves tasks parked inside switch_to; re-arming one for the next execution
 * wakes it with a restart flag, and it longjmps back to the top of its loop,
 * abandoning the frames of the old execution (the model keeps no heap or
 * locks of the host, so nothing needs unwinding). */
#include "sim/backend.h"
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct baton {
	struct hmr_fiber *f;
	pthread_t thread;
	sem_t go;
	int started;		/* the thread exists */
	int running;		/* inside fn (else parked at the top) */
	int restart;		/* re-armed while inside fn */
	int visit_pos;		/* >= 0: woken to run visit_fn(visit_pos), not to run */
	void (*visit_fn)(int);
	jmp_buf top;
};

static struct baton batons[HMR_BATONS];
static sem_t main_go;
static struct hmr_fiber *main_ctx;

static struct baton *baton_of(struct hmr_fiber *f)
{
	for (int i = 0; i < HMR_BATONS; i++)
		if (batons[i].f == f)
			return &batons[i];
	return NULL;
}

static sem_t *sem_of(struct hmr_fiber *f)
{
	struct baton *b = baton_of(f);
	return b ? &b->go : &main_go;
}

/* Wait for the baton. A wake-up for a visit (hmr_baton_visit) runs the visit
 * on this thread and waits again: the visitor, not this context, runs. */
static void park(struct baton *b)
{
	for (;;) {
		sem_wait(&b->go);
		int pos = b->visit_pos;
		if (pos < 0)
			return;
		b->visit_pos = -1;
		b->visit_fn(pos);
	}
}

void hmr_baton_visit(struct hmr_fiber *f, void (*fn)(int), int pos)
{
	struct baton *b = baton_of(f);
	b->visit_fn = fn;
	b->visit_pos = pos;
	sem_post(&b->go);
}

static void *baton_thread(void *arg)
{
	struct baton *b = arg;
	setjmp(b->top);		/* a restart lands here */
	for (;;) {
		park(b);
		if (b->restart) {	/* re-armed while parked here: nothing to undo */
			b->restart = 0;
			continue;
		}
		b->running = 1;
		b->f->fn(b->f->arg);	/* never returns (fiber.h) */
	}
	return NULL;
}

static void baton_init_main(struct hmr_fiber *m)
{
	static int once;
	memset(m, 0, sizeof(*m));
	main_ctx = m;
	if (!once) {
		sem_init(&main_go, 0, 0);
		once = 1;
	}
}

static void baton_init_task(struct hmr_fiber *f, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	struct baton *b = baton_of(f);
	(void)stack;
	if (!b) {
		for (b = batons; b < batons + HMR_BATONS && b->f; b++)
			;
		if (b == batons + HMR_BATONS)
			abort();	/* more task contexts than HMR_BATONS: a rig bug */
		b->f = f;
		b->visit_pos = -1;
	}
	f->fn = fn;
	f->arg = arg;
	f->size = size;
	if (!b->started) {
		pthread_attr_t attr;
		sem_init(&b->go, 0, 0);
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, size < (1 << 20) ? (1 << 20) : size);
		if (pthread_create(&b->thread, &attr, baton_thread, b))
			abort();
		pthread_attr_destroy(&attr);
		b->started = 1;
	} else if (b->running) {
		/* Parked inside the last execution: send it back to the top. */
		b->restart = 1;
		b->running = 0;
		sem_post(&b->go);
	}
}

static void baton_switch_to(struct hmr_fiber *from, struct hmr_fiber *to)
{
	struct baton *me = baton_of(from);
	sem_post(sem_of(to));
	if (!me) {
		sem_wait(&main_go);
		return;
	}
	park(me);
	if (me->restart) {	/* re-armed while parked here */
		me->restart = 0;
		longjmp(me->top, 1);
	}
}

const struct hmr_backend hmr_backend_baton = {
	.name = "baton",
	.init_main = baton_init_main,
	.init_task = baton_init_task,
	.switch_to = baton_switch_to,
};
