/* kapi.c - the model's entry points as a table (kapi.h). */
#include "kernel/kapi.h"
#include "kernel/highmem.h"
#include "kernel/katomic.h"
#include "sim/world.h"

static int model_cursor(void) { return PK.last_pkmap_nr; }

const struct hmr_kapi hmr_kapi_model = {
	.kmap = kmap,
	.kunmap = kunmap,
	.kmap_high_get = kmap_high_get,
	.kunmap_high = kunmap_high,
	.kmap_flush_unused = kmap_flush_unused,
	.page_address = page_address,
	.page_address_peek = hmr_page_address_peek,
	.kmap_atomic = kmap_atomic,
	.kunmap_atomic = kunmap_atomic,
	.kmap_local_page = kmap_local_page,
	.kunmap_local = kunmap_local,
	.sched_out = hmr_kmap_local_sched_out,
	.sched_in = hmr_kmap_local_sched_in,
	.cursor = model_cursor,
};

const struct hmr_kapi *hmr_kapi = &hmr_kapi_model;
