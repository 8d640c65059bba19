/* check_sweep.c -- sweeps with a synthetic evaluator: thread-count determinism, interrupt and resume, failures, fronts. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "rng.h"
#include "sweep.h"
#include "testutil.h"

Suite *suite_sweep(void);

static char dir[64], path[128];
static dse_space sp;
static double axis_vals[DSE_NPARAMS][4];
static dse_layer layers[2];

/* 2 x 2 x 3 x 4 = 48 grid points (lanes, rows, w_lookahead, a_lookahead),
 * 12 of them over the multiplier bound, plus one preset; two workloads. */
static void build_space(void)
{
    memset(&sp, 0, sizeof sp);
    strcpy(sp.name, "synthetic");
    strcpy(sp.path, "synthetic.yaml");
    sp.text = (char *)"synthetic space\n";
    sp.hash = dse_fnv1a(DSE_FNV_INIT, sp.text, strlen(sp.text));
    sp.ncombos = 1;
    for (int j = 0; j < DSE_NPARAMS; j++) {
        sp.axes[j].nvalues = 1;
        sp.axes[j].values = axis_vals[j];
        axis_vals[j][0] = dse_params[j].def;
    }
    static const struct { int p, n; double v[4]; } ax[] = {
        {DSE_P_lanes, 2, {8, 16}}, {DSE_P_rows, 2, {4, 8}},
        {DSE_P_w_lookahead, 3, {0, 1, 2}}, {DSE_P_a_lookahead, 4, {0, 1, 2, 3}},
    };
    for (size_t a = 0; a < sizeof ax / sizeof ax[0]; a++) {
        sp.axes[ax[a].p].nvalues = ax[a].n;
        memcpy(axis_vals[ax[a].p], ax[a].v, sizeof ax[a].v);
    }
    for (int j = 0; j < DSE_NPARAMS; j++) sp.ncombos *= (uint64_t)sp.axes[j].nvalues;
    sp.nconstraints = 1;
    sp.constraints[0] = (dse_constraint){0, DSE_D_multipliers, -INFINITY, 600};
    sp.npresets = 1;
    strcpy(sp.presets[0].name, "wide-window");
    dse_point_defaults(&sp.presets[0].point);
    sp.presets[0].point.lanes = 8;
    sp.presets[0].point.w_lookahead = 3;
    for (int w = 0; w < 2; w++) {
        memset(&layers[w], 0, sizeof layers[w]);
        snprintf(layers[w].name, sizeof layers[w].name, "fc%d", w);
        layers[w].P = 4 + w;
        layers[w].K = 16;
        layers[w].Cin = 32;
        layers[w].R = layers[w].S = layers[w].groups = layers[w].repeat = 1;
        snprintf(sp.workloads[w].name, sizeof sp.workloads[w].name, "net%c", 'A' + w);
        sp.workloads[w].batch = 1;
        sp.workloads[w].nlayers = 1;
        sp.workloads[w].layers = &layers[w];
    }
    sp.nworkloads = 2;
    sp.nobjectives = 2;
    sp.objectives[0] = (dse_objective){DSE_M_tops_per_w, 1};
    sp.objectives[1] = (dse_objective){DSE_M_tops_per_mm2, 1};
}

