/* sched.c - tasks on simulated CPUs, scheduling points and kernel primitives.
 *
 * Models: per-CPU current process task plus a stack of interrupt contexts,
 * preemption and IRQ state per context, spinlocks (with lockdep-style irq usage
 * bits), wait queues with the kernel's lost-wakeup-free protocol, and TLB
 * shootdown IPIs that need every other CPU to take an interrupt. Leaves out: task
 * migration, priorities, NMIs, bottom-half disabling.
 * Invariant: exactly one task (W.cur) or the scheduler runs at any moment, and
 * every switch between tasks goes through dispatch(), which asks choose(). */
#include "sim/sched.h"
#include "sim/backend.h"
#include "sim/choice.h"
#include "sim/hooks.h"
#include "sim/cov.h"
#include "sim/tsan.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hmr_task *hmr_top_ctx(int c)
{
	const struct hmr_cpu *cpu = &W.cpu[c];
	return cpu->nirq ? cpu->irq[cpu->nirq - 1] : cpu->curr;
}

/* The CPU would take an interrupt now: its innermost context has IRQs on, or
 * it is idle (no context, or its process task sleeps or ended). */
static int can_take_irq(int c)
{
	const struct hmr_task *t = hmr_top_ctx(c);
	if (!t || t->state == T_DONE || t->state == T_SLEEP)
		return 1;
	return !t->irqs_off;
}

/* Tasks by state, one bit per task id, kept by set_state(): the enabled set
 * is then a few mask operations per CPU, whatever the number of tasks. */
static unsigned ready;		/* T_NEW or T_READY */
static unsigned waiting;	/* T_SPIN or T_IPI: runnable when the lock or the IPIs are done */
static unsigned fresh;		/* T_NEW */
static unsigned on_cpu[HMR_MAX_CPUS][3];	/* the tasks of each CPU and context (static) */

static void set_state(struct hmr_task *t, int state)
{
	unsigned b = 1u << t->id;
	t->state = state;
	ready = state == T_NEW || state == T_READY ? ready | b : ready & ~b;
	waiting = state == T_SPIN || state == T_IPI ? waiting | b : waiting & ~b;
	fresh = state == T_NEW ? fresh | b : fresh & ~b;
}

/* The enabled set is recomputed only after something it depends on changed:
 * a task's state, a CPU's current task or interrupts, whether a task may be
 * preempted (preempt_count zero or not), whether it takes interrupts, the
 * owner of a lock someone spins on, an IPI. Every write of those is in this
 * file and sets stale; most scheduling points (a cache-maintenance loop's
 * lines, nested locks) change none of them and reuse the last set. */
static int stale;
static int nenabled;
static uint8_t enabled[HMR_MAX_TASKS];
static int spinning;	/* tasks in T_SPIN: only they care who owns a lock */

/* t's preempt_count moves by delta: the set depends on it being zero. */
static void preempt_add(struct hmr_task *t, int delta)
{
	int was = t->preempt_count;
	t->preempt_count += delta;
	if (!was != !t->preempt_count)
		stale = 1;
}

static void set_irqs_off(struct hmr_task *t, int off)
{
	if (t->irqs_off != off)
		stale = 1;
	t->irqs_off = off;
}

static int runnable(const struct hmr_task *t)
{
	switch (t->state) {
	case T_NEW:
	case T_READY:
		return 1;
	case T_SPIN:
		return t->spin_on->owner == NULL;
	case T_IPI:
		return t->ipi_waiting == 0;
	default:
		return 0;
	}
}

static int preemptible(const struct hmr_task *t)
{
	return t->preempt_count == 0 && !t->irqs_off && (t->state == T_READY || t->state == T_NEW);
}

/* What CPU c lets run now. */
struct cpu_gate {
	const struct hmr_task *only;	/* the one process task that may run, or NULL */
	const struct hmr_task *top;	/* its innermost delivered interrupt */
	uint8_t any_process;		/* every runnable process task may run */
	uint8_t new_hardirq, new_softirq;
};

