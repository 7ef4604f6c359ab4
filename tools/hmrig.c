/* hmrig.c - the command line (README "Quick start").
 * Exit codes: 0 no finding / success, 1 a kernel finding, 2 usage or input error,
 * 3 internal rig failure (HMRFAIL). */
#include "campaign.h"
#include "cli.h"
#include "../engine/sim/backend.h"
#include "stress_run.h"
#include "../engine/ksrc/ksrc.h"
#include "../engine/format/binfmt.h"
#include "../engine/sim/choice.h"
#include "../engine/explore/diff.h"
#include "../engine/format/input.h"
#include "../engine/format/tidy.h"
#include "../engine/explore/minimize.h"
#include "../engine/run/report.h"
#include "../engine/run/run.h"
#include "../engine/format/script.h"
#include "../engine/sim/world.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct hmr_script script;
static struct hmr_result result;
static uint8_t declog[1 << 16];


static int strategy_of(const char *name)
{
	for (int i = 0; i < STRAT__N; i++)
		if (i != STRAT_BYTES && !strcmp(name, hmr_strategy_names[i]))
			return i;
	hmr_die(2, "--strategy must be random, pct, exhaustive or schedule, not '%s'", name);
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
	hmr_script_drop_schedule(&copy);
	n = (size_t)hmr_scn_print(&copy, buf, sizeof(buf));
	n += (size_t)snprintf(buf + n, sizeof(buf) > n ? sizeof(buf) - n : 0, "schedule:\n");
	for (const char *p = text; *p && n < sizeof(buf) - 8;) {
		size_t len = strcspn(p, ";");
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "    %.*s\n", (int)len, p);
		p += len + (p[len] == ';');
	}
	if (n >= sizeof(buf) - 8)
		hmr_die(2, "--schedule: too long");
	if (hmr_scn_parse(buf, n, "--schedule", &parsed, err, sizeof(err)) < 0) {
		const char *msg = strstr(err, "error: ");
		hmr_die(2, "--schedule: %s", msg ? msg + 7 : err);
	}
	s->has_schedule = 1;
	s->has_decisions = 0;	/* the schedule given replaces the one written */
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
			hmr_die(2, "--decisions: want INDEX:RANK,... at '%s'", p);
		r = strtol(end + 1, &end, 10);
		if (r < 0 || r > 255)
			hmr_die(2, "--decisions: rank out of range at '%s'", p);
		declog[i] = (uint8_t)r;
		if ((size_t)i + 1 > n)
			n = (size_t)i + 1;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			hmr_die(2, "--decisions: want INDEX:RANK,...");
	}
	return n;
}

/* A binary (fuzz) input: its bytes, and the decision bytes after the script. */
static uint8_t binbuf[1 << 20];
static const uint8_t *bin_dec;
static size_t bin_ndec;
static int bin_input;

/* The file's bytes into binbuf; returns how many. */
static size_t read_input(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	if (!f)
		hmr_die(2, "%s: cannot read", path);
	n = fread(binbuf, 1, sizeof(binbuf), f);
	if (ferror(f) || !feof(f))
		hmr_die(2, "%s: unreadable or larger than %zu bytes", path, sizeof(binbuf) - 1);
	fclose(f);
	return n;
}

static void load_binary(const char *path, size_t n, struct hmr_script *s)
{
	hmr_bin_decode(binbuf, n, path, s, &bin_dec, &bin_ndec);
	bin_input = 1;
	if (hmr_bin_normalise(s, path) < 0)
		hmr_die(3, "HMRFAIL: %s: the decoded script does not re-parse", path);
}

/* A file of neither kind (input.h): say where, as the parser would. */
static void __attribute__((noreturn)) neither(const char *path, size_t n, size_t at)
{
	size_t line = 1, col = 1;

	if (!n) {
		fprintf(stderr, "%s:1:1: error: empty file: neither a scenario nor a fuzz input "
			"(--input=fuzz reads it as the empty fuzz input)\n", path);
		exit(2);
	}
	for (size_t i = 0; i < at; i++, col++)
		if (binbuf[i] == '\n')
			line++, col = 0;
	fprintf(stderr, "%s:%zu:%zu: error: byte 0x%02x is not UTF-8 text, and no control byte makes the file "
		"fuzz bytes: neither a scenario nor a fuzz input (--input=scenario or --input=fuzz says which)\n",
		path, line, col, binbuf[at]);
	exit(2);
}

