/* db.c -- SQLite storage of sweeps; the schema is generated from the X-macro lists at run time. */
#include "db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DSE_VERSION
#define DSE_VERSION "0.1"
#endif

struct dse_db {
    sqlite3 *h;
    int writable;
    sqlite3_stmt *ins_point;   /* cached inserts */
    sqlite3_stmt *ins_result;
    sqlite3_stmt *ins_bd;
    sqlite3_stmt *ins_front;
    sqlite3_stmt *ins_layer;
    char path[512];            /* for messages */
};

static void col_text(sqlite3_stmt *st, int i, char *dst, size_t n);

/* ---- SQL text generated from the lists ---------------------------------- */

typedef struct sbuf { char *s; size_t n, cap; } sbuf;

static void sb_add(sbuf *b, const char *t)
{
    size_t k = strlen(t);
    if (b->n + k + 1 > b->cap) {
        b->cap = (b->n + k + 1) * 2;
        b->s = dse_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, t, k + 1);
    b->n += k;
}

static const char *sql_type(dse_ptype t)
{
    const char *const *names;
    if (dse_ptype_names(t, &names)) return "TEXT";
    switch (t) {
    case DSE_T_REAL: return "REAL";
    default: return "INTEGER";
    }
}

/* ", "name" TYPE" for every parameter (types when with_types). */
static void add_param_cols(sbuf *b, const char *prefix, int with_types)
{
    for (int i = 0; i < DSE_NPARAMS; i++) {
        sb_add(b, ", ");
        sb_add(b, prefix);
        sb_add(b, "\"");
        sb_add(b, dse_params[i].name);
        sb_add(b, "\"");
        if (with_types) {
            sb_add(b, " ");
            sb_add(b, sql_type(dse_params[i].type));
        }
    }
}

static void add_metric_cols(sbuf *b, const char *prefix, int with_types)
{
    for (int i = 0; i < DSE_NMETRICS; i++) {
        sb_add(b, ", ");
        sb_add(b, prefix);
        sb_add(b, "\"");
        sb_add(b, dse_metric_names[i]);
        sb_add(b, with_types ? "\" REAL" : "\"");
    }
}

static void add_qmarks(sbuf *b, int n)
{
    for (int i = 0; i < n; i++) sb_add(b, i ? ",?" : "?");
}

/* The per-layer table's numeric columns (docs/schema.md), in order. */
static const char *const layer_cols[] = {
    "cycles", "compute_cycles", "dram_cycles", "sram_cycles", "dense_cycles", "macs", "eff_macs", "energy_pj",
    "dram_w_bytes", "dram_i_bytes", "dram_o_bytes", "wsram_bytes", "asram_bytes", "osram_bytes",
    "acc_bytes", "meta_bytes", NULL};
#define NLAYERCOLS 16

static char *schema_sql(void)
{
    sbuf b = {0};
    sb_add(&b,
        "CREATE TABLE runs(id INTEGER PRIMARY KEY, space_name TEXT NOT NULL,"
        " space_path TEXT NOT NULL, space_text TEXT NOT NULL, space_hash TEXT NOT NULL,"
        " seed INTEGER NOT NULL, fidelity TEXT NOT NULL, objectives TEXT NOT NULL,"
        " workloads TEXT NOT NULL, version TEXT NOT NULL, threads INTEGER NOT NULL,"
        " status TEXT NOT NULL CHECK(status IN ('running','done','aborted','failed')),"
        " started TEXT NOT NULL, finished TEXT, elapsed_s REAL NOT NULL DEFAULT 0,"
        " npoints INTEGER NOT NULL, nfeasible INTEGER);\n");
    sb_add(&b, "CREATE TABLE points(run INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,"
               " preset TEXT");
    add_param_cols(&b, "", 1);
    sb_add(&b, ", feasible INTEGER NOT NULL, why TEXT);\n");
    sb_add(&b, "CREATE TABLE results(run INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,"
               " workload TEXT NOT NULL, mode TEXT NOT NULL");
    add_metric_cols(&b, "", 1);
    sb_add(&b, ");\n");
    sb_add(&b,
        "CREATE TABLE breakdown(run INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,"
        " workload TEXT NOT NULL, mode TEXT NOT NULL, component TEXT NOT NULL,"
        " area_um2 REAL, energy_pj REAL);\n"
        "CREATE TABLE inputs(run INTEGER NOT NULL REFERENCES runs(id), pos INTEGER NOT NULL,"
        " kind TEXT NOT NULL, path TEXT NOT NULL, hash TEXT NOT NULL, bytes INTEGER NOT NULL, text TEXT);\n"
        "CREATE TABLE layers(run INTEGER NOT NULL REFERENCES runs(id), idx INTEGER NOT NULL,"
        " workload TEXT NOT NULL, mode TEXT NOT NULL, pos INTEGER NOT NULL, layer TEXT NOT NULL,"
        " repeat INTEGER NOT NULL, mapping TEXT NOT NULL");
    for (int i = 0; layer_cols[i]; i++) {
        sb_add(&b, ", ");
        sb_add(&b, layer_cols[i]);
        sb_add(&b, " REAL");
    }
    sb_add(&b, ");\n"
        "CREATE TABLE pareto(run INTEGER NOT NULL REFERENCES runs(id), workload TEXT NOT NULL,"
        " mode TEXT NOT NULL, objectives TEXT NOT NULL, pos INTEGER NOT NULL,"
        " idx INTEGER NOT NULL);\n");
    sb_add(&b, "CREATE VIEW result_view AS SELECT r.run AS run, r.idx AS idx, p.preset AS preset");
    add_param_cols(&b, "p.", 0);
    sb_add(&b, ", r.workload AS workload, r.mode AS mode");
    add_metric_cols(&b, "r.", 0);
    sb_add(&b, " FROM results r JOIN points p ON p.run = r.run AND p.idx = r.idx;\n");
    sb_add(&b,
        "CREATE VIEW front_view AS SELECT f.objectives AS objectives, f.pos AS pos, v.*"
        " FROM pareto f JOIN result_view v ON v.run = f.run AND v.idx = f.idx"
        " AND v.workload = f.workload AND v.mode = f.mode;\n");
    return b.s;
}