static void gate(int c, struct cpu_gate *g)
{
	const struct hmr_cpu *cpu = &W.cpu[c];
	const struct hmr_task *curr = cpu->curr;
	g->top = cpu->nirq ? cpu->irq[cpu->nirq - 1] : NULL;
	g->any_process = !cpu->nirq && (!curr || curr->state == T_SLEEP || curr->state == T_DONE || preemptible(curr));
	g->only = !cpu->nirq ? curr : NULL;
	g->new_hardirq = cpu->nirq < 3 && can_take_irq(c);
	g->new_softirq = g->new_hardirq && !cpu->nirq;	/* softirqs do not nest in interrupts */
}

/* The enabled tasks, a bit each, by the gates of their CPUs: a process task
 * needs the CPU free or preemptible (or to be its current task), a delivered
 * interrupt must be the innermost one, a new interrupt needs that CPU to take
 * one. */
static unsigned enabled_mask(void)
{
	unsigned run = ready, en = 0;
	for (unsigned m = waiting; m; m &= m - 1)
		if (runnable(&W.task[__builtin_ctz(m)]))
			run |= m & -m;
	for (int c = 0; c < W.ncpu; c++) {
		struct cpu_gate g;
		gate(c, &g);
		if (g.any_process)
			en |= run & on_cpu[c][CTX_PROCESS];
		else if (g.only)
			en |= run & 1u << g.only->id;
		if (g.top)
			en |= run & 1u << g.top->id;
		if (g.new_hardirq)
			en |= fresh & on_cpu[c][CTX_HARDIRQ];
		if (g.new_softirq)
			en |= fresh & on_cpu[c][CTX_SOFTIRQ];
	}
	return en;
}

static void process_ipis(void)
{
	for (int c = 0; c < W.ncpu; c++) {
		struct hmr_cpu *cpu = &W.cpu[c];
		if (!cpu->ipi_pending || !can_take_irq(c))
			continue;
		cpu->ipi_pending = 0;
		hmr_hooks.ipi_flush_tlb(c);
		struct hmr_event *e = hmr_event(EV_IPI_ACK, (uint32_t)c, (uint32_t)cpu->ipi_from, 0);
		e->cpu = (uint8_t)c;
		for (int i = 0; i < W.ntask; i++)
			W.task[i].ipi_waiting &= ~(1 << c);
	}
}

static void add_segment(int task, int site, int count)
{
	/* seg_cnt stops at 0xffff: a switch there may have come later, which
	 * "until SITE#65535" would not say (the decision log does); the report
	 * still shows the segment. */
	if (count >= 0xffff)
		W.seg_overflow = 1;
	if (W.nseg >= (int)(sizeof(W.seg) / sizeof(W.seg[0]))) {
		W.seg_overflow = 1;
		return;
	}
	struct hmr_sched_line *l = &W.seg[W.nseg++];
	l->task = (uint8_t)task;
	l->site = (int16_t)site;
	l->count = (uint16_t)count;
	l->line = l->col = 0;
}

void hmr_sched_cut(int task, int site)
{
	add_segment(task, site, W.task[task].seg_cnt[site]);
	memset(W.task[task].seg_cnt, 0, sizeof(W.task[task].seg_cnt));
}

/* Bookkeeping when next starts running: context switch on its CPU, or the
 * delivery of an interrupt. */
