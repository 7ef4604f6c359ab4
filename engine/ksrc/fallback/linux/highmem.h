/* The shim stands in for include/linux/highmem.h where a tree lacks it:
 * mm/highmem.c needs only the declarations kshim.h makes, and the
 * architecture's file one more, kept here because a tree's own highmem.h
 * defines it. */
#include "../../kshim.h"
#if !HMR_KSRC_ERA(51100)
#define debug_kmap_atomic(type) ((void)(type))	/* CONFIG_DEBUG_HIGHMEM is off */
#endif