/* How FILE is read: as --input says; else FILE.scn is scenario text, as it
 * always was; else as its content says (input.h), its bytes then in binbuf
 * (*n of them) and *by_content set. */
static enum hmr_input kind_of(const char *path, const struct hmr_cli *o, size_t *n, int *by_content)
{
	size_t len = strlen(path), at;
	enum hmr_input kind;

	*n = 0;
	*by_content = 0;
	if (o->input && !strcmp(o->input, "fuzz")) {
		*n = read_input(path);
		return HMR_INPUT_FUZZ;
	}
	if (o->input || (len >= 4 && !strcmp(path + len - 4, ".scn")))
		return HMR_INPUT_SCENARIO;
	*n = read_input(path);
	*by_content = 1;
	kind = hmr_input_kind(binbuf, *n, &at);
	if (kind == HMR_INPUT_NEITHER)
		neither(path, *n, at);
	return kind;
}

/* --profile, --switch, --config and --schedule over the script as loaded. */
static void apply_options(const char *path, const struct hmr_cli *o, struct hmr_script *s)
{
	char err[512];

	if (o->profile) {
		s->profile = hmr_profile_lookup(o->profile, (int)strlen(o->profile));
		if (s->profile < 0 && !strncmp(o->profile, "src-", 4) && !hmr_ksrc_impls[0])
			hmr_die(2, "%s: profile %s runs Linux's own highmem code: use build/hmrig-ksrc (make ksrc)", path,
			    o->profile);
		if (s->profile < 0)
			hmr_die(2, "unknown profile '%s' (see 'hmrig profiles')", o->profile);
	}
	s->switches |= o->switches;
	if (o->config) {
		char buf[1024], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", o->config);
		for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(kv, '=');
			int id = eq ? hmr_opt_lookup(kv, (int)(eq - kv)) : -1, v;
			if (id < 0)
				hmr_die(2, "--config: unknown key in '%s'", kv);
			if (hmr_opt_parse_value(id, eq + 1, (int)strlen(eq + 1), &v, err, sizeof(err)) < 0)
				hmr_die(2, "--config: %s", err);
			s->cfg.v[id] = v;
			s->cfg_set |= 1u << id;
		}
		if (hmr_config_validate(&s->cfg, err, sizeof(err)) < 0)
			hmr_die(2, "--config: %s", err);
	}
	if (o->schedule)
		parse_schedule(o->schedule, s);
}

/* FILE as scenario text or fuzz bytes (README "Input files"), then the
 * options that override what it says. */
static void load(const char *path, const struct hmr_cli *o, struct hmr_script *s)
{
	char err[512];
	size_t n;
	int by_content;

	bin_input = 0;
	if (kind_of(path, o, &n, &by_content) == HMR_INPUT_FUZZ) {
		load_binary(path, n, s);
	} else if (hmr_scn_load(path, s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		if (by_content)
			fprintf(stderr, "%s: note: read as scenario text, as its content says; --input=fuzz reads it "
				"as fuzz bytes\n", path);
		exit(2);
	}
	apply_options(path, o, s);
}

/* The options that changed the script as loaded, for the replay command. */
static const char *run_args(const struct hmr_cli *o)
{
	static char buf[4096];
	size_t n = 0;
	buf[0] = 0;
	if (o->input)	/* read FILE as it was read (a fuzz input that is text, say) */
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " --input=%s", o->input);
	if (o->profile)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " --profile=%s", o->profile);
	for (int i = 0; i < SW__N && n < sizeof(buf); i++)
		if (o->switches >> i & 1)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " --switch=%s", hmr_switches[i].name);
	if (o->config && n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " --config=%s", o->config);
	return buf[0] ? buf + 1 : buf;
}

_Static_assert(HMR_BIN_SCHEDULES == 64, "cli.def's --schedules help says 64");

