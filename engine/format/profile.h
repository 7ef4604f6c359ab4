/* profile.h - kernel profiles (architecture x version) and bug switches (README "Profiles and switches").
 *
 * A profile is data: which variant of each kernel-model function runs. Version
 * differences are fields here, read by small named branches in the model, never
 * #ifdefs. A switch layers one historical or hypothetical bug on a profile. */
#ifndef HMR_PROFILE_H
#define HMR_PROFILE_H
#include <stdint.h>

enum hmr_arch { ARCH_ARM, ARCH_PPC, ARCH_MIPS, ARCH_XTENSA, ARCH_X86 };

/* Which atomic-kmap implementation the profile has (docs/MODEL.md a.7, b.9-b.11). */
enum hmr_katomic { KATOMIC_KM_TYPE, KATOMIC_STACK, KATOMIC_LOCAL };

/* The DMA mapping path (docs/MODEL.md d.1-d.4). */
enum hmr_dma_path {
	DMA_ARM_2630,	/* kmap_high_get pin, map-time maintenance only */
	DMA_ARM_2635,	/* map+unmap maintenance, kmap_high_get else kmap_high_l1_vipt */
	DMA_ARM_2637,	/* as 2635 with stack kmap_atomic instead of the L1 helper */
	DMA_ARM_61,	/* pfn loop; VIPT non-aliasing -> kmap_atomic, else kmap_high_get */
	DMA_PPC_2635,	/* __dma_sync_page_highmem: irq save + kmap_atomic per segment */
	DMA_MIPS_2635,	/* page_address()/sg_virt, skip or oops when unmapped */
	DMA_KMAP_ATOMIC,	/* per-page kmap_atomic: MIPS after e36863a550da, xtensa */
	DMA_MIPS_61,		/* dma_sync_phys: every page on its own, lowmem too */
	DMA_COHERENT,	/* x86: no maintenance, the device snoops */
	DMA_PPC_61,	/* dma-direct -> __dma_sync_page_highmem at map, unmap and both syncs */
};

/* flush_cache_kmaps() flavour (docs/MODEL.md b.4). */
enum hmr_fck { FCK_NONE, FCK_ALL, FCK_VIVT_ONLY, FCK_BUG_ON_ALIAS };

struct hmr_profile {
	const char *name;
	const char *help;
	enum hmr_arch arch;
	int version;		/* e.g. 20630 for 2.6.30, 60100 for 6.1 */
	int high_get;		/* ARCH_NEEDS_KMAP_HIGH_GET: kmap_high_get, IRQs-off kmap_lock */
	int need_flush;		/* 2.6.27+: TLB flush only if a slot was freed */
	int pool_hash;		/* <= 3.7: page_address_pool + pool_lock */
	int colour_pkmap;	/* 3.17+ xtensa: colour-aware slots and queues */
	int cpa_flushes_kmaps;	/* x86 CPA calls kmap_flush_unused (2.6.27+) */
	int katomic_reuses_pkmap;	/* ARM 2.6.33+: kmap_atomic tries kmap_high_get on VIVT */
	int unmap_maintenance;	/* maintenance at unmap/sync_for_cpu too (ARM 2.6.34+, PPC/MIPS 6.1 shapes) */
	int lazy_kunmap_atomic;	/* km_type ARM/MIPS: kunmap_atomic leaves the PTE (no DEBUG_HIGHMEM) */
	int io_coherent;	/* the device snoops the caches */
	int kmap_flush_tlb;	/* MIPS: kmap() does a local TLB flush of the new VA */
	enum hmr_katomic katomic;
	enum hmr_dma_path dma;
	enum hmr_fck fck;
	int cache_default;	/* enum hmr_cache_mode */
	int tlb_default;	/* enum hmr_tlb_mode */
	const char *ksrc;	/* real-source profile: the copy's arch (ksrc.h), else NULL */
	const char *base;	/* real-source profile: the model profile of its era, which
				 * supplies every field above (and what is still modelled) */
};

enum hmr_switch_id {
#define SWITCH(id, help) SW_##id,
#include "format/switches.def"
#undef SWITCH
	SW__N
};

/* Switches that exist to test the detectors, not historical kernels: no fuzz
 * input carries one, and HMRIG_OPTIONS and campaigns name one only for the
 * rig's own tests (binfmt.h hmr_bin_set_options); scenarios and --switch may. */
#define HMR_TEST_SWITCHES ((1u << SW_test_unlocked_count) | (1u << SW_test_katomic_no_flush) | (1u << SW_test_ub))

extern const struct hmr_profile *const hmr_profiles;
extern int hmr_nprofiles;
/* The model's profiles come first: the real-source ones (ksrc.h) follow, and
 * fuzz inputs, the mutator and random tests draw from the first ones only. */
extern const int hmr_nmodel_profiles;
#define HMR_MAX_SRC_PROFILES 12	/* per architecture: src, its 6.1 alias, a model twin */

/* Append a profile (the real-source ones, at start-up); its index, or -1 if
 * the table is full. */
int hmr_profile_add(const struct hmr_profile *p);
/* The model profile of arch closest to a kernel version: the newest at or
 * before it, else the oldest after it; -1 if the arch has none. */
int hmr_profile_era(enum hmr_arch arch, int version);
/* Make *p the model of a kernel of that version: if the version is on
 * another side of a threshold the model reads, set it and what follows from
 * it (need_flush, pool_hash, katomic) and return 1; else leave *p, return 0. */
int hmr_profile_at(struct hmr_profile *p, int version);
extern const struct hmr_switch_info { const char *name, *help; } hmr_switches[SW__N];

int hmr_profile_lookup(const char *name, int len);	/* index or -1 */
int hmr_switch_lookup(const char *name, int len);	/* SW_* or -1 */
#endif
