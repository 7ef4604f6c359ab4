/* reset.c - every layer's reset, lowest first, and the hooks (reset.h). */
#include "run/reset.h"
#include "run/exec.h"
#include "hw/hw.h"
#include "kernel/highmem.h"
#include "kernel/kapi.h"
#include "kernel/katomic.h"
#include "ksrc/ksrc.h"
#include "oracle/oracle.h"

void hmr_world_reset(const struct hmr_script *s)
{
	hmr_sim_reset(s);
	hmr_hw_reset();
	hmr_highmem_reset();
	hmr_katomic_reset();
	hmr_oracle_reset();
	if (hmr_ksrc_reset() < 0)
		hmr_rig_fail("profile %s runs Linux's own mm/highmem.c, and this binary has no copy of it for "
			     "last_pkmap=%d: use build/hmrig-ksrc (make ksrc)", W.prof->name, W.last_pkmap);
	hmr_hooks.task_body = hmr_exec_task;
	hmr_hooks.sched_out = hmr_kapi->sched_out;	/* the table this profile runs */
	hmr_hooks.sched_in = hmr_kapi->sched_in;
	hmr_hooks.ipi_flush_tlb = hmr_tlb_flush_local_all;
}
