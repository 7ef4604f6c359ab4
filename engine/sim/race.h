/* race.h - a happens-before race detector over the kernel model's shared
 * state (vector clocks over tasks).
 *
 * The model's synchronisation gives the order: a spinlock release and the next
 * acquire, a wake_up and the woken task's return from schedule(), an interrupt
 * and the context it interrupted (entry and return), and a context switch on
 * one CPU. Annotated accesses to shared state (pkmap_count[], the pkmap PTEs,
 * the page-address hash buckets, the slot cursor, per-CPU atomic-kmap state)
 * that conflict (one is a write) without an order between them are a data-race
 * finding naming both accesses and their sites. It runs in every build: the
 * fuzz targets and the 32-bit ones too. */
#ifndef HMR_RACE_H
#define HMR_RACE_H
#include <stdint.h>

enum hmr_race_obj { RACE_COUNT, RACE_PTE, RACE_HASH, RACE_CURSOR, RACE_PERCPU, RACE__N };

struct hmr_vc {
	uint32_t c[8];		/* HMR_MAX_TASKS */
};

/* An access by the running task to object (kind, index): a read or a write. */
void hmr_race_access(int kind, int index, int write);
/* Synchronisation: the running task releases into / acquires from vc. */
void hmr_race_release(struct hmr_vc *vc);
void hmr_race_acquire(const struct hmr_vc *vc);
/* An order from task `from` to task `to` (interrupt entry and return, a
 * context switch on one CPU). */
void hmr_race_order(int from, int to);
/* Reset for a new execution. */
void hmr_race_reset(void);
#endif
