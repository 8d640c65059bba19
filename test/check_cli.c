/* check_cli.c -- end-to-end tests of the sparsedse command: help, usage, errors, a small sweep. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cost.h"
#include "params.h"
#include "testutil.h"

/* Run "[prefix] $SPARSEDSE args" with stdout and stderr captured; returns the exit code. */
static int run_as(const char *prefix, const char *args, char *out, size_t outn, char *err, size_t errn)
{
    const char *bin = getenv("SPARSEDSE");
    ck_assert_msg(bin != NULL, "SPARSEDSE is not set");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s%s %s 2>/tmp/dse_cli_err.%d", prefix, bin, args, (int)getpid());
    FILE *f = popen(cmd, "r");
    ck_assert(f != NULL);
    size_t n = fread(out, 1, outn - 1, f);
    out[n] = '\0';
    while (fgetc(f) != EOF) {}
    int st = pclose(f);
    char path[64];
    snprintf(path, sizeof path, "/tmp/dse_cli_err.%d", (int)getpid());
    FILE *e = fopen(path, "r");
    n = e ? fread(err, 1, errn - 1, e) : 0;
    err[n] = '\0';
    if (e) fclose(e);
    unlink(path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run(const char *args, char *out, size_t outn, char *err, size_t errn)
{
    return run_as("", args, out, outn, err, errn);
}

static char out[1 << 16], err[1 << 16];

static void tmpdb(char *buf, size_t n, const char *tag)
{
    snprintf(buf, n, "/tmp/dse_cli_%s_%d.db", tag, (int)getpid());
    unlink(buf);
}

START_TEST(help_and_usage)
{
    ck_assert_int_eq(run("--help", out, sizeof out, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage: sparsedse"));
    ck_assert_int_eq(run("sweep --help", out, sizeof out, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(out, "usage:"));
    ck_assert_int_eq(run("frobnicate", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("validate", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("sweep data/cli/small.yaml --threads x --db /tmp/x.db", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("--version", out, sizeof out, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(out, "sparsedse "));
}
END_TEST

START_TEST(validate_counts_points)
{
    ck_assert_int_eq(run("validate data/cli/small.yaml", out, sizeof out, err, sizeof err), 0);
    /* rows 3 x w_lookahead 2 x w_lookaside 2 x a_lookahead 2; rows = 8 gives
     * 8 * 8 * 4 = 256 multipliers > 128, so 16 of 24 are feasible. */
    ck_assert_ptr_nonnull(strstr(out, "combinations: 24\n"));
    ck_assert_ptr_nonnull(strstr(out, "feasible: 16\n"));
    ck_assert_ptr_nonnull(strstr(out, "presets: 1\n"));
    ck_assert_ptr_nonnull(strstr(out, "result rows per sweep: 68\n"));
}
END_TEST

START_TEST(malformed_space_is_located_and_writes_nothing)
{
    char db[256];
    tmpdb(db, sizeof db, "bad");
    ck_assert_int_eq(run("validate data/cli/bad_dup.yaml", out, sizeof out, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "data/cli/bad_dup.yaml:6:3: error: duplicate key 'rows'") != NULL, "stderr: %s", err);
    char args[512];
    snprintf(args, sizeof args, "sweep data/cli/bad_dup.yaml --db %s", db);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 1);
    struct stat st;
    ck_assert_int_ne(stat(db, &st), 0);
}
END_TEST

/* Every result row of the database as text, in a fixed order. */
static char *dump_results(const char *db, int *nrows)
{
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT * FROM results ORDER BY idx, workload, mode", -1, &st, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    *nrows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            if (strcmp(sqlite3_column_name(st, c), "run") == 0) continue;
            const unsigned char *t = sqlite3_column_text(st, c);
            size_t need = strlen(t ? (const char *)t : "NULL") + 2;
            if (len + need >= cap) buf = realloc(buf, cap *= 2);
            len += (size_t)sprintf(buf + len, "%s|", t ? (const char *)t : "NULL");
        }
        buf[len++] = '\n';
        buf[len] = '\0';
        (*nrows)++;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return buf;
}

static int count(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* Sweep space into db1 with 1 thread and db2 with 2 threads (extra options
 * for the second), check both hold nrows identical result rows. */
static void sweep_twice(const char *space, const char *db1, const char *db2, const char *extra, int nrows)
{
    char args[512];
    snprintf(args, sizeof args, "sweep %s --db %s --threads 1 --quiet", space, db1);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "stderr: %s", err);
    snprintf(args, sizeof args, "sweep %s --db %s --threads 2 --quiet %s", space, db2, extra);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "stderr: %s", err);
    int n1, n2;
    char *a = dump_results(db1, &n1), *b = dump_results(db2, &n2);
    ck_assert_int_eq(n1, nrows);
    ck_assert_int_eq(n2, n1);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
}

START_TEST(sweep_rows_fronts_and_thread_determinism)
{
    char db1[256], db2[256], args[512];
    tmpdb(db1, sizeof db1, "t1");
    tmpdb(db2, sizeof db2, "t2");
    int n = 17 * 1 * 4;   /* 16 feasible points + 1 preset, 1 workload, 4 modes */
    sweep_twice("data/cli/small.yaml", db1, db2, "", n);
    /* The per-component breakdown of every result (default --breakdown all). */
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM breakdown"), n * DSE_NCOMPS);
    /* A front for every (workload, mode). */
    ck_assert_int_eq(count(db1, "SELECT COUNT(DISTINCT workload || '/' || mode) FROM pareto"), 4);
    /* Per-layer rows of the front members (default --layers front): tiny has
     * 3 layers; their cycles add up to the result's, each carries a mapping */
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM layers"), 3 * count(db1, "SELECT COUNT(*) FROM pareto"));
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM (SELECT l.idx, l.mode, SUM(l.cycles) AS c FROM layers l"
                               " GROUP BY l.idx, l.mode) s JOIN results r ON r.idx = s.idx AND r.mode = s.mode"
                               " WHERE abs(s.c - r.cycles) > 1e-6 * r.cycles"), 0);
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM layers WHERE mapping NOT LIKE 'lanes %| dram %'"
                               " OR dram_w_bytes <= 0 OR wsram_bytes <= 0"), 0);
    ck_assert_int_eq(count(db2, "SELECT COUNT(*) FROM layers"), count(db1, "SELECT COUNT(*) FROM layers"));
    /* --layers all: every result; none: no rows */
    unlink(db2);
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet --layers all --breakdown none", db2);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "stderr: %s", err);
    ck_assert_int_eq(count(db2, "SELECT COUNT(*) FROM layers"), 3 * n);
    ck_assert_int_eq(count(db2, "SELECT COUNT(*) FROM breakdown"), 0);
    unlink(db2);
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet --layers none", db2);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "stderr: %s", err);
    ck_assert_int_eq(count(db2, "SELECT COUNT(*) FROM layers"), 0);
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet --layers some", db2);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("sweep data/cli/small.yaml --db '' --quiet", out, sizeof out, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--db: empty path"));
    /* --seed is decimal, as the space file's seed is: 010 is ten */
    unlink(db2);
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet --seed 010", db2);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 0);
    ck_assert_int_eq(count(db2, "SELECT seed FROM runs"), 10);
    /* A second sweep into the same database adds a run. */
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet", db1);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 0);
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM runs"), 2);
    snprintf(args, sizeof args, "pareto --db %s --format csv", db1);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(out, "tops_per_w"));
    unlink(db1);
    unlink(db2);
}
END_TEST

