/* sweep.h -- parallel evaluation of a design space in blocks, stored run by run, resumable. */
#ifndef DSE_SWEEP_H
#define DSE_SWEEP_H

#include <stdint.h>
#include "cost.h"
#include "db.h"
#include "model.h"
#include "space.h"
#include "util.h"

/* Evaluate point idx (parameters p) on workload w (network n) in mode:
 * fill m (and bd, and layers' n->nlayers entries, when non-NULL). Must be
 * a pure function of its inputs and thread-safe. Returns DSE_OK or an
 * error in e. */
typedef int (*dse_sweep_evalfn)(void *ctx, uint64_t idx, const dse_point *p, int w,
                                const dse_network *n, dse_mode mode, dse_metrics *m,
                                dse_breakdown *bd, dse_layer_eval *layers, dse_err *e);

/* Called by the writer after each committed block: done points of total
 * (resumed ones included), session_done of them in this call, seconds
 * since the call started. */
typedef void (*dse_sweep_progressfn)(void *ctx, uint64_t done, uint64_t total,
                                     uint64_t session_done, double seconds);

/* Which per-component breakdowns, and which per-layer rows, are stored. */
enum { DSE_BD_NONE, DSE_BD_FRONT, DSE_BD_ALL };

typedef struct dse_sweep_opts {
    uint64_t seed;          /* random streams; ignored on resume (the run's seed) */
    int threads;            /* <= 0: omp_get_max_threads() */
    int block;              /* points per committed block (<= 0: 256) */
    int chunk;              /* schedule(dynamic, chunk) (<= 0: 1) */
    int breakdown;          /* DSE_BD_*: none, front members only, all (default) */
    int layers;             /* DSE_BD_*: per-layer rows of none, front members (default), all
                               (all: blocks of at most 32 points) */
    int resume;             /* 0: new run; 1: continue run resume_run */
    int64_t resume_run;     /* with resume: run id, or 0 for the latest unfinished run of this space */
    dse_sweep_evalfn eval;  /* NULL: dse_model_eval with cost and the space's sampling settings */
    void *eval_ctx;
    const dse_cost *cost;   /* for the default evaluator */
    dse_sweep_progressfn progress;  /* may be NULL */
    void *progress_ctx;
} dse_sweep_opts;

typedef struct dse_sweep_stats {
    int64_t run;            /* run id written (also set on failure once created) */
    uint64_t npoints;       /* point indices of the space */
    uint64_t nfeasible;     /* feasible points stored in the run (when done) */
    uint64_t resumed;       /* points found complete at start */
    uint64_t evaluated;     /* points evaluated and committed by this call */
    uint64_t rows;          /* result rows committed by this call */
    uint64_t front_rows;    /* front memberships stored */
    uint64_t layer_rows;    /* per-layer rows stored */
    int threads;
    double seconds;         /* wall time of this call */
    uint64_t cache_lookups; /* layer estimates asked of the perf cache (default evaluator) */
    uint64_t cache_hits;    /* of which found there */
    uint64_t map_lookups;   /* layer mappings asked of the mapper cache (default evaluator) */
    uint64_t map_hits;      /* of which found there (the rest were searched) */
} dse_sweep_stats;

/* Options with their defaults (threads 0, block 256, chunk 1, breakdown
 * all, layers front). */
void dse_sweep_defaults(dse_sweep_opts *o);

/* Evaluate every point of s x workload x mode into db as a new run (or
 * resume one, see opts): blocks evaluated in parallel, inserted in index
 * order by this thread and committed one by one; infeasible points are
 * stored with why and no results. Then the Pareto fronts per (workload,
 * mode) under s's objectives are stored and the run is marked done.
 * Returns DSE_OK; DSE_EINTR when stopped (dse_sweep_stop): committed
 * blocks kept, run marked aborted; the evaluator's error (run marked
 * failed, committed blocks kept); DSE_EIO on database errors; DSE_EINPUT
 * when the run to resume does not exist, is done, or its space differs. */
int dse_sweep_run(dse_db *db, const dse_space *s, const dse_sweep_opts *o,
                  dse_sweep_stats *st, dse_err *e);

/* Stop flag (a volatile sig_atomic_t): dse_sweep_stop is async-signal-
 * safe, for SIGINT/SIGTERM handlers; the running sweep discards the block
 * in flight and returns DSE_EINTR. dse_sweep_run does not clear it. */
void dse_sweep_stop(void);
int dse_sweep_stopping(void);
void dse_sweep_clear_stop(void);

#endif
