/* test_scn.c - the scenario parser and printer (scn_parse.c, scn_print.c).
 *
 * 1. The E11 example scenario (README "Scenario files") parses to the fields it says.
 * 2. Printing is canonical: print -> parse -> print is byte-identical and the
 *    scripts are equal, for scenarios that cover every op shape and header key.
 * 3. Hundreds of malformed inputs, each made from a valid scenario by one
 *    mutation that cannot leave it valid, are refused with "file:L:C: error: "
 *    and L (and C where the mutation fixes it) pointing at the mutation.
 * 4. Random bytes and random edits of valid scenarios never crash the parser,
 *    and whatever it accepts round-trips.
 * 5. hmr_scn_load: missing, unreadable and oversized files. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "t.h"
#include "format/script.h"
#include "format/config.h"
#include "format/kind.h"
#include "format/profile.h"
#include "format/site.h"

static const struct {
	const char *name;
	int shape;
} ops[HMR_OP__N] = {
#define OP(id, name, shape, help) { name, shape },
#include "format/ops.def"
#undef OP
};

static struct hmr_script s1, s2;	/* big: keep them off the stack */
static char t1[1 << 16], t2[1 << 16];

/* ---- equality and round trips ------------------------------------------ */

static int op_eq(const struct hmr_op *a, const struct hmr_op *b)
{
	return a->code == b->code && a->dir == b->dir && a->ktype == b->ktype &&
	       a->npages == b->npages && a->has_range == b->has_range && a->val == b->val &&
	       !memcmp(a->page, b->page, sizeof(a->page)) && a->off == b->off && a->len == b->len;
}

/* Every field but positions and the file name. */
static int script_eq(const struct hmr_script *a, const struct hmr_script *b)
{
	if (strcmp(a->title, b->title) || strcmp(a->question, b->question) ||
	    a->profile != b->profile || a->switches != b->switches ||
	    memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)) || a->cfg_set != b->cfg_set ||
	    a->expect != b->expect || a->has_explore != b->has_explore ||
	    a->explore.strategy != b->explore.strategy || a->explore.bound != b->explore.bound ||
	    a->explore.depth != b->explore.depth || a->explore.runs != b->explore.runs ||
	    a->explore.seed != b->explore.seed || a->ntasks != b->ntasks ||
	    a->has_schedule != b->has_schedule || a->nsched != b->nsched ||
	    a->has_decisions != b->has_decisions || a->ndecisions != b->ndecisions ||
	    memcmp(a->decisions, b->decisions, (size_t)a->ndecisions))
		return 0;
	for (int i = 0; i < a->ntasks; i++) {
		const struct hmr_task_def *x = &a->task[i], *y = &b->task[i];

		if (memcmp(x->name, y->name, sizeof(x->name)) || x->cpu != y->cpu ||
		    x->ctx != y->ctx || x->nops != y->nops)
			return 0;
		for (int k = 0; k < x->nops; k++)
			if (!op_eq(&x->ops[k], &y->ops[k]))
				return 0;
	}
	for (int i = 0; i < a->nsched; i++)
		if (a->sched[i].task != b->sched[i].task || a->sched[i].site != b->sched[i].site ||
		    a->sched[i].count != b->sched[i].count)
			return 0;
	return 1;
}

/* s1 must already hold a parsed script. Returns 1 if print -> parse -> print is
 * stable and the scripts are equal. */
static int roundtrip_s1(const char *what, int verbose)
{
	char err[512];
	int n1, n2;

	n1 = hmr_scn_print(&s1, t1, sizeof(t1));
	if (n1 <= 0 || (size_t)n1 >= sizeof(t1)) {
		if (verbose)
			fprintf(stderr, "%s: print gave %d\n", what, n1);
		return 0;
	}
	if (hmr_scn_parse(t1, (size_t)n1, "rt.scn", &s2, err, sizeof(err))) {
		if (verbose)
			fprintf(stderr, "%s: printed text does not parse: %s\n%s", what, err, t1);
		return 0;
	}
	if (!script_eq(&s1, &s2)) {
		if (verbose)
			fprintf(stderr, "%s: reparsed script differs\n%s", what, t1);
		return 0;
	}
	n2 = hmr_scn_print(&s2, t2, sizeof(t2));
	if (n1 != n2 || memcmp(t1, t2, (size_t)n1)) {
		if (verbose)
			fprintf(stderr, "%s: second print differs\n%s---\n%s", what, t1, t2);
		return 0;
	}
	return 1;
}

static int parse_str(const char *text, struct hmr_script *s, char *err, int errsz)
{
	return hmr_scn_parse(text, strlen(text), "t.scn", s, err, errsz);
}

/* ---- scenarios --------------------------------------------------------- */

static const char design_example[] =
	"# comments run to end of line\n"
	"title:    E11 -- DMA invalidate loop vs. pkmap slot recycling\n"
	"question: Can dma_map_page() discard another page's dirty lines after its slot is reused?\n"
	"profile:  arm-2.6.30\n"
	"switch:   dma_use_page_address    # the ARM highmem series before the 2009 pinning fix\n"
	"config:   cpus=1 last_pkmap=4 highmem=8 page_size=256 line_size=32 cache=vivt\n"
	"expect:   lost-write\n"
	"explore:  exhaustive bound=2\n"
	"\n"
	"task A cpu=0:\n"
	"    kmap p1                      # slot 1; kunmap leaves it mapped (count 1)\n"
	"    kunmap p1\n"
	"    dma_map p1 from_device       # invalidates through page_address(p1), unpinned\n"
	"    dma_unmap p1 from_device\n"
	"\n"
	"task B cpu=0:\n"
	"    kmap p2\n"
	"    kunmap p2\n"
	"    kmap p3\n"
	"    kunmap p3\n"
	"    kmap p4                      # cursor wraps: flush_all_zero_pkmaps frees slot 1\n"
	"    kunmap p4\n"
	"    kmap p5                      # p5 gets slot 1, the VA that A is still invalidating\n"
	"    write p5 0 0x55 256\n"
	"    kunmap p5\n"
	"\n"
	"schedule:\n"
	"    A until dma_inv_line#2\n"
	"    B\n"
	"    A\n";

/* Every op and shape, every header key, every config key, non-default explore. */
static const char all_ops[] =
	"title:    every op shape\n"
	"question: does every op print back the way it parsed?\n"
	"profile:  arm-2.6.35\n"
	"switch:   map_only_maintenance vipt_skip_unmapped\n"
	"config:   cpus=3 last_pkmap=8 highmem=16 lowmem=4 page_size=512 line_size=64 "
	"cache=vipt-alias colors=4 tlb=ipi speculate=1 evict=1 steps=5000\n"
	"expect:   none\n"
	"explore:  pct depth=5 runs=77 seed=18446744073709551615\n"
	"\n"
	"task A cpu=0:\n"
	"    kmap p0\n"
	"    kmap_atomic p1 KM_USER1\n"
	"    kmap_atomic p2\n"
	"    kmap_local l1\n"
	"    kmap_high_get p3\n"
	"    write p0 0 0x55 512\n"
	"    write p1 3 7\n"
	"    read p0 10 20\n"
	"    read p2 511\n"
	"    kunmap p0\n"
	"    kunmap_atomic p1\n"
	"    kunmap_local l1\n"
	"    flush_unused\n"
	"    flush_dcache_page p4\n"
	"    dma_map p5 to_device\n"
	"    dma_map p5 bidirectional 100 1000\n"
	"    dma_unmap p5 to_device\n"
	"    dma_sync_cpu p5 from_device\n"
	"    dma_sync_device p6 bidirectional\n"
	"    dma_map_sg p1,p2, p3,l0 from_device\n"
	"    dma_unmap_sg p1 to_device\n"
	"    dev_write l2 5 0xff 10\n"
	"    dev_read p7 0\n"
	"    set_uncached p8\n"
	"    user_write p9 4 200\n"
	"    user_read l3 0x1f\n"
	"    irq_disable\n"
	"    irq_enable\n"
	"    preempt_disable\n"
	"    preempt_enable\n"
	"    yield\n"
	"\n"
	"task irq cpu=2 context=hardirq:\n"
	"    kmap_atomic p15 KM_IRQ0\n"
	"    read p15 0\n"
	"\n"
	"task B_2 cpu=1 context=softirq:\n"
	"    yield\n"
	"\n"
	"schedule:\n"
	"    A until dma_inv_line#3\n"
	"    irq\n"
	"    B_2 until op_begin\n"
	"    A\n";

