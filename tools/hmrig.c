/* hmrig.c - the command line (README "Quick start").
 * Exit codes: 0 no finding / success, 1 a kernel finding, 2 usage or input error,
 * 3 internal rig failure (HMRFAIL). */
#include "campaign.h"
#include "../engine/backend.h"
#include "stress_run.h"
#include "../engine/ksrc.h"
#include "../engine/binfmt.h"
#include "../engine/choice.h"
#include "../engine/diff.h"
#include "../engine/hmropts.h"
#include "../engine/tidy.h"
#include "../engine/minimize.h"
#include "../engine/report.h"
#include "../engine/run.h"
#include "../engine/script.h"
#include "../engine/world.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct opts {
	const char *profile;
	uint32_t sw;
	const char *config;
	const char *strategy;
	long runs;
	int has_runs;
	uint64_t seed;
	int has_seed;
	int bound, has_bound;
	int depth, has_depth;
	int keep_going;
	int trace;
	int tidy;
	const char *schedule;
	const char *decisions;
	const char *save;
	const char *trace_json;
	const char *output;
	const char *engine;
	const char *out;
	long jobs, seconds;
	long threads, duration;
	int has_duration;
	long repeat;
	int help;
	int nfiles;
	const char *files[256];
};

static struct hmr_script script;
static struct hmr_result result;
static uint8_t declog[1 << 16];

static void die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hmrig: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(code);
}

static const char *opt_val(const char *arg, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) || arg[n] != '=')
		return NULL;
	return arg + n + 1;
}

static long num(const char *v, const char *name)
{
	char *end;
	long x = strtol(v, &end, 0);
	if (!*v || *end || x < 0)
		die(2, "--%s needs a non-negative number, not '%s'", name, v);
	return x;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	const char *v;
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			o->help = 1;
		else if (!strcmp(a, "-o") && i + 1 < argc)
			o->output = argv[++i];
		else if ((v = opt_val(a, "--output")))
			o->output = v;
		else if ((v = opt_val(a, "--engine")))
			o->engine = v;
		else if ((v = opt_val(a, "--backend"))) {
			if (!strcmp(v, "baton"))
				hmr_backend = &hmr_backend_baton;
			else if (strcmp(v, "fibers"))
				die(2, "--backend must be fibers or baton, not '%s'", v);
		}
		else if ((v = opt_val(a, "--out")))
			o->out = v;
		else if ((v = opt_val(a, "--jobs")))
			o->jobs = num(v, "jobs");
		else if (!strcmp(a, "--threads"))	/* stress always uses real threads */
			o->threads = 1;
		else if ((v = opt_val(a, "--threads"))) {
			o->threads = num(v, "threads");
			if (o->threads < 1 || o->threads > 64)
				die(2, "--threads must be 1 to 64, not %ld", o->threads);
		}
		else if ((v = opt_val(a, "--duration")))
			o->duration = num(v, "duration"), o->has_duration = 1;
		else if ((v = opt_val(a, "--time")))
			o->seconds = num(v, "time");
		else if ((v = opt_val(a, "--profile")))
			o->profile = v;
		else if ((v = opt_val(a, "--switch"))) {
			int sw = hmr_switch_lookup(v, (int)strlen(v));
			if (sw < 0)
				die(2, "unknown switch '%s' (see 'hmrig profiles')", v);
			o->sw |= 1u << sw;
		} else if ((v = opt_val(a, "--config")))
			o->config = v;
		else if ((v = opt_val(a, "--strategy")))
			o->strategy = v;
		else if ((v = opt_val(a, "--runs")))
			o->runs = num(v, "runs"), o->has_runs = 1;
		else if ((v = opt_val(a, "--seed"))) {
			char *end;
			o->seed = strtoull(v, &end, 0);
			if (!*v || *end)
				die(2, "--seed needs a number, not '%s'", v);
			o->has_seed = 1;
		} else if ((v = opt_val(a, "--bound")))
			o->bound = (int)num(v, "bound"), o->has_bound = 1;
		else if ((v = opt_val(a, "--depth")))
			o->depth = (int)num(v, "depth"), o->has_depth = 1;
		else if (!strcmp(a, "--keep-going"))
			o->keep_going = 1;
		else if (!strcmp(a, "--trace"))
			o->trace = 1;
		else if (!strcmp(a, "--tidy"))
			o->tidy = 1;
		else if ((v = opt_val(a, "--schedule")))
			o->schedule = v;
		else if ((v = opt_val(a, "--decisions")))
			o->decisions = v;
		else if ((v = opt_val(a, "--save")))
			o->save = v;
		else if ((v = opt_val(a, "--trace-json")))
			o->trace_json = v;
		else if ((v = opt_val(a, "--repeat")))
			o->repeat = num(v, "repeat");
		else if (a[0] == '-' && a[1] == '-')
			die(2, "unknown option '%s' (try --help)", a);
		else if (o->nfiles < 256)
			o->files[o->nfiles++] = a;
		else
			die(2, "too many files");
	}
}

