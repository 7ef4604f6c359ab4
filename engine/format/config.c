/* config.c - config keys, their ranges and their text forms. */
#include "format/config.h"
#include <stdio.h>
#include <string.h>

const struct hmr_opt_info hmr_opts[HMR_OPT__N] = {
#define OPT(id, name, lo, hi, def, help) { name, lo, hi, def, help },
#include "format/options.def"
#undef OPT
};

static const char *const cache_names[] = { "profile", "vivt", "vipt", "vipt-alias", "pipt" };
static const char *const tlb_names[] = { "profile", "broadcast", "ipi" };

const char *hmr_cache_name(int mode)
{
	return mode >= 0 && mode <= CACHE_PIPT ? cache_names[mode] : "?";
}

void hmr_config_default(struct hmr_config *c)
{
	for (int i = 0; i < HMR_OPT__N; i++)
		c->v[i] = hmr_opts[i].def;
}

int hmr_opt_lookup(const char *name, int len)
{
	for (int i = 0; i < HMR_OPT__N; i++)
		if ((int)strlen(hmr_opts[i].name) == len && !memcmp(hmr_opts[i].name, name, len))
			return i;
	return -1;
}

static int lookup_name(const char *const *names, int n, const char *s, int len)
{
	for (int i = 1; i < n; i++)
		if ((int)strlen(names[i]) == len && !memcmp(names[i], s, len))
			return i;
	return -1;
}

int hmr_opt_parse_value(int id, const char *s, int len, int *out, char *err, int errsz)
{
	const struct hmr_opt_info *o = &hmr_opts[id];
	if (id == HMR_OPT_cache || id == HMR_OPT_tlb) {
		int v = id == HMR_OPT_cache ? lookup_name(cache_names, 5, s, len)
					    : lookup_name(tlb_names, 3, s, len);
		if (v < 0) {
			snprintf(err, errsz, "%s must be %s", o->name,
				 id == HMR_OPT_cache ? "vivt, vipt, vipt-alias or pipt" : "broadcast or ipi");
			return -1;
		}
		*out = v;
		return 0;
	}
	long v = 0;
	int i = 0;
	if (len == 0 || len > 9) {
		snprintf(err, errsz, "%s needs a number from %d to %d", o->name, o->lo, o->hi);
		return -1;
	}
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			snprintf(err, errsz, "%s needs a number from %d to %d", o->name, o->lo, o->hi);
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	if (v < o->lo || v > o->hi) {
		snprintf(err, errsz, "%s=%ld is out of range (%d to %d)", o->name, v, o->lo, o->hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

const char *hmr_opt_value_str(int id, int v, char *buf, int bufsz)
{
	if (id == HMR_OPT_cache)
		return hmr_cache_name(v);
	if (id == HMR_OPT_tlb)
		return v >= 0 && v <= TLB_IPI ? tlb_names[v] : "?";
	snprintf(buf, bufsz, "%d", v);
	return buf;
}

static int pow2(int v) { return v > 0 && !(v & (v - 1)); }

int hmr_config_validate(const struct hmr_config *c, char *err, int errsz)
{
	if (!pow2(CFG(c, last_pkmap)))
		return snprintf(err, errsz, "last_pkmap must be a power of two"), -1;
	if (!pow2(CFG(c, page_size)))
		return snprintf(err, errsz, "page_size must be a power of two"), -1;
	if (!pow2(CFG(c, line_size)))
		return snprintf(err, errsz, "line_size must be a power of two"), -1;
	if (CFG(c, line_size) > CFG(c, page_size))
		return snprintf(err, errsz, "line_size must not exceed page_size"), -1;
	if (!pow2(CFG(c, colors)))
		return snprintf(err, errsz, "colors must be a power of two"), -1;
	if (CFG(c, colors) > CFG(c, last_pkmap))
		return snprintf(err, errsz, "colors must not exceed last_pkmap"), -1;
	return 0;
}

static int floor_pow2(int v)
{
	int p = 1;
	while (p * 2 <= v)
		p *= 2;
	return p;
}

void hmr_config_clamp(struct hmr_config *c)
{
	for (int i = 0; i < HMR_OPT__N; i++) {
		if (c->v[i] < hmr_opts[i].lo)
			c->v[i] = hmr_opts[i].lo;
		if (c->v[i] > hmr_opts[i].hi)
			c->v[i] = hmr_opts[i].hi;
	}
	CFG(c, last_pkmap) = floor_pow2(CFG(c, last_pkmap));
	CFG(c, page_size) = floor_pow2(CFG(c, page_size));
	CFG(c, line_size) = floor_pow2(CFG(c, line_size));
	if (CFG(c, line_size) > CFG(c, page_size))
		CFG(c, line_size) = CFG(c, page_size);
	CFG(c, colors) = floor_pow2(CFG(c, colors));
	if (CFG(c, colors) > CFG(c, last_pkmap))
		CFG(c, colors) = CFG(c, last_pkmap);
}