static void setup(void)
{
    strcpy(dir, "/tmp/sparsedse-sweep-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
    build_space();
    dse_sweep_clear_stop();
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* A pure function of (idx, point, workload, mode) with many ties and some
 * NaN; stops or fails at a chosen index. */
typedef struct syn { int64_t stop_at, fail_at; int stop_in_fronts; } syn;

static int syn_eval(void *ctx, uint64_t idx, const dse_point *p, int w, const dse_network *n,
                    dse_mode mode, dse_metrics *m, dse_breakdown *bd, dse_layer_eval *ly, dse_err *e)
{
    (void)ly;
    const syn *c = ctx;
    if (c && (int64_t)idx == c->stop_at && (!c->stop_in_fronts || bd)) dse_sweep_stop();
    if (c && (int64_t)idx == c->fail_at)
        return dse_errf(e, DSE_EMODEL, "synthetic failure at %llu", (unsigned long long)idx);
    uint64_t h = dse_rng_key(77, idx, (uint64_t)w, (uint64_t)mode);
    for (int j = 0; j < DSE_NMETRICS; j++)
        m->v[j] = (double)((h >> (j % 8) * 8) & 0xff) / 7.0 + p->lanes + n->layers[0].P;
    m->v[DSE_M_tops_per_w] = h % 17 == 0 ? NAN : (double)(h % 11) + p->w_lookahead;
    m->v[DSE_M_tops_per_mm2] = (double)((h >> 16) % 13) - 0.5 * p->a_lookahead;
    if (bd)
        for (int k = 0; k < DSE_NCOMPS; k++)
            bd->area_um2[k] = p->lanes * (k + 1), bd->energy_pj[k] = (double)(h % 1000) / (k + 1);
    return DSE_OK;
}

/* Records the progress calls: count, last done/total, monotone. */
typedef struct prog { int calls, monotone; uint64_t done, total; } prog;

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t session, double secs)
{
    prog *p = ctx;
    if (done < p->done || session > done || secs < 0) p->monotone = 0;
    p->calls++;
    p->done = done;
    p->total = total;
}

static dse_sweep_opts opts(int threads, int block, syn *c)
{
    dse_sweep_opts o;
    dse_sweep_defaults(&o);
    o.threads = threads;
    o.block = block;
    o.eval = syn_eval;
    o.eval_ctx = c;
    return o;
}

/* Every stored row of a run except the run column, in key order, as text. */
static char *dump(dse_db *db, int64_t run)
{
    static const char *const q[] = {
        "SELECT * FROM points WHERE run = ? ORDER BY idx",
        "SELECT * FROM results WHERE run = ? ORDER BY idx, workload, mode",
        "SELECT * FROM breakdown WHERE run = ? ORDER BY idx, workload, mode, component",
        "SELECT * FROM pareto WHERE run = ? ORDER BY workload, mode, objectives, pos",
    };
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    for (size_t k = 0; k < sizeof q / sizeof q[0]; k++) {
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(dse_db_sqlite(db), q[k], -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, run);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 1; c < sqlite3_column_count(st); c++) {
                char cell[64];
                switch (sqlite3_column_type(st, c)) {
                case SQLITE_NULL: strcpy(cell, "NULL"); break;
                case SQLITE_INTEGER: snprintf(cell, sizeof cell, "%lld", (long long)sqlite3_column_int64(st, c)); break;
                case SQLITE_FLOAT: snprintf(cell, sizeof cell, "%.17g", sqlite3_column_double(st, c)); break;
                default: snprintf(cell, sizeof cell, "'%s'", (const char *)sqlite3_column_text(st, c)); break;
                }
                size_t l = strlen(cell);
                if (n + l + 2 > cap) out = realloc(out, cap *= 2);
                memcpy(out + n, cell, l);
                n += l;
                out[n++] = c + 1 < sqlite3_column_count(st) ? '|' : '\n';
            }
        }
        sqlite3_finalize(st);
    }
    out[n] = '\0';
    return out;
}

static int64_t scalar(dse_db *db, const char *sql, int64_t run)
{
    sqlite3_stmt *st;
    ck_assert_msg(sqlite3_prepare_v2(dse_db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK, "%s", sql);
    if (sqlite3_bind_parameter_count(st)) sqlite3_bind_int64(st, 1, run);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void status_is(dse_db *db, int64_t run, const char *want)
{
    dse_run_info r;
    ck_assert_int_eq(dse_db_run_get(db, run, &r, NULL), DSE_OK);
    ck_assert_str_eq(r.status, want);
}

START_TEST(threads_identical)
{
    dse_db *db;
    dse_err e = {0};
    dse_sweep_stats s1, s2, s3;
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_sweep_opts o = opts(1, 5, NULL);
    prog pg = {0, 1, 0, 0};
    o.breakdown = DSE_BD_ALL;
    o.progress = on_progress;
    o.progress_ctx = &pg;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &s1, &e), DSE_OK);
    ck_assert_int_eq(pg.calls, 1 + 10);   /* once at the start, once per block of 5 (49 points) */
    ck_assert(pg.monotone);
    ck_assert_uint_eq(pg.done, 49);
    ck_assert_uint_eq(pg.total, 49);
    o.progress = NULL;
    o.threads = 2;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &s2, &e), DSE_OK);
    o.block = 256;
    o.chunk = 3;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &s3, &e), DSE_OK);
    ck_assert_int_lt(s1.run, s2.run);   /* a new sweep adds a run */
    ck_assert_int_lt(s2.run, s3.run);