/* A run stores its input files: listed, written back out, and the exported
 * files sweep to the same rows; a resume after a workload edit is refused. */
START_TEST(inputs_stored_exported_and_checked)
{
    char db1[256], db2[256], dir[300], args[1024];
    tmpdb(db1, sizeof db1, "i1");
    tmpdb(db2, sizeof db2, "i2");
    snprintf(dir, sizeof dir, "%s.d", db1);
    snprintf(args, sizeof args, "sweep data/cli/small.yaml --db %s --quiet", db1);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    snprintf(args, sizeof args, "runs --db %s --inputs 1", db1);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(out, "data/cli/small.yaml"));
    ck_assert_ptr_nonnull(strstr(out, "data/cli/tiny.yaml"));
    ck_assert_ptr_nonnull(strstr(out, "spaces/tech/45nm.yaml"));
    snprintf(args, sizeof args, "runs --db %s --export 1 --dir %s", db1, dir);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    const char *rc = strstr(out, "re-create: sparsedse sweep ");
    ck_assert_ptr_nonnull(rc);
    char exported[512];
    ck_assert_int_eq(sscanf(rc + 27, "%511s", exported), 1);
    snprintf(args, sizeof args, "sweep %s --db %s --quiet --threads 1", exported, db2);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    int n1, n2;
    char *a = dump_results(db1, &n1), *b = dump_results(db2, &n2);
    ck_assert_int_gt(n1, 0);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    snprintf(args, sizeof args, "runs --db %s --export 1 --dir %s", db1, dir);   /* not empty now */
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 3);
    snprintf(args, sizeof args, "runs --db %s --export 1", db1);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 2);
    /* an aborted run of the exported space, its workload edited, refuses --resume */
    unlink(db2);
    char wl[600];
    snprintf(wl, sizeof wl, "%s", exported);
    char *slash = strrchr(wl, '/');
    ck_assert_ptr_nonnull(slash);
    strcpy(slash + 1, "tiny.yaml");
    FILE *f = fopen(wl, "a");
    ck_assert_ptr_nonnull(f);
    fputs("# edited\n", f);
    fclose(f);
    snprintf(args, sizeof args, "sweep %s --db %s --quiet --threads 1 --block 4", exported, db2);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(db2, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "UPDATE runs SET status = 'aborted'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    f = fopen(wl, "a");
    fputs("# edited again\n", f);
    fclose(f);
    snprintf(args, sizeof args, "sweep %s --db %s --quiet --resume", exported, db2);
    ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 1);
    ck_assert_msg(strstr(err, "tiny.yaml has changed since run 1") != NULL, "%s", err);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    ck_assert_int_eq(system(args), 0);
    unlink(db1);
    unlink(db2);
}
END_TEST

