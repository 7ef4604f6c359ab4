/* kapi.h - the kernel entry points the rig calls, as one table chosen once
 * per execution: the model's (hmr_kapi_model: highmem.c, katomic.c) or a
 * compiled copy of the kernel's own code (ksrc/glue.c, on a real-source
 * profile). The op interpreter, the DMA paths and the context switch call
 * through hmr_kapi; the model's functions call each other directly, so the
 * model never asks which side it is on.
 * Pages are pfns, addresses the model's 32-bit VAs. Every entry runs in a
 * task and may reach scheduling points, except page_address_peek, cursor
 * and the two context-switch hooks (atomic: no scheduling point). */
#ifndef HMR_KAPI_H
#define HMR_KAPI_H
#include <stdint.h>

struct hmr_task;
struct hmr_dma_ops;

struct hmr_kapi {
	uint32_t (*kmap)(int pfn);
	void (*kunmap)(int pfn);
	uint32_t (*kmap_high_get)(int pfn);	/* 0: the page has no pkmap VA */
	void (*kunmap_high)(int pfn);
	void (*kmap_flush_unused)(void);
	uint32_t (*page_address)(int pfn);	/* takes a bucket lock */
	uint32_t (*page_address_peek)(int pfn);	/* no lock, no point, no event */
	/* ktype (enum hmr_km_type) matters only in the km_type era; pfn is the
	 * page the caller mapped (the kunmap_atomic_wrong_arg switch uses it). */
	uint32_t (*kmap_atomic)(int pfn, int ktype);
	void (*kunmap_atomic)(uint32_t va, int pfn, int ktype);
	uint32_t (*kmap_local_page)(int pfn);
	void (*kunmap_local)(uint32_t va, int pfn);
	void (*sched_out)(struct hmr_task *t);	/* __kmap_local_sched_out/in */
	void (*sched_in)(struct hmr_task *t);
	int (*cursor)(void);			/* last_pkmap_nr, -1 if unknown */
	const struct hmr_dma_ops *dma;		/* the DMA path; NULL: the profile's model */
};

/* The table of this execution (world reset picks it; the model's otherwise). */
extern const struct hmr_kapi *hmr_kapi;
extern const struct hmr_kapi hmr_kapi_model;
#endif
