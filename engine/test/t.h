/* t.h - the unit-test harness: each test binary counts its checks and ends with
 * "N passed, M failed" (exit 1 on any failure). A check that fails prints where. */
#ifndef HMR_T_H
#define HMR_T_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

static int t_pass, t_fail;

#define T_CHECK(cond, ...) do { \
	if (cond) { t_pass++; } else { t_fail++; \
		fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

/* A seeded splitmix64 stream: the tests' inputs are the same on every run. */
static uint64_t t_rng;

static inline uint64_t t_rnd(void)
{
	uint64_t z = (t_rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline unsigned t_below(unsigned n)
{
	return n ? (unsigned)(t_rnd() % n) : 0;
}

/* Fuzzer-like bytes, at most cap: half with plausible section lengths (short
 * headers, decision bytes after the ops), half plain noise as havoc makes. */
static inline size_t t_random_input(uint8_t *b, size_t cap)
{
	size_t n = t_below((unsigned)cap + 1);

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)t_rnd();
	if (n >= 4 && t_below(2)) {
		size_t hl = t_below(20), tl;

		if (hl + 3 > n)
			hl = n - 3;
		tl = t_below((unsigned)(n - hl - 3 + 1));
		b[0] = (uint8_t)hl;
		b[hl + 1] = (uint8_t)tl;
		b[hl + 2] = (uint8_t)(tl >> 8);
	}
	return n;
}

#define T_DONE() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)
#endif
