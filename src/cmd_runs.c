/* cmd_runs.c -- `sparsedse runs`: the sweeps stored in a database, one line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"

static const char runs_help[] =
    "usage: sparsedse runs --db FILE\n\n"
    "List the runs (sweeps) stored in FILE: id, status (running, done, aborted,\n"
    "failed), space, points, feasible points, result rows, seed, threads, start\n"
    "time (UTC), elapsed seconds and tool version.\n";

int cmd_runs(int argc, char **argv)
{
    const char *path = NULL, *v;
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(runs_help, stdout);
            return CLI_EXIT_OK;
        }
        if ((r = cli_opt_arg("runs", argc, argv, &i, "db", &v))) {
            if (r < 0) return CLI_EXIT_USAGE;
            path = v;
        } else {
            return cli_usage("runs", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!path) return cli_usage("runs", "missing --db FILE");
    dse_db *db;
    dse_err e = {0};
    dse_run_info *r;
    int n;
    if (dse_db_open(&db, path, 0, &e)) return cli_fail(&e);
    if (dse_db_run_list(db, &r, &n, &e)) {
        dse_db_close(db);
        return cli_fail(&e);
    }
    int ws = 5;
    for (int i = 0; i < n; i++)
        if ((int)strlen(r[i].space_name) > ws) ws = (int)strlen(r[i].space_name);
    printf("%4s  %-7s  %-*s  %8s  %8s  %8s  %20s  %7s  %-20s  %9s  %s\n", "id", "status", ws, "space",
           "points", "feasible", "results", "seed", "threads", "started", "elapsed_s", "version");
    for (int i = 0; i < n; i++) {
        char feas[24];
        if (r[i].nfeasible >= 0) snprintf(feas, sizeof feas, "%lld", (long long)r[i].nfeasible);
        else snprintf(feas, sizeof feas, "-");
        printf("%4lld  %-7s  %-*s  %8lld  %8s  %8lld  %20llu  %7d  %-20s  %9.2f  %s\n", (long long)r[i].id,
               r[i].status, ws, r[i].space_name, (long long)r[i].npoints, feas, (long long)r[i].nresults,
               (unsigned long long)r[i].seed, r[i].threads, r[i].started, r[i].elapsed, r[i].version);
    }
    free(r);
    dse_db_close(db);
    return CLI_EXIT_OK;
}
