// SPDX-License-Identifier: GPL-2.0-only
/* test_tidy.c - hmr_script_tidy (tidy.c): random scripts made to follow the
 * kernel API rules.
 *
 * What must hold:
 * (a) on 20,000 scripts decoded from random bytes, tidy is idempotent and its
 *     result prints and parses back (and the parsed text is still tidy);
 * (b) every scenario under scenarios/ with "expect: none" that follows the
 *     rules is unchanged (apart from the step budget, R11, which no scenario
 *     sets to the maximum); the ones tidy changes are listed in known_changed
 *     with the reason;
 * (c) hand-written cases, one or more per rule;
 * (d) the point of it all: random tidy scripts on the fixed profiles
 *     (arm-2.6.30, arm-2.6.37, mips-3.1, x86-6.1; switches cleared) run
 *     without a finding, with their own decision bytes and with a few
 *     seeded random schedules. The first failure is printed with its report.
 * HMR_TIDY_RUNS=N runs N inputs per profile in (d) (default 3000), and
 * HMR_TIDY_SEED=S changes the seed, for longer campaigns by hand. */
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
#include "format/profile.h"
#include "run/run.h"
#include "format/script.h"
#include "format/tidy.h"

/* The printer's many small snprintf calls dominate (a) under ASan; test_scn
 * covers the printer with the check on. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "check_printf=0";
}

static struct hmr_script s1, s2, s3;	/* big: keep them off the stack */
static struct hmr_result res;
static char text[1 << 17];
/* "A: kmap p1; kunmap p1 | B: yield", in one of four rotating buffers so a
 * message can show two. */
static const char *ops_str(const struct hmr_script *s)
{
	static char bufs[4][1 << 14];
	static int k;
	char *b = bufs[k++ & 3];
	size_t o = 0;

	b[0] = 0;
	for (int t = 0; t < s->ntasks && o < sizeof(bufs[0]) - 200; t++) {
		o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o, "%s%s:", t ? " | " : "", s->task[t].name);
		for (int i = 0; i < s->task[t].nops && o < sizeof(bufs[0]) - 200; i++) {
			char one[128];
			hmr_op_print(&s->task[t].ops[i], one, sizeof(one));
			o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o, "%s %s", i ? ";" : "", one);
		}
	}
	return b;
}

/* Print s and parse it back into out; 0 on success, else the error in why. */
static int reparse(const struct hmr_script *s, struct hmr_script *out, char *why, size_t wsz)
{
	int n = hmr_scn_print(s, text, sizeof(text));

	if (n < 0 || (size_t)n >= sizeof(text)) {
		snprintf(why, wsz, "print needs %d bytes", n);
		return -1;
	}
	return hmr_scn_parse(text, (size_t)n, "tidy", out, why, (int)wsz);
}

/* ---- (a) idempotence and validity ------------------------------------------ */

static void test_random_scripts(void)
{
	static uint8_t b[1500];
	int bad = 0;

	for (int i = 0; i < 20000 && bad < 10; i++) {
		char why[512] = "";
		size_t n = t_random_input(b, sizeof(b));
		int ok;

		hmr_bin_decode(b, n, "rnd", &s1, NULL, NULL);
		hmr_script_tidy(&s1);
		ok = hmr_script_is_tidy(&s1);
		T_CHECK(ok, "random input %d: tidy is not idempotent: %s", i, ops_str(&s1));
		if (ok) {
			ok = !reparse(&s1, &s2, why, sizeof(why));
			T_CHECK(ok, "random input %d: tidy script does not parse: %s\n%s", i, why, text);
		}
		if (ok) {
			ok = hmr_script_is_tidy(&s2);
			T_CHECK(ok, "random input %d: parsed tidy script is not tidy: %s", i, ops_str(&s2));
		}
		bad += !ok;
	}
}

/* ---- (b) the catalogue ------------------------------------------------------ */

