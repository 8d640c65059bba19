/* sweep.c -- evaluate a design space in parallel blocks; one writer stores them in index order. */
#include "sweep.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "mapper.h"
#include "pareto.h"

static volatile sig_atomic_t stop_flag;

void dse_sweep_stop(void) { stop_flag = 1; }
int dse_sweep_stopping(void) { return stop_flag != 0; }
void dse_sweep_clear_stop(void) { stop_flag = 0; }

void dse_sweep_defaults(dse_sweep_opts *o)
{
    memset(o, 0, sizeof *o);
    o->block = 256;
    o->chunk = 1;
    o->breakdown = DSE_BD_ALL;
    o->layers = DSE_BD_FRONT;
}

/* The default evaluator: the model with the space's sampling settings. */
typedef struct model_ctx {
    const dse_cost *cost;
    dse_perf_opts po;
} model_ctx;

static int model_eval(void *ctx, uint64_t idx, const dse_point *p, int w, const dse_network *n,
                      dse_mode mode, dse_metrics *m, dse_breakdown *bd, dse_layer_eval *layers, dse_err *e)
{
    const model_ctx *c = ctx;
    (void)idx;
    (void)w;
    return dse_model_eval(p, n, mode, c->cost, &c->po, m, bd, layers, e);
}

/* One point of a block, filled by a worker. */
typedef struct slot {
    uint64_t idx;
    dse_point p;
    const char *preset;  /* owned by the space; NULL for grid points */
    int feasible;
    int status;          /* DSE_OK, an error, or -1 when skipped after a stop */
    char why[160];
} slot;

/* One block of points and its results; two of them alternate so that the
 * writer stores block k while the other threads evaluate block k+1. */
typedef struct block {
    size_t m;            /* points in use */
    slot *slots;         /* [B] */
    dse_metrics *res;    /* [B x nres] */
    dse_breakdown *bds;  /* [B x nres] when breakdowns of all points are stored, else NULL */
    dse_layer_eval *lys; /* [B x nres x maxl] when layers of all points are stored, else NULL */
    dse_err *errs;       /* [B] */
} block;

/* Everything one sweep call shares. */
typedef struct sweep {
    dse_db *db;
    const dse_space *s;
    dse_sweep_evalfn eval;
    void *ctx;
    int64_t run;
    int nres;            /* results per feasible point: workloads x modes */
    int bd;              /* DSE_BD_* */
    int ly;              /* DSE_BD_* for the per-layer rows */
    int maxl;            /* most layers of a workload */
} sweep;

static void eval_slot(const sweep *w, block *b, size_t j)
{
    slot *sl = &b->slots[j];
    sl->status = -1;
    b->errs[j].code = DSE_OK;
    b->errs[j].msg[0] = '\0';
    if (stop_flag) return;
    sl->preset = dse_space_point(w->s, sl->idx, &sl->p);
    sl->why[0] = '\0';
    sl->feasible = dse_space_feasible(w->s, &sl->p, sl->why, sizeof sl->why);
    sl->status = DSE_OK;
    if (!sl->feasible) return;
    for (int k = 0; k < w->nres && sl->status == DSE_OK; k++) {
        int wl = k / DSE_NMODES;
        dse_mode mode = (dse_mode)(k % DSE_NMODES);
        size_t r = j * (size_t)w->nres + (size_t)k;
        sl->status = w->eval(w->ctx, sl->idx, &sl->p, wl, &w->s->workloads[wl], mode, &b->res[r],
                             b->bds ? &b->bds[r] : NULL, b->lys ? &b->lys[r * (size_t)w->maxl] : NULL, &b->errs[j]);
    }
}

