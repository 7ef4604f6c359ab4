/* dma_common.c - per-line maintenance loops shared by the arch DMA paths. */
#include "kernel/dma.h"
#include "hw/hw.h"
#include "sim/sched.h"

void hmr_maint_range(uint32_t va, uint32_t len, int op, int pfn)
{
	static const int site[] = { HMR_SITE_dma_clean_line, HMR_SITE_dma_inv_line, HMR_SITE_dma_flush_line };
	uint32_t end = va + len;
	for (uint32_t a = va & ~(W.L - 1); a < end; a += W.L) {
		hmr_sched_point(site[op]);
		hmr_cache_line_op(a, op, pfn);
	}
}

void hmr_flush_lines_quietly(uint32_t va, int pfn)
{
	for (uint32_t o = 0; o < W.P; o += W.L)
		hmr_cache_line_op(va + o, OP_FLUSH, pfn);
}

void hmr_dma_inv_range(uint32_t va, uint32_t len, int pfn)
{
	uint32_t end = va + len;
	if (!SW(invalidate_unaligned)) {
		/* A partial edge line also holds someone else's bytes: write it back
		 * before the invalidate drops it. */
		if (va & (W.L - 1))
			hmr_maint_range(va, 1, OP_CLEAN, pfn);
		if (end & (W.L - 1))
			hmr_maint_range(end - 1, 1, OP_CLEAN, pfn);
	}
	hmr_maint_range(va, len, OP_INV, pfn);
}
