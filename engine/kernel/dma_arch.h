/* dma_arch.h - the per-architecture DMA path tables that dma.c dispatches
 * through (the model's, or the real code's from ksrc/glue.c), and helpers the
 * model's arch files share.
 * All functions run in a task and may reach scheduling points. */
#ifndef HMR_DMA_ARCH_H
#define HMR_DMA_ARCH_H
#include <stdint.h>

/* One DMA path (enum hmr_dma_path). The buffer is already rebased so that
 * off < PAGE_SIZE, and size is clamped to the simulated memory. A NULL entry
 * means the path does nothing there. */
struct hmr_dma_ops {
	void (*map_page)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*unmap_page)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*sync_for_cpu)(int pfn, uint32_t off, uint32_t size, int dir);
	void (*sync_for_device)(int pfn, uint32_t off, uint32_t size, int dir);
	/* one whole-page scatterlist entry; NULL: map_page/unmap_page of the page */
	void (*map_sg_page)(int pfn, int dir);
	void (*unmap_sg_page)(int pfn, int dir);
	void (*flush_dcache_page)(int pfn);
};

/* The profile's modelled path (hmr_kapi->dma, when set, replaces it). */
const struct hmr_dma_ops *hmr_dma_model_ops(void);

extern const struct hmr_dma_ops hmr_dma_arm;		/* DMA_ARM_2630/2635/2637/61 */
extern const struct hmr_dma_ops hmr_dma_ppc_2635;
extern const struct hmr_dma_ops hmr_dma_ppc_61;
extern const struct hmr_dma_ops hmr_dma_mips_2635;
extern const struct hmr_dma_ops hmr_dma_kmap_atomic;	/* MIPS 3.1, xtensa */
extern const struct hmr_dma_ops hmr_dma_coherent;	/* x86 */

/* A maintenance primitive over [va, va+len) meant for page pfn. */
typedef void (*hmr_dma_op_fn)(uint32_t va, uint32_t len, int dir, int pfn);

/* A piece of a virtually contiguous range that lies in one page. */
struct hmr_dma_chunk {
	uint32_t va, len;
	int pfn;		/* the page the kernel means this piece for */
};

/* Split [base + off, base + off + size), where base is the VA the kernel
 * computed for page pfn (linear map, page_address, bus_to_virt), into per-page
 * pieces: piece k is meant for pfn + k and uses VA base + k * PAGE_SIZE, as
 * the kernel's pointer arithmetic does whether or not that VA maps pfn + k
 * (the wrong-page oracle decides). Returns the number of pieces (<= max). */
int hmr_dma_chunks(uint32_t base, int pfn, uint32_t off, uint32_t size,
		   struct hmr_dma_chunk *c, int max);
/* Apply op to every piece of such a range. */
void hmr_dma_virt_range(uint32_t base, int pfn, uint32_t off, uint32_t size, int dir, hmr_dma_op_fn op);

/* ARM's dmac_map_area / dmac_unmap_area over [va, va+len) meant for page
 * pfn: the CPU class's cache ops (dma_arm.c), which the real ARM DMA code
 * calls too (ksrc/glue.c). */
void hmr_arm_dmac_map_area(uint32_t va, uint32_t len, int dir, int pfn);
void hmr_arm_dmac_unmap_area(uint32_t va, uint32_t len, int dir, int pfn);

/* phys_to_virt/bus_to_virt of a page: the linear-map formula, which is a VA
 * nothing maps for a highmem page (E27). */
uint32_t hmr_bus_to_virt(int pfn);

/* Clean+invalidate one page's lines through va, a dcache_page_line
 * scheduling point before each line (flush_dcache_page's loop). */
void hmr_flush_dcache_lines(uint32_t va, int pfn);
/* A flush_dcache_page that reaches a highmem page through a kmap_atomic of
 * its own (MIPS 6.1, xtensa's colour-matched alias), a lowmem one through
 * the linear map: nothing another CPU does can move the VA under the loop. */
void hmr_flush_dcache_page_katomic(int pfn);
#endif