/* Fixed scenarios that break a rule on purpose or by the way, and why. */
static const char *const known_changed[] = {
	"e06-ppc-highmem-seg-math-fixed",	/* R9: its FROM_DEVICE buffer 200+100 is not line-aligned */
	"e10-unaligned-from-device-invalidate-fixed",	/* R9: an unaligned buffer on purpose */
	"e18-flush-returns-index-fixed",	/* R4: each task holds two kmaps */
	"e28a-kmap-leak-fixed",			/* R4: task A holds two kmaps */
	NULL
};

static int is_known(const char *name)
{
	for (int i = 0; known_changed[i]; i++)
		if (strstr(name, known_changed[i]))
			return 1;
	return 0;
}

static void test_catalogue(void)
{
	DIR *d = opendir("scenarios");
	struct dirent *e;
	int checked = 0;

	T_CHECK(d != NULL, "cannot open scenarios/ (run from the repository root)");
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512], err[512];
		size_t n = strlen(e->d_name);

		if (n < 4 || strcmp(e->d_name + n - 4, ".scn"))
			continue;
		snprintf(path, sizeof(path), "scenarios/%s", e->d_name);
		if (hmr_scn_load(path, &s1, err, sizeof(err))) {
			T_CHECK(0, "%s", err);
			continue;
		}
		if (s1.expect != HMR_EXPECT_NONE)
			continue;
		checked++;
		/* R11 raises every budget; compare what the API rules do. */
		s1.cfg.v[HMR_OPT_steps] = hmr_opts[HMR_OPT_steps].hi;
		s1.cfg_set |= 1u << HMR_OPT_steps;
		s2 = s1;
		hmr_script_tidy(&s2);
		if (is_known(e->d_name)) {
			printf("changed as expected: %s\n  before: %s\n", path, ops_str(&s1));
			printf("  after:  %s\n", ops_str(&s2));
			T_CHECK(!hmr_script_is_tidy(&s1), "%s is listed as changed but is tidy", path);
			continue;
		}
		T_CHECK(hmr_script_is_tidy(&s1), "%s follows the rules but tidy changes it:\n  before: %s\n  after:  %s",
			path, ops_str(&s1), ops_str(&s2));
	}
	closedir(d);
	T_CHECK(checked >= 10, "only %d expect-none scenarios found", checked);
}

/* ---- (c) hand-written cases -------------------------------------------------- */

/* Parse scenario text into s1 and tidy it. */
static int tidy_text(const char *scn)
{
	char err[512];

	if (hmr_scn_parse(scn, strlen(scn), "case", &s1, err, sizeof(err))) {
		T_CHECK(0, "case does not parse: %s", err);
		return -1;
	}
	hmr_script_tidy(&s1);
	return 0;
}

/* Tidy the scenario text scn and compare its ops with want (ops_str form). */
static void expect_ops(const char *scn, const char *want)
{
	char err[512];

	if (tidy_text(scn))
		return;
	T_CHECK(!strcmp(ops_str(&s1), want), "\n%s\n  got:  %s\n  want: %s", scn, ops_str(&s1), want);
	T_CHECK(hmr_script_is_tidy(&s1), "not idempotent: %s", ops_str(&s1));
	T_CHECK(!reparse(&s1, &s2, err, sizeof(err)), "does not parse: %s", err);
}

#define X86 "profile: x86-6.1\nswitch: test_unlocked_count\n"	/* switches stay as they are */
#define ARM30 "profile: arm-2.6.30\n"
#define ARM37 "profile: arm-2.6.37\n"
#define ARM61 "profile: arm-6.1\n"

