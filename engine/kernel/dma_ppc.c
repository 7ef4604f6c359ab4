/* dma_ppc.c - PowerPC 32-bit non-coherent DMA, 2.6.35 and 6.1 (docs/MODEL.md
 * d.2, E6, E10, E27).
 *
 * Models: dma_direct_map_page / map_sg -> __dma_sync_page, which with
 * CONFIG_HIGHMEM is __dma_sync_page_highmem for every page: IRQs off, then per
 * page segment kmap_atomic(KM_SYNC_PAGE), __dma_sync, kunmap_atomic. The
 * direct ops' unmap is a no-op; dma_direct_sync_single_range (both for_cpu and
 * for_device) syncs through bus_to_virt(handle), a linear-map VA that nothing
 * maps for a highmem page (E27). __dma_sync: FROM_DEVICE invalidates when start
 * and end are line-aligned and flushes otherwise (03d70617b8a; always
 * invalidates under invalidate_unaligned, E10), TO_DEVICE cleans,
 * BIDIRECTIONAL flushes. ppc_seg_math_2005 replays the segment arithmetic
 * before a0c111c631e (E6).
 * 6.1 (DMA_PPC_61): dma-direct calls arch_sync_dma_for_device at map and
 * sync_for_device, arch_sync_dma_for_cpu at unmap and sync_for_cpu, both
 * __dma_sync_page of the physical address: the same highmem loop every time,
 * so E27's bus_to_virt is gone and the CPU side is maintained too.
 * flush_dcache_page does no data-cache maintenance on PPC32 in either era: it
 * only marks the page for a later icache sync (PG_arch_1, PG_dcache_clean in
 * 6.1), which the model leaves out, so it has no hook here.
 * Leaves out: that icache sync, dma_sync_sg_*, the coherent allocator.
 * Invariant kept: the segment loop only ever touches pages of the buffer and
 * bytes inside it, whatever the (buggy) arithmetic says, so the model cannot
 * run away; what the arithmetic leaves out stays unsynced. */
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/katomic.h"
#include "hw/hw.h"
#include "sim/sched.h"

/* The op __dma_sync applies to the whole range [va, va+len). */
static int ppc_sync_op(uint32_t va, uint32_t len, int dir)
{
	switch (dir) {
	case DMA_FROM_DEVICE:
		if (((va | (va + len)) & (W.L - 1)) && !SW(invalidate_unaligned))
			return OP_FLUSH;
		return OP_INV;
	case DMA_TO_DEVICE:
		return OP_CLEAN;
	default:
		return OP_FLUSH;
	}
}

/* __dma_sync through a VA computed for page pfn onward. */
static void ppc_dma_sync(uint32_t base, int pfn, uint32_t off, uint32_t size, int dir)
{
	struct hmr_dma_chunk c[HMR_NPFN];
	int op = ppc_sync_op(base + off, size, dir);
	int n = hmr_dma_chunks(base, pfn, off, size, c, HMR_NPFN);

	hmr_fn_enter("__dma_sync");
	for (int i = 0; i < n; i++)
		hmr_maint_range(c[i].va, c[i].len, op, c[i].pfn);
	hmr_fn_leave();
}

/* One segment: page k of the buffer, page-relative [soff, soff + slen). A
 * negative slen is the pre-2005 size_t wrap-around, i.e. "everything from
 * soff on"; the result is clamped to the page and to the buffer
 * [off, off + size) (offsets relative to the first page). */
static void ppc_sync_segment(int pfn0, long k, long soff, long slen, uint32_t off, uint32_t size, int dir)
{
	long P = (long)W.P, base = k * P;
	long lo = base + soff, hi = slen < 0 ? base + P : lo + slen;
	int pfn = pfn0 + (int)k;
	uint32_t va;

	if (pfn >= W.npfn)
		return;
	if (lo < (long)off)
		lo = (long)off;
	if (hi > base + P)
		hi = base + P;
	if (hi > (long)off + (long)size)
		hi = (long)off + (long)size;
	va = hmr_kapi->kmap_atomic(pfn, KM_SYNC_PAGE);
	if (hi > lo)
		ppc_dma_sync(va, pfn, (uint32_t)(lo - base), (uint32_t)(hi - lo), dir);
	hmr_kapi->kunmap_atomic(va, pfn, KM_SYNC_PAGE);
}

static long lmin(long a, long b) { return a < b ? a : b; }

static void __dma_sync_page_highmem(int pfn, uint32_t off, uint32_t size, int dir)
{
	long P = (long)W.P, sz = (long)size, seg_size, nr_segs, cur, seg = 0;
	unsigned long flags;

	hmr_fn_enter("__dma_sync_page_highmem");
	if (SW(ppc_seg_math_2005)) {
		/* Before a0c111c631e: the offset is subtracted from a length that
		 * never included it (negative when off > size), and the segment
		 * count ignores the offset (1 for offset 4095, size 200). */
		seg_size = lmin(P, sz) - (long)off;
		nr_segs = (sz + P - 1) / P;
	} else {
		seg_size = lmin(P - (long)off, sz);
		nr_segs = 1 + (sz - seg_size + P - 1) / P;
	}
	cur = seg_size;
	/* An interrupt's DMA sync would reuse the one KM_SYNC_PAGE slot. */
	flags = local_irq_save();
	do {
		sched_point(dma_segment);
		ppc_sync_segment(pfn, seg, seg ? 0 : (long)off, seg_size, off, size, dir);
		seg++;
		seg_size = lmin(sz - cur, P);
		cur += seg_size;
	} while (seg < nr_segs);
	local_irq_restore(flags);
	hmr_fn_leave();
}

static void ppc_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	__dma_sync_page_highmem(pfn, off, size, dir);
}

static void ppc_sync_single(int pfn, uint32_t off, uint32_t size, int dir)
{
	ppc_dma_sync(hmr_bus_to_virt(pfn), pfn, off, size, dir);
}

const struct hmr_dma_ops hmr_dma_ppc_2635 = {
	.map_page = ppc_map_page,
	.sync_for_cpu = ppc_sync_single,
	.sync_for_device = ppc_sync_single,
};

const struct hmr_dma_ops hmr_dma_ppc_61 = {
	.map_page = ppc_map_page,
	.unmap_page = ppc_map_page,
	.sync_for_cpu = ppc_map_page,
	.sync_for_device = ppc_map_page,
};
