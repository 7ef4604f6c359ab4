/* progress.c - deadlock and hang: a task spinning on a lock it holds, no task
 * able to run while some have not finished, the step budget running out. */
#include "oracle/oracle.h"
#include "sim/sched.h"
#include <stdio.h>
#include <string.h>

static void spin_on(const struct hmr_task *t, const struct spinlock *l)
{
	if (l->owner == t)
		hmr_finding(HMR_K_deadlock, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
			    "task %s takes %s, which it already holds (AA deadlock) in %s",
			    t->def->name, l->name, hmr_fn_outer(t));
}

static void describe_block(const struct hmr_task *t, char *buf, size_t sz)
{
	const char *fn = hmr_fn_outer(t);
	switch (t->state) {
	case T_SPIN:
		snprintf(buf, sz, "task %s (cpu%d) spins on %s held by %s, with IRQs %s, in %s",
			 t->def->name, t->cpu, t->spin_on->name,
			 t->spin_on->owner ? t->spin_on->owner->def->name : "nobody",
			 t->irqs_off ? "off" : "on", fn);
		break;
	case T_SLEEP:
		snprintf(buf, sz, "task %s (cpu%d) sleeps uninterruptibly in %s", t->def->name, t->cpu, fn);
		break;
	case T_IPI: {
		int c = 0;
		while (c < W.ncpu && !(t->ipi_waiting & (1 << c)))
			c++;
		const struct hmr_task *o = c < W.ncpu ? hmr_top_ctx(c) : NULL;
		snprintf(buf, sz, "task %s (cpu%d) waits in %s for the TLB-shootdown IPI ack of cpu%d%s%s%s",
			 t->def->name, t->cpu, fn, c, o ? ", whose task " : "", o ? o->def->name : "",
			 o && o->irqs_off ? " runs with IRQs off" : "");
		break;
	}
	default:
		snprintf(buf, sz, "task %s (cpu%d) cannot be scheduled (interrupted or not preemptible) in %s",
			 t->def->name, t->cpu, fn);
	}
}

/* The scheduler found no task to run: a deadlock unless every task is done. */
static void no_progress(void)
{
	char msg[512] = "", one[200];
	const char *sa = NULL, *sb = NULL;
	int blocked = 0;
	for (int i = 0; i < W.ntask; i++) {
		const struct hmr_task *t = &W.task[i];
		if (t->state == T_DONE || t->state == T_NEW)
			continue;
		describe_block(t, one, sizeof(one));
		if (strlen(msg) + strlen(one) + 3 < sizeof(msg)) {
			strcat(msg, blocked ? ";\n  " : "");
			strcat(msg, one);
		}
		if (!sa)
			sa = hmr_fn_outer(t);
		else if (!sb)
			sb = hmr_fn_outer(t);
		blocked++;
	}
	if (blocked) {
		hmr_finding(HMR_K_deadlock, HMR_ABOUT_NONE, sa, sb ? sb : sa, "no task can make progress:\n  %s", msg);
		return;
	}
	for (int i = 0; i < W.ntask; i++)
		if (W.task[i].state == T_NEW) {
			hmr_finding(HMR_K_deadlock, HMR_ABOUT_NONE, "scheduler", "scheduler",
				    "task %s can never start: its CPU never allows it in", W.task[i].def->name);
			return;
		}
}

static void step_budget(const struct hmr_task *t, int site)
{
	hmr_finding(HMR_K_hang, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
		    "the step budget (%d) ran out: task %s is at %s in %s",
		    CFG(&W.cfg, steps), t->def->name, hmr_sites[site].name, hmr_fn_outer(t));
}

void hmr_oracle_progress(struct hmr_oracle_ops *o)
{
	o->spin_on = spin_on;
	o->no_progress = no_progress;
	o->step_budget = step_budget;
}
