/* oracle.h - the oracles' table (sim/hooks.h) and how it is put together:
 * each family file fills in its own entries. */
#ifndef HMR_ORACLE_H
#define HMR_ORACLE_H
#include "oracle/finding.h"
#include "sim/hooks.h"

/* Point hmr_oracle at the table (built on the first call) and reset the
 * oracles' own state for a new execution. */
void hmr_oracle_reset(void);
void hmr_oracle_atomic_reset(void);

/* For the layers above, called directly. The real code's P1-P3 as kmap_lock
 * is dropped (ksrc/glue.c), from its PTEs (pfn + 1, 0 none) and its
 * page_address(). */
void hmr_pkmap_check_real(uint32_t (*pte_of)(int slot), uint32_t (*page_address_of)(int pfn));
/* The caller's side of a km_type-era map and unmap (the model's, through
 * hmr_oracle, and the real code's alike): hmr_km_type_map returns the type the
 * caller passes for ktype and checks the E5 and debug_kmap_atomic rules;
 * hmr_km_type_mapped records the holder once va is known; the unmap pair finds
 * the type and releases it. */
int hmr_km_type_map(int pfn, int ktype);
void hmr_km_type_mapped(int type, uint32_t va);
int hmr_km_type_unmap(uint32_t va, int pfn, int ktype);
void hmr_km_type_unmapped(int type, uint32_t va, int pfn);
/* The stack era's LIFO rule for an unmap of va by the real code, whose per-CPU
 * stack has top as its top index. */
void hmr_km_stack_check_unmap(uint32_t va, int top);
/* A load or store by t of page pfn for op, through its mapping m (obtained by
 * map_fn; fn is op's entry point): NULL, pin guarantee, use after kunmap. */
struct hmr_op;
void hmr_oracle_access(const struct hmr_task *t, const struct hmr_op *op, const struct hmr_map *m, int pfn,
		       const char *fn, const char *map_fn);
/* A DMA-API rule broken by the running task on pfn in fn; fmt takes the task
 * and the page names. */
void hmr_oracle_dma_misuse(const char *fn, const char *fmt, int pfn);
/* The model and the real code disagree after an operation in fn (explore/diff.c). */
void hmr_oracle_divergence(const char *fn, int slot, const char *what);
/* The real code reached BUG_ON(cond) at file:line. */
void hmr_oracle_real_bug(const char *cond, const char *file, int line);

void hmr_oracle_context(struct hmr_oracle_ops *o);
void hmr_oracle_progress(struct hmr_oracle_ops *o);
void hmr_oracle_race(struct hmr_oracle_ops *o);
void hmr_oracle_data(struct hmr_oracle_ops *o);
void hmr_oracle_pkmap(struct hmr_oracle_ops *o);
void hmr_oracle_atomic(struct hmr_oracle_ops *o);
void hmr_oracle_mappings(struct hmr_oracle_ops *o);
#endif
