/* campaign.c - hmrig campaign.
 *
 * Runs libFuzzer (-fork=N) or AFL++ (a main and N-1 secondary instances) on the
 * fuzz target, with the seed corpus, for the time asked, printing progress;
 * --engine=diff runs libFuzzer on the differential target, whose crashes are
 * model-divergences. The model's targets are built for speed, without
 * sanitizers: every crash file first replays on build/asan/hmrig (ASan+UBSan),
 * whose sanitizer report is a finding of its own (the rig's bug) and whose
 * verdict must be the fuzzer's. Then it is replayed three times in-process (the
 * same decoding, HMRIG_OPTIONS and decision bytes as the target, through
 * hmr_diff for the differential one): a crash that does not give the same
 * report each time is a rig bug and is reported as such. The fuzzers' working
 * files (libFuzzer's job corpora, AFL++'s current input) live in a RAM-backed
 * directory; the corpus they keep is written to OUT as they go. A finding
 * already kept (OUT/findings/ID) is no crash to the targets
 * (HMRIG_KNOWN_FINDINGS), so the fuzzers spend their time on new ones. Distinct
 * findings (by id: the title on one profile, report.h) get OUT/findings/ID/
 * with the input, its report, the scenario it converts to and the minimized
 * scenario; OUT/summary.md lists them, OUT/index.html shows them
 * (campaign_page.h). Every file is written atomically and nothing is ever
 * deleted, so a killed campaign (kill -9 included) loses nothing; running it
 * again ends the fuzzers the killed run left, resumes from OUT/corpus
 * (libFuzzer) or OUT/afl (AFL++), keeps the findings it had and goes on
 * counting from OUT/campaign.state. */
#include "campaign.h"
#include "campaign_lock.h"
#include "campaign_page.h"
#include "fuzz_stats.h"
#include "../engine/format/binfmt.h"
#include "../engine/format/kind.h"
#include "../engine/format/hmropts.h"
#include "../engine/format/input.h"
#include "../engine/explore/diff.h"
#include "../engine/explore/minimize.h"
#include "../engine/run/report.h"
#include "../engine/run/run.h"
#include "../engine/sim/cov.h"
#include "../engine/sim/world.h"
#include "../engine/format/site.h"
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXF 256

struct finding {
	uint32_t id;		/* hmr_finding_id */
	char title[160];
	char profile[400];	/* and the first input's switches, "+name" each */
	char file[512];		/* the input that first gave it */
	double found_at;	/* seconds of fuzzing, over every run of the campaign */
	long execs;		/* executions by then (as the fuzzers reported) */
	int confirmed;
	int sanitizer;		/* a sanitizer report on the confirming build */
	int asan;		/* confirmed on build/asan/hmrig too */
	int tsan;		/* a data race: 1 confirmed on build/tsan/hmrig, -1 not seen there */
	int written;		/* scenario.scn exists */
	int minimized;		/* minimized.scn exists */
	int trace;		/* trace.json exists */
	int earlier;		/* found by an earlier run of the campaign */
};

static struct finding found[MAXF];
static int nfound;
static double t0;		/* when this run started */
static long last_execs;		/* over every run */
static long coverage;		/* the fuzzers' */
static int differential;	/* --engine=diff */
static const char *options;	/* the HMRIG_OPTIONS the target runs under */
static int allow_test;		/* which may name a test-only switch */
static int fuzzing;		/* the fuzzers run (1), or have just ended (-1) */
static volatile sig_atomic_t interrupted;	/* SIGINT or SIGTERM: stop the fuzzers, then sum up */
static char ramdir[1100];	/* the fuzzers' TMPDIR, or "" */
static char known_dir[1100];	/* OUT/findings for the targets, set while they run */
static const char *mark;	/* HMRIG_CAMPAIGN=OUT for them (campaign_lock.h) */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void mkdirs(const char *path)
{
	char p[1024];
	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

/* Write a file atomically: a temporary beside it, then rename. */
static int put_file(const char *path, const void *data, size_t n)
{
	char tmp[1100];
	FILE *f;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f))
		return -1;
	return rename(tmp, path);
}

static long read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		return -1;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

/* ---- what the campaign keeps across runs ---- */

/* OUT/campaign.state, text, rewritten whole and atomically: what a later run
 * needs of the earlier ones, which kill -9 may have ended. The seconds of
 * fuzzing and executions before this run, when each finding was first found,
 * the samples the page plots, and the RAM directory the last run used. */
#define MAXS 2048

static struct {
	double elapsed;
	long execs;
	char ramdir[1100];
	struct first { uint32_t id; double at; long execs; } first[MAXF];
	int nfirst;
} prior;
static struct hmr_page_sample samples[MAXS];
static int nsamples;

/* Seconds of fuzzing, over every run of the campaign. */
static double clock_s(void) { return prior.elapsed + now() - t0; }