/* Headers after and between tasks, CRLF, tabs, comments, hex, odd spacing. */
static const char loose[] =
	"# a scenario written by a hurried person\r\n"
	"task\tT1 context=softirq\tcpu=0x1 :   # options in any order\r\n"
	"\tkmap_local\tl0\r\n"
	"\t\twrite l0 0x10 0x7f 1   # LEN 1 is the default\r\n"
	"  \r\n"
	"profile: mips-3.1\r\n"
	"expect: stale-read\r\n"
	"task _t2 cpu=0:\r\n"
	"    dma_map_sg p0 , p1,p2 to_device\r\n"
	"    dma_unmap_sg p0,p1,p2 to_device\r\n"
	"explore: random seed=0 runs=10000000\r\n"
	"switch: km_type_shared_slot\r\n"
	"switch: test_unlocked_count\r\n"
	"schedule:\r\n"
	"    _t2 until dma_inv_line #2 is a comment here\r\n"
	"    T1 until op_begin#0x10\r\n"
	"config: cpus=2 cache=pipt\r\n";

static const char with_schedule[] =
	"profile: x86-6.1\n"
	"explore: schedule\n"
	"config: highmem=64 lowmem=64 page_size=4096 line_size=256 last_pkmap=512 colors=8\n"
	"task P cpu=1:\n"
	"    kmap_atomic p63 KM_L1_CACHE\n"
	"    kmap l63\n"
	"    write p63 4095 0\n"
	"    read l63 0 4096\n"
	"    dma_map p62 from_device 4095 4097\n"
	"task Q cpu=0 context=process:\n"
	"    preempt_disable\n"
	"schedule:\n"
	"    P until pkmap_scan#65535\n"
	"    Q until cpa_set_attr\n"
	"    P until op_begin#1\n";

/* The canonical print of a decisions: block: ten entries a line, only
 * nonzero ranks. */
static const char with_decisions[] =
	"profile:  x86-6.1\n"
	"expect:   kmap-leak\n"
	"\n"
	"task A cpu=0:\n"
	"    kmap p1\n"
	"\n"
	"task B cpu=1:\n"
	"    yield\n"
	"\n"
	"decisions:\n"
	"    0:1 2:1 3:2 5:1 8:1 13:1 21:1 34:1 55:1 89:1\n"
	"    144:1 233:1 377:1 610:1 987:1 1597:1 2584:1 4181:1 6765:1 10946:1\n"
	"    17711:1 28657:1 46368:15 65535:1\n";

static const char exhaustive_opts[] =
	"profile: xtensa-3.17\n"
	"explore: exhaustive bound=0 runs=5\n"
	"task A cpu=0:\n"
	"    yield\n";

static const char minimal[] = "profile: arm-6.1\ntask a cpu=0:\n yield";

/* ---- 1. the example ---------------------------------------------------- */

static void test_design_example(void)
{
	struct hmr_script *s = &s1;
	char err[512];
	int r = parse_str(design_example, s, err, sizeof(err));

	T_CHECK(r == 0, "%s", err);
	if (r)
		return;
	T_CHECK(!strcmp(s->file, "t.scn"), "%s", s->file);
	T_CHECK(!strcmp(s->title, "E11 -- DMA invalidate loop vs. pkmap slot recycling"), "%s", s->title);
	T_CHECK(!strncmp(s->question, "Can dma_map_page() discard", 26) &&
		s->question[strlen(s->question) - 1] == '?', "%s", s->question);
	T_CHECK(s->profile == hmr_profile_lookup("arm-2.6.30", 10), "%d", s->profile);
	T_CHECK(s->switches == 1u << SW_dma_use_page_address, "%x", s->switches);
	T_CHECK(CFG(&s->cfg, cpus) == 1 && CFG(&s->cfg, last_pkmap) == 4 &&
		CFG(&s->cfg, highmem) == 8 && CFG(&s->cfg, page_size) == 256 &&
		CFG(&s->cfg, line_size) == 32 && CFG(&s->cfg, cache) == CACHE_VIVT,
		"config %d %d %d", CFG(&s->cfg, cpus), CFG(&s->cfg, highmem), CFG(&s->cfg, cache));
	T_CHECK(CFG(&s->cfg, lowmem) == hmr_opts[HMR_OPT_lowmem].def, "default lowmem");
	T_CHECK(s->cfg_set == (1u << HMR_OPT_cpus | 1u << HMR_OPT_last_pkmap | 1u << HMR_OPT_highmem |
			       1u << HMR_OPT_page_size | 1u << HMR_OPT_line_size | 1u << HMR_OPT_cache),
		"cfg_set %x", s->cfg_set);
	T_CHECK(s->expect == HMR_K_lost_write, "%d", s->expect);
	T_CHECK(s->has_explore && s->explore.strategy == STRAT_EXHAUSTIVE && s->explore.bound == 2 &&
		s->explore.runs == 0, "explore");
	T_CHECK(s->ntasks == 2, "%d", s->ntasks);
	T_CHECK(!strcmp(s->task[0].name, "A") && s->task[0].cpu == 0 &&
		s->task[0].ctx == CTX_PROCESS && s->task[0].nops == 4 && s->task[0].line == 10,
		"task A line %d nops %d", s->task[0].line, s->task[0].nops);
	T_CHECK(!strcmp(s->task[1].name, "B") && s->task[1].nops == 9 && s->task[1].line == 16,
		"task B");
	{
		const struct hmr_op *o = &s->task[0].ops[0];

		T_CHECK(o->code == HMR_OP_kmap && o->page[0] == 1 && o->npages == 1 &&
			o->line == 11 && o->col == 5, "kmap p1 at %d:%d", o->line, o->col);
		o = &s->task[0].ops[2];
		T_CHECK(o->code == HMR_OP_dma_map && o->dir == DMA_FROM_DEVICE && !o->has_range &&
			o->off == 0 && o->len == 0 && o->line == 13, "dma_map");
		o = &s->task[1].ops[7];
		T_CHECK(o->code == HMR_OP_write && o->page[0] == 5 && o->off == 0 &&
			o->val == 0x55 && o->len == 256 && o->line == 24, "write");
	}
	T_CHECK(s->has_schedule && s->nsched == 3, "nsched %d", s->nsched);
	T_CHECK(s->sched[0].task == 0 && s->sched[0].site == HMR_SITE_dma_inv_line &&
		s->sched[0].count == 2 && s->sched[0].line == 28 && s->sched[0].col == 5, "sched 0");
	T_CHECK(s->sched[1].task == 1 && s->sched[1].site == -1 && s->sched[1].count == 1, "sched 1");
	T_CHECK(s->sched[2].task == 0 && s->sched[2].site == -1, "sched 2");

	/* The canonical form of the example. */
	r = hmr_scn_print(s, t1, sizeof(t1));
	T_CHECK(r > 0 && strstr(t1, "title:    E11 --") == t1, "%s", t1);
	T_CHECK(strstr(t1, "\nswitch:   dma_use_page_address\n") != NULL, "%s", t1);
	T_CHECK(strstr(t1, "\nconfig:   cpus=1 last_pkmap=4 highmem=8 page_size=256 line_size=32 "
		       "cache=vivt\n") != NULL, "%s", t1);
	T_CHECK(strstr(t1, "\nexplore:  exhaustive\n\ntask A cpu=0:\n    kmap p1\n") != NULL, "%s", t1);
	T_CHECK(strstr(t1, "\n    write p5 0 0x55 256\n") != NULL, "%s", t1);
	T_CHECK(strstr(t1, "\n\nschedule:\n    A until dma_inv_line#2\n    B\n    A\n") != NULL,
		"%s", t1);
}

/* ---- 2. printing ------------------------------------------------------- */

