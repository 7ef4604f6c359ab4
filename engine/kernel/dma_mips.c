/* dma_mips.c - MIPS non-coherent DMA before and after the highmem fix
 * (docs/MODEL.md d.0, d.3; E15, E29), and the same per-page kmap_atomic shape
 * used for xtensa.
 *
 *  DMA_MIPS_2635    dma-default.c: dma_map_page syncs page_address(page)+off
 *                   with no pin (an unmapped highmem page makes that NULL+off:
 *                   an oops); dma_map_sg syncs sg_virt() and skips entries
 *                   whose VA is 0 (E15); dma_sync_single_for_device syncs
 *                   through dma_addr_to_virt (phys_to_virt: no mapping for
 *                   highmem); dma_unmap_sg syncs the entries that have an
 *                   address; unmap and sync_for_cpu do nothing (no R10000).
 *  DMA_KMAP_ATOMIC  e36863a550da (3.1): per highmem page kmap_atomic, sync,
 *                   kunmap_atomic; a lowmem page syncs the rest of the buffer
 *                   through the linear map and ends the loop (E29). The CPU
 *                   side invalidates only where the profile does unmap-time
 *                   maintenance (cpu_needs_post_dma_flush), except that
 *                   dma_unmap_sg syncs every entry on any CPU.
 *  DMA_MIPS_61      6.1 dma_sync_phys: the same shape. A lowmem page still
 *                   takes the whole remaining length through the linear map
 *                   (only a highmem page is clamped to its end), so E29 is
 *                   there in 6.1 too: the real 6.1 code under make ksrc
 *                   showed it (engine/test/paths/mips61_e29_persists.scn).
 * __flush_dcache_page: through 3.x it returns at once for a highmem page (the
 *                   stock 2.6.3x and 3.4 trees show it: no maintenance at
 *                   all); 6.1 flushes one through kmap_atomic. xtensa flushes
 *                   through a temporary alias of the page's colour with
 *                   preemption off, which its colour-matched kmap_atomic is.
 * Direction ops (d.0): TO_DEVICE writeback, FROM_DEVICE invalidate (no edge
 * handling: MIPS relies on aligned buffers), BIDIRECTIONAL writeback+invalidate.
 * Leaves out: R10000 post-DMA work in 2.6.35, plat_* address translation,
 * IOMMU-like platforms (E21), colour handling on aliasing caches.
 * Invariant kept: an unpinned VA is used exactly as the kernel used it, with
 * scheduling points between finding it and each line, so recycling races are
 * reachable; pinned (kmap_atomic) VAs are released before the next page. */
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/highmem.h"
#include "kernel/katomic.h"
#include "hw/hw.h"
#include "sim/hooks.h"
#include "sim/sched.h"

/* __dma_sync by VA, for_device (dma_cache_wback / _inv / _wback_inv). */
static void mips_sync_for_device(uint32_t va, uint32_t len, int dir, int pfn)
{
	static const int op[] = { [DMA_BIDIRECTIONAL] = OP_FLUSH, [DMA_TO_DEVICE] = OP_CLEAN,
				  [DMA_FROM_DEVICE] = OP_INV };
	hmr_maint_range(va, len, op[dir], pfn);
}

/* for_cpu after the device wrote: drop whatever the CPU refilled meanwhile. */
static void mips_sync_for_cpu(uint32_t va, uint32_t len, int dir, int pfn)
{
	if (dir != DMA_TO_DEVICE)
		hmr_maint_range(va, len, OP_INV, pfn);
}

/* ---- 2.6.35 dma-default.c ---- */

static void mips2635_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	uint32_t va = hmr_kapi->page_address(pfn);	/* no pin */

	sched_point(dma_page_address);
	if (!va)
		hmr_oracle->dma_no_kernel_mapping(off);
	hmr_fn_enter("__dma_sync");
	hmr_dma_virt_range(va, pfn, off, size, dir, mips_sync_for_device);
	hmr_fn_leave();
}

static void mips2635_map_sg_page(int pfn, int dir)
{
	uint32_t va = hmr_kapi->page_address(pfn);	/* sg_virt(), offset 0 */

	sched_point(dma_page_address);
	if (!va)
		return;		/* "addr != 0" test: an unmapped page is not synced (E15) */
	hmr_fn_enter("__dma_sync");
	hmr_dma_virt_range(va, pfn, 0, W.P, dir, mips_sync_for_device);
	hmr_fn_leave();
}

