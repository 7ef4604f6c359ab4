/* script.h - a script: tasks of operations, a header and an optional schedule.
 *
 * This is what a scenario file (.scn) parses into, what a fuzz input decodes into,
 * and what the printer turns back into scenario text. It is plain data with fixed
 * bounds, so parsing, decoding and printing never allocate. */
#ifndef HMR_SCRIPT_H
#define HMR_SCRIPT_H
#include <stddef.h>
#include <stdint.h>
#include "format/config.h"

#define HMR_MAX_TASKS	8
#define HMR_MAX_OPS	1024	/* per task */
#define HMR_MAX_SG	8	/* pages in one dma_map_sg */
#define HMR_MAX_DMA	16	/* live streaming DMA mappings tidy keeps scripts within
				 * (the model holds any number: hw.h) */
#define HMR_MAX_SCHED	512	/* schedule: lines */
#define HMR_MAX_DECISIONS (1 << 16)	/* decisions recorded (and replayable) per execution */
#define HMR_MAX_RANK	15	/* a decision has at most 16 options: a hardware
				 * choice, nothing or one of 15 lines or pages */
#define HMR_MAX_PAGES	64	/* per zone; matches options.def highmem/lowmem max */

enum hmr_op_code {
#define OP(id, name, shape, help) HMR_OP_##id,
#include "format/ops.def"
#undef OP
	HMR_OP__N
};

/* What follows the op name on a scenario line. */
enum hmr_shape {
	SH_NONE,		/* irq_disable */
	SH_P,			/* kmap P */
	SH_P_TYPE,		/* kmap_atomic P [TYPE] */
	SH_P_OFF,		/* user_read P OFF */
	SH_P_OFF_LEN,		/* read P OFF [LEN] */
	SH_P_OFF_VAL,		/* user_write P OFF VAL */
	SH_P_OFF_VAL_LEN,	/* write P OFF VAL [LEN] */
	SH_P_DIR,		/* dma_unmap P DIR */
	SH_P_DIR_RANGE,		/* dma_map P DIR [OFF LEN] */
	SH_PLIST_DIR,		/* dma_map_sg P,Q,... DIR */
};

enum hmr_dma_dir { DMA_BIDIRECTIONAL = 0, DMA_TO_DEVICE = 1, DMA_FROM_DEVICE = 2 };

/* km_type names accepted by "kmap_atomic P TYPE" (km_type era; ignored later).
 * KM_DEFAULT means: KM_USER0 in process, KM_SOFTIRQ0 in softirq, KM_IRQ0 in hardirq. */
enum hmr_km_type {
	KM_DEFAULT = 0, KM_USER0, KM_USER1, KM_BIO_SRC_IRQ, KM_IRQ0, KM_IRQ1,
	KM_SOFTIRQ0, KM_SOFTIRQ1, KM_SYNC_PAGE, KM_L1_CACHE, KM__N
};
extern const char *const hmr_km_names[KM__N];	/* [0] = "" */

/* A page reference: highmem pN is N, lowmem lN is HMR_LOWMEM | N. */
#define HMR_LOWMEM 0x8000u
#define HMR_PAGE_IS_LOW(p) (((p) & HMR_LOWMEM) != 0)
#define HMR_PAGE_NUM(p) ((p) & 0x7fffu)

struct hmr_op {
	uint8_t code;		/* enum hmr_op_code */
	uint8_t dir;		/* enum hmr_dma_dir */
	uint8_t ktype;		/* enum hmr_km_type */
	uint8_t npages;		/* pages used (1, or the sg list length) */
	uint8_t has_range;	/* OFF/LEN given explicitly */
	uint8_t val;
	uint16_t page[HMR_MAX_SG];
	uint32_t off, len;	/* len 0 means "default": 1 for write/read, whole page for dma */
	int line, col;		/* source position, 0 when it came from fuzz bytes */
};

enum hmr_ctx { CTX_PROCESS = 0, CTX_SOFTIRQ, CTX_HARDIRQ };

struct hmr_task_def {
	char name[16];
	uint8_t cpu;
	uint8_t ctx;		/* enum hmr_ctx */
	uint16_t nops;
	struct hmr_op ops[HMR_MAX_OPS];
	int line, col;
};

enum hmr_hw_action { HW_NONE = 0, HW_EVICT, HW_SPECULATE };

/* One "schedule:" line. Either TASK [until SITE[#K]] (hw == HW_NONE; site < 0:
 * until it ends or blocks), or a hardware line "evict|speculate VA by TASK
 * before op N": when TASK makes its hardware choices before its op N (count),
 * the cache evicts the line at VA or speculatively fills the page at VA. */
struct hmr_sched_line {
	uint8_t task;
	uint8_t hw;		/* enum hmr_hw_action */
	int16_t site;		/* enum hmr_site_id or -1 */
	uint16_t count;		/* K >= 1 (default 1); hardware lines: op number */
	uint32_t va;		/* hardware lines: the line or page VA */
	int line, col;
};
extern const char *const hmr_hw_names[3];	/* "", "evict", "speculate" */