static void explore_opts(const struct hmr_cli *o, const struct hmr_script *s, struct hmr_explore_opts *e, int single)
{
	hmr_explore_opts_from_script(s, e);
	e->args = run_args(o);
	if (HMR_CLI_GIVEN(o, schedules) && !bin_input)
		hmr_die(2, "--schedules is for binary inputs: a scenario has one schedule");
	if (single) {		/* run/replay: one execution (a binary input: its schedules) */
		if (bin_input)
			e->strategy = STRAT_BYTES;
		else
			hmr_explore_opts_follow(s, e);
		e->runs = 1;
		e->bytes = bin_dec;
		e->nbytes = bin_ndec;
		e->derived = HMR_BIN_SCHEDULES - 1;
		if (HMR_CLI_GIVEN(o, schedules)) {
			if (o->schedules < 1 || o->schedules > HMR_BIN_SCHEDULES)
				hmr_die(2, "--schedules takes 1 to %d", HMR_BIN_SCHEDULES);
			e->derived = (int)o->schedules - 1;
		}
	}
	if (o->strategy) {
		e->strategy = strategy_of(o->strategy);
		e->runs = e->strategy == STRAT_EXHAUSTIVE ? 0 : 1000;
		if (single && e->strategy == STRAT_EXHAUSTIVE)
			hmr_die(2, "run/replay take one execution: use explore for --strategy=exhaustive");
	}
	if (HMR_CLI_GIVEN(o, runs))
		e->runs = o->runs;
	if (single && e->strategy != STRAT_SCHEDULE && e->strategy != STRAT_BYTES)
		e->runs = 1;
	if (HMR_CLI_GIVEN(o, seed))
		e->seed = o->seed;
	if (HMR_CLI_GIVEN(o, bound))
		e->bound = (int)o->bound;
	if (HMR_CLI_GIVEN(o, depth))
		e->depth = (int)o->depth;
	e->keep_going = o->keep_going;
	if (o->schedule) {
		e->strategy = STRAT_SCHEDULE;
		e->sched_override = 1;
	}
	if (o->decisions) {
		e->strategy = STRAT__N;
		e->sched_override = 1;
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
		printf("no finding (%llu steps)\n", (unsigned long long)r->steps);
		return 0;
	}
	fputs(r->report, stdout);
	if (print_execs && r->failing > 1)
		printf("failing executions: %ld\n", r->failing);
	return 1;
}

/* Whether HMR_ALLOW_TEST_ENV lets fuzz runs take a test-only switch. */
static int test_switches_allowed(void)
{
	const char *v = getenv(HMR_ALLOW_TEST_ENV);
	return v && !strcmp(v, "1");
}

/* Exit 2 if switches holds a test-only one: it plants a bug to test the
 * rig's detectors, so what runs fuzz inputs never takes it unless
 * allowed (binfmt.h); "WHAT: switch NAME is test-only: WHY". */
static void refuse_test_switches(uint32_t switches, const char *what, const char *why, int allowed)
{
	for (int id = 0; id < SW__N && !allowed; id++)
		if (switches & HMR_TEST_SWITCHES & 1u << id)
			hmr_die(2, "%s: switch %s is test-only: %s", what, hmr_switches[id].name, why);
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
		hmr_die(3, "HMRFAIL: %s: the scenario does not fit in %zu bytes", what, sizeof(buf));
	if (!path) {
		fwrite(buf, 1, (size_t)n, stdout);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fwrite(buf, 1, (size_t)n, f) != (size_t)n || fclose(f) || rename(tmp, path))
		hmr_die(2, "%s: cannot write %s", what, path);
}

/* s with the schedule r's execution followed, as a scenario that replays
 * it: a schedule: block, or a decisions: block when that would be too long. */
static void adopt(const char *what, struct hmr_script *s, const struct hmr_result *r)
{
	if (hmr_adopt_schedule(s, r) < 0)
		hmr_die(3, "HMRFAIL: %s: the schedule is longer than a schedule: block may be (%d lines) and "
			"the execution took more decisions than a decisions: block holds (%d)", what, HMR_MAX_SCHED,
			HMR_MAX_DECISIONS);
}

/* Write the first finding's execution as a scenario that replays it: the
 * script, its expect: kind and the schedule it followed. */
static void save_scenario(const char *path, const struct hmr_script *s, const struct hmr_result *r)
{
	static struct hmr_script out;

	out = *s;
	out.expect = r->kind;
	out.has_explore = 0;
	adopt("--save", &out, r);
	write_scenario("--save", path, &out);
}

