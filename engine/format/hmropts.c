/* hmropts.c - HMRIG_OPTIONS; see hmropts.h. */
#include "format/hmropts.h"
#include "format/profile.h"
#include <stdio.h>
#include <string.h>

int hmr_apply_options(const char *opts, struct hmr_script *s, char *err, int errsz)
{
	uint32_t sw = 0;
	int have_sw = 0;
	char cfgerr[200];
	const char *p = opts ? opts : "";

	while (*p) {
		size_t n = strcspn(p, ":"), k = strcspn(p, "=");
		const char *v = p + k + 1;
		int vn = (int)(n - k - 1), id, val;
		if (k >= n) {
			snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: '%.*s' is not key=value", (int)n, p);
			return -1;
		}
		if (k == 7 && !strncmp(p, "profile", 7)) {
			if ((id = hmr_profile_lookup(v, vn)) < 0) {
				snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: unknown profile '%.*s'", vn, v);
				return -1;
			}
			s->profile = id;
		} else if (k == 6 && !strncmp(p, "switch", 6) && vn == 4 && !strncmp(v, "none", 4)) {
			have_sw = 1;	/* no switches at all */
		} else if (k == 6 && !strncmp(p, "switch", 6)) {
			if ((id = hmr_switch_lookup(v, vn)) < 0) {
				snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: unknown switch '%.*s'", vn, v);
				return -1;
			}
			sw |= 1u << id;
			have_sw = 1;
		} else if ((id = hmr_opt_lookup(p, (int)k)) >= 0) {
			if (hmr_opt_parse_value(id, v, vn, &val, cfgerr, sizeof(cfgerr)) < 0) {
				snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: %s", cfgerr);
				return -1;
			}
			s->cfg.v[id] = val;
			s->cfg_set |= 1u << id;
		} else {
			snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: unknown key '%.*s'", (int)k, p);
			return -1;
		}
		p += n + (p[n] == ':');
	}
	if (have_sw)
		s->switches = sw;
	if (hmr_config_validate(&s->cfg, cfgerr, sizeof(cfgerr)) < 0) {
		snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: %s", cfgerr);
		return -1;
	}
	return 0;
}
