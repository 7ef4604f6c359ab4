/* config.h - the size and shape of one simulated machine (scenario "config:" line).
 * Every field is in range once hmr_config_finish() has run. */
#ifndef HMR_CONFIG_H
#define HMR_CONFIG_H
#include <stdint.h>

enum hmr_cache_mode { CACHE_PROFILE = 0, CACHE_VIVT, CACHE_VIPT, CACHE_VIPT_ALIAS, CACHE_PIPT };
enum hmr_tlb_mode { TLB_PROFILE = 0, TLB_BROADCAST, TLB_IPI };

enum hmr_opt_id {
#define OPT(id, name, lo, hi, def, help) HMR_OPT_##id,
#include "format/options.def"
#undef OPT
	HMR_OPT__N
};

struct hmr_config {
	int v[HMR_OPT__N];
};
#define CFG(c, id) ((c)->v[HMR_OPT_##id])

extern const struct hmr_opt_info {
	const char *name;
	int lo, hi, def;
	const char *help;
} hmr_opts[HMR_OPT__N];

/* Defaults for every key. */
void hmr_config_default(struct hmr_config *c);
/* Key name -> id, or -1. */
int hmr_opt_lookup(const char *name, int len);
/* Parse a value for key id; returns 0 and sets *out, or -1 with a message in err. */
int hmr_opt_parse_value(int id, const char *s, int len, int *out, char *err, int errsz);
/* Print a value in scenario syntax. */
const char *hmr_opt_value_str(int id, int v, char *buf, int bufsz);
/* Check relations between keys (powers of two, line<=page); returns 0 or -1 + err. */
int hmr_config_validate(const struct hmr_config *c, char *err, int errsz);
/* Reduce any values into a valid config (total; used by fuzz decoding). */
void hmr_config_clamp(struct hmr_config *c);

const char *hmr_cache_name(int mode);
#endif
