/* check_db.c -- the SQLite store: schema and version, typed round trips, NULL for NaN, runs, indexes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "testutil.h"

Suite *suite_db(void);

static char dir[64], path[128];
static dse_space sp;

static void setup(void)
{
    strcpy(dir, "/tmp/sparsedse-db-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    memset(&sp, 0, sizeof sp);
    strcpy(sp.name, "tiny");
    strcpy(sp.path, "spaces/tiny.yaml");
    sp.text = (char *)"name: tiny\n";
    sp.hash = 0xfedcba9876543210ULL;
}

static void teardown(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static int64_t scalar(dse_db *db, const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_msg(sqlite3_prepare_v2(dse_db_sqlite(db), sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(dse_db_sqlite(db)));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *text1(dse_db *db, const char *sql, char *buf, size_t n)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(dse_db_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    dse_strlcpy(buf, t ? (const char *)t : "(null)", n);
    sqlite3_finalize(st);
    return buf;
}

START_TEST(schema_version)
{
    dse_db *db;
    dse_err e = {0};
    char buf[64];
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    ck_assert_int_eq(scalar(db, "PRAGMA user_version"), DSE_DB_SCHEMA_VERSION);
    ck_assert_str_eq(text1(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    ck_assert_int_eq(scalar(db, "PRAGMA synchronous"), 1);   /* NORMAL */
    /* one typed column per parameter and per metric, generated from the lists */
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pragma_table_info('points')"), DSE_NPARAMS + 5);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pragma_table_info('results')"), DSE_NMETRICS + 4);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pragma_table_info('result_view')"),
                     DSE_NPARAMS + DSE_NMETRICS + 5);
    ck_assert_str_eq(text1(db, "SELECT type FROM pragma_table_info('points') WHERE name = 'clock_mhz'",
                           buf, sizeof buf), "REAL");
    ck_assert_str_eq(text1(db, "SELECT type FROM pragma_table_info('points') WHERE name = 'w_shape'",
                           buf, sizeof buf), "TEXT");
    ck_assert_str_eq(text1(db, "SELECT type FROM pragma_table_info('points') WHERE name = 'gating'",
                           buf, sizeof buf), "INTEGER");
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'view'"), 2);
    /* no indexes before a bulk insert; created on request */
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"), 0);
    ck_assert_int_eq(dse_db_create_indexes(db, &e), DSE_OK);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"), 6);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM pragma_index_list('results') WHERE \"unique\""), 1);
    ck_assert_int_eq(sqlite3_exec(dse_db_sqlite(db), "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
    dse_db_close(db);
    /* reopening: another schema version is refused */
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_EIO);
    ck_assert_ptr_null(db);
    ck_assert_ptr_nonnull(strstr(e.msg, "schema version 7"));
}
END_TEST

/* create = 0 opens read-only: reads work, nothing can be written. */
START_TEST(read_only_open)
{
    dse_db *db;
    dse_err e = {0};
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    dse_db_close(db);
    ck_assert_int_eq(dse_db_open(&db, path, 0, &e), DSE_OK);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM runs"), 0);
    ck_assert_int_eq(sqlite3_exec(dse_db_sqlite(db), "INSERT INTO runs(id) VALUES(1)", NULL, NULL, NULL), SQLITE_READONLY);
    dse_point p;
    dse_point_defaults(&p);
    ck_assert_int_eq(dse_db_begin(db, &e), DSE_OK);
    ck_assert_int_eq(dse_db_put_point(db, 1, 0, NULL, &p, 1, NULL, &e), DSE_EIO);
    dse_db_rollback(db);
    dse_db_close(db);
    ck_assert_int_eq(dse_db_open(&db, "/nonexistent/dir/x.db", 0, &e), DSE_EIO);
}
END_TEST

