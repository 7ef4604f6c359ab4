/* wrap.c - one compiled copy of the real mm/highmem.c (build/ksrc/src, from
 * the kernel tree) for one architecture and one LAST_PKMAP: the source file
 * itself, unmodified, then what the rig needs from inside it. */
#pragma clang section bss="hmr_ksrc_bss" data="hmr_ksrc_data"
#include "mm/highmem.c"
#pragma clang section bss="" data=""