static void load_state(const char *out)
{
	char p[1100], line[1200];
	snprintf(p, sizeof(p), "%s/campaign.state", out);
	FILE *f = fopen(p, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct first *e = &prior.first[prior.nfirst];
		struct hmr_page_sample *sm = &samples[nsamples];
		if (sscanf(line, "elapsed %lf", &prior.elapsed) == 1 || sscanf(line, "execs %ld", &prior.execs) == 1)
			continue;
		if (!strncmp(line, "ramdir ", 7))
			snprintf(prior.ramdir, sizeof(prior.ramdir), "%.*s", (int)strcspn(line + 7, "\n"), line + 7);
		else if (prior.nfirst < MAXF && sscanf(line, "finding %x %lf %ld", &e->id, &e->at, &e->execs) == 3)
			prior.nfirst++;
		else if (nsamples < MAXS &&
			 sscanf(line, "sample %lf %ld %ld %d", &sm->t, &sm->execs, &sm->cov, &sm->findings) == 4)
			nsamples++;
	}
	fclose(f);
	if (nsamples)	/* the fuzzers' coverage is not lost with a restart */
		coverage = samples[nsamples - 1].cov;
}

static void save_state(const char *out)
{
	static char buf[1 << 18];
	char p[1100];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "elapsed %.1f\nexecs %ld\nramdir %s\n", clock_s(), last_execs,
				    ramdir);
	for (int i = 0; i < nfound; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "finding %08x %.1f %ld\n", found[i].id, found[i].found_at,
				      found[i].execs);
	for (int i = 0; i < nsamples && n < sizeof(buf) - 100; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "sample %.1f %ld %ld %d\n", samples[i].t, samples[i].execs,
				      samples[i].cov, samples[i].findings);
	snprintf(p, sizeof(p), "%s/campaign.state", out);
	put_file(p, buf, n);
}

/* A progress sample; the oldest half thinned when they fill the table. */
static void sample(void)
{
	if (nsamples == MAXS) {
		for (int i = 0; i < MAXS / 2; i++)
			samples[i] = samples[2 * i];
		nsamples = MAXS / 2;
	}
	samples[nsamples++] = (struct hmr_page_sample){ clock_s(), last_execs, coverage, nfound };
}

static pid_t spawn(char *const argv[], const char *log, const char *opts);
static int real_source(void);

/* ---- replaying an input ---- */

static struct hmr_script script, mini;
static struct hmr_result res, again;

/* The input as `hmrig replay FILE` runs it (tools/hmrig.c load_binary), so
 * that a report written from here is that command's output. */
static int replay(const uint8_t *buf, size_t n, const char *file, struct hmr_result *r)
{
	struct hmr_explore_opts o;
	const uint8_t *dec;
	size_t ndec;
	char err[400];
	if (differential)	/* cannot fail: hmr_campaign took options, the rest are twins */
		(void)hmr_bin_set_options(hmr_diff_input_options(buf, n, options), allow_test, err, sizeof(err));
	hmr_bin_decode(buf, n, file, &script, &dec, &ndec);
	if (hmr_bin_normalise(&script, file) < 0) {
		memset(r, 0, sizeof(*r));
		r->kind = -1;
		r->rig_fail = 1;
		snprintf(r->err, sizeof(r->err), "%s: the decoded script does not re-parse", file);
		return -1;
	}
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_BYTES;
	o.runs = 1;
	o.bytes = dec;
	o.nbytes = ndec;
	o.derived = differential ? 0 : HMR_BIN_SCHEDULES - 1;
	if (differential)
		hmr_diff(&script, &o, r);
	else
		hmr_explore(&script, &o, r);
	return r->kind;
}

/* Returns 0 if the file was written: the summary points only at those. */
static int write_scn(const char *path, const struct hmr_script *s)
{
	static char text[1 << 20];
	int n = hmr_scn_print(s, text, sizeof(text));
	if (n <= 0 || (size_t)n >= sizeof(text))
		return -1;
	return put_file(path, text, (size_t)n);
}

/* The speed-built target's crashes replay on the ASan+UBSan build first
 * (the differential and real-source targets are sanitized themselves). */
static int sanitized_confirm(void) { return !differential && !real_source(); }

/* Crash files already considered: each is replayed once, not at every scan.
 * While the fuzzers run, a file younger than two seconds waits for the next
 * scan (it may still be being written). */
static char **seen;
static size_t nseen, capseen;

static int too_young(const char *path)
{
	struct stat sb;
	return fuzzing && stat(path, &sb) == 0 && time(NULL) - sb.st_mtime < 2;
}

static int seen_before(const char *path)
{
	for (size_t i = 0; i < nseen; i++)
		if (!strcmp(seen[i], path))
			return 1;
	if (nseen == capseen) {
		char **n = realloc(seen, sizeof(*seen) * (capseen = capseen ? 2 * capseen : 256));
		if (!n)
			return 0;
		seen = n;
	}
	if ((seen[nseen] = strdup(path)))
		nseen++;
	return 0;
}

/* `BINDIR/BUILD/hmrig replay path` (BUILD "asan" or "tsan") under the
 * target's HMRIG_OPTIONS; its stdout and stderr into out. Returns 0, or -1 if
 * it could not run. */
