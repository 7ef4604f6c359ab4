/* test_binfmt.c - the fuzzers' binary script format (binfmt.c).
 *
 * What must hold: decoding is total (any bytes give a script that prints and
 * parses back to itself) and encoding is exact (a parsed scenario, encoded with
 * decision bytes and decoded, is the same script with the same decisions).
 *
 * 1. Hand-made cases: the empty input, keys given at their default value, the
 *    ends of every key's range, no tasks, the longest DMA range, an op that
 *    needs a mapping it does not have, a config value whose cfg_set bit is
 *    clear, and encode's snprintf-like capacity.
 * 2. 20,000 random byte strings (seeded): decode, print, parse, re-encode,
 *    decode again.
 * 3. Every scenario under scenarios/, engine/test/oracles/ and engine/test/paths/
 *    (run from the repository root) round-trips with decision bytes.
 * 4. Every truncation and a sample of single-byte mutations of those encodings
 *    decode to valid scripts.
 * Every encoding above, and every seed under corpus/seeds, is fuzz bytes to
 * hmr_input_kind (input.h); HMRIG_OPTIONS take a test-only switch only when
 * allowed. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "format/binfmt.h"
#include "format/config.h"
#include "format/hmropts.h"
#include "format/input.h"
#include "format/profile.h"
#include "format/script.h"

#define MAX_ENC		(1 << 17)
#define MAX_FAIL_SHOWN	20	/* a systematic bug should not print 20,000 lines */
#ifndef RANDOM_RUNS
#define RANDOM_RUNS	20000
#endif

/* Most of this suite's time is the printer's many small snprintf calls, and
 * ASan's check of each call's arguments costs a third of the run. The printer
 * passes it only static names and bounded "%.15s" task names, and test_scn runs
 * it with the check on; here it is off to keep the suite within its budget. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "check_printf=0";
}

static struct hmr_script s1, s2, s3;	/* big: keep them off the stack */
static char text[1 << 16];
static uint8_t enc[MAX_ENC], enc2[MAX_ENC];
/* ---- equality ---------------------------------------------------------- */

static int op_eq(const struct hmr_op *a, const struct hmr_op *b)
{
	return a->code == b->code && a->dir == b->dir && a->ktype == b->ktype &&
	       a->npages == b->npages && a->has_range == b->has_range && a->val == b->val &&
	       !memcmp(a->page, b->page, sizeof(a->page)) && a->off == b->off && a->len == b->len;
}

/* What the format carries: everything but title, question, expect, explore,
 * schedule, positions and (unless names) task names. */
static int script_eq(const struct hmr_script *a, const struct hmr_script *b, int names)
{
	if (a->profile != b->profile || a->switches != b->switches ||
	    memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)) || a->cfg_set != b->cfg_set ||
	    a->ntasks != b->ntasks)
		return 0;
	for (int i = 0; i < a->ntasks; i++) {
		const struct hmr_task_def *x = &a->task[i], *y = &b->task[i];

		if (x->cpu != y->cpu || x->ctx != y->ctx || x->nops != y->nops ||
		    (names && strcmp(x->name, y->name)))
			return 0;
		for (int k = 0; k < x->nops; k++)
			if (!op_eq(&x->ops[k], &y->ops[k]))
				return 0;
	}
	return 1;
}

/* ---- the properties ---------------------------------------------------- */

/* A decoded script as the format promises it: prints, parses back to itself,
 * and carries nothing the format does not. */
