/* cli.c - the hmrig command line read from its tables (cli.def): the parser,
 * the check that a command takes each option it is given, and --help. */
#include "cli.h"
#include "../engine/format/profile.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The command sets cli.def writes. */
#define ON(cmd)		(1u << HMR_CMD_##cmd)
#define ALL		((1u << HMR_CMD__N) - 1)
#define CAMPAIGN_PCT	HMR_CLI_PCT
#define CAMPAIGN_FUZZ	HMR_CLI_FUZZ

enum kind { FLAG, STR, NUM, SEED, SWITCH, OPTNUM };

static const struct command {
	const char *name, *args;
	int min_files, max_files;
	const char *summary, *text;
} commands[HMR_CMD__N] = {
#define CMD(id, name, args, min_files, max_files, summary, text) { name, args, min_files, max_files, summary, text },
#include "cli.def"
};

static const struct option {
	const char *name, *sname;
	enum kind kind;
	const char *meta;
	uint32_t commands;
	const char *help;
} options[HMR_CLI__N] = {
#define OPTION(id, name, sname, kind, meta, commands, help) { name, sname, kind, meta, commands, help },
#include "cli.def"
};

_Static_assert(HMR_CLI__N <= 64, "hmr_cli.given has a bit per option");
_Static_assert(HMR_CMD__N + 2 <= 32, "an option's command set has a bit per command and campaign kind");

void hmr_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hmrig: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(code);
}

int hmr_cli_command(const char *name)
{
	for (int i = 0; i < HMR_CMD__N; i++)
		if (!strcmp(name, commands[i].name))
			return i;
	return -1;
}

/* Campaign takes what either kind of campaign takes; hmr_cli_only narrows it. */
static uint32_t takes(int cmd)
{
	uint32_t set = 1u << cmd;
	if (cmd == HMR_CMD_campaign)
		set |= HMR_CLI_PCT | HMR_CLI_FUZZ;
	return set;
}

/* ---- values, one reader per kind (cli.def) ---- */

static long num(const char *v, const char *name)
{
	char *end;
	long x = strtol(v, &end, 0);
	if (!*v || *end || x < 0)
		hmr_die(2, "--%s needs a non-negative number, not '%s'", name, v);
	return x;
}

static void set_FLAG(int *p, const char *v, const char *name)
{
	*p = 1;
}

static void set_STR(const char **p, const char *v, const char *name)
{
	*p = v;
}

static void set_NUM(long *p, const char *v, const char *name)
{
	*p = num(v, name);
}

static void set_SEED(uint64_t *p, const char *v, const char *name)
{
	char *end;
	*p = strtoull(v, &end, 0);
	if (!*v || *end)
		hmr_die(2, "--%s needs a number, not '%s'", name, v);
}

static void set_SWITCH(uint32_t *p, const char *v, const char *name)
{
	int sw = hmr_switch_lookup(v, (int)strlen(v));
	if (sw < 0)
		hmr_die(2, "unknown switch '%s' (see 'hmrig profiles')", v);
	*p |= 1u << sw;
}

static void set_OPTNUM(long *p, const char *v, const char *name)
{
	*p = v ? num(v, name) : 1;
}

/* Store option id's value v (NULL: none given) in its field; name is the
 * option's without "--", for the messages. */
static void set(struct hmr_cli *o, int id, const char *v)
{
	const char *name = options[id].name + 2;
	switch (id) {
#define OPTION(id, name_, sname, kind, meta, commands, help) \
	case HMR_CLI_##id: set_##kind(&o->id, v, name); break;
#include "cli.def"
	}
}

/* The checks of a value that its kind does not make. */
static void check(const struct hmr_cli *o, int id)
{
	if (id == HMR_CLI_threads && (o->threads < 1 || o->threads > 64))
		hmr_die(2, "--threads must be 1 to 64, not %ld", o->threads);
	if (id == HMR_CLI_backend && strcmp(o->backend, "fibers") && strcmp(o->backend, "baton"))
		hmr_die(2, "--backend must be fibers or baton, not '%s'", o->backend);
	if (id == HMR_CLI_input && strcmp(o->input, "scenario") && strcmp(o->input, "fuzz"))
		hmr_die(2, "--input must be scenario or fuzz, not '%s'", o->input);
}

/* The option word a spells, or -1. *v is its value after '=' (NULL if none);
 * *next is set if the value is the next word ("-o OUT"). A value option
 * without '=' and a flag with one are no option at all. */
static int lookup(const char *a, const char **v, int *next)
{
	*v = NULL;
	*next = 0;
	for (int id = 0; id < HMR_CLI__N; id++) {
		const struct option *p = &options[id];
		size_t n = strlen(p->name);
		if (p->sname && !strcmp(a, p->sname)) {
			*next = p->kind != FLAG;
			return id;
		}
		if (strncmp(a, p->name, n))
			continue;
		if (!a[n] && (p->kind == FLAG || p->kind == OPTNUM))
			return id;
		if (a[n] == '=' && p->kind != FLAG) {
			*v = a + n + 1;
			return id;
		}
	}
	return -1;
}