static int sqlerr(dse_db *db, dse_err *e, const char *what)
{
    return dse_errf(e, DSE_EIO, "%s: error: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

static int exec(dse_db *db, const char *sql, dse_err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        dse_errf(e, DSE_EIO, "%s: error: %s", db->path, msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return DSE_EIO;
    }
    return DSE_OK;
}

static int prep(dse_db *db, const char *sql, sqlite3_stmt **st, dse_err *e)
{
    if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        const char *m = sqlite3_errmsg(db->h);   /* a missing table or column: an older layout */
        return dse_errf(e, DSE_EIO, "%s: error: %s%s", db->path, m,
                        strncmp(m, "no such", 7) ? "" : " (is the file from another sparsedse version?)");
    }
    return DSE_OK;
}

/* Step a statement that returns no rows, reset it; DSE_OK or DSE_EIO. */
static int step_done(dse_db *db, sqlite3_stmt *st, dse_err *e, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? DSE_OK : sqlerr(db, e, what);
}

static int prepare_inserts(dse_db *db, dse_err *e)
{
    sbuf b = {0};
    int rc;
    sb_add(&b, "INSERT INTO points(run, idx, preset");
    add_param_cols(&b, "", 0);
    sb_add(&b, ", feasible, why) VALUES(");
    add_qmarks(&b, 3 + DSE_NPARAMS + 2);
    sb_add(&b, ")");
    rc = prep(db, b.s, &db->ins_point, e);
    b.n = 0;
    if (rc == DSE_OK) {
        sb_add(&b, "INSERT INTO results(run, idx, workload, mode");
        add_metric_cols(&b, "", 0);
        sb_add(&b, ") VALUES(");
        add_qmarks(&b, 4 + DSE_NMETRICS);
        sb_add(&b, ")");
        rc = prep(db, b.s, &db->ins_result, e);
    }
    free(b.s);
    if (rc == DSE_OK)
        rc = prep(db, "INSERT INTO breakdown(run, idx, workload, mode, component, area_um2,"
                      " energy_pj) VALUES(?,?,?,?,?,?,?)", &db->ins_bd, e);
    if (rc == DSE_OK)
        rc = prep(db, "INSERT INTO pareto(run, workload, mode, objectives, pos, idx)"
                      " VALUES(?,?,?,?,?,?)", &db->ins_front, e);
    if (rc == DSE_OK) {
        sbuf q = {0};
        sb_add(&q, "INSERT INTO layers(run, idx, workload, mode, pos, layer, repeat, mapping");
        for (int i = 0; layer_cols[i]; i++) {
            sb_add(&q, ", ");
            sb_add(&q, layer_cols[i]);
        }
        sb_add(&q, ") VALUES(");
        add_qmarks(&q, 8 + NLAYERCOLS);
        sb_add(&q, ")");
        rc = prep(db, q.s, &db->ins_layer, e);
        free(q.s);
    }
    return rc;
}

static int user_version(dse_db *db, int *v, int *ntables, dse_err *e)
{
    sqlite3_stmt *st;
    if (prep(db, "PRAGMA user_version", &st, e)) return DSE_EIO;
    *v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (prep(db, "SELECT count(*) FROM sqlite_master", &st, e)) return DSE_EIO;
    *ntables = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (*v < 0 || *ntables < 0) return sqlerr(db, e, "reading the schema version");
    return DSE_OK;
}

static int setup(dse_db *db, const char *path, int create, dse_err *e)
{
    int v, nt;
    sqlite3_busy_timeout(db->h, 10000);
    if (create && exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", e)) return DSE_EIO;
    if (user_version(db, &v, &nt, e)) return DSE_EIO;
    if (v == 0 && nt == 0) {
        if (!create) return dse_errf(e, DSE_EIO, "%s: error: not a sparsedse database (empty)", path);
        char *sql = schema_sql();
        char ver[64];
        snprintf(ver, sizeof ver, "PRAGMA user_version = %d;", DSE_DB_SCHEMA_VERSION);
        int rc = exec(db, "BEGIN IMMEDIATE", e);
        if (!rc) rc = exec(db, sql, e);
        if (!rc) rc = exec(db, ver, e);
        if (!rc) rc = exec(db, "COMMIT", e);
        else exec(db, "ROLLBACK", NULL);
        free(sql);
        if (rc) return rc;
    } else if (v != DSE_DB_SCHEMA_VERSION) {
        return dse_errf(e, DSE_EIO, "%s: error: database schema version %d, this build reads %d%s",
                        path, v, DSE_DB_SCHEMA_VERSION, v == 0 ? " (not a sparsedse database?)" : "");
    }
    if (prepare_inserts(db, e)) {
        return dse_errf(e, DSE_EIO, "%s: error: database columns differ from this build's "
                        "parameters and metrics: %s", path, sqlite3_errmsg(db->h));
    }
    return DSE_OK;
}

int dse_db_open(dse_db **out, const char *path, int create, dse_err *e)
{
    dse_db *db = dse_xcalloc(1, sizeof *db);
    int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    *out = NULL;
    dse_strlcpy(db->path, path, sizeof db->path);
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        dse_errf(e, DSE_EIO, "%s: error: cannot open database: %s", path,
                 db->h ? sqlite3_errmsg(db->h) : "out of memory");
        sqlite3_close(db->h);
        free(db);
        return DSE_EIO;
    }
    db->writable = create;
    if (setup(db, path, create, e)) {
        db->writable = 0;
        dse_db_close(db);
        return DSE_EIO;
    }
    *out = db;
    return DSE_OK;
}

void dse_db_close(dse_db *db)
{
    if (!db) return;
    sqlite3_finalize(db->ins_point);
    sqlite3_finalize(db->ins_result);
    sqlite3_finalize(db->ins_bd);
    sqlite3_finalize(db->ins_front);
    sqlite3_finalize(db->ins_layer);
    if (db->writable) sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    sqlite3_close(db->h);
    free(db);
}

sqlite3 *dse_db_sqlite(dse_db *db) { return db->h; }

int dse_db_begin(dse_db *db, dse_err *e) { return exec(db, "BEGIN IMMEDIATE", e); }
int dse_db_commit(dse_db *db, dse_err *e) { return exec(db, "COMMIT", e); }
void dse_db_rollback(dse_db *db)
{
    if (!sqlite3_get_autocommit(db->h)) exec(db, "ROLLBACK", NULL);
}

/* ---- runs ---------------------------------------------------------------- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v)) sqlite3_bind_null(st, i);
    else sqlite3_bind_double(st, i, v);
}

int dse_db_run_new(dse_db *db, const dse_space *s, uint64_t seed, int threads,
                   uint64_t npoints, const char *objectives, int64_t *run, dse_err *e)
{
    sqlite3_stmt *st;
    char hash[24], wl[2048] = "";
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)s->hash);
    for (int i = 0; i < s->nworkloads; i++) {
        if (i) strncat(wl, ",", sizeof wl - strlen(wl) - 1);
        strncat(wl, s->workloads[i].name, sizeof wl - strlen(wl) - 1);
    }
    if (prep(db, "INSERT INTO runs(space_name, space_path, space_text, space_hash, seed,"
                 " fidelity, objectives, workloads, version, threads, status, started, npoints)"
                 " VALUES(?,?,?,?,?,?,?,?,?,?,'running',strftime('%Y-%m-%dT%H:%M:%SZ','now'),?)",
             &st, e))
        return DSE_EIO;
    bind_text(st, 1, s->name);
    bind_text(st, 2, s->path);
    bind_text(st, 3, s->text ? s->text : "");
    bind_text(st, 4, hash);
    sqlite3_bind_int64(st, 5, (int64_t)seed);
    bind_text(st, 6, dse_fidelity_names[s->fidelity]);
    bind_text(st, 7, objectives);
    bind_text(st, 8, wl);
    bind_text(st, 9, DSE_VERSION);
    sqlite3_bind_int(st, 10, threads);
    sqlite3_bind_int64(st, 11, (int64_t)npoints);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sqlerr(db, e, "inserting a run");
    *run = sqlite3_last_insert_rowid(db->h);
    /* the files the run reads: enough, with the space text, to reproduce it */
    dse_input *in;
    int n = dse_space_inputs(s, &in);
    if (prep(db, "INSERT INTO inputs(run, pos, kind, path, hash, bytes, text) VALUES(?,?,?,?,?,?,?)", &st, e)) {
        free(in);
        return DSE_EIO;
    }
    for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)in[i].hash);
        sqlite3_bind_int64(st, 1, *run);
        sqlite3_bind_int(st, 2, i);
        bind_text(st, 3, in[i].kind);
        bind_text(st, 4, in[i].path);
        bind_text(st, 5, hash);
        sqlite3_bind_int64(st, 6, (int64_t)in[i].bytes);
        bind_text(st, 7, in[i].text);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    free(in);
    if (rc != SQLITE_DONE) return sqlerr(db, e, "inserting a run's inputs");
    return DSE_OK;
}