static int sanitized_replay(const struct hmr_campaign_opts *o, const char *build, const char *path, char *out,
			    size_t cap)
{
	char bin[600], log[1100];
	snprintf(bin, sizeof(bin), "%s/%s/hmrig", o->bindir, build);
	snprintf(log, sizeof(log), "%s/.confirm.log", o->out);
	unlink(log);
	char *argv[] = { bin, "replay", (char *)path, NULL };
	pid_t pid = spawn(argv, log, options);
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || (WIFEXITED(status) && WEXITSTATUS(status) >= 126))
		return -1;
	long n = read_file(log, (uint8_t *)out, cap - 1);
	out[n > 0 ? n : 0] = 0;
	unlink(log);
	return 0;
}

static const char *sanitizer_error(const char *out)
{
	static const char *const marks[] = { "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
					     "ERROR: UndefinedBehaviorSanitizer" };
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *m = strstr(out, marks[i]);
		if (m)
			return m;
	}
	return NULL;
}

/* A new finding of script (as last decoded) with this title, from the crash
 * file path; NULL if the campaign has it. The id is over the whole title, as
 * the targets' known() computes it from the report's title line; the table
 * shows it without the report's HMR_TITLE_PREFIX. */
static struct finding *keep(const char *title, const char *path)
{
	static const char bug[] = HMR_TITLE_PREFIX;
	uint32_t id = hmr_finding_id(title, script.profile);
	for (int i = 0; i < nfound; i++)
		if (found[i].id == id)
			return NULL;
	if (nfound == MAXF)
		return NULL;
	struct finding *f = &found[nfound++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	snprintf(f->title, sizeof(f->title), "%s", strncmp(title, bug, sizeof(bug) - 1) ? title : title + sizeof(bug) - 1);
	snprintf(f->file, sizeof(f->file), "%s", path);
	int n = snprintf(f->profile, sizeof(f->profile), "%s", script.profile >= 0 ? hmr_profiles[script.profile].name : "?");
	for (int i = 0; i < SW__N && n > 0 && (size_t)n < sizeof(f->profile); i++)
		if (script.switches >> i & 1)
			n += snprintf(f->profile + n, sizeof(f->profile) - (size_t)n, " +%s", hmr_switches[i].name);
	/* When it was first found: an earlier run's crash file is kept again
	 * at every run, found when that run found it. */
	f->found_at = clock_s();
	f->execs = last_execs;
	for (int i = 0; i < prior.nfirst; i++)
		if (prior.first[i].id == id) {
			f->found_at = prior.first[i].at;
			f->execs = prior.first[i].execs;
			f->earlier = 1;
		}
	return f;
}

/* OUT/findings/ID/ (into dir) with the input and its report. */
static void store(const struct hmr_campaign_opts *o, const struct finding *f, const uint8_t *buf, size_t n,
		  const char *report, char *dir, size_t dirsz)
{
	char p[1200];
	snprintf(dir, dirsz, "%s/findings/%08x", o->out, f->id);
	mkdirs(dir);
	snprintf(p, sizeof(p), "%s/input.bin", dir);
	put_file(p, buf, n);
	snprintf(p, sizeof(p), "%s/report.txt", dir);
	put_file(p, report, strlen(report));
}

/* On a terminal each finding is announced as it comes; in a log the next
 * progress line counts them (the summary lists them all), so that a
 * campaign's output stays a screenful. */
static int announced;

static void announce(const struct finding *f)
{
	if (!isatty(STDOUT_FILENO) || f->earlier)
		return;
	printf("campaign: new finding %08x after %.0f s: %s (%s)\n", f->id, f->found_at, f->title, f->profile);
	fflush(stdout);
}

static double last_t;	/* the last progress line's clock_s() and executions */
static long last_n;

static void progress(void)
{
	double t = clock_s();
	long rate = t > last_t ? (long)((double)(last_execs - last_n) / (t - last_t)) : 0;

	printf("campaign: %4.0f s  %10ld executions  %7ld/s  coverage %5ld  %d distinct finding(s)", t, last_execs,
	       rate > 0 ? rate : 0, coverage, nfound);
	if (nfound > announced && !isatty(STDOUT_FILENO))
		printf(" (%d new)", nfound - announced);
	printf("\n");
	fflush(stdout);
	announced = nfound;
	last_t = t;
	last_n = last_execs;
}

/* While the fuzzers run, every ten seconds (now if at_end): a progress line,
 * a sample, the state and the page. Also called between the crash files a
 * scan confirms, which can take longer than that. */
static void page(const struct hmr_campaign_opts *o);
static void read_stats(void);

static void tick(const struct hmr_campaign_opts *o, int at_end)
{
	if (!fuzzing || (!at_end && (fuzzing < 0 || clock_s() - last_t < 10)))
		return;	/* once they have ended, one line sums up */
	read_stats();
	progress();
	sample();
	save_state(o->out);
	page(o);
}

/* A sanitizer report on the confirming build: the rig's bug, kept with the
 * input and the sanitizer's words. */
static void sanitizer_finding(const struct hmr_campaign_opts *o, const char *path, const uint8_t *buf, size_t n,
			      const char *out, const char *err)
{
	char title[160], dir[1100];
	size_t len = strcspn(err, "\n");
	snprintf(title, sizeof(title), "sanitizer report on build/asan/hmrig: %.*s", (int)(len > 100 ? 100 : len), err);
	hmr_bin_decode(buf, n, path, &script, NULL, NULL);	/* its profile and switches; nothing runs */
	struct finding *f = keep(title, path);
	if (!f)
		return;
	f->sanitizer = 1;
	store(o, f, buf, n, out, dir, sizeof(dir));
	announce(f);
}

/* A crash file: confirm it, and keep it if its signature is new. */
static void consider(const struct hmr_campaign_opts *o, const char *path)
{
	static uint8_t buf[1 << 20];
	static char replay_out[1 << 18];
	char dir[1100], p[1200];
	struct hmr_min_stats st;
	const char *err;

	tick(o, 0);
	/* Interrupted, a file waits for the next run: a stopping campaign does
	 * not start replays the same signal may kill. */
	if (interrupted || too_young(path) || seen_before(path))
		return;
	long n = read_file(path, buf, sizeof(buf));
	if (n < 0)
		return;
	if (hmr_input_kind(buf, (size_t)n, NULL) != HMR_INPUT_FUZZ) {
		/* The targets skip such inputs (an older one's crash): its
		 * input.bin would not replay as fuzz bytes without --input. */
		fprintf(stderr, "campaign: %s is not fuzz bytes by its content: skipped (hmrig replay --input=fuzz "
			"runs it)\n", path);
		return;
	}
	int asan = sanitized_confirm();
	int failed = asan && sanitized_replay(o, "asan", path, replay_out, sizeof(replay_out)) < 0;
	if (interrupted)
		return;
	if (failed) {
		fprintf(stderr, "campaign: %s/asan/hmrig cannot replay %s: kept, not confirmed on it\n", o->bindir, path);
		asan = 0;
	}
	if (asan) {
		if ((err = sanitizer_error(replay_out))) {
			sanitizer_finding(o, path, buf, (size_t)n, replay_out, err);
			return;	/* not replayed in-process: it broke memory */
		}
	}
	if (replay(buf, (size_t)n, path, &res) < 0) {
		fprintf(stderr, "campaign: %s gives no finding on replay (a rig bug: %s)\n", path,
			res.rig_fail || res.input_error ? res.err : "nondeterminism?");
		return;
	}
	struct finding *f = keep(res.title, path);
	if (!f)
		return;
	/* Named as it is kept: report.txt is what `hmrig replay` of the kept
	 * input prints (with the campaign's HMRIG_OPTIONS). */
	snprintf(p, sizeof(p), "%s/findings/%08x/input.bin", o->out, f->id);
	f->confirmed = replay(buf, (size_t)n, p, &res) >= 0;
	for (int k = 0; k < 2; k++)	/* the same report, every time */
		if (replay(buf, (size_t)n, p, &again) != res.kind || strcmp(again.report, res.report))
			f->confirmed = 0;
	int same = f->confirmed;
	f->asan = asan;
	if (asan && !strstr(replay_out, res.title))
		f->confirmed = 0;	/* the sanitized build's verdict differs */
	/* A data race is confirmed by ThreadSanitizer too, when make tsan has
	 * built it: the TSan build's detector is TSan (the native one is off
	 * there), whose titles name the innermost model functions, so its
	 * replay must give a data race and TSan's report, not the same title. */
	snprintf(p, sizeof(p), "%s/tsan/hmrig", o->bindir);
	if (asan && res.kind == HMR_K_data_race && access(p, X_OK) == 0 &&
	    sanitized_replay(o, "tsan", path, replay_out, sizeof(replay_out)) == 0)
		f->tsan = strstr(replay_out, HMR_TITLE_PREFIX "data-race") &&
			  strstr(replay_out, "WARNING: ThreadSanitizer: data race") ? 1 : -1;
	if (f->tsan < 0)
		f->confirmed = 0;
	store(o, f, buf, (size_t)n, res.report, dir, sizeof(dir));
	/* The last in-process replay's execution, still in W (the sanitized
	 * ones ran apart), is the finding's: its Perfetto trace. A divergence's
	 * last execution is Linux's code, not the model's. */
	snprintf(p, sizeof(p), "%s/trace.json", dir);
	f->trace = !differential && same && hmr_trace_json_file(p) == 0;
	/* The scenario it converts to: the script and the schedule it followed
	 * (a decisions: block when a schedule: block would be too long). */
	if (hmr_adopt_schedule(&script, &res) == 0) {
		script.expect = res.kind;
		snprintf(script.title, sizeof(script.title), "found by hmrig campaign: %.120s", f->title);
		snprintf(p, sizeof(p), "%s/scenario.scn", dir);
		snprintf(script.file, sizeof(script.file), "%s", p);
		f->written = write_scn(p, &script) == 0;
	}
	/* The minimizer keeps a finding of hmrig explore; a divergence is hmrig
	 * diff's, so its scenario stays as the fuzzer found it. */
	if (f->written && !differential && hmr_minimize(&script, NULL, &mini, &st, NULL) == 0) {
		snprintf(mini.title, sizeof(mini.title), "%.140s (minimized)", f->title);
		snprintf(p, sizeof(p), "%s/minimized.scn", dir);
		f->minimized = write_scn(p, &mini) == 0;
	}
	announce(f);
}

/* Every crash file under dir (recursively for AFL++'s layout). */
static void scan(const struct hmr_campaign_opts *o, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int n = 0;
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp") || !strcmp(de->d_name, "README.txt"))
			continue;
		char **nn = realloc(names, sizeof(char *) * (size_t)(n + 1));
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	for (int i = 0; i < n; i++) {	/* in name order: deterministic dedup */
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
		char p[1100];
		struct stat sb;
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode) && depth < 3)
			scan(o, p, depth + 1);
		else if (S_ISREG(sb.st_mode) && (depth > 0 || !strncmp(names[i], "crash-", 6)))
			consider(o, p);
		free(names[i]);
	}
	free(names);
}

