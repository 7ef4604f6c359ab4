/* test_mutator.c - the structure-aware mutator (fuzzers/mutator.c).
 *
 * What must hold: every output fits max_size and is a valid input (decodes,
 * prints, parses back to the same script); the same input and seed give the
 * same output, in place or not; and each mutation and crossover kind really
 * changes what the fuzzer runs (the decoded script, or the decision bytes up
 * to the last non-zero one) in a good share of its attempts. A kind that
 * silently does nothing would cost a fuzzer a share of its executions, so the
 * shares are printed and held to a floor.
 *
 * Inputs: every scenario under scenarios/ (run from the repository root),
 * encoded with a few random decision bytes, and random byte strings.
 *
 * mutator.c is not an engine file, so it is included here rather than linked
 * (neither HMR_LIBFUZZER nor HMR_AFL: the fuzzer glue is not part of it). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "format/binfmt.h"
#include "format/script.h"
#include "../../fuzzers/mutator.c"

#define MAX_IN		64	/* scenarios read (41 today) */
#define NRANDOM		48	/* random byte strings */
#define BIG		(1 << 15)
#define MAX_FAIL_SHOWN	20
#ifndef RUNS
#define RUNS		20000
#endif
#define KIND_RUNS	600	/* single-kind attempts per mutation kind */
#define CROSS_RUNS	3000
#define CROSS_KIND_RUNS	600
#define FLOOR		30	/* percent of attempts that must change the input */

/* The printer's many small snprintf calls dominate; ASan's printf argument
 * check would cost a third of the run (test_scn keeps it on). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "check_printf=0";
}

struct input {
	uint8_t *b;
	size_t n;
	char name[64];
};

static struct input in[MAX_IN + NRANDOM];
static int nin, ncorpus;
static struct hmr_script s1, s2, s3;
static char text[1 << 16];
static uint8_t big[BIG], big2[BIG];
static int shown;

/* A failing check prints at most MAX_FAIL_SHOWN times: a systematic bug
 * should not print 20,000 lines. */
#define CHECK(cond, ...) do { \
	if ((cond) || shown >= MAX_FAIL_SHOWN) { \
		if (cond) t_pass++; else t_fail++; \
	} else { shown++; T_CHECK(cond, __VA_ARGS__); } \
} while (0)

/* ---- inputs ---------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_input(const uint8_t *b, size_t n, const char *name)
{
	struct input *x = &in[nin++];

	x->b = malloc(n ? n : 1);
	memcpy(x->b, b, n);
	x->n = n;
	snprintf(x->name, sizeof(x->name), "%s", name);
}

/* Every scenario, with up to 24 decision bytes: mostly 0, some switches. */
static void load_corpus(void)
{
	char *names[MAX_IN], path[512], err[512];
	uint8_t dec[24];
	int n = 0;
	DIR *d = opendir("scenarios");
	struct dirent *e;

	T_CHECK(d != NULL, "run from the repository root: no scenarios/");
	if (!d)
		return;
	while ((e = readdir(d)) && n < MAX_IN) {
		size_t l = strlen(e->d_name);

		if (l > 4 && !strcmp(e->d_name + l - 4, ".scn"))
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);	/* readdir order is not stable */
	for (int i = 0; i < n; i++) {
		size_t nd = t_below(sizeof(dec) + 1), len;

		snprintf(path, sizeof(path), "scenarios/%s", names[i]);
		if (hmr_scn_load(path, &s1, err, sizeof(err))) {
			T_CHECK(0, "%s", err);
			free(names[i]);
			continue;
		}
		for (size_t k = 0; k < nd; k++)
			dec[k] = t_below(4) ? 0 : (uint8_t)(1 + t_below(3));
		len = hmr_bin_encode(&s1, dec, nd, big, sizeof(big));
		T_CHECK(len <= sizeof(big), "%s: encoding too long", path);
		add_input(big, len, names[i]);
		free(names[i]);
	}
	ncorpus = nin;
	T_CHECK(ncorpus >= 10, "only %d scenarios found", ncorpus);
}

static void load_random(void)
{
	uint8_t b[400];

	for (int i = 0; i < NRANDOM; i++) {
		size_t n = t_below(sizeof(b) + 1);
		char name[32];

		for (size_t k = 0; k < n; k++)
			b[k] = (uint8_t)t_rnd();
		snprintf(name, sizeof(name), "random#%d", i);
		add_input(b, n, name);
	}
}

/* Corpus inputs two times in three: they are what a campaign starts from. */
static const struct input *pick_input(void)
{
	if (t_below(3) || nin == ncorpus)
		return &in[t_below((unsigned)ncorpus)];
	return &in[ncorpus + (int)t_below((unsigned)(nin - ncorpus))];
}

