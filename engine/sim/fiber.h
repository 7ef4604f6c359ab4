/* fiber.h - user-level fibers: the default task backend (README "Architecture").
 *
 * A fiber runs fn(arg) on its own stack. hmr_fiber_switch() saves the running
 * fiber and resumes another; the main context is a fiber made with
 * hmr_fiber_init_main(). x86-64 uses a hand-written switch (callee-saved
 * registers + stack pointer); other targets use ucontext. An entry function never
 * returns: a finished fiber switches away for good and is re-armed with
 * hmr_fiber_init() before its next use. ASan is told about every stack switch. */
#ifndef HMR_FIBER_H
#define HMR_FIBER_H
#include <stddef.h>

#if !defined(__x86_64__) || defined(HMR_UCONTEXT)
#define HMR_FIBER_UCONTEXT 1
#include <ucontext.h>
#endif

struct hmr_fiber {
	void *sp;		/* saved stack pointer (asm backend) */
#ifdef HMR_FIBER_UCONTEXT
	ucontext_t uc;
#endif
	void *stack;		/* lowest address of the stack, NULL for main */
	size_t size;
	void (*fn)(void *);
	void *arg;
	void *asan_fake;	/* ASan fake-stack handle while switched out */
	void *tsan;		/* TSan's fiber (TSan build only) */
};

/* The calling thread's own context, to switch back to. */
void hmr_fiber_init_main(struct hmr_fiber *f);
/* Arm f to run fn(arg) on [stack, stack+size) at its next resume. */
void hmr_fiber_init(struct hmr_fiber *f, void *stack, size_t size, void (*fn)(void *), void *arg);
/* Save the running context into from and resume to. Returns when someone
 * switches back to from. */
void hmr_fiber_switch(struct hmr_fiber *from, struct hmr_fiber *to);
#endif