int dse_db_run_inputs(dse_db *db, int64_t run, dse_run_input **rows, int *n, dse_err *e)
{
    sqlite3_stmt *st;
    *rows = NULL;
    *n = 0;
    if (prep(db, "SELECT kind, path, hash, bytes, text FROM inputs WHERE run = ? ORDER BY pos", &st, e))
        return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    int rc, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) *rows = dse_xrealloc(*rows, sizeof **rows * (size_t)(cap = cap ? 2 * cap : 8));
        dse_run_input *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        col_text(st, 0, r->kind, sizeof r->kind);
        col_text(st, 1, r->path, sizeof r->path);
        r->hash = strtoull((const char *)sqlite3_column_text(st, 2), NULL, 16);
        r->bytes = sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) r->text = dse_xstrdup((const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        dse_db_free_inputs(*rows, *n);
        *rows = NULL;
        *n = 0;
        return sqlerr(db, e, "reading a run's inputs");
    }
    return DSE_OK;
}

void dse_db_free_inputs(dse_run_input *rows, int n)
{
    for (int i = 0; i < n; i++) free(rows[i].text);
    free(rows);
}

int dse_db_run_status(dse_db *db, int64_t run, const char *status, double elapsed_add, dse_err *e)
{
    sqlite3_stmt *st;
    int final = strcmp(status, "running") != 0;
    if (prep(db, final
             ? "UPDATE runs SET status = ?1, elapsed_s = elapsed_s + ?2,"
               " finished = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
               " nfeasible = (SELECT count(*) FROM points WHERE run = ?3 AND feasible = 1)"
               " WHERE id = ?3"
             : "UPDATE runs SET status = ?1, elapsed_s = elapsed_s + ?2, finished = NULL"
               " WHERE id = ?3", &st, e))
        return DSE_EIO;
    bind_text(st, 1, status);
    sqlite3_bind_double(st, 2, elapsed_add);
    sqlite3_bind_int64(st, 3, run);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? DSE_OK : sqlerr(db, e, "updating a run");
}

