/* backend.h - how a task gets an execution context and how control passes
 * between tasks. The scheduler asks for nothing else, so the default backend
 * (fibers on one OS thread, fiber.h) can be joined by others - real threads
 * passing a baton, free-running threads - without changing the kernel model.
 * Contract: switch_to(from, to) returns when someone switches back to from;
 * exactly one context runs at a time. */
#ifndef HMR_BACKEND_H
#define HMR_BACKEND_H
#include "sim/fiber.h"

struct hmr_backend {
	const char *name;
	void (*init_main)(struct hmr_fiber *main);
	void (*init_task)(struct hmr_fiber *f, void *stack, size_t size, void (*fn)(void *), void *arg);
	void (*switch_to)(struct hmr_fiber *from, struct hmr_fiber *to);
};

extern const struct hmr_backend hmr_backend_fibers;
/* Real pthreads passing a baton: the same decisions and reports (baton.c). */
#define HMR_BATONS 8	/* task contexts (HMR_MAX_TASKS) */
extern const struct hmr_backend hmr_backend_baton;
/* Run fn(pos) on the parked baton thread of task context f, which then parks
 * again (stress.c: contenders for the next decision). Baton backend only. */
void hmr_baton_visit(struct hmr_fiber *f, void (*fn)(int), int pos);
/* The backend in use (default: fibers). */
extern const struct hmr_backend *hmr_backend;

static inline void hmr_switch(struct hmr_fiber *from, struct hmr_fiber *to)
{
	hmr_backend->switch_to(from, to);
}
#endif
