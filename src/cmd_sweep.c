/* cmd_sweep.c -- `sparsedse sweep`: evaluate a space into SQLite with progress, Ctrl-C safety and resume. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cost.h"
#include "db.h"
#include "space.h"
#include "sweep.h"

static const char sweep_help[] =
    "usage: sparsedse sweep SPACE.yaml --db FILE [--threads N] [--seed S]\n"
    "                       [--resume [--run ID]] [--breakdown front|all|none]\n"
    "                       [--layers front|all|none] [--block N] [--quiet]\n\n"
    "Evaluate every design point of SPACE.yaml on every workload in all four modes\n"
    "(dense, weight, act, dual), store points, results and the Pareto fronts of the\n"
    "space's objectives as a new run in FILE (created if missing; other runs are kept).\n\n"
    "  --db FILE        SQLite database (docs/schema.md)\n"
    "  --threads N      worker threads (default: OpenMP's maximum)\n"
    "  --seed S         seed of the sampled estimates (default: the space's seed)\n"
    "  --resume         continue an interrupted or failed run of this same space file\n"
    "  --run ID         with --resume: that run (default: the latest unfinished one)\n"
    "  --breakdown W    per-component area/energy rows: all results (default), front members, none\n"
    "  --layers W       per-layer rows (mapping, cycles, traffic per level): front members\n"
    "                   (default), all results (blocks of at most 32 points), none\n"
    "  --block N        points per committed block (default 256)\n"
    "  --quiet          no progress output\n\n"
    "Ctrl-C (SIGINT) or SIGTERM keeps the completed blocks, marks the run aborted and\n"
    "exits with 130; --resume completes it with the same rows an uninterrupted run has.\n"
    "A second Ctrl-C exits at once (the run stays 'running' and is still resumable).\n"
    "A summary goes to stderr; stdout stays empty.\n";

/* Which rows an option stores: front, all or none (DSE_BD_*); -1 after a usage message. */
static int rows_of(const char *opt, const char *v, int *out)
{
    static const char *const names[] = {"none", "front", "all"};
    for (int k = 0; k < 3; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = k;
            return 0;
        }
    cli_usage("sweep", "--%s: expected front, all or none, got '%s'", opt, v);
    return -1;
}

/* First signal: stop after the block in flight. Second: die at once (SQLite
 * rolls back the open transaction; the run stays "running", resumable). */
static void on_signal(int sig)
{
    if (dse_sweep_stopping()) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    dse_sweep_stop();
}

/* Progress on stderr: a redrawn bar on a terminal, a line every 5 s otherwise. */
typedef struct progress {
    int tty;
    int drawn;       /* a bar is on screen (needs a newline) */
    double last;     /* time of the last output */
} progress;

static void fmt_eta(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void show(void *ctx, uint64_t done, uint64_t total, uint64_t session, double secs)
{
    progress *pg = ctx;
    double now = secs;
    int final = done == total;
    if (!final && now - pg->last < (pg->tty ? 0.1 : 5.0) && pg->last >= 0) return;
    if (!pg->tty && !final && now < 5.0) return;
    pg->last = now;
    double rate = secs > 0 ? (double)session / secs : 0.0;
    char eta[32] = "?";
    if (rate > 0) fmt_eta(eta, sizeof eta, (double)(total - done) / rate);
    if (pg->tty) {
        int width = 30, fill = total ? (int)((double)done / (double)total * width) : width;
        char bar[64];
        for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '-';
        bar[width] = '\0';
        fprintf(stderr, "\r[%s] %llu/%llu points  %.0f points/s  eta %s ", bar,
                (unsigned long long)done, (unsigned long long)total, rate, eta);
        pg->drawn = 1;
        if (final) {
            fputc('\n', stderr);
            pg->drawn = 0;
        }
    } else if (!final) {
        fprintf(stderr, "sparsedse: sweep: %llu/%llu points, %.0f points/s, eta %s\n",
                (unsigned long long)done, (unsigned long long)total, rate, eta);
    }
    fflush(stderr);
}

typedef struct args {
    const char *space, *db;
    long threads, block, run;
    unsigned long long seed;
    int has_seed, resume, quiet, breakdown, layers;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    a->breakdown = DSE_BD_ALL;
    a->layers = DSE_BD_FRONT;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if (cli_is_help(argv[i])) {
            fputs(sweep_help, stdout);
            return -2;
        }
        if ((r = cli_opt_arg("sweep", argc, argv, &i, "db", &v))) {
            if (r < 0) return -1;
            a->db = v;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "threads", &v))) {
            if (r < 0 || cli_parse_long("sweep", "threads", v, 1, 1024, &a->threads)) return -1;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "block", &v))) {
            if (r < 0 || cli_parse_long("sweep", "block", v, 1, 1 << 20, &a->block)) return -1;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "run", &v))) {
            if (r < 0 || cli_parse_long("sweep", "run", v, 1, 0x7fffffffL, &a->run)) return -1;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "seed", &v))) {
            if (r < 0 || cli_parse_u64("sweep", "seed", v, &a->seed)) return -1;
            a->has_seed = 1;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "breakdown", &v))) {
            if (r < 0 || rows_of("breakdown", v, &a->breakdown)) return -1;
        } else if ((r = cli_opt_arg("sweep", argc, argv, &i, "layers", &v))) {
            if (r < 0 || rows_of("layers", v, &a->layers)) return -1;
        } else if (strcmp(argv[i], "--resume") == 0) {
            a->resume = 1;
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            a->quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage("sweep", "unknown option '%s'", argv[i]), -1;
        } else if (a->space) {
            return cli_usage("sweep", "one space file expected, got '%s' too", argv[i]), -1;
        } else {
            a->space = argv[i];
        }
    }
    if (!a->space) return cli_usage("sweep", "missing SPACE.yaml"), -1;
    if (!a->db) return cli_usage("sweep", "missing --db FILE"), -1;
    if (!a->db[0]) return cli_usage("sweep", "--db: empty path (an unnamed database would be discarded at exit)"), -1;
    if (a->run && !a->resume) return cli_usage("sweep", "--run needs --resume"), -1;
    if (a->has_seed && a->resume)
        return cli_usage("sweep", "--seed cannot change a resumed run (it keeps its seed)"), -1;
    return 0;
}