/* ---- the campaign's page ---- */

static const char *confirmed(const struct finding *f)
{
	return f->sanitizer ? "sanitizer's own report" : f->tsan < 0 ? "NO: TSan sees no data race" :
	       !f->confirmed ? "NO: replays differ" : f->tsan ? "yes (3 replays, ASan+UBSan and TSan)" :
	       f->asan ? "yes (3 replays, and ASan+UBSan)" : "yes (3 replays)";
}

static int has_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while (d && !n && (de = readdir(d)))
		n = de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The switch pairs the corpus reaches, each counted once per input:
 * every input the fuzzers kept, replayed in-process with the pairs recorded
 * (sim/cov.h), up to MAX_PAIR_INPUTS of them in directory order. */
#define MAX_PAIR_INPUTS 4000
static uint32_t pairs[HMR_SITE__N * HMR_SITE__N];
static long pair_inputs;

static void pairs_of(const char *dir)
{
	static uint8_t buf[1 << 20], one[HMR_SITE__N * HMR_SITE__N];
	DIR *d = opendir(dir);
	struct dirent *de;
	hmr_cov_pairs = one;
	while (d && pair_inputs < MAX_PAIR_INPUTS && !interrupted && (de = readdir(d))) {
		char p[1400];
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		long n = de->d_name[0] == '.' ? -1 : read_file(p, buf, sizeof(buf));
		if (n < 0 || hmr_input_kind(buf, (size_t)n, NULL) != HMR_INPUT_FUZZ)
			continue;
		memset(one, 0, sizeof(one));
		replay(buf, (size_t)n, p, &again);
		for (size_t i = 0; i < sizeof(one); i++)
			pairs[i] += one[i];
		pair_inputs++;
	}
	if (d)
		closedir(d);
	hmr_cov_pairs = NULL;
}

