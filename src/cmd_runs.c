/* cmd_runs.c -- `sparsedse runs`: the sweeps stored in a database, one line each; a run's inputs, listed or written back out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "cli.h"
#include "db.h"

static const char runs_help[] =
    "usage: sparsedse runs --db FILE [--inputs ID | --export ID --dir DIR]\n\n"
    "List the runs (sweeps) stored in FILE: id, status (running, done, aborted,\n"
    "failed), space, points, feasible points, result rows, seed, threads, start\n"
    "time (UTC), elapsed seconds and tool version.\n\n"
    "  --inputs ID   list the files run ID was made from: kind (technology,\n"
    "                workload, mask), bytes, content hash, path\n"
    "  --export ID   write run ID's space file and the texts of its inputs under\n"
    "  --dir DIR     DIR (new or empty), at their paths as the run saw them, and print\n"
    "                the sweep command that re-creates the run; masks are stored as\n"
    "                hashes only and are listed to be supplied\n";

static void list_runs(const dse_run_info *r, int n)
{
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
}

/* How many levels above its start a relative path climbs at its highest
 * (data/cli/../../../x climbs 1). */
static int ups(const char *p)
{
    int level = 0, top = 0;
    while (*p) {
        const char *q = strchr(p, '/');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') level--;
        else if (len && !(len == 1 && p[0] == '.')) level++;
        if (-level > top) top = -level;
        p += len + (q ? 1 : 0);
    }
    return top;
}

/* mkdir -p of the directory part of path (components may be ".."). */
static int make_dirs(const char *path)
{
    char buf[2048];
    dse_strlcpy(buf, path, sizeof buf);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return 0;
}

static int write_text(const char *path, const char *text)
{
    FILE *f;
    if (make_dirs(path) || !(f = fopen(path, "w"))) return -1;
    size_t n = strlen(text);
    int bad = fwrite(text, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

/* DIR must be absent or empty. */
static int dir_usable(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT;
    struct dirent *de;
    int empty = 1;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) empty = 0;
    closedir(d);
    return empty;
}

/* Write run id's space text and input texts under dir, at their paths as
 * stored (relative to the directory the run was made in); paths that climb
 * above it ("..") are kept inside dir by starting that many levels deeper. */
static int export_run(dse_db *db, int64_t id, const char *dir)
{
    dse_err e = {0};
    dse_run_info r;
    dse_run_input *in;
    int n;
    char *space;
    if (dse_db_run_get(db, id, &r, &e) || dse_db_run_space_text(db, id, &space, &e)) return cli_fail(&e);
    if (dse_db_run_inputs(db, id, &in, &n, &e)) {
        free(space);
        return cli_fail(&e);
    }
    int rc = CLI_EXIT_OK, depth = ups(r.space_path);
    for (int i = 0; i < n; i++)
        if (in[i].path[0] != '/' && ups(in[i].path) > depth) depth = ups(in[i].path);
    char base[1024], out[2048];
    snprintf(base, sizeof base, "%s", dir);
    for (int i = 0; i < depth; i++) strncat(base, "/up", sizeof base - strlen(base) - 1);
    if (!dir_usable(dir)) {
        fprintf(stderr, "%s: error: exists and is not empty (--dir needs a new or empty directory)\n", dir);
        rc = CLI_EXIT_IO;
        goto done;
    }
    if (r.space_path[0] == '/') {
        cli_msg("run %lld: error: its space file has an absolute path (%s); export writes relative paths only",
                (long long)id, r.space_path);
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    snprintf(out, sizeof out, "%s/%s", base, r.space_path);
    if (write_text(out, space)) {
        cli_msg("%s: error: cannot write: %s", out, strerror(errno));
        rc = CLI_EXIT_IO;
        goto done;
    }
    char cmd[2300];
    snprintf(cmd, sizeof cmd, "sparsedse sweep %s --seed %llu --db RUN.db", out, (unsigned long long)r.seed);
    for (int i = 0; i < n; i++) {
        if (!in[i].text) {
            printf("needed: %s %s (%lld bytes, hash %016llx): stored as a hash only\n", in[i].kind, in[i].path,
                   (long long)in[i].bytes, (unsigned long long)in[i].hash);
            continue;
        }
        if (in[i].path[0] == '/') {
            printf("kept: %s %s (an absolute path: the space reads it there)\n", in[i].kind, in[i].path);
            continue;
        }
        snprintf(out, sizeof out, "%s/%s", base, in[i].path);
        if (write_text(out, in[i].text)) {
            cli_msg("%s: error: cannot write: %s", out, strerror(errno));
            rc = CLI_EXIT_IO;
            goto done;
        }
        printf("wrote: %s %s\n", in[i].kind, out);
    }
    printf("re-create: %s\n", cmd);
done:
    free(space);
    dse_db_free_inputs(in, n);
    return rc;
}

int cmd_runs(int argc, char **argv)
{
    const char *path = NULL, *v, *dir = NULL;
    long inputs = 0, export = 0;
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i])) {
            fputs(runs_help, stdout);
            return CLI_EXIT_OK;
        }
        if ((r = cli_opt_arg("runs", argc, argv, &i, "db", &v))) {
            if (r < 0) return CLI_EXIT_USAGE;
            path = v;
        } else if ((r = cli_opt_arg("runs", argc, argv, &i, "inputs", &v))) {
            if (r < 0 || cli_parse_long("runs", "inputs", v, 1, 0x7fffffffL, &inputs)) return CLI_EXIT_USAGE;
        } else if ((r = cli_opt_arg("runs", argc, argv, &i, "export", &v))) {
            if (r < 0 || cli_parse_long("runs", "export", v, 1, 0x7fffffffL, &export)) return CLI_EXIT_USAGE;
        } else if ((r = cli_opt_arg("runs", argc, argv, &i, "dir", &v))) {
            if (r < 0) return CLI_EXIT_USAGE;
            dir = v;
        } else {
            return cli_usage("runs", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!path) return cli_usage("runs", "missing --db FILE");
    if (inputs && export) return cli_usage("runs", "give --inputs or --export, not both");
    if (export && (!dir || !dir[0])) return cli_usage("runs", "--export needs --dir DIR");
    if (dir && !export) return cli_usage("runs", "--dir goes with --export");
    dse_db *db;
    dse_err e = {0};
    if (dse_db_open(&db, path, 0, &e)) return cli_fail(&e);
    int rc = CLI_EXIT_OK;
    if (export) {
        rc = export_run(db, export, dir);
    } else if (inputs) {
        dse_run_info r;
        dse_run_input *in;
        char *text = NULL;
        int n;
        if (dse_db_run_get(db, inputs, &r, &e) || dse_db_run_space_text(db, inputs, &text, &e) ||
            dse_db_run_inputs(db, inputs, &in, &n, &e)) {
            rc = cli_fail(&e);
        } else {
            printf("%-10s  %10s  %-16s  %s\n", "kind", "bytes", "hash", "path");
            printf("%-10s  %10zu  %016llx  %s\n", "space", strlen(text), (unsigned long long)r.space_hash,
                   r.space_path);
            for (int i = 0; i < n; i++)
                printf("%-10s  %10lld  %016llx  %s\n", in[i].kind, (long long)in[i].bytes,
                       (unsigned long long)in[i].hash, in[i].path);
            dse_db_free_inputs(in, n);
        }
        free(text);
    } else {
        dse_run_info *r;
        int n;
        if (dse_db_run_list(db, &r, &n, &e)) {
            rc = cli_fail(&e);
        } else {
            list_runs(r, n);
            free(r);
        }
    }
    dse_db_close(db);
    return rc;
}
