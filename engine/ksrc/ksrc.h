/* ksrc.h - the real-source profiles (src-x86, src-arm, ...: README "The real
 * kernel").
 *
 * On such a profile the kernel entry points the rig calls (kernel/kapi.h:
 * kmap, kunmap, kmap_high_get, kunmap_high, kmap_flush_unused,
 * kmap_local_page, kunmap_local, kmap_atomic, kunmap_atomic, page_address and
 * the kmap_local context-switch hooks) are a compiled copy of Linux's own
 * highmem code (engine/ksrc/): the copy for the profile's architecture and
 * the script's last_pkmap. Only build/hmrig-ksrc (make ksrc) links copies
 * in; elsewhere the list is empty and there are no real-source profiles. */
#ifndef HMR_KSRC_H
#define HMR_KSRC_H
#include <stdint.h>

struct hmr_ksrc_impl;
/* Every copy linked in, NULL-terminated (build/ksrc/table.c, or empty). */
extern const struct hmr_ksrc_impl *const hmr_ksrc_impls[];
/* Each copy's cursor, in the same order (an entry is NULL if it has none). */
extern const unsigned int *const hmr_ksrc_cursors[];

/* The tree they came from: its release ("6.1.158"), where make ksrc took it,
 * and its version as a number (60158); "", "", 0 with no copy linked in. */
extern const char hmr_ksrc_release[];
extern const char hmr_ksrc_dir[];
extern const int hmr_ksrc_version;

/* Pick the copy for W's profile and last_pkmap and boot it (its statics back
 * to their initial values, page_address_init), and point hmr_kapi
 * (kernel/kapi.h) at it; on a model profile, at the model. -1 if no copy
 * is linked in. */
int hmr_ksrc_reset(void);
#endif