#define RUN_COLS "id, space_name, space_path, space_hash, seed, fidelity, objectives, version," \
                 " threads, status, started, finished, elapsed_s, npoints, nfeasible," \
                 " (SELECT count(*) FROM results WHERE run = runs.id)"

static void col_text(sqlite3_stmt *st, int i, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    dse_strlcpy(dst, t ? (const char *)t : "", n);
}

static void read_run(sqlite3_stmt *st, dse_run_info *r)
{
    char hash[32];
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    col_text(st, 1, r->space_name, sizeof r->space_name);
    col_text(st, 2, r->space_path, sizeof r->space_path);
    col_text(st, 3, hash, sizeof hash);
    r->space_hash = strtoull(hash, NULL, 16);
    r->seed = (uint64_t)sqlite3_column_int64(st, 4);
    col_text(st, 5, r->fidelity, sizeof r->fidelity);
    col_text(st, 6, r->objectives, sizeof r->objectives);
    col_text(st, 7, r->version, sizeof r->version);
    r->threads = sqlite3_column_int(st, 8);
    col_text(st, 9, r->status, sizeof r->status);
    col_text(st, 10, r->started, sizeof r->started);
    col_text(st, 11, r->finished, sizeof r->finished);
    r->elapsed = sqlite3_column_double(st, 12);
    r->npoints = sqlite3_column_int64(st, 13);
    r->nfeasible = sqlite3_column_type(st, 14) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 14);
    r->nresults = sqlite3_column_int64(st, 15);
}