/* ---- properties ------------------------------------------------------------- */

/* What the format carries (binfmt.h): header, tasks, ops; not names. */
static int same_script(const struct hmr_script *a, const struct hmr_script *b)
{
	if (a->profile != b->profile || a->switches != b->switches || a->cfg_set != b->cfg_set ||
	    memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)) || a->ntasks != b->ntasks)
		return 0;
	for (int i = 0; i < a->ntasks; i++) {
		const struct hmr_task_def *x = &a->task[i], *y = &b->task[i];

		if (x->cpu != y->cpu || x->ctx != y->ctx || x->nops != y->nops)
			return 0;
		for (int k = 0; k < x->nops; k++)
			if (!op_same(&x->ops[k], &y->ops[k]))
				return 0;
	}
	return 1;
}

/* Decode out (from an exact heap copy, so ASan sees an overread), print,
 * parse: the same script again. */
static int valid(const uint8_t *b, size_t n, char *why, size_t whysz)
{
	uint8_t *copy = malloc(n ? n : 1);
	const uint8_t *dec;
	size_t ndec;
	char err[512];
	int len, ok = 1;

	memcpy(copy, b, n);
	hmr_bin_decode(copy, n, "mutated", &s1, &dec, &ndec);
	if (ndec > n || dec != copy + n - ndec) {
		snprintf(why, whysz, "decision bytes are not the tail");
		ok = 0;
	}
	len = hmr_scn_print(&s1, text, sizeof(text));
	if (ok && (len < 0 || (size_t)len >= sizeof(text))) {
		snprintf(why, whysz, "printed text too long (%d)", len);
		ok = 0;
	}
	if (ok && hmr_scn_parse(text, (size_t)len, "mutated", &s3, err, sizeof(err))) {
		snprintf(why, whysz, "%s\n%s", err, text);
		ok = 0;
	}
	if (ok && !same_script(&s1, &s3)) {
		snprintf(why, whysz, "parses to a different script:\n%s", text);
		ok = 0;
	}
	free(copy);
	return ok;
}

/* Does b run differently from a: another script, or other decision bytes up
 * to the last non-zero one? */
static int differs(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	const uint8_t *da, *db;
	size_t nda, ndb;

	hmr_bin_decode(a, na, "a", &s2, &da, &nda);
	hmr_bin_decode(b, nb, "b", &s3, &db, &ndb);
	nda = dec_live(da, nda);
	ndb = dec_live(db, ndb);
	return !same_script(&s2, &s3) || nda != ndb || memcmp(da, db, nda);
}

static int total_ops(const uint8_t *b, size_t n)
{
	int k = 0;

	hmr_bin_decode(b, n, "ops", &s2, NULL, NULL);
	for (int i = 0; i < s2.ntasks; i++)
		k += s2.task[i].nops;
	return k;
}

/* The capacity a fuzzer might offer: usually plenty, sometimes just about the
 * input, sometimes less than it (the output must shrink to fit). */
static size_t pick_max(size_t n)
{
	unsigned r = t_below(10);

	if (r < 7)
		return 4096;
	if (r < 9)
		return n + t_below(64);
	return t_below((unsigned)n + 8);
}

/* ---- 1. hmr_mutate ----------------------------------------------------------- */

static void test_mutate(void)
{
	char why[1 << 12];
	long changed = 0, grown = 0, shrunk = 0;

	for (int i = 0; i < RUNS; i++) {
		const struct input *x = pick_input();
		size_t max = pick_max(x->n), n;
		uint64_t seed = t_rnd();
		uint8_t *out = malloc(max ? max : 1);

		n = hmr_mutate(x->b, x->n, out, max, seed);
		CHECK(n <= max, "%s seed %llu: %zu bytes > max_size %zu", x->name,
		      (unsigned long long)seed, n, max);
		if (n > max)
			n = max;
		CHECK(valid(out, n, why, sizeof(why)), "%s seed %llu: %s", x->name,
		      (unsigned long long)seed, why);
		changed += differs(x->b, x->n, out, n);
		grown += n > x->n;
		shrunk += n < x->n;
		if (i % 8 == 0) {
			/* the same seed again, and in place */
			size_t n2 = hmr_mutate(x->b, x->n, big, max, seed);
			uint8_t *io = malloc(max > x->n ? max : x->n + 1);

			CHECK(n2 == n && !memcmp(big, out, n), "%s seed %llu: not deterministic",
			      x->name, (unsigned long long)seed);
			memcpy(io, x->b, x->n);
			n2 = hmr_mutate(io, x->n, io, max, seed);
			CHECK(n2 == n && !memcmp(io, out, n), "%s seed %llu: in place differs",
			      x->name, (unsigned long long)seed);
			free(io);
		}
		free(out);
	}
	printf("hmr_mutate: %d calls, %.1f%% changed what runs (%.1f%% longer, %.1f%% shorter)\n",
	       RUNS, 100.0 * changed / RUNS, 100.0 * grown / RUNS, 100.0 * shrunk / RUNS);
	CHECK(changed * 100 >= (long)RUNS * 95, "hmr_mutate changed only %ld of %d inputs",
	      changed, RUNS);
}

