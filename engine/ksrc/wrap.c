/* wrap.c - one compiled copy of the real mm/highmem.c (build/ksrc/src, from
 * the kernel tree) for one architecture and one LAST_PKMAP: the source file
 * itself, unmodified, then what the rig needs from inside it. */
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
}

static uint32_t k_kmap(int pfn) { return VA(kmap(pfn_to_page(pfn))); }
static void k_kunmap(int pfn) { kunmap(pfn_to_page(pfn)); }
#ifdef ARCH_NEEDS_KMAP_HIGH_GET
static uint32_t k_kmap_high_get(int pfn) { return VA(kmap_high_get(pfn_to_page(pfn))); }
#else
#define k_kmap_high_get NULL
#endif
static void k_kunmap_high(int pfn) { kunmap_high(pfn_to_page(pfn)); }
static void k_kmap_flush_unused(void) { kmap_flush_unused(); }
static uint32_t k_kmap_local(int pfn) { return VA(kmap_local_page(pfn_to_page(pfn))); }
static void k_kunmap_local(uint32_t va) { kunmap_local(PTR(va)); }
static uint32_t k_kmap_atomic(int pfn) { return VA(kmap_atomic(pfn_to_page(pfn))); }
static void k_kunmap_atomic(uint32_t va) { kunmap_atomic(PTR(va)); }
static uint32_t k_page_address(int pfn) { return VA(page_address(pfn_to_page(pfn))); }
static void k_sched_out(void) { __kmap_local_sched_out(); }
static void k_sched_in(void) { __kmap_local_sched_in(); }

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

const struct hmr_ksrc_impl HMR_KSRC_IMPL = {
#ifdef ARCH_NEEDS_KMAP_HIGH_GET
	.arch = "arm",
#else
	.arch = "x86",
#endif
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
};