int dse_db_run_get(dse_db *db, int64_t run, dse_run_info *r, dse_err *e)
{
    sqlite3_stmt *st;
    if (prep(db, "SELECT " RUN_COLS " FROM runs WHERE id = ?", &st, e)) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_run(st, r);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return DSE_OK;
    if (rc == SQLITE_DONE) return dse_errf(e, DSE_EINPUT, "no run %lld in the database", (long long)run);
    return sqlerr(db, e, "reading a run");
}

/* First column of the first row of sql (one optional text parameter) as int64. */
static int query_id(dse_db *db, const char *sql, const char *arg, int64_t *out, const char *none, dse_err *e)
{
    sqlite3_stmt *st;
    if (prep(db, sql, &st, e)) return DSE_EIO;
    if (arg) bind_text(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return DSE_OK;
    if (rc == SQLITE_DONE) return dse_errf(e, DSE_EINPUT, "%s", none);
    return sqlerr(db, e, "finding a run");
}

int dse_db_run_latest(dse_db *db, int64_t *run, dse_err *e)
{
    return query_id(db, "SELECT max(id) FROM runs HAVING count(*) > 0", NULL, run,
                    "the database holds no runs", e);
}

int dse_db_run_resumable(dse_db *db, uint64_t hash, int64_t *run, dse_err *e)
{
    char h[24];
    snprintf(h, sizeof h, "%016llx", (unsigned long long)hash);
    return query_id(db, "SELECT id FROM runs WHERE status <> 'done' AND space_hash = ?"
                        " ORDER BY id DESC LIMIT 1", h, run,
                    "no unfinished run of this space file in the database", e);
}

int dse_db_run_list(dse_db *db, dse_run_info **runs, int *n, dse_err *e)
{
    sqlite3_stmt *st;
    int cap = 8, rc;
    *n = 0;
    *runs = NULL;
    if (prep(db, "SELECT " RUN_COLS " FROM runs ORDER BY id", &st, e)) return DSE_EIO;
    dse_run_info *r = dse_xmalloc((size_t)cap * sizeof *r);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) r = dse_xrealloc(r, (size_t)(cap *= 2) * sizeof *r);
        read_run(st, &r[(*n)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(r);
        *n = 0;
        return sqlerr(db, e, "listing runs");
    }
    *runs = r;
    return DSE_OK;
}

int dse_db_run_space_text(dse_db *db, int64_t run, char **text, dse_err *e)
{
    sqlite3_stmt *st;
    if (prep(db, "SELECT space_text FROM runs WHERE id = ?", &st, e)) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        *text = dse_xstrdup(t ? (const char *)t : "");
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return DSE_OK;
    if (rc == SQLITE_DONE) return dse_errf(e, DSE_EINPUT, "no run %lld in the database", (long long)run);
    return sqlerr(db, e, "reading a run");
}

/* ---- rows ---------------------------------------------------------------- */

static void bind_param(sqlite3_stmt *st, int col, const dse_point *p, int j)
{
    double v = dse_point_get(p, j);
    const char *const *names;
    int count = dse_ptype_names(dse_params[j].type, &names);
    if (count) bind_text(st, col, v >= 0 && v < count ? names[(int)v] : NULL);
    else if (dse_params[j].type == DSE_T_REAL) bind_real(st, col, v);
    else sqlite3_bind_int64(st, col, (int64_t)v);
}

int dse_db_put_point(dse_db *db, int64_t run, uint64_t idx, const char *preset,
                     const dse_point *p, int feasible, const char *why, dse_err *e)
{
    sqlite3_stmt *st = db->ins_point;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)idx);
    bind_text(st, 3, preset);
    for (int j = 0; j < DSE_NPARAMS; j++) bind_param(st, 4 + j, p, j);
    sqlite3_bind_int(st, 4 + DSE_NPARAMS, feasible ? 1 : 0);
    bind_text(st, 5 + DSE_NPARAMS, feasible ? NULL : why);
    return step_done(db, st, e, "inserting a point");
}

int dse_db_put_result(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                      dse_mode mode, const dse_metrics *m, dse_err *e)
{
    sqlite3_stmt *st = db->ins_result;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)idx);
    sqlite3_bind_text(st, 3, workload, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, dse_mode_names[mode], -1, SQLITE_STATIC);
    for (int j = 0; j < DSE_NMETRICS; j++) bind_real(st, 5 + j, m->v[j]);
    return step_done(db, st, e, "inserting a result");
}

