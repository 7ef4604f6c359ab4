/* katomic.c - atomic and local kmaps in their three eras (docs/MODEL.md a.7,
 * b.9-b.12), chosen by W.prof->katomic, plus ARM's kmap_high_l1_vipt.
 *
 * Models:
 *  - km_type kmap_atomic(page, type) (<= 2.6.36): one fixmap slot per (type,
 *    cpu); x86 BUGs on a live slot PTE and clears it at kunmap only when given
 *    the slot VA (E4); ARM/MIPS/PPC flush the local TLB after mapping and, in
 *    non-DEBUG_HIGHMEM builds (profile lazy_kunmap_atomic), leave the PTE in
 *    place at kunmap; ARM 2.6.33+ first reuses a pinned pkmap VA
 *    (kmap_high_get) and flushes a VIVT dcache at kunmap.
 *  - the per-CPU index stack (2.6.37-5.10): push, map, ..., peek, clear, pop.
 *  - kmap_local (5.11+): the index stack lives in the task (current, or the
 *    interrupted task for an interrupt), and the task's live slots are torn
 *    down and reinstalled at context switch.
 *  - kmap_high_l1_vipt (ARM 2.6.34-2.6.36): one per-CPU slot shared by nested
 *    contexts through a depth counter and a saved PTE.
 * The caller's rules (E5, debug_kmap_atomic, LIFO, live slot PTEs, index
 *  overflow) are oracle/atomic.c's, called through hmr_oracle.
 * xtensa-style colour-aware slot indices are kept for profiles with colour-aware
 *  pkmap, so a kmap_atomic VA has the page's cache colour.
 * Leaves out: DEBUG_KMAP_LOCAL guard slots, KM_NMI types, RT's
 *  migrate_disable (tasks never migrate here), the non-linear PTE array of
 *  E22, kmap_atomic_prot variants, kmap_local_fork.
 */
#include "kernel/katomic.h"
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/highmem.h"
#include "hw/hw.h"
#include "sim/sched.h"
#include "sim/hooks.h"
#include <stdio.h>
#include <string.h>

struct hmr_katomic_state KA;

/* ---- arch and build properties ---- */

static int arch_x86(void) { return W.prof->arch == ARCH_X86; }
static int arch_arm(void) { return W.prof->arch == ARCH_ARM; }
static int cache_vivt(void) { return W.cache_mode == CACHE_VIVT; }

/* Without DEBUG_HIGHMEM, ARM/MIPS/PPC kunmap_atomic leaves the slot PTE
 * mapped until the next kmap_atomic of that slot; x86 always clears it. */
static int lazy_unmap(void) { return !arch_x86() && W.prof->lazy_kunmap_atomic; }

/* The PTE-none check at map time: unconditional on x86, DEBUG_HIGHMEM-only
 * elsewhere, i.e. exactly where kunmap clears the PTE. */
int hmr_katomic_checks_pte_none(void) { return !lazy_unmap(); }

/* ARM 2.6.33+ (and the 5.11+ arch_kmap_local_high_get hook) returns an
 * existing pkmap VA, pinned, rather than creating a second alias. Only the
 * DEBUG_HIGHMEM build restricts this to VIVT caches; the model is the
 * non-debug build, so every cache type takes it. */
static int reuses_pkmap(void) { return W.prof->katomic_reuses_pkmap; }

/* ARM's kunmap_atomic flushes the dcache of the slot VA: always in 2.6.30-33,
 * only on VIVT caches from 6007/1 (2.6.34) on, so lines never outlive the VA. */
static int arm_flushes_at_kunmap(void)
{
	return arch_arm() && (cache_vivt() || W.prof->version < 20634);
}

/* Map and unmap TLB hooks: every arch but x86 flushes the local TLB entry after
 * installing a slot PTE (x86 relies on the flush done at unmap). */
static void post_map_flush(int cpu, uint32_t va)
{
	if (!arch_x86() && !SW(test_katomic_no_flush))
		hmr_tlb_flush_one(cpu, va);
}


/* The page whose PTE occupies a slot VA, or -1. */
static int pte_page(uint32_t va)
{
	uint32_t pte = hmr_pte_get(va);
	return pte ? (int)pte - 1 : -1;
}

static uint32_t page_base(uint32_t va) { return va & ~(W.P - 1); }

/* ---- stack and kmap_local slot indices ---- */

