/* cli.h -- shared pieces of the command-line front end (the only code that prints and exits). */
#ifndef DSE_CLI_H
#define DSE_CLI_H

#include "util.h"

/* Exit codes (docs/cli.md). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INPUT = 1,    /* bad input file or value */
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_IO = 3,       /* file or database error */
    CLI_EXIT_MODEL = 4,    /* internal / model error */
    CLI_EXIT_INTR = 130    /* interrupted; completed work kept, resumable */
};

/* Subcommands: int cmd_NAME(int argc, char **argv), argv[0] = NAME. */
int cmd_validate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_pareto(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_traffic(int argc, char **argv);

/* Load a space, its technology and the cost model; on error print it and
 * return the exit code (the outputs are then empty), else CLI_EXIT_OK.
 * Free with dse_cost_free and dse_space_free. */
struct dse_space;
struct dse_cost;
int cli_load_space(const char *path, struct dse_space *s, struct dse_cost **cost);

/* Print "sparsedse: <msg>" on stderr. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print e's message (a located one as it is, another after "sparsedse: ")
 * and return the exit code for its status. */
int cli_fail(const dse_err *e);
/* Usage error: print "sparsedse CMD: msg" and a hint to --help; returns CLI_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Map a DSE_E* status to an exit code. */
int cli_exit_code(int status);

/* Option parsing shared by subcommands. cli_opt_arg: if argv[*i] is --name
 * (or --name=value), store the value (the next argument for the first form)
 * in *val, advance *i and return 1; return 0 if argv[*i] is not --name;
 * return -1 (after a usage message) when the value is missing. */
int cli_opt_arg(const char *cmd, int argc, char **argv, int *i, const char *name, const char **val);
/* Strict integer/real option values; return 0 ok, -1 after a usage message. */
int cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
int cli_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long *out);
/* 1 if argv[i] is -h or --help. */
int cli_is_help(const char *arg);

#endif
