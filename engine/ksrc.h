/* ksrc.h - the real-source profiles (src-6.1-x86, src-6.1-arm; issue 7).
 *
 * On such a profile the model's entry points (kmap, kunmap, kmap_high_get,
 * kunmap_high, kmap_flush_unused, kmap_local_page, kunmap_local, kmap_atomic,
 * kunmap_atomic, page_address and the kmap_local context-switch hooks) hand
 * over to a compiled copy of Linux's own mm/highmem.c (engine/ksrc/): the
 * copy for the profile's architecture and the script's last_pkmap. Only
 * build/hmrig-ksrc (make ksrc) links copies in; elsewhere the list is empty
 * and a real-source profile is an error before anything runs. */
#ifndef HMR_KSRC_H
#define HMR_KSRC_H
#include <stdint.h>

struct hmr_ksrc_impl;
/* Every copy linked in, NULL-terminated (build/ksrc/table.c, or empty). */
extern const struct hmr_ksrc_impl *const hmr_ksrc_impls[];
/* Each copy's cursor, in the same order (an entry is NULL if it has none). */
extern const unsigned int *const hmr_ksrc_cursors[];
/* The copy this execution uses; NULL on a model profile. */
extern const struct hmr_ksrc_impl *hmr_ksrc;

/* Pick the copy for W's profile and last_pkmap and boot it (its statics back
 * to their initial values, page_address_init). -1 if none is linked in. */
int hmr_ksrc_reset(void);

uint32_t hmr_ksrc_kmap(int pfn);
void hmr_ksrc_kunmap(int pfn);
uint32_t hmr_ksrc_kmap_high_get(int pfn);
void hmr_ksrc_kunmap_high(int pfn);
void hmr_ksrc_kmap_flush_unused(void);
uint32_t hmr_ksrc_kmap_local(int pfn);
void hmr_ksrc_kunmap_local(uint32_t va);
uint32_t hmr_ksrc_kmap_atomic(int pfn);
void hmr_ksrc_kunmap_atomic(uint32_t va);
uint32_t hmr_ksrc_page_address(int pfn);
uint32_t hmr_ksrc_page_address_peek(int pfn);	/* no locks, no scheduling points */
/* The copy's slot cursor (its static last_pkmap_nr), or -1 if the tree's
 * highmem.c has none make ksrc could find. */
int hmr_ksrc_cursor(void);
void hmr_ksrc_sched_out(int task);
void hmr_ksrc_sched_in(int task);
#endif
