/* katomic.h - atomic and local kmaps in their three eras (docs/MODEL.md a.7,
 * b.9-b.12): km_type fixmap slots (<= 2.6.36), the per-CPU stack (2.6.37-5.10),
 * and kmap_local with per-task state (5.11+), plus ARM's kmap_high_l1_vipt.
 * All run in a task; the profile picks the era. */
#ifndef HMR_KATOMIC_H
#define HMR_KATOMIC_H
#include <stdint.h>

/* kmap_atomic(page[, type]): ktype is an enum hmr_km_type (KM_DEFAULT: the
 * context's natural type) and only matters in the km_type era. */
uint32_t kmap_atomic(int pfn, int ktype);
/* kunmap_atomic(addr[, type]). pfn is the page the caller mapped (used by the
 * kunmap_atomic_wrong_arg switch, which passes the page instead of the VA). */
void kunmap_atomic(uint32_t va, int pfn, int ktype);
/* The caller's side of a km_type-era map and unmap (the model's and the real
 * code's alike): hmr_km_type_map returns the type the caller passes for ktype
 * and checks the E5 and debug_kmap_atomic rules (kmap-atomic-misuse);
 * hmr_km_type_mapped records the holder once va is known; the unmap pair
 * finds the type and releases it. */
int hmr_km_type_map(int pfn, int ktype);
void hmr_km_type_mapped(int type, uint32_t va);
int hmr_km_type_unmap(uint32_t va, int pfn, int ktype);
void hmr_km_type_unmapped(int type, uint32_t va, int pfn);
/* The stack era's (2.6.37-5.10) LIFO rule for an unmap of va by the real
 * code, whose per-CPU stack has top as its top index (kmap-atomic-misuse). */
void hmr_km_stack_check_unmap(uint32_t va, int top);
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
