/* test_explore.c - the exploration strategies.
 *
 * Exhaustive search must enumerate exactly the schedules within the preemption
 * bound. Counted by hand for two tasks A and B that each run one "yield" op: a
 * task reaches two scheduling points (op_begin, yield) and then ends, so it is
 * three segments. The first pick (A or B) is free; switching away from a task
 * that could continue costs one preemption; switching after a task ends is free.
 *   bound 0: A runs to its end then B, or B then A                         =  2
 *   bound 1: per first task 1 (no switch) + 2 (one switch at either of its
 *            two points, then the other task runs to its end)              =  6
 *   bound 2: per first task 1 + [switch at its 1st point: the other task
 *            may switch back at its 1st or 2nd point or not at all: 3]
 *            + [switch at its 2nd point: likewise 3]                      = 14
 * The same counts hold whether the tasks share one CPU (preemption) or run on
 * two (interleaving), since no op disables preemption.
 * Also: the same exploration twice gives byte-identical reports, and nothing
 * of one execution's machine is left for the next (a reset for a smaller
 * LAST_PKMAP still clears the slots past it). */
#include "t.h"
#include "run/run.h"
#include "format/script.h"
#include "hw/hw.h"
#include "kernel/highmem.h"
#include <string.h>

static struct hmr_script s;
static struct hmr_result r, r2;

