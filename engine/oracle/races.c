/* race.c - data races on the model's shared state: the happens-before
 * detector's (sim/race.c) and, in the TSan build, ThreadSanitizer's. */
#include "oracle/oracle.h"
#include "sim/race.h"
#include "sim/tsan.h"

static const char *const kind_name[RACE__N] = {
	"pkmap_count[]", "the pkmap PTE of slot", "page_address_htable bucket", "the pkmap slot cursor",
	"the per-CPU kmap_atomic state of cpu",
};

/* The running task's access (write or read) to object (kind, index) has no
 * order against other_task's earlier one (other_write), made in other_fn at
 * other_step, site other_site. */
static void race(int kind, int index, int other_task, const char *other_fn, uint32_t other_step,
		 int other_site, int other_write, int write)
{
	int slot = kind == RACE_COUNT || kind == RACE_PTE ? index : -1;
	hmr_finding(HMR_K_data_race, HMR_ABOUT(slot, 0, -1, -1), hmr_fn_outer(W.cur), other_fn,
		    "task %s %s %s %d in %s at step %u (site %s), with no order against\n"
		    "  task %s's %s of it in %s at step %u (site %s): the two accesses race",
		    W.cur->def->name, write ? "writes" : "reads", kind_name[kind], index, hmr_fn_outer(W.cur), W.step,
		    hmr_sites[W.last_site].name, W.script->task[other_task].name, other_write ? "write" : "read",
		    other_fn, other_step, hmr_sites[other_site].name);
}

/* ThreadSanitizer saw a race in the model code while t ran. */
static void tsan_race(const struct hmr_task *t)
{
#ifdef HMR_TSAN
	static struct hmr_tsan_access a[2];
	if (hmr_tsan_last_race(a) == 2)
		hmr_finding(HMR_K_data_race, HMR_ABOUT_NONE, a[0].fn, a[1].fn,
			    "ThreadSanitizer: task %s (cpu%d) %s %d byte(s) in %s, before step %u, with no order\n"
			    "  against an earlier %s of them in %s: the two accesses race (TSan's report, with\n"
			    "  both stacks and threads, is on stderr)",
			    t->def->name, t->cpu, a[0].write ? "writes" : "reads", a[0].size, a[0].fn, W.step,
			    a[1].write ? "write" : "read", a[1].fn);
#endif
	hmr_finding(HMR_K_data_race, HMR_ABOUT_NONE, hmr_fn_outer(t), hmr_fn_outer(t),
		    "ThreadSanitizer reported a data race in the kernel model while task %s (cpu%d) ran %s, before step %u;\n"
		    "  its report, with both accesses and their stacks, is on stderr",
		    t->def->name, t->cpu, hmr_fn_outer(t), W.step);
}

void hmr_oracle_race(struct hmr_oracle_ops *o)
{
	o->race = race;
	o->tsan_race = tsan_race;
}
