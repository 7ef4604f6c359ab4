/* kind.c - the table of finding kinds. */
#include "format/kind.h"
#include <string.h>

const struct hmr_kind_info hmr_kinds[HMR_K__N] = {
#define KIND(id, name, owner, help) { name, help },
#include "format/kinds.def"
#undef KIND
};

int hmr_kind_lookup(const char *name, int len)
{
	for (int i = 0; i < HMR_K__N; i++)
		if ((int)strlen(hmr_kinds[i].name) == len && !memcmp(hmr_kinds[i].name, name, len))
			return i;
	return -1;
}