/* s without its leading and trailing blanks (cut in place). */
static char *trim(char *s)
{
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = '\0';
    return s;
}

/* Copy src to dst with every "$T" replaced by t. */
static void subst_t(char *dst, size_t n, const char *src, const char *t)
{
    size_t k = 0;
    for (const char *p = src; *p && k + 1 < n; p++) {
        if (p[0] == '$' && p[1] == 'T') {
            k += (size_t)snprintf(dst + k, n - k, "%s", t);
            p++;
        } else {
            dst[k++] = *p;
        }
    }
    dst[k < n ? k : n - 1] = '\0';
}

static void write_file(const char *path, const char *text, const char *mode)
{
    FILE *f = fopen(path, mode);
    ck_assert_msg(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* The scratch directory of data/cli/cases.txt (its header says what it holds). */
static void cases_setup(const char *T)
{
    char cmd[2048], path[512];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/full %s/edit && touch %s/full/x", T, T, T, T);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sweep data/cli/small.yaml --db %s/done.db --quiet", T);
    ck_assert_msg(run(cmd, out, sizeof out, err, sizeof err) == 0, "%s", err);
    sqlite3 *h;
    snprintf(path, sizeof path, "%s/other.db", T);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char tech[PATH_MAX], big[PATH_MAX + 256];
    ck_assert_ptr_nonnull(realpath("../spaces/tech/45nm.yaml", tech));
    snprintf(big, sizeof big, "name: edit\nworkloads: [tiny.yaml]\ntechnology: %s\nparams: {lanes: 8, rows: [2, 4]}\n", tech);
    snprintf(path, sizeof path, "%s/edit/space.yaml", T);
    write_file(path, big, "w");
    snprintf(cmd, sizeof cmd, "cp data/cli/tiny.yaml %s/edit/", T);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sweep %s/edit/space.yaml --db %s/edit.db --quiet", T, T);
    ck_assert_msg(run(cmd, out, sizeof out, err, sizeof err) == 0, "%s", err);
    snprintf(path, sizeof path, "%s/edit.db", T);
    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "UPDATE runs SET status = 'aborted'", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    snprintf(path, sizeof path, "%s/edit/tiny.yaml", T);
    write_file(path, "# edited\n", "a");
}

/* Every case of data/cli/cases.txt exits with its code within 10 s and
 * prints its first line; at least 100 cases, every exit code of input
 * errors among them. */
START_TEST(bad_input_table)
{
    char T[64];
    snprintf(T, sizeof T, "/tmp/dse_cases_%d", (int)getpid());
    cases_setup(T);
    FILE *f = fopen("data/cli/cases.txt", "r");
    ck_assert_ptr_nonnull(f);
    char line[2048], args[4096], want[4096], fails[16384] = "";
    int ncases = 0, seen[4] = {0};
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') continue;
        char *a = strchr(line, '|'), *b = a ? strchr(a + 1, '|') : NULL;
        ck_assert_msg(b != NULL, "not EXIT | ARGUMENTS | FIRST LINE: %s", line);
        *a = *b = '\0';
        int code = atoi(line);
        subst_t(args, sizeof args, trim(a + 1), T);
        subst_t(want, sizeof want, trim(b + 1), T);
        int rc = run_as("timeout 10 ", args, out, sizeof out, err, sizeof err);
        err[strcspn(err, "\n")] = '\0';
        if (rc != code || strcmp(err, want) != 0) {
            size_t k = strlen(fails);
            snprintf(fails + k, sizeof fails - k, "\n  sparsedse %.200s\n    got  %d %.300s\n    want %d %.300s", args, rc, err,
                     code, want);
        }
        if (code >= 0 && code < 4) seen[code]++;
        ncases++;
    }
    fclose(f);
    ck_assert_msg(fails[0] == '\0', "cases:%s", fails);
    ck_assert_int_ge(ncases, 100);
    ck_assert_int_gt(seen[1], 0);
    ck_assert_int_gt(seen[2], 0);
    ck_assert_int_gt(seen[3], 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", T);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Points stored so far in db (0 while it cannot be read yet). */
static int points_now(const char *db)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, "SELECT count(*) FROM points", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

/* kill -9 a sweep once it has stored at least `after` points; 1 if it was
 * killed, 0 if it ended first. */
static int sweep_killed_after(const char *space, const char *db, int resume, int after)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execl(getenv("SPARSEDSE"), "sparsedse", "sweep", space, "--db", db, "--quiet", "--threads", "1", "--block", "4",
              resume ? "--resume" : NULL, (char *)NULL);
        _exit(127);
    }
    int st, killed = 0;
    for (;;) {
        if (waitpid(pid, &st, WNOHANG) == pid) break;
        if (points_now(db) >= after) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            killed = WIFSIGNALED(st);
            break;
        }
        usleep(2000);
    }
    return killed;
}