/* Scenario text <-> binary input. The schedule survives: a scenario becomes
 * its script plus the decision bytes of its execution; a binary input becomes
 * its script plus the schedule: block its execution followed. */
static int cmd_convert(struct hmr_cli *o)
{
	static struct hmr_script out;
	static uint8_t bytes[1 << 17], enc[1 << 20];
	struct hmr_explore_opts e;

	if (!o->output) {
		hmr_cli_help(o->cmd, stderr);
		return 2;
	}
	load(o->files[0], o, &script);
	if (o->tidy && !bin_input)
		hmr_script_tidy(&script);	/* a seed: what the fuzz targets run */
	explore_opts(o, &script, &e, 1);
	hmr_explore(&script, &e, &result);
	if (o->tidy && result.input_error && (script.has_schedule || script.has_decisions)) {
		/* Tidying changed what the schedule was written for: a seed does
		 * with the default one. */
		hmr_script_drop_schedule(&script);
		explore_opts(o, &script, &e, 1);
		hmr_explore(&script, &e, &result);
	}
	if (result.input_error || result.rig_fail)
		return finish(&result, 0);
	if (bin_input) {
		out = script;	/* its title says where it came from */
		adopt("convert", &out, &result);
		write_scenario("convert", o->output, &out);
		return 0;
	}
	refuse_test_switches(script.switches, o->files[0], "fuzz inputs never carry it (run or replay the "
			     "binary input with that --switch instead)", 0);
	size_t nb = hmr_decision_bytes(bytes, sizeof(bytes));
	size_t n = hmr_bin_encode(&script, bytes, nb, enc, sizeof(enc));
	if (n == SIZE_MAX)
		hmr_die(2, "%s: too many operations for a binary input (its task section would pass 65,535 bytes)",
			o->files[0]);
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", o->output);
	FILE *f = fopen(tmp, "wb");
	if (n > sizeof(enc) || !f || fwrite(enc, 1, n, f) != n || fclose(f) || rename(tmp, o->output))
		hmr_die(2, "convert: cannot write %s", o->output);
	return 0;
}