static void mips2635_sync_for_device(int pfn, uint32_t off, uint32_t size, int dir)
{
	hmr_fn_enter("__dma_sync");
	hmr_dma_virt_range(hmr_bus_to_virt(pfn), pfn, off, size, dir, mips_sync_for_device);
	hmr_fn_leave();
}

/* dma_unmap_sg syncs every entry with a kernel address for a mapping the
 * device may have written, on any CPU (only dma_unmap_single and the single
 * syncs are R10000-only): the real 2.6.35 dma-default.c showed it. */
static void mips2635_unmap_sg_page(int pfn, int dir)
{
	uint32_t va;

	if (dir == DMA_TO_DEVICE)
		return;
	va = hmr_kapi->page_address(pfn);	/* sg_virt(), offset 0 */
	sched_point(dma_page_address);
	if (!va)
		return;
	hmr_fn_enter("__dma_sync");
	hmr_dma_virt_range(va, pfn, 0, W.P, dir, mips_sync_for_device);
	hmr_fn_leave();
}

static void mips_flush_dcache_page(int pfn)
{
	if (hmr_pfn_is_high(pfn) && W.prof->dma != DMA_MIPS_61 && W.prof->arch == ARCH_MIPS)
		return;
	hmr_flush_dcache_page_katomic(pfn);
}

const struct hmr_dma_ops hmr_dma_mips_2635 = {
	.map_page = mips2635_map_page,
	.sync_for_device = mips2635_sync_for_device,
	.map_sg_page = mips2635_map_sg_page,
	.unmap_sg_page = mips2635_unmap_sg_page,
	.flush_dcache_page = mips_flush_dcache_page,
};

/* ---- e36863a550da: __dma_sync(page, offset, size, dir) ---- */

static void dma_sync_pages(int pfn, uint32_t off, uint32_t size, int dir, hmr_dma_op_fn op)
{
	uint32_t left = size;

	hmr_fn_enter("__dma_sync");
	do {
		uint32_t len = left, va;
		int high = hmr_pfn_is_high(pfn);
		if (high && off + len > W.P)
			len = W.P - off;
		if (high || W.prof->dma == DMA_MIPS_61) {
			/* 6.1 maps a lowmem page through kmap_atomic too (its linear
			 * address, with preemption off) and syncs all that is left. */
			va = hmr_kapi->kmap_atomic(pfn, KM_DEFAULT);
			sched_point(dma_page_address);
			if (high)
				op(va + off, len, dir, pfn);
			else	/* past the direct map if the buffer runs on into highmem (E29) */
				hmr_dma_virt_range(va, pfn, off, len, dir, op);
			hmr_kapi->kunmap_atomic(va, pfn, KM_DEFAULT);
		} else {
			/* Syncs the whole remaining size through the linear map; a
			 * buffer running on into highmem leaves the direct map (E29). */
			hmr_dma_virt_range(hmr_lowmem_va(pfn), pfn, off, len, dir, op);
		}
		off = 0;
		pfn++;
		left -= len;
	} while (left);
	hmr_fn_leave();
}

static void kmap_dma_for_device(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_sync_pages(pfn, off, size, dir, mips_sync_for_device);
}

static void kmap_dma_for_cpu(int pfn, uint32_t off, uint32_t size, int dir)
{
	if (!W.prof->unmap_maintenance || SW(map_only_maintenance) || dir == DMA_TO_DEVICE)
		return;
	dma_sync_pages(pfn, off, size, dir, mips_sync_for_cpu);
}

/* 3.x-4.x mips_dma_unmap_sg syncs every entry the device may have written,
 * on any CPU, where unmap_page does only with post-DMA maintenance (the real
 * 4.1.15 dma-default.c showed it); 6.1's dma-direct and xtensa: unmap_page. */
static void kmap_dma_unmap_sg_page(int pfn, int dir)
{
	if (W.prof->arch != ARCH_MIPS || W.prof->dma == DMA_MIPS_61) {
		kmap_dma_for_cpu(pfn, 0, W.P, dir);
		return;
	}
	if (dir != DMA_TO_DEVICE)
		dma_sync_pages(pfn, 0, W.P, dir, mips_sync_for_device);
}

const struct hmr_dma_ops hmr_dma_kmap_atomic = {
	.map_page = kmap_dma_for_device,
	.unmap_page = kmap_dma_for_cpu,
	.unmap_sg_page = kmap_dma_unmap_sg_page,
	.sync_for_cpu = kmap_dma_for_cpu,
	.sync_for_device = kmap_dma_for_device,
	.flush_dcache_page = mips_flush_dcache_page,
};