enum hmr_strategy { STRAT_SCHEDULE = 0, STRAT_RANDOM, STRAT_PCT, STRAT_EXHAUSTIVE, STRAT_BYTES, STRAT__N };
extern const char *const hmr_strategy_names[STRAT__N];

struct hmr_explore_spec {
	uint8_t strategy;	/* enum hmr_strategy */
	int bound;		/* exhaustive preemption bound (default 2) */
	int depth;		/* PCT depth (default 3) */
	long runs;		/* executions; 0: 1000 for random and pct, no cap for exhaustive */
	uint64_t seed;		/* default 1 */
};

#define HMR_EXPECT_NONE (-1)
#define HMR_EXPECT_UNSET (-2)

struct hmr_script {
	char file[256];		/* where it came from, for messages */
	char title[160];
	char question[256];
	int profile;		/* index into hmr_profiles, -1 = unset */
	uint32_t switches;	/* bit SW_x */
	struct hmr_config cfg;
	uint32_t cfg_set;	/* bit HMR_OPT_x: given explicitly (printer prints only these) */
	int expect;		/* enum hmr_kind, HMR_EXPECT_NONE or HMR_EXPECT_UNSET */
	int has_explore;
	struct hmr_explore_spec explore;
	int ntasks;
	struct hmr_task_def task[HMR_MAX_TASKS];
	int has_schedule;
	int nsched;
	struct hmr_sched_line sched[HMR_MAX_SCHED];
	/* A decisions: block, the other way to write a schedule (one that has
	 * no symbolic form of HMR_MAX_SCHED lines): decision i < ndecisions
	 * takes rank decisions[i], every later one rank 0, the default. */
	int has_decisions;
	int ndecisions;		/* 1 + the last index of a nonzero rank */
	int dec_line;		/* where the block starts, for run-time errors */
	uint8_t decisions[HMR_MAX_DECISIONS];	/* last: read only below ndecisions */
};

/* Defaults: no profile, no switches, default config, expect unset, explore default. */
void hmr_script_init(struct hmr_script *s);
/* The same, but the ops arrays (HMR_MAX_OPS make a script ~330 KiB) and the
 * decisions (64 KiB) are left as they are: for a script about to be filled op
 * by op, each op written whole (a fuzz input's decode pays for neither). */
void hmr_script_clear(struct hmr_script *s);
/* dst = src, copying each task's ops only up to its nops, the schedule up
 * to nsched and the decisions up to ndecisions: what is past them is never
 * read. */
void hmr_script_copy(struct hmr_script *dst, const struct hmr_script *src);
/* No schedule of its own: neither a schedule: nor a decisions: block (it
 * runs as the default policy or a strategy given says). */
void hmr_script_drop_schedule(struct hmr_script *s);
/* One task the same way: its header, position and ops up to nops. */
void hmr_task_copy(struct hmr_task_def *dst, const struct hmr_task_def *src);
void hmr_explore_default(struct hmr_explore_spec *e);

/* Parse scenario text. On error returns -1 and writes "file:line:col: error: msg"
 * into err; never crashes on any input. Checks: known keys, ops, pages in range of
 * the config, tasks' cpus < cpus, a task never reads/writes a page it never maps,
 * schedule lines naming declared tasks and known sites. */
int hmr_scn_parse(const char *text, size_t len, const char *file, struct hmr_script *s,
		  char *err, int errsz);
/* Whether the line of n bytes at ln begins as only a scenario's column-1
 * lines do: a header key, "schedule" or "decisions" right before ':', or
 * "task" and a blank (input.h tells scenario text from fuzz bytes by it). */
int hmr_scn_line_starts(const char *ln, size_t n);
/* Read a file and parse it; errors as above (a missing file is "file:1:1: error: ..."). */
int hmr_scn_load(const char *path, struct hmr_script *s, char *err, int errsz);
/* Print as scenario text (round-trips through hmr_scn_parse). Returns bytes written
 * (as snprintf: the length it needed). */
int hmr_scn_print(const struct hmr_script *s, char *buf, size_t bufsz);
/* Print one op in scenario syntax (no indentation, no newline). */
int hmr_op_print(const struct hmr_op *op, char *buf, size_t bufsz);
/* How reports name an op: "B op 3: write p5 0 0x55 256" (op counts from 1 in
 * its task; the same for a scenario and its fuzz input, whatever the layout). */
int hmr_op_ref(const struct hmr_script *s, int task, int op, char *buf, size_t bufsz);
/* A DMA direction's scenario name ("from_device"), "?" out of range. */
const char *hmr_dir_name(int dir);
/* The mapping rules of scripts (shared by the parser, the binary format, the
 * mutator and tidy): ops that obtain a VA for a page, ops that need one
 * obtained earlier, and the class of map an op takes or releases (0
 * kmap/kmap_high_get, released by kunmap; 1 kmap_atomic; 2 kmap_local; -1
 * none), *release saying whether it gives one back. */
int hmr_op_obtains_map(int code);
int hmr_op_needs_map(int code);
int hmr_op_map_class(int code, int *release);
/* "p3" / "l0". */
const char *hmr_page_name(uint16_t page, char buf[8]);
#endif
