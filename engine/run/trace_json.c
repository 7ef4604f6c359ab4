/* trace_json.c - the execution in W as a Chrome / Perfetto trace (Trace Event
 * Format, JSON). One track (tid) per CPU. An operation is a slice on its CPU's
 * track; a spinlock hold is a slice nested in it; cache, TLB, PTE and pkmap
 * count events are instants; the finding is a global instant. Time is the
 * step counter (one step shown as one microsecond).
 * Invariant kept: slices on a track nest. A process task that loses its CPU
 * to another process task (preemption, sleep) has its slices ended and
 * reopened when it runs again; interrupts nest inside what they interrupted. */
#include "run/report.h"
#include <stdio.h>
#include <string.h>

struct tj {
	FILE *out;
	int first;
	int depth[HMR_MAX_TASKS];	/* open slices of each task */
	int running[HMR_MAX_CPUS];	/* process task whose slices are open on the cpu */
	char opname[HMR_MAX_TASKS][112];
	char lock[HMR_MAX_TASKS][40];	/* innermost held lock of each task */
};

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void ev(struct tj *t, const char *ph, const char *name, const char *cat, int cpu, uint32_t ts)
{
	fprintf(t->out, "%s\n{\"ph\":\"%s\",\"name\":", t->first ? "" : ",", ph);
	t->first = 0;
	jstr(t->out, name);
	fprintf(t->out, ",\"cat\":\"%s\",\"pid\":1,\"tid\":%d,\"ts\":%u", cat, cpu, ts);
	if (!strcmp(ph, "i"))
		fprintf(t->out, ",\"s\":\"t\"");
	fputc('}', t->out);
}

static void open_op(struct tj *t, int task, int cpu, uint32_t ts)
{
	ev(t, "B", t->opname[task], "op", cpu, ts);
	t->depth[task] = 1;
}

/* Task leaves its CPU for another task there: end its slices. */
static void suspend(struct tj *t, int task, int cpu, uint32_t ts)
{
	while (t->depth[task] > 0) {
		ev(t, "E", "", "op", cpu, ts);
		t->depth[task]--;
	}
}

static void on_switch(struct tj *t, const struct hmr_event *e)
{
	int to = (int)e->a, cpu = W.script->task[to].cpu;
	const struct hmr_task_def *d = &W.script->task[to];
	if (d->ctx != CTX_PROCESS)
		return;		/* interrupts nest: nothing to end */
	int prev = t->running[cpu];
	if (prev != to && prev >= 0)
		suspend(t, prev, cpu, e->step);
	if (prev != to && t->opname[to][0] && t->depth[to] == 0)
		open_op(t, to, cpu, e->step);
	t->running[cpu] = to;
}

void hmr_trace_json(FILE *out)
{
	static struct tj t;
	char s[256], title[160];
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.first = 1;
	for (int c = 0; c < HMR_MAX_CPUS; c++)
		t.running[c] = -1;
	fprintf(out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	fprintf(out, "\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"hmrig %s\"}}",
		W.prof->name);
	for (int c = 0; c < W.ncpu; c++)
		fprintf(out, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":\"cpu%d\"}}", c, c);
	t.first = 0;
	for (int i = 0; i < W.nev && i < HMR_MAX_EVENTS; i++) {
		const struct hmr_event *e = &W.ev[i];
		int task = e->task < W.ntask ? e->task : -1, cpu = e->cpu < W.ncpu ? e->cpu : 0;
		switch (e->type) {
		case EV_SWITCH:
			on_switch(&t, e);
			break;
		case EV_OP_BEGIN: {
			char op[96];
			hmr_op_print(&W.script->task[task].ops[e->a], op, sizeof(op));
			snprintf(t.opname[task], sizeof(t.opname[task]), "%s: %s", W.script->task[task].name, op);
			open_op(&t, task, cpu, e->step);
			break;
		}
		case EV_OP_END:
			suspend(&t, task, cpu, e->step);
			t.opname[task][0] = 0;
			break;
		case EV_LOCK:
			snprintf(s, sizeof(s), "holds %s", e->fn ? e->fn : "lock");
			ev(&t, "B", s, "lock", cpu, e->step);
			t.depth[task]++;
			break;
		case EV_UNLOCK:
			if (t.depth[task] > 1) {
				ev(&t, "E", "", "lock", cpu, e->step);
				t.depth[task]--;
			}
			break;
		case EV_COUNT:
		case EV_PTE_SET:
		case EV_PTE_CLEAR:
		case EV_PAGE_ADDR:
		case EV_TLB_ONE:
		case EV_TLB_GLOBAL:
		case EV_IPI_SEND:
		case EV_IPI_ACK:
		case EV_LINE_FILL:
		case EV_LINE_CLEAN:
		case EV_LINE_INV:
		case EV_LINE_EVICT:
		case EV_CACHE_ALL:
		case EV_SPEC_FILL:
		case EV_DEV_WRITE:
		case EV_DEV_READ:
		case EV_DMA_MAP:
		case EV_DMA_UNMAP:
			hmr_event_str(e, s, sizeof(s));
			ev(&t, "i", s, e->type >= EV_LINE_FILL && e->type <= EV_CACHE_ALL ? "cache" : "mm", cpu, e->step);
			break;
		default:
			break;
		}
	}
	if (hmr_found.kind >= 0) {
		hmr_title(title, sizeof(title));
		fprintf(out, ",\n{\"ph\":\"i\",\"name\":");
		jstr(out, title);
		fprintf(out, ",\"cat\":\"finding\",\"pid\":1,\"tid\":%d,\"ts\":%u,\"s\":\"g\",\"args\":{\"what\":",
			hmr_found.task >= 0 ? W.script->task[hmr_found.task].cpu : 0, hmr_found.step);
		jstr(out, hmr_found.what);
		fprintf(out, "}}");
	}
	/* End whatever is still open (the execution stopped mid-operation). */
	for (int k = 0; k < W.ntask; k++)
		while (t.depth[k] > 0) {
			fprintf(out, ",\n{\"ph\":\"E\",\"name\":\"\",\"cat\":\"op\",\"pid\":1,\"tid\":%d,\"ts\":%u}",
				W.script->task[k].cpu, W.step);
			t.depth[k]--;
		}
	fprintf(out, "\n]}\n");
}

int hmr_trace_json_file(const char *path)
{
	char tmp[4200];
	FILE *f;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) || !(f = fopen(tmp, "w")))
		return -1;
	hmr_trace_json(f);
	if (fclose(f) || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}