/* xtensa (3.17+, 8504b503dfa8) colours its kmap_atomic/kmap_local slots like
 * its pkmap slots, so the slot VA indexes the same cache colour as the page's
 * other mappings; everyone else has one colour. The model's fixmap keeps
 * hmr_fix_per_cpu() slots per cpu, so with N colours the stack is that / N
 * deep. */
int hmr_kmap_colours(void) { return W.prof->colour_pkmap ? W.colors : 1; }
static int colour_of_pfn(int pfn) { return pfn & (hmr_kmap_colours() - 1); }
int hmr_kmap_colour_of_va(uint32_t va) { return (int)(va / W.P) & (hmr_kmap_colours() - 1); }

/* The fixmap slot of stack index i on cpu for a page of the given colour, or
 * -1 when the per-cpu slots are exhausted. */
int hmr_kmap_idx(int cpu, int i, int colour)
{
	int n = hmr_kmap_colours(), base = hmr_fix_per_cpu() * cpu;
	int local = i * n + ((colour - base) & (n - 1));
	return i >= 0 && local < hmr_fix_per_cpu() ? base + local : -1;
}

/* kunmap_atomic/kunmap_local of a VA inside the pkmap window came from
 * kmap_high_get() in kmap_atomic: drop that pin (on the page the PTE holds,
 * as the kernel does). */
static void unpin_pkmap_va(uint32_t va, int pfn)
{
	int page = pte_page(va);
	hmr_kapi->kunmap_high(page >= 0 ? page : pfn);
}

/* The km_type era's "struct page *" as a number: mem_map lives in lowmem, so
 * the value looks like a lowmem address and never like a slot VA (E4). */
static uint32_t page_struct_addr(int pfn) { return PAGE_OFFSET + (uint32_t)pfn * 32u; }


/* ---- km_type era (b.9): types, holders and debug_kmap_atomic ---- */



/* KM_DEFAULT stands for the type a correct caller in this context would pass.
 * With km_type_shared_slot the interrupt handler borrows the process type, as
 * the buggy handlers of E5 did. */
int hmr_km_default_type(void)
{
	if (SW(km_type_shared_slot))
		return KM_USER0;
	switch (W.cur->ctx) {
	case CTX_SOFTIRQ:
		return KM_SOFTIRQ0;
	case CTX_HARDIRQ:
		return KM_IRQ0;
	default:
		return KM_USER0;
	}
}










static uint32_t kmap_atomic_km_type(int pfn, int ktype)
{
	int cpu, idx, type;
	uint32_t va;

	pagefault_disable();
	type = hmr_oracle->km_type_map(pfn, ktype);
	if (!hmr_pfn_is_high(pfn))
		return hmr_lowmem_va(pfn);
	if (reuses_pkmap()) {
		va = hmr_kapi->kmap_high_get(pfn);
		if (va)
			return va;
	}
	cpu = smp_processor_id();
	idx = type + KM_TYPE_NR * cpu;
	va = hmr_fix_va(idx);
	hmr_oracle->km_type_mapped(type, va);
	sched_point(katomic_push);
	if (hmr_katomic_checks_pte_none())
		hmr_oracle->km_slot_free(idx, pfn);
	hmr_set_pte(va, pfn, "kmap_atomic");
	post_map_flush(cpu, va);
	sched_point(katomic_mapped);
	return va;
}

static void kunmap_atomic_km_type(uint32_t va, int pfn, int ktype)
{
	int cpu = smp_processor_id(), type = hmr_oracle->km_type_unmap(va, pfn, ktype);
	int idx = type + KM_TYPE_NR * cpu;
	uint32_t slot_va = hmr_fix_va(idx), arg = va;

	if (SW(kunmap_atomic_wrong_arg))
		va = page_struct_addr(pfn);	/* kunmap_atomic(page, type) */
	va = page_base(va);
	if (arch_x86()) {
		/* Anything but the slot VA (lowmem, or a struct page *) is left
		 * alone: with a wrong argument the slot stays live (E4). */
		if (va == slot_va) {
			hmr_pte_clear(va, "kunmap_atomic");
			hmr_tlb_flush_one(cpu, va);
		}
	} else if (hmr_in_fixmap(va)) {
		if (arm_flushes_at_kunmap())
			hmr_maint_range(va, W.P, OP_FLUSH, pte_page(va));
		if (!lazy_unmap()) {
			BUG_ON(va != slot_va);
			hmr_pte_clear(va, "kunmap_atomic");
			hmr_tlb_flush_one(cpu, va);
		}
	} else if (arch_arm() && hmr_in_pkmap(va)) {
		unpin_pkmap_va(va, pfn);
	}
	hmr_oracle->km_type_unmapped(type, arg, pfn);
	pagefault_enable();
}