static void measure_pairs(const struct hmr_campaign_opts *o)
{
	char p[1100];
	if (strcmp(o->engine, "afl")) {
		snprintf(p, sizeof(p), "%s/corpus", o->out);
		pairs_of(p);
		return;
	}
	for (int j = 0; j < o->jobs && j < HMR_AFL_MAX; j++) {
		char name[32];
		hmr_afl_name(j, name, sizeof(name));
		snprintf(p, sizeof(p), "%s/afl/%s/queue", o->out, name);
		pairs_of(p);
	}
}

/* OUT/index.html; the interleaving picture once measured (at the end). */
static void page(const struct hmr_campaign_opts *o)
{
	static struct hmr_page_finding pf[MAXF];
	char p[1100];
	for (int i = 0; i < nfound; i++) {
		const struct finding *f = &found[i];
		pf[i] = (struct hmr_page_finding){ .id = f->id, .title = f->title, .profile = f->profile,
						   .confirmed = confirmed(f), .found_at = f->found_at, .execs = f->execs,
						   .report = 1, .minimized = f->minimized, .scenario = f->written,
						   .trace = f->trace, .input = 1 };
	}
	struct hmr_page pg = { .engine = o->engine, .profile = o->profile, .jobs = o->jobs, .elapsed = clock_s(),
			       .execs = last_execs, .samples = samples, .nsamples = nsamples, .findings = pf,
			       .nfindings = nfound, .pairs = pair_inputs ? pairs : NULL, .nsites = HMR_SITE__N,
			       .corpus = pair_inputs };
	snprintf(p, sizeof(p), "%s/index.html", o->out);
	if (hmr_campaign_page(p, &pg) < 0)
		fprintf(stderr, "campaign: cannot write %s\n", p);
}

/* ---- running the fuzzer ---- */