int cmd_sweep(int argc, char **argv)
{
    args a;
    int r = parse_args(argc, argv, &a);
    if (r == -2) return CLI_EXIT_OK;
    if (r) return CLI_EXIT_USAGE;

    dse_space s;
    dse_cost *cost = NULL;
    if ((r = cli_load_space(a.space, &s, &cost))) return r;
    dse_db *db;
    dse_err e = {0};
    if (dse_db_open(&db, a.db, 1, &e)) {
        dse_cost_free(cost);
        dse_space_free(&s);
        return cli_fail(&e);
    }

    dse_sweep_opts o;
    dse_sweep_defaults(&o);
    o.seed = a.has_seed ? a.seed : s.seed;
    o.threads = (int)a.threads;
    if (a.block) o.block = (int)a.block;
    o.breakdown = a.breakdown;
    o.layers = a.layers;
    o.resume = a.resume;
    o.resume_run = a.run;
    o.cost = cost;
    progress pg = {isatty(2), 0, -1.0};
    if (!a.quiet) {
        o.progress = show;
        o.progress_ctx = &pg;
    }

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    dse_sweep_clear_stop();

    dse_sweep_stats st;
    int rc = dse_sweep_run(db, &s, &o, &st, &e);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (pg.drawn) fputc('\n', stderr);

    if (rc == DSE_OK && !a.quiet) {
        cli_msg("run %lld: %llu points (%llu feasible%s), %llu result rows in %.2f s (%.0f rows/s)"
                ", %llu front memberships",
                (long long)st.run, (unsigned long long)st.npoints, (unsigned long long)st.nfeasible,
                st.resumed ? ", some resumed" : "", (unsigned long long)st.rows, st.seconds,
                st.seconds > 0 ? (double)st.rows / st.seconds : 0.0,
                (unsigned long long)st.front_rows);
        if (st.cache_lookups)
            cli_msg("perf cache: %llu of %llu layer estimates reused (%.1f%%)",
                    (unsigned long long)st.cache_hits, (unsigned long long)st.cache_lookups,
                    100.0 * (double)st.cache_hits / (double)st.cache_lookups);
        if (st.map_lookups)
            cli_msg("mapper cache: %llu of %llu layer mappings reused (%.1f%%)",
                    (unsigned long long)st.map_hits, (unsigned long long)st.map_lookups,
                    100.0 * (double)st.map_hits / (double)st.map_lookups);
    }
    int code = rc == DSE_OK ? CLI_EXIT_OK : cli_fail(&e);
    if (rc != DSE_OK && rc != DSE_EINTR && st.run > 0)
        cli_msg("run %lld marked failed; completed blocks are kept (--resume continues it)",
                (long long)st.run);
    dse_db_close(db);
    dse_cost_free(cost);
    dse_space_free(&s);
    return code;
}