/* ---- 2. each mutation kind ---------------------------------------------------- */

/* Besides "changed", the direction some kinds must go in a good share. */
static int went_right(int kind, const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	const uint8_t *da, *db;
	size_t nda, ndb;

	switch (kind) {
	case HMR_MUT_op_insert:
		return total_ops(b, nb) > total_ops(a, na);
	case HMR_MUT_op_delete:
		return total_ops(b, nb) < total_ops(a, na);
	case HMR_MUT_task_dup:
	case HMR_MUT_task_del:
		hmr_bin_decode(a, na, "a", &s2, NULL, NULL);
		hmr_bin_decode(b, nb, "b", &s3, NULL, NULL);
		return kind == HMR_MUT_task_dup ? s3.ntasks > s2.ntasks : s3.ntasks < s2.ntasks;
	case HMR_MUT_dec_trunc:
		hmr_bin_decode(a, na, "a", &s2, &da, &nda);
		hmr_bin_decode(b, nb, "b", &s3, &db, &ndb);
		return dec_live(db, ndb) < dec_live(da, nda);
	default:
		return -1;	/* no direction to check */
	}
}

static void test_kinds(void)
{
	char why[1 << 12];

	printf("%-12s %6s %8s %8s\n", "mutation", "tries", "changed", "intended");
	for (int kind = 0; kind < HMR_MUT__N; kind++) {
		long changed = 0, right = 0, directed = 0;

		for (int i = 0; i < KIND_RUNS; i++) {
			const struct input *x = pick_input();
			uint64_t seed = t_rnd();
			size_t n = hmr_mutate_kind(x->b, x->n, big2, sizeof(big2), seed, kind);
			int r;

			CHECK(n <= sizeof(big2), "%s", "too long");
			CHECK(valid(big2, n, why, sizeof(why)), "%s on %s seed %llu: %s",
			      hmr_mut_names[kind], x->name, (unsigned long long)seed, why);
			changed += differs(x->b, x->n, big2, n);
			r = went_right(kind, x->b, x->n, big2, n);
			if (r >= 0) {
				directed = 1;
				right += r;
			}
			if (i % 16 == 0) {
				size_t n2 = hmr_mutate_kind(x->b, x->n, big, sizeof(big), seed, kind);

				CHECK(n2 == n && !memcmp(big, big2, n), "%s on %s: not deterministic",
				      hmr_mut_names[kind], x->name);
			}
		}
		if (directed)
			printf("%-12s %6d %7.1f%% %7.1f%%\n", hmr_mut_names[kind], KIND_RUNS,
			       100.0 * changed / KIND_RUNS, 100.0 * right / KIND_RUNS);
		else
			printf("%-12s %6d %7.1f%% %8s\n", hmr_mut_names[kind], KIND_RUNS,
			       100.0 * changed / KIND_RUNS, "-");
		T_CHECK(changed * 100 >= (long)KIND_RUNS * FLOOR,
			"%s changed only %ld of %d inputs", hmr_mut_names[kind], changed, KIND_RUNS);
		T_CHECK(!directed || right * 100 >= (long)KIND_RUNS * FLOOR,
			"%s went the intended way only %ld of %d times", hmr_mut_names[kind], right,
			KIND_RUNS);
	}
}

/* ---- 3. crossover ------------------------------------------------------------- */

