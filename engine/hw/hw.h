/* hw.h - the simulated hardware: physical memory, per-CPU TLBs, the data cache
 * (VIVT, VIPT, VIPT aliasing, PIPT), page tables and the DMA device.
 *
 * Every byte of memory and of every cache line carries the version of the write
 * that produced it; W.latest holds the newest logical version of each physical
 * byte (the shadow). The data oracles live where data can be lost or read stale:
 * a line discarded or written back while it (or memory) holds the only copy of the
 * newest version is a lost write; a load whose version is not the newest is a
 * stale read. Bytes inside a live DMA_FROM_DEVICE mapping belong to the device:
 * discarding the CPU's copy of them is legitimate (README "Architecture").
 * All functions run in a task (W.cur) and are atomic: callers put the scheduling
 * points between them. */
#ifndef HMR_HW_H
#define HMR_HW_H
#include "sim/world.h"

enum hmr_cache_op { OP_CLEAN, OP_INV, OP_FLUSH };

/* A new version for a write by the current task (or the device). */
uint32_t hmr_new_version(int device);

/* CPU store/load of bytes [va, va+len) within one cache line, through the
 * current CPU's TLB and the cache. Translation faults and stale TLB entries are
 * findings. A load compares every byte's version with the shadow. */
void hmr_cpu_store(uint32_t va, uint8_t val, uint32_t len, uint32_t version);
void hmr_cpu_load(uint32_t va, uint32_t len);

/* One cache-maintenance operation on the line holding va, by VA through the
 * current CPU (VIVT: by VA tag; others: translated). target_pfn is the page the
 * caller means to maintain (-1: any); touching another page's line, or a VA that
 * does not translate, is a wrong-page finding. */
void hmr_cache_line_op(uint32_t va, int op, int target_pfn);
/* Write back and drop every line filled from page pfn, by physical address
 * (x86 CPA's flush of a page whose attribute changes). Atomic. */
void hmr_flush_page_lines(int pfn);
/* Clean+invalidate every line (flush_cache_all), one scheduling point per line. */
void hmr_flush_cache_all(void);

/* Device access to physical memory (snooping the cache on IO-coherent profiles). */
void hmr_dev_store(uint32_t pa, uint8_t val, uint32_t len, uint32_t version);
void hmr_dev_load(uint32_t pa, uint32_t len);

/* Page tables: pkmap slots, fixmap (kmap_atomic/local) slots, user mappings.
 * Values are pfn + 1, 0 = pte_none. fn names the model function for history. */
void hmr_set_pte(uint32_t va, int pfn, const char *fn);
void hmr_pte_clear(uint32_t va, const char *fn);
uint32_t hmr_pte_get(uint32_t va);	/* pfn + 1 or 0; lowmem linear always mapped */

/* TLB maintenance. */
void hmr_tlb_flush_one(int cpu, uint32_t va);
void hmr_tlb_flush_local_all(int cpu);
/* flush_tlb_kernel_range: hardware broadcast, or IPIs to every CPU (sched.h). */
void flush_tlb_kernel_range(uint32_t start, uint32_t end);
int hmr_tlb_has(int cpu, uint32_t va);	/* any valid entry for va's page */

/* Live streaming mappings and who owns each buffer: the device from map to
 * unmap, except between a sync_for_cpu and the next sync_for_device. */
void hmr_dma_own(int pfn, uint32_t pa, uint32_t len, int dir);
void hmr_dma_release(int pfn, int dir);
void hmr_dma_set_owner(int pfn, int dir, int device);
/* The live mapping covering pa in one of the directions in dir_mask that the
 * device owns now, or NULL. */
const struct hmr_dma_map *hmr_dma_find(uint32_t pa, int dir_mask);

/* Hardware choices offered at the start of each operation: evictions and
 * speculative fills. */
void hmr_hw_choices(void);

/* Reset the hardware part of W for a new execution. */
void hmr_hw_reset(void);
#endif