static void test_cases(void)
{
	/* R1: sleeping ops never run atomic. */
	expect_ops(ARM37 "task A cpu=0:\n kmap_atomic p1\n kmap p2\n kunmap_atomic p1\n kmap p3\n",
		   "A: kmap_atomic p1; kunmap_atomic p1; kmap p3; kunmap p3");
	expect_ops(X86 "task A cpu=0:\n kmap_local p1\n kmap p2\n kunmap p2\n kunmap_local p1\n",
		   "A: kmap_local p1; kmap p2; kunmap p2; kunmap_local p1");
	expect_ops(ARM37 "task A cpu=0:\n kmap_local p1\n kmap p2\n kunmap_local p1\n",
		   "A: kmap_local p1; kunmap_local p1");
	expect_ops(X86 "task A cpu=0:\n kmap p1\n preempt_disable\n kunmap p1\n flush_unused\n set_uncached p2\n"
		   " preempt_enable\n",
		   "A: kmap p1; preempt_disable; preempt_enable; kunmap p1");
	expect_ops(X86 "task A cpu=0:\n irq_disable\n kmap p1\n irq_enable\n kmap p2\n",
		   "A: irq_disable; irq_enable; kmap p2; kunmap p2");
	/* R2: interrupt handlers. */
	expect_ops(ARM30 "task I cpu=0 context=hardirq:\n kmap p1\n kmap_high_get p2\n kunmap p2\n irq_disable\n"
		   " irq_enable\n user_write p3 0 1\n kmap_atomic p4\n write p4 0 1\n kunmap_atomic p4\n",
		   "I: kmap_high_get p2; kunmap p2; kmap_atomic p4; write p4 0 0x01; kunmap_atomic p4");
	expect_ops(X86 "task S cpu=0 context=softirq:\n irq_disable\n flush_unused\n set_uncached p1\n",
		   "S: irq_disable; irq_enable");
	/* R3: balance. */
	expect_ops(X86 "task A cpu=0:\n irq_enable\n preempt_enable\n irq_disable\n irq_disable\n preempt_disable\n"
		   " preempt_disable\n preempt_enable\n",
		   "A: irq_disable; preempt_disable; preempt_disable; preempt_enable; irq_enable; preempt_enable");
	/* R4: one persistent map; kunmap releases it. */
	expect_ops(ARM30 "task A cpu=0:\n kmap p1\n kmap p2\n kmap_high_get p3\n kunmap p2\n kunmap p1\n",
		   "A: kmap p1; kunmap p1");
	expect_ops(ARM30 "task A cpu=0:\n kmap_high_get l1\n kmap p2\n", "A: kmap p2; kunmap p2");
	/* ... and no kmap under a local map that may pin a slot (kmap_high_get). */
	expect_ops(ARM61 "task A cpu=0:\n kmap_local p1\n kmap p2\n kunmap p2\n kunmap_local p1\n kmap p3\n",
		   "A: kmap_local p1; kunmap_local p1; kmap p3; kunmap p3");
	expect_ops(ARM61 "task A cpu=0:\n kmap_local l1\n kmap p2\n kunmap p2\n kunmap_local l1\n",
		   "A: kmap_local l1; kmap p2; kunmap p2; kunmap_local l1");
	tidy_text(ARM30 "task A cpu=0:\n kmap_high_get p1\n");
	s1.profile = hmr_profile_lookup("x86-6.1", 7);	/* no kmap_high_get there */
	hmr_script_tidy(&s1);
	T_CHECK(!strcmp(ops_str(&s1), "A: yield"), "%s", ops_str(&s1));
	/* R5: LIFO; an unmap releases the top, of its own kind. */
	expect_ops(X86 "task A cpu=0:\n kmap_atomic p1\n kmap_atomic p2\n kunmap_atomic p1\n kunmap_atomic p2\n",
		   "A: kmap_atomic p1; kmap_atomic p2; kunmap_atomic p2; kunmap_atomic p1");
	expect_ops(X86 "task A cpu=0:\n kmap_atomic p1\n kmap_local p2\n kunmap_atomic p1\n kunmap_local p2\n",
		   "A: kmap_atomic p1; kmap_local p2; kunmap_local p2; kunmap_atomic p1");
	expect_ops(X86 "task A cpu=0:\n kmap_atomic p1\n kmap_atomic p2\n kmap_atomic p3\n",
		   "A: kmap_atomic p1; kmap_atomic p2; kunmap_atomic p2; kunmap_atomic p1");
	/* R6: km_types of the context, each once. */
	expect_ops(ARM30 "task A cpu=0:\n kmap_atomic p1\n kmap_atomic p2\n kmap_local p3\n",
		   "A: kmap_atomic p1; kmap_atomic p2 KM_USER1; kunmap_atomic p2; kunmap_atomic p1");
	expect_ops(ARM30 "task A cpu=0:\n kmap_atomic p1 KM_USER1\n kmap_local p2\n",
		   "A: kmap_atomic p1 KM_USER1; kmap_local p2; kunmap_local p2; kunmap_atomic p1");
	expect_ops(ARM30 "task I cpu=0 context=hardirq:\n kmap_atomic p1 KM_USER0\n kmap_atomic p2 KM_IRQ1\n",
		   "I: kmap_atomic p1 KM_IRQ0; kmap_atomic p2 KM_IRQ1; kunmap_atomic p2; kunmap_atomic p1");
	expect_ops(ARM30 "task I cpu=0 context=hardirq:\n kmap_atomic p1 KM_BIO_SRC_IRQ\n kunmap_atomic p1\n"
		   "task S cpu=0 context=softirq:\n kmap_atomic p1 KM_IRQ0\n kunmap_atomic p1\n",
		   "I: kmap_atomic p1 KM_BIO_SRC_IRQ; kunmap_atomic p1 | S: kmap_atomic p1 KM_SOFTIRQ0; kunmap_atomic p1");
	/* R7: write/read through a held map, else the latest one, else dropped. */
	expect_ops(X86 "task A cpu=0:\n kmap p1\n kmap_atomic p2\n kunmap_atomic p2\n write p2 0 1\n read p1 0\n"
		   " kunmap p1\n read p1 0\n",
		   "A: kmap p1; kmap_atomic p2; kunmap_atomic p2; write p1 0 0x01; read p1 0; kunmap p1");
	expect_ops(ARM30 "task A cpu=0:\n kmap_high_get p1\n write p1 0 1\n kunmap p1\n",
		   "A: kmap_high_get p1; kunmap p1");
	/* R8: one owner per DMA page. */
	expect_ops(X86 "config: cpus=2\ntask A cpu=0:\n dma_map p1 to_device\n dma_unmap p1 to_device\n"
		   "task B cpu=1:\n kmap p1\n write p1 0 1\n dma_map p1 to_device\n dma_unmap p1 to_device\n kunmap p1\n",
		   "A: dma_map p1 to_device; dma_unmap p1 to_device | B: kmap p1; kunmap p1");
	expect_ops(X86 "config: cpus=2\ntask A cpu=0:\n user_write p2 0 1\n"
		   "task B cpu=1:\n dma_map p1 to_device 0 512\n",
		   "A: yield | B: dma_map p1 to_device 0 512; dma_unmap p1 to_device");
	/* R9: the streaming protocol. */
	expect_ops(X86 "config: cpus=2 line_size=32\ntask A cpu=0:\n dma_map p1 from_device 40 20\n dma_map p1 to_device\n"
		   " dev_read p1 0\n dev_write p1 32 7 32\n kmap p1\n read p1 0\n dma_sync_device p1 from_device\n"
		   " dma_sync_cpu p1 from_device\n write p1 0 1\n read p1 0\n dma_sync_device p1 from_device\n"
		   " dma_unmap p1 to_device\n dma_unmap p1 from_device\n",
		   "A: dma_map p1 from_device 32 32; dev_write p1 32 0x07 32; kmap p1; dma_sync_cpu p1 from_device;"
		   " read p1 0; dma_sync_device p1 from_device; dma_unmap p1 from_device; kunmap p1");
	expect_ops(X86 "task A cpu=0:\n dma_map_sg p1,p2,p1 to_device\n dma_map_sg p1,p2 to_device\n"
		   " dev_read p2 3\n kmap p2\n read p2 0\n dma_unmap_sg p2,p1 from_device\n read p2 0\n",
		   "A: dma_map_sg p1,p2 to_device; dev_read p2 3; kmap p2; dma_unmap_sg p1,p2 to_device; read p2 0;"
		   " kunmap p2");
	expect_ops(X86 "task A cpu=0:\n dma_map p1 to_device\n dma_sync_cpu p1 from_device\n dma_unmap p2 to_device\n",
		   "A: dma_map p1 to_device; dma_sync_cpu p1 to_device; dma_unmap p1 to_device");
	expect_ops(X86 "task A cpu=0:\n dma_map p1 bidirectional\n dma_sync_cpu p1 bidirectional\n kmap p1\n"
		   " read p1 0\n write p1 0 1\n user_write p1 0 1\n flush_dcache_page p1\n",
		   "A: dma_map p1 bidirectional; dma_sync_cpu p1 bidirectional; kmap p1; read p1 0;"
		   " flush_dcache_page p1; dma_unmap p1 bidirectional; kunmap p1");
	/* R9: one zone per buffer. */
	expect_ops(X86 "config: lowmem=4\ntask A cpu=0:\n dma_map l3 to_device 0 512\n dma_map l2 to_device 0 512\n",
		   "A: dma_map l2 to_device 0 512; dma_unmap l2 to_device");
	/* R10, R11: the config. */
	expect_ops(ARM30 "config: speculate=1\ntask A cpu=0:\n yield\n", "A: yield");
	T_CHECK(CFG(&s1.cfg, speculate) == 0 && CFG(&s1.cfg, steps) == hmr_opts[HMR_OPT_steps].hi,
		"speculate %d steps %d", CFG(&s1.cfg, speculate), CFG(&s1.cfg, steps));
	expect_ops(ARM37 "config: speculate=1\ntask A cpu=0:\n yield\n", "A: yield");
	T_CHECK(CFG(&s1.cfg, speculate) == 1, "VIPT with unmap-time maintenance keeps speculation");
	tidy_text("profile: mips-3.1\nconfig: speculate=1 cache=vivt\ntask A cpu=0:\n yield\n");
	T_CHECK(CFG(&s1.cfg, speculate) == 0 && CFG(&s1.cfg, cache) == 0 && !(s1.cfg_set & (1u << HMR_OPT_cache)),
		"mips-3.1: speculate %d cache %d", CFG(&s1.cfg, speculate), CFG(&s1.cfg, cache));
	tidy_text(X86 "config: speculate=1 cache=vipt-alias\ntask A cpu=0:\n yield\n");
	T_CHECK(CFG(&s1.cfg, speculate) == 1 && CFG(&s1.cfg, cache) == 0, "x86: the device snoops");
	tidy_text("profile: xtensa-3.17\nconfig: cache=vipt-alias\ntask A cpu=0:\n yield\n");
	T_CHECK(CFG(&s1.cfg, cache) == CACHE_VIPT_ALIAS, "xtensa keeps its aliasing cache");
	tidy_text(ARM30 "config: cpus=2 tlb=ipi\ntask A cpu=0:\n yield\n");
	T_CHECK(CFG(&s1.cfg, tlb) == 0, "HIGH_GET SMP: tlb %d", CFG(&s1.cfg, tlb));
	tidy_text(ARM30 "config: cpus=1 tlb=ipi\ntask A cpu=0:\n yield\n");
	T_CHECK(CFG(&s1.cfg, tlb) == TLB_IPI, "one CPU sends no IPI");
	/* R12: the end of a task; room for the releases. */
	expect_ops(X86 "task A cpu=0:\n kmap p1\n irq_disable\n preempt_disable\n kmap_atomic p2\n"
		   " dma_map p3 to_device\n",
		   "A: kmap p1; irq_disable; preempt_disable; kmap_atomic p2; dma_map p3 to_device;"
		   " kunmap_atomic p2; dma_unmap p3 to_device; irq_enable; preempt_enable; kunmap p1");
	{
		static char scn[64 + 17 * HMR_MAX_OPS] = X86 "task A cpu=0:\n";
		size_t at = strlen(scn);

		for (int i = 0; i < HMR_MAX_OPS; i++, at += 17)
			memcpy(scn + at, " preempt_disable\n", 18);
		tidy_text(scn);	/* half of them kept, each with its preempt_enable */
		T_CHECK(hmr_script_is_tidy(&s1), "%d preempt_disable: not idempotent", HMR_MAX_OPS);
		T_CHECK(s1.task[0].nops == HMR_MAX_OPS &&
			s1.task[0].ops[HMR_MAX_OPS / 2 - 1].code == HMR_OP_preempt_disable &&
			s1.task[0].ops[HMR_MAX_OPS / 2].code == HMR_OP_preempt_enable, "%s", ops_str(&s1));
	}
	expect_ops(X86 "task A cpu=0:\n kmap p1\n write p1 0 1\n kunmap p1\n write p1 0 2\n",
		   "A: kmap p1; write p1 0 0x01; kunmap p1");
	expect_ops(X86 "task A cpu=0:\n irq_enable\n", "A: yield");
	/* R14: set_uncached. */
	expect_ops(X86 "task A cpu=0:\n kmap p1\n set_uncached p1\n kunmap p1\n set_uncached p1\n kmap_atomic p1\n"
		   " user_write p1 0 1\n",
		   "A: kmap p1; kunmap p1; set_uncached p1; user_write p1 0 0x01");
	expect_ops(X86 "config: cpus=2\ntask A cpu=0:\n set_uncached p1\ntask B cpu=1:\n kmap p1\n kunmap p1\n",
		   "A: yield | B: kmap p1; kunmap p1");
	expect_ops(ARM37 "task A cpu=0:\n set_uncached p1\n", "A: yield");
	/* 2.6.26's CPA leaves the lazy pkmap alias: the driver's call stays (E9). */
	expect_ops("profile: x86-2.6.26\ntask A cpu=0:\n kmap p1\n write p1 0 1\n kunmap p1\n set_uncached p1\n",
		   "A: kmap p1; write p1 0 0x01; kunmap p1; set_uncached p1");
	/* R15: VIVT (arm-2.6.30's own cache). */
	expect_ops(ARM30 "task A cpu=0:\n kmap p1\n kmap_atomic p1\n kunmap p1\n kmap_atomic p1\n kmap_atomic p2\n"
		   " kunmap_atomic p2\n kmap p2\n",
		   "A: kmap p1; kmap_atomic p1; kmap_atomic p2 KM_USER1; kunmap_atomic p2; kunmap_atomic p1; kunmap p1");
	expect_ops(ARM37 "config: cache=vivt\ntask A cpu=0:\n kmap p1\n kmap_atomic p1\n kunmap p1\n kmap_atomic p1\n",
		   "A: kmap p1; kmap_atomic p1; kunmap_atomic p1; kunmap p1");
	expect_ops(ARM30 "config: cpus=2\ntask A cpu=0:\n kmap p1\n write p1 0 1\n kunmap p1\n"
		   "task B cpu=1:\n kmap p1\n read p1 0\n kunmap p1\n user_write p1 0 1\n user_write p2 0 1\n",
		   "A: kmap p1; write p1 0 0x01; kunmap p1 | B: kmap p1; kunmap p1; user_write p2 0 0x01");
	expect_ops(ARM30 "config: cache=vipt\ntask A cpu=0:\n kmap_atomic p1\n dma_map p1 to_device\n kunmap_atomic p1\n"
		   " user_write p1 0 1\n dma_map p1 to_device\n",
		   "A: kmap_atomic p1; kunmap_atomic p1; dma_map p1 to_device; dma_unmap p1 to_device");
	/* ARM 2.6.30: kmap, kunmap, then kmap_atomic of the page is legal (E12). */
	expect_ops(ARM30 "task A cpu=0:\n kmap p1\n write p1 0 1\n kunmap p1\n kmap_atomic p1\n read p1 0\n",
		   "A: kmap p1; write p1 0 0x01; kunmap p1; kmap_atomic p1; read p1 0; kunmap_atomic p1");
	/* flush_dcache_page of any page a task may touch, mapped or not: on ARM
	 * 2.6.30 through an unpinned page_address() (E14b). */
	expect_ops(ARM30 "task A cpu=0:\n kmap p1\n kunmap p1\n flush_dcache_page p1\n",
		   "A: kmap p1; kunmap p1; flush_dcache_page p1");
	expect_ops("profile: mips-3.1\ntask A cpu=0:\n flush_dcache_page p1\n flush_dcache_page l0\n",
		   "A: flush_dcache_page p1; flush_dcache_page l0");
	/* R13: hardware lines that lost their op go. */
	{
		const char *scn = X86 "config: cpus=2 speculate=1\ntask A cpu=0:\n irq_enable\n kmap p1\n read p1 0\n"
				      "task B cpu=1:\n kmap p2\n kunmap p2\nschedule:\n A\n"
				      " speculate 0xff000000 by A before op 3\n speculate 0xff000000 by B before op 2\n";
		char err[512];

		T_CHECK(!hmr_scn_parse(scn, strlen(scn), "r13", &s1, err, sizeof(err)), "%s", err);
		hmr_script_tidy(&s1);
		T_CHECK(s1.nsched == 2 && s1.sched[1].task == 1, "nsched %d", s1.nsched);
	}
}