START_TEST(refuses_foreign_files)
{
    dse_db *db;
    dse_err e = {0};
    char p2[160];
    ck_assert_int_eq(dse_db_open(&db, path, 0, &e), DSE_EIO);   /* missing, no create */
    FILE *f = fopen(path, "w");
    fputs("this is not a database, just text that is long enough to look like a header........\n", f);
    fclose(f);
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_EIO);
    snprintf(p2, sizeof p2, "%s/other.db", dir);
    sqlite3 *h;
    ck_assert_int_eq(sqlite3_open(p2, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "CREATE TABLE x(a)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    ck_assert_int_eq(dse_db_open(&db, p2, 1, &e), DSE_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "schema version 0"));
}
END_TEST

START_TEST(round_trip)
{
    dse_db *db;
    dse_err e = {0};
    int64_t run, run2;
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    ck_assert_int_eq(dse_db_run_latest(db, &run, &e), DSE_EINPUT);
    ck_assert_int_eq(dse_db_run_new(db, &sp, 0xffffffffffffff00ULL, 2, 3, "max:a,max:b", &run, &e), DSE_OK);

    dse_point p, q;
    dse_point_defaults(&p);
    p.lanes = 32;
    p.clock_mhz = 812.5;
    p.w_shape = DSE_SHAPE_RECT;
    p.a_shape = DSE_SHAPE_L;
    p.dual_org = DSE_DUAL_JOINT;
    p.hybrid = 1;
    p.wmode_lookahead = -1;
    dse_metrics m;
    for (int j = 0; j < DSE_NMETRICS; j++) m.v[j] = 1.0 / (j + 3);
    m.v[DSE_M_cycles_hi] = NAN;
    dse_breakdown bd;
    for (int c = 0; c < DSE_NCOMPS; c++) bd.area_um2[c] = c + 0.5, bd.energy_pj[c] = 3.0 * c;
    const char *odd = "it's \"quoted\"; DROP TABLE runs; --";

    ck_assert_int_eq(dse_db_begin(db, &e), DSE_OK);
    ck_assert_int_eq(dse_db_put_point(db, run, 0, odd, &p, 1, NULL, &e), DSE_OK);
    ck_assert_int_eq(dse_db_put_point(db, run, 1, NULL, &p, 0, "multipliers = 9 outside [0, 8]", &e), DSE_OK);
    dse_point wide = p;
    wide.lanes = 64;
    ck_assert_int_eq(dse_db_put_point(db, run, 2, "wide", &wide, 0, "too wide", &e), DSE_OK);
    ck_assert_int_eq(dse_db_put_result(db, run, 0, "net", DSE_MODE_ACT, &m, &e), DSE_OK);
    ck_assert_int_eq(dse_db_put_breakdown(db, run, 0, "net", DSE_MODE_ACT, &bd, &e), DSE_OK);
    ck_assert_int_eq(dse_db_commit(db, &e), DSE_OK);
    ck_assert_int_eq(dse_db_run_status(db, run, "done", 1.5, &e), DSE_OK);

    char preset[64];
    int feas = -1;
    ck_assert_int_eq(dse_db_get_point(db, run, 0, &q, preset, sizeof preset, &feas, &e), DSE_OK);
    ck_assert_int_eq(memcmp(&p, &q, sizeof p), 0);   /* every parameter, enums included */
    ck_assert_str_eq(preset, odd);
    ck_assert_int_eq(feas, 1);
    ck_assert_int_eq(dse_db_get_point(db, run, 1, &q, preset, sizeof preset, &feas, &e), DSE_OK);
    ck_assert_str_eq(preset, "");
    ck_assert_int_eq(feas, 0);
    ck_assert_int_eq(dse_db_get_point(db, run, 3, &q, NULL, 0, NULL, &e), DSE_EINPUT);
    int varies[DSE_NPARAMS], nv = 0;
    ck_assert_int_eq(dse_db_varying(db, run, 0, varies, &e), DSE_OK);
    for (int j = 0; j < DSE_NPARAMS; j++) nv += varies[j];
    ck_assert_int_eq(nv, 1);
    ck_assert(varies[DSE_P_lanes]);        /* the preset "wide" differs in lanes only */
    ck_assert_int_eq(dse_db_varying(db, run, 1, varies, &e), DSE_OK);
    ck_assert(!varies[DSE_P_lanes]);       /* grid points alone do not vary */

    dse_metrics back;
    ck_assert_int_eq(dse_db_get_result(db, run, 0, "net", DSE_MODE_ACT, &back, &e), DSE_OK);
    for (int j = 0; j < DSE_NMETRICS; j++)
        if (j == DSE_M_cycles_hi) ck_assert(isnan(back.v[j]));
        else ck_assert(back.v[j] == m.v[j]);   /* REAL round trip is exact */
    ck_assert_int_eq(dse_db_get_result(db, run, 0, "net", DSE_MODE_DUAL, &back, &e), DSE_EINPUT);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM results WHERE cycles_hi IS NULL"), 1);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM breakdown WHERE component = 'mux' OR energy_pj = 3"), 1);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM breakdown"), DSE_NCOMPS);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE feasible = 0 AND why LIKE 'multipliers%'"), 1);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM result_view WHERE w_shape = 'rect' AND mode = 'act'"
                                " AND lanes = 32 AND hybrid = 1 AND clock_mhz = 812.5"), 1);
    char buf[64];
    ck_assert_str_eq(text1(db, "SELECT dual_org FROM points WHERE idx = 0", buf, sizeof buf), "joint");

    dse_run_info r;
    ck_assert_int_eq(dse_db_run_get(db, run, &r, &e), DSE_OK);
    ck_assert_str_eq(r.status, "done");
    ck_assert_uint_eq(r.seed, 0xffffffffffffff00ULL);
    ck_assert_uint_eq(r.space_hash, sp.hash);
    ck_assert_str_eq(r.objectives, "max:a,max:b");
    ck_assert_int_eq(r.nfeasible, 1);
    ck_assert_int_eq(r.nresults, 1);
    ck_assert_int_eq(r.npoints, 3);
    ck_assert_near(r.elapsed, 1.5, 1e-12);
    ck_assert(r.finished[0] != '\0');

    /* a second run is added, never overwriting */
    ck_assert_int_eq(dse_db_run_new(db, &sp, 7, 1, 3, "max:a,max:b", &run2, &e), DSE_OK);
    ck_assert_int_gt(run2, run);
    int64_t latest, res;
    ck_assert_int_eq(dse_db_run_latest(db, &latest, &e), DSE_OK);
    ck_assert_int_eq(latest, run2);
    ck_assert_int_eq(dse_db_run_resumable(db, sp.hash, &res, &e), DSE_OK);
    ck_assert_int_eq(res, run2);
    ck_assert_int_eq(dse_db_run_resumable(db, 1234, &res, &e), DSE_EINPUT);
    dse_run_info *all;
    int n;
    ck_assert_int_eq(dse_db_run_list(db, &all, &n, &e), DSE_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(all[1].status, "running");
    ck_assert_int_eq(all[0].nresults, 1);
    free(all);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM runs"), 2);
    dse_db_close(db);
}
END_TEST

