/* highmem.h - the persistent-kmap model (docs/MODEL.md a.1-a.6, b.1-b.7, b.13).
 * Pages are pfns. All functions run in a task and may reach scheduling points. */
#ifndef HMR_HIGHMEM_H
#define HMR_HIGHMEM_H
#include "sim/world.h"

#define PA_HASH_SIZE	128	/* 1 << PA_HASH_ORDER */

/* One entry of the page-address hash: pfn's pkmap VA. */
struct page_address_map {
	int pfn;
	uint32_t virtual;
	int next;		/* -1 ends a bucket list (or the free list) */
};

/* mm/highmem.c's state (docs/MODEL.md a.1-a.3).
 *
 * pkmap_count[nr] is not a count of users. 0: slot nr is free (no PTE, no
 * translation cached anywhere after the last flush). 1: the slot still maps its
 * page but nobody uses it; it is kept so that a later kmap of the same page
 * finds it, and freed only by flush_all_zero_pkmaps, which clears the PTE and
 * flushes the TLBs before the slot can be handed out again. n >= 2: n - 1
 * users hold it (kmap and kmap_high_get pins). Only kmap_lock's holder may
 * change a count or a pkmap PTE.
 * last_pkmap_nr is the cursor of the slot scan (one per colour with coloured
 * pkmaps): map_new_virtual starts after the slot it handed out last, and a
 * wrap to 0 is what sends it to flush_all_zero_pkmaps.
 * The page-address hash maps a highmem page to its pkmap VA, PA_HASH_SIZE
 * buckets each behind its own lock; before 3.8 its entries come from a pool
 * (pa_pool) behind pool_lock.
 * holds[nr][task] and hold_pfn[nr] are the model's own bookkeeping, not the
 * kernel's: who holds the pins counted in pkmap_count[nr], and the page they
 * pinned (the pin guarantee, P4 and P6, is checked against them). held has a
 * bit for each row of holds written since the reset (the rows that may be
 * nonzero): the task-end check and the reset visit those, not every slot. */
struct hmr_pkmap {
	int pkmap_count[HMR_MAX_SLOTS];
	uint8_t count_site[HMR_MAX_SLOTS];	/* site of the last count write (coverage) */
	int last_pkmap_nr;
	int last_pkmap_nr_arr[HMR_MAX_COLORS];
	struct spinlock kmap_lock;
	struct wait_queue_head pkmap_map_wait[HMR_MAX_COLORS];
	struct spinlock pa_lock[PA_HASH_SIZE];
	int pa_head[PA_HASH_SIZE];
	struct page_address_map pa_map[HMR_MAX_SLOTS];
	int pa_pool;				/* <= 3.7: free list of pa_map entries */
	struct spinlock pool_lock;
	struct spinlock cpa_lock;		/* x86 change_page_attr (dma_x86.c) */
	int holds[HMR_MAX_SLOTS][HMR_MAX_TASKS];
	uint64_t held[HMR_MAX_SLOTS / 64];
	int hold_pfn[HMR_MAX_SLOTS];
};
extern struct hmr_pkmap PK;

/* The running task's pins on slot nr change by d. */
static inline void hmr_pkmap_hold(int nr, int d)
{
	PK.holds[nr][W.cur->id] += d;
	PK.held[nr >> 6] |= 1ull << (nr & 63);
}

/* page_address(): the linear VA of a lowmem page, the pkmap VA of a mapped
 * highmem page, or 0. Takes one hash bucket lock, never kmap_lock. */
uint32_t page_address(int pfn);
/* The same answer with no lock, scheduling point or event, on the model or
 * on the real source (the differential oracle reads it between operations). */
uint32_t hmr_page_address_peek(int pfn);
/* kmap()/kunmap() front ends (b.1): might_sleep, lowmem shortcut, MIPS TLB flush;
 * kunmap BUGs in interrupt context before 5.11. */
uint32_t kmap(int pfn);
void kunmap(int pfn);
/* b.2, b.5, b.6, b.7. kmap_high may sleep; the others never do. */
uint32_t kmap_high(int pfn);
void kunmap_high(int pfn);
uint32_t kmap_high_get(int pfn);	/* 0 if the page has no pkmap VA */
void kmap_flush_unused(void);
/* Whether the current task holds a pin on the slot of va (kmap/kmap_high_get). */
int hmr_pkmap_holds(uint32_t va);
/* flush_cache_kmaps(): the architecture's cache flush before slots are
 * reused (flush_all_zero_pkmaps; the real-source profiles call it too). */
void hmr_flush_cache_kmaps(void);
/* The page-address hash's answer for pfn, read without its lock (oracles). */
uint32_t hmr_pa_hash_lookup(int pfn);
/* The cache colour of pkmap slot nr (one colour where pkmaps are not coloured). */
int hmr_pkmap_color_of_slot(int nr);
/* Reset the highmem model for a new execution. */
void hmr_highmem_reset(void);
#endif
