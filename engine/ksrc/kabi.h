/* kabi.h - what a compiled copy of the real highmem code (wrap.c, under
 * kshim.h's kernel macros) and the engine side (glue.c, under the engine's
 * headers) share: the shim's types, the hooks the real code calls, and the
 * table each copy exports. Nothing here may use a kernel macro's name. */
#ifndef HMR_KABI_H
#define HMR_KABI_H
#include <stddef.h>
#include <stdint.h>

struct page { unsigned long flags, index; };
typedef struct { unsigned long pte; } pte_t;		/* pfn + 1; 0 is pte_none */
typedef struct {
	const char *name;
	int site;		/* HMR_K_LOCK_*: which of the model's lock sites */
	void *lock;		/* the engine's struct spinlock, made on first use */
} spinlock_t;
enum { HMR_K_LOCK_pa, HMR_K_LOCK_kmap_lock, HMR_K_LOCK_pool };
typedef struct { const char *name; void *wq; } wait_queue_head_t;
struct task_struct;
typedef struct { struct task_struct *task; } wait_queue_entry_t;
#define HMR_K_KM_MAX_IDX 16		/* kmap_local slots per CPU (5.11+) */
#define HMR_K_KM_TYPE_NR 20		/* kmap_atomic slots per CPU before */
#define HMR_K_NR_CPUS 4		/* HMR_MAX_CPUS */
#define HMR_K_NPFN 128		/* HMR_NPFN */
#define HMR_K_FIXADDR_TOP 0xfff00000UL
struct kmap_ctrl {
	int idx;
	pte_t pteval[HMR_K_KM_MAX_IDX];
};
struct task_struct {
	struct kmap_ctrl kmap_ctrl;
	int hmr_id;
};

/* ---- the hooks (glue.c) ---- */
extern struct page hmr_k_pages[];
extern unsigned long hmr_k_page_shift;
void hmr_k_bug(const char *file, int line, const char *cond) __attribute__((noreturn));	/* as the kernel's BUG() */
int hmr_k_warn(int cond, const char *file, int line, const char *what);
int hmr_k_page_highmem(const struct page *page);
void *hmr_k_lowmem_address(const struct page *page);
struct page *hmr_k_virt_to_page(const void *va);
uint32_t hmr_k_ptr32(const void *p);	/* a struct page's address on a 32-bit kernel */
void hmr_k_set_pte(unsigned long vaddr, pte_t *ptep, pte_t pte);
void hmr_k_set_kpte(pte_t *ptep, pte_t pte);	/* a fixmap PTE, its VA from its place */
pte_t *hmr_k_kmap_pte(void);			/* the fixmap PTE of slot 0 */
int hmr_k_cache_is_vivt(void);
void hmr_k_flush_dcache_va(unsigned long vaddr);	/* a page's lines, a point per line */
pte_t *hmr_k_virt_to_kpte(unsigned long vaddr);
void hmr_k_flush_tlb_kernel_range(unsigned long start, unsigned long end);
void hmr_k_flush_cache_kmaps(void);
void hmr_k_local_tlb_flush(unsigned long vaddr);
void hmr_k_local_pre_unmap(unsigned long vaddr);
void hmr_k_flush_dcache_page(struct page *page);
int hmr_k_cpu(void);
void hmr_k_preempt(int delta);
void hmr_k_might_sleep(void);
int hmr_k_irqs_disabled(void);
int hmr_k_in_hardirq(void);
int hmr_k_in_interrupt(void);
struct task_struct *hmr_k_current(void);
enum { K_LOCK, K_UNLOCK, K_LOCK_IRQ, K_UNLOCK_IRQ, K_LOCK_IRQSAVE, K_UNLOCK_IRQRESTORE };
void hmr_k_spin(spinlock_t *l, int op, unsigned long *flags);
void hmr_k_set_current_state(int state);
void hmr_k_add_wait_queue(wait_queue_head_t *q, wait_queue_entry_t *w);
void hmr_k_remove_wait_queue(wait_queue_head_t *q, wait_queue_entry_t *w);
void hmr_k_schedule(void);
int hmr_k_waitqueue_active(wait_queue_head_t *q);
void hmr_k_wake_up(wait_queue_head_t *q);
/* The streaming-DMA paths' needs: maintenance of [va, va + size) line by
 * line (op as hw.h's OP_CLEAN, OP_INV, OP_FLUSH), the line size, whether
 * the CPU needs maintenance after DMA too (the profile's unmap_maintenance),
 * local_irq_save/restore. */
