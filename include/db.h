/* db.h -- SQLite storage of sweeps: runs, design points, results, breakdowns, Pareto fronts. */
#ifndef DSE_DB_H
#define DSE_DB_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "model.h"
#include "params.h"
#include "space.h"
#include "util.h"

#define DSE_DB_SCHEMA_VERSION 3   /* PRAGMA user_version of the files we write */

typedef struct dse_db dse_db;

/* One row of the runs table (docs/schema.md). */
typedef struct dse_run_info {
    int64_t id;
    char space_name[64];
    char space_path[512];
    uint64_t space_hash;
    uint64_t seed;
    char fidelity[16];
    char objectives[256];  /* "max:tops_per_w,max:tops_per_mm2" */
    char version[64];
    int threads;
    char status[16];       /* running done aborted failed */
    char started[32];      /* UTC, ISO 8601 */
    char finished[32];     /* "" while running */
    double elapsed;        /* seconds, summed over resumed sessions */
    int64_t npoints;       /* point indices of the space */
    int64_t nfeasible;     /* feasible points stored (-1 while unknown) */
    int64_t nresults;      /* result rows stored */
} dse_run_info;

/* Open the database at path. create = 1: read-write, created if missing,
 * WAL, synchronous=NORMAL, and the schema of this build created in a new
 * file; create = 0: read-only (an existing file, which may sit on a
 * read-only file system; nothing is written). Both check the schema
 * version and set a busy_timeout. Returns DSE_OK, or DSE_EIO (cannot open,
 * not ours, other schema version) with *db = NULL. */
int dse_db_open(dse_db **db, const char *path, int create, dse_err *e);
/* Checkpoint the WAL (when writable) and close; NULL is a no-op. */
void dse_db_close(dse_db *db);
/* The underlying connection (tests and ad-hoc queries; do not close it). */
sqlite3 *dse_db_sqlite(dse_db *db);

/* Explicit transactions; each returns DSE_OK or DSE_EIO. */
int dse_db_begin(dse_db *db, dse_err *e);
int dse_db_commit(dse_db *db, dse_err *e);
void dse_db_rollback(dse_db *db);

/* Insert a new run (status running) for space s with seed, threads and
 * npoints point indices, and its inputs (dse_space_inputs: technology and
 * workload texts, mask hashes); *run gets its id. objectives is the
 * canonical objective text (dse_pareto_format). */
int dse_db_run_new(dse_db *db, const dse_space *s, uint64_t seed, int threads,
                   uint64_t npoints, const char *objectives, int64_t *run, dse_err *e);
/* One input file stored with a run (docs/schema.md, "inputs"). */
typedef struct dse_run_input {
    char kind[16];          /* technology, workload, mask */
    char path[512];         /* as resolved when the run was created */
    uint64_t hash;          /* dse_fnv1a of its bytes */
    int64_t bytes;
    char *text;             /* malloc'ed; NULL for masks */
} dse_run_input;
/* The inputs stored with run (in order); *rows malloc'ed, free with
 * dse_db_free_inputs. A run without any yields n = 0. */
int dse_db_run_inputs(dse_db *db, int64_t run, dse_run_input **rows, int *n, dse_err *e);
void dse_db_free_inputs(dse_run_input *rows, int n);

/* Set a run's status; a final status (done aborted failed) also sets
 * finished and nfeasible; elapsed_add is added to elapsed. */
int dse_db_run_status(dse_db *db, int64_t run, const char *status, double elapsed_add, dse_err *e);
/* Read run id (DSE_EINPUT "no run N") into *r. */
int dse_db_run_get(dse_db *db, int64_t run, dse_run_info *r, dse_err *e);
/* Latest run id (DSE_EINPUT when the database has none). */
int dse_db_run_latest(dse_db *db, int64_t *run, dse_err *e);
/* Latest run not done (running, aborted or failed) whose space hash is
 * hash; DSE_EINPUT when there is none. */
