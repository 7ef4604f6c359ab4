/* site.h - named scheduling sites (sites.def). */
#ifndef HMR_SITE_H
#define HMR_SITE_H

enum hmr_site_id {
#define SITE(id, help) HMR_SITE_##id,
#include "format/sites.def"
#undef SITE
	HMR_SITE__N
};

extern const struct hmr_site_info { const char *name, *help; } hmr_sites[HMR_SITE__N];

int hmr_site_lookup(const char *name, int len);	/* id or -1 */
#endif
