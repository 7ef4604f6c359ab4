/* data.c - the data oracles: lost writes, stale reads, wrong-page maintenance,
 * stale TLB entries, accesses nothing maps, and cached aliases of an uncached
 * page (docs/MODEL.md f.1).
 *
 * hw/hw.c keeps a version on every byte of memory and of every line, and the
 * newest version of each physical byte (HW.latest); it calls here where data
 * can be lost or read stale, and these functions name who wrote what. */
#include "oracle/oracle.h"
#include "hw/hw.h"
#include "kernel/highmem.h"
#include <stdio.h>

static char pbuf[4][8];
static const char *pn(int pfn, int k) { return hmr_pfn_name(pfn, pbuf[k & 3]); }

static uint32_t lmask(void) { return ~(W.L - 1); }

/* "task B at step 48 (B op 8: write p5 0 0x55 256)" */
static void describe_version(uint32_t v, char *buf, size_t sz)
{
	const struct hmr_version *ver = &HW.ver[v];
	if (v == 0 || ver->task == 0xffff) {
		snprintf(buf, sz, "the initial contents");
		return;
	}
	char op[128];
	hmr_op_ref(W.script, ver->task, ver->op, op, sizeof(op));
	snprintf(buf, sz, "%s%s at step %u (%s)", ver->device ? "the device, driven by task " : "task ",
		 W.script->task[ver->task].name, ver->step, op);
}

static const char *version_fn(uint32_t v)
{
	static const char *const names[] = { "write", "dev_write", "user_write" };
	const struct hmr_version *ver = &HW.ver[v];
	if (v == 0 || ver->task == 0xffff)
		return "boot";
	if (ver->device)
		return names[1];
	const struct hmr_task_def *d = &W.script->task[ver->task];
	if (ver->op >= 0 && ver->op < d->nops && d->ops[ver->op].code == HMR_OP_user_write)
		return names[2];
	return names[0];
}

/* The model function that last set or cleared va's PTE. */
static const char *last_pte_fn(uint32_t va)
{
	uint32_t page = va & ~(W.P - 1);
	for (int i = (W.nev < HMR_MAX_EVENTS ? W.nev : HMR_MAX_EVENTS) - 1; i >= 0; i--) {
		const struct hmr_event *e = &W.ev[i];
		if ((e->type == EV_PTE_SET || e->type == EV_PTE_CLEAR) && e->a == page)
			return e->fn;
	}
	return hmr_fn_outer(W.cur);	/* never mapped through a PTE: one site */
}

/* The report follows va's pkmap slot (if any) and its line. */
static struct hmr_about about_va(uint32_t va, int pfn_a, int pfn_b)
{
	return HMR_ABOUT(hmr_in_pkmap(va) ? PKMAP_NR(va) : -1, va & lmask(), pfn_a, pfn_b);
}

static void stale_tlb(int cpu, uint32_t va, int tlb_pfn, uint32_t pte)
{
	hmr_finding(HMR_K_stale_tlb, about_va(va, tlb_pfn, pte ? (int)pte - 1 : -1), hmr_fn_outer(W.cur), last_pte_fn(va),
		    "task %s on cpu%d used VA 0x%08x through a stale TLB entry: the TLB maps it to %s, but the PTE %s%s (changed by %s, never flushed on cpu%d)",
		    W.cur->def->name, cpu, va, pn(tlb_pfn, 0), pte ? "maps " : "is none",
		    pte ? pn((int)pte - 1, 1) : "", last_pte_fn(va), cpu);
}

static void unmapped(uint32_t va)
{
	hmr_finding(HMR_K_bug_on, about_va(va, -1, -1), hmr_fn_outer(W.cur), last_pte_fn(va),
		    "unable to handle kernel paging request at virtual address 0x%08x: task %s (cpu%d) in %s, nothing maps it",
		    va, W.cur->def->name, W.cur->cpu, hmr_fn_outer(W.cur));
}

/* Line li is dropped holding nbytes of the newest version v from pa on, which
 * memory does not hold: a lost write. target is the page the maintenance in
 * progress means (-1: none). */
static void lost_line(int li, uint32_t pa, uint32_t v, int nbytes, const char *how, int target)
{
	const struct hmr_line *l = &HW.line[li];
	int pfn = (int)(pa / W.P);
	char who[160];
	describe_version(v, who, sizeof(who));
	const char *fa = hmr_fn_outer(W.cur), *fb = version_fn(v);
	/* Maintenance meant for another page hit this one through a recycled pkmap
	 * VA: the conflicting event is whoever re-mapped the slot (E11). */
	if (target >= 0 && target != pfn && hmr_in_pkmap(l->va))
		fb = last_pte_fn(l->va);
	hmr_finding(HMR_K_lost_write, about_va(l->va, pfn, target), fa, fb,
		    "task %s (cpu%d) %s line 0x%08x in %s at step %u%s%s:\n"
		    "  %d byte(s) of %s (pa 0x%05x..) held there were never written back;\n"
		    "  they were written by %s; memory still holds older data",
		    W.cur->def->name, W.cur->cpu, how, l->va, fa, W.step,
		    target >= 0 ? " meaning to maintain " : "", target >= 0 ? pn(target, 1) : "",
		    nbytes, pn(pfn, 0), pa, who);
}

