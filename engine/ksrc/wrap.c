/* wrap.c - one compiled copy of the real highmem code (build/ksrc/src, from
 * the kernel tree) for one architecture and one LAST_PKMAP: mm/highmem.c and,
 * before 5.11, the architecture's highmem file, unmodified, then what the
 * rig needs from inside them. */
#pragma clang section bss="hmr_ksrc_bss" data="hmr_ksrc_data"
#include "mm/highmem.c"
#pragma clang section bss="" data=""

/* What the rig calls (kabi.h): the file's functions and the headers' inline
 * ones (kmap, kmap_local_page, kmap_atomic...), in the model's terms. */
#define VA(p) ((uint32_t)(unsigned long)(p))
#define PTR(va) ((void *)(unsigned long)(va))

static void k_reset(pte_t *ptes)
{
	pkmap_page_table = ptes;
	page_address_init();
#if defined(HMR_KSRC_ARCH_mips) && defined(HMR_KSRC_ARCH_FILE)
	kmap_init();	/* MIPS caches its first kmap PTE there */
#endif
}

/* Before 5.11 kmap(), kunmap() and kmap_atomic() are the architecture's. */
#if !HMR_KSRC_ERA(51100) && defined(HMR_KSRC_ARCH_FILE)
#include HMR_KSRC_ARCH_FILE
#endif

#if HMR_KSRC_ERA(51100) || defined(HMR_KSRC_ARCH_FILE)
static uint32_t k_kmap(int pfn) { return VA(kmap(pfn_to_page(pfn))); }
static void k_kunmap(int pfn) { kunmap(pfn_to_page(pfn)); }
#else	/* a tree without the architecture's file: the era's generic front ends (kshim.h) */
static uint32_t k_kmap(int pfn) { return VA(hmr_k_generic_kmap(pfn_to_page(pfn))); }
static void k_kunmap(int pfn) { hmr_k_generic_kunmap(pfn_to_page(pfn)); }
#endif

/* kmap_atomic: highmem.h's from 5.8 (around the architecture's *_high
 * functions until 5.10); before, the architecture's stack-era __kmap_atomic
 * (named kmap_atomic from 3.4), or its km_type kmap_atomic, whose types the
 * shim numbers as the model does; without the architecture's file, the
 * model's. */
#if HMR_KSRC_ERA(51100) || (HMR_KSRC_ERA(50800) && defined(HMR_KSRC_ARCH_FILE))
static uint32_t k_kmap_atomic(int pfn, int ktype) { (void)ktype; return VA(kmap_atomic(pfn_to_page(pfn))); }
static void k_kunmap_atomic(uint32_t va, int ktype) { (void)ktype; kunmap_atomic(PTR(va)); }
#elif HMR_KSRC_ERA(20637) && defined(HMR_KSRC_ARCH_FILE)
static uint32_t k_kmap_atomic(int pfn, int ktype) { (void)ktype; return VA((HMR_K_KMAP_ATOMIC)(pfn_to_page(pfn))); }
static void k_kunmap_atomic(uint32_t va, int ktype) { (void)ktype; __kunmap_atomic(PTR(va)); }
#elif defined(HMR_KSRC_ARCH_FILE)
static uint32_t k_kmap_atomic(int pfn, int ktype) { return VA(kmap_atomic(pfn_to_page(pfn), ktype)); }
static void k_kunmap_atomic(uint32_t va, int ktype) { kunmap_atomic(PTR(va), ktype); }
#else
#define k_kmap_atomic NULL
#define k_kunmap_atomic NULL
#endif

/* kmap_local and the context-switch hooks exist from 5.11. */
#if HMR_KSRC_ERA(51100)
static uint32_t k_kmap_local(int pfn) { return VA(kmap_local_page(pfn_to_page(pfn))); }
static void k_kunmap_local(uint32_t va) { kunmap_local(PTR(va)); }
static void k_sched_out(void) { __kmap_local_sched_out(); }
static void k_sched_in(void) { __kmap_local_sched_in(); }
#else
#define k_kmap_local NULL
#define k_kunmap_local NULL
#define k_sched_out NULL
#define k_sched_in NULL
#endif

#ifdef ARCH_NEEDS_KMAP_HIGH_GET
static uint32_t k_kmap_high_get(int pfn) { return VA(kmap_high_get(pfn_to_page(pfn))); }
#else
#define k_kmap_high_get NULL
#endif
static void k_kunmap_high(int pfn) { kunmap_high(pfn_to_page(pfn)); }
static void k_kmap_flush_unused(void) { kmap_flush_unused(); }
static uint32_t k_page_address(int pfn) { return VA(page_address(pfn_to_page(pfn))); }