static int strategy_of(const char *name)
{
	for (int i = 0; i < STRAT__N; i++)
		if (i != STRAT_BYTES && !strcmp(name, hmr_strategy_names[i]))
			return i;
	die(2, "--strategy must be random, pct, exhaustive or schedule, not '%s'", name);
}

/* "A until site#2; B; A" -> the script's schedule lines, read by the scenario
 * parser itself: the script printed without its schedule, then the lines. */
static void parse_schedule(const char *text, struct hmr_script *s)
{
	static char buf[1 << 20];
	static struct hmr_script copy, parsed;
	char err[600];
	size_t n;

	copy = *s;
	copy.has_schedule = 0;
	copy.nsched = 0;
	n = (size_t)hmr_scn_print(&copy, buf, sizeof(buf));
	n += (size_t)snprintf(buf + n, sizeof(buf) > n ? sizeof(buf) - n : 0, "schedule:\n");
	for (const char *p = text; *p && n < sizeof(buf) - 8;) {
		size_t len = strcspn(p, ";");
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "    %.*s\n", (int)len, p);
		p += len + (p[len] == ';');
	}
	if (n >= sizeof(buf) - 8)
		die(2, "--schedule: too long");
	if (hmr_scn_parse(buf, n, "--schedule", &parsed, err, sizeof(err)) < 0) {
		const char *msg = strstr(err, "error: ");
		die(2, "--schedule: %s", msg ? msg + 7 : err);
	}
	s->has_schedule = 1;
	s->nsched = parsed.nsched;
	memcpy(s->sched, parsed.sched, sizeof(s->sched[0]) * (size_t)parsed.nsched);
}

/* "17:1,40:2" -> dense ranks. */
static size_t parse_decisions(const char *text)
{
	size_t n = 0;
	memset(declog, 0, sizeof(declog));
	for (const char *p = text; *p;) {
		char *end;
		long i = strtol(p, &end, 10), r;
		if (end == p || *end != ':' || i < 0 || i >= (long)sizeof(declog))
			die(2, "--decisions: want INDEX:RANK,... at '%s'", p);
		r = strtol(end + 1, &end, 10);
		if (r < 0 || r > 255)
			die(2, "--decisions: rank out of range at '%s'", p);
		declog[i] = (uint8_t)r;
		if ((size_t)i + 1 > n)
			n = (size_t)i + 1;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			die(2, "--decisions: want INDEX:RANK,...");
	}
	return n;
}

/* A binary (fuzz) input: its bytes, and the decision bytes after the script. */
static uint8_t binbuf[1 << 20];
static const uint8_t *bin_dec;
static size_t bin_ndec;
static int bin_input;

static int is_scenario(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && !strcmp(path + n - 4, ".scn");
}

static void load_binary(const char *path, struct hmr_script *s)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		die(2, "%s: cannot read", path);
	n = fread(binbuf, 1, sizeof(binbuf), f);
	if (ferror(f) || !feof(f))
		die(2, "%s: unreadable or larger than %zu bytes", path, sizeof(binbuf) - 1);
	fclose(f);
	hmr_bin_decode(binbuf, n, path, s, &bin_dec, &bin_ndec);
	bin_input = 1;
	if (hmr_bin_normalise(s, path) < 0)
		die(3, "HMRFAIL: %s: the decoded script does not re-parse", path);
}

