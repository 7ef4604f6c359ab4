/* world.h - the scheduler's state of one simulated execution: the script and
 * its machine, CPUs, tasks, the decisions taken and the event log.
 *
 * There is exactly one world per process (W), as the kernel has one set of
 * globals. Each layer above owns its own part, declared next to its code: the
 * hardware (HW, hw/hw.h), mm/highmem.c's state (PK, kernel/highmem.h), the
 * atomic kmaps' (KA, kernel/katomic.h), the finding (hmr_found,
 * oracle/finding.h). hmr_world_reset() (run/reset.h) makes them all ready for
 * the next execution in time proportional to what the last one touched.
 * Nothing here depends on a clock, a PID or a host address (README
 * "Architecture"). */
#ifndef HMR_WORLD_H
#define HMR_WORLD_H
#include <stdint.h>
#include "format/config.h"
#include "sim/fiber.h"
#include "format/kind.h"
#include "format/profile.h"
#include "sim/race.h"
#include "format/script.h"
#include "format/site.h"

#define HMR_MAX_CPUS		4
#define HMR_MAX_SLOTS		512	/* LAST_PKMAP */
#define HMR_MAX_COLORS		8
#define KM_TYPE_NR		20	/* fixmap slots per CPU for kmap_atomic/kmap_local */
#define KM_MAX_IDX		16	/* kmap_local stack depth */
#define HMR_FIX_SLOTS		(KM_TYPE_NR * HMR_MAX_CPUS)
#define HMR_NPFN		(2 * HMR_MAX_PAGES)
#define HMR_MAX_EVENTS		(1 << 16)
#define HMR_MAX_MAPS		HMR_MAX_OPS	/* each op makes at most one */
#define HMR_STACK_SIZE		(128 * 1024)

/* Synthetic kernel virtual layout (scaled by page_size). */
#define PAGE_OFFSET	0xc0000000u	/* lowmem linear map */
#define PKMAP_BASE	0xff000000u	/* persistent kmap window */
#define FIXADDR_KMAP	0xff800000u	/* kmap_atomic / kmap_local slots */
#define USER_BASE	0x40000000u	/* one user mapping per page */

enum hmr_tstate { T_NEW, T_READY, T_SPIN, T_SLEEP, T_IPI, T_DONE };
enum { TASK_RUNNING = 0, TASK_UNINTERRUPTIBLE = 1 };

struct hmr_task;

struct spinlock {
	const char *name;
	struct hmr_task *owner;
	uint8_t used_hardirq, used_irqs_on;	/* lockdep-style usage bits */
	uint32_t taken_step;
	struct hmr_vc vc;			/* the race detector's release clock */
};

struct wait_queue_head {
	const char *name;
	int n;
	struct hmr_task *waiter[HMR_MAX_TASKS];
	struct hmr_vc vc;			/* wake_up -> the woken task */
};

/* How a task got the VA it uses for a page. */
enum hmr_maphow { MAP_NONE, MAP_LINEAR, MAP_KMAP, MAP_HIGH_GET, MAP_ATOMIC, MAP_LOCAL };

struct hmr_map {
	uint16_t pfn;
	uint8_t how;		/* enum hmr_maphow */
	uint8_t live;		/* still held (not yet unmapped) */
	uint32_t va;
	uint32_t step;		/* when it was obtained */
	int op;			/* op index that obtained it */
};

struct hmr_task {
	int id;
	int stop_site;			/* where it was last switched out (coverage) */
	const struct hmr_task_def *def;
	int cpu;
	int ctx;			/* enum hmr_ctx */
	int state;			/* enum hmr_tstate */
	int sleep_state;		/* TASK_RUNNING / TASK_UNINTERRUPTIBLE */
	struct wait_queue_head *waitq;	/* the queue it last joined */
	struct spinlock *spin_on;
	int preempt_count;
	int irqs_off;
	int pagefault_disabled;
	int nlocks;
	struct spinlock *locks[4];
	int pc;				/* op being executed */
	int nfn;
	const char *fn[8];		/* model function stack, for reports */
	int nmaps;
	uint16_t seg_cnt[HMR_SITE__N];	/* site hits in the current schedule segment */
	int ipi_waiting;		/* CPUs whose ack is awaited */
	struct hmr_fiber fib;		/* the reset clears everything above */
	struct hmr_map maps[HMR_MAX_MAPS];	/* [0, nmaps): 16 KiB a task, never cleared */
};

struct hmr_cpu {
	struct hmr_task *curr;		/* process task owning the CPU */
	int nirq;
	struct hmr_task *irq[3];	/* interrupt contexts stacked on it */
	int ipi_pending;		/* a TLB-shootdown IPI awaits this CPU */
	int ipi_from;
	int last_ran;			/* task id + 1 that ran on it last (race.c) */
};

enum hmr_ev_type {
	EV_OP_BEGIN, EV_OP_END, EV_SWITCH, EV_IRQ_ENTER, EV_IRQ_EXIT, EV_BLOCK, EV_WAKE,
	EV_LOCK, EV_UNLOCK, EV_COUNT, EV_PTE_SET, EV_PTE_CLEAR, EV_PAGE_ADDR,
	EV_TLB_ONE, EV_TLB_ALL_LOCAL, EV_TLB_GLOBAL, EV_IPI_SEND, EV_IPI_ACK,
	EV_STORE, EV_LOAD, EV_DEV_WRITE, EV_DEV_READ,
	EV_LINE_FILL, EV_LINE_CLEAN, EV_LINE_INV, EV_LINE_EVICT, EV_CACHE_ALL,
	EV_DMA_MAP, EV_DMA_UNMAP, EV_SPEC_FILL, EV_ATTR, EV__N
};