/* ---- stack era (b.10) ---- */

static int kmap_atomic_idx_push(void)
{
	int cpu = smp_processor_id(), idx;
	hmr_race_access(RACE_PERCPU, cpu, 1);
	idx = KA.cpu[cpu].katomic_idx++;
	hmr_oracle->km_push(-1, 0);
	return idx;
}

static int kmap_atomic_idx(void)
{
	hmr_race_access(RACE_PERCPU, smp_processor_id(), 0);
	return KA.cpu[smp_processor_id()].katomic_idx - 1;
}

static void kmap_atomic_idx_pop(void)
{
	int cpu = smp_processor_id();
	hmr_race_access(RACE_PERCPU, cpu, 1);
	KA.cpu[cpu].katomic_idx--;
	BUG_ON(KA.cpu[cpu].katomic_idx < 0);
}

static uint32_t kmap_atomic_stack(int pfn)
{
	int cpu, idx;
	uint32_t va;

	pagefault_disable();
	if (!hmr_pfn_is_high(pfn))
		return hmr_lowmem_va(pfn);
	if (reuses_pkmap()) {
		va = hmr_kapi->kmap_high_get(pfn);
		if (va)
			return va;
	}
	cpu = smp_processor_id();
	idx = hmr_kmap_idx(cpu, kmap_atomic_idx_push(), colour_of_pfn(pfn));
	if (idx < 0)
		hmr_oracle->km_stack_overflow("kmap_atomic", kmap_atomic_idx(), pfn);
	va = hmr_fix_va(idx);
	sched_point(katomic_push);
	if (hmr_katomic_checks_pte_none())
		hmr_oracle->km_slot_free(idx, pfn);
	hmr_set_pte(va, pfn, "kmap_atomic");
	post_map_flush(cpu, va);
	sched_point(katomic_mapped);
	return va;
}



static void kunmap_atomic_stack(uint32_t va, int pfn)
{
	int cpu = smp_processor_id();

	va = page_base(va);
	if (hmr_in_fixmap(va)) {
		int top = kmap_atomic_idx();	/* peek: pop only after the clear */
		hmr_oracle->km_lifo(va, top, cpu, "kunmap_atomic");
		if (arm_flushes_at_kunmap())
			hmr_maint_range(va, W.P, OP_FLUSH, pte_page(va));
		if (!lazy_unmap()) {
			hmr_pte_clear(va, "kunmap_atomic");
			hmr_tlb_flush_one(cpu, va);
		}
		sched_point(katomic_clear);
		kmap_atomic_idx_pop();
	} else if (arch_arm() && hmr_in_pkmap(va)) {
		unpin_pkmap_va(va, pfn);
	}
	pagefault_enable();
}

/* ---- kmap_local era (b.11) ---- */

/* current->kmap_ctrl: in an interrupt, current is the task it interrupted, so
 * the interrupt's indices stack above that task's live ones. */
static struct hmr_task *kmap_ctrl_task(void)
{
	struct hmr_task *curr = W.cpu[W.cur->cpu].curr;
	/* An idle CPU's interrupts share the idle task's state: here the outermost
	 * interrupt's. */
	if (W.cur->ctx != CTX_PROCESS)
		return curr ? curr : W.cpu[W.cur->cpu].irq[0];
	return W.cur;
}

/* The slot of t's live index i, from the page recorded in its pteval. */
static int kl_slot(const struct hmr_task *t, int i)
{
	return hmr_kmap_idx(t->cpu, i, colour_of_pfn((int)KA.kl[t->id].pteval[i] - 1));
}

