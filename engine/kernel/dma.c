/* dma.c - the streaming DMA API (docs/MODEL.md d.1-d.5): entry points that
 * normalise the buffer and dispatch to the profile's DMA path (dma_arm.c,
 * dma_ppc.c, dma_mips.c, dma_x86.c), plus helpers the paths share.
 *
 * Models: dma_map_page/dma_unmap_page, dma_sync_single_for_cpu/device,
 * dma_map_sg/dma_unmap_sg over whole pages, flush_dcache_page. Device
 * ownership of the buffer (hmr_dma_own/hmr_dma_release) is the caller's (the
 * op executor), as the device side is not kernel code.
 * Leaves out: outer (L2) maintenance by PA (the hardware model has no outer
 * cache), IOMMUs and bounce buffers, dma_alloc_coherent, sg entries that are
 * not whole pages, the PG_dcache_clean bookkeeping of ARM 4.x+.
 * Invariant kept: every per-line maintenance names the page the kernel means
 * it for (the pfn it computed the VA from), so the wrong-page oracle can tell
 * a recycled or unmapped VA from the right one. */
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/highmem.h"
#include "kernel/katomic.h"
#include "hw/hw.h"
#include "sim/sched.h"

const struct hmr_dma_ops *hmr_dma_model_ops(void)
{
	switch (W.prof->dma) {
	case DMA_ARM_2630:
	case DMA_ARM_2635:
	case DMA_ARM_2637:
	case DMA_ARM_61:
		return &hmr_dma_arm;
	case DMA_PPC_2635:
		return &hmr_dma_ppc_2635;
	case DMA_PPC_61:
		return &hmr_dma_ppc_61;
	case DMA_MIPS_2635:
		return &hmr_dma_mips_2635;
	case DMA_KMAP_ATOMIC:
	case DMA_MIPS_61:
		return &hmr_dma_kmap_atomic;
	default:
		return &hmr_dma_coherent;
	}
}

static const struct hmr_dma_ops *dma_ops(void) { return hmr_kapi->dma ? hmr_kapi->dma : hmr_dma_model_ops(); }

/* Rebase the buffer so off < PAGE_SIZE (as dma_cache_maint_page does) and keep
 * it inside simulated memory; returns the usable size. */
static uint32_t dma_rebase(int *pfn, uint32_t *off, uint32_t size)
{
	uint32_t room;
	*pfn += (int)(*off / W.P);
	*off %= W.P;
	if (*pfn < 0 || *pfn >= W.npfn)
		return 0;
	room = (uint32_t)(W.npfn - *pfn) * W.P - *off;
	return size < room ? size : room;
}

typedef void (*dma_range_fn)(int pfn, uint32_t off, uint32_t size, int dir);

static void dma_call(const char *fn, dma_range_fn f, int pfn, uint32_t off, uint32_t size, int dir)
{
	hmr_fn_enter(fn);
	size = dma_rebase(&pfn, &off, size);
	if (f && size)
		f(pfn, off, size, dir);
	hmr_fn_leave();
}

void dma_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_call("dma_map_page", dma_ops()->map_page, pfn, off, size, dir);
}

void dma_unmap_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_call("dma_unmap_page", dma_ops()->unmap_page, pfn, off, size, dir);
}

void dma_sync_single_for_cpu(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_call("dma_sync_single_for_cpu", dma_ops()->sync_for_cpu, pfn, off, size, dir);
}

void dma_sync_single_for_device(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_call("dma_sync_single_for_device", dma_ops()->sync_for_device, pfn, off, size, dir);
}

/* Scatterlists: each entry goes through the path's per-page routine, which is
 * dma_map_page/dma_unmap_page of the whole page unless the arch's sg code
 * differs (MIPS 2.6.35 uses sg_virt()). */
void dma_map_sg(const int *pfn, int n, int dir)
{
	const struct hmr_dma_ops *o = dma_ops();
	hmr_fn_enter("dma_map_sg");
	for (int i = 0; i < n; i++) {
		if (pfn[i] < 0 || pfn[i] >= W.npfn)
			continue;
		if (o->map_sg_page)
			o->map_sg_page(pfn[i], dir);
		else if (o->map_page)
			o->map_page(pfn[i], 0, W.P, dir);
	}
	hmr_fn_leave();
}

void dma_unmap_sg(const int *pfn, int n, int dir)
{
	const struct hmr_dma_ops *o = dma_ops();
	hmr_fn_enter("dma_unmap_sg");
	for (int i = 0; i < n; i++) {
		if (pfn[i] < 0 || pfn[i] >= W.npfn)
			continue;
		if (o->unmap_sg_page)
			o->unmap_sg_page(pfn[i], dir);
		else if (o->unmap_page)
			o->unmap_page(pfn[i], 0, W.P, dir);
	}
	hmr_fn_leave();
}

void flush_dcache_page(int pfn)
{
	const struct hmr_dma_ops *o = dma_ops();
	hmr_fn_enter("flush_dcache_page");
	if (o->flush_dcache_page && pfn >= 0 && pfn < W.npfn)
		o->flush_dcache_page(pfn);
	hmr_fn_leave();
}

/* ---- helpers shared by the paths ---- */

int hmr_dma_chunks(uint32_t base, int pfn, uint32_t off, uint32_t size,
		   struct hmr_dma_chunk *c, int max)
{
	int n = 0;
	uint32_t pos = off, end = off + size;
	while (pos < end && n < max) {
		uint32_t k = pos / W.P, stop = (k + 1) * W.P;
		if (stop > end)
			stop = end;
		c[n].va = base + pos;
		c[n].len = stop - pos;
		c[n].pfn = pfn + (int)k;
		n++;
		pos = stop;
	}
	return n;
}

void hmr_dma_virt_range(uint32_t base, int pfn, uint32_t off, uint32_t size, int dir, hmr_dma_op_fn op)
{
	struct hmr_dma_chunk c[HMR_NPFN];
	int n = hmr_dma_chunks(base, pfn, off, size, c, HMR_NPFN);
	for (int i = 0; i < n; i++)
		op(c[i].va, c[i].len, dir, c[i].pfn);
}

uint32_t hmr_bus_to_virt(int pfn) { return hmr_lowmem_va(pfn); }

void hmr_flush_dcache_lines(uint32_t va, int pfn)
{
	for (uint32_t o = 0; o < W.P; o += W.L) {
		sched_point(dcache_page_line);
		hmr_cache_line_op(va + o, OP_FLUSH, pfn);
	}
}

void hmr_flush_dcache_page_katomic(int pfn)
{
	uint32_t va;

	if (!hmr_pfn_is_high(pfn)) {
		hmr_flush_dcache_lines(hmr_lowmem_va(pfn), pfn);
		return;
	}
	va = hmr_kapi->kmap_atomic(pfn, KM_DEFAULT);
	hmr_flush_dcache_lines(va, pfn);
	hmr_kapi->kunmap_atomic(va, pfn, KM_DEFAULT);
}