/* ---- (d) no finding on the fixed profiles ------------------------------------- */

static void run_profile(const char *name, long runs)
{
	static uint8_t b[1500];
	int prof = hmr_profile_lookup(name, (int)strlen(name));
	long failed = 0, ops = 0, execs = 0;

	T_CHECK(prof >= 0, "no profile %s", name);
	if (prof < 0)
		return;
	for (long i = 0; i < runs; i++) {
		struct hmr_explore_opts o;
		const uint8_t *dec;
		size_t ndec, n = t_random_input(b, sizeof(b));

		hmr_bin_decode(b, n, "rnd", &s3, &dec, &ndec);
		s3.profile = prof;
		s3.switches = 0;
		hmr_script_tidy(&s3);
		for (int t = 0; t < s3.ntasks; t++)
			ops += s3.task[t].nops;
		memset(&o, 0, sizeof(o));
		o.strategy = STRAT_BYTES;
		o.bytes = dec;
		o.nbytes = ndec;
		o.runs = 1;
		hmr_explore(&s3, &o, &res);
		if (res.kind < 0 && !res.input_error && !res.rig_fail && i % 8 == 0) {
			/* a few random schedules too */
			memset(&o, 0, sizeof(o));
			o.strategy = STRAT_RANDOM;
			o.runs = 3;
			o.seed = (uint64_t)i + 1;
			hmr_explore(&s3, &o, &res);
		}
		execs += res.executions;
		if (res.kind < 0 && !res.input_error && !res.rig_fail)
			continue;
		if (!failed++) {
			char why[512];
			hmr_scn_print(&s3, text, sizeof(text));
			printf("---- %s: input %ld gives %s\n%s", name, i,
			       res.kind >= 0 ? res.title : res.err, text);
			if (res.kind >= 0)
				printf("%s", res.report);
			T_CHECK(!reparse(&s3, &s2, why, sizeof(why)), "%s", why);
		}
	}
	printf("%s: %ld tidy scripts, %ld executions, %.1f ops per script, %ld with a finding\n",
	       name, runs, execs, runs ? (double)ops / (double)runs : 0.0, failed);
	T_CHECK(failed == 0, "%s: %ld of %ld tidy scripts gave a finding", name, failed, runs);
}

static void test_no_findings(void)
{
	/* Not arm-2.6.30 nor x86-2.6.26: tidy scripts find their era's own
	 * bugs (E12, E14b; E9) there, as they should. */
	static const char *const fixed[] = { "arm-2.6.35", "arm-2.6.37", "arm-6.1", "mips-3.1", "mips-6.1", "x86-6.1" };
	const char *env = getenv("HMR_TIDY_RUNS");
	long runs = env ? atol(env) : 3000;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		run_profile(fixed[i], runs);
}

int main(void)
{
	t_rng = 0x7469647921ull;	/* this test's stream */
	const char *seed = getenv("HMR_TIDY_SEED");

	if (seed)
		t_rng = strtoull(seed, NULL, 0);
	test_cases();
	test_random_scripts();
	test_catalogue();
	test_no_findings();
	return T_DONE();
}