static uint32_t kmap_local_pfn(int pfn)
{
	struct hmr_task *t;
	int cpu, i, idx;
	uint32_t va;

	preempt_disable();	/* and migrate_disable(): tasks never migrate here */
	t = kmap_ctrl_task();
	cpu = smp_processor_id();
	hmr_oracle->km_push(pfn, 1);
	i = KA.kl[t->id].idx++;
	idx = hmr_kmap_idx(cpu, i, colour_of_pfn(pfn));
	if (i >= KM_MAX_IDX || idx < 0)
		hmr_oracle->km_stack_overflow("kmap_local_page", i, pfn);
	va = hmr_fix_va(idx);
	sched_point(katomic_push);
	hmr_oracle->km_slot_free(idx, pfn);
	hmr_set_pte(va, pfn, "kmap_local_page");
	post_map_flush(cpu, va);
	KA.kl[t->id].pteval[i] = (uint32_t)pfn + 1;
	preempt_enable();
	sched_point(katomic_mapped);
	return va;
}

static uint32_t kmap_local_page_model(int pfn)
{
	uint32_t va;
	if (!hmr_pfn_is_high(pfn))
		return hmr_lowmem_va(pfn);
	if (reuses_pkmap()) {
		va = hmr_kapi->kmap_high_get(pfn);	/* arch_kmap_local_high_get */
		if (va)
			return va;
	}
	return kmap_local_pfn(pfn);
}

static void kunmap_local_model(uint32_t va, int pfn)
{
	struct hmr_task *t;
	int cpu, i;

	va = page_base(va);
	if (!hmr_in_fixmap(va)) {
		/* A pkmap VA came from kmap_high_get: drop the pin. Before
		 * "mm/highmem: Take kmap_high_get() properly into account" it was
		 * ignored and the pin leaked (E23). */
		if (hmr_in_pkmap(va)) {
			if (!SW(kunmap_local_no_high_get))
				unpin_pkmap_va(va, pfn);
		} else {
			WARN_ON(va < PAGE_OFFSET);
		}
		return;
	}
	preempt_disable();
	t = kmap_ctrl_task();
	cpu = smp_processor_id();
	i = KA.kl[t->id].idx - 1;	/* peek */
	hmr_oracle->km_lifo(va, i, cpu, "kunmap_local");
	if (arch_arm() && cache_vivt())	/* arch_kmap_local_pre_unmap */
		hmr_maint_range(va, W.P, OP_FLUSH, pte_page(va));
	hmr_pte_clear(va, "kunmap_local");
	hmr_tlb_flush_one(cpu, va);	/* arch_kmap_local_post_unmap */
	sched_point(katomic_clear);
	KA.kl[t->id].pteval[i] = 0;
	KA.kl[t->id].idx--;
	BUG_ON(KA.kl[t->id].idx < 0);
	preempt_enable();
}

/* __kmap_local_sched_out / __kmap_local_sched_in. The kernel calls them from
 * the context switch with interrupts off and the slots are per CPU, so nothing
 * can interleave with them: they are atomic here, with no scheduling points.
 * They run on the fiber of whichever task dispatched the switch, so they push
 * no model function onto W.cur's stack. */
void hmr_kmap_local_sched_out(struct hmr_task *t)
{
	if (W.prof->katomic != KATOMIC_LOCAL)
		return;
	for (int i = 0; i < KA.kl[t->id].idx && i < KM_MAX_IDX; i++) {
		uint32_t va;
		if (!KA.kl[t->id].pteval[i] || kl_slot(t, i) < 0)
			continue;
		va = hmr_fix_va(kl_slot(t, i));
		if (arch_arm() && cache_vivt() && W.cur)
			hmr_flush_lines_quietly(va, (int)KA.kl[t->id].pteval[i] - 1);
		hmr_pte_clear(va, "__kmap_local_sched_out");
		hmr_tlb_flush_one(t->cpu, va);
	}
}

void hmr_kmap_local_sched_in(struct hmr_task *t)
{
	if (W.prof->katomic != KATOMIC_LOCAL)
		return;
	for (int i = 0; i < KA.kl[t->id].idx && i < KM_MAX_IDX; i++) {
		uint32_t va;
		if (!KA.kl[t->id].pteval[i] || kl_slot(t, i) < 0)
			continue;
		va = hmr_fix_va(kl_slot(t, i));
		hmr_set_pte(va, (int)KA.kl[t->id].pteval[i] - 1, "__kmap_local_sched_in");
		if (!arch_x86())
			hmr_tlb_flush_one(t->cpu, va);
	}
}

/* ---- the API, by era ---- */

