/* none.c - no compiled copy of the real mm/highmem.c: what every build but
 * build/hmrig-ksrc links (the fuzz targets with the real source link both, and
 * build/ksrc/table.c's list overrides this one). A file of its own: code that
 * saw this one-element definition could assume the list has one element; and
 * build/hmrig-ksrc, built with link-time optimisation, leaves it out. */
#include "ksrc/kabi.h"
#include "ksrc/ksrc.h"
#include <stddef.h>

const struct hmr_ksrc_impl *const hmr_ksrc_impls[] __attribute__((weak)) = { NULL };
const unsigned int *const hmr_ksrc_cursors[] __attribute__((weak)) = { NULL };
const char hmr_ksrc_release[] __attribute__((weak)) = "";
const char hmr_ksrc_dir[] __attribute__((weak)) = "";
const int hmr_ksrc_version __attribute__((weak)) = 0;