/* A sweep killed (SIGKILL: nothing to clean up) at two points and resumed
 * stores the same rows as an uninterrupted one. */
START_TEST(kill9_then_resume_equals_uninterrupted)
{
    char db1[256], db2[256], args[600];
    tmpdb(db1, sizeof db1, "k1");
    tmpdb(db2, sizeof db2, "k2");
    snprintf(args, sizeof args, "sweep data/cli/kill.yaml --db %s --quiet --threads 1", db1);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    int total = count(db1, "SELECT count(*) FROM points");
    ck_assert_int_gt(total, 40);
    int kills = sweep_killed_after("data/cli/kill.yaml", db2, 0, 8);
    kills += sweep_killed_after("data/cli/kill.yaml", db2, 1, total / 2);
    snprintf(args, sizeof args, "sweep data/cli/kill.yaml --db %s --quiet --threads 2 --resume", db2);
    ck_assert_msg(run(args, out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_int_ge(kills, 1);   /* at least one kill landed mid-run */
    int n1, n2;
    char *a = dump_results(db1, &n1), *b = dump_results(db2, &n2);
    ck_assert_int_eq(n1, n2);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    ck_assert_int_eq(count(db2, "SELECT count(*) FROM runs"), 1);
    ck_assert_int_eq(count(db2, "SELECT count(*) FROM runs WHERE status = 'done'"), 1);
    unlink(db1);
    unlink(db2);
}
END_TEST

/* Sampled tiles: streams keyed by (seed, cache key, layer, tile), so the
 * thread count, the block size and the cache's fill order change nothing. */
START_TEST(sampled_sweep_is_thread_independent)
{
    char db1[256], db2[256];
    tmpdb(db1, sizeof db1, "s1");
    tmpdb(db2, sizeof db2, "s2");
    sweep_twice("data/cli/sampled.yaml", db1, db2, "--block 3", 32 * 4);
    /* the interval is stored and brackets the estimate */
    ck_assert_int_eq(count(db1, "SELECT COUNT(*) FROM results WHERE NOT (cycles_lo <= cycles AND cycles <= cycles_hi)"), 0);
    ck_assert_int_gt(count(db1, "SELECT COUNT(*) FROM results WHERE cycles_hi > cycles_lo"), 0);
    unlink(db1);
    unlink(db2);
}
END_TEST

START_TEST(eval_prints_breakdown)
{
    ck_assert_msg(run("eval data/cli/small.yaml --point 3", out, sizeof out, err, sizeof err) == 0, "stderr: %s", err);
    ck_assert_ptr_nonnull(strstr(out, "\narea\n"));
    ck_assert_ptr_nonnull(strstr(out, "workload tiny"));
    ck_assert_ptr_nonnull(strstr(out, "tops_per_w"));
    /* --layers: one row per layer of the network, whose cycles add up to the network's */
    ck_assert_msg(run("eval data/cli/small.yaml --point 3 --mode dual --fidelity sampled --layers", out, sizeof out,
                      err, sizeof err) == 0, "stderr: %s", err);
    dse_network net;
    dse_err e = {0, ""};
    ck_assert_msg(dse_network_load(&net, "data/cli/tiny.yaml", &e) == DSE_OK, "%s", e.msg);
    const char *m = strstr(out, "\n  cycles ");
    ck_assert_ptr_nonnull(m);
    double total = strtod(m + 9, NULL), sum = 0;
    const char *l = strstr(out, "layers of tiny, dual mode\n");
    ck_assert_ptr_nonnull(l);
    l = strchr(strchr(l, '\n') + 1, '\n') + 1;   /* skip the title and the header */
    for (int i = 0; i < net.nlayers; i++) {
        char name[64];
        int rep;
        double dense, cyc;
        ck_assert_msg(sscanf(l, " %63s %d %lf %lf", name, &rep, &dense, &cyc) == 4, "row %d: %.80s", i, l);
        ck_assert_str_eq(name, net.layers[i].name);
        sum += cyc;
        l = strchr(l, '\n') + 1;
    }
    ck_assert_msg(strncmp(l, "\nmappings of tiny, dual mode", 27) == 0, "after the rows: %.60s", l);
    l = strchr(l + 1, '\n') + 1;
    for (int i = 0; i < net.nlayers; i++) {   /* one mapping per layer, every level named */
        char name[64];
        ck_assert_msg(sscanf(l, " %63s lanes", name) == 1 && strstr(l, "| dram ") != NULL, "mapping row %d: %.80s", i, l);
        ck_assert_str_eq(name, net.layers[i].name);
        l = strchr(l, '\n') + 1;
    }
    ck_assert_int_eq(*l, '\0');
    ck_assert_near(sum, total, 1e-4);
    dse_network_free(&net);
    ck_assert_int_eq(run("eval data/cli/small.yaml rows=4 w_lookahead=9x", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("eval data/cli/small.yaml --point 999", out, sizeof out, err, sizeof err), 2);
}
END_TEST

/* The value of key=... in traffic's output, or NAN. */
static double kv(const char *text, const char *key)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\n%s=", key);
    const char *p = strstr(text, pat);
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

START_TEST(traffic_prints_counts_and_rejects_bad_files)
{
    ck_assert_msg(run("traffic data/traffic/resnet50_3x3.yaml", out, sizeof out, err, sizeof err) == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(out, "mapping=lanes C16 | acc C4 R3 S3 | cols K4 | rows Q4 | sram K8 P28 Q2 | dram Q7 P2 K2\n"));
    ck_assert_double_eq(kv(out, "asram_I_fills"), 445440);
    ck_assert_double_eq(kv(out, "wsram_W_reads"), 28901376);
    ck_assert_double_eq(kv(out, "cycles"), 451584);
    /* energies: the levels add up to the total, DRAM priced per bit of the default kind (ddr3) */
    double sum = 0;
    const char *lv[] = {"acc", "wsram", "asram", "osram", "dram", "metadata", "mac"};
    for (int i = 0; i < 7; i++) {
        char k[32];
        snprintf(k, sizeof k, "energy_%s_pj", lv[i]);
        ck_assert(kv(out, k) >= 0);
        sum += kv(out, k);
    }
    ck_assert_near(sum, kv(out, "energy_total_pj"), 1e-12);
    ck_assert_near(kv(out, "energy_dram_pj"), kv(out, "dram_bits") * 20.3, 1e-12);
    ck_assert_near(kv(out, "dram_cycles"), kv(out, "dram_bits") / 204.8, 1e-12);
    /* --tech with another file changes the prices, not the counts */
    ck_assert_int_eq(run("traffic data/traffic/resnet50_3x3.yaml --tech ../spaces/tech/7nm.yaml", out, sizeof out,
                         err, sizeof err), 0);
    ck_assert_double_eq(kv(out, "asram_I_fills"), 445440);
    ck_assert_int_eq(run("traffic data/traffic/resnet50_3x3.yaml --tech no-such.yaml", out, sizeof out, err, sizeof err), 3);
    ck_assert_int_eq(run("traffic data/parse/bad/map_tile_fit.yaml", out, sizeof out, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "map_tile_fit.yaml:9:9: error: mapping: the output tile"));
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(run("traffic", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("traffic a.yaml b.yaml", out, sizeof out, err, sizeof err), 2);
    ck_assert_int_eq(run("traffic no-such.yaml", out, sizeof out, err, sizeof err), 3);
}
END_TEST

/* docs/cli.md quotes every command's --help text; it must stay true. */
START_TEST(cli_doc_matches_help)
{
    static const char *const cmds[] = {"validate", "sweep", "pareto", "eval", "runs", "schedule", "traffic"};
    FILE *f = fopen("../docs/cli.md", "r");
    ck_assert_ptr_nonnull(f);
    static char doc[1 << 17];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    doc[n] = '\0';
    fclose(f);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char args[64];
        snprintf(args, sizeof args, "%s --help", cmds[i]);
        ck_assert_int_eq(run(args, out, sizeof out, err, sizeof err), 0);
        ck_assert_msg(strstr(doc, out) != NULL, "docs/cli.md does not quote '%s --help'", cmds[i]);
    }
}
END_TEST

/* Read ../docs/NAME into buf. */
static void read_doc(const char *name, char *buf, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "../docs/%s", name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t got = fread(buf, 1, n - 1, f);
    buf[got] = '\0';
    fclose(f);
}

/* The first table row of doc whose text contains `name` (backquoted), or NULL. */
static const char *doc_row(const char *doc, const char *name, char *row, size_t n)
{
    char key[80];
    snprintf(key, sizeof key, "`%s`", name);
    for (const char *l = doc; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *end = strchr(l, '\n');
        size_t len = end ? (size_t)(end - l) : strlen(l);
        if (l[0] != '|' || len >= n) continue;
        memcpy(row, l, len);
        row[len] = '\0';
        if (strstr(row, key)) return row;
    }
    return NULL;
}

/* The docs name every parameter (with its description), derived quantity,
 * metric and cost component that the X-macro lists declare. */
START_TEST(docs_cover_the_lists)
{
    static char spaces[1 << 16], schema[1 << 16], cost[1 << 16];
    char row[1024];
    read_doc("spaces.md", spaces, sizeof spaces);
    read_doc("schema.md", schema, sizeof schema);
    read_doc("cost.md", cost, sizeof cost);
    for (int i = 0; i < DSE_NPARAMS; i++) {
        ck_assert_msg(doc_row(spaces, dse_params[i].name, row, sizeof row), "docs/spaces.md: no row for %s", dse_params[i].name);
        ck_assert_msg(strstr(row, dse_params[i].doc), "docs/spaces.md: %s row lacks '%s'", dse_params[i].name, dse_params[i].doc);
    }
    for (int i = 0; i < DSE_NDERIVED; i++)
        ck_assert_msg(doc_row(spaces, dse_derived_names[i], row, sizeof row), "docs/spaces.md: no row for %s", dse_derived_names[i]);
    for (int i = 0; i < DSE_NMETRICS; i++)
        ck_assert_msg(doc_row(schema, dse_metric_names[i], row, sizeof row), "docs/schema.md: no row for %s", dse_metric_names[i]);
    for (int i = 0; i < DSE_NCOMPS; i++)
        ck_assert_msg(doc_row(cost, dse_comp_names[i], row, sizeof row), "docs/cost.md: no row for %s", dse_comp_names[i]);
}
END_TEST

Suite *suite_cli(void);
Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, help_and_usage);
    tcase_add_test(tc, bad_input_table);
    tcase_add_test(tc, traffic_prints_counts_and_rejects_bad_files);
    tcase_add_test(tc, inputs_stored_exported_and_checked);
    tcase_add_test(tc, kill9_then_resume_equals_uninterrupted);
    tcase_add_test(tc, validate_counts_points);
    tcase_add_test(tc, malformed_space_is_located_and_writes_nothing);
    tcase_add_test(tc, sweep_rows_fronts_and_thread_determinism);
    tcase_add_test(tc, eval_prints_breakdown);
    tcase_add_test(tc, sampled_sweep_is_thread_independent);
    tcase_add_test(tc, cli_doc_matches_help);
    tcase_add_test(tc, docs_cover_the_lists);
    suite_add_tcase(s, tc);
    return s;
}
