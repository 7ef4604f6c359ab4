/* fuzz_stats.c - the fuzzers' own counts, as fuzz_stats.h says. */
#include "fuzz_stats.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void hmr_afl_name(int j, char *buf, size_t n)
{
	snprintf(buf, n, "%s%d", j ? "s" : "main", j);
}

static long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long)sb.st_size : 0;
}

/* The last "#N" status line of a libFuzzer log after offset from: N, and its
 * "cov: C" into *cov if greater. 0 if there is none. */
static long lf_status(const char *path, long from, long *cov)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	if (size - from > (long)sizeof(buf) - 1)
		from = size - (long)sizeof(buf) + 1;
	fseek(f, from, SEEK_SET);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	for (char *l = buf + n; l > buf; l--)
		if (l[-1] == '#' && (l - 1 == buf || l[-2] == '\n') && l[0] >= '0' && l[0] <= '9') {
			char *c = strstr(l, "cov: ");
			if (c && c < l + strcspn(l, "\n") && atol(c + 5) > *cov)
				*cov = atol(c + 5);
			return atol(l);
		}
	return 0;
}

/* libFuzzer -fork=N prints a status line only as a job ends, and jobs run
 * up to 300 s: the jobs running now are added from their own logs, in
 * TMPDIR/libFuzzerTemp.FuzzWithFork*.dir/ (those it removes as they end). */
static long fork_jobs(const char *tmpdir, long *cov)
{
	long total = 0;
	DIR *d = tmpdir[0] ? opendir(tmpdir) : NULL;
	struct dirent *de, *je;
	while (d && (de = readdir(d))) {
		char p[1400];
		if (strncmp(de->d_name, "libFuzzerTemp.FuzzWithFork", 26))
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmpdir, de->d_name);
		DIR *j = opendir(p);
		while (j && (je = readdir(j))) {
			size_t len = strlen(je->d_name);
			char log[1700];
			if (len > 4 && !strcmp(je->d_name + len - 4, ".log")) {
				snprintf(log, sizeof(log), "%s/%s", p, je->d_name);
				total += lf_status(log, 0, cov);
			}
		}
		if (j)
			closedir(j);
	}
	if (d)
		closedir(d);
	return total;
}

/* An AFL++ instance's fuzzer_stats: its executions, edges and fuzzer_pid
 * (-1 each if it has none). */
struct afl_stats { long execs, edges, pid; };

static long field(const char *text, const char *name)
{
	const char *e = strstr(text, name);
	return e && (e = strchr(e, ':')) ? atol(e + 1) : -1;
}

static struct afl_stats afl_stats(const struct hmr_fuzz_stats *s, int j)
{
	static char buf[1 << 14];
	char p[1100], name[32];
	FILE *f;
	size_t n = 0;
	hmr_afl_name(j, name, sizeof(name));
	snprintf(p, sizeof(p), "%s/afl/%s/fuzzer_stats", s->out, name);
	if ((f = fopen(p, "rb"))) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return (struct afl_stats){ field(buf, "execs_done"), field(buf, "edges_found"), field(buf, "fuzzer_pid") };
}

/* AFL++ 4.04c writes fuzzer_stats once a minute: between, the target's own
 * count, a line per 256 inputs in OUT/afl/NAME.inputs (the harness's
 * HMRIG_SCHEDULE_LOG), read on from where this run began. */
static long afl_logged(struct hmr_fuzz_stats *s, int j)
{
	static char buf[1 << 16];
	char p[1100], name[32];
	size_t n;
	hmr_afl_name(j, name, sizeof(name));
	snprintf(p, sizeof(p), "%s/afl/%s.inputs", s->out, name);
	FILE *f = fopen(p, "rb");
	if (!f)
		return s->inst[j].inputs;
	fseek(f, s->inst[j].at, SEEK_SET);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (size_t i = 0; i < n; i++)
			s->inst[j].inputs += buf[i] == '\n' ? 256 : 0;
		s->inst[j].at += (long)n;
	}
	fclose(f);
	return s->inst[j].inputs;
}

void hmr_fuzz_stats_begin(struct hmr_fuzz_stats *s, const char *out, const char *tmpdir, int afl, int jobs)
{
	char p[1100];
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->tmpdir = tmpdir;
	s->afl = afl;
	s->jobs = jobs < HMR_AFL_MAX ? jobs : HMR_AFL_MAX;
	snprintf(p, sizeof(p), "%s/fuzzer.log", out);
	s->log_from = file_size(p);
}

void hmr_fuzz_stats_afl(struct hmr_fuzz_stats *s, int j, int resume, char *log, size_t n)
{
	char name[32];
	struct afl_stats then = afl_stats(s, j);
	hmr_afl_name(j, name, sizeof(name));
	s->inst[j].pid = then.pid;
	s->inst[j].base = resume ? then.execs : 0;	/* resumed, AFL++ counts on from it */
	snprintf(log, n, "%s/afl/%s.inputs", s->out, name);
	s->inst[j].at = file_size(log);
}

void hmr_fuzz_stats_read(struct hmr_fuzz_stats *s)
{
	char p[1100];
	long total = 0, cov = 0;
	if (s->afl) {
		for (int j = 0; j < s->jobs; j++) {
			struct afl_stats now = afl_stats(s, j);
			long logged = afl_logged(s, j);
			if (now.pid == s->inst[j].pid)
				now.execs = now.edges = 0;	/* not written by this run yet */
			long n = now.execs > s->inst[j].base ? now.execs - s->inst[j].base : 0;
			total += n > logged ? n : logged;
			cov = now.edges > cov ? now.edges : cov;
		}
	} else {
		snprintf(p, sizeof(p), "%s/fuzzer.log", s->out);
		total = lf_status(p, s->log_from, &cov) + fork_jobs(s->tmpdir, &cov);
	}
	/* Jobs end between the reads: neither count goes back. */
	s->execs = total > s->execs ? total : s->execs;
	s->cov = cov > s->cov ? cov : s->cov;
}
