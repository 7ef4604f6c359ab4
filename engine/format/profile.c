/* profile.c - the kernel profiles (README "Profiles and switches") as data,
 * from docs/MODEL.md (c) and (d). Field order: see struct hmr_profile. */
#include "format/profile.h"
#include "format/config.h"
#include <string.h>

static const struct hmr_profile hmr_model[] = {
	{ .name = "arm-2.6.30", .help = "ARM highmem as merged: kmap_high_get pins the DMA VA, map-time maintenance only, km_type kmap_atomic",
	  .arch = ARCH_ARM, .version = 20630, .high_get = 1, .need_flush = 1, .pool_hash = 1,
	  .lazy_kunmap_atomic = 1, .katomic = KATOMIC_KM_TYPE, .dma = DMA_ARM_2630, .fck = FCK_ALL,
	  .cache_default = CACHE_VIVT, .tlb_default = TLB_BROADCAST },
	{ .name = "arm-2.6.35", .help = "ARM after 6007/1: map+unmap maintenance, kmap_high_get else kmap_high_l1_vipt, VIVT-only flush_cache_kmaps",
	  .arch = ARCH_ARM, .version = 20635, .high_get = 1, .need_flush = 1, .pool_hash = 1,
	  .katomic_reuses_pkmap = 1, .unmap_maintenance = 1, .lazy_kunmap_atomic = 1,
	  .katomic = KATOMIC_KM_TYPE, .dma = DMA_ARM_2635, .fck = FCK_VIVT_ONLY,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_BROADCAST },
	{ .name = "arm-2.6.37", .help = "ARM with stack-based kmap_atomic replacing the L1 VIPT helper in DMA maintenance",
	  .arch = ARCH_ARM, .version = 20637, .high_get = 1, .need_flush = 1, .pool_hash = 1,
	  .katomic_reuses_pkmap = 1, .unmap_maintenance = 1, .lazy_kunmap_atomic = 1,
	  .katomic = KATOMIC_STACK, .dma = DMA_ARM_2637, .fck = FCK_VIVT_ONLY,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_BROADCAST },
	{ .name = "ppc-2.6.35", .help = "PowerPC 32 non-coherent: IRQs off + km_type kmap_atomic per segment, maintenance at map/sync only",
	  .arch = ARCH_PPC, .version = 20635, .need_flush = 1, .pool_hash = 1, .lazy_kunmap_atomic = 1,
	  .katomic = KATOMIC_KM_TYPE, .dma = DMA_PPC_2635, .fck = FCK_ALL,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_BROADCAST },
	{ .name = "mips-2.6.35", .help = "MIPS before the highmem DMA fix: page_address()/sg_virt(), unmapped highmem pages skipped",
	  .arch = ARCH_MIPS, .version = 20635, .need_flush = 1, .pool_hash = 1, .lazy_kunmap_atomic = 1,
	  .kmap_flush_tlb = 1, .katomic = KATOMIC_KM_TYPE, .dma = DMA_MIPS_2635, .fck = FCK_ALL,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_IPI },
	{ .name = "mips-3.1", .help = "MIPS after e36863a550da: per-page stack kmap_atomic for DMA maintenance",
	  .arch = ARCH_MIPS, .version = 30100, .need_flush = 1, .pool_hash = 1, .lazy_kunmap_atomic = 1,
	  .kmap_flush_tlb = 1, .katomic = KATOMIC_STACK, .dma = DMA_KMAP_ATOMIC, .fck = FCK_ALL,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_IPI },
	{ .name = "mips-6.1", .help = "MIPS 6.1: dma_sync_phys kmap_atomic()s every page, clamping only highmem ones; highmem refused with an aliasing dcache",
	  .arch = ARCH_MIPS, .version = 60100, .need_flush = 1, .kmap_flush_tlb = 1,
	  .katomic = KATOMIC_LOCAL, .dma = DMA_MIPS_61, .fck = FCK_BUG_ON_ALIAS,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_IPI },
	{ .name = "xtensa-3.17", .help = "xtensa with an aliasing dcache: colour-aware pkmap cursors and wait queues",
	  .arch = ARCH_XTENSA, .version = 31700, .need_flush = 1, .colour_pkmap = 1,
	  .katomic = KATOMIC_STACK, .dma = DMA_KMAP_ATOMIC, .fck = FCK_ALL,
	  .cache_default = CACHE_VIPT_ALIAS, .tlb_default = TLB_BROADCAST },
	{ .name = "x86-2.6.26", .help = "x86-32 before 2.6.27: unconditional TLB flush, CPA without kmap_flush_unused, coherent DMA",
	  .arch = ARCH_X86, .version = 20626, .pool_hash = 1, .io_coherent = 1,
	  .katomic = KATOMIC_KM_TYPE, .dma = DMA_COHERENT, .fck = FCK_NONE,
	  .cache_default = CACHE_PIPT, .tlb_default = TLB_IPI },
	{ .name = "x86-6.1", .help = "x86-32 kmap_local era: CPA calls kmap_flush_unused, coherent DMA",
	  .arch = ARCH_X86, .version = 60100, .need_flush = 1, .cpa_flushes_kmaps = 1, .io_coherent = 1,
	  .katomic = KATOMIC_LOCAL, .dma = DMA_COHERENT, .fck = FCK_NONE,
	  .cache_default = CACHE_PIPT, .tlb_default = TLB_IPI },
	{ .name = "arm-6.1", .help = "ARM kmap_local era: pfn loop, kmap_atomic on VIPT non-aliasing, kmap_high_get otherwise",
	  .arch = ARCH_ARM, .version = 60100, .high_get = 1, .need_flush = 1,
	  .katomic_reuses_pkmap = 1, .unmap_maintenance = 1,
	  .katomic = KATOMIC_LOCAL, .dma = DMA_ARM_61, .fck = FCK_VIVT_ONLY,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_BROADCAST },
	/* Appended, so that fuzz inputs naming the profiles above keep them. */
	{ .name = "x86-2.6.27", .help = "x86-32 km_type era from 2.6.27: TLB flush only if a slot was freed, CPA calls kmap_flush_unused",
	  .arch = ARCH_X86, .version = 20627, .need_flush = 1, .pool_hash = 1, .cpa_flushes_kmaps = 1, .io_coherent = 1,
	  .katomic = KATOMIC_KM_TYPE, .dma = DMA_COHERENT, .fck = FCK_NONE,
	  .cache_default = CACHE_PIPT, .tlb_default = TLB_IPI },
	{ .name = "arm-2.6.32", .help = "ARM 2.6.31-2.6.33: as arm-2.6.30, but kmap_atomic reuses a page's pkmap VA (kmap_high_get) instead of a second alias",
	  .arch = ARCH_ARM, .version = 20632, .high_get = 1, .need_flush = 1, .pool_hash = 1,
	  .katomic_reuses_pkmap = 1, .lazy_kunmap_atomic = 1, .katomic = KATOMIC_KM_TYPE, .dma = DMA_ARM_2630, .fck = FCK_ALL,
	  .cache_default = CACHE_VIVT, .tlb_default = TLB_BROADCAST },
	{ .name = "ppc-6.1", .help = "PowerPC 32 non-coherent 6.1: dma-direct syncs every segment through kmap_atomic, at map, unmap and both syncs",
	  .arch = ARCH_PPC, .version = 60100, .need_flush = 1, .unmap_maintenance = 1,
	  .katomic = KATOMIC_LOCAL, .dma = DMA_PPC_61, .fck = FCK_ALL,
	  .cache_default = CACHE_VIPT, .tlb_default = TLB_BROADCAST },
};
#define HMR_NMODEL 14
_Static_assert(sizeof(hmr_model) / sizeof(hmr_model[0]) == HMR_NMODEL, "HMR_NMODEL: the model's profiles");

