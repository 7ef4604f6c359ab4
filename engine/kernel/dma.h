/* dma.h - the streaming DMA API and cache maintenance of each architecture
 * (docs/MODEL.md d.1-d.5), chosen by the profile's dma path. A buffer is (pfn, off,
 * size): it starts off bytes into page pfn and may run on into the following
 * pages. All run in a task; maintenance loops have a scheduling point per line. */
#ifndef HMR_DMA_H
#define HMR_DMA_H
#include <stdint.h>

void dma_map_page(int pfn, uint32_t off, uint32_t size, int dir);
void dma_unmap_page(int pfn, uint32_t off, uint32_t size, int dir);
void dma_sync_single_for_cpu(int pfn, uint32_t off, uint32_t size, int dir);
void dma_sync_single_for_device(int pfn, uint32_t off, uint32_t size, int dir);
/* Scatterlists of whole pages. */
void dma_map_sg(const int *pfn, int n, int dir);
void dma_unmap_sg(const int *pfn, int n, int dir);
/* flush_dcache_page(): the arch's write-back of the page's kernel-mapping lines. */
void flush_dcache_page(int pfn);
/* set_memory_uc(): x86 change_page_attr (kmap_flush_unused first from 2.6.27),
 * with the attribute-alias oracle of docs/MODEL.md f.4. */
void set_memory_uc(int pfn);

/* Helpers shared by the arch paths (dma_common.c). */
/* Maintain [va, va+len) one line at a time, a scheduling point before each line;
 * pfn is the page meant (for the wrong-page oracle). */
void hmr_maint_range(uint32_t va, uint32_t len, int op, int pfn);
/* Write back and drop the page's lines at va with no scheduling point, as a
 * context switch must (kmap_local's VIVT slots). */
void hmr_flush_lines_quietly(uint32_t va, int pfn);
/* dma_inv_range with the edge rule of the era: partial edge lines are cleaned
 * first (ARMv4wb) unless the invalidate_unaligned switch is on. */
void hmr_dma_inv_range(uint32_t va, uint32_t len, int pfn);
#endif