static int valid(const struct hmr_script *s, char *why, size_t whysz)
{
	char err[512];
	int n = hmr_scn_print(s, text, sizeof(text));

	if (n < 0 || (size_t)n >= sizeof(text))
		return snprintf(why, whysz, "printed text too long (%d)", n), 0;
	if (hmr_scn_parse(text, (size_t)n, "decoded", &s3, err, sizeof(err)))
		return snprintf(why, whysz, "%s\n%s", err, text), 0;
	if (!script_eq(s, &s3, 1))
		return snprintf(why, whysz, "parses to a different script:\n%s", text), 0;
	if (s->title[0] || s->question[0] || s->expect != HMR_EXPECT_UNSET || s->has_explore ||
	    s->has_schedule || s->nsched || s->has_decisions || s->ndecisions)
		return snprintf(why, whysz, "carries header text, expect, explore or schedule"), 0;
	for (int i = 0; i < s->ntasks; i++)
		if (s->task[i].line || s->task[i].col || s->task[i].ops[0].line)
			return snprintf(why, whysz, "task %d has a source position", i), 0;
	return 1;
}

/* Encode s with dec, decode: the same script and the same decision bytes. */
static int round_trip(const struct hmr_script *s, const uint8_t *dec, size_t ndec, int names,
		      char *why, size_t whysz)
{
	const uint8_t *d2;
	size_t n, nd2;

	n = hmr_bin_encode(s, dec, ndec, enc2, sizeof(enc2));
	if (n > sizeof(enc2))
		return snprintf(why, whysz, "encoding too long (%zu)", n), 0;
	hmr_bin_decode(enc2, n, "rt", &s2, &d2, &nd2);
	if (!script_eq(s, &s2, names))
		return snprintf(why, whysz, "decodes to a different script"), 0;
	if (nd2 != ndec || (ndec && memcmp(d2, dec, ndec)))
		return snprintf(why, whysz, "decision bytes %zu -> %zu, or differ", ndec, nd2), 0;
	if (hmr_input_kind(enc2, n, NULL) != HMR_INPUT_FUZZ)
		return snprintf(why, whysz, "hmrig would not read its encoding as fuzz bytes (input.h)"), 0;
	return 1;
}

/* Decode bytes (from an exactly-sized heap copy, so ASan sees any overread),
 * check the script, and check that its encoding is exact. */
static int decode_ok(const uint8_t *b, size_t n, char *why, size_t whysz)
{
	uint8_t *copy = malloc(n ? n : 1);
	const uint8_t *dec;
	size_t ndec;
	int ok;

	memcpy(copy, b, n);
	hmr_bin_decode(copy, n, "fuzz", &s1, &dec, &ndec);
	ok = ndec <= n && dec == copy + n - ndec;
	if (!ok)
		snprintf(why, whysz, "decision bytes are not the input's tail");
	ok = ok && valid(&s1, why, whysz) && round_trip(&s1, dec, ndec, 1, why, whysz);
	free(copy);
	return ok;
}

/* ---- 1. hand-made cases ------------------------------------------------ */

static int parse_text(const char *t, struct hmr_script *s)
{
	char err[512];
	int r = hmr_scn_parse(t, strlen(t), "case", s, err, sizeof(err));

	if (r)
		fprintf(stderr, "%s\n", err);
	return r;
}

static void check_case(const char *name, const char *t, const uint8_t *dec, size_t ndec)
{
	static struct hmr_script s;
	char why[1024] = "";

	if (parse_text(t, &s)) {
		T_CHECK(0, "%s: does not parse", name);
		return;
	}
	T_CHECK(round_trip(&s, dec, ndec, 0, why, sizeof(why)), "%s: %s", name, why);
}