static void activate(struct hmr_task *next)
{
	struct hmr_cpu *cpu = &W.cpu[next->cpu];
	if (next->ctx == CTX_PROCESS) {
		if (cpu->curr != next) {
			struct hmr_task *old = cpu->curr;
			/* next's CPU's context switch, on the dispatching task's fiber
			 * (maybe another CPU's): not that task's accesses for TSan. */
			hmr_tsan_ignore_begin();
			if (old && old->state != T_DONE)
				hmr_hooks.sched_out(old);
			cpu->curr = next;
			if (next->state != T_NEW)
				hmr_hooks.sched_in(next);
			hmr_tsan_ignore_end();
		}
	} else if (next->state == T_NEW) {
		cpu->irq[cpu->nirq++] = next;
		next->irqs_off = next->ctx == CTX_HARDIRQ;
		W.cur = next;
		hmr_event(EV_IRQ_ENTER, (uint32_t)next->cpu, 0, 0);
	}
	if (next->state == T_NEW)
		set_state(next, T_READY);
}

static void to_scheduler(struct hmr_task *t)
{
	if (t)
		hmr_switch(&t->fib, &W.main);
}

/* The tasks that may run now, in ascending id order, into set; their count. */
static int enabled_set(uint8_t *set)
{
	int n = 0;
	for (unsigned m = enabled_mask(); m; m &= m - 1)
		set[n++] = (uint8_t)__builtin_ctz(m);
	return n;
}

static void compute_enabled(void)
{
	process_ipis();
	nenabled = enabled_set(enabled);
	stale = 0;
}

#ifdef HMR_CHECK_SCHED
/* The same gates as enabled_mask(), task by task. */
static int is_enabled(const struct hmr_task *t, const struct cpu_gate *g)
{
	if (t->ctx == CTX_PROCESS)
		return runnable(t) && (g->any_process || g->only == t);
	if (t->state != T_NEW)
		return g->top == t && runnable(t);
	return t->ctx == CTX_SOFTIRQ ? g->new_softirq : g->new_hardirq;
}
#endif

/* The rules, checked where they are relied on (the ASan build defines
 * HMR_CHECK_SCHED): the enabled set, computed afresh or reused, is the set of
 * tasks is_enabled() admits one by one, with no IPI due. */
static void check_set(void)
{
#ifdef HMR_CHECK_SCHED
	struct cpu_gate g[HMR_MAX_CPUS];
	uint8_t now[HMR_MAX_TASKS];
	int n = 0, ipi_due = 0;
	for (int c = 0; c < W.ncpu; c++) {
		gate(c, &g[c]);
		ipi_due |= W.cpu[c].ipi_pending && can_take_irq(c);
	}
	for (int i = 0; i < W.ntask; i++)
		if (is_enabled(&W.task[i], &g[W.task[i].cpu]))
			now[n++] = (uint8_t)i;
	if (ipi_due || n != nenabled || memcmp(now, enabled, (size_t)n)) {
		fprintf(stderr, "hmrig: internal error: enabled set differs from its tasks' states at step %u\n", W.step);
		abort();
	}
#endif
}

/* dispatch()'s decision made: next runs after t. Apart, so that the common
 * case, t going on, takes no context-switch frame. */
static __attribute__((noinline)) void switch_to(struct hmr_task *t, struct hmr_task *next, int can_continue, int site)
{
	stale = 1;	/* a switch or an interrupt's delivery */
	if (t) {
		add_segment(t->id, can_continue ? site : -1, can_continue ? t->seg_cnt[site] : 0);
		t->stop_site = site;
		hmr_cov(COV_SWITCH, (uint32_t)site << 1 | (uint32_t)can_continue, (uint32_t)next->stop_site);
		hmr_cov_pair((uint32_t)site, (uint32_t)next->stop_site);
	}
	activate(next);
	/* One CPU runs one context at a time: whatever ran on it before (the task
	 * it switched from, the context an interrupt came over or returns to)
	 * happens before what runs next. */
	struct hmr_cpu *cpu = &W.cpu[next->cpu];
	if (cpu->last_ran && cpu->last_ran - 1 != next->id)
		hmr_race_order(cpu->last_ran - 1, next->id);
	cpu->last_ran = next->id + 1;
	memset(next->seg_cnt, 0, sizeof(next->seg_cnt));
	W.cur = next;
	hmr_event(EV_SWITCH, (uint32_t)next->id, t ? (uint32_t)t->id : 0xffu, 0);
	if (next != t) {	/* a task that blocked may be picked again at once */
		if (t)	/* one CPU's program order, for TSan */
			hmr_tsan_release(&W.cpu[t->cpu]);
		hmr_switch(t ? &t->fib : &W.main, &next->fib);
		if (t)
			hmr_tsan_acquire(&W.cpu[t->cpu]);
	}
}