static void test_crossover(void)
{
	char why[1 << 12];
	long changed = 0;

	for (int i = 0; i < CROSS_RUNS; i++) {
		const struct input *a = pick_input(), *b = pick_input();
		size_t max = pick_max(a->n), n;
		uint64_t seed = t_rnd();
		uint8_t *out = malloc(max ? max : 1);

		n = hmr_crossover(a->b, a->n, b->b, b->n, out, max, seed);
		CHECK(n <= max, "crossover %s x %s: %zu > %zu", a->name, b->name, n, max);
		if (n > max)
			n = max;
		CHECK(valid(out, n, why, sizeof(why)), "crossover %s x %s seed %llu: %s", a->name,
		      b->name, (unsigned long long)seed, why);
		changed += a != b && differs(a->b, a->n, out, n);
		if (i % 8 == 0) {
			size_t n2 = hmr_crossover(a->b, a->n, b->b, b->n, big, max, seed);
			uint8_t *io = malloc(max > a->n ? max : a->n + 1);

			CHECK(n2 == n && !memcmp(big, out, n), "crossover %s x %s: not deterministic",
			      a->name, b->name);
			memcpy(io, a->b, a->n);
			n2 = hmr_crossover(io, a->n, b->b, b->n, io, max, seed);
			CHECK(n2 == n && !memcmp(io, out, n), "crossover %s x %s: in place differs",
			      a->name, b->name);
			free(io);
		}
		free(out);
	}
	printf("hmr_crossover: %d calls, %.1f%% changed what runs\n", CROSS_RUNS,
	       100.0 * changed / CROSS_RUNS);
	CHECK(changed * 100 >= (long)CROSS_RUNS * 80, "crossover changed only %ld of %d", changed,
	      CROSS_RUNS);

	printf("%-12s %6s %8s\n", "crossover", "tries", "changed");
	for (int kind = 0; kind < HMR_CROSS__N; kind++) {
		long ch = 0;

		for (int i = 0; i < CROSS_KIND_RUNS; i++) {
			const struct input *a = pick_input(), *b = pick_input();
			uint64_t seed = t_rnd();
			size_t n = hmr_crossover_kind(a->b, a->n, b->b, b->n, big2, sizeof(big2), seed,
						      kind);

			CHECK(valid(big2, n, why, sizeof(why)), "%s %s x %s: %s", hmr_cross_names[kind],
			      a->name, b->name, why);
			ch += differs(a->b, a->n, big2, n);
		}
		printf("%-12s %6d %7.1f%%\n", hmr_cross_names[kind], CROSS_KIND_RUNS,
		       100.0 * ch / CROSS_KIND_RUNS);
		T_CHECK(ch * 100 >= (long)CROSS_KIND_RUNS * FLOOR, "%s changed only %ld of %d",
			hmr_cross_names[kind], ch, CROSS_KIND_RUNS);
	}
}

/* ---- 4. edges ------------------------------------------------------------------ */

static void test_edges(void)
{
	char why[1 << 12];
	uint8_t small[32];
	const struct input *x = &in[0];

	/* no room at all, and less room than a script without tasks needs */
	T_CHECK(hmr_mutate(x->b, x->n, small, 0, 1) == 0, "max_size 0 gives bytes");
	for (size_t max = 1; max <= sizeof(small); max++) {
		uint8_t *out = malloc(max);
		size_t n = hmr_mutate(x->b, x->n, out, max, max);

		CHECK(n <= max && valid(out, n, why, sizeof(why)), "max_size %zu: %zu bytes", max, n);
		n = hmr_crossover(x->b, x->n, in[1].b, in[1].n, out, max, max);
		CHECK(n <= max && valid(out, n, why, sizeof(why)), "crossover max_size %zu", max);
		free(out);
	}
	/* the empty input, and no input at all */
	for (uint64_t seed = 0; seed < 64; seed++) {
		size_t n = hmr_mutate(NULL, 0, big, sizeof(big), seed);

		CHECK(valid(big, n, why, sizeof(why)), "empty input seed %llu: %s",
		      (unsigned long long)seed, why);
		n = hmr_crossover(NULL, 0, NULL, 0, big, sizeof(big), seed);
		CHECK(valid(big, n, why, sizeof(why)), "empty crossover: %s", why);
	}
	/* different seeds give different outputs */
	{
		int same = 0;
		size_t n0 = hmr_mutate(x->b, x->n, big2, sizeof(big2), 0);

		for (uint64_t seed = 1; seed <= 100; seed++) {
			size_t n = hmr_mutate(x->b, x->n, big, sizeof(big), seed);

			same += n == n0 && !memcmp(big, big2, n);
		}
		T_CHECK(same < 10, "%d of 100 seeds gave seed 0's output", same);
	}
	/* hmr_mut_split finds the decision bytes */
	{
		uint8_t dec[5] = { 0, 2, 0, 1, 0 };
		size_t n;

		hmr_bin_decode(x->b, x->n, "x", &s1, NULL, NULL);
		n = hmr_bin_encode(&s1, dec, sizeof(dec), big, sizeof(big));
		T_CHECK(hmr_mut_split(big, n) == n - sizeof(dec) &&
			!memcmp(big + n - sizeof(dec), dec, sizeof(dec)), "split at %zu of %zu",
			hmr_mut_split(big, n), n);
	}
}

int main(void)
{
	t_rng = 0x6d75746174ull;	/* this test's stream */
	load_corpus();
	load_random();
	if (ncorpus) {
		test_mutate();
		test_kinds();
		test_crossover();
		test_edges();
	}
	for (int i = 0; i < nin; i++)
		free(in[i].b);
	return T_DONE();
}
