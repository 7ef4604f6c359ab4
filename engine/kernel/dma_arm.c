/* dma_arm.c - ARM streaming-DMA cache maintenance and __flush_dcache_page,
 * 2.6.30 to 6.1 (docs/MODEL.md d.0, d.1, d.5), one path per profile:
 *
 *  DMA_ARM_2630  dma_cache_maint_page, map time only: highmem pages through
 *                kmap_high_get (NULL: skip the inner op), lowmem linear;
 *                inner op FROM_DEVICE invalidate, TO_DEVICE clean,
 *                BIDIRECTIONAL flush. Nothing at unmap or sync_for_cpu (E26).
 *  DMA_ARM_2635  ___dma_page_cpu_to_dev / ___dma_page_dev_to_cpu with
 *                dmac_map_area / dmac_unmap_area (the unmap walks the pages
 *                for TO_DEVICE too); highmem: kmap_high_get,
 *                else on VIPT kmap_high_l1_vipt, else (VIVT) skip.
 *  DMA_ARM_2637  the same with kmap_atomic instead of the L1 helper.
 *  DMA_ARM_61    pfn loop: VIPT non-aliasing kmap_atomic, else
 *                kmap_high_get (NULL: skip); no unmap walk for TO_DEVICE.
 *
 * dmac_map_area/dmac_unmap_area (hmr_arm_dmac_*) are the CPU's cache ops, and the cache type
 * implies the CPU class: a VIVT cache is an ARMv4/v5 part (v4wb-style ops:
 * BIDIRECTIONAL flushes at map, nothing at unmap because those cores do not
 * speculate), VIPT and PIPT are ARMv7 (BIDIRECTIONAL cleans at map, the
 * unmap invalidates every non-TO_DEVICE buffer). A FROM_DEVICE invalidate
 * writes partial edge lines back first (v4wb cleans them, v7 cleans and
 * invalidates them: the same effect), unless invalidate_unaligned (E10).
 * Switches: dma_use_page_address (unpinned page_address, E11/E14b),
 * vipt_skip_unmapped (E14a), map_only_maintenance (E26), invalidate_unaligned.
 * flush_dcache_page in 6.1 does nothing on a non-aliasing VIPT cache (its
 * PG_dcache_clean bookkeeping defers the work to the user mapping).
 * Leaves out: the outer (PL310) cache, compound pages, PG_dcache_clean,
 * __flush_dcache_aliases for shared user mappings.
 * Invariant kept: a highmem VA is used for maintenance only between the call
 * that produced it and its release (kunmap_high, kunmap_high_l1_vipt,
 * kunmap_atomic), except under dma_use_page_address, which is the bug. */
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/highmem.h"
#include "kernel/katomic.h"
#include "hw/hw.h"
#include "sim/sched.h"

static int cpu_v4wb(void) { return W.cache_mode == CACHE_VIVT; }

static int vipt_nonaliasing(void)
{
	return W.cache_mode == CACHE_VIPT || W.cache_mode == CACHE_PIPT;
}

/* ---- the cache primitives ---- */

/* 2.6.30 dma_cache_maint's inner op, the same on every CPU class. */
static void dma_cache_maint_op(uint32_t va, uint32_t len, int dir, int pfn)
{
	if (dir == DMA_FROM_DEVICE)
		hmr_dma_inv_range(va, len, pfn);
	else if (dir == DMA_TO_DEVICE)
		hmr_maint_range(va, len, OP_CLEAN, pfn);
	else
		hmr_maint_range(va, len, OP_FLUSH, pfn);
}

void hmr_arm_dmac_map_area(uint32_t va, uint32_t len, int dir, int pfn)
{
	if (dir == DMA_FROM_DEVICE)
		hmr_dma_inv_range(va, len, pfn);
	else if (dir == DMA_TO_DEVICE || !cpu_v4wb())
		hmr_maint_range(va, len, OP_CLEAN, pfn);
	else
		hmr_maint_range(va, len, OP_FLUSH, pfn);
}

void hmr_arm_dmac_unmap_area(uint32_t va, uint32_t len, int dir, int pfn)
{
	if (!cpu_v4wb() && dir != DMA_TO_DEVICE)
		hmr_dma_inv_range(va, len, pfn);
}

/* ---- a kernel VA for one highmem page, and its release ---- */

enum arm_pin { PIN_NONE, PIN_HIGH, PIN_L1, PIN_ATOMIC };

struct arm_kva {
	uint32_t va;
	int pin;		/* enum arm_pin: how to release va */
	uint32_t saved;		/* kmap_high_l1_vipt's saved PTE */
};

/* The three-way choice of d.1/d.5. unpinned: page_address() instead of
 * kmap_high_get() (2.6.30-33 __flush_dcache_page; dma_use_page_address). */