static int load(const char *text)
{
	char err[512];
	int rc = hmr_scn_parse(text, strlen(text), "test.scn", &s, err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s\n", err);
	return rc;
}

static long count(int bound)
{
	struct hmr_explore_opts o;
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_EXHAUSTIVE;
	o.bound = bound;
	o.keep_going = 1;
	hmr_explore(&s, &o, &r);
	return r.executions;
}

static const char two_cpus[] =
	"profile: x86-6.1\nconfig: cpus=2\ntask A cpu=0:\n    yield\ntask B cpu=1:\n    yield\n";
static const char one_cpu[] =
	"profile: x86-6.1\nconfig: cpus=1\ntask A cpu=0:\n    yield\ntask B cpu=0:\n    yield\n";
/* Preemption disabled around the yield. A reaches five scheduling points:
 * op_begin of each of its 3 ops, yield, and preempt_on after preempt_enable.
 * On one CPU only the first op_begin and preempt_on allow a switch (count 0);
 * on two CPUs B runs on its own CPU and all five do. At bound 1 the count is
 * (1 + a) + (1 + b) for a and b switchable points of A and B (b = 2):
 * one CPU (1 + 2) + 3 = 6, two CPUs (1 + 5) + 3 = 9. */
static const char no_preempt_1[] =
	"profile: x86-6.1\nconfig: cpus=1\ntask A cpu=0:\n    preempt_disable\n    yield\n    preempt_enable\n"
	"task B cpu=0:\n    yield\n";
static const char no_preempt_2[] =
	"profile: x86-6.1\nconfig: cpus=2\ntask A cpu=0:\n    preempt_disable\n    yield\n    preempt_enable\n"
	"task B cpu=1:\n    yield\n";

static const char e11[] =
	"profile: arm-2.6.30\nswitch: dma_use_page_address\n"
	"config: cpus=1 last_pkmap=4 highmem=8 page_size=256 line_size=32 cache=vivt\n"
	"task A cpu=0:\n    kmap p1\n    kunmap p1\n    dma_map p1 from_device\n    dma_unmap p1 from_device\n"
	"task B cpu=0:\n    kmap p2\n    kunmap p2\n    kmap p3\n    kunmap p3\n    kmap p4\n    kunmap p4\n"
	"    kmap p5\n    write p5 0 0x55 256\n    kunmap p5\n";

/* wide maps slots 1-64 of 512 and leaves them mapped (kunmap keeps the PTE):
 * slot 64 is past the first 64-slot word of the live set. */
static char wide[4096];
static const char narrow[] = "profile: x86-6.1\nconfig: cpus=1 last_pkmap=4 highmem=8\ntask A cpu=0:\n    yield\n";
static const char wide_idle[] = "profile: x86-6.1\nconfig: cpus=1 last_pkmap=512 highmem=64\ntask A cpu=0:\n    yield\n";

static int mapped_past(int nr)
{
	int n = 0;
	for (int i = nr; i < HMR_MAX_SLOTS; i++)
		n += HW.pkmap_pte[i] != 0;
	return n;
}

static void run_once(const char *text)
{
	struct hmr_explore_opts o;
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_RANDOM;
	o.runs = 1;
	T_CHECK(load(text) == 0, "parse");
	hmr_explore(&s, &o, &r);
}

static void no_state_between_machines(void)
{
	int n = snprintf(wide, sizeof(wide), "profile: x86-6.1\nconfig: cpus=1 last_pkmap=512 highmem=64\ntask A cpu=0:\n");
	for (int p = 0; p < 64; p++)
		n += snprintf(wide + n, sizeof(wide) - (size_t)n, "    kmap p%d\n    kunmap p%d\n", p, p);
	run_once(wide);
	T_CHECK(r.kind < 0 && mapped_past(64) > 0, "the wide machine maps slots past 64: %d, finding %d", mapped_past(64), r.kind);
	run_once(narrow);
	run_once(wide_idle);
	T_CHECK(mapped_past(0) == 0, "%d pkmap PTEs of an earlier execution survived two resets", mapped_past(0));

	/* A pin left on slot 64 (a kmap never unmapped: a leak) by the wide
	 * machine: the narrow machine's reset clears its row too. */
	n += snprintf(wide + n, sizeof(wide) - (size_t)n, "    kmap p63\n");
	run_once(wide);
	T_CHECK(r.kind >= 0 && PK.holds[64][0] == 1, "the wide machine leaks a pin on slot 64: %d, finding %d",
		PK.holds[64][0], r.kind);
	run_once(narrow);
	int pins = 0;
	for (int i = 0; i < HMR_MAX_SLOTS; i++)
		for (int t = 0; t < HMR_MAX_TASKS; t++)
			pins += PK.holds[i][t] != 0;
	T_CHECK(pins == 0, "%d rows of pins of an earlier execution survived a reset", pins);
}

int main(void)
{
	no_state_between_machines();

	const long want[3] = { 2, 6, 14 };
	for (int k = 0; k < 3; k++) {
		T_CHECK(load(two_cpus) == 0, "parse");
		T_CHECK(count(k) == want[k], "two cpus, bound %d: %ld executions, want %ld", k, r.executions, want[k]);
		T_CHECK(r.kind < 0, "no finding expected");
		T_CHECK(load(one_cpu) == 0, "parse");
		T_CHECK(count(k) == want[k], "one cpu, bound %d: %ld executions, want %ld", k, r.executions, want[k]);
	}
	T_CHECK(load(no_preempt_1) == 0, "parse");
	T_CHECK(count(1) == 6, "preempt_disable, one cpu, bound 1: %ld executions, want 6", r.executions);
	T_CHECK(load(no_preempt_2) == 0, "parse");
	T_CHECK(count(1) == 9, "preempt_disable, two cpus, bound 1: %ld executions, want 9", r.executions);

	/* Determinism: the same seeded exploration twice gives the same report. */
	T_CHECK(load(e11) == 0, "parse");
	struct hmr_explore_opts o;
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_RANDOM;
	o.runs = 10000;
	o.seed = 7;
	hmr_explore(&s, &o, &r);
	hmr_explore(&s, &o, &r2);
	T_CHECK(r.kind >= 0, "random exploration finds E11");
	T_CHECK(r.executions == r2.executions && !strcmp(r.report, r2.report), "two explorations differ");
	o.strategy = STRAT_EXHAUSTIVE;
	o.bound = 2;
	o.runs = 0;
	hmr_explore(&s, &o, &r);
	T_CHECK(r.kind >= 0 && !strcmp(r.title, "BUG: hmrig: lost-write in dma_map_page / kmap_high"),
		"exhaustive E11: '%s'", r.title);
	return T_DONE();
}