static int cmd_minimize(struct hmr_cli *o)
{
	static struct hmr_script out;
	struct hmr_min_stats st;

	load(o->files[0], o, &script);
	if (bin_input) {
		/* The finding its replay reports (all its schedules), by the
		 * schedule that gave it: the minimizer keeps that signature. */
		struct hmr_explore_opts e;
		explore_opts(o, &script, &e, 1);
		hmr_explore(&script, &e, &result);
		if (result.kind >= 0) {
			adopt("minimize", &script, &result);
		} else {	/* one run of the default policy: nothing to keep */
			script.has_schedule = 1;
			script.nsched = 0;
		}
	}
	static struct hmr_script fixed;
	if (o->fixed) {
		char err[512];
		if (hmr_scn_load(o->fixed, &fixed, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	}
	if (hmr_minimize(&script, o->fixed ? &fixed : NULL, &out, &st, stderr) < 0) {
		fprintf(stderr, "hmrig: minimize: %s gives no finding to keep\n", o->files[0]);
		return 2;
	}
	snprintf(out.title, sizeof(out.title), "%.140s%sminimized", script.title, script.title[0] ? " (" : "");
	if (script.title[0])
		strcat(out.title, ")");
	fprintf(stderr, "minimize: %s: ops %d -> %d, preemptions %d -> %d, %ld candidates tried; %s%s\n",
		st.title, st.ops0, st.ops1, st.pre0, st.pre1, st.tests,
		st.tidy ? "follows the kernel API rules" : "breaks the kernel API rules, as its input did",
		st.silent > 0 ? ", silent on the fixed kernel" :
		st.silent == 0 ? "; its input was not silent on the fixed kernel either" : "");
	write_scenario("minimize", o->output, &out);
	return 0;
}

static int cmd_tidy(struct hmr_cli *o)
{
	static struct hmr_script out;

	load(o->files[0], o, &script);
	out = script;
	hmr_script_tidy_rules(&out);
	fprintf(stderr, "tidy: %s %s the kernel API rules\n", o->files[0],
		hmr_script_follows_rules(&script) ? "follows" : "did not follow");
	write_scenario("tidy", o->output, &out);
	return 0;
}

/* After a run by the clock: how long, and when the first finding came. */
static void print_timing(const struct hmr_result *r)
{
	double el = hmr_clock_elapsed();
	printf("elapsed: %.1f s, %.0f executions/s\n", el, el > 0 ? r->executions / el : 0.0);
	if (r->kind >= 0)	/* stopped at it, unless --keep-going went on */
		printf("first finding: execution %ld, after %.3f s\n", r->first_at,
		       hmr_clock_first() >= 0 ? hmr_clock_first() : el);
}

static int cmd_run(struct hmr_cli *o, int single)
{
	struct hmr_explore_opts e;
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, single);
	if (HMR_CLI_GIVEN(o, duration) && !single) {
		if (!HMR_CLI_GIVEN(o, runs))
			e.runs = 0;	/* as many as the time allows */
		hmr_clock_start(&e, o->duration);
	}
	e.lazy_events = !single && !o->trace && !o->trace_json;	/* a trace prints the last execution's */
	hmr_explore(&script, &e, &result);
	if (HMR_CLI_GIVEN(o, duration) && !single)
		print_timing(&result);
	if (o->trace && !result.input_error)
		hmr_trace_print(stdout);
	if (o->trace_json && !result.input_error && hmr_trace_json_file(o->trace_json) < 0)
		hmr_die(2, "--trace-json: cannot write %s", o->trace_json);
	for (long k = 1; k < o->repeat && !result.input_error && !result.rig_fail; k++) {
		static struct hmr_result again;
		hmr_explore(&script, &e, &again);
		if (again.kind != result.kind || strcmp(again.report, result.report)) {
			fprintf(stderr, "HMRFAIL: nondeterministic replay: execution %ld of %ld differs from the first\n",
				k + 1, o->repeat);
			return 3;
		}
	}
	if (single && !bin_input && !o->schedule && !o->decisions && !result.input_error && !result.rig_fail &&
	    script.expect != HMR_EXPECT_UNSET && script.expect != result.kind)
		fprintf(stderr, "hmrig: note: %s expects %s, and this one execution (%s) gave %s: "
			"'hmrig explore %s' searches the schedules\n", o->files[0],
			script.expect < 0 ? "none" : hmr_kinds[script.expect].name,
			script.has_schedule || script.has_decisions ? "its own schedule" : "the default schedule",
			result.kind < 0 ? "none" : hmr_kinds[result.kind].name, o->files[0]);
	if (o->save && result.kind >= 0)
		save_scenario(o->save, &script, &result);
	else if (o->save)
		fprintf(stderr, "hmrig: --save: no finding, nothing written\n");
	return finish(&result, !single);
}

static int cmd_diff(struct hmr_cli *o)
{
	struct hmr_explore_opts e;
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, bin_input);
	if (HMR_CLI_GIVEN(o, duration)) {
		if (!HMR_CLI_GIVEN(o, runs))
			e.runs = 0;
		hmr_clock_start(&e, o->duration);
	}
	hmr_diff(&script, &e, &result);
	if (HMR_CLI_GIVEN(o, duration) && !result.input_error && !result.rig_fail)
		print_timing(&result);
	return finish(&result, 1);
}

static int cmd_stress(struct hmr_cli *o)
{
	struct hmr_explore_opts e;
	load(o->files[0], o, &script);
	explore_opts(o, &script, &e, 0);
	e.strategy = STRAT_RANDOM;	/* for hardware choices; the threads pick tasks */
	e.runs = HMR_CLI_GIVEN(o, runs) ? o->runs : 0;
	if (!HMR_CLI_GIVEN(o, seed))
		e.seed = 1;
	hmr_stress(&script, &e, o->threads ? (int)o->threads : 1, HMR_CLI_GIVEN(o, duration) ? o->duration : 10, &result);
	if (result.rig_fail || result.input_error)
		return finish(&result, 1);
	print_timing(&result);
	if (o->save && result.kind >= 0)
		save_scenario(o->save, &script, &result);
	return finish(&result, 1);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Expand directories into their *.scn files, sorted. A directory with none
 * is a usage error (exit 2): checking nothing passes nothing. */
static int expand(struct hmr_cli *o, char **list, int max)
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
			if (n == first)
				hmr_die(2, "check: %s: no .scn file in it", o->files[i]);
			qsort(list + first, (size_t)(n - first), sizeof(char *), cmp_str);
		} else if (n < max) {
			list[n++] = strdup(o->files[i]);
		}
	}
	return n;
}