static void test_roundtrips(void)
{
	static const struct { const char *name, *text; } sc[] = {
		{ "design", design_example }, { "all_ops", all_ops }, { "loose", loose },
		{ "with_schedule", with_schedule }, { "exhaustive_opts", exhaustive_opts },
		{ "with_decisions", with_decisions },
		{ "minimal", minimal },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		int r = parse_str(sc[i].text, &s1, err, sizeof(err));

		T_CHECK(r == 0, "%s: %s", sc[i].name, err);
		if (!r)
			T_CHECK(roundtrip_s1(sc[i].name, 1), "%s", sc[i].name);
	}

	/* Spot checks of the loose spelling. */
	parse_str(loose, &s1, err, sizeof(err));
	T_CHECK(s1.task[0].ctx == CTX_SOFTIRQ && s1.task[0].cpu == 1 &&
		s1.task[0].ops[1].off == 16 && s1.task[0].ops[1].val == 0x7f &&
		s1.task[0].ops[1].len == 0, "loose T1");
	T_CHECK(s1.task[1].ops[0].npages == 3 && s1.task[1].ops[0].page[2] == 2, "loose sg");
	T_CHECK(s1.sched[0].count == 1 && s1.sched[1].count == 16 &&
		s1.sched[1].site == HMR_SITE_op_begin, "loose schedule");
	T_CHECK(s1.explore.strategy == STRAT_RANDOM && s1.explore.seed == 0 &&
		s1.explore.runs == 10000000, "loose explore");
	T_CHECK(s1.switches == (1u << SW_km_type_shared_slot | 1u << SW_test_unlocked_count), "switch");
	T_CHECK(s1.task[0].line == 2 && s1.task[0].ops[1].line == 4 && s1.task[0].ops[1].col == 3,
		"loose positions %d:%d", s1.task[0].ops[1].line, s1.task[0].ops[1].col);
	parse_str(all_ops, &s1, err, sizeof(err));
	T_CHECK(s1.explore.seed == UINT64_MAX && s1.explore.depth == 5 && s1.expect == HMR_EXPECT_NONE,
		"all_ops explore");
	T_CHECK(s1.task[0].ops[1].ktype == KM_USER1 && s1.task[0].ops[2].ktype == KM_DEFAULT &&
		s1.task[0].ops[3].page[0] == (HMR_LOWMEM | 1), "all_ops kmap_atomic");
	T_CHECK(s1.task[0].ops[15].has_range && s1.task[0].ops[15].off == 100 &&
		s1.task[0].ops[15].len == 1000, "all_ops dma range");

	/* snprintf semantics: never past bufsz, always terminated, full length back. */
	{
		char small[300];
		int full = hmr_scn_print(&s1, t1, sizeof(t1)), bad = 0;

		for (size_t sz = 0; sz < sizeof(small) - 8; sz += 7) {
			memset(small, 'Z', sizeof(small));
			if (hmr_scn_print(&s1, small, sz) != full || small[sz] != 'Z')
				bad++;
			else if (sz && (small[sz - 1] != 0 || memcmp(small, t1, sz - 1)))
				bad++;
		}
		T_CHECK(!bad && hmr_scn_print(&s1, NULL, 0) == full, "truncated prints: %d bad", bad);
	}
	{
		struct hmr_op op = { .code = HMR_OP_dma_map_sg, .npages = 2, .page = { 3, HMR_LOWMEM | 2 },
				     .dir = DMA_TO_DEVICE };
		char b[64], c[4];

		T_CHECK(hmr_op_print(&op, b, sizeof(b)) == 26 && !strcmp(b, "dma_map_sg p3,l2 to_device"),
			"%s", b);
		T_CHECK(hmr_op_print(&op, c, sizeof(c)) == 26 && !strcmp(c, "dma"), "%s", c);
		op = (struct hmr_op){ .code = HMR_OP_kmap_atomic, .page = { 7 }, .npages = 1,
				      .ktype = KM_SOFTIRQ1 };
		hmr_op_print(&op, b, sizeof(b));
		T_CHECK(!strcmp(b, "kmap_atomic p7 KM_SOFTIRQ1"), "%s", b);
	}
	{
		char pn[8];

		T_CHECK(!strcmp(hmr_page_name(HMR_LOWMEM | 63, pn), "l63") &&
			!strcmp(hmr_page_name(0, pn), "p0"), "page names");
	}

	/* Header placement does not matter: the same script prints the same way. */
	{
		static const char a[] = "profile: arm-6.1\nexpect: bug-on\ntask A cpu=0:\n yield\n";
		static const char b[] = "task A cpu=0:\n yield\nexpect: bug-on\nprofile: arm-6.1\n";

		parse_str(a, &s1, err, sizeof(err));
		hmr_scn_print(&s1, t1, sizeof(t1));
		T_CHECK(parse_str(b, &s2, err, sizeof(err)) == 0 && script_eq(&s1, &s2), "%s", err);
		hmr_scn_print(&s2, t2, sizeof(t2));
		T_CHECK(!strcmp(t1, t2), "%s---\n%s", t1, t2);
	}
	/* A title may start with '#' when glued to the colon; it must print that way. */
	T_CHECK(parse_str("profile: arm-6.1\ntitle:#3 again  # comment\n", &s1, err, sizeof(err)) == 0 &&
		!strcmp(s1.title, "#3 again") && roundtrip_s1("title #", 1), "%s", err);
	/* No tasks at all is a (useless) valid script; it prints and parses back. */
	T_CHECK(parse_str("profile: arm-6.1\n", &s1, err, sizeof(err)) == 0 &&
		roundtrip_s1("no tasks", 1), "%s", err);
}

/* ---- 2b. decisions: blocks --------------------------------------------- */

/* text parses, and its script prints as want (NULL: as text itself). */
static void dec_prints(const char *text, const char *want)
{
	char err[512];
	int r = parse_str(text, &s1, err, sizeof(err));

	T_CHECK(r == 0, "%s", err);
	if (r)
		return;
	hmr_scn_print(&s1, t1, sizeof(t1));
	T_CHECK(!strcmp(t1, want ? want : text), "printed\n%s---\nwant\n%s", t1, want ? want : text);
	T_CHECK(roundtrip_s1("decisions", 1), "%s", text);
}

static void test_decisions(void)
{
	static const char head[] = "profile:  x86-6.1\n\ntask A cpu=0:\n    yield\n\n";
	char a[512], b[512], err[512];

	/* Canonical text comes back byte for byte. */
	dec_prints(with_decisions, NULL);
	parse_str(with_decisions, &s1, err, sizeof(err));
	T_CHECK(s1.has_decisions && !s1.has_schedule && s1.ndecisions == 65536 && s1.decisions[3] == 2 &&
		s1.decisions[4] == 0 && s1.decisions[46368] == 15 && s1.dec_line == 10,
		"ndecisions %d", s1.ndecisions);
	/* The --decisions= form on the key's line, commas, blank lines and
	 * comments print canonically; trailing rank-0 entries say nothing. */
	snprintf(a, sizeof(a), "%sdecisions: 4:1,9:2,  12:0 # x\n\n    20:3,\n    31:0\n", head);
	snprintf(b, sizeof(b), "%sdecisions:\n    4:1 9:2 20:3\n", head);
	dec_prints(a, b);
	T_CHECK(s1.ndecisions == 21, "ndecisions %d", s1.ndecisions);
	/* Only defaults: "0:0", the block's one form without a choice. */
	snprintf(a, sizeof(a), "%sdecisions: 7:0\n", head);
	snprintf(b, sizeof(b), "%sdecisions:\n    0:0\n", head);
	dec_prints(a, b);
	T_CHECK(s1.has_decisions && s1.ndecisions == 0, "ndecisions %d", s1.ndecisions);
	/* Exactly ten entries: no empty line after them. */
	snprintf(a, sizeof(a), "%sdecisions:\n    1:1 2:1 3:1 4:1 5:1 6:1 7:1 8:1 9:1 10:1\n", head);
	dec_prints(a, NULL);
	/* explore: schedule follows it, as a schedule: block. */
	snprintf(a, sizeof(a), "profile:  x86-6.1\nexplore:  schedule\n\ntask A cpu=0:\n    yield\n\n"
		 "decisions:\n    0:1\n");
	dec_prints(a, NULL);
	/* Copies carry it; a cleared script has none. */
	parse_str(with_decisions, &s1, err, sizeof(err));
	hmr_script_copy(&s2, &s1);
	T_CHECK(script_eq(&s1, &s2), "copy");
	hmr_script_clear(&s2);
	T_CHECK(!s2.has_decisions && !s2.ndecisions, "clear");
}

/* ---- 3. malformed inputs ----------------------------------------------- */

#define ML ((HMR_MAX_SCHED > HMR_MAX_OPS ? HMR_MAX_SCHED : HMR_MAX_OPS) + 200)	/* room for one line too many */

struct line {
	const char *s;
	size_t n;
};

struct doc {
	int n;
	struct line l[ML];
};

static char joined[1 << 16];
static uint64_t mut_hash[8192];
static int nmut, mut_bad;