static void test_empty(void)
{
	char why[1024] = "";
	const uint8_t *dec;
	size_t ndec;

	hmr_bin_decode(NULL, 0, NULL, &s1, &dec, &ndec);
	T_CHECK(ndec == 0 && valid(&s1, why, sizeof(why)), "empty input: %s", why);
	/* Not marked raw, so tidied: the kmap gets its kunmap, and the step
	 * budget is the largest (tidy.c). */
	T_CHECK(s1.profile == 0 && s1.switches == 0 && s1.cfg_set == 1u << HMR_OPT_steps && s1.ntasks == 1 &&
		s1.task[0].cpu == 0 && s1.task[0].nops == 2 &&
		s1.task[0].ops[0].code == HMR_OP_kmap && s1.task[0].ops[0].page[0] == 0 &&
		s1.task[0].ops[1].code == HMR_OP_kunmap && s1.task[0].ops[1].page[0] == 0 &&
		!strcmp(s1.task[0].name, "A") && !strcmp(s1.file, "<fuzz>"),
		"empty input is not 'task A cpu=0: kmap p0; kunmap p0'");
	hmr_bin_decode((const uint8_t *)"", 0, "f.bin", &s1, NULL, NULL);
	T_CHECK(!strcmp(s1.file, "f.bin"), "file name not kept");
}

/* Every key at its lowest, highest and default value, given explicitly. */
static void test_config_ends(void)
{
	char t[512], name[64];

	for (int id = 0; id < HMR_OPT__N; id++) {
		int lo = hmr_opts[id].lo, vals[3] = { lo, hmr_opts[id].hi, hmr_opts[id].def };

		for (int k = 0; k < 3; k++) {
			char vb[32];
			int v = vals[k];

			if (id == HMR_OPT_cache || id == HMR_OPT_tlb) {
				if (v == 0)
					continue;	/* "the profile's" has no name */
			}
			if (id == HMR_OPT_colors && v > 4)
				v = 4;		/* at most last_pkmap */
			if (id == HMR_OPT_line_size && v > 64)
				continue;	/* checked with page_size below */
			snprintf(t, sizeof(t), "profile: arm-2.6.30\nconfig: %s=%s last_pkmap=4\n"
				 "task A cpu=0:\n    yield\n", hmr_opts[id].name,
				 hmr_opt_value_str(id, v, vb, sizeof(vb)));
			if (id == HMR_OPT_last_pkmap)
				snprintf(t, sizeof(t), "profile: arm-2.6.30\nconfig: last_pkmap=%d\n"
					 "task A cpu=0:\n    yield\n", v);
			snprintf(name, sizeof(name), "%s=%d", hmr_opts[id].name, v);
			check_case(name, t, NULL, 0);
		}
	}
	check_case("line_size=256", "profile: mips-3.1\nconfig: line_size=256 page_size=256 "
		   "steps=999999 colors=8 last_pkmap=512\ntask A cpu=0:\n    yield\n", NULL, 0);
	check_case("switches", "profile: x86-6.1\nswitch: dma_use_page_address "
		   "highget_irqs_off_ipi\ntask A cpu=0:\n    yield\n",
		   (const uint8_t *)"\0\0\xff", 3);
}

static void test_shapes(void)
{
	static const uint8_t dec[] = { 1, 2, 3, 0, 0, 255 };

	check_case("no tasks", "profile: arm-2.6.35\n", dec, sizeof(dec));
	check_case("longest dma range",
		   "profile: arm-2.6.30\nconfig: lowmem=64 highmem=64 page_size=4096\n"
		   "task A cpu=0:\n    dma_map l0 to_device 0 524288\n"
		   "    dma_map l0 from_device 4095 520193\n"
		   "    dma_map p63 bidirectional 4095 1\n    dma_map l63 to_device\n", NULL, 0);
	check_case("every shape",
		   "profile: arm-2.6.30\nconfig: cpus=4 lowmem=64 highmem=64\n"
		   "task A cpu=3 context=hardirq:\n    kmap_atomic l63 KM_L1_CACHE\n"
		   "    write l63 255 0xff\n    write l63 0 0x01 256\n    read l63 17 3\n"
		   "    kunmap_atomic l63\n    kmap_high_get p63\n    kmap_local p5\n"
		   "    read p63 0\n    kunmap_local p5\n    kunmap p63\n"
		   "    dma_map_sg p0,l1,p0,p63,l63,p1,p2,p3 from_device\n"
		   "    dma_unmap_sg p0 to_device\n    dev_write l3 200 0x80 56\n"
		   "    dev_read p7 255\n    user_write p1 9 0x00\n    user_read l2 255\n"
		   "    set_uncached p4\n    flush_unused\n    irq_disable\n"
		   "    dma_sync_cpu p3 from_device\n    dma_sync_device l3 bidirectional\n"
		   "    dma_unmap p3 to_device\n    flush_dcache_page l0\n"
		   "task B cpu=0 context=softirq:\n    kmap p1\n    kmap p2\n    kmap p1\n"
		   "    kunmap p2\n    write p1 3 0x33\n", dec, sizeof(dec));
}