/* The model's, then the real-source ones added at start-up (ksrc/glue.c). */
static struct hmr_profile all[HMR_NMODEL + HMR_MAX_SRC_PROFILES];
const struct hmr_profile *const hmr_profiles = all;
int hmr_nprofiles;
const int hmr_nmodel_profiles = HMR_NMODEL;

static void init(void)
{
	if (!hmr_nprofiles) {
		memcpy(all, hmr_model, sizeof(hmr_model));
		hmr_nprofiles = HMR_NMODEL;
	}
}
__attribute__((constructor)) static void profiles_init(void) { init(); }

int hmr_profile_add(const struct hmr_profile *p)
{
	init();
	if (hmr_nprofiles == HMR_NMODEL + HMR_MAX_SRC_PROFILES)
		return -1;
	all[hmr_nprofiles] = *p;
	return hmr_nprofiles++;
}

/* The version thresholds the model reads (need_flush, ARM's kunmap_atomic
 * flush, the atomic-kmap eras, the entry pool and the flush's address, the
 * generic kunmap): two versions on the same side of all are one model. */
static int thresholds(int v)
{
	static const int at[] = { 20627, 20634, 20637, 30800, 51100 };
	int bits = 0;
	for (int i = 0; i < (int)(sizeof(at) / sizeof(at[0])); i++)
		bits |= (v >= at[i]) << i;
	return bits;
}

int hmr_profile_at(struct hmr_profile *p, int version)
{
	if (thresholds(p->version) == thresholds(version))
		return 0;
	p->version = version;
	p->need_flush = version >= 20627;
	p->pool_hash = version < 30800;
	p->katomic = version < 20637 ? KATOMIC_KM_TYPE : version < 51100 ? KATOMIC_STACK : KATOMIC_LOCAL;
	return 1;
}

int hmr_profile_era(enum hmr_arch arch, int version)
{
	int best = -1;
	init();	/* the index is into hmr_profiles, which a constructor in another file may read first */
	for (int i = 0; i < HMR_NMODEL; i++) {
		const struct hmr_profile *p = &hmr_model[i], *b = best >= 0 ? &hmr_model[best] : NULL;
		if (p->arch != arch)
			continue;
		/* the newest at or before version, else the oldest after it */
		if (!b || (p->version <= version && (b->version > version || p->version > b->version)) ||
		    (p->version > version && b->version > version && p->version < b->version))
			best = i;
	}
	return best;
}

const struct hmr_switch_info hmr_switches[SW__N] = {
#define SWITCH(id, help) { #id, help },
#include "format/switches.def"
#undef SWITCH
};

int hmr_profile_lookup(const char *name, int len)
{
	for (int i = 0; i < hmr_nprofiles; i++)
		if ((int)strlen(hmr_profiles[i].name) == len && !memcmp(hmr_profiles[i].name, name, len))
			return i;
	return -1;
}

int hmr_switch_lookup(const char *name, int len)
{
	for (int i = 0; i < SW__N; i++)
		if ((int)strlen(hmr_switches[i].name) == len && !memcmp(hmr_switches[i].name, name, len))
			return i;
	return -1;
}