static pid_t spawn(char *const argv[], const char *log, const char *opts)
{
	fflush(stdout);	/* or the child prints what the parent has buffered again */
	pid_t pid = fork();
	if (pid > 0)
		setpgid(pid, pid);	/* as the child does: whichever runs first */
	if (pid)
		return pid;
	setpgid(0, 0);	/* a group of its own: its helpers (libFuzzer's jobs) end with it */
	if (opts && *opts)
		setenv("HMRIG_OPTIONS", opts, 1);
	setenv("AFL_SKIP_CPUFREQ", "1", 1);
	setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
	setenv("AFL_NO_UI", "1", 1);
	if (ramdir[0]) {
		setenv("TMPDIR", ramdir, 1);	/* libFuzzer's -fork job corpora */
		setenv("AFL_TMPDIR", ramdir, 1);
	}
	if (known_dir[0])	/* what it finds again is no crash */
		setenv("HMRIG_KNOWN_FINDINGS", known_dir, 1);
	putenv((char *)mark);	/* a stray of this run is known by it (campaign_lock.h) */
	if (!freopen(log, "a", stdout) || !freopen(log, "a", stderr))
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

/* ---- the fuzzers' counts ---- */

static struct hmr_fuzz_stats stats;

/* This run's executions (fuzz_stats.h) on top of the earlier runs'. */
static void read_stats(void)
{
	hmr_fuzz_stats_read(&stats);
	coverage = stats.cov > coverage ? stats.cov : coverage;
	last_execs = prior.execs + stats.execs;
}

/* Every directory of crash files: AFL++ renames an instance's crashes/ to
 * crashes.DATE when it resumes, and an instance may be one of an earlier
 * run with more jobs. */
static void crash_dirs(const struct hmr_campaign_opts *o)
{
	char p[1100];
	if (strcmp(o->engine, "afl")) {
		snprintf(p, sizeof(p), "%s/crashes", o->out);
		scan(o, p, 0);
		return;
	}
	snprintf(p, sizeof(p), "%s/afl", o->out);
	DIR *d = opendir(p);
	struct dirent *de, *ie;
	while (d && (de = readdir(d))) {
		char inst[1400];
		if (de->d_name[0] == '.')
			continue;
		snprintf(inst, sizeof(inst), "%s/%s", p, de->d_name);
		DIR *i = opendir(inst);
		while (i && (ie = readdir(i))) {
			char c[1700];
			if (!strncmp(ie->d_name, "crashes", 7)) {
				snprintf(c, sizeof(c), "%s/%s", inst, ie->d_name);
				scan(o, c, 1);
			}
		}
		if (i)
			closedir(i);
	}
	if (d)
		closedir(d);
}

static int real_source(void) { return script.profile >= 0 && hmr_profiles[script.profile].ksrc; }

/* The fuzz target the engine runs: a real-source profile needs the one linked
 * with make ksrc's copies of the tree's code. */
static const char *target(const struct hmr_campaign_opts *o)
{
	if (!strcmp(o->engine, "afl"))
		return "hmrig-afl";
	if (differential)
		return "hmrig-diff-libfuzzer";
	return real_source() ? "hmrig-ksrc-libfuzzer" : "hmrig-libfuzzer-fast";
}

static void interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* The fuzzers' scratch files go to RAM when the machine has /dev/shm: they
 * are rewritten at every new input and nothing in them is kept.
 * HMRIG_RAMDIR names another place (the tests: their own, so that a
 * campaign running beside them is not taken for one they left behind). */
static void ram_begin(void)
{
	const char *base = getenv("HMRIG_RAMDIR");
	int n = snprintf(ramdir, sizeof(ramdir) - 8, "%s/hmrig-campaign-", base && *base ? base : "/dev/shm");
	if (n < 0 || (size_t)n >= sizeof(ramdir) - 8) {
		ramdir[0] = 0;
		return;
	}
	memset(ramdir + n, 'X', 6);	/* mkdtemp's template: six of them */
	ramdir[n + 6] = 0;
	if (!mkdtemp(ramdir))
		ramdir[0] = 0;
}

/* Remove a RAM directory of this run's, or the one a killed run left. */
static void ram_remove(const char *dir)
{
	if (strstr(dir, "/hmrig-campaign-"))
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void ram_end(void)
{
	ram_remove(ramdir);
	ramdir[0] = 0;
}

/* The end of OUT/fuzzer.log on stderr: why a fuzzer stopped. */
static void log_tail(const char *log)
{
	static char buf[1 << 14];
	long n = read_file(log, (uint8_t *)buf, sizeof(buf) - 1);
	int lines = 0;
	char *p;

	buf[n > 0 ? n : 0] = 0;
	for (p = buf + (n > 0 ? n : 0); p > buf && lines < 13; p--)
		lines += p[-1] == '\n';
	fprintf(stderr, "--- the end of %s ---\n%s", log, p);
}

/* Whether what a fuzzer needs is there; else say what, and how to get it. */
static int can_start(const char *bin, const char *mut)
{
	const char *make = real_source() || differential ? "make ksrc" : "make fuzz";
	if (access(bin, X_OK) < 0) {
		fprintf(stderr, "hmrig: campaign: %s is missing: %s builds it\n", bin, make);
		return 0;
	}
	if (mut && access(mut, R_OK) < 0) {
		fprintf(stderr, "hmrig: campaign: %s (AFL++'s custom mutator) is missing: make fuzz builds it\n", mut);
		return 0;
	}
	return 1;
}

static int run_fuzzer(const struct hmr_campaign_opts *o, const char *opts)
{
	char bin[600], corpus[1100], crashes[1100], log[1100], t[32], fork_n[32], afl_out[1100], mut[600];
	pid_t pids[16];		/* each also its process group's id (spawn) */
	int np = 0, ended[16] = { 0 };

	snprintf(log, sizeof(log), "%s/fuzzer.log", o->out);
	snprintf(t, sizeof(t), "%d", o->seconds);
	snprintf(bin, sizeof(bin), "%s/%s", o->bindir, target(o));
	snprintf(mut, sizeof(mut), "%s/libhmrig-mutator.so", o->bindir);
	if (!can_start(bin, strcmp(o->engine, "afl") ? NULL : mut))
		return -3;
	ram_begin();
	hmr_fuzz_stats_begin(&stats, o->out, ramdir, !strcmp(o->engine, "afl"), o->jobs);
	save_state(o->out);	/* its RAM directory, for the next run to remove if this one is killed */
	snprintf(known_dir, sizeof(known_dir), "%s/findings", o->out);
	if (strcmp(o->engine, "afl")) {
		snprintf(corpus, sizeof(corpus), "%s/corpus", o->out);
		snprintf(crashes, sizeof(crashes), "%s/crashes/", o->out);
		mkdirs(corpus);
		mkdirs(crashes);
		snprintf(fork_n, sizeof(fork_n), "-fork=%d", o->jobs);
		char mt[48], ap[1200];
		snprintf(mt, sizeof(mt), "-max_total_time=%d", o->seconds);
		snprintf(ap, sizeof(ap), "-artifact_prefix=%s", crashes);
		char *argv[] = { bin, corpus, (char *)o->seeds, fork_n, "-ignore_crashes=1", "-ignore_timeouts=1",
				 "-ignore_ooms=1", mt, ap, "-print_final_stats=1", NULL };
		pids[np++] = spawn(argv, log, opts);
	} else {
		snprintf(afl_out, sizeof(afl_out), "%s/afl", o->out);
		mkdirs(afl_out);
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", mut, 1);
		for (int j = 0; j < o->jobs && j < HMR_AFL_MAX; j++) {
			char name[32], path[1200];
			hmr_afl_name(j, name, sizeof(name));
			/* An instance resumes from its queue (afl-fuzz -i -); one that
			 * has none (it never started) starts from the seeds again. */
			snprintf(path, sizeof(path), "%s/%s/queue", afl_out, name);
			int resume = has_files(path);
			hmr_fuzz_stats_afl(&stats, j, resume, path, sizeof(path));
			setenv("HMRIG_SCHEDULE_LOG", path, 1);
			char *argv[] = { "afl-fuzz", "-i", resume ? "-" : (char *)o->seeds, "-o", afl_out,
					 j ? "-S" : "-M", name, "-V", t, "--", bin, NULL };
			pids[np++] = spawn(argv, log, opts);
		}
		unsetenv("HMRIG_SCHEDULE_LOG");
	}
	fuzzing = 1;
	sample();	/* where this run's lines on the page begin */
	/* Progress every ten seconds; collect findings as they come. */
	double start = now(), end = start + o->seconds + 30, scanned = start;
	int alive = np, died = 0, status;
	while (alive && now() < end && !interrupted) {
		sleep(1);
		for (int i = 0; i < np; i++)
			if (pids[i] > 0 && !ended[i] && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				ended[i] = 1;
				alive--;
				/* libFuzzer ends its time with 77 when it found something */
				if (!died && now() - start < o->seconds - 1) {
					died = 1;
					fprintf(stderr, "hmrig: campaign: %s stopped after %.0f s (%s %d)\n",
						strcmp(o->engine, "afl") ? bin : "afl-fuzz", now() - t0,
						WIFEXITED(status) ? "exit status" : "signal",
						WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
					log_tail(log);
				}
			}
		if (!alive)
			fuzzing = -1;
		if (now() - scanned >= 10 || !alive) {
			scanned = now();
			crash_dirs(o);
		}
		tick(o, !alive);
	}
	read_stats();
	for (int i = 0; i < np; i++) {
		if (pids[i] <= 0)
			continue;
		if (!ended[i]) {
			kill(-pids[i], SIGINT);
			waitpid(pids[i], NULL, 0);
		}
		/* A job libFuzzer's -fork parent left running would go on writing
		 * to the RAM directory after it is removed. */
		kill(-pids[i], SIGKILL);
	}
	fuzzing = 0;
	known_dir[0] = 0;
	ram_end();
	return died ? -3 : 0;
}

#define SHOWN_ROWS 12	/* of the table on stdout: make campaign's output, its build line and 13 progress lines in 40 */

static void summary(const struct hmr_campaign_opts *o)
{
	static char buf[1 << 16];
	char p[1100];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			      "# hmrig campaign\n\nengine %s, %d job(s), %d s (%.0f s of fuzzing in all runs), profile %s, "
			      "%ld executions\n\n"
			      "| kind and sites | profile and switches | finding | found after | executions by then | confirmed | minimized |\n"
			      "|---|---|---|---|---|---|---|\n",
			      o->engine, o->jobs, o->seconds, clock_s(), o->profile ? o->profile : "any", last_execs);
	for (int i = 0; i < nfound && n < sizeof(buf) - 600; i++) {
		const struct finding *f = &found[i];
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "| %s | %s | %08x | %.0f s | %ld | %s | findings/%08x/%s |\n",
				      f->title, f->profile, f->id, f->found_at, f->execs, confirmed(f), f->id,
				      f->minimized ? "minimized.scn" : f->written ? "scenario.scn (not minimized)" : "input.bin (no scenario)");
	}
	if (!nfound)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "| (none) | | | | | | |\n");
	snprintf(p, sizeof(p), "%s/summary.md", o->out);
	put_file(p, buf, n);
	/* On stdout the table, its first rows if it is long, and where the rest is. */
	const char *from = strstr(buf, "\n\n") + 2, *end = from;	/* past the "# hmrig campaign" */
	for (int rows = 0; *end && rows < SHOWN_ROWS + 4; end++)	/* 4: the heading */
		rows += *end == '\n';
	fwrite(from, 1, (size_t)(end - from), stdout);
	int minimized = 0;
	for (int i = 0; i < nfound; i++)
		minimized += found[i].minimized;
	if (nfound > SHOWN_ROWS)
		printf("... and %d more\n", nfound - SHOWN_ROWS);
	printf("\nThe table: %s. Minimized scenarios (%d): %s/findings/ID/minimized.scn; each finding's report,\n"
	       "input and scenario are beside it.\n", p, minimized, o->out);
}