/* FILE.scn is scenario text; anything else is a binary fuzz input (README "Fuzzing"). */
static void load(const char *path, const struct opts *o, struct hmr_script *s)
{
	char err[512];
	bin_input = 0;
	if (!is_scenario(path)) {
		load_binary(path, s);
	} else if (hmr_scn_load(path, s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	if (o->profile) {
		s->profile = hmr_profile_lookup(o->profile, (int)strlen(o->profile));
		if (s->profile < 0 && !strncmp(o->profile, "src-", 4) && !hmr_ksrc_impls[0])
			die(2, "%s: profile %s runs Linux's own highmem code: use build/hmrig-ksrc (make ksrc)", path,
			    o->profile);
		if (s->profile < 0)
			die(2, "unknown profile '%s' (see 'hmrig profiles')", o->profile);
	}
	s->switches |= o->sw;
	if (o->config) {
		char buf[1024], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", o->config);
		for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(kv, '=');
			int id = eq ? hmr_opt_lookup(kv, (int)(eq - kv)) : -1, v;
			if (id < 0)
				die(2, "--config: unknown key in '%s'", kv);
			if (hmr_opt_parse_value(id, eq + 1, (int)strlen(eq + 1), &v, err, sizeof(err)) < 0)
				die(2, "--config: %s", err);
			s->cfg.v[id] = v;
			s->cfg_set |= 1u << id;
		}
		if (hmr_config_validate(&s->cfg, err, sizeof(err)) < 0)
			die(2, "--config: %s", err);
	}
	if (o->schedule)
		parse_schedule(o->schedule, s);
}

/* The options that changed the script as loaded, for the replay command. */
static const char *run_args(const struct opts *o)
{
	static char buf[4096];
	size_t n = 0;
	buf[0] = 0;
	if (o->profile)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " --profile=%s", o->profile);
	for (int i = 0; i < SW__N && n < sizeof(buf); i++)
		if (o->sw >> i & 1)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " --switch=%s", hmr_switches[i].name);
	if (o->config && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " --config=%s", o->config);
	return buf[0] ? buf + 1 : buf;
}

static void explore_opts(const struct opts *o, const struct hmr_script *s, struct hmr_explore_opts *e, int single)
{
	hmr_explore_opts_from_script(s, e);
	e->args = run_args(o);
	if (single) {		/* run/replay: one execution */
		e->strategy = bin_input ? STRAT_BYTES : STRAT_SCHEDULE;
		e->runs = 1;
		e->bytes = bin_dec;
		e->nbytes = bin_ndec;
	}
	if (o->strategy) {
		e->strategy = strategy_of(o->strategy);
		e->runs = e->strategy == STRAT_EXHAUSTIVE ? 0 : 1000;
		if (single && e->strategy == STRAT_EXHAUSTIVE)
			die(2, "run/replay take one execution: use explore for --strategy=exhaustive");
	}
	if (o->has_runs)
		e->runs = o->runs;
	if (single && e->strategy != STRAT_SCHEDULE && e->strategy != STRAT_BYTES)
		e->runs = 1;
	if (o->has_seed)
		e->seed = o->seed;
	if (o->has_bound)
		e->bound = o->bound;
	if (o->has_depth)
		e->depth = o->depth;
	e->keep_going = o->keep_going;
	if (o->schedule) {
		e->strategy = STRAT_SCHEDULE;
		e->sched_override = 1;
	}
	if (o->decisions) {
		e->strategy = STRAT__N;
		e->nlog = parse_decisions(o->decisions);
		e->log = declog;
	}
}

static int finish(const struct hmr_result *r, int print_execs)
{
	if (r->rig_fail) {
		fprintf(stderr, "HMRFAIL: %s\n", r->err);
		return 3;
	}
	if (r->input_error) {
		fprintf(stderr, "%s\n", r->err);
		return 2;
	}
	if (print_execs)
		printf("executions: %ld\n", r->executions);
	if (r->kind < 0) {
		if (!print_execs)
			printf("no finding (%llu steps)\n", (unsigned long long)r->steps);
		else
			printf("no finding\n");
		return 0;
	}
	fputs(r->report, stdout);
	if (print_execs && r->failing > 1)
		printf("failing executions: %ld\n", r->failing);
	return 1;
}

/* Print a script as scenario text into path (atomically: a temporary file,
 * then rename), or to stdout if path is NULL. */
static void write_scenario(const char *what, const char *path, const struct hmr_script *s)
{
	static char buf[1 << 20];
	char tmp[4200];
	FILE *f;
	int n = hmr_scn_print(s, buf, sizeof(buf));

	if (n < 0 || (size_t)n >= sizeof(buf))
		die(3, "HMRFAIL: %s: the scenario does not fit in %zu bytes", what, sizeof(buf));
	if (!path) {
		fwrite(buf, 1, (size_t)n, stdout);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fwrite(buf, 1, (size_t)n, f) != (size_t)n || fclose(f) || rename(tmp, path))
		die(2, "%s: cannot write %s", what, path);
}