#ifdef _OPENMP
    ck_assert_int_eq(s2.threads, 2);
#else
    ck_assert_int_eq(s2.threads, 1);   /* a serial build (make OPENMP=0) runs one thread */
#endif
    ck_assert_uint_eq(s1.npoints, 49);
    ck_assert_uint_eq(s1.nfeasible, 37);   /* 12 grid points have 16*8*8 = 1024 > 600 multipliers */
    ck_assert_uint_eq(s1.rows, 37 * 2 * 4);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM runs", 0), 3);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE run = ?", s1.run), 49);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE run = ? AND feasible = 0"
                                " AND lanes = 16 AND \"rows\" = 8 AND why LIKE '%multipliers%'", s1.run), 12);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM results r JOIN points p USING(run, idx)"
                                " WHERE run = ? AND p.feasible = 0", s1.run), 0);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM result_view WHERE run = ? AND preset = 'wide-window'"
                                " AND w_lookahead = 3", s1.run), 8);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM breakdown WHERE run = ?", s1.run), 37 * 8 * DSE_NCOMPS);
    char *a = dump(db, s1.run), *b = dump(db, s2.run), *c = dump(db, s3.run);
    ck_assert_uint_gt(strlen(a), 10000);
    ck_assert_msg(strcmp(a, b) == 0, "1 and 2 threads differ");
    ck_assert_msg(strcmp(a, c) == 0, "block/chunk sizes change the rows");
    free(a), free(b), free(c);
    status_is(db, s3.run, "done");
    dse_db_close(db);
}
END_TEST

START_TEST(interrupt_resume)
{
    dse_db *db;
    dse_err e = {0};
    dse_sweep_stats ref, st;
    syn c = {20, -1, 0};
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_sweep_opts o = opts(2, 8, NULL);
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &ref, &e), DSE_OK);
    o.eval_ctx = &c;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINTR);
    ck_assert_ptr_nonnull(strstr(e.msg, "--resume"));
    status_is(db, st.run, "aborted");
    /* blocks [0,8) and [8,16) committed; the block holding point 20 discarded */
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE run = ?", st.run), 16);
    ck_assert_int_eq(scalar(db, "SELECT max(idx) FROM points WHERE run = ?", st.run), 15);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pareto WHERE run = ?", st.run), 0);
    /* an input file that changed since (its content hash) refuses the resume */
    int64_t aborted = st.run;
    o.resume = 1;
    dse_sweep_clear_stop();
    sp.workloads[1].hash ^= 1;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINPUT);
    ck_assert_msg(strstr(e.msg, "workload") && strstr(e.msg, "has changed since run"), "%s", e.msg);
    sp.workloads[1].hash ^= 1;
    sp.tech_hash = 42;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "technology"));
    sp.tech_hash = 0;
    status_is(db, aborted, "aborted");
    /* still stopped: a resume returns at once, keeping the run resumable */
    dse_sweep_stop();
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINTR);
    dse_sweep_clear_stop();
    c.stop_at = -1;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_OK);
    ck_assert_uint_eq(st.resumed, 16);
    ck_assert_uint_eq(st.evaluated, 33);
    status_is(db, st.run, "done");
    char *a = dump(db, ref.run), *b = dump(db, st.run);
    ck_assert_msg(strcmp(a, b) == 0, "resumed rows differ from an uninterrupted run");
    free(a), free(b);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM runs", 0), 2);   /* resume adds no run */
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINPUT);  /* nothing left to resume */
    dse_db_close(db);
}
END_TEST

/* A stop while the fronts are stored (after the last block) aborts the
 * run instead of ending it done: the fronts go with their transaction. */
START_TEST(stop_in_final_phase)
{
    dse_db *db;
    dse_err e = {0};
    dse_sweep_stats ref, st;
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_sweep_opts o = opts(1, 8, NULL);
    o.breakdown = DSE_BD_FRONT;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &ref, &e), DSE_OK);
    syn c = {scalar(db, "SELECT min(idx) FROM pareto WHERE run = ?", ref.run), -1, 1};
    o.eval_ctx = &c;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EINTR);
    status_is(db, st.run, "aborted");
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pareto WHERE run = ?", st.run), 0);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM breakdown WHERE run = ?", st.run), 0);
    dse_sweep_clear_stop();
    c.stop_at = -1;
    o.resume = 1;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_OK);
    char *a = dump(db, ref.run), *b = dump(db, st.run);
    ck_assert_msg(strcmp(a, b) == 0, "resumed rows differ from an uninterrupted run");
    free(a), free(b);
    dse_db_close(db);
}
END_TEST