static void arm_kva_get(int pfn, int unpinned, struct arm_kva *k)
{
	k->pin = PIN_NONE;
	k->saved = 0;
	if (W.prof->dma == DMA_ARM_61 && vipt_nonaliasing()) {
		k->va = hmr_kapi->kmap_atomic(pfn, KM_DEFAULT);
		k->pin = PIN_ATOMIC;
		return;
	}
	if (unpinned) {
		k->va = hmr_kapi->page_address(pfn);
	} else {
		k->va = hmr_kapi->kmap_high_get(pfn);
		k->pin = k->va ? PIN_HIGH : PIN_NONE;
	}
	/* A VIVT page without a kernel mapping has no lines (they were flushed
	 * when the mapping went); a VIPT one may still have some (6007/1). */
	if (k->va || cpu_v4wb() || SW(vipt_skip_unmapped))
		return;
	if (W.prof->dma == DMA_ARM_2635) {
		k->va = kmap_high_l1_vipt(pfn, &k->saved);
		k->pin = PIN_L1;
	} else if (W.prof->dma == DMA_ARM_2637) {
		k->va = hmr_kapi->kmap_atomic(pfn, KM_DEFAULT);
		k->pin = PIN_ATOMIC;
	}
}

static void arm_kva_put(int pfn, const struct arm_kva *k)
{
	switch (k->pin) {
	case PIN_HIGH:
		hmr_kapi->kunmap_high(pfn);
		break;
	case PIN_L1:
		kunmap_high_l1_vipt(pfn, k->saved);
		break;
	case PIN_ATOMIC:
		hmr_kapi->kunmap_atomic(k->va, pfn, KM_DEFAULT);
		break;
	default:
		break;
	}
}

/* ---- dma_cache_maint_page ---- */

static void dma_cache_maint_page(int pfn, uint32_t off, uint32_t size, int dir, hmr_dma_op_fn op, int unpinned)
{
	uint32_t left = size;

	hmr_fn_enter("dma_cache_maint_page");
	do {
		uint32_t len = left;
		if (hmr_pfn_is_high(pfn)) {
			struct arm_kva k;
			if (off + len > W.P)
				len = W.P - off;
			arm_kva_get(pfn, unpinned, &k);
			sched_point(dma_page_address);
			if (k.va) {
				op(k.va + off, len, dir, pfn);
				arm_kva_put(pfn, &k);
			}
		} else {
			/* The linear map is contiguous: the rest of the buffer in one go. */
			hmr_dma_virt_range(hmr_lowmem_va(pfn), pfn, off, len, dir, op);
		}
		off = 0;
		pfn++;
		left -= len;
	} while (left);
	hmr_fn_leave();
}

static int unpinned_dma(void) { return SW(dma_use_page_address); }

static void arm_dma_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	if (W.prof->dma == DMA_ARM_2630) {
		dma_cache_maint_page(pfn, off, size, dir, dma_cache_maint_op, unpinned_dma());
		return;
	}
	hmr_fn_enter("___dma_page_cpu_to_dev");
	dma_cache_maint_page(pfn, off, size, dir, hmr_arm_dmac_map_area, unpinned_dma());
	hmr_fn_leave();
}

static void arm_dma_unmap_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	/* 309dbbabee7 (2.6.28-2.6.33): the CPU side touches no cache (E26).
	 * 2.6.35-2.6.39 skip only the outer invalidate for TO_DEVICE and still
	 * walk the pages, taking kmap_lock and a kernel VA for a maintenance
	 * op that does nothing (the real files showed it, where the model
	 * returned); 6.1 skips the walk too. */
	if (!W.prof->unmap_maintenance || SW(map_only_maintenance) ||
	    (dir == DMA_TO_DEVICE && W.prof->dma == DMA_ARM_61))
		return;
	hmr_fn_enter("___dma_page_dev_to_cpu");
	dma_cache_maint_page(pfn, off, size, dir, hmr_arm_dmac_unmap_area, unpinned_dma());
	hmr_fn_leave();
}

static void arm_flush_dcache_page(int pfn)
{
	struct arm_kva k;

	/* 6.1 on a non-aliasing VIPT cache only marks the page's D-cache not
	 * clean and leaves the maintenance to whoever maps it into user space
	 * (the real flush.c showed it, where the model flushed). */
	if (W.prof->dma == DMA_ARM_61 && vipt_nonaliasing())
		return;
	hmr_fn_enter("__flush_dcache_page");
	if (!hmr_pfn_is_high(pfn)) {
		hmr_flush_dcache_lines(hmr_lowmem_va(pfn), pfn);
		hmr_fn_leave();
		return;
	}
	/* 2.6.30-2.6.33: page_address() with no pin, "if (addr)" (E14b). */
	arm_kva_get(pfn, W.prof->dma == DMA_ARM_2630 || unpinned_dma(), &k);
	if (k.va) {
		hmr_flush_dcache_lines(k.va, pfn);
		arm_kva_put(pfn, &k);
	}
	hmr_fn_leave();
}

const struct hmr_dma_ops hmr_dma_arm = {
	.map_page = arm_dma_map_page,
	.unmap_page = arm_dma_unmap_page,
	.sync_for_cpu = arm_dma_unmap_page,
	.sync_for_device = arm_dma_map_page,
	.flush_dcache_page = arm_flush_dcache_page,
};