/* Decide who runs after t (NULL: the scheduler itself) at site. can_continue:
 * t is at a scheduling point and may simply go on. Returns when t runs again. */
static void dispatch(struct hmr_task *t, int can_continue, int site)
{
	int cur = -1, pos;

	if (W.ended)
		return to_scheduler(t);
	if (can_continue && hmr_cur_chooser->only_sites && !(hmr_cur_chooser->only_sites >> site & 1))
		return;
	if (stale)
		compute_enabled();
	check_set();
	if (nenabled == 0)
		return to_scheduler(t);		/* all done, or nobody can run */
	if (hmr_no_decision(hmr_cur_chooser, nenabled)) {
		pos = 0;	/* the common case: no call, no search for t */
	} else {
		for (int i = 0; i < nenabled && can_continue; i++)
			if (enabled[i] == t->id)
				cur = i;
		pos = hmr_choose_task(hmr_cur_chooser, nenabled, enabled, cur, site);
		if (W.sched_err[0]) {
			W.ended = 1;
			return to_scheduler(t);
		}
	}
	struct hmr_task *next = &W.task[enabled[pos]];
	if (next == t && can_continue)
		return;
	switch_to(t, next, can_continue, site);
}

void hmr_sched_point(int site)
{
	struct hmr_task *t = W.cur;
#ifdef HMR_TSAN
	if (hmr_tsan_reports) {	/* ThreadSanitizer saw a race in the model code */
		hmr_tsan_reports = 0;
		hmr_oracle->tsan_race(t);
	}
#endif
	W.step++;
	W.last_site = site;
	if (t->seg_cnt[site] < 0xffff)
		t->seg_cnt[site]++;
	if (W.step > (uint32_t)CFG(&W.cfg, steps))
		hmr_oracle->step_budget(t, site);
	/* t alone may run and nothing changed since: dispatch() would let t go
	 * on whatever the sites filter says (the set was computed with t
	 * running, so its one task is t). */
	if (!stale && nenabled == 1 && !W.ended && hmr_no_decision(hmr_cur_chooser, 1)) {
		check_set();
		return;
	}
	dispatch(t, 1, site);
}

/* The running task cannot go on (its state says why): run someone else. */
static void block(void)
{
	stale = 1;	/* the caller changed its state */
	hmr_event(EV_BLOCK, (uint32_t)W.cur->state, 0, 0);
	dispatch(W.cur, 0, W.last_site);
}

static void task_entry(void *arg)
{
	struct hmr_task *t = arg;
	hmr_tsan_acquire(&W.cpu[t->cpu]);	/* after what ran on its CPU before */
	hmr_hooks.task_body(t);
	hmr_oracle->task_end(t);
	set_state(t, T_DONE);
	stale = 1;
	if (t->ctx != CTX_PROCESS) {
		struct hmr_cpu *cpu = &W.cpu[t->cpu];
		cpu->nirq--;
		hmr_event(EV_IRQ_EXIT, (uint32_t)t->cpu, 0, 0);
	} else {
		W.cpu[t->cpu].curr = NULL;
	}
	hmr_tsan_release(&W.cpu[t->cpu]);
	dispatch(t, 0, W.last_site);
	for (;;)	/* a finished task is never resumed */
		to_scheduler(t);
}

static _Alignas(64) char stacks[HMR_MAX_TASKS][HMR_STACK_SIZE];