/* page_address() without the bucket lock (and so without its scheduling
 * points): what an oracle may look at between steps. */
static uint32_t k_page_address_peek(int pfn)
{
	struct page *page = pfn_to_page(pfn);
	struct page_address_map *pam;

	if (!PageHighMem(page))
		return VA(lowmem_page_address(page));
	list_for_each_entry(pam, &page_slot(page)->lh, list)
		if (pam->page == page)
			return VA(pam->virtual);
	return 0;
}

/* The architecture's streaming DMA path: from 5.11 MIPS and PowerPC
 * dma-noncoherent.c and ARM's page maintenance carved from dma-mapping.c,
 * under the generic code of kernel/dma/direct.h that calls them; before,
 * MIPS's own DMA API carved from dma-default.c and ARM's from
 * asm/dma-mapping.h and dma-mapping.c. Always for a device that is
 * not DMA-coherent, with no IOMMU and no bounce buffer. */
#ifdef HMR_KSRC_DMA_FILE
#undef flush_dcache_page	/* ARM's own, from flush.c, if carved */
#include HMR_KSRC_DMA_FILE
#ifdef HMR_KSRC_ARM_FLUSH
static void k_flush_dcache_page(int pfn) { flush_dcache_page(pfn_to_page(pfn)); }
#else
#define k_flush_dcache_page NULL
#endif
static struct device k_dev;	/* not DMA-coherent */
static phys_addr_t k_phys(int pfn, uint32_t off) { return page_to_phys(pfn_to_page(pfn)) + off; }
#define K_DMA_FILE HMR_KSRC_DMA_NAME
#if HMR_KSRC_ERA(51100)
#include "kernel/dma/direct.h"
static void k_dma_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_direct_map_page(&k_dev, pfn_to_page(pfn), off, size, dir, 0);
}
static void k_dma_unmap_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_direct_unmap_page(&k_dev, phys_to_dma(&k_dev, k_phys(pfn, off)), size, dir, 0);
}
static void k_dma_sync_for_cpu(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_direct_sync_single_for_cpu(&k_dev, phys_to_dma(&k_dev, k_phys(pfn, off)), size, dir);
}
static void k_dma_sync_for_device(int pfn, uint32_t off, uint32_t size, int dir)
{
	dma_direct_sync_single_for_device(&k_dev, phys_to_dma(&k_dev, k_phys(pfn, off)), size, dir);
}
#define k_dma_map_sg_page NULL
#define k_dma_unmap_sg_page NULL
#else	/* MIPS dma-default.c (3.x's mips_dma_* map ops, or 2.6.x's own API), ARM asm/dma-mapping.h,
	 * PowerPC's direct ops */