/* Line li is written back over memory that holds the only copy of the newest
 * version of pa. */
static void overwritten(int li, uint32_t pa, const char *how)
{
	const struct hmr_line *l = &HW.line[li];
	uint32_t lv = HW.latest[pa];
	char who[160];
	describe_version(lv, who, sizeof(who));
	hmr_finding(HMR_K_lost_write, about_va(l->va, (int)(pa / W.P), -1), hmr_fn_outer(W.cur), version_fn(lv),
		    "task %s (cpu%d) %s line 0x%08x in %s at step %u and overwrote newer data of %s (pa 0x%05x) in memory with the line's stale copy;\n"
		    "  the newer data was written by %s",
		    W.cur->def->name, W.cur->cpu, how, l->va, hmr_fn_outer(W.cur), W.step,
		    pn((int)(pa / W.P), 0), pa, who);
}

/* A byte read by `by` (through the cache at va, or from memory when va is 0)
 * had version got, not the newest: stale, unless the device owns it now. */
static void stale_read(uint32_t pa, uint32_t got, const char *by, uint32_t va)
{
	uint32_t want = HW.latest[pa];
	if (got == want || hmr_dma_find(pa, 1 << DMA_FROM_DEVICE))
		return;
	char g[160], w[160];
	describe_version(got, g, sizeof(g));
	describe_version(want, w, sizeof(w));
	hmr_finding(HMR_K_stale_read, va ? about_va(va, (int)(pa / W.P), -1) : HMR_ABOUT(-1, 0, (int)(pa / W.P), -1),
		    by, version_fn(want),
		    "%s read %s+0x%x (pa 0x%05x%s) at step %u and got stale data:\n"
		    "  it saw the data of %s,\n  but the newest data was written by %s",
		    W.cur->def->name, pn((int)(pa / W.P), 0), pa & (W.P - 1), pa,
		    va ? ", through the CPU cache" : ", from memory", W.step, g, w);
}

static void wrong_page(uint32_t va, int pfn, int target, const char *what)
{
	hmr_finding(HMR_K_wrong_page, about_va(va, target, pfn), hmr_fn_outer(W.cur), last_pte_fn(va),
		    "task %s (cpu%d) maintained line 0x%08x for %s in %s at step %u, but %s%s (the VA was recycled or unmapped under it, or never mapped that page)",
		    W.cur->def->name, W.cur->cpu, va & lmask(), pn(target, 0), hmr_fn_outer(W.cur), W.step,
		    what, pfn >= 0 ? pn(pfn, 1) : "");
}

/* The model function that installed the PTE of va (for the report title). */
static const char *pte_setter(uint32_t va)
{
	int n = W.nev < HMR_MAX_EVENTS ? W.nev : HMR_MAX_EVENTS;
	for (int i = n - 1; i >= 0; i--)
		if (W.ev[i].type == EV_PTE_SET && W.ev[i].a == va)
			return W.ev[i].fn ? W.ev[i].fn : "kmap_high";
	return "kmap_high";
}

/* x86 change_page_attr making pfn uncached: no pkmap slot may still map it
 * cached (E9, E19). flushed: kmap_flush_unused() ran first. */
static void cache_alias(int pfn, int flushed)
{
	char p[8];
	for (int i = 0; i < W.last_pkmap; i++) {
		if (HW.pkmap_pte[i] != (uint32_t)pfn + 1 || PK.pkmap_count[i] < 1)
			continue;
		hmr_finding(HMR_K_cache_alias, HMR_ABOUT(i, 0, pfn, -1), "set_memory_uc", pte_setter(PKMAP_ADDR(i)),
			    "task %s (cpu%d) makes %s uncached at step %u while pkmap slot %d (VA 0x%08x, count %d%s) "
			    "still maps it with a cached write-back PTE: the UC and WB aliases coexist%s",
			    W.cur->def->name, W.cur->cpu, hmr_pfn_name(pfn, p), W.step, i, PKMAP_ADDR(i),
			    PK.pkmap_count[i], PK.pkmap_count[i] == 1 ? ", kept lazily after kunmap" : ", held",
			    flushed ? "" : ";\n  kmap_flush_unused() was not called before the attribute change (E9, E19)");
	}
}

void hmr_oracle_data(struct hmr_oracle_ops *o)
{
	o->stale_tlb = stale_tlb;
	o->unmapped = unmapped;
	o->lost_line = lost_line;
	o->overwritten = overwritten;
	o->read = stale_read;
	o->wrong_page = wrong_page;
	o->cache_alias = cache_alias;
}
