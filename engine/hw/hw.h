/* hw.h - the simulated hardware: physical memory, per-CPU TLBs, the data cache
 * (VIVT, VIPT, VIPT aliasing, PIPT), page tables and the DMA device.
 *
 * Every byte of memory and of every cache line carries the version of the write
 * that produced it; HW.latest holds the newest logical version of each physical
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

#define HMR_MAX_PAGE_SIZE	4096
#define HMR_MAX_PHYS		(HMR_NPFN * HMR_MAX_PAGE_SIZE)
#define HMR_LINE_POOL		(1 << 20)	/* bytes of cached data */
#define HMR_MAX_LINES		(HMR_LINE_POOL / 8)
#define HMR_MAX_LINE_SIZE	256
#define HMR_TLB_ENTRIES		32
#define HMR_MAX_VERSIONS	(1 << 16)

/* A cached line. Its bytes and their versions live in HW.ldata / HW.lver. */
struct hmr_line {
	uint32_t key;			/* VA line (VIVT), PA line (+colour) otherwise */
	uint16_t site;			/* site of the last fill or store (coverage) */
	uint32_t pa;			/* line PA it was filled from */
	uint32_t va;			/* VA it was last filled/dirtied through */
	uint8_t dirty;
	uint16_t dirty_task;		/* who last dirtied it: task id */
	uint32_t dirty_step;
	int dirty_op;
};

/* As many live streaming DMA mappings as any script can make (one per
 * dma_map, one per page of a dma_map_sg, none released): a script that keeps
 * many live is a valid program, not a limit of the rig. Tidy keeps fuzz
 * scripts to far fewer (HMR_MAX_DMA). */
#define HMR_MAX_DMA_LIVE (HMR_MAX_TASKS * HMR_MAX_OPS * HMR_MAX_SG)

/* A live streaming DMA mapping and who owns its buffer now. */
struct hmr_dma_map {
	uint16_t pfn;
	uint8_t dir;
	uint8_t task;
	uint8_t device_owns;		/* 0 between sync_for_cpu and sync_for_device */
	uint32_t pa, len;		/* physical range handed to the device */
};

/* Who wrote a version of the data: every byte carries one. */
struct hmr_version {
	uint16_t task;			/* 0xffff: the initial contents */
	uint8_t device;			/* written by the device */
	uint32_t step;
	int op;
};

struct hmr_tlb_entry {
	uint32_t vpn;
	uint32_t pfn;
	uint8_t valid;
};

/* The hardware's state: memory with its versions and the shadow, the cache,
 * one TLB per CPU (FIFO replacement), the page tables, live DMA buffers. */
struct hmr_hw {
	uint8_t mem[HMR_MAX_PHYS];
	uint32_t memver[HMR_MAX_PHYS];	/* version each memory byte holds */
	uint32_t latest[HMR_MAX_PHYS];	/* shadow: newest logical version per byte */
	uint8_t touched[HMR_NPFN];	/* pages whose bytes this execution changed */
	int ntouched;
	uint16_t touched_list[HMR_NPFN];
	uint32_t mem_P, mem_npfn;	/* layout memory was last fully set up for */
	int nver;
	struct hmr_version ver[HMR_MAX_VERSIONS];
	int nlines;
	int ndirty;			/* lines with dirty set */
	struct hmr_line line[HMR_MAX_LINES];
	uint8_t ldata[HMR_LINE_POOL];	/* line i's bytes at i * line_size */
	uint32_t lver[HMR_LINE_POOL];	/* and their versions */
	struct {
		int next;		/* the entry the next fill replaces */
		struct hmr_tlb_entry e[HMR_TLB_ENTRIES];
	} tlb[HMR_MAX_CPUS];
	uint32_t pkmap_pte[HMR_MAX_SLOTS];	/* pfn + 1, 0 = pte_none */
	/* Slots whose PTE, pkmap_count or a CPU's TLB entry may be non-zero since
	 * the reset: the others are free and forgotten, so the per-step scans
	 * (the pkmap invariants, speculation) visit only these. A superset. */
	uint64_t pkmap_live[HMR_MAX_SLOTS / 64];
	uint32_t fix_pte[HMR_FIX_SLOTS];
	uint32_t user_pte[HMR_NPFN];
	uint8_t pte_site[HMR_MAX_SLOTS + HMR_FIX_SLOTS];	/* site of the last pkmap, fixmap PTE write (coverage) */
	uint8_t uncached[HMR_NPFN];	/* page attribute changed to UC */
	int ndma;
	struct hmr_dma_map dma[HMR_MAX_DMA_LIVE];
};
extern struct hmr_hw HW;

enum hmr_cache_op { OP_CLEAN, OP_INV, OP_FLUSH };

static inline void hmr_pkmap_live(int nr) { HW.pkmap_live[nr >> 6] |= 1ull << (nr & 63); }

/* The live slot after nr (-1 for the first), or -1: visits them in order. */
static inline int hmr_pkmap_next_live(int nr)
{
	/* All words, not W.last_pkmap's: the reset clears the last execution's
	 * slots with the next one's machine in W. */
	for (int w = ++nr >> 6; w < HMR_MAX_SLOTS / 64; w++) {
		uint64_t bits = HW.pkmap_live[w] & (w == nr >> 6 ? ~0ull << (nr & 63) : ~0ull);
		if (bits)
			return w * 64 + __builtin_ctzll(bits);
	}
	return -1;
}

/* Slot nr has count 0 (its caller knows): with no PTE and no TLB entry
 * either, nothing about it is left, and it leaves the live set. */
void hmr_pkmap_forget_if_free(int nr);

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
