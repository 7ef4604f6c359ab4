/* mappings.c - what a task does with the mappings it obtained: a load or store
 * through a VA it released (use after kunmap, E28b) or whose PTE moved under
 * its pin (P6), a NULL from kmap_high_get, DMA-API misuse, and what it may not
 * leave behind when it ends (kmaps, pins, IRQs off, preemption off). */
#include "oracle/oracle.h"
#include "hw/hw.h"
#include "kernel/highmem.h"
#include "sim/sched.h"

static char nb[2][8];

/* "A op 1: kmap p1", into one of two buffers. */
static const char *op_ref(const struct hmr_task *t, int op, int k)
{
	static char b[2][128];
	hmr_op_ref(W.script, t->id, op, b[k], sizeof(b[k]));
	return b[k];
}

void hmr_oracle_access(const struct hmr_task *t, const struct hmr_op *op, const struct hmr_map *m, int pfn,
		       const char *fn, const char *map_fn)
{
	if (!m->va)
		hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, fn, "kmap_high_get",
			    "task %s dereferences the NULL that kmap_high_get(%s) returned",
			    t->def->name, hmr_pfn_name(pfn, nb[0]));
	if (m->live && m->va && hmr_pfn_is_high(pfn) && hmr_pte_get(m->va) != (uint32_t)pfn + 1) {
		/* The pin guarantee (P6, docs/MODEL.md f.2): a held mapping keeps its page. */
		uint32_t now = hmr_pte_get(m->va);
		hmr_finding(m->how == MAP_ATOMIC || m->how == MAP_LOCAL ? HMR_K_kmap_atomic_misuse : HMR_K_pkmap_invariant,
			    HMR_ABOUT(hmr_in_pkmap(m->va) ? PKMAP_NR(m->va) : -1, 0, pfn, now ? (int)now - 1 : -1),
			    fn, map_fn,
			    "task %s still holds VA 0x%08x for %s (from %s), but its PTE now maps %s: the pin guarantee (P6) is broken",
			    t->def->name, m->va, hmr_pfn_name(pfn, nb[0]), op_ref(t, m->op, 0),
			    now ? hmr_pfn_name((int)now - 1, nb[1]) : "nothing");
	}
	if (!m->live && hmr_pfn_is_high(pfn)) {
		hmr_finding(HMR_K_use_after_kunmap, HMR_ABOUT(hmr_in_pkmap(m->va) ? PKMAP_NR(m->va) : -1, 0, pfn, -1),
			    fn, map_fn,
			    "task %s %s %s through VA 0x%08x (%s) after it released the mapping %s took; "
			    "the VA now maps %s",
			    t->def->name, op->code == HMR_OP_read ? "reads" : "writes", hmr_pfn_name(pfn, nb[0]),
			    m->va + op->off, op_ref(t, t->pc, 0), op_ref(t, m->op, 1),
			    hmr_pte_get(m->va) ? hmr_pfn_name((int)hmr_pte_get(m->va) - 1, nb[1]) : "nothing");
	}
}

void hmr_oracle_dma_misuse(const char *fn, const char *fmt, int pfn)
{
	char p[8];
	hmr_finding(HMR_K_dma_api_misuse, HMR_ABOUT_NONE, fn, fn, fmt, W.cur->def->name, hmr_pfn_name(pfn, p));
}

/* 2.6.35 MIPS dma_map_page synced page_address() of a highmem page with no
 * kernel mapping (E15). */
static void dma_no_kernel_mapping(uint32_t off)
{
	hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, hmr_fn_outer(W.cur), "page_address",
		    "Unable to handle kernel paging request at virtual address %08x: task %s (cpu%d) "
		    "in dma_map_page synced page_address()+%u of a highmem page that has no kernel mapping "
		    "(page_address() returned NULL; E15)",
		    off, W.cur->def->name, W.cur->cpu, off);
}

/* Task t ended with pins on slot nr that kmap_high_get took: a leak. */
static void pin_left(const struct hmr_task *t, int nr)
{
	if (PK.holds[nr][t->id] <= 0)
		return;
	int pfn = HW.pkmap_pte[nr] ? (int)HW.pkmap_pte[nr] - 1 : -1;
	hmr_finding(HMR_K_kmap_leak, HMR_ABOUT(nr, 0, pfn, -1), "kmap_high_get", "kmap_high_get",
		    "task %s ended still holding %d pin(s) on pkmap slot %d (%s), taken by kmap_high_get and never released",
		    t->def->name, PK.holds[nr][t->id], nr, hmr_pfn_name(pfn, nb[0]));
}

/* Task t ran its last operation: what it still holds is a leak. */
static void task_end(struct hmr_task *t)
{
	static const char *const how[] = { "", "kmap", "kmap", "kmap_high_get", "kmap_atomic", "kmap_local" };
	t->nfn = 0;
	for (int i = 0; i < t->nmaps; i++) {
		const struct hmr_map *m = &t->maps[i];
		if (!m->live || m->how == MAP_LINEAR || (m->how == MAP_HIGH_GET && !m->va))
			continue;
		hmr_finding(HMR_K_kmap_leak, HMR_ABOUT(hmr_in_pkmap(m->va) ? PKMAP_NR(m->va) : -1, 0, m->pfn, -1),
			    how[m->how], how[m->how],
			    "task %s ended still holding its %s of %s (VA 0x%08x, from %s)",
			    t->def->name, how[m->how], hmr_pfn_name(m->pfn, nb[0]), m->va, op_ref(t, m->op, 0));
	}
	/* Pins the model took on the task's behalf and never dropped (E23: a
	 * kmap_high_get inside kmap_local whose unmap ignored it). */
	for (int w = 0; w < (W.last_pkmap + 63) / 64; w++)
		for (uint64_t bits = PK.held[w]; bits; bits &= bits - 1)
			pin_left(t, w * 64 + __builtin_ctzll(bits));
	if (t->irqs_off && t->ctx != CTX_HARDIRQ)
		hmr_finding(HMR_K_warning, HMR_ABOUT_NONE, "local_irq_disable", "local_irq_disable",
			    "task %s ended with interrupts disabled", t->def->name);
	if (t->preempt_count)
		hmr_finding(HMR_K_warning, HMR_ABOUT_NONE, "preempt_disable", "preempt_disable",
			    "task %s ended with preempt_count %d", t->def->name, t->preempt_count);
}

void hmr_oracle_mappings(struct hmr_oracle_ops *o)
{
	o->dma_no_kernel_mapping = dma_no_kernel_mapping;
	o->task_end = task_end;
}