struct hmr_event {
	uint32_t step;
	uint8_t type, cpu, task, site;
	int16_t op;
	const char *fn;			/* model function (static string) */
	uint32_t a, b, c;
};

struct hmr_decision {
	uint16_t n, chosen;
	uint8_t def;			/* default option, 0xff: all free */
	uint8_t hw;			/* hardware choice, not a task switch */
	uint8_t site, task;
};

struct hmr_world {
	const struct hmr_script *script;
	const struct hmr_profile *prof;
	struct hmr_config cfg;
	uint32_t sw;			/* switches */
	int cache_mode, tlb_mode;
	uint32_t P, L;			/* page and line size */
	int nlow, nhigh, npfn, ncpu, ntask, last_pkmap, colors;

	/* scheduler */
	struct hmr_fiber main;
	struct hmr_task task[HMR_MAX_TASKS];
	struct hmr_cpu cpu[HMR_MAX_CPUS];
	struct hmr_task *cur;		/* running task, NULL in the scheduler */
	int last_task;			/* the task that ran last (-1 before any) */
	uint32_t step;			/* scheduling points passed */
	int last_site;
	int ended;			/* the run is over (finding or all done) */
	char sched_err[512];		/* a schedule: line that could not be followed */
	char rig_fail[256];		/* the rig itself failed (HMRFAIL, exit 3) */

	/* decisions and the symbolic schedule actually followed */
	int ndec;
	struct hmr_decision dec[HMR_MAX_DECISIONS];
	int nseg;
	struct hmr_sched_line seg[HMR_MAX_SCHED - 1];	/* + the last task: a schedule: block */
	int seg_overflow;
	int nhw;			/* hardware choices taken (not "nothing") */
	struct hmr_hwrec {
		uint8_t task, kind;
		uint16_t op;		/* 1-based op it came before */
		uint32_t va;
		int seg;		/* schedule segment it happened in */
	} hw[HMR_MAX_SCHED];

	/* events */
	int nev;
	struct hmr_event ev[HMR_MAX_EVENTS];
};

extern struct hmr_world W;

#define SW(id) ((W.sw >> SW_##id) & 1u)
#define current (W.cur)

/* pfn <-> script page ids and addresses */
int hmr_pfn_of(uint16_t page);		/* script page id -> pfn */
int hmr_pfn_is_high(int pfn);
const char *hmr_pfn_name(int pfn, char buf[8]);
static inline uint32_t PKMAP_ADDR(int nr) { return PKMAP_BASE + (uint32_t)nr * W.P; }
static inline int PKMAP_NR(uint32_t va) { return (int)((va - PKMAP_BASE) / W.P); }
static inline int hmr_in_pkmap(uint32_t va) { return va >= PKMAP_BASE && va < PKMAP_BASE + (uint32_t)W.last_pkmap * W.P; }
static inline int hmr_in_fixmap(uint32_t va) { return va >= FIXADDR_KMAP && va < FIXADDR_KMAP + (uint32_t)HMR_FIX_SLOTS * W.P; }
static inline uint32_t hmr_lowmem_va(int pfn) { return PAGE_OFFSET + (uint32_t)pfn * W.P; }
/* Fixmap slots per CPU: the kernel's KM_MAX_IDX stride in the kmap_local era
 * (5.11+), KM_TYPE_NR before. */
static inline int hmr_fix_per_cpu(void) { return W.prof->katomic == KATOMIC_LOCAL ? KM_MAX_IDX : KM_TYPE_NR; }
static inline uint32_t hmr_fix_va(int idx) { return FIXADDR_KMAP + (uint32_t)idx * W.P; }
static inline uint32_t hmr_user_va(int pfn) { return USER_BASE + (uint32_t)pfn * W.P; }

/* Set up the scheduler's part of W for one execution of script s (profile,
 * switches and config already resolved into s); run/reset.h resets the rest. */
void hmr_sim_reset(const struct hmr_script *s);

/* Nonzero: executions keep no event log (run.h lazy_events). Only reports,
 * traces and the names some findings give read it, so an exploration runs
 * without it and runs a finding's execution again with it. */
extern int hmr_events_off;
extern struct hmr_event hmr_event_scratch;
struct hmr_event *hmr_event_append(int type, uint32_t a, uint32_t b, uint32_t c);
/* Append an event; returns it (or a scratch slot once the log is full, or
 * while hmr_events_off: inline, as most steps log something). */
static inline struct hmr_event *hmr_event(int type, uint32_t a, uint32_t b, uint32_t c)
{
	return hmr_events_off ? &hmr_event_scratch : hmr_event_append(type, a, b, c);
}

/* The rig cannot go on (a capacity limit, an inconsistency of its own): end
 * the execution with HMRFAIL (exit 3), never as a finding. Like hmr_finding,
 * it does not return when called from a task. */
void hmr_rig_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the execution now, without a finding (W.sched_err or W.rig_fail says
 * why). Does not return when called from a task. */
void hmr_end_execution(void);

/* The model function the current task is in, outermost first (for titles). */
void hmr_fn_enter(const char *fn);
void hmr_fn_leave(void);
static inline const char *hmr_fn_outer(const struct hmr_task *t) { return t && t->nfn ? t->fn[0] : "scheduler"; }
#endif