START_TEST(failure_kept_and_resumed)
{
    dse_db *db;
    dse_err e = {0};
    dse_sweep_stats ref, st;
    syn c = {-1, 30, 0};
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_sweep_opts o = opts(2, 8, &c);
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_EMODEL);
    ck_assert_str_eq(e.msg, "synthetic failure at 30");
    status_is(db, st.run, "failed");
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE run = ?", st.run), 24);
    /* a different space text cannot resume it */
    dse_space other = sp;
    other.hash ^= 1;
    dse_sweep_opts ro = opts(1, 8, NULL);
    ro.resume = 1;
    ro.resume_run = st.run;
    ck_assert_int_eq(dse_sweep_run(db, &other, &ro, &ref, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "different space"));
    /* fixed evaluator: resume with another thread count and block size */
    c.fail_at = -1;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &ro, &ref, &e), DSE_OK);
    ck_assert_int_eq(ref.run, st.run);
    o = opts(1, 256, NULL);
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &ref, &e), DSE_OK);
    char *a = dump(db, ref.run), *b = dump(db, st.run);
    ck_assert_msg(strcmp(a, b) == 0, "resumed rows differ");
    free(a), free(b);
    dse_db_close(db);
}
END_TEST

/* The stored fronts equal the definition evaluated in SQL, NaN never enters. */
START_TEST(fronts_match_sql)
{
    dse_db *db;
    dse_err e = {0};
    dse_sweep_stats st;
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_sweep_opts o = opts(2, 16, NULL);
    o.breakdown = DSE_BD_FRONT;
    ck_assert_int_eq(dse_sweep_run(db, &sp, &o, &st, &e), DSE_OK);
    ck_assert_int_gt(scalar(db, "SELECT count(*) FROM results WHERE run = ? AND tops_per_w IS NULL", st.run), 0);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM front_view WHERE run = ? AND tops_per_w IS NULL", st.run), 0);
    ck_assert_int_eq(scalar(db, "SELECT count(DISTINCT workload || mode) FROM pareto WHERE run = ?", st.run), 8);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pareto WHERE run = ?", st.run), (int64_t)st.front_rows);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM breakdown WHERE run = ?", st.run),
                     (int64_t)st.front_rows * DSE_NCOMPS);   /* --breakdown front: front members only */
    const char *def =
        "SELECT count(*) FROM results a WHERE a.run = ?1 AND a.tops_per_w IS NOT NULL"
        " AND a.tops_per_mm2 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM results b WHERE b.run = a.run"
        " AND b.workload = a.workload AND b.mode = a.mode AND b.tops_per_w IS NOT NULL"
        " AND b.tops_per_mm2 IS NOT NULL AND b.tops_per_w >= a.tops_per_w AND b.tops_per_mm2 >= a.tops_per_mm2"
        " AND (b.tops_per_w > a.tops_per_w OR b.tops_per_mm2 > a.tops_per_mm2 OR b.idx < a.idx))"
        " AND %s EXISTS (SELECT 1 FROM pareto f WHERE f.run = a.run AND f.workload = a.workload"
        " AND f.mode = a.mode AND f.idx = a.idx)";
    char sql[2048];
    snprintf(sql, sizeof sql, def, "");
    ck_assert_int_eq(scalar(db, sql, st.run), (int64_t)st.front_rows);   /* every member is in the definition */
    snprintf(sql, sizeof sql, def, "NOT");
    ck_assert_int_eq(scalar(db, sql, st.run), 0);                         /* and nothing is missing */
    dse_db_close(db);
}
END_TEST

Suite *suite_sweep(void)
{
    Suite *s = suite_create("sweep");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, threads_identical);
    tcase_add_test(tc, interrupt_resume);
    tcase_add_test(tc, failure_kept_and_resumed);
    tcase_add_test(tc, stop_in_final_phase);
    tcase_add_test(tc, fronts_match_sql);
    suite_add_tcase(s, tc);
    return s;
}
