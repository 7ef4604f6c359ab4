/* sched.h - the scheduler and the kernel primitives built on it.
 *
 * Tasks run as fibers bound to simulated CPUs. A task gives the scheduler a chance
 * to switch only at a scheduling point (sched_point) or when it blocks; there the
 * enabled tasks are computed under the rules of README "Scenario files" (preemption only where
 * allowed, interrupts only where that CPU has them on) and choose() decides. The
 * primitives below keep the same per-CPU state the kernel keeps, so context rules
 * are checked where the kernel would check them. All functions here run in a
 * task unless they say otherwise. */
#ifndef HMR_SCHED_H
#define HMR_SCHED_H
#include "sim/world.h"

/* The innermost context on CPU c: its latest interrupt, or its process task. */
struct hmr_task *hmr_top_ctx(int c);

/* A scheduling point at a named site (sites.def). May switch tasks. */
void hmr_sched_point(int site);
#define sched_point(id) hmr_sched_point(HMR_SITE_##id)

/* End the running task's schedule segment at site without a switch (a
 * schedule: block that names the same task on consecutive lines). */
void hmr_sched_cut(int task, int site);

/* Run one execution of the world set up by hmr_world_reset(). Called from the
 * scheduler (not a task). Returns when every task is done, a finding was made,
 * or a schedule: line could not be followed (W.sched_err). */
void hmr_run(void);

/* Spinlocks: one scheduling point at the acquire (before) and at the release
 * (after). Spinning blocks the task until the lock is free, so a self-deadlock or
 * wait-for cycle is found, not spun on. */
void spin_lock_at(struct spinlock *l, int site);
void spin_unlock_at(struct spinlock *l, int site);
void spin_lock_irq_at(struct spinlock *l, int site);
void spin_unlock_irq_at(struct spinlock *l, int site);
unsigned long spin_lock_irqsave_at(struct spinlock *l, int site);
void spin_unlock_irqrestore_at(struct spinlock *l, unsigned long flags, int site);

void local_irq_disable(void);
void local_irq_enable(void);
unsigned long local_irq_save(void);
void local_irq_restore(unsigned long flags);
int irqs_disabled(void);
void preempt_disable(void);
void preempt_enable(void);
void pagefault_disable(void);
void pagefault_enable(void);
int in_interrupt(void);		/* softirq or hardirq context */
int in_irq(void);		/* hardirq context */
int smp_processor_id(void);
/* might_sleep(): a sleep-in-atomic finding if preemption or IRQs are off or in
 * interrupt context. */
void might_sleep(void);

/* Wait queues, as the kernel's: enqueue and set the state under the caller's
 * lock; schedule() sleeps only if the state is still UNINTERRUPTIBLE. */
void add_wait_queue(struct wait_queue_head *wq);
void remove_wait_queue(struct wait_queue_head *wq);
void set_current_state(int state);
void schedule(void);
void wake_up(struct wait_queue_head *wq);
int waitqueue_active(const struct wait_queue_head *wq);

/* Send the TLB-shootdown IPI for [start, end) to every other CPU and wait for
 * all acknowledgements (smp_call_function). A CPU takes the IPI when it has
 * interrupts on; one spinning with them off never acks (E16). */
void hmr_ipi_tlb_shootdown(uint32_t start, uint32_t end);

/* BUG_ON / WARN_ON of the model: findings, never crashes. */
#define BUG_ON(cond) do { if (cond) hmr_bug(#cond, __func__); } while (0)
#define WARN_ON(cond) ((cond) ? (hmr_warn(#cond, __func__), 1) : 0)
void hmr_bug(const char *cond, const char *fn);
void hmr_warn(const char *cond, const char *fn);

#endif