#ifdef HMR_KSRC_MIPS_DMA_OPS
#define K_MAP(dev, page, off, size, dir) mips_dma_map_page(dev, page, off, size, dir, NULL)
#define K_UNMAP(dev, a, size, dir) mips_dma_unmap_page(dev, a, size, dir, NULL)
#define K_SYNC_CPU(dev, a, size, dir) mips_dma_sync_single_for_cpu(dev, a, size, dir)
#define K_SYNC_DEV(dev, a, size, dir) mips_dma_sync_single_for_device(dev, a, size, dir)
#define K_MAP_SG(dev, sg, dir) mips_dma_map_sg(dev, sg, 1, dir, NULL)
#define K_UNMAP_SG(dev, sg, dir) mips_dma_unmap_sg(dev, sg, 1, dir, NULL)
#elif defined(HMR_KSRC_ARCH_ppc)	/* dma_direct_ops: the same sync both ways */
#define K_MAP(dev, page, off, size, dir) dma_direct_map_page(dev, page, off, size, dir, NULL)
#define K_UNMAP(dev, a, size, dir) dma_direct_unmap_page(dev, a, size, dir, NULL)
#ifdef HMR_KSRC_HAS_dma_direct_sync_single_range	/* 2.6.32: the range form */
#define K_SYNC_CPU(dev, a, size, dir) dma_direct_sync_single_range(dev, a, 0, size, dir)
#else
#define K_SYNC_CPU(dev, a, size, dir) dma_direct_sync_single(dev, a, size, dir)
#endif
#define K_SYNC_DEV K_SYNC_CPU
#define K_MAP_SG(dev, sg, dir) dma_direct_map_sg(dev, sg, 1, dir, NULL)
#define K_UNMAP_SG(dev, sg, dir) dma_direct_unmap_sg(dev, sg, 1, dir, NULL)
#else
#define K_MAP(dev, page, off, size, dir) dma_map_page(dev, page, off, size, dir)
#ifdef HMR_KSRC_HAS_dma_unmap_page
#define K_UNMAP(dev, a, size, dir) dma_unmap_page(dev, a, size, dir)
#else	/* MIPS 2.6.x: dma_unmap_page is dma_unmap_single */
#define K_UNMAP(dev, a, size, dir) dma_unmap_single(dev, a, size, dir)
#endif
#define K_SYNC_CPU(dev, a, size, dir) dma_sync_single_for_cpu(dev, a, size, dir)
#define K_SYNC_DEV(dev, a, size, dir) dma_sync_single_for_device(dev, a, size, dir)
#define K_MAP_SG(dev, sg, dir) dma_map_sg(dev, sg, 1, dir)
#define K_UNMAP_SG(dev, sg, dir) dma_unmap_sg(dev, sg, 1, dir)
#endif
static void k_dma_map_page(int pfn, uint32_t off, uint32_t size, int dir)
{
	K_MAP(&k_dev, pfn_to_page(pfn), off, size, dir);
}
static void k_dma_unmap_page(int pfn, uint32_t off, uint32_t size, int dir) { K_UNMAP(&k_dev, k_phys(pfn, off), size, dir); }
static void k_dma_sync_for_cpu(int pfn, uint32_t off, uint32_t size, int dir) { K_SYNC_CPU(&k_dev, k_phys(pfn, off), size, dir); }
static void k_dma_sync_for_device(int pfn, uint32_t off, uint32_t size, int dir) { K_SYNC_DEV(&k_dev, k_phys(pfn, off), size, dir); }
/* The entry's dma_address as the map set it, for the unmap (one per page). */
static dma_addr_t k_sg_dma[HMR_K_NPFN];
static void k_dma_map_sg_page(int pfn, int dir)
{
	struct scatterlist sg = { .hmr_page = pfn_to_page(pfn), .offset = 0, .length = PAGE_SIZE };
	K_MAP_SG(&k_dev, &sg, dir);
	k_sg_dma[pfn] = sg.dma_address;
}
static void k_dma_unmap_sg_page(int pfn, int dir)
{
	struct scatterlist sg = { .hmr_page = pfn_to_page(pfn), .offset = 0, .length = PAGE_SIZE,
				  .dma_address = k_sg_dma[pfn] };
	K_UNMAP_SG(&k_dev, &sg, dir);
}
#endif
#else
#define K_DMA_FILE NULL
#define k_dma_map_page NULL
#define k_dma_unmap_page NULL
#define k_dma_sync_for_cpu NULL
#define k_dma_sync_for_device NULL
#define k_dma_map_sg_page NULL
#define k_dma_unmap_sg_page NULL
#define k_flush_dcache_page NULL
#endif

const struct hmr_ksrc_impl HMR_KSRC_IMPL = {
	.arch = HMR_KSRC_ARCH_NAME,
	.last_pkmap = LAST_PKMAP,
	.reset = k_reset,
	.kmap = k_kmap,
	.kunmap = k_kunmap,
	.kmap_high_get = k_kmap_high_get,
	.kunmap_high = k_kunmap_high,
	.kmap_flush_unused = k_kmap_flush_unused,
	.kmap_local = k_kmap_local,
	.kunmap_local = k_kunmap_local,
	.kmap_atomic = k_kmap_atomic,
	.kunmap_atomic = k_kunmap_atomic,
	.page_address = k_page_address,
	.page_address_peek = k_page_address_peek,
	.sched_out = k_sched_out,
	.sched_in = k_sched_in,
	.pkmap_count = pkmap_count,
#if HMR_KSRC_ERA(20637) && !HMR_KSRC_ERA(51100)
	.katomic_idx = __kmap_atomic_idx,
#endif
	.dma_file = K_DMA_FILE,
	.dma_map_page = k_dma_map_page,
	.dma_unmap_page = k_dma_unmap_page,
	.dma_sync_for_cpu = k_dma_sync_for_cpu,
	.dma_sync_for_device = k_dma_sync_for_device,
	.dma_map_sg_page = k_dma_map_sg_page,
	.dma_unmap_sg_page = k_dma_unmap_sg_page,
	.flush_dcache_page = k_flush_dcache_page,
};
