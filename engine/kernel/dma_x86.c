/* dma_x86.c - x86: coherent DMA and the change-page-attribute hazard
 * (docs/MODEL.md d.4, f.4; E9, E19).
 *
 * Models: DMA needs no cache maintenance (the device snoops the caches, see
 * the profile's io_coherent), flush_dcache_page is a no-op (PIPT caches), and
 * set_memory_uc() calls kmap_flush_unused() first on 2.6.27+ kernels
 * (5843d9a4d0b) unless no_kmap_flush_before_uc, then rewrites the attribute.
 * The attribute-alias oracle (docs/MODEL.md f.4) runs at the rewrite: no pkmap slot, not
 * even a lazily kept count==1 one, may still map the page with a cached PTE.
 * Other profiles run the same set_memory_uc (an uncached mapping of a page
 * with a live cached alias is as wrong on ARMv6+), without the flush unless
 * their profile has it.
 * The page's cache lines are written back and dropped after the change, as
 * CPA's cache flush does.
 * Leaves out: PAT/MTRR types other than UC, large-page splitting, the CPA
 * TLB flush of the linear map, vmap lazy aliases (vm_unmap_aliases).
 * Invariant kept: when HW.uncached[pfn] becomes 1, no pkmap PTE maps pfn. */
#include "kernel/kapi.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/highmem.h"
#include "hw/hw.h"
#include "sim/sched.h"
#include "sim/hooks.h"

const struct hmr_dma_ops hmr_dma_coherent = { 0 };

void set_memory_uc(int pfn)
{
	int flushed = 0;

	hmr_fn_enter("set_memory_uc");
	if (W.prof->cpa_flushes_kmaps && !SW(no_kmap_flush_before_uc)) {
		hmr_kapi->kmap_flush_unused();
		flushed = 1;
	}
	sched_point(cpa_set_attr);
	if (pfn >= 0 && pfn < W.npfn) {
		/* Attribute changes are serialised by cpa_lock (two tasks making
		 * the same page UC at once race without it: TSan found that). */
		spin_lock_at(&PK.cpa_lock, HMR_SITE_cpa_lock);
		hmr_oracle->cache_alias(pfn, flushed);	/* E9, E19 */
		hmr_flush_page_lines(pfn);	/* cpa_flush: no cached copy may outlive the change */
		HW.uncached[pfn] = 1;
		hmr_event(EV_ATTR, (uint32_t)pfn, 1, 0);
		spin_unlock_at(&PK.cpa_lock, HMR_SITE_cpa_unlock);
	}
	hmr_fn_leave();
}