static void doc_split(struct doc *d, const char *text)
{
	const char *p = text, *nl;

	d->n = 0;
	while (*p && d->n < ML) {
		nl = strchr(p, '\n');
		d->l[d->n].s = p;
		d->l[d->n].n = nl ? (size_t)(nl - p) : strlen(p);
		d->n++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static size_t doc_join(const struct doc *d, int crlf)
{
	size_t o = 0;

	for (int i = 0; i < d->n; i++) {
		if (o + d->l[i].n + 2 >= sizeof(joined))
			break;
		memcpy(joined + o, d->l[i].s, d->l[i].n);
		o += d->l[i].n;
		if (crlf)
			joined[o++] = '\r';
		joined[o++] = '\n';
	}
	return o;
}

/* Mutated lines live in a ring of buffers; a mutant uses only a few. */
static char *scratch(void)
{
	static char ring[16][1024];
	static int next;

	return ring[next++ % 16];
}

static struct line mkline(const char *fmt, ...)
{
	char *b = scratch();
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(b, 1024, fmt, ap);
	va_end(ap);
	return (struct line){ b, k < 0 ? 0 : k >= 1024 ? 1023 : (size_t)k };
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* "mut.scn:L:C: error: M" with M non-empty; gives L and C. */
static int err_format(const char *err, long *line, long *col)
{
	const char *p = err;
	char *end;

	if (strncmp(p, "mut.scn:", 8))
		return 0;
	p += 8;
	if (*p < '0' || *p > '9')
		return 0;
	*line = strtol(p, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9')
		return 0;
	*col = strtol(end + 1, &end, 10);
	return !strncmp(end, ": error: ", 9) && end[9] != 0 && *line >= 1 && *col >= 1;
}

/* The mutant must be refused at line eline (and column ecol unless 0). */
static void expect_error(const struct doc *d, int eline, int ecol, const char *what)
{
	static int crlf;
	char err[512];
	long line = 0, col = 0;
	size_t n = doc_join(d, crlf++ & 1);
	int r = hmr_scn_parse(joined, n, "mut.scn", &s1, err, sizeof(err));
	int ok = r == -1 && err_format(err, &line, &col) && line == eline && (!ecol || col == ecol);

	if (nmut < (int)(sizeof(mut_hash) / sizeof(mut_hash[0])))
		mut_hash[nmut++] = fnv(joined, n);
	if (!ok && mut_bad++ < 20)
		fprintf(stderr, "mutant '%s': r=%d want line %d col %d, got: %s\n", what, r, eline,
			ecol, r ? err : "(accepted)");
	T_CHECK(ok, "mutant '%s'", what);
}

static void mut_replace(const struct doc *d, int i, struct line l, int eline, int ecol)
{
	static struct doc m;

	m = *d;
	m.l[i] = l;
	expect_error(&m, eline ? eline : i + 1, ecol, l.s);
}

static void mut_insert(const struct doc *d, int i, struct line l, int eline)
{
	static struct doc m;

	m.n = 0;
	for (int k = 0; k <= d->n && m.n < ML; k++) {
		if (k == i)
			m.l[m.n++] = l;
		if (k < d->n)
			m.l[m.n++] = d->l[k];
	}
	expect_error(&m, eline ? eline : i + 1, 0, l.s);
}

/* Put byte ch at position at of line i (shifting the rest). */
static void mut_byte(const struct doc *d, int i, size_t at, char ch)
{
	char *b = scratch();
	size_t n = d->l[i].n < 1000 ? d->l[i].n : 1000;

	if (at > n)
		at = n;
	memcpy(b, d->l[i].s, at);
	b[at] = ch;
	memcpy(b + at + 1, d->l[i].s + at, n - at);
	mut_replace(d, i, (struct line){ b, n + 1 }, i + 1, (int)at + 1);
}

/* An op that takes no arguments named by the first n bytes of name. */
static int is_none_op(const char *name, size_t n)
{
	for (int k = 0; k < HMR_OP__N; k++)
		if (ops[k].shape == SH_NONE && strlen(ops[k].name) == n && !memcmp(ops[k].name, name, n))
			return 1;
	return 0;
}

/* Does task t map page before its op oi? */
static int maps_before(const struct hmr_task_def *t, int oi, uint16_t page);

static int is_map_op(int code)
{
	return code == HMR_OP_kmap || code == HMR_OP_kmap_atomic || code == HMR_OP_kmap_local ||
	       code == HMR_OP_kmap_high_get;
}

static int needs_map(int code)
{
	return code == HMR_OP_write || code == HMR_OP_read || code == HMR_OP_kunmap ||
	       code == HMR_OP_kunmap_atomic || code == HMR_OP_kunmap_local;
}

/* The canonical tokens of an op: name, page (or list), the rest by shape. */
static int op_tokens(const struct hmr_op *op, char buf[256], char *tok[8])
{
	int n = 0;
	char *p = buf;

	hmr_op_print(op, buf, 256);
	while (*p && n < 8) {
		tok[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

/* "    " + tokens, with token k replaced by rep (NULL: drop; k == n: append). */
static struct line op_line(char *tok[8], int n, int k, const char *rep)
{
	char *b = scratch();
	size_t o = 0;

	o += (size_t)snprintf(b, 1024, "    ");
	for (int i = 0; i <= n && o < 900; i++) {
		const char *t = i == k ? rep : i < n ? tok[i] : NULL;

		if (t)
			o += (size_t)snprintf(b + o, 1024 - o, "%s%s", i ? " " : "", t);
	}
	return (struct line){ b, o };
}

static const int required[] = {
	[SH_NONE] = 1, [SH_P] = 2, [SH_P_TYPE] = 2, [SH_P_OFF] = 3, [SH_P_OFF_LEN] = 3,
	[SH_P_OFF_VAL] = 4, [SH_P_OFF_VAL_LEN] = 4, [SH_P_DIR] = 3, [SH_P_DIR_RANGE] = 3,
	[SH_PLIST_DIR] = 3,
};

/* Where OFF, VAL, LEN and DIR sit among an op's tokens (0: not in this shape). */
static void arg_slots(int shape, int *off, int *val, int *len, int *dir)
{
	*off = *val = *len = *dir = 0;
	switch (shape) {
	case SH_P_OFF: *off = 2; break;
	case SH_P_OFF_LEN: *off = 2; *len = 3; break;
	case SH_P_OFF_VAL: *off = 2; *val = 3; break;
	case SH_P_OFF_VAL_LEN: *off = 2; *val = 3; *len = 4; break;
	case SH_P_DIR: case SH_PLIST_DIR: *dir = 2; break;
	case SH_P_DIR_RANGE: *dir = 2; *off = 3; *len = 4; break;
	}
}

static void mutate_op(const struct doc *d, const struct hmr_script *s, int ti, int oi)
{
	static const char *const bad_names[] = { "frobnicate", "kmap-atomic", "KMAP" };
	static const char *const bad_pages[] = { "p64", "l64", "p99999999999999999999", "q1", "p",
						 "px1", "P1", "p-1" };
	static const char *const bad_nums[] = { "0x100000000", "-1", "1e3", "0x", "0xg", "+1" };
	static const char *const bad_dirs[] = { "to_dev", "TO_DEVICE", "both", "1" };
	static const char *const bad_types[] = { "KM_USER2", "km_user0", "KM_TYPE_NR" };
	const struct hmr_op *op = &s->task[ti].ops[oi];
	const struct hmr_config *c = &s->cfg;
	int shape = ops[op->code].shape, i = op->line - 1, n, ko, kv, kl, kd;
	int psz = CFG(c, page_size);
	char buf[256], *tok[8];
	size_t len;

	n = op_tokens(op, buf, tok);
	arg_slots(shape, &ko, &kv, &kl, &kd);

	/* Unknown op names, and a name cut short (no SH_NONE op is a prefix of another). */
	for (size_t k = 0; k < sizeof(bad_names) / sizeof(bad_names[0]); k++)
		mut_replace(d, i, op_line(tok, n, 0, bad_names[k]), 0, 5);
	mut_replace(d, i, mkline("    %sx", tok[0]), 0, 5);
	len = strlen(tok[0]) / 2;
	if (!is_none_op(tok[0], len))
		mut_replace(d, i, mkline("    %.*s", (int)len, tok[0]), 0, 0);

	/* Trailing junk, spaced or glued (on the canonical line: no comment to hide in). */
	mut_replace(d, i, op_line(tok, n, n, "zz"), 0, 0);
	mut_replace(d, i, op_line(tok, n, n, ","), 0, 0);
	mut_replace(d, i, op_line(tok, n, n, "@"), 0, 0);
	mut_replace(d, i, mkline("%s#x", op_line(tok, n, -1, NULL).s), 0, 0);

	/* Missing arguments. */
	for (int k = 1; k < required[shape]; k++) {
		char *b = scratch();
		size_t o = (size_t)snprintf(b, 1024, "   ");

		for (int t = 0; t < k; t++)
			o += (size_t)snprintf(b + o, 1024 - o, " %s", tok[t]);
		mut_replace(d, i, (struct line){ b, o }, 0, 0);
	}

	/* Pages: impossible ones, and ones the config does not have. A page of a
	 * mapping op is left alone for the latter, or a later use of the page it
	 * used to map would be the first error. */
	if (shape != SH_NONE) {
		for (size_t k = 0; k < sizeof(bad_pages) / sizeof(bad_pages[0]); k++)
			mut_replace(d, i, op_line(tok, n, 1, bad_pages[k]), 0, 0);
		if (!is_map_op(op->code)) {
			char b1[16], b2[16];

			snprintf(b1, sizeof(b1), "p%d", CFG(c, highmem));
			snprintf(b2, sizeof(b2), "l%d", CFG(c, lowmem));
			/* Unmapped is found while reading, the zone's size at the end. */
			int early = needs_map(op->code) && CFG(c, highmem) < HMR_MAX_PAGES;

			mut_replace(d, i, op_line(tok, n, 1, b1), 0,
				    early ? 5 : (int)strlen(tok[0]) + 6);
			mut_replace(d, i, op_line(tok, n, 1, b2), 0, 0);
		}
	}
	if (shape == SH_PLIST_DIR) {
		mut_replace(d, i, op_line(tok, n, 1, "p1,p64"), 0, 0);
		mut_replace(d, i, op_line(tok, n, 1, "p1,,p2"), 0, 0);
		mut_replace(d, i, op_line(tok, n, 1, "p1,"), 0, 0);
		mut_replace(d, i, op_line(tok, n, 1, "p0,p1,p2,p3,p0,p1,p2,p3,p0"), 0, 0);
	}

	/* Numbers. */
	if (ko && ko < n) {
		char b[32];

		for (size_t k = 0; k < sizeof(bad_nums) / sizeof(bad_nums[0]); k++)
			mut_replace(d, i, op_line(tok, n, ko, bad_nums[k]), 0, 0);
		snprintf(b, sizeof(b), "%d", psz);
		mut_replace(d, i, op_line(tok, n, ko, b), 0, 0);
	}
	if (kv) {
		mut_replace(d, i, op_line(tok, n, kv, "256"), 0, 0);
		mut_replace(d, i, op_line(tok, n, kv, "0x100"), 0, 0);
		mut_replace(d, i, op_line(tok, n, kv, "v"), 0, 0);
	}
	if (kl && (kl < n || shape != SH_P_DIR_RANGE)) {
		char b[32];
		uint64_t over;

		mut_replace(d, i, op_line(tok, n, kl, "0"), 0, 0);
		if (shape == SH_P_DIR_RANGE) {
			int zone = HMR_PAGE_IS_LOW(op->page[0]) ? CFG(c, lowmem) : CFG(c, highmem);

			over = (uint64_t)(zone - HMR_PAGE_NUM(op->page[0])) * psz - op->off + 1;
		} else {
			over = (uint64_t)psz - op->off + 1;
		}
		snprintf(b, sizeof(b), "%llu", (unsigned long long)over);
		mut_replace(d, i, op_line(tok, n, kl, b), 0, 0);
	}
	if (shape == SH_P_DIR_RANGE && n == 3)
		mut_replace(d, i, op_line(tok, n, 3, "0"), 0, 0);
	if (kd)
		for (size_t k = 0; k < sizeof(bad_dirs) / sizeof(bad_dirs[0]); k++)
			mut_replace(d, i, op_line(tok, n, kd, bad_dirs[k]), 0, 0);
	if (shape == SH_P_TYPE)
		for (size_t k = 0; k < sizeof(bad_types) / sizeof(bad_types[0]); k++)
			mut_replace(d, i, op_line(tok, n, 2, bad_types[k]), 0, 0);

	/* Bytes that may not appear, at the start, inside and at the end. */
	mut_byte(d, i, 0, 0);
	mut_byte(d, i, 6, 0);
	mut_byte(d, i, d->l[i].n, 0);
	mut_byte(d, i, 5, '\x01');
	mut_byte(d, i, 7, '\x7f');
	mut_byte(d, i, 6, '\r');

	/* Out of its block: column 1 ends the task (an empty one, for its first op). */
	{
		struct line l = op_line(tok, n, -1, NULL);

		l.s += 4;
		l.n -= 4;
		mut_replace(d, i, l, oi ? i + 1 : s->task[ti].line, 0);
	}
	/* Mapped before use: the same op with a page nobody maps. */
	if (needs_map(op->code)) {
		char b[16];
		uint16_t pg = (uint16_t)(CFG(c, highmem) - 1);

		snprintf(b, sizeof(b), "p%d", pg);
		if (!maps_before(&s->task[ti], oi, pg))
			mut_replace(d, i, op_line(tok, n, 1, b), 0, 5);
	}
}

static int maps_before(const struct hmr_task_def *t, int oi, uint16_t page)
{
	for (int k = 0; k < oi; k++)
		if (is_map_op(t->ops[k].code) && t->ops[k].page[0] == page)
			return 1;
	return 0;
}

static void mutate_task(const struct doc *d, const struct hmr_script *s, int ti)
{
	static const char *const bad[] = {
		"task %s cpu=-1:", "task %s cpu=x:", "task %s cpu=:",
		"task %s:", "task %s cpu=0", "task %s cpu=0 context=bogus:",
		"task %s cpu=0 context=softirq context=hardirq:", "task %s cpu=0 cpu=0:",
		"task %s cpu=0: zz", "task %s cpux=0:", "task %s cpu=0 context=:",
		"task %s cpu 0:", "tasks %s cpu=0:", "task %s cpu=0 context=irq:",
		"task %s cpu=0:#x", "task %s= cpu=0:", " task %s cpu=0:",
	};
	static const char *const bad_names[] = { "ABCDEFGHIJKLMNOP", "1A", "A-B", "", ":", "a.b" };
	const struct hmr_task_def *t = &s->task[ti];
	int i = t->line - 1;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		mut_replace(d, i, mkline(bad[k], t->name), 0, 0);
	for (size_t k = 0; k < sizeof(bad_names) / sizeof(bad_names[0]); k++)
		mut_replace(d, i, mkline("task %s cpu=0:", bad_names[k]), 0, 0);
	if (ti > 0)
		mut_replace(d, i, mkline("task %s cpu=0:", s->task[0].name), 0, 6);
	mut_replace(d, i, mkline("task %s cpu=%d:", t->name, hmr_opts[HMR_OPT_cpus].hi), 0, 0);
	if (CFG(&s->cfg, cpus) < hmr_opts[HMR_OPT_cpus].hi)
		mut_replace(d, i, mkline("task %s cpu=%d:", t->name, CFG(&s->cfg, cpus)), 0, 0);
	mut_byte(d, i, 0, 0);
	mut_byte(d, i, 5, 0);

	/* An empty task: drop its ops. */
	{
		static struct doc m;

		m.n = 0;
		for (int k = 0; k < d->n; k++) {
			int drop = 0;

			for (int o = 0; o < t->nops; o++)
				drop |= t->ops[o].line == k + 1;
			if (!drop)
				m.l[m.n++] = d->l[k];
		}
		expect_error(&m, t->line, 1, "empty task");
	}
	/* A new empty task before this one; an unmapped access as the first op. */
	mut_insert(d, i, mkline("task Zz cpu=0:"), 0);
	mut_insert(d, i + 1, mkline("    write p0 0 1"), 0);
	mut_insert(d, i + 1, mkline("    read l0 0"), 0);
	mut_insert(d, i + 1, mkline("    kunmap p0"), 0);
	mut_insert(d, i + 1, mkline("    kunmap_atomic l0"), 0);
	mut_insert(d, i + 1, mkline("  \tkunmap_local p0"), 0);
	/* Too many ops: fill the task to HMR_MAX_OPS + 1. */
	{
		static struct doc m;
		int last = t->ops[t->nops - 1].line;	/* index of the line after it */
		int add = HMR_MAX_OPS + 1 - t->nops;

		m.n = 0;
		for (int k = 0; k < d->n && m.n < ML; k++) {
			m.l[m.n++] = d->l[k];
			if (k + 1 == last)
				for (int a = 0; a < add && m.n < ML; a++)
					m.l[m.n++] = mkline("    yield");
		}
		expect_error(&m, last + add, 5, "too many ops");
	}
}

static void mutate_sched(const struct doc *d, const struct hmr_script *s, int si)
{
	static const char *const bad[] = {
		"    %s until", "    %s until nosuch", "    %s until dma_inv_linex", "    %s until op_begin#0",
		"    %s until op_begin#", "    %s until op_begin#x", "    %s until op_begin#65536",
		"    %s until op_begin#-1", "    %s until op_begin#2#3", "    %s untill op_begin",
		"    %s until op_begin zz", "    %s op_begin", "    %s until #2", "    %s,",
		"    %s until OP_BEGIN", "    %s until op_begin,",
	};
	static const char *const bad_names[] = { "Zed", "1A", "A-", "ABCDEFGHIJKLMNOP", "a#b" };
	const char *name = s->task[s->sched[si].task].name;
	int i = s->sched[si].line - 1;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		mut_replace(d, i, mkline(bad[k], name), 0, 0);
	for (size_t k = 0; k < sizeof(bad_names) / sizeof(bad_names[0]); k++)
		mut_replace(d, i, mkline("    %s", bad_names[k]), 0, 5);
	mut_byte(d, i, 4, 0);
	mut_byte(d, i, d->l[i].n, 0);
}

/* Lines that start in column 1 with "key:" and are not task or schedule lines. */
static int header_key(const struct line *l, char key[16])
{
	size_t k = 0;

	while (k < l->n && k < 15 && l->s[k] >= 'a' && l->s[k] <= 'z')
		k++;
	if (!k || k >= l->n || l->s[k] != ':' || (k == 8 && !memcmp(l->s, "schedule", 8)))
		return 0;
	memcpy(key, l->s, k);
	key[k] = 0;
	return 1;
}

static void mutate_headers(const struct doc *d, const struct hmr_script *s)
{
	static const struct { const char *key, *bad; } vals[] = {
		{ "profile", "arm-9.9" }, { "profile", "" }, { "profile", "arm-2.6.30 arm-6.1" },
		{ "profile", "ARM-2.6.30" },
		{ "switch", "no_such_switch" }, { "switch", "" },
		{ "switch", "dma_use_page_address dma_use_page_address" },
		/* Out-of-range config values come from hmr_opts, below. */
		{ "config", "" }, { "config", "page_size=100" },
		{ "config", "cache=foo" }, { "config", "tlb=maybe" }, { "config", "cpus" },
		{ "config", "cpus=" }, { "config", "nosuch=1" }, { "config", "cpus=1 cpus=1" },
		{ "config", "=5" }, { "config", "last_pkmap=3" }, { "config", "last_pkmap=2 colors=4" },
		{ "config", "lowmem=4x" }, { "config", "page_size=64 line_size=128" },
		{ "config", "cpus=2,highmem=8" }, { "config", "Cpus=1" },
		{ "expect", "lost_write" }, { "expect", "LOST-WRITE" }, { "expect", "" },
		{ "expect", "none extra" }, { "expect", "none#" },
		{ "explore", "exhaustive depth=3" }, { "explore", "random bound=1" },
		{ "explore", "schedule runs=5" }, { "explore", "pct depth=0" }, { "explore", "pct depth=11" },
		{ "explore", "exhaustive bound=9" }, { "explore", "random runs=0" },
		{ "explore", "random runs=10000001" }, { "explore", "random seed=18446744073709551616" },
		{ "explore", "pct seed=-1" }, { "explore", "bytes" }, { "explore", "" },
		{ "explore", "exhaustive bound=1 bound=2" }, { "explore", "exhaustive bound" },
		{ "explore", "dfs" }, { "explore", "pct depth=" }, { "explore", "random seed=0x" },
		{ "title", "" }, { "question", "" },
	};
	static const char *const unknown[] = { "colour: red", "titel: x", "Profile: arm-6.1",
					       "explores: pct", "x:", "tittle:", "-: x" };
	char key[16], big[300];
	int first_task = s->ntasks ? s->task[0].line - 1 : d->n;

	for (int i = 0; i < d->n; i++) {
		if (!header_key(&d->l[i], key))
			continue;
		for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++)
			if (!strcmp(vals[k].key, key))
				mut_replace(d, i, mkline("%s: %s", key, vals[k].bad), 0, 0);
		for (int o = 0; o < HMR_OPT__N && !strcmp(key, "config"); o++) {
			const struct hmr_opt_info *oi = &hmr_opts[o];

			if (o == HMR_OPT_cache || o == HMR_OPT_tlb)
				continue;
			mut_replace(d, i, mkline("config: %s=%d", oi->name, oi->hi + 1), 0,
				    10 + (int)strlen(oi->name));
			if (oi->lo > 0)
				mut_replace(d, i, mkline("config: %s=%d", oi->name, oi->lo - 1), 0,
					    10 + (int)strlen(oi->name));
		}
		/* A second copy right after it (switch names too: each only once). */
		mut_insert(d, i + 1, d->l[i], 0);
		mut_replace(d, i, mkline("%s %.*s", key, (int)(d->l[i].n - strlen(key) - 1),
					 d->l[i].s + strlen(key) + 1), 0, 0);
		mut_replace(d, i, mkline("%s :%.*s", key, (int)(d->l[i].n - strlen(key) - 1),
					 d->l[i].s + strlen(key) + 1), 0, 0);
		if (i < first_task)
			mut_replace(d, i, mkline(" %.*s", (int)d->l[i].n, d->l[i].s), 0, 1);
		mut_byte(d, i, 3, 0);
		if (!strcmp(key, "profile")) {
			static struct doc m;

			m = *d;
			m.l[i] = mkline("# profile: line removed");
			expect_error(&m, 1, 1, "no profile");
		}
		if (!strcmp(key, "title") || !strcmp(key, "question")) {
			int max = !strcmp(key, "title") ? 159 : 255;

			memset(big, 'x', sizeof(big));
			mut_replace(d, i, mkline("%s: %.*s", key, max + 1, big), 0,
				    (int)strlen(key) + 3 + max);
		}
	}
	/* Unknown keys at the top, before each task and schedule:, and at the end. */
	for (size_t k = 0; k < sizeof(unknown) / sizeof(unknown[0]); k++) {
		mut_insert(d, 0, mkline("%s", unknown[k]), 0);
		mut_insert(d, d->n, mkline("%s", unknown[k]), 0);
		for (int t = 0; t < s->ntasks; t++)
			mut_insert(d, s->task[t].line - 1, mkline("%s", unknown[k]), 0);
	}
	for (int i = 0; i < d->n; i++)
		if (d->l[i].n >= 9 && !memcmp(d->l[i].s, "schedule:", 9))
			mut_insert(d, i, mkline("%s", unknown[0]), 0);
	/* Comment and blank lines are not exempt from byte checks. */
	mut_insert(d, 0, (struct line){ "# a\0b", 5 }, 0);
	mut_insert(d, d->n, (struct line){ "   \x01", 4 }, 0);
}

static void mutate_schedule_block(const struct doc *d, const struct hmr_script *s)
{
	static struct doc m;
	int head = -1;

	for (int i = 0; i < d->n; i++)
		if (d->l[i].n >= 9 && !memcmp(d->l[i].s, "schedule:", 9))
			head = i;
	if (head < 0)
		return;
	mut_replace(d, head, mkline("schedule: zz"), 0, 11);
	mut_replace(d, head, mkline("schedule"), 0, 9);
	mut_replace(d, head, mkline("schedule :"), 0, 9);
	mut_replace(d, head, mkline("Schedule:"), 0, 1);
	mut_replace(d, head, mkline("schedule:#"), 0, 10);
	/* No lines under it. */
	m.n = 0;
	for (int k = 0; k < d->n; k++) {
		int drop = 0;

		for (int i = 0; i < s->nsched; i++)
			drop |= s->sched[i].line == k + 1;
		if (!drop)
			m.l[m.n++] = d->l[k];
	}
	expect_error(&m, head + 1, 1, "empty schedule");
	/* A second block at the end. */
	m = *d;
	m.l[m.n++] = mkline("schedule:");
	m.l[m.n++] = mkline("    %s", s->task[0].name);
	expect_error(&m, d->n + 1, 1, "second schedule");
	/* Too many lines: the 129th is refused. */
	m = *d;
	for (int k = s->nsched; k <= HMR_MAX_SCHED && m.n < ML; k++)
		m.l[m.n++] = mkline("    %s until op_begin#%d", s->task[0].name, k + 1);
	expect_error(&m, d->n + HMR_MAX_SCHED + 1 - s->nsched, 5, "too many schedule lines");
	/* An indented line after a header that ended the block. */
	m = *d;
	m.l[m.n++] = mkline("switch: test_unlocked_count");
	m.l[m.n++] = mkline("    %s", s->task[0].name);
	expect_error(&m, d->n + 2, 1, "indented after block");
}

static void mutate_tasks_count(const struct doc *d, const struct hmr_script *s)
{
	static struct doc m;

	m = *d;
	for (int t = s->ntasks; t <= HMR_MAX_TASKS && m.n + 2 < ML; t++) {
		m.l[m.n++] = mkline("task T%d cpu=0:", t);
		m.l[m.n++] = mkline("    yield");
	}
	expect_error(&m, d->n + 2 * (HMR_MAX_TASKS - s->ntasks) + 1, 1, "too many tasks");
}

static void mutate_scenario(const char *name, const char *text)
{
	static struct doc d;
	static struct hmr_script base;
	char err[512];

	if (parse_str(text, &base, err, sizeof(err))) {
		T_CHECK(0, "%s: base does not parse: %s", name, err);
		return;
	}
	doc_split(&d, text);
	for (int t = 0; t < base.ntasks; t++) {
		mutate_task(&d, &base, t);
		for (int o = 0; o < base.task[t].nops; o++)
			mutate_op(&d, &base, t, o);
	}
	for (int i = 0; i < base.nsched; i++)
		mutate_sched(&d, &base, i);
	mutate_headers(&d, &base);
	mutate_schedule_block(&d, &base);
	mutate_tasks_count(&d, &base);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void test_mutants(void)
{
	int distinct = 0;

	mutate_scenario("design", design_example);
	mutate_scenario("all_ops", all_ops);
	mutate_scenario("with_schedule", with_schedule);
	qsort(mut_hash, (size_t)nmut, sizeof(mut_hash[0]), cmp_u64);
	for (int i = 0; i < nmut; i++)
		distinct += !i || mut_hash[i] != mut_hash[i - 1];
	T_CHECK(distinct >= 200, "only %d distinct mutants", distinct);
	printf("mutants: %d distinct malformed inputs refused at the right line\n", distinct);
}

/* A few messages read the way a user needs them to. */
static void test_messages(void)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "profile: arm-6.1\ntask A cpu=0:\n    kmapx p1\n",
		  "t.scn:3:5: error: unknown op 'kmapx' (did you mean 'kmap'?)" },
		{ "profile: arm-6.1\ntask A cpu=0:\n    kmap p1\n    write p3 0 1\n",
		  "t.scn:4:5: error: task A never maps p3 before this write" },
		{ "", "t.scn:1:1: error: no profile: line" },
		{ "profile: arm-6.1\nconfig: cpus=2\ntask A cpu=2:\n    yield\n",
		  "t.scn:3:12: error: task A is on cpu 2" },
		{ "profile: arm-6.1\ntask A cpu=0:\n    kmap p8\nconfig: highmem=8\n",
		  "t.scn:3:10: error: page p8 does not exist: config has highmem=8 (p0..p7)" },
		{ "profile: arm-6.1\ntask A cpu=0:\n    kmap p1# x\n",
		  "t.scn:3:10: error: expected a page (pN for highmem, lN for lowmem), not 'p1#' ('#'" },
		{ "profile: arm-6.1\nconfig: page_size=64 line_size=128\n",
		  "t.scn:2:9: error: line_size must not exceed page_size" },
		{ "profile: arm-6.1\nschedule:\n    A\n", "t.scn:3:5: error: unknown task 'A' in schedule" },
		{ "profile: arm-6.1\nexplore: schedule\n", "t.scn:2:10: error: explore: schedule needs" },
		{ "profile: arm-6.1\ntask A cpu=0:\n    dma_map p7 to_device 200 57\n"
		  "config: highmem=8 page_size=256\n",
		  "t.scn:3:30: error: the range 200+57 runs past the last highmem page" },
		{ "profile: arm-6.1\ntask A cpu=0:\n    read p1 0\n", "t.scn:3:5: error: task A never maps" },
		{ "profile: arm-6.1\n  title: x\n", "t.scn:2:1: error: indented line outside" },
		{ "profile: arm-6.1\ntask A cpu=0:\nprofile: x86-6.1\n", "t.scn:2:1: error: task A has no ops" },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_str(cases[i].text, &s1, err, sizeof(err));

		T_CHECK(r == -1 && !strncmp(err, cases[i].want, strlen(cases[i].want)),
			"case %zu: %s", i, err);
	}
	/* A tiny error buffer is filled, not overrun; none at all is fine too. */
	{
		char tiny[8];

		memset(tiny, 'Z', sizeof(tiny));
		T_CHECK(hmr_scn_parse("x", 1, "t.scn", &s1, tiny, 5) == -1 && !strcmp(tiny, "t.sc") &&
			tiny[5] == 'Z', "tiny err");
		T_CHECK(hmr_scn_parse("x", 1, NULL, &s1, NULL, 0) == -1, "no err");
		T_CHECK(hmr_scn_parse(NULL, 0, "t.scn", &s1, err, sizeof(err)) == -1 &&
			strstr(err, "no profile") != NULL, "%s", err);
	}
}

/* ---- 4. random input --------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static int pow2_upto(int lo, int hi)
{
	int v = lo;

	while (v * 2 <= hi && rn(2))
		v *= 2;
	return v;
}

/* A valid random scenario, as text. */
static size_t gen_valid(char *b, size_t bsz)
{
	size_t o = 0;
	int cpus = 1 + (int)rn(4), hi = 1 + (int)rn(16), lo = 1 + (int)rn(8);
	int psz = pow2_upto(64, 1024), lpk = pow2_upto(2, 64);
	int ntasks = 1 + (int)rn(4), nops[HMR_MAX_TASKS], ls;
	static const char *const dirs[] = { "to_device", "from_device", "bidirectional" };
	static const char *const ctx[] = { "", " context=softirq", " context=hardirq", " context=process" };

#define P(...) do { int k_ = snprintf(b + o, o < bsz ? bsz - o : 0, __VA_ARGS__); \
		    if (k_ > 0) o += (size_t)k_; } while (0)
	if (rn(2))
		P("title: random %u\n", rn(1000));
	int prof = (int)rn((unsigned)hmr_nmodel_profiles);
	P("profile: %s\n", hmr_profiles[prof].name);
	if (rn(2))
		P("switch: %s\n", hmr_switches[rn(SW__N)].name);
	/* One random draw per statement: argument order is unspecified in C. */
	ls = pow2_upto(8, psz > 256 ? 256 : psz);
	P("config: cpus=%d highmem=%d lowmem=%d page_size=%d last_pkmap=%d line_size=%d",
	  cpus, hi, lo, psz, lpk, ls);
	P("%s\n", rn(2) ? " cache=vipt" : "");
	if (rn(2))
		P("expect: %s\n", rn(3) ? hmr_kinds[rn(HMR_K__N)].name : "none");
	switch (rn(5)) {
	case 0: ls = (int)rn(10); P("explore: pct depth=%d seed=%u\n", 1 + ls, rn(100)); break;
	case 1: P("explore: random runs=%u\n", 1 + rn(100)); break;
	case 2: P("explore: exhaustive bound=%u\n", rn(9)); break;
	}
	for (int t = 0; t < ntasks; t++) {
		uint64_t mapped = 0;
		uint8_t held[3][64] = { { 0 } };	/* kmap/high_get, atomic, local */

		nops[t] = 1 + (int)rn(12);
		P("\ntask T%d cpu=%u", t, rn((unsigned)cpus));
		P("%s:\n", ctx[rn(4)]);
		for (int i = 0; i < nops[t]; i++) {
			int code = (int)rn(HMR_OP__N), shape = ops[code].shape;
			int low = (int)rn(3) == 0, pg = (int)rn((unsigned)(low ? lo : hi));
			int off = (int)rn((unsigned)psz), len = 1 + (int)rn((unsigned)(psz - off));
			uint64_t bit = 1ull << (pg + (low ? 32 : 0));
			char pn[8];

			snprintf(pn, sizeof(pn), "%c%d", low ? 'l' : 'p', pg);
			if (code == HMR_OP_kmap_high_get && !hmr_profiles[prof].high_get)
				code = HMR_OP_kmap;	/* ARM only */
			int cls = code == HMR_OP_kunmap || code == HMR_OP_kmap || code == HMR_OP_kmap_high_get ? 0 :
				  code == HMR_OP_kunmap_atomic || code == HMR_OP_kmap_atomic ? 1 :
				  code == HMR_OP_kunmap_local || code == HMR_OP_kmap_local ? 2 : -1;
			int unmap = code == HMR_OP_kunmap || code == HMR_OP_kunmap_atomic || code == HMR_OP_kunmap_local;
			uint8_t *h = cls >= 0 ? &held[cls][pg + (low ? 32 : 0)] : NULL;
			static const char *const mapper[] = { "kmap", "kmap_atomic", "kmap_local" };
			if (unmap && !*h) {	/* an unmap needs a held map of its kind */
				P("    %s %s\n", mapper[cls], pn);
				mapped |= bit;
				(*h)++;
			}
			if (h)
				*h = (uint8_t)(unmap ? *h - 1 : *h + 1);
			if ((code == HMR_OP_write || code == HMR_OP_read) && !(mapped & bit))
				P("    kmap %s\n", pn);
			if (code == HMR_OP_kmap || code == HMR_OP_kmap_atomic || code == HMR_OP_kmap_local ||
			    code == HMR_OP_kmap_high_get || code == HMR_OP_write || code == HMR_OP_read ||
			    code == HMR_OP_kunmap || code == HMR_OP_kunmap_atomic ||
			    code == HMR_OP_kunmap_local)
				mapped |= bit;
			P("    %s", ops[code].name);
			switch (shape) {
			case SH_P: P(" %s", pn); break;
			case SH_P_TYPE: P(" %s %s", pn, rn(2) ? hmr_km_names[1 + rn(KM__N - 1)] : ""); break;
			case SH_P_OFF: P(" %s %d", pn, off); break;
			case SH_P_OFF_LEN: P(" %s %d %d", pn, off, len); break;
			case SH_P_OFF_VAL: P(" %s 0x%x %u", pn, off, rn(256)); break;
			case SH_P_OFF_VAL_LEN: P(" %s %d %u %d", pn, off, rn(256), len); break;
			case SH_P_DIR: P(" %s %s", pn, dirs[rn(3)]); break;
			case SH_P_DIR_RANGE:
				P(" %s %s", pn, dirs[rn(3)]);
				if (rn(2))
					P(" %d %d", off, len);
				break;
			case SH_PLIST_DIR:
				P(" %s", pn);
				for (unsigned k = rn(HMR_MAX_SG); k; k--) {
					P(",%s", rn(2) ? " " : "");
					P("%c%u", low ? 'l' : 'p', rn((unsigned)(low ? lo : hi)));
				}
				P(" %s", dirs[rn(3)]);
				break;
			}
			P("\n");
		}
	}
	if (rn(2)) {
		P("\nschedule:\n");
		for (unsigned k = 1 + rn(5); k; k--) {
			P("    T%u", rn((unsigned)ntasks));
			if (rn(2)) {
				P(" until %s", hmr_sites[rn(HMR_SITE__N)].name);
				P("#%u", 1 + rn(3));
			}
			P("\n");
		}
	}
#undef P
	return o < bsz ? o : bsz - 1;
}

static const char *const vocab[] = {
	"task", "schedule:", "title:", "profile:", "switch:", "config:", "expect:", "explore:",
	"question:", "arm-2.6.30", "x86-6.1", "cpu=0", "cpu=1", "context=softirq", ":", "kmap",
	"kunmap", "write", "read", "dma_map", "dma_map_sg", "kmap_atomic", "yield", "p0", "p1",
	"l0", "p63", "0", "1", "255", "0x55", "256", "to_device", "from_device", "KM_USER0",
	"until", "op_begin#2", "dma_inv_line", "#", ",", "=", "cpus=2", "highmem=8", "none",
	"lost-write", "exhaustive", "bound=2", "pct", "seed=1", "A", "B", "\t", "\n", "\r\n",
	"    ", "\n    ", "\ntask A cpu=0:\n", "\x00", "\xff", "#x",
};

/* Parse anything; when accepted, it must round-trip. Returns 1 if accepted. */
static int fuzz_one(const char *text, size_t len, int *rt_bad)
{
	char err[512];

	if (hmr_scn_parse(text, len, "fuzz.scn", &s1, err, sizeof(err)))
		return 0;
	if (!roundtrip_s1("fuzz", *rt_bad < 3)) {
		if ((*rt_bad)++ < 3)
			fprintf(stderr, "input was:\n%.*s\n", (int)len, text);
	}
	return 1;
}

static void test_random(void)
{
	static char b[1 << 15];
	int accepted = 0, valid_ok = 0, rt_bad = 0, edits_ok = 0, gen_bad = 0;
	size_t n;

	/* Random bytes, biased towards the scenario alphabet. */
	for (int i = 0; i < 2000; i++) {
		static const char alpha[] = "abcdekmpstlxyz_ 0123456789:=#,\t\n\r-";

		n = rn(300);
		for (size_t k = 0; k < n; k++)
			b[k] = rn(4) ? alpha[rn(sizeof(alpha) - 1)] : (char)rn(256);
		accepted += fuzz_one(b, n, &rt_bad);
	}
	/* Token soups. */
	for (int i = 0; i < 2000; i++) {
		size_t o = 0;

		for (unsigned k = rn(60); k; k--) {
			const char *v = vocab[rn(sizeof(vocab) / sizeof(vocab[0]))];
			size_t vn = v[0] ? strlen(v) : 1;	/* "\x00" is one NUL byte */

			memcpy(b + o, v, vn);
			o += vn;
			b[o++] = rn(3) ? ' ' : '\n';
		}
		accepted += fuzz_one(b, o, &rt_bad);
	}
	/* Valid random scenarios, and small random edits of them. */
	for (int i = 0; i < 1500; i++) {
		n = gen_valid(b, sizeof(b) - 64);
		if (fuzz_one(b, n, &rt_bad))
			valid_ok++;
		else if (gen_bad++ < 3) {
			char err[512];

			hmr_scn_parse(b, n, "gen.scn", &s1, err, sizeof(err));
			fprintf(stderr, "generated scenario refused: %s\n%.*s", err, (int)n, b);
		}
		for (int e = 0; e < 2; e++) {
			static char m[1 << 15];
			size_t at = n ? rn((unsigned)n) : 0, mn = n;

			memcpy(m, b, n);
			switch (rn(4)) {
			case 0: m[at] = (char)rn(256); break;
			case 1: if (mn) { memmove(m + at, m + at + 1, mn - at - 1); mn--; } break;
			case 2: {
				const char *v = vocab[rn(sizeof(vocab) / sizeof(vocab[0]))];
				size_t vn = v[0] ? strlen(v) : 1;

				memmove(m + at + vn, m + at, mn - at);
				memcpy(m + at, v, vn);
				mn += vn;
				break;
			}
			case 3: mn = at; break;		/* truncated */
			}
			edits_ok += fuzz_one(m, mn, &rt_bad);
		}
	}
	T_CHECK(valid_ok == 1500, "only %d of 1500 generated scenarios parsed", valid_ok);
	T_CHECK(rt_bad == 0, "%d accepted inputs did not round-trip", rt_bad);
	T_CHECK(edits_ok > 100, "only %d random edits were still valid", edits_ok);
	printf("random: %d soup/byte inputs accepted, %d edited scenarios accepted, all round-trip\n",
	       accepted, edits_ok);

	/* Long lines. */
	{
		static char big[200000];
		char err[512];

		memset(big, ' ', sizeof(big));
		memcpy(big, "profile: arm-6.1\ntask A cpu=0:\n", 31);
		memcpy(big + sizeof(big) - 6, "yield\n", 6);
		T_CHECK(hmr_scn_parse(big, sizeof(big), "t.scn", &s1, err, sizeof(err)) == 0 &&
			s1.task[0].ops[0].col == (int)(sizeof(big) - 6 - 31 + 1), "%s", err);
		memset(big, 'x', sizeof(big));
		memcpy(big, "title: ", 7);
		T_CHECK(hmr_scn_parse(big, sizeof(big), "t.scn", &s1, err, sizeof(err)) == -1 &&
			!strncmp(err, "t.scn:1:167: error: title is too long", 37), "%s", err);
		memcpy(big, "    kmap ", 9);
		T_CHECK(hmr_scn_parse(big, sizeof(big), "t.scn", &s1, err, sizeof(err)) == -1 &&
			!strncmp(err, "t.scn:1:1: error: indented", 26), "%s", err);
	}
}

/* ---- 5. files ---------------------------------------------------------- */

static void test_load(void)
{
	char path[] = "/tmp/test_scn_XXXXXX", err[512], want[600];
	static char pad[(1 << 20) + 2];
	int fd = mkstemp(path);
	FILE *f;
	size_t n = strlen(design_example);

	T_CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	f = fdopen(fd, "wb");
	fwrite(design_example, 1, n, f);
	fclose(f);
	T_CHECK(hmr_scn_load(path, &s1, err, sizeof(err)) == 0 && !strcmp(s1.file, path) &&
		s1.ntasks == 2, "%s", err);

	/* Exactly 1 MiB is accepted; one more byte is not. */
	memset(pad, '#', sizeof(pad));
	memcpy(pad, design_example, n);
	pad[n] = '\n';
	pad[(1 << 20) - 1] = '\n';
	f = fopen(path, "wb");
	fwrite(pad, 1, 1 << 20, f);
	fclose(f);
	T_CHECK(hmr_scn_load(path, &s1, err, sizeof(err)) == 0, "%s", err);
	f = fopen(path, "wb");
	fwrite(pad, 1, (1 << 20) + 1, f);
	fclose(f);
	snprintf(want, sizeof(want), "%s:1:1: error: file is larger", path);
	T_CHECK(hmr_scn_load(path, &s1, err, sizeof(err)) == -1 && !strncmp(err, want, strlen(want)),
		"%s", err);
	unlink(path);

	T_CHECK(hmr_scn_load("/nonexistent/x.scn", &s1, err, sizeof(err)) == -1 &&
		!strcmp(err, "/nonexistent/x.scn:1:1: error: cannot read: No such file or directory"),
		"%s", err);
	T_CHECK(hmr_scn_load("/tmp", &s1, err, sizeof(err)) == -1 &&
		!strcmp(err, "/tmp:1:1: error: cannot read: Is a directory"), "%s", err);
}

/* A DMA buffer may run from the last lowmem page on into highmem (physically
 * adjacent, E29) but not past the last highmem page. */
static void test_zone_crossing(void)
{
	static struct hmr_script s;
	char err[512];
	const char *ok = "profile: mips-3.1\nconfig: lowmem=4 highmem=2\ntask A cpu=0:\n"
			 "    dma_map l3 to_device 128 256\n    dma_map l2 to_device 0 1024\n";
	const char *bad = "profile: mips-3.1\nconfig: lowmem=4 highmem=2\ntask A cpu=0:\n"
			  "    dma_map l3 to_device 128 768\n";
	T_CHECK(hmr_scn_parse(ok, strlen(ok), "z.scn", &s, err, sizeof(err)) == 0, "%s", err);
	T_CHECK(hmr_scn_parse(bad, strlen(bad), "z.scn", &s, err, sizeof(err)) < 0 &&
		!strncmp(err, "z.scn:4:", 8), "%s", err);
}

int main(void)
{
	test_zone_crossing();
	test_design_example();
	test_roundtrips();
	test_decisions();
	test_messages();
	test_mutants();
	test_random();
	test_load();
	return T_DONE();
}