int dse_db_run_resumable(dse_db *db, uint64_t hash, int64_t *run, dse_err *e);
/* Every run in id order: *runs malloc'ed (caller frees), *n entries. */
int dse_db_run_list(dse_db *db, dse_run_info **runs, int *n, dse_err *e);
/* Text of the space file stored with a run (malloc'ed, caller frees). */
int dse_db_run_space_text(dse_db *db, int64_t run, char **text, dse_err *e);

/* Row inserts through prepared statements (call inside a transaction).
 * preset and why may be NULL. NaN metrics are stored as NULL. */
int dse_db_put_point(dse_db *db, int64_t run, uint64_t idx, const char *preset,
                     const dse_point *p, int feasible, const char *why, dse_err *e);
int dse_db_put_result(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                      dse_mode mode, const dse_metrics *m, dse_err *e);
int dse_db_put_breakdown(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                         dse_mode mode, const dse_breakdown *bd, dse_err *e);
/* One row per layer of network n for result (run, idx, n->name, mode):
 * its mapping, cycles and traffic per level (docs/schema.md, "layers"). */
int dse_db_put_layers(dse_db *db, int64_t run, uint64_t idx, dse_mode mode, const dse_network *n,
                      const dse_layer_eval *le, dse_err *e);
/* Replace the stored front of (run, workload, mode, objectives) by the n
 * point indices idx in order (pos 0..n-1). */
int dse_db_put_front(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                     const char *objectives, const uint64_t *idx, size_t n, dse_err *e);

/* Resume support: mark done[i] = 1 for every point of run that is
 * complete (infeasible, or feasible with nresults result rows); delete
 * the rows of incomplete points. done has npoints entries, zeroed by the
 * caller; *ndone gets the count. */
int dse_db_done_points(dse_db *db, int64_t run, uint64_t npoints, int nresults,
                       unsigned char *done, uint64_t *ndone, dse_err *e);
/* Create the indexes (IF NOT EXISTS); called after bulk inserts. */
int dse_db_create_indexes(dse_db *db, dse_err *e);

/* Distinct workloads of a run's results in insertion order: *names is a
 * malloc'ed array of malloc'ed strings (free with dse_db_free_names). */
int dse_db_workloads(dse_db *db, int64_t run, char ***names, int *n, dse_err *e);
void dse_db_free_names(char **names, int n);
/* Objective values of every result of (run, workload, mode): *idx gets n
 * point indices (ascending), *vals n rows of k metrics (NULL -> NaN); both
 * malloc'ed (caller frees). */
int dse_db_objective_values(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                            const int *metrics, int k, uint64_t **idx, double **vals,
                            size_t *n, dse_err *e);
/* Stored front of (run, workload, mode, objectives) in pos order; *n = 0
 * when none is stored. *idx malloc'ed (caller frees). */
int dse_db_get_front(dse_db *db, int64_t run, const char *workload, dse_mode mode,
                     const char *objectives, uint64_t **idx, size_t *n, dse_err *e);
/* Point idx of run: parameters into *p, preset name into preset (""
 * when a grid point), feasibility into *feasible (any may be NULL except p). */
int dse_db_get_point(dse_db *db, int64_t run, uint64_t idx, dse_point *p,
                     char *preset, size_t npreset, int *feasible, dse_err *e);
/* Metrics of (run, idx, workload, mode); NULL columns -> NaN; DSE_EINPUT
 * when the row does not exist. */
int dse_db_get_result(dse_db *db, int64_t run, uint64_t idx, const char *workload,
                      dse_mode mode, dse_metrics *m, dse_err *e);
/* varies[j] = 1 if parameter j takes more than one value among run's
 * points (grid_only: among its grid points, presets left out). */
int dse_db_varying(dse_db *db, int64_t run, int grid_only, int varies[DSE_NPARAMS], dse_err *e);

#endif