int hmr_campaign(const struct hmr_campaign_opts *o)
{
	static char opts[600];
	static struct hmr_script model, real;
	char err[300];

	differential = !strcmp(o->engine, "diff");
	allow_test = o->allow_test;
	snprintf(opts, sizeof(opts), "%s%s%s%s", o->profile ? "profile=" : "", o->profile ? o->profile : "",
		 o->profile && o->options ? ":" : "", o->options ? o->options : "");
	hmr_script_init(&script);
	if (opts[0] && hmr_apply_options(opts, &script, err, sizeof(err)) < 0) {
		fprintf(stderr, "hmrig: campaign: %s\n", err);
		return -2;
	}
	if (real_source() && !strcmp(o->engine, "afl")) {
		fprintf(stderr, "hmrig: campaign: %s runs Linux's own code, which only build/hmrig-ksrc-libfuzzer "
			"has (make ksrc): use --engine=libfuzzer\n", hmr_profiles[script.profile].name);
		return -2;
	}
	/* A campaign on one profile fuzzes that kernel alone: the seeds' own
	 * switches would plant the catalogue's historical bugs in it (and, on a
	 * real-source profile, put the model's historical shapes around the real
	 * code). --switch names the ones wanted. */
	if (script.profile >= 0 && !strstr(opts, "switch="))
		strncat(opts, ":switch=none", sizeof(opts) - strlen(opts) - 1);
	if (hmr_bin_set_options(opts, allow_test, err, sizeof(err)) < 0) {
		fprintf(stderr, "hmrig: campaign: %s\n", err);	/* a test-only switch through --config */
		return -2;
	}
	if (differential && o->profile && hmr_diff_twins(&script, &model, &real, err, sizeof(err)) < 0) {
		fprintf(stderr, "hmrig: campaign: %s\n", err + strlen(script.file) + 2);
		return -2;
	}
	if (differential && !o->profile && opts[0]) {
		fprintf(stderr, "hmrig: campaign: --engine=diff picks a profile per input unless --profile names one, "
			"which options need\n");
		return -2;
	}
	struct stat sb;
	if (stat(o->seeds, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "hmrig: campaign: no seed corpus directory %s (make seeds makes corpus/seeds)\n", o->seeds);
		return -2;
	}
	snprintf(err, sizeof(err), "%s/asan/hmrig", o->bindir);
	if (sanitized_confirm() && access(err, X_OK) < 0) {
		fprintf(stderr, "hmrig: campaign: %s confirms the findings: make asan first\n", err);
		return -2;
	}
	options = opts;
	signal(SIGINT, interrupt);
	signal(SIGTERM, interrupt);
	mkdirs(o->out);
	mark = hmr_campaign_mark(o->out);
	if (hmr_campaign_lock(o->out) < 0) {
		fprintf(stderr, "hmrig: campaign: another campaign runs on %s (it holds %s/.lock)\n", o->out, o->out);
		return -2;
	}
	load_state(o->out);
	hmr_campaign_end_strays(mark);
	ram_remove(prior.ramdir);
	t0 = now();
	last_execs = last_n = prior.execs;
	last_t = prior.elapsed;
	printf("campaign: %s (%s/%s), %d job(s), %d s, seeds %s, output %s%s%s\n", o->engine, o->bindir, target(o),
	       o->jobs, o->seconds, o->seeds, o->out, opts[0] ? ", HMRIG_OPTIONS=" : "", opts);
	crash_dirs(o);	/* what an earlier run left: kept */
	announced = nfound;
	int failed = interrupted ? 0 : run_fuzzer(o, opts);
	crash_dirs(o);
	if (interrupted)
		printf("campaign: interrupted; crash files not considered yet stay in %s for the next run\n", o->out);
	if (!failed)
		sample();
	save_state(o->out);
	summary(o);
	measure_pairs(o);
	page(o);
	return failed ? failed : nfound;
}