/* Insert the evaluated slots of a block in index order, one transaction. */
static int write_block(const sweep *w, const block *b, uint64_t *rows, uint64_t *lrows, dse_err *e)
{
    if (dse_db_begin(w->db, e)) return DSE_EIO;
    uint64_t nrows = 0;
    for (size_t j = 0; j < b->m; j++) {
        const slot *sl = &b->slots[j];
        if (dse_db_put_point(w->db, w->run, sl->idx, sl->preset, &sl->p, sl->feasible, sl->why, e))
            goto fail;
        if (!sl->feasible) continue;
        for (int k = 0; k < w->nres; k++) {
            const char *wl = w->s->workloads[k / DSE_NMODES].name;
            dse_mode mode = (dse_mode)(k % DSE_NMODES);
            size_t r = j * (size_t)w->nres + (size_t)k;
            if (dse_db_put_result(w->db, w->run, sl->idx, wl, mode, &b->res[r], e)) goto fail;
            if (b->bds && dse_db_put_breakdown(w->db, w->run, sl->idx, wl, mode, &b->bds[r], e))
                goto fail;
            if (b->lys) {
                const dse_network *n = &w->s->workloads[k / DSE_NMODES];
                if (dse_db_put_layers(w->db, w->run, sl->idx, mode, n, &b->lys[r * (size_t)w->maxl], e)) goto fail;
                *lrows += (uint64_t)n->nlayers;
            }
            nrows++;
        }
    }
    if (dse_db_commit(w->db, e)) goto fail;
    *rows += nrows;
    return DSE_OK;
fail:
    dse_db_rollback(w->db);
    return DSE_EIO;
}

/* Fronts of every (workload, mode) from the stored results, and the
 * breakdowns and layers of their members when asked; inside the caller's
 * transaction. */
static int store_fronts(sweep *w, const char *objtext, dse_sweep_stats *st, dse_err *e)
{
    const dse_space *s = w->s;
    int metrics[DSE_MAX_OBJECTIVES];
    for (int j = 0; j < s->nobjectives; j++) metrics[j] = s->objectives[j].metric;
    for (int wl = 0; wl < s->nworkloads; wl++)
        for (int mode = 0; mode < DSE_NMODES; mode++) {
            uint64_t *idx;
            double *vals;
            size_t n;
            const char *name = s->workloads[wl].name;
            if (dse_db_objective_values(w->db, w->run, name, (dse_mode)mode, metrics,
                                        s->nobjectives, &idx, &vals, &n, e))
                return DSE_EIO;
            size_t *rows = dse_xmalloc((n ? n : 1) * sizeof *rows);
            size_t f = dse_pareto_front(vals, idx, n, s->objectives, s->nobjectives, rows);
            uint64_t *fidx = dse_xmalloc((f ? f : 1) * sizeof *fidx);
            for (size_t i = 0; i < f; i++) fidx[i] = idx[rows[i]];
            int rc = dse_db_put_front(w->db, w->run, name, (dse_mode)mode, objtext, fidx, f, e);
            int bd_front = w->bd == DSE_BD_FRONT, ly_front = w->ly == DSE_BD_FRONT;
            const dse_network *net = &s->workloads[wl];
            dse_layer_eval *le = ly_front ? dse_xcalloc((size_t)(net->nlayers ? net->nlayers : 1), sizeof *le) : NULL;
            for (size_t i = 0; rc == DSE_OK && (bd_front || ly_front) && i < f; i++) {
                dse_point p;
                dse_metrics m;
                dse_breakdown bd;
                dse_space_point(s, fidx[i], &p);
                rc = w->eval(w->ctx, fidx[i], &p, wl, net, (dse_mode)mode, &m, &bd, le, e);
                if (rc == DSE_OK && bd_front)
                    rc = dse_db_put_breakdown(w->db, w->run, fidx[i], name, (dse_mode)mode, &bd, e);
                if (rc == DSE_OK && ly_front) {
                    rc = dse_db_put_layers(w->db, w->run, fidx[i], (dse_mode)mode, net, le, e);
                    st->layer_rows += (uint64_t)net->nlayers;
                }
            }
            free(le);
            st->front_rows += f;
            free(fidx);
            free(rows);
            free(idx);
            free(vals);
            if (rc) return rc;
        }
    return DSE_OK;
}

/* Refuse to continue run id when any input file it was made from (stored
 * with it) differs from the one the space has loaded now, or is missing. */
