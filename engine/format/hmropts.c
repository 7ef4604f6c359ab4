/* hmropts.c - HMRIG_OPTIONS; see hmropts.h. */
#include "format/hmropts.h"
#include "format/profile.h"
#include <stdio.h>
#include <string.h>

/* profile=A or profile=A,B,...: the script's own profile if the list has
 * it, else the list's entry at its index modulo the list's length, so the
 * input still chooses among them. */
static int profile_list(const char *v, int vn, struct hmr_script *s, char *err, int errsz)
{
	int ids[64], n = 0;

	for (int at = 0; at <= vn; n++) {
		int len = 0;
		while (at + len < vn && v[at + len] != ',')
			len++;
		if (n == 64 || (ids[n] = hmr_profile_lookup(v + at, len)) < 0) {
			snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: unknown profile '%.*s'", len, v + at);
			return -1;
		}
		at += len + 1;
	}
	for (int i = 0; i < n; i++)
		if (ids[i] == s->profile)
			return 0;
	s->profile = ids[s->profile > 0 ? s->profile % n : 0];
	return 0;
}

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
			if (profile_list(v, vn, s, err, errsz) < 0)
				return -1;
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