uint32_t kmap_atomic(int pfn, int ktype)
{
	uint32_t va;
	hmr_fn_enter("kmap_atomic");
	switch (W.prof->katomic) {
	case KATOMIC_KM_TYPE:
		va = kmap_atomic_km_type(pfn, ktype);
		break;
	case KATOMIC_STACK:
		va = kmap_atomic_stack(pfn);
		break;
	default:
		preempt_disable();
		pagefault_disable();
		va = kmap_local_page_model(pfn);
		break;
	}
	hmr_fn_leave();
	return va;
}

void kunmap_atomic(uint32_t va, int pfn, int ktype)
{
	hmr_fn_enter("kunmap_atomic");
	switch (W.prof->katomic) {
	case KATOMIC_KM_TYPE:
		kunmap_atomic_km_type(va, pfn, ktype);
		break;
	case KATOMIC_STACK:
		/* Since 2.6.37 a struct page * does not compile here, so
		 * kunmap_atomic_wrong_arg has no stack-era form. */
		kunmap_atomic_stack(va, pfn);
		break;
	default:
		kunmap_local_model(va, pfn);
		pagefault_enable();
		preempt_enable();
		break;
	}
	hmr_fn_leave();
}

uint32_t kmap_local_page(int pfn)
{
	uint32_t va;
	if (W.prof->katomic != KATOMIC_LOCAL)	/* the era's own, real or modelled */
		return hmr_kapi->kmap_atomic(pfn, KM_DEFAULT);
	hmr_fn_enter("kmap_local_page");
	va = kmap_local_page_model(pfn);
	hmr_fn_leave();
	return va;
}

void kunmap_local(uint32_t va, int pfn)
{
	if (W.prof->katomic != KATOMIC_LOCAL) {
		hmr_kapi->kunmap_atomic(va, pfn, KM_DEFAULT);
		return;
	}
	hmr_fn_enter("kunmap_local");
	kunmap_local_model(va, pfn);
	hmr_fn_leave();
}

/* ---- ARM kmap_high_l1_vipt (b.12) ---- */

uint32_t kmap_high_l1_vipt(int pfn, uint32_t *saved_pte)
{
	int cpu, idx;
	uint32_t va, want = (uint32_t)pfn + 1;
	unsigned long flags;

	hmr_fn_enter("kmap_high_l1_vipt");
	if (!in_interrupt())
		preempt_disable();
	cpu = smp_processor_id();
	idx = KM_L1_CACHE + KM_TYPE_NR * cpu;
	va = hmr_fix_va(idx);
	flags = local_irq_save();	/* raw: nested users come from IRQs */
	KA.cpu[cpu].l1_depth++;
	sched_point(l1_vipt_depth);
	if (HW.fix_pte[idx] == want) {
		*saved_pte = want;
	} else {
		*saved_pte = HW.fix_pte[idx];
		hmr_set_pte(va, pfn, "kmap_high_l1_vipt");
		hmr_tlb_flush_one(cpu, va);
	}
	local_irq_restore(flags);
	hmr_fn_leave();
	return va;
}

void kunmap_high_l1_vipt(int pfn, uint32_t saved_pte)
{
	int cpu, idx, *depth;
	uint32_t va, *pte, want = (uint32_t)pfn + 1;
	unsigned long flags;

	hmr_fn_enter("kunmap_high_l1_vipt");
	cpu = smp_processor_id();
	idx = KM_L1_CACHE + KM_TYPE_NR * cpu;
	va = hmr_fix_va(idx);
	pte = &HW.fix_pte[idx];
	depth = &KA.cpu[cpu].l1_depth;
	BUG_ON(*pte != want);
	BUG_ON(*depth <= 0);
	flags = local_irq_save();
	(*depth)--;
	/* At depth 0 the mapping stays, so the next user of the same page needs
	 * no TLB flush; a nested user puts back what it found. */
	if (*depth != 0 && saved_pte != want) {
		sched_point(l1_vipt_restore);
		if (saved_pte)
			hmr_set_pte(va, (int)saved_pte - 1, "kunmap_high_l1_vipt");
		else
			hmr_pte_clear(va, "kunmap_high_l1_vipt");
		hmr_tlb_flush_one(cpu, va);
	}
	local_irq_restore(flags);
	if (!in_interrupt())
		preempt_enable();
	hmr_fn_leave();
}

void hmr_katomic_reset(void) { memset(&KA, 0, sizeof(KA)); }
