/* context.c - the running task's context rules: sleeping in atomic context,
 * BUG_ON and WARN_ON, lock/IRQ discipline (lockdep's usage bits), unlocking
 * what one does not hold, and IPIs sent with IRQs off (docs/MODEL.md f.4). */
#include "oracle/oracle.h"
#include "sim/sched.h"

static const char *ctx_word(int ctx)
{
	return ctx == CTX_PROCESS ? "process" : ctx == CTX_SOFTIRQ ? "softirq" : "hardirq";
}

/* might_sleep() (in_schedule 0) or schedule() (1) in task t. */
static void sleep(const struct hmr_task *t, int in_schedule)
{
	if (!t->preempt_count && !t->irqs_off && t->ctx == CTX_PROCESS)
		return;
	if (in_schedule)
		hmr_finding(HMR_K_sleep_in_atomic, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
			    "schedule() while atomic: task %s (cpu%d) in %s, preempt_count=%d, IRQs %s",
			    t->def->name, t->cpu, hmr_fn_outer(t), t->preempt_count, t->irqs_off ? "off" : "on");
	hmr_finding(HMR_K_sleep_in_atomic, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
		    "sleeping function called from invalid context: task %s (cpu%d) in %s with preempt_count=%d, IRQs %s, %s context",
		    t->def->name, t->cpu, hmr_fn_outer(t), t->preempt_count, t->irqs_off ? "off" : "on", ctx_word(t->ctx));
}

static void bug(const char *cond, const char *fn)
{
	hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, hmr_fn_outer(W.cur), hmr_fn_outer(W.cur),
		    "kernel BUG in %s: BUG_ON(%s) (task %s, cpu%d)", fn, cond, W.cur->def->name, W.cur->cpu);
}

static void warn(const char *cond, const char *fn)
{
	hmr_finding(HMR_K_warning, HMR_ABOUT_NONE, hmr_fn_outer(W.cur), hmr_fn_outer(W.cur),
		    "WARNING in %s: WARN_ON(%s) (task %s, cpu%d)", fn, cond, W.cur->def->name, W.cur->cpu);
}

/* lockdep's usage bits: a lock taken in hardirq context must never be taken
 * with IRQs on. */
static void lock_irq_usage(const struct hmr_task *t, struct spinlock *l)
{
	if (t->ctx == CTX_HARDIRQ)
		l->used_hardirq = 1;
	if (!t->irqs_off)
		l->used_irqs_on = 1;
	if (l->used_hardirq && l->used_irqs_on)
		hmr_finding(HMR_K_irq_lock_inversion, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
			    "%s is taken in hardirq context and also with IRQs enabled (now by task %s in %s): an interrupt on the holder's CPU deadlocks",
			    l->name, t->def->name, hmr_fn_outer(t));
}

static void unlock(const struct hmr_task *t, const struct spinlock *l)
{
	if (l->owner != t)
		hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
			    "task %s releases %s, which it does not hold", t->def->name, l->name);
}

static void ipi_send(const struct hmr_task *t)
{
	if (t->irqs_off)
		hmr_finding(HMR_K_irq_lock_inversion, HMR_ABOUT_NONE, "flush_tlb_kernel_range", hmr_fn_outer(t),
			    "smp_call_function() with IRQs disabled: task %s (cpu%d) sends the TLB-shootdown IPI from %s; a CPU spinning on a lock it holds can never acknowledge it",
			    t->def->name, t->cpu, hmr_fn_outer(t));
}

void hmr_oracle_real_bug(const char *cond, const char *file, int line)
{
	hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, hmr_fn_outer(W.cur), hmr_fn_outer(W.cur),
		    "task %s hit BUG_ON(%s) at %s:%d (the real source) at step %u",
		    W.cur->def->name, cond, file, line, W.step);
}

void hmr_oracle_context(struct hmr_oracle_ops *o)
{
	o->sleep = sleep;
	o->bug = bug;
	o->warn = warn;
	o->lock_irq_usage = lock_irq_usage;
	o->unlock = unlock;
	o->ipi_send = ipi_send;
}