/* An op that needs a mapping the task lacks becomes kmap of the page its byte
 * names; with mappings it picks one of them. */
static void test_mapped_index(void)
{
	/* header (18 bytes): nothing given but the raw flag (its last field),
	 * so no tidying; tasks (11 bytes): 1 task, cpu 0, context 0, 2 ops:
	 * write with page byte 0x82 -> kmap l2, then read with index 7 -> l2
	 * (the only one), OFF 5 (2 bytes), LEN - 1 = 0; no decisions. */
	static const uint8_t b[] = { 18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
				     11, 0, 0, 0, 0, 1,
				     HMR_OP_write, 0x82, HMR_OP_read, 7, 5, 0, 0 };
	char why[1024] = "";
	const uint8_t *dec;
	size_t ndec;

	hmr_bin_decode(b, sizeof(b), "idx", &s1, &dec, &ndec);
	T_CHECK(valid(&s1, why, sizeof(why)), "%s", why);
	T_CHECK(s1.ntasks == 1 && s1.task[0].nops == 2 &&
		s1.task[0].ops[0].code == HMR_OP_kmap &&
		s1.task[0].ops[0].page[0] == (HMR_LOWMEM | 2) &&
		s1.task[0].ops[1].code == HMR_OP_read &&
		s1.task[0].ops[1].page[0] == (HMR_LOWMEM | 2) && s1.task[0].ops[1].off == 5,
		"write without a mapping did not become kmap l2, or read did not use it");
	T_CHECK(ndec == 0, "decisions after the task section: %zu", ndec);
}

/* A value off its default whose key is not marked given (a script built in
 * code) still comes back, now marked given. */
static void test_unmarked_value(void)
{
	const uint8_t *dec;
	size_t n, ndec;

	if (parse_text("profile: ppc-2.6.35\nconfig: highmem=16 steps=77\ntask A cpu=0:\n"
		       "    kmap p15\n", &s1)) {
		T_CHECK(0, "unmarked-value case does not parse");
		return;
	}
	s1.cfg_set &= ~(1u << HMR_OPT_highmem);
	n = hmr_bin_encode(&s1, NULL, 0, enc, sizeof(enc));
	hmr_bin_decode(enc, n, "u", &s2, &dec, &ndec);
	T_CHECK(!memcmp(&s1.cfg, &s2.cfg, sizeof(s1.cfg)) &&
		s2.cfg_set == (s1.cfg_set | 1u << HMR_OPT_highmem) && ndec == 0 &&
		s2.task[0].ops[0].page[0] == 15, "highmem=16 without its cfg_set bit");
}

/* Tasks up to HMR_MAX_OPS ops: 64 and more take the count's second field, and
 * round-trip; a script whose task section would pass 65,535 bytes does not
 * encode (SIZE_MAX), and whatever is cut still decodes. */