START_TEST(done_points)
{
    dse_db *db;
    dse_err e = {0};
    int64_t run;
    dse_point p;
    dse_metrics m;
    dse_point_defaults(&p);
    for (int j = 0; j < DSE_NMETRICS; j++) m.v[j] = j;
    ck_assert_int_eq(dse_db_open(&db, path, 1, &e), DSE_OK);
    ck_assert_int_eq(dse_db_run_new(db, &sp, 1, 1, 6, "max:a,max:b", &run, &e), DSE_OK);
    ck_assert_int_eq(dse_db_begin(db, &e), DSE_OK);
    /* 0: complete (2 results); 1: infeasible; 2: only 1 of 2 results; 4: complete */
    int nres[6] = {2, 0, 1, -1, 2, -1};
    for (int i = 0; i < 6; i++) {
        if (nres[i] < 0) continue;
        ck_assert_int_eq(dse_db_put_point(db, run, (uint64_t)i, NULL, &p, i != 1, "x", &e), DSE_OK);
        for (int k = 0; k < nres[i]; k++)
            ck_assert_int_eq(dse_db_put_result(db, run, (uint64_t)i, "net", (dse_mode)k, &m, &e), DSE_OK);
    }
    ck_assert_int_eq(dse_db_commit(db, &e), DSE_OK);
    unsigned char done[6] = {0};
    uint64_t ndone;
    ck_assert_int_eq(dse_db_done_points(db, run, 6, 2, done, &ndone, &e), DSE_OK);
    ck_assert_uint_eq(ndone, 3);
    ck_assert(done[0] && done[1] && !done[2] && !done[3] && done[4] && !done[5]);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM points WHERE idx = 2"), 0);   /* incomplete: removed */
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM results WHERE idx = 2"), 0);
    ck_assert_int_eq(scalar(db, "SELECT count(*) FROM results"), 4);
    dse_db_close(db);
}
END_TEST

Suite *suite_db(void)
{
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, schema_version);
    tcase_add_test(tc, refuses_foreign_files);
    tcase_add_test(tc, read_only_open);
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, done_points);
    suite_add_tcase(s, tc);
    return s;
}