int dse_db_put_breakdown(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                         dse_mode mode, const dse_breakdown *bd, dse_err *e)
{
    sqlite3_stmt *st = db->ins_bd;
    for (int c = 0; c < DSE_NCOMPS; c++) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, (int64_t)idx);
        sqlite3_bind_text(st, 3, workload, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, dse_mode_names[mode], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, dse_comp_names[c], -1, SQLITE_STATIC);
        bind_real(st, 6, bd->area_um2[c]);
        bind_real(st, 7, bd->energy_pj[c]);
        if (step_done(db, st, e, "inserting a breakdown")) return DSE_EIO;
    }
    return DSE_OK;
}

int dse_db_put_layers(dse_db *db, int64_t run, uint64_t idx, dse_mode mode, const dse_network *n,
                      const dse_layer_eval *le, dse_err *e)
{
    sqlite3_stmt *st = db->ins_layer;
    for (int i = 0; i < n->nlayers; i++) {
        const dse_layer_eval *l = &le[i];
        const dse_traffic *t = &l->traffic;
        char map[512];
        double meta = 0;
        for (int s = 0; s < DSE_NSTORES; s++)
            for (int tn = 0; tn < DSE_NTENSORS; tn++)
                for (int a = 0; a < DSE_NACTIONS; a++) meta += t->meta[s][tn][a];
        const double v[NLAYERCOLS] = {
            l->cycles, l->perf.cycles, l->dram_cycles, l->perf.sram_cycles, l->dense_cycles, l->perf.macs, l->perf.eff_macs, l->energy_pj,
            dse_traffic_tensor_bits(t, DSE_ST_DRAM, DSE_TW) / 8, dse_traffic_tensor_bits(t, DSE_ST_DRAM, DSE_TI) / 8,
            dse_traffic_tensor_bits(t, DSE_ST_DRAM, DSE_TO) / 8, dse_traffic_tensor_bits(t, DSE_ST_SRAM, DSE_TW) / 8,
            dse_traffic_tensor_bits(t, DSE_ST_SRAM, DSE_TI) / 8, dse_traffic_tensor_bits(t, DSE_ST_SRAM, DSE_TO) / 8,
            dse_traffic_tensor_bits(t, DSE_ST_ACC, DSE_TO) / 8, meta / 8};
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, (int64_t)idx);
        sqlite3_bind_text(st, 3, n->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, dse_mode_names[mode], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, i);
        sqlite3_bind_text(st, 6, n->layers[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 7, n->layers[i].repeat);
        sqlite3_bind_text(st, 8, dse_mapping_format(&l->map, map, sizeof map), -1, SQLITE_TRANSIENT);
        for (int k = 0; k < NLAYERCOLS; k++) bind_real(st, 9 + k, v[k]);
        if (step_done(db, st, e, "inserting a layer row")) return DSE_EIO;
    }
    return DSE_OK;
}

int dse_db_put_front(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                     const char *objectives, const uint64_t *idx, size_t n, dse_err *e)
{
    sqlite3_stmt *st;
    if (prep(db, "DELETE FROM pareto WHERE run = ? AND workload = ? AND mode = ? AND objectives = ?",
             &st, e))
        return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    bind_text(st, 2, workload);
    bind_text(st, 3, dse_mode_names[mode]);
    bind_text(st, 4, objectives);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sqlerr(db, e, "replacing a front");
    st = db->ins_front;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, run);
        bind_text(st, 2, workload);
        bind_text(st, 3, dse_mode_names[mode]);
        bind_text(st, 4, objectives);
        sqlite3_bind_int64(st, 5, (int64_t)i);
        sqlite3_bind_int64(st, 6, (int64_t)idx[i]);
        if (step_done(db, st, e, "inserting a front")) return DSE_EIO;
    }
    return DSE_OK;
}

/* ---- resume and indexes -------------------------------------------------- */

