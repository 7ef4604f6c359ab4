/* tsan.h - ThreadSanitizer hooks of the TSan build (make tsan, -DHMR_TSAN).
 *
 * Only the kernel model is instrumented; the rig's bookkeeping is not (every
 * fiber touches it). Fibers switch with no synchronisation, so TSan sees only
 * the order the model really has: spinlock release -> acquire, wake_up -> the
 * woken task, and one CPU's program order. Elsewhere these are empty. */
#ifndef HMR_TSAN_H
#define HMR_TSAN_H

#ifdef HMR_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
void __tsan_ignore_thread_begin(void);
void __tsan_ignore_thread_end(void);
#define hmr_tsan_acquire(p) __tsan_acquire((void *)(p))
#define hmr_tsan_release(p) __tsan_release((void *)(p))
/* Model code the rig runs on another task's fiber (the context switch). */
#define hmr_tsan_ignore_begin() __tsan_ignore_thread_begin()
#define hmr_tsan_ignore_end() __tsan_ignore_thread_end()
/* For rig bookkeeping inlined into the model (coverage counters). */
#define HMR_NO_TSAN __attribute__((no_sanitize("thread")))
/* Set by the TSan report hook; the next scheduling point makes it a finding. */
extern volatile int hmr_tsan_reports;
/* The last report's accesses, 0 the one just made and 1 the earlier one it
 * races with: the function that made it. Returns how many the report had (0
 * if TSan gave none or could not name them). TSan cannot say which task made the earlier one (its
 * thread lookup needs a creation stack, which fibers lack). */
struct hmr_tsan_access {
	char fn[64];
	int write, size;
};
int hmr_tsan_last_race(struct hmr_tsan_access acc[2]);
#else
#define hmr_tsan_acquire(p) ((void)(p))
#define hmr_tsan_release(p) ((void)(p))
#define hmr_tsan_ignore_begin() ((void)0)
#define hmr_tsan_ignore_end() ((void)0)
#define HMR_NO_TSAN
#endif
#endif
