/* cli.h - the hmrig command line as tables (cli.def): which options each
 * command takes, how their values read, and the --help texts. A command given
 * an option it does not take stops with "hmrig: CMD does not take --X" (exit 2):
 * no option is silently ignored. */
#ifndef HMR_CLI_H
#define HMR_CLI_H
#include <stdint.h>
#include <stdio.h>

enum hmr_cmd_id {
#define CMD(id, name, args, min_files, max_files, summary, text) HMR_CMD_##id,
#include "cli.def"
	HMR_CMD__N
};

enum hmr_cli_id {
#define OPTION(id, name, sname, kind, meta, commands, help) HMR_CLI_##id,
#include "cli.def"
	HMR_CLI__N
};

/* Two kinds of campaign use different options: bits beside the commands'. */
#define HMR_CLI_PCT	(1u << HMR_CMD__N)	/* campaign --engine=pct */
#define HMR_CLI_FUZZ	(1u << (HMR_CMD__N + 1))	/* campaign with a fuzzer */

/* The field each option kind fills (unset: 0 or NULL). */
#define HMR_CLI_T_FLAG		int
#define HMR_CLI_T_STR		const char *
#define HMR_CLI_T_NUM		long
#define HMR_CLI_T_SEED		uint64_t
#define HMR_CLI_T_SWITCH	uint32_t	/* bit per switch */
#define HMR_CLI_T_OPTNUM	long		/* 1 without =N */

/* A parsed command line: a field per option, named as its id. */
struct hmr_cli {
#define OPTION(id, name, sname, kind, meta, commands, help) HMR_CLI_T_##kind id;
#include "cli.def"
	int cmd;		/* enum hmr_cmd_id */
	uint64_t given;		/* bit HMR_CLI_<id>: the option was given */
	int nfiles;
	const char *files[256];
};

#define HMR_CLI_GIVEN(o, id)	((o)->given >> HMR_CLI_##id & 1)

/* "hmrig: " and the message on stderr, then exit with code (2: a usage error). */
void hmr_die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

/* The command called name, or -1. */
int hmr_cli_command(const char *name);

/* Parse the words after the command into o. Exits 2 with a message on an
 * unknown option, one that cmd does not take, or a bad value; a value is
 * checked here only where no file is needed to judge it. */
void hmr_cli_parse(int cmd, int argc, char **argv, struct hmr_cli *o);

/* Whether o names as many files as its command takes. */
int hmr_cli_nfiles_ok(const struct hmr_cli *o);

/* Exit 2 if o has an option that the kind of campaign mode (HMR_CLI_PCT or
 * HMR_CLI_FUZZ) does not use: "hmrig: WHAT does not take --X". */
void hmr_cli_only(const struct hmr_cli *o, uint32_t mode, const char *what);

/* The command's help: usage line, what it does, a line per option it takes. */
void hmr_cli_help(int cmd, FILE *f);

/* 'hmrig --help': the commands, one line each. */
void hmr_cli_usage(FILE *f);
#endif