static int cmd_check(struct hmr_cli *o)
{
	static char *list[1024];
	int pass = 0, fail = 0, worst = 0;	/* worst: 2 an input error, 3 HMRFAIL */
	int n = expand(o, list, 1024);
	for (int i = 0; i < n; i++) {
		struct hmr_explore_opts e;
		char err[512];
		if (hmr_scn_load(list[i], &script, err, sizeof(err)) < 0) {
			printf("FAIL %s: %s\n", list[i], err);
			fail++;
			worst = worst > 2 ? worst : 2;
			continue;
		}
		bin_input = 0;	/* what check compares is a scenario's expect: line */
		apply_options(list[i], o, &script);
		explore_opts(o, &script, &e, 0);
		e.lazy_events = 1;
		hmr_explore(&script, &e, &result);
		int want = script.expect == HMR_EXPECT_UNSET ? HMR_EXPECT_NONE : script.expect;
		const char *wn = want < 0 ? "none" : hmr_kinds[want].name;
		const char *gn = result.kind < 0 ? "none" : hmr_kinds[result.kind].name;
		if (result.input_error || result.rig_fail) {
			printf("FAIL %s: %s%s\n", list[i], result.rig_fail ? "HMRFAIL: " : "", result.err);
			fail++;
			worst = result.rig_fail ? 3 : worst > 2 ? worst : 2;
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
	return worst ? worst : fail ? 1 : 0;
}

static int cmd_profiles(struct hmr_cli *o)
{
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
static int campaign_pct(struct hmr_cli *o)
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
		if (o->profile)	/* kernel P alone, as in a fuzzer's campaign */
			script.switches = o->switches;
		hmr_script_drop_schedule(&script);
		memset(&e, 0, sizeof(e));
		e.strategy = STRAT_PCT;
		e.runs = HMR_CLI_GIVEN(o, runs) ? o->runs : 2000;
		e.seed = HMR_CLI_GIVEN(o, seed) ? o->seed : 1;
		e.depth = HMR_CLI_GIVEN(o, depth) ? (int)o->depth : 3;
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

static int cmd_campaign(struct hmr_cli *o)
{
	struct hmr_campaign_opts c;
	char what[64];
	refuse_test_switches(o->switches, "campaign", "campaigns never run it (" HMR_ALLOW_TEST_ENV
			     "=1 allows it, for the rig's own tests)", test_switches_allowed());
	if (o->engine && !strcmp(o->engine, "pct")) {
		hmr_cli_only(o, HMR_CLI_PCT, "campaign --engine=pct");
		return campaign_pct(o);
	}
	if (o->engine && strcmp(o->engine, "libfuzzer") && strcmp(o->engine, "afl") && strcmp(o->engine, "diff"))
		hmr_die(2, "--engine must be libfuzzer, afl, diff or pct");
	if (o->engine && !strcmp(o->engine, "diff") && !hmr_ksrc_impls[0])
		hmr_die(2, "campaign --engine=diff compares the model with Linux's own code: use build/hmrig-ksrc (make ksrc)");
	/* Options and files of a PCT campaign would be ignored by a fuzzer's. */
	snprintf(what, sizeof(what), "campaign --engine=%s", o->engine ? o->engine : "libfuzzer");
	hmr_cli_only(o, HMR_CLI_FUZZ, what);
	if (o->nfiles)
		hmr_die(2, "%s takes no FILE (--engine=pct does)", what);
	static char extra[512];
	size_t n = 0;
	for (int i = 0; i < SW__N; i++)
		if (o->switches >> i & 1)
			n += (size_t)snprintf(extra + n, sizeof(extra) - n, "%sswitch=%s", n ? ":" : "", hmr_switches[i].name);
	if (o->config && n && n < sizeof(extra) - 2)
		extra[n++] = ':';	/* --switch and --config together */
	if (o->config)
		for (const char *p = o->config; *p && n < sizeof(extra) - 2; p++)
			extra[n++] = *p == ',' ? ':' : *p;
	extra[n] = 0;
	memset(&c, 0, sizeof(c));
	c.engine = o->engine ? o->engine : "libfuzzer";
	if ((HMR_CLI_GIVEN(o, jobs) && (o->jobs < 1 || o->jobs > 16)) || (HMR_CLI_GIVEN(o, time) && o->time < 1))
		hmr_die(2, "campaign: --jobs takes 1 to 16 and --time at least 1 (seconds)");
	c.jobs = HMR_CLI_GIVEN(o, jobs) ? (int)o->jobs : 2;
	c.seconds = HMR_CLI_GIVEN(o, time) ? (int)o->time : 120;
	c.profile = o->profile;
	if (o->profile && !strncmp(o->profile, "src-", 4) && !hmr_ksrc_impls[0])
		hmr_die(2, "campaign: profile %s runs Linux's own code: use build/hmrig-ksrc (make ksrc)", o->profile);
	c.options = n ? extra : NULL;
	c.out = o->out ? o->out : "build/campaign";
	c.seeds = o->seeds ? o->seeds : "corpus/seeds";
	c.bindir = "build";
	c.allow_test = test_switches_allowed();
	int found = hmr_campaign(&c);
	return found < 0 ? -found : found > 0;	/* 1 with findings, as everywhere */
}

/* The suite is a script (it drives the fuzzers): its options are its own,
 * so every word after the command goes to it unread; --help tells what the
 * command is, then the script lists its options. */
static int cmd_bench(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			hmr_cli_help(HMR_CMD_bench, stdout);
			fflush(stdout);
			break;
		}
	argv[1] = "tools/bench";
	execv("tools/bench", argv + 1);
	hmr_die(2, "bench: cannot run tools/bench from here (run it from the checkout)");
}

/* HMRIG_OPTIONS applies to binary inputs here as in the fuzz targets, so a
 * crash file found under it replays, converts and minimizes the same; and
 * it is refused as there. */
static void binary_input_options(void)
{
	char err[400];

	if (hmr_bin_set_options(getenv("HMRIG_OPTIONS"), test_switches_allowed(), err, sizeof(err)) < 0)
		hmr_die(2, "%s", err);
}

static int dispatch(struct hmr_cli *o)
{
	switch (o->cmd) {
	case HMR_CMD_run:
	case HMR_CMD_replay:
		return cmd_run(o, 1);
	case HMR_CMD_explore:
		return cmd_run(o, 0);
	case HMR_CMD_check:
		return cmd_check(o);
	case HMR_CMD_stress:
		return cmd_stress(o);
	case HMR_CMD_diff:
		return cmd_diff(o);
	case HMR_CMD_profiles:
		return cmd_profiles(o);
	case HMR_CMD_campaign:
		return cmd_campaign(o);
	case HMR_CMD_minimize:
		return cmd_minimize(o);
	case HMR_CMD_convert:
		return cmd_convert(o);
	case HMR_CMD_tidy:
		return cmd_tidy(o);
	}
	hmr_die(3, "HMRFAIL: command %d has no implementation", o->cmd);
}

int main(int argc, char **argv)
{
	static struct hmr_cli o;
	int cmd;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		hmr_cli_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	hmr_prog = argv[0];
	cmd = hmr_cli_command(argv[1]);
	if (cmd < 0) {
		fprintf(stderr, "hmrig: unknown command '%s'\n", argv[1]);
		hmr_cli_usage(stderr);
		return 2;
	}
	if (cmd == HMR_CMD_bench)
		return cmd_bench(argc, argv);
	hmr_cli_parse(cmd, argc - 2, argv + 2, &o);
	if (o.help) {
		hmr_cli_help(cmd, stdout);
		return 0;
	}
	if (!hmr_cli_nfiles_ok(&o)) {
		hmr_cli_help(cmd, stderr);
		return 2;
	}
	binary_input_options();
	if (o.backend && !strcmp(o.backend, "baton"))
		hmr_backend = &hmr_backend_baton;
	return dispatch(&o);
}
