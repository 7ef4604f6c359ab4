/* highmem.h - the persistent-kmap model (docs/MODEL.md a.1-a.6, b.1-b.7, b.13).
 * Pages are pfns. All functions run in a task and may reach scheduling points. */
#ifndef HMR_HIGHMEM_H
#define HMR_HIGHMEM_H
#include <stdint.h>

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
