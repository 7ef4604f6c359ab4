/* cov.h - interleaving coverage for the fuzzers (README "Fuzzing").
 *
 * Code coverage barely changes between interleavings of the same script, so
 * the engine feeds the fuzzer pairs that do: (site a task was switched out at,
 * site the next task resumes at), and reads-from pairs (site of the last
 * writer, site of this access) for every pkmap count, PTE and cache line. Each
 * pair is hashed into a byte counter of a map the harness provides (libFuzzer
 * extra counters, the AFL++ map). Without a map (hmrig itself) this costs one
 * test per hook. Deterministic: keys depend only on sites and object kinds. */
#ifndef HMR_COV_H
#define HMR_COV_H
#include <stdint.h>
#include "format/site.h"
#include "sim/tsan.h"

extern uint8_t *hmr_cov_map;	/* NULL: coverage off */
extern uint32_t hmr_cov_mask;	/* map size - 1 (a power of two) */
/* The switch pairs themselves, unhashed, for a campaign's picture of them:
 * pairs[out * HMR_SITE__N + in] set when a task switched out at site out and
 * the next ran on from site in. NULL: not recorded. */
extern uint8_t *hmr_cov_pairs;

enum hmr_cov_kind { COV_SWITCH = 1, COV_COUNT, COV_PTE, COV_LINE, COV_START };

HMR_NO_TSAN static inline void hmr_cov(int kind, uint32_t a, uint32_t b)
{
	if (hmr_cov_map) {
		uint32_t h = ((uint32_t)kind * 0x9e3779b1u) ^ (a * 0x85ebca6bu) ^ (b * 0xc2b2ae35u);
		h ^= h >> 15;
		uint8_t *c = &hmr_cov_map[h & hmr_cov_mask];
		if (*c < 255)
			(*c)++;
	}
}

HMR_NO_TSAN static inline void hmr_cov_pair(uint32_t out, uint32_t in)
{
	if (hmr_cov_pairs && out < HMR_SITE__N && in < HMR_SITE__N)
		hmr_cov_pairs[out * HMR_SITE__N + in] = 1;
}
#endif
