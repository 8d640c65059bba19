/* check_pareto.c -- Pareto fronts against hand-worked cases, a brute-force oracle and SQL NOT EXISTS. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "pareto.h"
#include "rng.h"
#include "testutil.h"

Suite *suite_pareto(void);

/* The definition, O(n^2): row i is in the front iff all its values are
 * finite and no other finite row b covers it with (b better somewhere or
 * b equal everywhere with a lower idx). */
static size_t oracle(const double *v, const uint64_t *idx, size_t n, const dse_objective *o,
                     int k, unsigned char *in)
{
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = 1;
        for (int j = 0; j < k; j++) ok &= isfinite(v[i * k + j]) != 0;
        in[i] = 0;
        if (!ok) continue;
        int dominated = 0;
        for (size_t b = 0; b < n && !dominated; b++) {
            if (b == i) continue;
            int fin = 1, ge = 1, gt = 0;
            for (int j = 0; j < k; j++) {
                double x = v[b * k + j], y = v[i * k + j];
                if (!isfinite(x)) fin = 0;
                if (!o[j].maximize) x = -x, y = -y;
                if (x < y) ge = 0;
                if (x > y) gt = 1;
            }
            if (fin && ge && (gt || idx[b] < idx[i])) dominated = 1;
        }
        in[i] = !dominated;
        cnt += in[i];
    }
    return cnt;
}

/* 1 if row a is "before" row b in the documented output order. */
static int before(const double *v, const uint64_t *idx, const dse_objective *o, int k, size_t a, size_t b)
{
    for (int j = 0; j < k; j++) {
        double x = v[a * k + j], y = v[b * k + j];
        if (!o[j].maximize) x = -x, y = -y;
        if (x != y) return x > y;
    }
    return idx[a] < idx[b];
}

START_TEST(hand_2d)
{
    /* (tops_per_w max, area min): rows 0..5 */
    const double v[] = {1, 1,   2, 2,   3, 3,   2, 1,   3, 3,   0.5, 0.5};
    const uint64_t idx[] = {10, 11, 12, 13, 9, 14};
    const dse_objective o[2] = {{DSE_M_tops_per_w, 1}, {DSE_M_area_mm2, 0}};
    size_t out[6];
    size_t f = dse_pareto_front(v, idx, 6, o, 2, out);
    /* rows 0 (1,1) and 1 (2,2) are dominated by row 3 (2,1); row 2
     * duplicates row 4 and loses to its lower idx 9; row 5 is the
     * smallest area. Order: best tops_per_w first. */
    ck_assert_uint_eq(f, 3);
    ck_assert_uint_eq(out[0], 4);
    ck_assert_uint_eq(out[1], 3);
    ck_assert_uint_eq(out[2], 5);
}
END_TEST

START_TEST(nan_never_enters)
{
    const double v[] = {NAN, 100, 1, 1, 100, NAN, INFINITY, 5};
    const uint64_t idx[] = {0, 1, 2, 3};
    const dse_objective o[2] = {{0, 1}, {1, 1}};
    size_t out[4];
    ck_assert_uint_eq(dse_pareto_front(v, idx, 4, o, 2, out), 1);
    ck_assert_uint_eq(out[0], 1);
    const double w[] = {NAN, 1, 2};
    ck_assert_uint_eq(dse_pareto_front(w, idx, 1, (dse_objective[3]){{0, 1}, {1, 1}, {2, 1}}, 3, out), 0);
}
END_TEST

