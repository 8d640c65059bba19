/* bench_sweep.c -- sweep throughput end to end (result rows/s) against a bare SQLite insert of as many rows. */
#include <math.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cost.h"
#include "db.h"
#include "rng.h"
#include "space.h"
#include "mapper.h"
#include "sweep.h"

/* usage: bench_sweep [SPACE.yaml|synthetic [THREADS]]
 * With SPACE.yaml (default spaces/default.yaml) readable: the real model,
 * keys sweep_*, bare_insert_*, model_only_*. With "synthetic" or a missing
 * file: a built-in space and a nearly free evaluator, so the figures measure
 * the storage pipeline alone; the same keys prefixed by "synthetic_". */

static double axis_vals[DSE_NPARAMS][8];
static dse_layer syn_layer;

/* 8 x 8 x 8 x 8 = 4096 points, two workloads. */
static void synthetic_space(dse_space *s)
{
    memset(s, 0, sizeof *s);
    strcpy(s->name, "synthetic");
    strcpy(s->path, "(built-in)");
    s->text = dse_xstrdup("synthetic benchmark space\n");
    s->hash = dse_fnv1a(DSE_FNV_INIT, s->text, strlen(s->text));
    s->ncombos = 1;
    static const int vary[] = {DSE_P_rows, DSE_P_cols, DSE_P_w_lookahead, DSE_P_a_lookahead};
    for (int j = 0; j < DSE_NPARAMS; j++) {
        s->axes[j].nvalues = 1;
        s->axes[j].values = axis_vals[j];
        axis_vals[j][0] = dse_params[j].def;
    }
    for (size_t v = 0; v < sizeof vary / sizeof vary[0]; v++) {
        s->axes[vary[v]].nvalues = 8;
        for (int i = 0; i < 8; i++) axis_vals[vary[v]][i] = i + 1;
    }
    for (int j = 0; j < DSE_NPARAMS; j++) s->ncombos *= (uint64_t)s->axes[j].nvalues;
    syn_layer = (dse_layer){.name = "fc", .P = 16, .K = 64, .Cin = 64, .R = 1, .S = 1, .groups = 1, .repeat = 1};
    for (int w = 0; w < 2; w++) {
        snprintf(s->workloads[w].name, sizeof s->workloads[w].name, "syn%d", w);
        s->workloads[w].nlayers = 1;
        s->workloads[w].layers = &syn_layer;
    }
    s->nworkloads = 2;
    s->nobjectives = 2;
    s->objectives[0] = (dse_objective){DSE_M_tops_per_w, 1};
    s->objectives[1] = (dse_objective){DSE_M_tops_per_mm2, 1};
}

static int syn_eval(void *ctx, uint64_t idx, const dse_point *p, int w, const dse_network *n,
                    dse_mode mode, dse_metrics *m, dse_breakdown *bd, dse_layer_eval *ly, dse_err *e)
{
    (void)ctx, (void)n, (void)e, (void)ly;
    uint64_t h = dse_rng_key(1, idx, (uint64_t)w, (uint64_t)mode);
    for (int j = 0; j < DSE_NMETRICS; j++) m->v[j] = (double)((h >> (j % 8) * 8) & 0xff) + p->rows;
    if (bd) memset(bd, 0, sizeof *bd);
    return DSE_OK;
}

/* The same number of result rows, same schema and pragmas, same
 * transaction size, no model: the storage floor. */
static double bare_insert(const char *path, uint64_t rows, int per_txn, dse_err *e)
{
    dse_db *db;
    dse_space s;
    int64_t run;
    memset(&s, 0, sizeof s);
    strcpy(s.name, "bare");
    s.text = (char *)"";
    if (dse_db_open(&db, path, 1, e)) return -1;
    double t0 = dse_now();
    if (dse_db_run_new(db, &s, 0, 1, rows, "max:tops_per_w,max:tops_per_mm2", &run, e)) return -1;
    dse_metrics m;
    for (int j = 0; j < DSE_NMETRICS; j++) m.v[j] = 1.0 + j / 7.0;
    for (uint64_t i = 0; i < rows;) {
        if (dse_db_begin(db, e)) return -1;
        for (int k = 0; k < per_txn && i < rows; k++, i++) {
            m.v[0] = (double)i;
            if (dse_db_put_result(db, run, i / DSE_NMODES, "bare", (dse_mode)(i % DSE_NMODES), &m, e)) return -1;
        }
        if (dse_db_commit(db, e)) return -1;
    }
    if (dse_db_create_indexes(db, e)) return -1;
    dse_db_close(db);
    return dse_now() - t0;
}

/* The evaluator alone over every feasible point (parallel, no storage). */
static double model_only(const dse_space *s, dse_sweep_evalfn f, void *ctx, int nt)
{
    uint64_t np = dse_space_npoints(s);
    double t0 = dse_now();
    long n = (long)np;
    (void)nt;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 4) num_threads(nt)
#endif
    for (long i = 0; i < n; i++) {
        dse_point p;
        dse_metrics m;
        dse_err e;
        dse_space_point(s, (uint64_t)i, &p);
        if (!dse_space_feasible(s, &p, NULL, 0)) continue;
        for (int w = 0; w < s->nworkloads; w++)
            for (int mode = 0; mode < DSE_NMODES; mode++)
                f(ctx, (uint64_t)i, &p, w, &s->workloads[w], (dse_mode)mode, &m, NULL, NULL, &e);
    }
    return dse_now() - t0;
}

