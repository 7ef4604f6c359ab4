/* katomic.h - atomic and local kmaps in their three eras (docs/MODEL.md a.7,
 * b.9-b.12): km_type fixmap slots (<= 2.6.36), the per-CPU stack (2.6.37-5.10),
 * and kmap_local with per-task state (5.11+), plus ARM's kmap_high_l1_vipt.
 * All run in a task; the profile picks the era. */
#ifndef HMR_KATOMIC_H
#define HMR_KATOMIC_H
#include "sim/world.h"

/* Per-CPU and per-task state of the atomic kmaps: the stack era's
 * __kmap_atomic_idx, kmap_high_l1_vipt's nesting depth, and kmap_local's
 * current->kmap_ctrl (its index and the PTE value of each live slot). */
struct hmr_katomic_state {
	struct {
		int katomic_idx;
		int l1_depth;
	} cpu[HMR_MAX_CPUS];
	struct {
		int idx;
		uint32_t pteval[KM_MAX_IDX];	/* pfn + 1, 0 = none */
	} kl[HMR_MAX_TASKS];
};
extern struct hmr_katomic_state KA;

/* kmap_atomic(page[, type]): ktype is an enum hmr_km_type (KM_DEFAULT: the
 * context's natural type) and only matters in the km_type era. */
uint32_t kmap_atomic(int pfn, int ktype);
/* kunmap_atomic(addr[, type]). pfn is the page the caller mapped (used by the
 * kunmap_atomic_wrong_arg switch, which passes the page instead of the VA). */
void kunmap_atomic(uint32_t va, int pfn, int ktype);
/* For the caller's-rule oracles (oracle/katomic.c): whether the map checks the
 * slot PTE is none (where kunmap clears it), the cache colours of the atomic
 * slots, a VA's colour, the fixmap slot of stack index i on cpu for a colour
 * (-1: exhausted), and the km_type KM_DEFAULT stands for in this context. */
int hmr_katomic_checks_pte_none(void);
int hmr_kmap_colours(void);
int hmr_kmap_colour_of_va(uint32_t va);
int hmr_kmap_idx(int cpu, int i, int colour);
int hmr_km_default_type(void);
/* kmap_local_page / kunmap_local (5.11+; earlier profiles: kmap_atomic). */
uint32_t kmap_local_page(int pfn);
void kunmap_local(uint32_t va, int pfn);
/* ARM 2.6.34-2.6.36 re-entrant per-CPU L1 VIPT slot (b.12). */
uint32_t kmap_high_l1_vipt(int pfn, uint32_t *saved_pte);
void kunmap_high_l1_vipt(int pfn, uint32_t saved_pte);
/* __kmap_local_sched_out/in for the context switch: atomic, no scheduling
 * point (the scheduler calls them through kapi.h). */
struct hmr_task;
void hmr_kmap_local_sched_out(struct hmr_task *t);
void hmr_kmap_local_sched_in(struct hmr_task *t);
/* Reset per-CPU and per-task atomic state for a new execution. */
void hmr_katomic_reset(void);
#endif