int dse_db_done_points(dse_db *db, int64_t run, uint64_t npoints, int nresults,
                       unsigned char *done, uint64_t *ndone, dse_err *e)
{
    sqlite3_stmt *st;
    int rc;
    *ndone = 0;
    if (prep(db, "SELECT p.idx, p.feasible, (SELECT count(*) FROM results r"
                 " WHERE r.run = p.run AND r.idx = p.idx) FROM points p WHERE p.run = ?", &st, e))
        return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t i = sqlite3_column_int64(st, 0);
        int feas = sqlite3_column_int(st, 1);
        int64_t nr = sqlite3_column_int64(st, 2);
        if (i < 0 || (uint64_t)i >= npoints) continue;
        if ((!feas && nr == 0) || (feas && nr == nresults)) {
            if (!done[i]) (*ndone)++;
            done[i] = 1;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sqlerr(db, e, "reading completed points");
    /* Rows of incomplete points (not expected: blocks commit atomically). */
    if (dse_db_begin(db, e)) return DSE_EIO;
    static const char *const del[] = {
        "DELETE FROM results WHERE run = ?1 AND idx IN (SELECT p.idx FROM points p WHERE p.run = ?1"
        " AND NOT ((p.feasible = 0 AND NOT EXISTS (SELECT 1 FROM results r WHERE r.run = ?1"
        " AND r.idx = p.idx)) OR (p.feasible = 1 AND (SELECT count(*) FROM results r"
        " WHERE r.run = ?1 AND r.idx = p.idx) = ?2)))",
        "DELETE FROM results WHERE run = ?1 AND idx NOT IN (SELECT idx FROM points WHERE run = ?1)",
        "DELETE FROM points WHERE run = ?1 AND NOT ((feasible = 0 AND NOT EXISTS (SELECT 1 FROM"
        " results r WHERE r.run = ?1 AND r.idx = points.idx)) OR (feasible = 1 AND (SELECT"
        " count(*) FROM results r WHERE r.run = ?1 AND r.idx = points.idx) = ?2))",
        "DELETE FROM breakdown WHERE run = ?1 AND idx NOT IN (SELECT idx FROM points WHERE run = ?1)",
        "DELETE FROM layers WHERE run = ?1 AND idx NOT IN (SELECT idx FROM points WHERE run = ?1)",
        "DELETE FROM pareto WHERE run = ?1",
    };
    for (size_t k = 0; k < sizeof del / sizeof del[0]; k++) {
        if (prep(db, del[k], &st, e)) goto fail;
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_bind_parameter_count(st) >= 2) sqlite3_bind_int(st, 2, nresults);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            sqlerr(db, e, "removing incomplete points");
            goto fail;
        }
    }
    return dse_db_commit(db, e);
fail:
    dse_db_rollback(db);
    return DSE_EIO;
}

int dse_db_create_indexes(dse_db *db, dse_err *e)
{
    return exec(db,
        "CREATE UNIQUE INDEX IF NOT EXISTS points_key ON points(run, idx);"
        "CREATE UNIQUE INDEX IF NOT EXISTS results_key ON results(run, idx, workload, mode);"
        "CREATE INDEX IF NOT EXISTS results_wm ON results(run, workload, mode);"
        "CREATE INDEX IF NOT EXISTS breakdown_key ON breakdown(run, idx, workload, mode);"
        "CREATE INDEX IF NOT EXISTS layers_key ON layers(run, idx, workload, mode, pos);"
        "CREATE INDEX IF NOT EXISTS pareto_key ON pareto(run, workload, mode, objectives, pos);", e);
}

/* ---- reading back -------------------------------------------------------- */

void dse_db_free_names(char **names, int n)
{
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

int dse_db_workloads(dse_db *db, int64_t run, char ***names, int *n, dse_err *e)
{
    sqlite3_stmt *st;
    int rc, cap = 4;
    *n = 0;
    *names = NULL;
    if (prep(db, "SELECT workload, min(rowid) AS first FROM results WHERE run = ?"
                 " GROUP BY workload ORDER BY first", &st, e))
        return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    char **v = dse_xmalloc((size_t)cap * sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) v = dse_xrealloc(v, (size_t)(cap *= 2) * sizeof *v);
        v[(*n)++] = dse_xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        dse_db_free_names(v, *n);
        *n = 0;
        return sqlerr(db, e, "listing workloads");
    }
    *names = v;
    return DSE_OK;
}

int dse_db_objective_values(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                            const int *metrics, int k, uint64_t **idx, double **vals,
                            size_t *n, dse_err *e)
{
    sbuf b = {0};
    sqlite3_stmt *st;
    int rc;
    size_t cap = 256;
    *n = 0;
    sb_add(&b, "SELECT idx");
    for (int j = 0; j < k; j++) {   /* identifiers from the closed metric list only */
        sb_add(&b, ", \"");
        sb_add(&b, dse_metric_names[metrics[j]]);
        sb_add(&b, "\"");
    }
    sb_add(&b, " FROM results WHERE run = ? AND workload = ? AND mode = ? ORDER BY idx");
    rc = prep(db, b.s, &st, e);
    free(b.s);
    if (rc) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    bind_text(st, 2, workload);
    bind_text(st, 3, dse_mode_names[mode]);
    uint64_t *ix = dse_xmalloc(cap * sizeof *ix);
    double *v = dse_xmalloc(cap * (size_t)k * sizeof *v);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap *= 2;
            ix = dse_xrealloc(ix, cap * sizeof *ix);
            v = dse_xrealloc(v, cap * (size_t)k * sizeof *v);
        }
        ix[*n] = (uint64_t)sqlite3_column_int64(st, 0);
        for (int j = 0; j < k; j++)
            v[*n * (size_t)k + (size_t)j] = sqlite3_column_type(st, 1 + j) == SQLITE_NULL
                                            ? NAN : sqlite3_column_double(st, 1 + j);
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(ix);
        free(v);
        *n = 0;
        return sqlerr(db, e, "reading results");
    }
    *idx = ix;
    *vals = v;
    return DSE_OK;
}