static void test_long_tasks(void)
{
	static char t[64 + HMR_MAX_TASKS * (16 + 64 * HMR_MAX_OPS)];
	static const int lens[] = { 63, 64, 65, 300, HMR_MAX_OPS };
	char name[32];

	for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		int at = snprintf(t, sizeof(t), "profile: arm-2.6.30\ntask A cpu=0:\n    kmap p1\n");
		for (int i = 1; i < lens[k] - 1; i++)
			at += snprintf(t + at, sizeof(t) - (size_t)at, "    write p1 %d %d\n", i % 256, i & 0xff);
		snprintf(t + at, sizeof(t) - (size_t)at, "    kunmap p1\n");
		snprintf(name, sizeof(name), "%d ops", lens[k]);
		check_case(name, t, NULL, 0);
	}
	/* Eight tasks of HMR_MAX_OPS eight-page sg maps: 16 bytes an op. */
	int at = snprintf(t, sizeof(t), "profile: x86-6.1\nconfig: lowmem=16 highmem=16\n");
	for (int k = 0; k < HMR_MAX_TASKS; k++) {
		at += snprintf(t + at, sizeof(t) - (size_t)at, "task %c cpu=0:\n", 'A' + k);
		for (int i = 0; i < HMR_MAX_OPS; i++)
			at += snprintf(t + at, sizeof(t) - (size_t)at, "    dma_map_sg p%d,p1,p2,p3,p4,p5,p6,p7 to_device\n",
				       8 + (i + k) % 8);
	}
	if (parse_text(t, &s1)) {
		T_CHECK(0, "the longest script does not parse");
		return;
	}
	T_CHECK(hmr_bin_encode(&s1, NULL, 0, enc, sizeof(enc)) == SIZE_MAX, "a task section past 65,535 bytes encoded");
	s1.ntasks = 3;	/* 3 * (4 + 1024 * 16) bytes: fits */
	size_t n = hmr_bin_encode(&s1, NULL, 0, enc, sizeof(enc));
	T_CHECK(n <= sizeof(enc), "three long tasks: %zu bytes", n);
	if (n <= sizeof(enc)) {
		const uint8_t *dec;
		size_t ndec;
		hmr_bin_decode(enc, n, "t", &s2, &dec, &ndec);
		T_CHECK(s2.ntasks == 3 && s2.task[2].nops == HMR_MAX_OPS && s2.task[2].ops[HMR_MAX_OPS - 1].npages == 8,
			"three long tasks decode to %d tasks, %d ops", s2.ntasks, s2.task[2].nops);
	}
}

/* Test-only switches never come from bytes: every header bit set decodes to
 * every other switch, and a script that has them encodes without them. */
static void test_no_test_switches(void)
{
	static const uint8_t all[] = { 3, 0, 0xff, 0xff };	/* profile 0, switch mask 0xffff */
	const uint8_t *dec;
	size_t n, ndec;

	hmr_bin_decode(all, sizeof(all), "t", &s2, &dec, &ndec);
	T_CHECK(s2.switches == (((1u << SW__N) - 1) & ~HMR_TEST_SWITCHES), "all header bits decode to %#x",
		(unsigned)s2.switches);
	if (parse_text("profile: x86-6.1\nswitch: test_unlocked_count dma_use_page_address\n"
		       "task A cpu=0:\n    yield\n", &s1)) {
		T_CHECK(0, "test-switch case does not parse");
		return;
	}
	n = hmr_bin_encode(&s1, NULL, 0, enc, sizeof(enc));
	hmr_bin_decode(enc, n, "t", &s2, &dec, &ndec);
	T_CHECK(s2.switches == 1u << SW_dma_use_page_address, "test_unlocked_count encoded: %#x",
		(unsigned)s2.switches);
}

/* HMRIG_OPTIONS may turn a test-only switch on only when allowed; refused,
 * the options in force stay as they were. */