static void add_file(struct hmr_cli *o, const char *a)
{
	if (a[0] == '-' && a[1] == '-')
		hmr_die(2, "unknown option '%s' (try --help)", a);
	if (o->nfiles == (int)(sizeof(o->files) / sizeof(o->files[0])))
		hmr_die(2, "too many files");
	o->files[o->nfiles++] = a;
}

void hmr_cli_parse(int cmd, int argc, char **argv, struct hmr_cli *o)
{
	memset(o, 0, sizeof(*o));
	o->cmd = cmd;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int next, id = lookup(a, &v, &next);

		if (id < 0) {
			add_file(o, a);
			continue;
		}
		if (!(options[id].commands & takes(cmd)))
			hmr_die(2, "%s does not take %.*s", commands[cmd].name, (int)strcspn(a, "="), a);
		if (next && i + 1 == argc)
			hmr_die(2, "%s needs a value: %s %s", a, a, options[id].meta);
		if (next)
			v = argv[++i];
		set(o, id, v);
		check(o, id);
		o->given |= 1ull << id;
	}
}

int hmr_cli_nfiles_ok(const struct hmr_cli *o)
{
	const struct command *c = &commands[o->cmd];
	return o->nfiles >= c->min_files && o->nfiles <= c->max_files;
}

void hmr_cli_only(const struct hmr_cli *o, uint32_t mode, const char *what)
{
	for (int id = 0; id < HMR_CLI__N; id++)
		if ((o->given >> id & 1) && !(options[id].commands & (mode | 1u << o->cmd)))
			hmr_die(2, "%s does not take %s", what, options[id].name);
}

/* ---- help ---- */

/* How option id is written: "-o OUT, --output=OUT", "--threads[=N]". */
static const char *spelling(int id, char *buf, size_t sz)
{
	const struct option *p = &options[id];
	size_t n = 0;

	if (p->sname)
		n = (size_t)snprintf(buf, sz, p->kind == FLAG ? "%s, " : "%s %s, ", p->sname, p->meta);
	if (p->kind == FLAG)
		snprintf(buf + n, sz - n, "%s", p->name);
	else if (p->kind == OPTNUM)
		snprintf(buf + n, sz - n, "%s[=%s]", p->name, p->meta);
	else
		snprintf(buf + n, sz - n, "%s=%s", p->name, p->meta);
	return buf;
}

/* What a campaign option's line adds when one kind of campaign uses it. */
static const char *campaign_note(int cmd, int id)
{
	uint32_t set = options[id].commands;
	if (cmd != HMR_CMD_campaign || set & ON(campaign))
		return "";
	if (!(set & HMR_CLI_FUZZ))
		return " (--engine=pct only)";
	if (!(set & HMR_CLI_PCT))
		return " (libfuzzer and afl only)";
	return "";
}

void hmr_cli_help(int cmd, FILE *f)
{
	const struct command *c = &commands[cmd];
	char buf[80];
	int width = 0;

	fprintf(f, "usage: hmrig %s%s%s [options]\n%s", c->name, c->args[0] ? " " : "", c->args, c->text);
	for (int id = 0; id < HMR_CLI__N; id++)
		if (options[id].commands & takes(cmd) && (int)strlen(spelling(id, buf, sizeof(buf))) > width)
			width = (int)strlen(buf);
	fputs("options:\n", f);
	for (int id = 0; id < HMR_CLI__N; id++)
		if (options[id].commands & takes(cmd))
			fprintf(f, "  %-*s  %s%s\n", width, spelling(id, buf, sizeof(buf)), options[id].help,
				campaign_note(cmd, id));
}

void hmr_cli_usage(FILE *f)
{
	char buf[80];
	int width = 0;

	for (int i = 0; i < HMR_CMD__N; i++) {
		int n = snprintf(buf, sizeof(buf), "%s %s", commands[i].name, commands[i].args);
		if (n > width)
			width = n;
	}
	fputs("usage: hmrig <command> [options] ...\ncommands:\n", f);
	for (int i = 0; i < HMR_CMD__N; i++) {
		snprintf(buf, sizeof(buf), "%s %s", commands[i].name, commands[i].args);
		fprintf(f, "  %-*s  %s\n", width, buf, commands[i].summary);
	}
	fputs("A FILE is scenario text or a binary fuzz input, as its content says (FILE.scn:\n"
	      "always scenario text; --input=scenario|fuzz chooses).\n"
	      "A command takes only the options its --help lists.\n"
	      "Exit codes: 0 no finding, 1 finding, 2 usage or input error, 3 rig failure.\n"
	      "'hmrig <command> --help' says more.\n", f);
}