/* Re-arm every task's fiber and clear per-CPU state for a new execution. */
void hmr_sched_reset(void)
{
	memset(W.cpu, 0, sizeof(W.cpu));
	hmr_backend->init_main(&W.main);
	W.cur = NULL;
	ready = waiting = fresh = 0;
	memset(on_cpu, 0, sizeof(on_cpu));
	stale = 1;
	spinning = 0;
	for (int i = 0; i < W.ntask; i++) {
		struct hmr_task *t = &W.task[i];
		const struct hmr_task_def *d = &W.script->task[i];
		memset(t, 0, offsetof(struct hmr_task, fib));
		t->id = i;
		t->def = d;
		t->cpu = d->cpu;
		t->ctx = d->ctx;
		set_state(t, T_NEW);
		on_cpu[t->cpu][t->ctx] |= 1u << i;
		t->sleep_state = TASK_RUNNING;
		hmr_backend->init_task(&t->fib, stacks[i], HMR_STACK_SIZE, task_entry, t);
	}
}

void hmr_run(void)
{
	W.cur = NULL;
	dispatch(NULL, 0, -1);
	W.last_task = W.cur ? W.cur->id : -1;
	W.cur = NULL;		/* back in the scheduler */
	if (W.ended)
		return;
	/* Nobody can run: done, or a deadlock. */
	hmr_oracle->no_progress();
	W.ended = 1;
}

/* ---- per-task context state ---- */

int irqs_disabled(void) { return W.cur->irqs_off; }
int in_irq(void) { return W.cur->ctx == CTX_HARDIRQ; }
int in_interrupt(void) { return W.cur->ctx != CTX_PROCESS; }
int smp_processor_id(void) { return W.cur->cpu; }

void local_irq_disable(void) { set_irqs_off(W.cur, 1); }
void local_irq_enable(void) { set_irqs_off(W.cur, 0); }

unsigned long local_irq_save(void)
{
	unsigned long f = (unsigned long)W.cur->irqs_off;
	set_irqs_off(W.cur, 1);
	return f;
}

void local_irq_restore(unsigned long flags) { set_irqs_off(W.cur, (int)flags); }
void preempt_disable(void) { preempt_add(W.cur, 1); }

void preempt_enable(void)
{
	if (WARN_ON(W.cur->preempt_count <= 0))
		return;
	preempt_add(W.cur, -1);
}

void pagefault_disable(void) { W.cur->pagefault_disabled++; preempt_disable(); }

void pagefault_enable(void)
{
	W.cur->pagefault_disabled--;
	preempt_enable();
}

void might_sleep(void) { hmr_oracle->sleep(W.cur, 0); }
void hmr_bug(const char *cond, const char *fn) { hmr_oracle->bug(cond, fn); }
void hmr_warn(const char *cond, const char *fn) { hmr_oracle->warn(cond, fn); }

/* ---- spinlocks ---- */

static void acquire(struct spinlock *l)
{
	struct hmr_task *t = W.cur;
	preempt_add(t, 1);
	hmr_oracle->lock_irq_usage(t, l);
	while (l->owner) {
		hmr_oracle->spin_on(t, l);	/* AA deadlock */
		set_state(t, T_SPIN);
		t->spin_on = l;
		spinning++;
		block();
		spinning--;
		set_state(t, T_READY);
		t->spin_on = NULL;
	}
	l->owner = t;
	if (spinning)
		stale = 1;
	l->taken_step = W.step;
	hmr_race_acquire(&l->vc);
	hmr_tsan_acquire(l);
	if (t->nlocks < 4)
		t->locks[t->nlocks] = l;
	t->nlocks++;
	hmr_event(EV_LOCK, 0, 0, 0)->fn = l->name;
}

static void release(struct spinlock *l)
{
	struct hmr_task *t = W.cur;
	hmr_oracle->unlock(t, l);
	hmr_race_release(&l->vc);
	hmr_tsan_release(l);
	l->owner = NULL;
	if (spinning)
		stale = 1;
	t->nlocks--;
	hmr_event(EV_UNLOCK, 0, 0, 0)->fn = l->name;
	preempt_add(t, -1);
}

