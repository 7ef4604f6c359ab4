/* fiber.c - fiber setup and switching; see fiber.h. */
#include "sim/fiber.h"
#include "sim/backend.h"
#include <stdint.h>
#include <stdio.h>
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

#include "sim/tsan.h"

static struct hmr_fiber *main_fiber;

#ifdef HMR_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
enum { TSAN_NO_SYNC = 1 };	/* __tsan_switch_to_fiber_no_sync */

/* A fresh TSan fiber for every arming: an abandoned execution leaves frames on
 * the old one's shadow stack, which must not grow without bound. */
static void tsan_arm(struct hmr_fiber *f)
{
	if (f->tsan)
		__tsan_destroy_fiber(f->tsan);
	f->tsan = __tsan_create_fiber(0);
}

volatile int hmr_tsan_reports;

/* TSan's report-inspection interface (tsan_interface.h of its runtime). */
int __tsan_get_report_data(void *report, const char **description, int *count, int *stack_count,
			   int *mop_count, int *loc_count, int *mutex_count, int *thread_count,
			   int *unique_tid_count, void **sleep_trace, unsigned long trace_size);
int __tsan_get_report_mop(void *report, unsigned long idx, int *tid, void **addr, int *size,
			  int *write, int *atomic, void **trace, unsigned long trace_size);
void __sanitizer_symbolize_pc(void *pc, const char *fmt, char *out, size_t size);

/* The last report's accesses as raw data: symbolizing inside TSan's report
 * hook would re-enter its symbolizer, so that waits for hmr_tsan_last_race. */
static struct {
	int n;
	void *pc[2];
	int write[2], size[2];
} last;

/* TSan calls this for every report it prints (a weak hook of its runtime). */
void __tsan_on_report(const void *report);
void __tsan_on_report(const void *report)
{
	void *rep = (void *)report, *sleep, *trace[1], *addr;
	const char *desc;
	int count, stacks, mops, locs, mutexes, threads, utids, tid, atomic;

	if (hmr_tsan_reports)	/* the first report since the last finding counts */
		return;
	hmr_tsan_reports = 1;
	last.n = 0;
	if (!__tsan_get_report_data(rep, &desc, &count, &stacks, &mops, &locs, &mutexes, &threads, &utids,
				    &sleep, 1))
		return;
	for (int i = 0; i < mops && i < 2; i++) {
		trace[0] = NULL;
		if (!__tsan_get_report_mop(rep, (unsigned long)i, &tid, &addr, &last.size[i], &last.write[i],
					   &atomic, trace, 1))
			return;
		last.pc[i] = trace[0];
		last.n = i + 1;
	}
}

int hmr_tsan_last_race(struct hmr_tsan_access acc[2])
{
	for (int i = 0; i < last.n; i++) {
		/* One string per inlined frame, innermost first, then an empty
		 * one: the last is the function the access was compiled into
		 * (kmap_high, not the count_of accessor inlined there). */
		char frames[512] = "", *f = frames, *fn = frames;
		if (last.pc[i])
			__sanitizer_symbolize_pc(last.pc[i], "%f", frames, sizeof(frames) - 1);
		for (; *f && f < frames + sizeof(frames) - 1; f += strlen(f) + 1)
			fn = f;
		if (!*fn || !strcmp(fn, "<null>") || !strcmp(fn, "??"))
			return 0;	/* no symbolizer: the caller says less */
		snprintf(acc[i].fn, sizeof(acc[i].fn), "%s", fn);
		acc[i].write = last.write[i];
		acc[i].size = last.size[i];
	}
	return last.n;
}

/* The rig's own libc calls (the hardware model's memcpy of cache lines, a
 * finding's vsnprintf) are bookkeeping, not kernel code: TSan's interceptors
 * must not check them. The model itself calls libc only to reset. hmrig's
 * exit code stays its own (a reported race is a finding, exit 1), and a fuzz
 * target's crash handler may allocate. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "ignore_interceptors_accesses=1:exitcode=0:report_signal_unsafe=0";
}

/* Task fibers switch with no synchronisation: TSan must see only the order
 * the model has. The main context is different: it resets the world before an
 * execution and reads the finding after it. So main releases what every task
 * acquires when it starts, and every switch out of a task releases into one
 * object only main acquires, when the execution is over: ordered around the
 * execution, with no order invented between two of its tasks. */
static char tsan_tasks_done;
static void tsan_before(struct hmr_fiber *from, struct hmr_fiber *to)
{
	__tsan_release(from == main_fiber ? (void *)main_fiber : &tsan_tasks_done);
	__tsan_switch_to_fiber(to->tsan, TSAN_NO_SYNC);
}
static void tsan_after(struct hmr_fiber *self)
{
	if (self == main_fiber)
		__tsan_acquire(&tsan_tasks_done);
}
static void tsan_started(void) { __tsan_acquire(main_fiber); }
#else
static void tsan_arm(struct hmr_fiber *f) { (void)f; }
static void tsan_before(struct hmr_fiber *from, struct hmr_fiber *to) { (void)from; (void)to; }
static void tsan_after(struct hmr_fiber *self) { (void)self; }
static void tsan_started(void) {}
#endif

void hmr_fiber_init_main(struct hmr_fiber *f)
{
	memset(f, 0, sizeof(*f));
	main_fiber = f;
#ifdef HMR_TSAN
	f->tsan = __tsan_get_current_fiber();
#endif
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
	tsan_started();
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
	tsan_arm(f);
	getcontext(&f->uc);
	f->uc.uc_stack.ss_sp = stack;
	f->uc.uc_stack.ss_size = size;
	f->uc.uc_link = NULL;
	makecontext(&f->uc, (void (*)(void))uc_entry, 2, (unsigned)(p >> 16 >> 16), (unsigned)p);
}

void hmr_fiber_switch(struct hmr_fiber *from, struct hmr_fiber *to)
{
	asan_before(from, to);
	tsan_before(from, to);
	swapcontext(&from->uc, &to->uc);
	asan_after(from);
	tsan_after(from);
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
	tsan_arm(f);
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
	tsan_before(from, to);
	hmr_ctx_switch(&from->sp, to->sp);
	asan_after(from);
	tsan_after(from);
}
#endif

const struct hmr_backend hmr_backend_fibers = {
	.name = "fibers",
	.init_main = hmr_fiber_init_main,
	.init_task = hmr_fiber_init,
	.switch_to = hmr_fiber_switch,
};
const struct hmr_backend *hmr_backend = &hmr_backend_fibers;