/* Write the first finding's execution as a scenario that replays it: the
 * script, its expect: kind and the schedule it followed. */
static void save_scenario(const char *path, const struct hmr_script *s, const struct hmr_result *r)
{
	static struct hmr_script out;

	if (r->nsched < 0)
		die(3, "HMRFAIL: --save: the schedule is longer than a schedule: block may be (%d lines)", HMR_MAX_SCHED);
	out = *s;
	out.expect = r->kind;
	out.has_explore = 0;
	out.has_schedule = 1;
	out.nsched = r->nsched;
	memcpy(out.sched, r->sched, sizeof(out.sched[0]) * (size_t)r->nsched);
	write_scenario("--save", path, &out);
}

/* Scenario text <-> binary input. The schedule survives: a scenario becomes
 * its script plus the decision bytes of its execution; a binary input becomes
 * its script plus the schedule: block its execution followed. */
static int cmd_convert(struct opts *o)
{
	static struct hmr_script out;
	static uint8_t bytes[1 << 17], enc[1 << 20];
	struct hmr_explore_opts e;

	if (o->help || o->nfiles != 1 || !o->output) {
		fputs("usage: hmrig convert FILE -o OUT [--tidy]\n"
		      "FILE.scn -> a binary input (the script and its execution's decisions;\n"
		      "with --tidy the script is first tidied, as fuzz inputs are: engine/tidy.h);\n"
		      "a binary input -> OUT as scenario text with the schedule: block it followed.\n"
		      "Either way OUT replays to the same report.\n", o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	load(o->files[0], o, &script);
	if (o->tidy && !bin_input)
		hmr_script_tidy(&script);	/* a seed: what the fuzz targets run */
	explore_opts(o, &script, &e, 1);
	hmr_explore(&script, &e, &result);
	if (o->tidy && result.input_error && script.has_schedule) {
		/* Tidying changed what the schedule was written for: a seed does
		 * with the default one. */
		script.has_schedule = 0;
		script.nsched = 0;
		explore_opts(o, &script, &e, 1);
		hmr_explore(&script, &e, &result);
	}
	if (result.input_error || result.rig_fail)
		return finish(&result, 0);
	if (bin_input) {
		if (result.nsched < 0)
			die(3, "HMRFAIL: convert: the schedule is longer than a schedule: block may be (%d lines)", HMR_MAX_SCHED);
		out = script;	/* its title says where it came from */
		out.has_schedule = result.nsched > 0;	/* no tasks: nothing to schedule */
		out.nsched = result.nsched;
		memcpy(out.sched, result.sched, sizeof(out.sched[0]) * (size_t)result.nsched);
		write_scenario("convert", o->output, &out);
		return 0;
	}
	size_t nb = hmr_decision_bytes(bytes, sizeof(bytes));
	size_t n = hmr_bin_encode(&script, bytes, nb, enc, sizeof(enc));
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->output);
	FILE *f = fopen(tmp, "wb");
	if (n > sizeof(enc) || !f || fwrite(enc, 1, n, f) != n || fclose(f) || rename(tmp, o->output))
		die(2, "convert: cannot write %s", o->output);
	return 0;
}

static int cmd_minimize(struct opts *o)
{
	static struct hmr_script out;
	struct hmr_min_stats st;

	if (o->help || o->nfiles != 1) {
		fputs("usage: hmrig minimize FILE [-o OUT.scn] [common options]\n"
		      "Shrink a failing scenario (its schedule: block, or what its explore: line\n"
		      "finds) to a short one with the same report title: drop tasks, drop\n"
		      "operations (ddmin), drop preemptions, move them late, shrink the config,\n"
		      "drop switches. Prints the result (or writes OUT.scn); progress on stderr.\n",
		      o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	load(o->files[0], o, &script);
	if (hmr_minimize(&script, &out, &st, stderr) < 0) {
		fprintf(stderr, "hmrig: minimize: %s gives no finding to keep\n", o->files[0]);
		return 2;
	}
	snprintf(out.title, sizeof(out.title), "%.140s%sminimized", script.title, script.title[0] ? " (" : "");
	if (script.title[0])
		strcat(out.title, ")");
	fprintf(stderr, "minimize: %s: ops %d -> %d, preemptions %d -> %d, %ld candidates tried\n",
		st.title, st.ops0, st.ops1, st.pre0, st.pre1, st.tests);
	write_scenario("minimize", o->output, &out);
	return 0;
}

static const char *const usage_run =
	"usage: hmrig run|replay FILE [--schedule='A until SITE#K; B; ...'] [--decisions=I:R,...]\n"
	"                             [--strategy=random|pct --seed=S] [--trace] [--trace-json=OUT]\n"
	"                             [--repeat=K]\n"
	"                             [--save=OUT.scn] [common options]\n"
	"Run one execution of a scenario: its schedule: block (or the default policy:\n"
	"the running task continues, then the lowest-numbered task), a symbolic\n"
	"schedule, a decision log from a report, or one seeded random/PCT execution.\n"
	"--trace prints every event; --trace-json writes a Chrome/Perfetto trace (one\n"
	"track per CPU). Exit 1 and a report if there is a finding.\n"
	"--repeat=K runs it K times and fails (HMRFAIL, exit 3) unless every report is\n"
	"identical. --save writes the execution as a scenario with its schedule.\n";

static const char *const usage_explore =
	"usage: hmrig explore FILE [--strategy=random|pct|exhaustive] [--runs=N] [--seed=S]\n"
	"                          [--depth=D] [--bound=K] [--keep-going] [--save=OUT.scn]\n"
	"                          [--duration=S] [common options]\n"
	"Run many schedules of one scenario, as its explore: line says unless options\n"
	"override it; stop at the first finding unless --keep-going. Prints executions: N.\n"
	"--save writes the first failing execution as a scenario that replays it.\n"
	"--duration=S runs for S seconds (as many executions as fit, unless --runs) and\n"
	"prints the rate and when the first finding came.\n";

static const char *const usage_check =
	"usage: hmrig check FILE|DIR... [common options]\n"
	"Explore each scenario as its explore: line says and compare the first finding's\n"
	"kind with its expect: line. Prints PASS/FAIL per file and 'N passed, M failed'.\n";

static const char *const usage_common =
	"common options: --profile=NAME --switch=NAME (repeatable) --config=key=value,...\n"
	"                --backend=fibers|baton (tasks as fibers, or as real threads passing a baton)\n";

/* After a run by the clock: how long, and when the first finding came. */
static void print_timing(const struct hmr_result *r)
{
	double el = hmr_clock_elapsed();
	printf("elapsed: %.1f s, %.0f executions/s\n", el, el > 0 ? r->executions / el : 0.0);
	if (r->kind >= 0)
		printf("first finding: execution %ld, after %.3f s\n", r->first_at, hmr_clock_first());
}

static int cmd_run(struct opts *o, int single)
{
	struct hmr_explore_opts e;
	if (o->help || o->nfiles != 1) {
		fputs(single ? usage_run : usage_explore, o->help ? stdout : stderr);
		fputs(usage_common, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, single);
	if (o->has_duration && !single) {
		if (!o->has_runs)
			e.runs = 0;	/* as many as the time allows */
		hmr_clock_start(&e, o->duration);
	}
	hmr_explore(&script, &e, &result);
	if (o->has_duration && !single)
		print_timing(&result);
	if (o->trace && !result.input_error)
		hmr_trace_print(stdout);
	if (o->trace_json && !result.input_error) {
		char tmp[4200];
		snprintf(tmp, sizeof(tmp), "%s.tmp", o->trace_json);
		FILE *f = fopen(tmp, "w");
		if (!f)
			die(2, "--trace-json: cannot write %s", o->trace_json);
		hmr_trace_json(f);
		if (fclose(f) || rename(tmp, o->trace_json))
			die(2, "--trace-json: cannot write %s", o->trace_json);
	}
	for (long k = 1; k < o->repeat && !result.input_error && !result.rig_fail; k++) {
		static struct hmr_result again;
		hmr_explore(&script, &e, &again);
		if (again.kind != result.kind || strcmp(again.report, result.report)) {
			fprintf(stderr, "HMRFAIL: nondeterministic replay: execution %ld of %ld differs from the first\n",
				k + 1, o->repeat);
			return 3;
		}
	}
	if (o->save && result.kind >= 0)
		save_scenario(o->save, &script, &result);
	else if (o->save)
		fprintf(stderr, "hmrig: --save: no finding, nothing written\n");
	return finish(&result, !single);
}

static const char *const usage_diff =
	"usage: hmrig diff FILE [--strategy=random|pct|exhaustive --runs=N --seed=S --bound=K --depth=D]\n"
	"                       [--schedule=S] [--duration=S] [common options]\n"
	"The differential oracle (build/hmrig-ksrc, make ksrc): FILE on a model\n"
	"profile and on the real-source profile of its era (hmrig-ksrc profiles:\n"
	"src-x86 on x86-6.1 for the 6.1 tree; either twin may be FILE's profile or\n"
	"--profile's), without bug switches. Tasks\n"
	"switch only where both have a scheduling point - an operation's start,\n"
	"kmap_lock and the page-address locks, the sleep for a slot and its wake-up -\n"
	"or where one blocks: the model decides, the real code takes the same\n"
	"decisions. After every operation the two must agree on pkmap_count[], the\n"
	"pkmap and kmap_local PTEs, the highmem pages' addresses and the slot cursor,\n"
	"and at the end on the verdict; the first difference is a model-divergence\n"
	"finding. Schedules come from the explore: line unless options say otherwise\n"
	"(a fuzz input: its own decision bytes).\n";

static int cmd_diff(struct opts *o)
{
	struct hmr_explore_opts e;
	if (o->help || o->nfiles != 1) {
		fputs(usage_diff, o->help ? stdout : stderr);
		fputs(usage_common, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, bin_input);
	if (o->has_duration) {
		if (!o->has_runs)
			e.runs = 0;
		hmr_clock_start(&e, o->duration);
	}
	hmr_diff(&script, &e, &result);
	if (o->has_duration && !result.input_error && !result.rig_fail)
		print_timing(&result);
	return finish(&result, 1);
}

static const char *const usage_stress =
	"usage: hmrig stress FILE [--threads[=N]] [--duration=S] [--seed=N] [--keep-going] [--save=OUT.scn]\n"
	"                         [common options]\n"
	"The classic stress test, with the oracles on: the scenario's tasks run on real\n"
	"threads, free-running - at every scheduling point their threads race, after\n"
	"random delays, for who runs next - over and over, for --duration seconds\n"
	"(default 10) or until the first finding (--keep-going: count them all).\n"
	"--threads=N runs N copies side by side, one process each (default 1). The\n"
	"schedule: and explore: lines are ignored. Prints executions: N and the first\n"
	"finding, whose replay command replays it exactly on fibers.\n";

static int cmd_stress(struct opts *o)
{
	struct hmr_explore_opts e;
	if (o->help || o->nfiles != 1) {
		fputs(usage_stress, o->help ? stdout : stderr);
		fputs(usage_common, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	if (o->strategy || o->schedule || o->decisions)
		die(2, "stress: the threads decide the schedule (no --strategy, --schedule or --decisions)");
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, 0);
	e.strategy = STRAT_RANDOM;	/* for hardware choices; the threads pick tasks */
	e.runs = o->has_runs ? o->runs : 0;
	if (!o->has_seed)
		e.seed = 1;
	hmr_stress(&script, &e, o->threads ? (int)o->threads : 1, o->has_duration ? o->duration : 10, &result);
	if (result.rig_fail || result.input_error)
		return finish(&result, 1);
	print_timing(&result);
	if (o->save && result.kind >= 0)
		save_scenario(o->save, &script, &result);
	return finish(&result, 1);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Expand directories into their *.scn files, sorted. */
static int expand(struct opts *o, char **list, int max)
{
	int n = 0;
	for (int i = 0; i < o->nfiles; i++) {
		struct stat st;
		if (stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(o->files[i]);
			struct dirent *de;
			int first = n;
			while (d && (de = readdir(d)) && n < max) {
				size_t len = strlen(de->d_name);
				if (len > 4 && !strcmp(de->d_name + len - 4, ".scn")) {
					list[n] = malloc(strlen(o->files[i]) + len + 2);
					sprintf(list[n++], "%s/%s", o->files[i], de->d_name);
				}
			}
			if (d)
				closedir(d);
			qsort(list + first, (size_t)(n - first), sizeof(char *), cmp_str);
		} else if (n < max) {
			list[n++] = strdup(o->files[i]);
		}
	}
	return n;
}

static int cmd_check(struct opts *o)
{
	static char *list[1024];
	int pass = 0, fail = 0;
	if (o->help || !o->nfiles) {
		fputs(usage_check, o->help ? stdout : stderr);
		fputs(usage_common, o->help ? stdout : stderr);
		return o->help ? 0 : 2;
	}
	int n = expand(o, list, 1024);
	for (int i = 0; i < n; i++) {
		struct hmr_explore_opts e;
		char err[512];
		if (hmr_scn_load(list[i], &script, err, sizeof(err)) < 0) {
			printf("FAIL %s: %s\n", list[i], err);
			fail++;
			continue;
		}
		load(list[i], o, &script);
		explore_opts(o, &script, &e, 0);
		hmr_explore(&script, &e, &result);
		int want = script.expect == HMR_EXPECT_UNSET ? HMR_EXPECT_NONE : script.expect;
		const char *wn = want < 0 ? "none" : hmr_kinds[want].name;
		const char *gn = result.kind < 0 ? "none" : hmr_kinds[result.kind].name;
		if (result.input_error || result.rig_fail) {
			printf("FAIL %s: %s%s\n", list[i], result.rig_fail ? "HMRFAIL: " : "", result.err);
			fail++;
		} else if (want == result.kind) {
			printf("PASS %s  (%s after %ld execution%s)\n", list[i], gn, result.executions,
			       result.executions == 1 ? "" : "s");
			pass++;
		} else {
			printf("FAIL %s: expected %s, got %s after %ld executions\n", list[i], wn, gn, result.executions);
			if (result.kind >= 0)
				fputs(result.report, stdout);
			fail++;
		}
		free(list[i]);
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}

static int cmd_profiles(struct opts *o)
{
	if (o->help) {
		puts("usage: hmrig profiles\nList the kernel profiles and bug switches, one line each.");
		return 0;
	}
	if (hmr_ksrc_release[0])
		printf("source: Linux %s (%s)\n", hmr_ksrc_release, hmr_ksrc_dir);
	for (int i = 0; i < hmr_nprofiles; i++)
		printf("profile %-12s %s\n", hmr_profiles[i].name, hmr_profiles[i].help);
	for (int i = 0; i < SW__N; i++)
		printf("switch  %-24s %s\n", hmr_switches[i].name, hmr_switches[i].help);
	return 0;
}

/* --engine=pct: PCT exploration of every scenario, without their schedule:
 * blocks, and a table of the distinct findings (no fuzzer needed). */
static int campaign_pct(struct opts *o)
{
	static char *list[1024];
	static struct { uint32_t sig; char title[160]; char replay[2048]; long execs; } seen[256];
	int nseen = 0;
	if (!o->nfiles)
		o->files[o->nfiles++] = "scenarios";
	int n = expand(o, list, 1024);
	for (int i = 0; i < n; i++) {
		struct hmr_explore_opts e;
		load(list[i], o, &script);
		script.has_schedule = 0;
		memset(&e, 0, sizeof(e));
		e.strategy = STRAT_PCT;
		e.runs = o->has_runs ? o->runs : 2000;
		e.seed = o->has_seed ? o->seed : 1;
		e.depth = o->has_depth ? o->depth : 3;
		hmr_explore(&script, &e, &result);
		fprintf(stderr, "campaign: %-48s %6ld executions  %s\n", list[i], result.executions,
			result.kind < 0 ? "no finding" : result.title);
		if (result.kind < 0)
			continue;
		int k = 0;
		while (k < nseen && seen[k].sig != result.signature)
			k++;
		if (k == nseen && nseen < 256) {
			seen[k].sig = result.signature;
			snprintf(seen[k].title, sizeof(seen[k].title), "%s", result.title);
			snprintf(seen[k].replay, sizeof(seen[k].replay), "%s", result.replay);
			seen[k].execs = result.first_at;
			nseen++;
		}
		free(list[i]);
	}
	printf("%-9s  %-8s  %s\n", "signature", "found at", "finding / replay command");
	for (int k = 0; k < nseen; k++)
		printf("%08x   %8ld  %s\n                     %s\n", seen[k].sig, seen[k].execs, seen[k].title + 12,
		       seen[k].replay);
	printf("%d distinct finding(s) in %d scenario(s)\n", nseen, n);
	return 0;
}

static int cmd_campaign(struct opts *o)
{
	struct hmr_campaign_opts c;
	if (o->help) {
		puts("usage: hmrig campaign [--engine=libfuzzer|afl|pct] [--jobs=N] [--time=S] [--profile=P]\n"
		     "                      [--out=DIR] [--config=k=v,...] [--switch=NAME]\n"
		     "Run a fuzz campaign (default libFuzzer, 2 jobs, 120 s, every profile, output in\n"
		     "build/campaign) from the seed corpus corpus/seeds; show progress; replay every\n"
		     "crash three times to confirm it; dedup by signature; convert and minimize each\n"
		     "finding into DIR/findings/SIG/; write DIR/summary.md. A killed campaign keeps what\n"
		     "it found; running it again resumes from DIR. --engine=pct instead explores every\n"
		     "scenario in scenarios/ (or the FILEs given) with PCT, no fuzzer needed.");
		return 0;
	}
	if (o->engine && !strcmp(o->engine, "pct"))
		return campaign_pct(o);
	if (o->engine && strcmp(o->engine, "libfuzzer") && strcmp(o->engine, "afl"))
		die(2, "--engine must be libfuzzer, afl or pct");
	static char extra[512];
	size_t n = 0;
	for (int i = 0; i < SW__N; i++)
		if (o->sw >> i & 1)
			n += (size_t)snprintf(extra + n, sizeof(extra) - n, "%sswitch=%s", n ? ":" : "", hmr_switches[i].name);
	if (o->config)
		for (const char *p = o->config; *p && n < sizeof(extra) - 2; p++)
			extra[n++] = *p == ',' ? ':' : *p;
	extra[n] = 0;
	memset(&c, 0, sizeof(c));
	c.engine = o->engine ? o->engine : "libfuzzer";
	c.jobs = o->jobs ? (int)o->jobs : 2;
	c.seconds = o->seconds ? (int)o->seconds : 120;
	c.profile = o->profile;
	c.options = n ? extra : NULL;
	c.out = o->out ? o->out : "build/campaign";
	c.seeds = "corpus/seeds";
	c.bindir = "build";
	return hmr_campaign(&c) < 0 ? 2 : 0;
}

static void usage(FILE *f)
{
	fputs("usage: hmrig <command> [options] ...\n"
	      "commands:\n"
	      "  run FILE        run one scenario once and report\n"
	      "  replay FILE     replay an execution exactly (--schedule, --decisions, --trace)\n"
	      "  explore FILE    many schedules of one scenario (random, pct, exhaustive)\n"
	      "  check FILE...   explore scenarios and compare with their expect: lines\n"
	      "  stress FILE     run a scenario on free-running real threads (--threads, --duration)\n"
	      "  diff FILE       the model against Linux's own mm/highmem.c (build/hmrig-ksrc)\n"
	      "  minimize FILE   shrink a failing scenario, keeping its report title (-o OUT.scn)\n"
	      "  convert FILE    scenario text <-> binary fuzz input (-o OUT)\n"
	      "  bench           throughput and time-to-bug benchmarks (docs/BENCHMARKS.md)\n"
	      "  profiles        list kernel profiles and bug switches\n"
	      "  campaign        a fuzz campaign (libFuzzer or AFL++): findings, minimized\n"
	      "FILE.scn is scenario text; any other FILE is a binary fuzz input.\n"
	      "Exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 rig failure.\n"
	      "'hmrig <command> --help' says more.\n", f);
}

/* The suite is a script (it drives the fuzzers): its options are its own,
 * so every word after the command goes to it unread. */
static int cmd_bench(char **argv)
{
	argv[1] = "tools/bench";
	execv("tools/bench", argv + 1);
	die(2, "bench: cannot run tools/bench from here (run it from the checkout)");
}

/* HMRIG_OPTIONS applies to binary inputs here as in the fuzz targets, so a
 * crash file found under it replays, converts and minimizes the same. */
static void binary_input_options(void)
{
	static struct hmr_script probe;
	const char *env = getenv("HMRIG_OPTIONS");
	char err[300];

	if (!env || !*env)
		return;
	hmr_script_init(&probe);
	if (hmr_apply_options(env, &probe, err, sizeof(err)) < 0)
		die(2, "%s", err);
	hmr_bin_set_options(env);
}

int main(int argc, char **argv)
{
	struct opts o;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "bench"))
		return cmd_bench(argv);
	parse_opts(argc - 2, argv + 2, &o);
	binary_input_options();
	if (!strcmp(cmd, "run") || !strcmp(cmd, "replay"))
		return cmd_run(&o, 1);
	if (!strcmp(cmd, "explore"))
		return cmd_run(&o, 0);
	if (!strcmp(cmd, "check"))
		return cmd_check(&o);
	if (!strcmp(cmd, "stress"))
		return cmd_stress(&o);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(&o);
	if (!strcmp(cmd, "profiles"))
		return cmd_profiles(&o);
	if (!strcmp(cmd, "campaign"))
		return cmd_campaign(&o);
	if (!strcmp(cmd, "minimize"))
		return cmd_minimize(&o);
	if (!strcmp(cmd, "convert"))
		return cmd_convert(&o);
	fprintf(stderr, "hmrig: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
