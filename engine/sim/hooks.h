/* hooks.h - the calls the lower layers (sim/, hw/, kernel/) make into the
 * higher ones, through pointers the higher ones set once (engine/sim/README.md).
 *
 * Two tables. hmr_hooks is what the scheduler needs from above: a task's body
 * (run/), the checks when it ends, the kernel's context-switch work
 * (kmap_local) and the TLB flush an IPI asks a CPU for. hmr_oracle is every
 * check a lower layer asks of engine/oracle/: it is given what it judges and
 * makes the finding, never the caller. run/ points both at their tables when
 * it resets the world. */
#ifndef HMR_HOOKS_H
#define HMR_HOOKS_H
#include <stdint.h>

struct hmr_task;
struct spinlock;

struct hmr_hooks {
	void (*task_body)(struct hmr_task *t);		/* run the task's operations */
	void (*sched_out)(struct hmr_task *t);		/* the kernel's context-switch work */
	void (*sched_in)(struct hmr_task *t);
	void (*ipi_flush_tlb)(int cpu);			/* the TLB-shootdown IPI's handler */
};
extern struct hmr_hooks hmr_hooks;

struct hmr_oracle_ops {
	/* context (oracle/context.c): the running task's context rules */
	void (*sleep)(const struct hmr_task *t, int in_schedule);
	void (*bug)(const char *cond, const char *fn);
	void (*warn)(const char *cond, const char *fn);
	void (*lock_irq_usage)(const struct hmr_task *t, struct spinlock *l);
	void (*unlock)(const struct hmr_task *t, const struct spinlock *l);
	void (*ipi_send)(const struct hmr_task *t);
	/* progress (oracle/progress.c): deadlock and hang */
	void (*spin_on)(const struct hmr_task *t, const struct spinlock *l);
	void (*no_progress)(void);
	void (*step_budget)(const struct hmr_task *t, int site);
	/* races (oracle/races.c): two unordered accesses to shared model state */
	void (*race)(int kind, int index, int other_task, const char *other_fn, uint32_t other_step,
		     int other_site, int other_write, int write);
	void (*tsan_race)(const struct hmr_task *t);
	/* data (oracle/data.c): what the CPU, the cache and the device did */
	void (*stale_tlb)(int cpu, uint32_t va, int tlb_pfn, uint32_t pte);
	void (*unmapped)(uint32_t va);
	void (*lost_line)(int line, uint32_t pa, uint32_t version, int nbytes, const char *how, int target);
	void (*overwritten)(int line, uint32_t pa, const char *how);
	void (*read)(uint32_t pa, uint32_t got, const char *by, uint32_t va);
	void (*wrong_page)(uint32_t va, int pfn, int target, const char *what);
	void (*cache_alias)(int pfn, int flushed);
	/* pkmap (oracle/pkmap.c): invariants P1-P7 and the liveness rule */
	void (*pkmap_check)(void);
	void (*pkmap_slot_fresh)(int nr);
	void (*pkmap_unpin)(int nr);
	void (*sleep_is_needed)(int colour);
	/* atomic kmaps (oracle/atomic.c): the caller's rules in each era */
	int (*km_type_map)(int pfn, int ktype);
	void (*km_type_mapped)(int type, uint32_t va);
	int (*km_type_unmap)(uint32_t va, int pfn, int ktype);
	void (*km_type_unmapped)(int type, uint32_t va, int pfn);
	void (*km_slot_free)(int idx, int pfn);
	void (*km_stack_overflow)(const char *fn, int i, int pfn);
	void (*km_lifo)(uint32_t va, int top, int cpu, const char *fn);
	void (*km_push)(int pfn, int local);
	/* mappings (oracle/mappings.c) */
	void (*dma_no_kernel_mapping)(uint32_t off);
	void (*task_end)(struct hmr_task *t);	/* what a task may not leave behind */
};
extern const struct hmr_oracle_ops *hmr_oracle;
#endif
