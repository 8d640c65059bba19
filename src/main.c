/* main.c -- the sparsedse command: subcommand table, messages, exit codes, shared option parsing. */
#include "cli.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "space.h"

#ifndef DSE_VERSION
#define DSE_VERSION "0.1"
#endif

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"validate", cmd_validate, "check a space file and everything it references; write nothing"},
    {"sweep", cmd_sweep, "evaluate every design point x workload x mode into an SQLite database"},
    {"pareto", cmd_pareto, "print Pareto fronts stored in a database"},
    {"eval", cmd_eval, "evaluate one design point with every metric and its breakdown"},
    {"runs", cmd_runs, "list the sweeps stored in a database"},
    {"schedule", cmd_schedule, "run a borrowing scheduler on masks (.npy) and print its cycles"},
    {"traffic", cmd_traffic, "count and price every level's accesses of one layer on one mapping"},
};
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

void cli_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sparsedse: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_exit_code(int status)
{
    switch (status) {
    case DSE_OK: return CLI_EXIT_OK;
    case DSE_EINPUT: return CLI_EXIT_INPUT;
    case DSE_EIO: return CLI_EXIT_IO;
    case DSE_EINTR: return CLI_EXIT_INTR;
    default: return CLI_EXIT_MODEL;
    }
}

int cli_fail(const dse_err *e)
{
    /* Located messages ("file:line:col: error: ...") are printed as they
     * are, the others after the program's name. */
    if (strstr(e->msg, "error:")) fprintf(stderr, "%s\n", e->msg);
    else cli_msg("%s", e->msg);
    return cli_exit_code(e->code ? e->code : DSE_EMODEL);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sparsedse %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\ntry 'sparsedse %s --help'\n", cmd);
    va_end(ap);
    return CLI_EXIT_USAGE;
}

int cli_is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

int cli_opt_arg(const char *cmd, int argc, char **argv, int *i, const char *name, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0) return 0;
    if (a[2 + n] == '=') {
        *val = a + 3 + n;
        return 1;
    }
    if (a[2 + n] != '\0') return 0;
    if (*i + 1 >= argc) {
        cli_usage(cmd, "option --%s needs a value", name);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

int cli_parse_long(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < lo || v > hi) {
        char sb[64];
        cli_usage(cmd, "--%s: expected an integer in [%ld, %ld], got '%s'", opt, lo, hi, dse_shown(s, sb, sizeof sb));
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (*s == '-') goto bad;
    unsigned long long v = strtoull(s, &end, 10);   /* decimal, as in YAML */
    if (end == s || *end || errno == ERANGE) goto bad;
    *out = v;
    return 0;
bad:
    char sb[64];
    cli_usage(cmd, "--%s: expected an integer in [0, 2^64-1], got '%s'", opt, dse_shown(s, sb, sizeof sb));
    return -1;
}

int cli_load_space(const char *path, dse_space *s, dse_cost **cost)
{
    dse_err e = {0};
    dse_tech *tech = NULL;
    if (dse_space_load(s, path, &e)) return cli_fail(&e);
    if (dse_tech_load(&tech, s->tech_path, &e) || dse_cost_new(cost, tech, &e)) {
        dse_tech_free(tech);
        dse_space_free(s);
        return cli_fail(&e);
    }
    dse_tech_free(tech);
    return CLI_EXIT_OK;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: sparsedse <command> [options]\n\n"
               "Design-space exploration of sparse DNN accelerator cores.\n\ncommands:\n");
    for (int i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'sparsedse <command> --help' describes a command; docs/cli.md has the details.\n"
               "exit codes: 0 ok, 1 bad input, 2 usage, 3 file/database error, 4 internal error,\n"
               "            130 interrupted (completed work kept; resume with --resume)\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "C");
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("sparsedse %s\n", DSE_VERSION);
        return CLI_EXIT_OK;
    }
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "sparsedse: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