static int same_inputs(const sweep *w, int64_t id, dse_err *e)
{
    dse_run_input *old;
    dse_input *now;
    int nold, rc = dse_db_run_inputs(w->db, id, &old, &nold, e);
    if (rc) return rc;
    int nnow = dse_space_inputs(w->s, &now);
    for (int i = 0; i < nnow && rc == DSE_OK; i++) {
        int k = 0;
        while (k < nold && !(strcmp(old[k].kind, now[i].kind) == 0 && strcmp(old[k].path, now[i].path) == 0)) k++;
        if (k == nold)
            rc = dse_errf(e, DSE_EINPUT, "run %lld was not made with %s %s; resume needs the same input files",
                          (long long)id, now[i].kind, now[i].path);
        else if (old[k].hash != now[i].hash)
            rc = dse_errf(e, DSE_EINPUT, "%s %s has changed since run %lld was made (hash %016llx, now %016llx);"
                          " resume needs the same input files (the stored ones: sparsedse runs --export %lld)",
                          now[i].kind, now[i].path, (long long)id, (unsigned long long)old[k].hash,
                          (unsigned long long)now[i].hash, (long long)id);
    }
    if (rc == DSE_OK && nold != nnow)
        rc = dse_errf(e, DSE_EINPUT, "run %lld was made with %d input files, the space now reads %d;"
                      " resume needs the same input files", (long long)id, nold, nnow);
    dse_db_free_inputs(old, nold);
    free(now);
    return rc;
}

/* Find and check the run to continue; fills w->run and *seed. */
static int resume_run(sweep *w, const dse_sweep_opts *o, uint64_t np, uint64_t *seed, dse_err *e)
{
    dse_run_info r;
    int64_t id = o->resume_run;
    if (id <= 0 && dse_db_run_resumable(w->db, w->s->hash, &id, e)) return e ? e->code : DSE_EINPUT;
    if (dse_db_run_get(w->db, id, &r, e)) return e ? e->code : DSE_EINPUT;
    if (strcmp(r.status, "done") == 0)
        return dse_errf(e, DSE_EINPUT, "run %lld is already done", (long long)id);
    if (r.space_hash != w->s->hash)
        return dse_errf(e, DSE_EINPUT, "run %lld was made from a different space file"
                        " (%s, hash %016llx); resume needs the same text", (long long)id,
                        r.space_path, (unsigned long long)r.space_hash);
    if ((uint64_t)r.npoints != np)
        return dse_errf(e, DSE_EINPUT, "run %lld has %lld points, the space %llu", (long long)id,
                        (long long)r.npoints, (unsigned long long)np);
    int rc = same_inputs(w, id, e);
    if (rc) return rc;
    w->run = id;
    *seed = r.seed;
    return DSE_OK;
}

static int check_workloads(const dse_space *s, dse_err *e)
{
    if (s->nworkloads < 1) return dse_errf(e, DSE_EINPUT, "%s: error: the space has no workloads", s->path);
    if (s->nobjectives < 2 || s->nobjectives > DSE_MAX_OBJECTIVES)
        return dse_errf(e, DSE_EINPUT, "%s: error: the space needs 2..%d objectives", s->path,
                        DSE_MAX_OBJECTIVES);
    for (int i = 0; i < s->nworkloads; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(s->workloads[i].name, s->workloads[j].name) == 0)
                return dse_errf(e, DSE_EINPUT, "%s: error: two workloads are named '%s'", s->path,
                                s->workloads[i].name);
    return DSE_OK;
}

/* Next block of points not yet done, from *next on (block-aligned ranges of
 * B indices; a range with nothing to do is skipped): fills b->slots[].idx
 * and b->m (0 at the end). */
static void next_block(block *b, const unsigned char *done, uint64_t np, size_t B, uint64_t *next)
{
    b->m = 0;
    while (b->m == 0 && *next < np) {
        for (uint64_t i = *next; i < np && i < *next + B; i++)
            if (!done || !done[i]) b->slots[b->m++].idx = i;
        *next += B;
    }
}