enum { HMR_K_CACHE_CLEAN, HMR_K_CACHE_INV, HMR_K_CACHE_FLUSH };
void hmr_k_dma_cache(unsigned long va, unsigned long size, int op);
unsigned long hmr_k_line_size(void);
int hmr_k_post_dma_maintenance(void);
unsigned long hmr_k_irq_save(void);
void hmr_k_irq_restore(unsigned long flags);
/* ARM's cache type and its dmac_map_area/dmac_unmap_area (CPU ops). */
int hmr_k_cache_vipt_nonaliasing(void);
void hmr_k_dmac_map_area(const void *va, size_t size, int dir);
void hmr_k_dmac_unmap_area(const void *va, size_t size, int dir);
/* 2.6.32's range ops and virt_addr_valid (a lowmem linear address). */
void hmr_k_dmac_inv_range(const void *start, const void *end);
void hmr_k_dmac_clean_range(const void *start, const void *end);
void hmr_k_dmac_flush_range(const void *start, const void *end);
int hmr_k_virt_addr_valid(unsigned long va);

/* ---- the table a compiled copy exports (one per arch and LAST_PKMAP) ----
 * Virtual addresses are the model's 32-bit ones; pages are model pfns. */
struct hmr_ksrc_impl {
	const char *arch;		/* "x86", "arm", "mips" or "ppc" */
	int last_pkmap;
	/* Boot state: the file's statics as the section restore left them,
	 * then its own initialisation (page_address_init), with the pkmap page
	 * table at ptes. */
	void (*reset)(pte_t *ptes);
	uint32_t (*kmap)(int pfn);
	void (*kunmap)(int pfn);
	uint32_t (*kmap_high_get)(int pfn);	/* NULL without ARCH_NEEDS_KMAP_HIGH_GET */
	void (*kunmap_high)(int pfn);
	void (*kmap_flush_unused)(void);
	/* NULL where the tree has no such entry point (before 5.11: kmap_local
	 * and the context-switch hooks; kmap_atomic without the architecture's
	 * file): the model's stands in (glue.c). */
	uint32_t (*kmap_local)(int pfn);
	void (*kunmap_local)(uint32_t va);
	uint32_t (*kmap_atomic)(int pfn, int ktype);	/* ktype: enum hmr_km_type */
	void (*kunmap_atomic)(uint32_t va, int ktype);
	uint32_t (*page_address)(int pfn);	/* the real one, bucket lock and all */
	uint32_t (*page_address_peek)(int pfn);	/* no locks: for oracles */
	void (*sched_out)(void);
	void (*sched_in)(void);
	const int *pkmap_count;
	const int *katomic_idx;		/* the stack era's per-CPU index, else NULL */
	/* The architecture's streaming DMA path from the tree (dma_file; NULL:
	 * the model's): map, unmap and the syncs of a buffer starting off (<
	 * PAGE_SIZE) bytes into page pfn, dir as the model's enum hmr_dma_dir. */
	const char *dma_file;
	void (*dma_map_page)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*dma_unmap_page)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*dma_sync_for_cpu)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*dma_sync_for_device)(int pfn, uint32_t off, uint32_t size, int dir);
	/* A scatterlist of one whole page (NULL: map_page of the page, as
	 * dma-direct does). */
	void (*dma_map_sg_page)(int pfn, int dir);
	void (*dma_unmap_sg_page)(int pfn, int dir);
	void (*flush_dcache_page)(int pfn);	/* NULL: the model's */
};
#endif
