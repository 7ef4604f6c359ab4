/* mutator_glue.c - hands mutator.c to libFuzzer and to AFL++ (README "Fuzzing").
 *
 * Build with -DHMR_LIBFUZZER into the libFuzzer target (libFuzzer finds
 * LLVMFuzzerCustomMutator and LLVMFuzzerCustomCrossOver by symbol), or with
 * -DHMR_AFL into a shared object for AFL_CUSTOM_MUTATOR_LIBRARY (AFL++ 4.04c
 * looks up afl_custom_init, afl_custom_fuzz and afl_custom_deinit; it ships no
 * header, so the prototypes are spelt out here). Everything else is in
 * mutator.c, one implementation for both fuzzers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "mutator.h"

#if defined(HMR_LIBFUZZER) || defined(HMR_AFL)
/* Spread a 32-bit seed (or a call counter) over 64 bits. */
static uint64_t glue_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}
#endif

#ifdef HMR_LIBFUZZER
/* libFuzzer's own byte mutator, exported by its runtime. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed);

/* In place: data has max_size bytes of room. One call in eight hands the
 * decision bytes alone to libFuzzer's byte mutator, which brings its
 * comparison-guided and dictionary mutations to the schedule without
 * scrambling the ops; one in sixteen hands it the whole input (any bytes
 * decode). The rest is structure-aware. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t s = glue_mix(seed);
	unsigned pick = (unsigned)(s & 15);

	if (pick < 2) {
		size_t at = hmr_mut_split(data, size);

		/* not on no decision bytes: given none, it makes max_size random ones */
		if (at < size && at < max_size)
			return at + LLVMFuzzerMutate(data + at, size - at, max_size - at);
	}
	if (pick == 2)
		return LLVMFuzzerMutate(data, size, max_size);
	return hmr_mutate(data, size, data, max_size, s >> 4);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	return hmr_crossover(data1, size1, data2, size2, out, max_out_size, glue_mix(seed));
}
#endif /* HMR_LIBFUZZER */

#ifdef HMR_AFL
#include "format/binfmt.h"

/* One mutator instance: AFL++ gives a seed once, then calls afl_custom_fuzz
 * without one, so each call's seed is the instance seed mixed with a call
 * count. The output buffer belongs to the instance (AFL++ copies from it
 * before the next call). */
struct hmr_afl {
	uint64_t seed, calls;
	uint8_t *buf;
	size_t cap;
};

void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);

/* The harness decodes with HMRIG_OPTIONS applied (a profile, switches or
 * config keys forced); the mutator runs inside afl-fuzz, so it reads the
 * same variable to see inputs as the harness will. A bad value, or a
 * test-only switch the harness refuses, is left to the harness: it stops
 * the campaign, so the mutator never works for it. */
static void afl_options(void)
{
	char err[400];

	hmr_bin_set_options(getenv("HMRIG_OPTIONS"), 1, err, sizeof(err));
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	struct hmr_afl *d = calloc(1, sizeof(*d));

	(void)afl;
	afl_options();
	if (d)
		d->seed = glue_mix(seed);
	return d;
}

/* Mostly a structure-aware mutation; one call in four first crosses the
 * input with the splice partner AFL++ offers (add_buf), then sometimes
 * mutates the result too. */
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
		       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
	struct hmr_afl *d = data;
	uint64_t s = glue_mix(d->seed ^ d->calls++);
	size_t n;

	if (d->cap < max_size || !d->buf) {
		uint8_t *p = realloc(d->buf, max_size ? max_size : 1);

		if (!p) {	/* no room: leave the input as it is */
			*out_buf = buf;
			return buf_size;
		}
		d->buf = p;
		d->cap = max_size;
	}
	if (add_buf && (s & 3) == 0) {
		n = hmr_crossover(buf, buf_size, add_buf, add_buf_size, d->buf, max_size, s >> 3);
		if (s & 4)
			n = hmr_mutate(d->buf, n, d->buf, max_size, glue_mix(s));
	} else {
		n = hmr_mutate(buf, buf_size, d->buf, max_size, s >> 2);
	}
	*out_buf = d->buf;
	return n;
}

void afl_custom_deinit(void *data)
{
	struct hmr_afl *d = data;

	if (d)
		free(d->buf);
	free(d);
}
#endif /* HMR_AFL */