static void test_option_test_switches(void)
{
	static const char base[] = "profile=x86-6.1", test[] = "switch=test_ub:cpus=3";
	int x86 = hmr_profile_lookup("x86-6.1", 7);
	char err[400] = "";

	T_CHECK(hmr_bin_set_options(base, 0, err, sizeof(err)) == 0, "%s", err);
	T_CHECK(hmr_bin_set_options(test, 0, err, sizeof(err)) == -1 && strstr(err, "switch test_ub is test-only") &&
		strstr(err, HMR_ALLOW_TEST_ENV), "not refused: '%s'", err);
	hmr_bin_decode(NULL, 0, "t", &s2, NULL, NULL);
	T_CHECK(s2.profile == x86 && !s2.switches && CFG(&s2.cfg, cpus) != 3,
		"a refused option changed the decoding: profile %d, switches %#x", s2.profile, (unsigned)s2.switches);
	T_CHECK(hmr_bin_set_options(test, 1, err, sizeof(err)) == 0, "allowed, still refused: %s", err);
	hmr_bin_decode(NULL, 0, "t", &s2, NULL, NULL);
	T_CHECK(s2.switches == 1u << SW_test_ub && CFG(&s2.cfg, cpus) == 3, "allowed: switches %#x",
		(unsigned)s2.switches);
	T_CHECK(hmr_bin_set_options("cpus=9", 1, err, sizeof(err)) == -1, "cpus=9 taken");
	T_CHECK(hmr_bin_set_options(NULL, 0, err, sizeof(err)) == 0, "no options refused");
	/* A list of profiles keeps the input's if it has it, else picks by index. */
	{
		static struct hmr_script s;
		int a = hmr_profile_lookup("arm-6.1", 7), x = hmr_profile_lookup("x86-6.1", 7);
		for (int p = 0; p < hmr_nmodel_profiles; p++) {
			s.profile = p;
			hmr_config_default(&s.cfg);
			T_CHECK(hmr_apply_options("profile=arm-6.1,x86-6.1", &s, err, sizeof(err)) == 0, "%s", err);
			T_CHECK(p == a || p == x ? s.profile == p : s.profile == (p % 2 ? x : a),
				"profile %d became %d", p, s.profile);
		}
		T_CHECK(hmr_apply_options("profile=arm-6.1,arm-9.9", &s, err, sizeof(err)) == -1 &&
			strstr(err, "unknown profile 'arm-9.9'"), "%s", err);
		T_CHECK(hmr_apply_options("profile=arm-6.1,", &s, err, sizeof(err)) == -1, "an empty name taken");
	}
	hmr_bin_decode(NULL, 0, "t", &s2, NULL, NULL);
	T_CHECK(s2.profile == 0 && !s2.switches, "options stay after NULL");
}

/* snprintf-like: the length needed whatever cap is, never a byte past cap. */
static void test_capacity(void)
{
	static const uint8_t dec[40] = { 7, 7, 7 };
	uint8_t small[128];
	size_t need;

	if (parse_text("profile: arm-2.6.30\ntask A cpu=1:\n    kmap p3\n    write p3 1 2 3\n",
		       &s1)) {
		T_CHECK(0, "capacity case does not parse");
		return;
	}
	need = hmr_bin_encode(&s1, dec, sizeof(dec), enc, sizeof(enc));
	if (need >= sizeof(small)) {
		T_CHECK(0, "capacity case encodes to %zu bytes", need);
		return;
	}
	for (size_t cap = 0; cap <= need; cap++) {
		memset(small, 0xa5, sizeof(small));
		T_CHECK(hmr_bin_encode(&s1, dec, sizeof(dec), small, cap) == need &&
			!memcmp(small, enc, cap) && small[cap] == 0xa5,
			"cap %zu", cap);
	}
}

/* ---- 2. random bytes ------------------------------------------------------ */

static void test_random(void)
{
	static uint8_t b[600];
	int shown = 0;

	for (int i = 0; i < RANDOM_RUNS && shown < MAX_FAIL_SHOWN; i++) {
		char why[1 << 12] = "";
		size_t n = t_random_input(b, 600);
		int ok = decode_ok(b, n, why, sizeof(why));

		T_CHECK(ok, "random input %d (%zu bytes): %s", i, n, why);
		shown += !ok;
	}
}

/* ---- 3, 4. scenario files ------------------------------------------------- */

