/* stress_run.c - hmrig stress (README "Quick start"): the free-running stress backend driven
 * for a while, in several processes at once, and the clock of --duration. */
#include "stress_run.h"
#include "../engine/sim/backend.h"
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double t0, limit, first = -1;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double hmr_clock_elapsed(void) { return now() - t0; }
double hmr_clock_first(void) { return first; }

static atomic_int *stop_all;	/* shared by the stress copies: one found it */

static int clock_stop(const struct hmr_result *r)
{
	double t = now() - t0;
	if (r->failing && first < 0)
		first = t;
	return t >= limit || (stop_all && atomic_load(stop_all));
}

void hmr_clock_start(struct hmr_explore_opts *e, long seconds)
{
	t0 = now();
	limit = (double)seconds;
	first = -1;
	e->stop = clock_stop;
}

struct shared {
	atomic_int stop;
	double first[64];
	struct hmr_result res[];
};

int hmr_stress(const struct hmr_script *s, struct hmr_explore_opts *e, int copies, long seconds,
	       struct hmr_result *r)
{
	size_t size = sizeof(struct shared) + (size_t)copies * sizeof(struct hmr_result);
	struct shared *sh = copies >= 1 && copies <= 64 ?	/* the caller checks copies */
		mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
	pid_t pid[64];
	int best = -1;

	memset(r, 0, offsetof(struct hmr_result, replay));
	r->kind = -1;
	r->replay[0] = r->report[0] = 0;
	if (sh == MAP_FAILED) {
		r->rig_fail = 1;
		snprintf(r->err, sizeof(r->err), "stress: cannot map shared memory for %d copies", copies);
		return -1;
	}
	hmr_backend = &hmr_backend_baton;
	e->stress = 1;
	hmr_clock_start(e, seconds);
	stop_all = &sh->stop;
	fflush(NULL);
	for (int w = 0; w < copies; w++) {
		sh->first[w] = -1;
		pid[w] = fork();
		if (pid[w] == 0) {	/* a copy: its own seed, its own threads */
			e->seed += (uint64_t)w;
			hmr_explore(s, e, &sh->res[w]);
			if (sh->res[w].kind >= 0 && first < 0)
				first = hmr_clock_elapsed();
			sh->first[w] = first;
			if (sh->res[w].kind >= 0 && !e->keep_going)
				atomic_store(&sh->stop, 1);
			_exit(0);
		}
		if (pid[w] < 0) {
			atomic_store(&sh->stop, 1);
			copies = w;
			r->rig_fail = 1;
			snprintf(r->err, sizeof(r->err), "stress: cannot fork copy %d", w + 1);
		}
	}
	for (int w = 0; w < copies; w++) {
		int st;
		const struct hmr_result *x = &sh->res[w];
		waitpid(pid[w], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			r->rig_fail = 1;
			snprintf(r->err, sizeof(r->err), "stress: copy %d died (%s %d)", w + 1,
				 WIFSIGNALED(st) ? "signal" : "exit status",
				 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
			continue;
		}
		r->executions += x->executions;
		r->failing += x->failing;
		r->steps += x->steps;
		if (x->rig_fail || x->input_error) {
			r->rig_fail |= x->rig_fail;
			r->input_error |= x->input_error;
			memcpy(r->err, x->err, sizeof(r->err));
		}
		if (x->kind >= 0 && (best < 0 || sh->first[w] < sh->first[best]))
			best = w;
	}
	if (best >= 0) {
		long ex = r->executions, fa = r->failing;
		uint64_t st = r->steps;
		memcpy(r, &sh->res[best], sizeof(*r));
		r->executions = ex, r->failing = fa, r->steps = st;
		first = sh->first[best];
	}
	munmap(sh, size);
	return r->rig_fail ? -1 : 0;
}
