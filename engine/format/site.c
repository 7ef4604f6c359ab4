/* site.c - the table of named scheduling sites. */
#include "format/site.h"
#include <string.h>

const struct hmr_site_info hmr_sites[HMR_SITE__N] = {
#define SITE(id, help) { #id, help },
#include "format/sites.def"
#undef SITE
};

int hmr_site_lookup(const char *name, int len)
{
	for (int i = 0; i < HMR_SITE__N; i++)
		if ((int)strlen(hmr_sites[i].name) == len && !memcmp(hmr_sites[i].name, name, len))
			return i;
	return -1;
}