static void mutations(const char *path, const uint8_t *e, size_t n)
{
	char why[1 << 12] = "";
	int bad = 0;

	for (size_t len = 0; len < n && !bad; len++) {
		if (!decode_ok(e, len, why, sizeof(why))) {
			bad = 1;
			T_CHECK(0, "%s truncated to %zu: %s", path, len, why);
		}
	}
	for (int k = 0; k < 24 && n && !bad; k++) {
		static uint8_t m[MAX_ENC];
		size_t at = t_below((unsigned)n);

		memcpy(m, e, n);
		m[at] = (uint8_t)(k & 1 ? m[at] ^ (1u << t_below(8)) : t_rnd());
		if (!decode_ok(m, n, why, sizeof(why))) {
			bad = 1;
			T_CHECK(0, "%s byte %zu set to 0x%02x: %s", path, at, m[at], why);
		}
	}
	T_CHECK(!bad, "%s: truncations and mutations", path);
}

static void one_file(const char *path)
{
	static struct hmr_script s;
	static uint8_t e[MAX_ENC];
	uint8_t dec[64];
	size_t ndec = t_below(sizeof(dec) + 1), n;
	char err[512], why[1 << 12] = "";

	for (size_t i = 0; i < ndec; i++)
		dec[i] = (uint8_t)t_rnd();
	if (hmr_scn_load(path, &s, err, sizeof(err))) {
		T_CHECK(0, "%s", err);
		return;
	}
	s.switches &= ~HMR_TEST_SWITCHES;	/* no fuzz input has them (test_no_test_switches) */
	T_CHECK(round_trip(&s, dec, ndec, 0, why, sizeof(why)), "%s: %s", path, why);
	n = hmr_bin_encode(&s, dec, ndec, e, sizeof(e));
	T_CHECK(hmr_bin_encode(&s, dec, ndec, NULL, 0) == n, "%s: length with cap 0", path);
	if (n <= sizeof(e))
		mutations(path, e, n);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, so the PRNG gives each file the same decision bytes every run. */
static int test_dir(const char *dir)
{
	char *names[1024];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		T_CHECK(0, "cannot open %s (run from the repository root)", dir);
		return 0;
	}
	while ((de = readdir(d)) && n < 1024)
		if (ends_with(de->d_name, ".scn"))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		one_file(path);
		free(names[i]);
	}
	return n;
}

/* ---- 5. the seed corpus -------------------------------------------------- */

/* Every seed under corpus/seeds is read as fuzz bytes by hmrig (input.h). */
static int test_seeds(void)
{
	static uint8_t b[MAX_ENC];
	DIR *d = opendir("corpus/seeds");
	struct dirent *de;
	int n = 0;

	T_CHECK(d != NULL, "cannot open corpus/seeds (run from the repository root)");
	while (d && (de = readdir(d))) {
		char path[4096];
		FILE *f;
		size_t len;

		if (!ends_with(de->d_name, ".bin"))
			continue;
		snprintf(path, sizeof(path), "corpus/seeds/%s", de->d_name);
		f = fopen(path, "rb");
		len = f ? fread(b, 1, sizeof(b), f) : 0;
		if (f)
			fclose(f);
		T_CHECK(hmr_input_kind(b, len, NULL) == HMR_INPUT_FUZZ, "%s is not fuzz bytes by its content", path);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	t_rng = 0x62696e666d74ull;	/* this test's stream */
	int files = 0;

	test_empty();
	test_config_ends();
	test_shapes();
	test_mapped_index();
	test_unmarked_value();
	test_capacity();
	test_no_test_switches();
	test_option_test_switches();
	test_long_tasks();
	test_random();
	files += test_dir("scenarios");
	files += test_dir("engine/test/oracles");
	files += test_dir("engine/test/paths");
	T_CHECK(files >= 40, "only %d scenario files found", files);
	T_CHECK(test_seeds() >= 40, "corpus/seeds holds too few seeds");
	return T_DONE();
}