/* Return the status of the lowest failing point of an evaluated block. */
static int block_status(block *b, dse_err *e)
{
    for (size_t j = 0; j < b->m; j++)
        if (b->slots[j].status != DSE_OK) {
            int code = b->errs[j].code ? b->errs[j].code : DSE_EMODEL;
            if (b->errs[j].msg[0] == '\0')
                dse_errf(&b->errs[j], code, "evaluation of point %llu failed",
                         (unsigned long long)b->slots[j].idx);
            if (e) *e = b->errs[j];
            return code;
        }
    return DSE_OK;
}

/* The block loop, pipelined: while one thread inserts and commits block k,
 * the others (and then the writer too) evaluate block k+1 with a dynamic
 * schedule. Returns DSE_OK when every point is stored; on a stop or an
 * error the block in evaluation is discarded, committed ones stay. */
static int run_blocks(const sweep *w, const dse_sweep_opts *o, block bl[2], const unsigned char *done,
                      uint64_t np, size_t B, int nt, uint64_t ndone, dse_sweep_stats *st,
                      double t0, dse_err *e)
{
    int chunk = o->chunk > 0 ? o->chunk : 1, cur = 0;
    uint64_t next = 0;
    (void)nt;
    (void)chunk;
    if (o->progress) o->progress(o->progress_ctx, ndone, np, 0, 0.0);
    next_block(&bl[0], done, np, B, &next);
    long m0 = (long)bl[0].m;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, chunk) num_threads(nt)
#endif
    for (long j = 0; j < m0; j++) eval_slot(w, &bl[0], (size_t)j);
    while (bl[cur].m > 0) {
        block *wb = &bl[cur], *eb = &bl[1 - cur];
        int rc;
        if (stop_flag) return DSE_EINTR;
        if ((rc = block_status(wb, e))) return rc;
        next_block(eb, done, np, B, &next);
        long me = (long)eb->m;
        int wrc = DSE_OK;
#ifdef _OPENMP
#pragma omp parallel num_threads(nt)
#endif
        {
#ifdef _OPENMP
#pragma omp single nowait
#endif
            wrc = write_block(w, wb, &st->rows, &st->layer_rows, e);
#ifdef _OPENMP
#pragma omp for schedule(dynamic, chunk)
#endif
            for (long j = 0; j < me; j++) eval_slot(w, eb, (size_t)j);
        }
        if (wrc) return wrc;
        ndone += wb->m;
        st->evaluated += wb->m;
        if (o->progress) o->progress(o->progress_ctx, ndone, np, st->evaluated, dse_now() - t0);
        cur = 1 - cur;
    }
    return DSE_OK;
}