typedef struct real_ctx { const dse_cost *cost; dse_perf_opts po; } real_ctx;

static int real_eval(void *ctx, uint64_t idx, const dse_point *p, int w, const dse_network *n,
                     dse_mode mode, dse_metrics *m, dse_breakdown *bd, dse_layer_eval *ly, dse_err *e)
{
    const real_ctx *c = ctx;
    (void)idx, (void)w;
    return dse_model_eval(p, n, mode, c->cost, &c->po, m, bd, ly, e);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "spaces/default.yaml";
    int nt = argc > 2 ? atoi(argv[2]) : 0;
    dse_space s;
    dse_err e = {0};
    dse_tech *tech = NULL;
    dse_cost *cost = NULL;
    int real = strcmp(path, "synthetic") != 0 && access(path, R_OK) == 0;
    const char *pre = real ? "" : "synthetic_";
#ifdef _OPENMP
    if (nt <= 0) nt = omp_get_max_threads();
#else
    nt = 1;
#endif
    if (real) {
        if (dse_space_load(&s, path, &e) || dse_tech_load(&tech, s.tech_path, &e) ||
            dse_cost_new(&cost, tech, &e)) {
            fprintf(stderr, "bench_sweep: %s\n", e.msg);
            return 1;
        }
    } else {
        synthetic_space(&s);
    }
    char dir[] = "/tmp/sparsedse-bench-XXXXXX", db1[128], db2[128];
    if (!mkdtemp(dir)) return 1;
    snprintf(db1, sizeof db1, "%s/sweep.db", dir);
    snprintf(db2, sizeof db2, "%s/bare.db", dir);

    dse_sweep_opts o;
    dse_sweep_defaults(&o);
    o.breakdown = DSE_BD_FRONT;   /* result rows, as the bare insert (the CLI line below stores all) */
    o.seed = s.seed;
    o.threads = nt;
    o.cost = cost;
    if (!real) o.eval = syn_eval;
    dse_db *db;
    dse_sweep_stats st;
    double t0 = dse_now();
    clock_t c0 = clock();
    if (dse_db_open(&db, db1, 1, &e) || dse_sweep_run(db, &s, &o, &st, &e)) {
        fprintf(stderr, "bench_sweep: %s\n", e.msg);
        return 1;
    }
    dse_db_close(db);
    double tsweep = dse_now() - t0, csweep = (double)(clock() - c0) / CLOCKS_PER_SEC;
    double tbare = bare_insert(db2, st.rows, o.block * s.nworkloads * DSE_NMODES, &e);
    if (tbare < 0) {
        fprintf(stderr, "bench_sweep: %s\n", e.msg);
        return 1;
    }
    real_ctx rc = {cost, {s.fidelity, s.seed, s.precision, s.min_tiles, s.max_tiles, NULL, s.scope, NULL, s.mapobj}};
    if (real) {
        rc.po.cache = dse_perf_cache_new();
        rc.po.maps = dse_map_cache_new();
    }
    double tmodel = model_only(&s, real ? real_eval : syn_eval, &rc, nt);
    dse_perf_cache_free(rc.po.cache);
    dse_map_cache_free(rc.po.maps);

    printf("%ssweep_space=%s\n", pre, real ? path : "synthetic");
    printf("%ssweep_model=%s\n", pre, real ? dse_fidelity_names[s.fidelity] : "synthetic");
    printf("%ssweep_threads=%d\n", pre, nt);
    printf("%ssweep_points=%llu\n", pre, (unsigned long long)st.npoints);
    printf("%ssweep_result_rows=%llu\n", pre, (unsigned long long)st.rows);
    printf("%ssweep_seconds=%.3f\n", pre, tsweep);
    printf("%ssweep_rows_per_s=%.0f\n", pre, (double)st.rows / tsweep);
    printf("%ssweep_cpu_seconds=%.3f\n", pre, csweep);
    printf("%ssweep_cpu_us_per_row=%.1f\n", pre, 1e6 * csweep / (double)st.rows);
    printf("%sbare_insert_seconds=%.3f\n", pre, tbare);
    printf("%sbare_insert_rows_per_s=%.0f\n", pre, (double)st.rows / tbare);
    printf("%smodel_only_seconds=%.3f\n", pre, tmodel);
    printf("%smodel_only_rows_per_s=%.0f\n", pre, (double)st.rows / tmodel);
    printf("%ssweep_time_over_bare_insert=%.2f\n", pre, tsweep / tbare);
    printf("%ssweep_time_over_model_only=%.2f\n", pre, tsweep / tmodel);
    if (st.cache_lookups)
        printf("%ssweep_perf_cache_hit_rate=%.4f\n", pre, (double)st.cache_hits / (double)st.cache_lookups);
    if (st.map_lookups)
        printf("%ssweep_mapper_cache_hit_rate=%.4f\n", pre, (double)st.map_hits / (double)st.map_lookups);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_sweep: cannot remove %s\n", dir);
    dse_cost_free(cost);
    dse_tech_free(tech);
    if (real) dse_space_free(&s);
    else free(s.text);
    return 0;
}