int dse_db_get_front(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                     const char *objectives, uint64_t **idx, size_t *n, dse_err *e)
{
    sqlite3_stmt *st;
    int rc;
    size_t cap = 16;
    *n = 0;
    if (prep(db, "SELECT idx FROM pareto WHERE run = ? AND workload = ? AND mode = ?"
                 " AND objectives = ? ORDER BY pos", &st, e))
        return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    bind_text(st, 2, workload);
    bind_text(st, 3, dse_mode_names[mode]);
    bind_text(st, 4, objectives);
    uint64_t *ix = dse_xmalloc(cap * sizeof *ix);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) ix = dse_xrealloc(ix, (cap *= 2) * sizeof *ix);
        ix[(*n)++] = (uint64_t)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(ix);
        *n = 0;
        return sqlerr(db, e, "reading a front");
    }
    *idx = ix;
    return DSE_OK;
}

int dse_db_get_point(dse_db *db, int64_t run, uint64_t idx, dse_point *p,
                     char *preset, size_t npreset, int *feasible, dse_err *e)
{
    sbuf b = {0};
    sqlite3_stmt *st;
    sb_add(&b, "SELECT preset, feasible");
    add_param_cols(&b, "", 0);
    sb_add(&b, " FROM points WHERE run = ? AND idx = ?");
    int rc = prep(db, b.s, &st, e);
    free(b.s);
    if (rc) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)idx);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        dse_point_defaults(p);
        if (preset) col_text(st, 0, preset, npreset);
        if (feasible) *feasible = sqlite3_column_int(st, 1);
        for (int j = 0; j < DSE_NPARAMS; j++) {
            int c = 2 + j;
            double v = NAN;
            const char *t = (const char *)sqlite3_column_text(st, c);
            char msg[128];
            const char *const *names;
            if (dse_ptype_names(dse_params[j].type, &names)) {
                if (!t || dse_param_parse(j, t, &v, msg, sizeof msg)) v = -1;   /* enums are stored by name */
            } else if (sqlite3_column_type(st, c) != SQLITE_NULL) v = sqlite3_column_double(st, c);
            dse_point_set(p, j, v);
        }
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return DSE_OK;
    if (rc == SQLITE_DONE)
        return dse_errf(e, DSE_EINPUT, "run %lld has no point %llu", (long long)run, (unsigned long long)idx);
    return sqlerr(db, e, "reading a point");
}

int dse_db_get_result(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                      dse_mode mode, dse_metrics *m, dse_err *e)
{
    sbuf b = {0};
    sqlite3_stmt *st;
    sb_add(&b, "SELECT run");
    add_metric_cols(&b, "", 0);
    sb_add(&b, " FROM results WHERE run = ? AND idx = ? AND workload = ? AND mode = ?");
    int rc = prep(db, b.s, &st, e);
    free(b.s);
    if (rc) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)idx);
    bind_text(st, 3, workload);
    bind_text(st, 4, dse_mode_names[mode]);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int j = 0; j < DSE_NMETRICS; j++)
            m->v[j] = sqlite3_column_type(st, 1 + j) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1 + j);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return DSE_OK;
    if (rc == SQLITE_DONE)
        return dse_errf(e, DSE_EINPUT, "run %lld has no result for point %llu, %s, %s", (long long)run,
                        (unsigned long long)idx, workload, dse_mode_names[mode]);
    return sqlerr(db, e, "reading a result");
}

int dse_db_varying(dse_db *db, int64_t run, int grid_only, int varies[DSE_NPARAMS], dse_err *e)
{
    sbuf b = {0};
    sqlite3_stmt *st;
    sb_add(&b, "SELECT 0");
    for (int j = 0; j < DSE_NPARAMS; j++) {
        sb_add(&b, ", count(DISTINCT \"");
        sb_add(&b, dse_params[j].name);
        sb_add(&b, "\")");
    }
    sb_add(&b, grid_only ? " FROM points WHERE run = ? AND preset IS NULL" : " FROM points WHERE run = ?");
    int rc = prep(db, b.s, &st, e);
    free(b.s);
    if (rc) return DSE_EIO;
    sqlite3_bind_int64(st, 1, run);
    rc = sqlite3_step(st);
    for (int j = 0; j < DSE_NPARAMS; j++)
        varies[j] = rc == SQLITE_ROW && sqlite3_column_int64(st, 1 + j) > 1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? DSE_OK : sqlerr(db, e, "reading points");
}