void spin_lock_at(struct spinlock *l, int site)
{
	hmr_sched_point(site);
	acquire(l);
}

void spin_unlock_at(struct spinlock *l, int site)
{
	release(l);
	hmr_sched_point(site);
}

void spin_lock_irq_at(struct spinlock *l, int site)
{
	hmr_sched_point(site);
	local_irq_disable();
	acquire(l);
}

void spin_unlock_irq_at(struct spinlock *l, int site)
{
	release(l);
	local_irq_enable();
	hmr_sched_point(site);
}

unsigned long spin_lock_irqsave_at(struct spinlock *l, int site)
{
	hmr_sched_point(site);
	unsigned long f = local_irq_save();
	acquire(l);
	return f;
}

void spin_unlock_irqrestore_at(struct spinlock *l, unsigned long flags, int site)
{
	release(l);
	local_irq_restore(flags);
	hmr_sched_point(site);
}

/* ---- wait queues ---- */

void add_wait_queue(struct wait_queue_head *wq)
{
	if (wq->n < HMR_MAX_TASKS)
		wq->waiter[wq->n++] = W.cur;
	W.cur->waitq = wq;
}

void remove_wait_queue(struct wait_queue_head *wq)
{
	for (int i = 0; i < wq->n; i++)
		if (wq->waiter[i] == W.cur) {
			memmove(&wq->waiter[i], &wq->waiter[i + 1], (size_t)(wq->n - i - 1) * sizeof(wq->waiter[0]));
			wq->n--;
			return;
		}
}

void set_current_state(int state) { W.cur->sleep_state = state; }

void schedule(void)
{
	struct hmr_task *t = W.cur;
	hmr_oracle->sleep(t, 1);
	if (t->sleep_state == TASK_RUNNING)
		return;		/* woken before it slept: the protocol's early wake-up */
	set_state(t, T_SLEEP);
	block();
	set_state(t, T_READY);
	stale = 1;
	if (t->waitq) {
		hmr_race_acquire(&t->waitq->vc);	/* ordered after its waker */
		hmr_tsan_acquire(t->waitq);
	}
}

void wake_up(struct wait_queue_head *wq)
{
	hmr_race_release(&wq->vc);
	hmr_tsan_release(wq);
	for (int i = 0; i < wq->n; i++) {
		struct hmr_task *w = wq->waiter[i];
		if (w->sleep_state == TASK_RUNNING)
			continue;
		w->sleep_state = TASK_RUNNING;
		if (w->state == T_SLEEP)
			set_state(w, T_READY);
		stale = 1;
		hmr_event(EV_WAKE, (uint32_t)w->id, 0, 0);
	}
}

int waitqueue_active(const struct wait_queue_head *wq) { return wq->n > 0; }

/* ---- IPIs ---- */

void hmr_ipi_tlb_shootdown(uint32_t start, uint32_t end)
{
	struct hmr_task *t = W.cur;
	(void)start;
	(void)end;
	hmr_oracle->ipi_send(t);
	for (int c = 0; c < W.ncpu; c++) {
		if (c == t->cpu)
			continue;
		W.cpu[c].ipi_pending = 1;
		W.cpu[c].ipi_from = t->cpu;
		t->ipi_waiting |= 1 << c;
		stale = 1;
		hmr_event(EV_IPI_SEND, (uint32_t)c, 0, 0);
	}
	preempt_add(t, 1);	/* smp_call_function runs with preemption off */
	W.last_site = HMR_SITE_tlb_ipi_wait;
	while (t->ipi_waiting) {
		set_state(t, T_IPI);
		block();
		set_state(t, T_READY);
	}
	preempt_add(t, -1);
	stale = 1;
	sched_point(tlb_ipi_wait);
}