int dse_sweep_run(dse_db *db, const dse_space *s, const dse_sweep_opts *o,
                  dse_sweep_stats *st, dse_err *e)
{
    double t0 = dse_now();
    uint64_t np = dse_space_npoints(s), seed = o->seed, ndone = 0;
    size_t B = o->block > 0 ? (size_t)o->block : 256;
    int nt = 1, rc;
    char objtext[256];
    unsigned char *done = NULL;
    model_ctx mc;
    sweep w = {db, s, o->eval, o->eval_ctx, -1, s->nworkloads * DSE_NMODES, o->breakdown, o->layers, 1};
    for (int k = 0; k < s->nworkloads; k++)
        if (s->workloads[k].nlayers > w.maxl) w.maxl = s->workloads[k].nlayers;
    if (w.ly == DSE_BD_ALL && B > 32) B = 32;
    block bl[2];

    memset(st, 0, sizeof *st);
    st->run = -1;
    st->npoints = np;
#ifdef _OPENMP
    nt = o->threads > 0 ? o->threads : omp_get_max_threads();
#endif
    st->threads = nt;
    if ((rc = check_workloads(s, e))) return rc;
    if (!w.eval && !o->cost) return dse_errf(e, DSE_EMODEL, "sweep: no evaluator and no cost model");
    dse_pareto_format(s->objectives, s->nobjectives, objtext, sizeof objtext);
    if (o->resume) {
        if ((rc = dse_db_create_indexes(db, e))) return rc;
        if ((rc = resume_run(&w, o, np, &seed, e))) return rc;
        done = dse_xcalloc(np ? np : 1, 1);
        if ((rc = dse_db_done_points(db, w.run, np, w.nres, done, &ndone, e)) ||
            (rc = dse_db_run_status(db, w.run, "running", 0.0, e))) {
            free(done);
            return rc;
        }
    } else if ((rc = dse_db_run_new(db, s, seed, nt, np, objtext, &w.run, e))) {
        return rc;
    }
    st->run = w.run;
    st->resumed = ndone;
    dse_perf_cache *cache = NULL;
    dse_map_cache *maps = NULL;
    if (!w.eval) {
        cache = dse_perf_cache_new();
        maps = dse_map_cache_new();
        mc.cost = o->cost;
        mc.po = (dse_perf_opts){s->fidelity, seed, s->precision, s->min_tiles, s->max_tiles, cache, s->scope,
                                maps, s->mapobj};
        w.eval = model_eval;
        w.ctx = &mc;
    }
    for (int k = 0; k < 2; k++) {
        bl[k].m = 0;
        bl[k].slots = dse_xcalloc(B, sizeof *bl[k].slots);
        bl[k].res = dse_xcalloc(B * (size_t)w.nres, sizeof *bl[k].res);
        bl[k].bds = w.bd == DSE_BD_ALL ? dse_xcalloc(B * (size_t)w.nres, sizeof *bl[k].bds) : NULL;
        bl[k].lys = w.ly == DSE_BD_ALL ? dse_xcalloc(B * (size_t)w.nres * (size_t)w.maxl, sizeof *bl[k].lys) : NULL;
        bl[k].errs = dse_xcalloc(B, sizeof *bl[k].errs);
    }

    rc = run_blocks(&w, o, bl, done, np, B, nt, ndone, st, t0, e);
    if (rc == DSE_OK && stop_flag) rc = DSE_EINTR;   /* a stop after the last block: the run stays resumable */
    if (rc == DSE_OK) rc = dse_db_create_indexes(db, e);
    if (rc == DSE_OK && (rc = dse_db_begin(db, e)) == DSE_OK) {
        rc = store_fronts(&w, objtext, st, e);
        if (rc == DSE_OK && stop_flag) rc = DSE_EINTR;   /* the fronts are discarded with the transaction */
        if (rc == DSE_OK) rc = dse_db_run_status(db, w.run, "done", dse_now() - t0, e);
        if (rc == DSE_OK) rc = dse_db_commit(db, e);
        if (rc) dse_db_rollback(db);
    }
    st->seconds = dse_now() - t0;
    if (rc != DSE_OK) {
        dse_err ignore;
        dse_db_run_status(db, w.run, rc == DSE_EINTR ? "aborted" : "failed", st->seconds, &ignore);
        if (rc == DSE_EINTR)
            dse_errf(e, DSE_EINTR, "interrupted: run %lld aborted with %llu of %llu points stored;"
                     " continue with --resume", (long long)w.run,
                     (unsigned long long)(ndone + st->evaluated), (unsigned long long)np);
    } else {
        dse_run_info r;
        if (dse_db_run_get(db, w.run, &r, NULL) == DSE_OK && r.nfeasible >= 0)
            st->nfeasible = (uint64_t)r.nfeasible;
    }
    if (cache) {
        dse_perf_cache_stats(cache, &st->cache_lookups, &st->cache_hits);
        dse_perf_cache_free(cache);
        dse_map_cache_stats(maps, &st->map_lookups, &st->map_hits);
        dse_map_cache_free(maps);
    }
    for (int k = 0; k < 2; k++) {
        free(bl[k].slots);
        free(bl[k].res);
        free(bl[k].bds);
        free(bl[k].lys);
        free(bl[k].errs);
    }
    free(done);
    return rc;
}