START_TEST(oracle_random)
{
    dse_rng r;
    dse_rng_seed(&r, 12345);
    enum { MAXN = 70 };
    double v[MAXN * 4];
    uint64_t idx[MAXN];
    size_t out[MAXN];
    unsigned char in[MAXN];
    for (int trial = 0; trial < 3000; trial++) {
        int k = 2 + (int)dse_rng_below(&r, 3);
        size_t n = (size_t)dse_rng_below(&r, MAXN + 1);
        int levels = 2 + (int)dse_rng_below(&r, 8);   /* few levels: many ties */
        dse_objective o[4];
        for (int j = 0; j < k; j++) o[j].metric = j, o[j].maximize = (int)dse_rng_below(&r, 2);
        for (size_t i = 0; i < n; i++) {
            idx[i] = i;
            for (int j = 0; j < k; j++) {
                uint64_t u = dse_rng_below(&r, 40);
                v[i * k + j] = u == 0 ? NAN : u == 1 ? -0.0 : (double)dse_rng_below(&r, (uint64_t)levels)
                               + (trial % 3 == 0 ? dse_rng_uniform(&r) : 0.0);
            }
        }
        for (size_t i = n; i > 1; i--) {   /* shuffle the point indices */
            size_t j = (size_t)dse_rng_below(&r, i);
            uint64_t t = idx[i - 1];
            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        size_t want = oracle(v, idx, n, o, k, in);
        size_t f = dse_pareto_front(v, idx, n, o, k, out);
        ck_assert_msg(f == want, "trial %d (k=%d n=%zu): front %zu, oracle %zu", trial, k, n, f, want);
        for (size_t i = 0; i < f; i++) {
            ck_assert_msg(in[out[i]], "trial %d: row %zu is not in the oracle's front", trial, out[i]);
            if (i) ck_assert_msg(before(v, idx, o, k, out[i - 1], out[i]), "trial %d: order", trial);
        }
    }
}
END_TEST

START_TEST(parse_format)
{
    dse_objective o[DSE_MAX_OBJECTIVES];
    int k;
    dse_err e = {0};
    char buf[256];
    ck_assert_int_eq(dse_pareto_parse("max:tops_per_w,min:area_mm2", o, &k, &e), DSE_OK);
    ck_assert_int_eq(k, 2);
    ck_assert_int_eq(o[0].metric, DSE_M_tops_per_w);
    ck_assert_int_eq(o[1].maximize, 0);
    dse_pareto_format(o, k, buf, sizeof buf);
    ck_assert_str_eq(buf, "max:tops_per_w,min:area_mm2");
    ck_assert_int_eq(dse_pareto_parse("max:tops_per_w", o, &k, &e), DSE_EINPUT);
    ck_assert_int_eq(dse_pareto_parse("tops_per_w,min:area_mm2", o, &k, &e), DSE_EINPUT);
    ck_assert_int_eq(dse_pareto_parse("max:tops_per_w,min:nosuch", o, &k, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "nosuch"));
    ck_assert_int_eq(dse_pareto_parse("max:speedup,min:speedup", o, &k, &e), DSE_EINPUT);
}
END_TEST

/* A small stored run: random results (with NULLs), front computed in C and
 * stored, then compared with the front the definition gives in SQL. */
START_TEST(sql_not_exists)
{
    char dir[] = "/tmp/sparsedse-pareto-XXXXXX", path[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/p.db", dir);
    dse_db *db;
    dse_err e = {0};
    dse_space s;
    memset(&s, 0, sizeof s);
    strcpy(s.name, "t");
    strcpy(s.path, "t.yaml");
    s.text = (char *)"x";
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    int64_t run;
    ck_assert_int_eq(dse_db_run_new(db, &s, 1, 1, 200, "max:tops_per_w,min:area_mm2", &run, &e), DSE_OK);
    dse_rng r;
    dse_rng_seed(&r, 99);
    enum { N = 200 };
    double v[N * 2];
    uint64_t idx[N];
    dse_point p;
    dse_point_defaults(&p);
    ck_assert_int_eq(dse_db_begin(db, &e), DSE_OK);
    for (int i = 0; i < N; i++) {
        dse_metrics m;
        for (int j = 0; j < DSE_NMETRICS; j++) m.v[j] = j;
        m.v[DSE_M_tops_per_w] = dse_rng_below(&r, 25) == 0 ? NAN : (double)dse_rng_below(&r, 12);
        m.v[DSE_M_area_mm2] = dse_rng_below(&r, 25) == 0 ? NAN : (double)dse_rng_below(&r, 12);
        idx[i] = (uint64_t)i;
        v[2 * i] = m.v[DSE_M_tops_per_w];
        v[2 * i + 1] = m.v[DSE_M_area_mm2];
        ck_assert_int_eq(dse_db_put_point(db, run, (uint64_t)i, NULL, &p, 1, NULL, &e), DSE_OK);
        ck_assert_int_eq(dse_db_put_result(db, run, (uint64_t)i, "net", DSE_MODE_DUAL, &m, &e), DSE_OK);
    }
    const dse_objective o[2] = {{DSE_M_tops_per_w, 1}, {DSE_M_area_mm2, 0}};
    size_t out[N];
    size_t f = dse_pareto_front(v, idx, N, o, 2, out);
    uint64_t fidx[N];
    for (size_t i = 0; i < f; i++) fidx[i] = idx[out[i]];
    ck_assert_int_eq(dse_db_put_front(db, run, "net", DSE_MODE_DUAL, "max:tops_per_w,min:area_mm2",
                                      fidx, f, &e), DSE_OK);
    ck_assert_int_eq(dse_db_commit(db, &e), DSE_OK);
    ck_assert_uint_gt(f, 1);

    sqlite3_stmt *st;
    const char *sql =
        "SELECT idx FROM results a WHERE run = ?1 AND a.tops_per_w IS NOT NULL AND a.area_mm2 IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM results b WHERE b.run = a.run AND b.workload = a.workload"
        " AND b.mode = a.mode AND b.tops_per_w IS NOT NULL AND b.area_mm2 IS NOT NULL"
        " AND b.tops_per_w >= a.tops_per_w AND b.area_mm2 <= a.area_mm2"
        " AND (b.tops_per_w > a.tops_per_w OR b.area_mm2 < a.area_mm2 OR b.idx < a.idx))"
        " EXCEPT SELECT idx FROM front_view WHERE run = ?1"
        " UNION ALL SELECT idx FROM front_view WHERE run = ?1 AND (tops_per_w IS NULL OR area_mm2 IS NULL)";
    ck_assert_int_eq(sqlite3_prepare_v2(dse_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, run);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);   /* no difference in one direction */
    sqlite3_finalize(st);
    ck_assert_int_eq(sqlite3_prepare_v2(dse_db_sqlite(db),
        "SELECT count(*) FROM front_view WHERE run = ? AND objectives = 'max:tops_per_w,min:area_mm2'",
        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, run);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int64(st, 0), (int64_t)f);  /* same size: sets are equal */
    sqlite3_finalize(st);
    dse_db_close(db);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *suite_pareto(void)
{
    Suite *s = suite_create("pareto");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, hand_2d);
    tcase_add_test(tc, nan_never_enters);
    tcase_add_test(tc, oracle_random);
    tcase_add_test(tc, parse_format);
    tcase_add_test(tc, sql_not_exists);
    suite_add_tcase(s, tc);
    return s;
}
