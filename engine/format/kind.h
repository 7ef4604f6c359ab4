/* kind.h - finding kinds (kinds.def). */
#ifndef HMR_KIND_H
#define HMR_KIND_H

enum hmr_kind {
#define KIND(id, name, owner, help) HMR_K_##id,
#include "format/kinds.def"
#undef KIND
	HMR_K__N
};

extern const struct hmr_kind_info { const char *name, *help; } hmr_kinds[HMR_K__N];

int hmr_kind_lookup(const char *name, int len);	/* id or -1 */
#endif
