/* fiber.c - fiber setup and switching; see fiber.h. */
#include "fiber.h"
#include "backend.h"
#include <stdint.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HMR_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HMR_ASAN 1
#endif

#ifdef HMR_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

static struct hmr_fiber *main_fiber;

void hmr_fiber_init_main(struct hmr_fiber *f)
{
	memset(f, 0, sizeof(*f));
	main_fiber = f;
}

#ifdef HMR_ASAN
static void asan_before(struct hmr_fiber *from, struct hmr_fiber *to)
{
	__sanitizer_start_switch_fiber(&from->asan_fake, to->stack, to->size);
}
static void asan_after(struct hmr_fiber *self)
{
	const void *bottom;
	size_t size;
	__sanitizer_finish_switch_fiber(self->asan_fake, &bottom, &size);
	/* The first switch out of main tells us main's stack, needed to switch back. */
	if (main_fiber && !main_fiber->stack && self != main_fiber) {
		main_fiber->stack = (void *)bottom;
		main_fiber->size = size;
	}
}
#else
static void asan_before(struct hmr_fiber *from, struct hmr_fiber *to) { (void)from; (void)to; }
static void asan_after(struct hmr_fiber *self) { (void)self; }
#endif

static void fiber_start(struct hmr_fiber *f)
{
	f->asan_fake = NULL;
	asan_after(f);
	f->fn(f->arg);
	__builtin_trap();	/* entries never return (fiber.h) */
}

#ifdef HMR_FIBER_UCONTEXT
static void uc_entry(unsigned hi, unsigned lo)
{
	fiber_start((struct hmr_fiber *)(((uintptr_t)hi << 16 << 16) | lo));
}

void hmr_fiber_init(struct hmr_fiber *f, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t p = (uintptr_t)f;
	f->stack = stack;
	f->size = size;
	f->fn = fn;
	f->arg = arg;
	getcontext(&f->uc);
	f->uc.uc_stack.ss_sp = stack;
	f->uc.uc_stack.ss_size = size;
	f->uc.uc_link = NULL;
	makecontext(&f->uc, (void (*)(void))uc_entry, 2, (unsigned)(p >> 16 >> 16), (unsigned)p);
}

void hmr_fiber_switch(struct hmr_fiber *from, struct hmr_fiber *to)
{
	asan_before(from, to);
	swapcontext(&from->uc, &to->uc);
	asan_after(from);
}
#else
void hmr_ctx_switch(void **save_sp, void *new_sp);
void hmr_fiber_trampoline(void);

void hmr_fiber_init(struct hmr_fiber *f, void *stack, size_t size, void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	void **sp = (void **)top;

	f->stack = stack;
	f->size = size;
	f->fn = fn;
	f->arg = arg;
#ifdef HMR_ASAN
	/* An abandoned run may leave poisoned frames behind on this stack. */
	__asan_unpoison_memory_region(stack, size);
#endif
	/* Layout popped by hmr_ctx_switch: r15 r14 r13 r12 rbx rbp, then the return
	 * address. After the ret rsp is 16-aligned, so the trampoline's call leaves
	 * the C entry with the ABI's entry alignment. */
	*--sp = (void *)hmr_fiber_trampoline;
	*--sp = 0;				/* rbp */
	*--sp = f;				/* rbx: the argument */
	*--sp = (void *)fiber_start;		/* r12: the entry */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	f->sp = sp;
}

void hmr_fiber_switch(struct hmr_fiber *from, struct hmr_fiber *to)
{
	asan_before(from, to);
	hmr_ctx_switch(&from->sp, to->sp);
	asan_after(from);
}
#endif

const struct hmr_backend hmr_backend_fibers = {
	.name = "fibers",
	.init_main = hmr_fiber_init_main,
	.init_task = hmr_fiber_init,
	.switch_to = hmr_fiber_switch,
};
const struct hmr_backend *hmr_backend = &hmr_backend_fibers;
