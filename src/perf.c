/* perf.c -- layer cycles and activity: full-layer reference, sampled tiles with a 95% CI and a cache, closed form. */
#include "perf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "mask.h"
#include "memo.h"
#include "rng.h"
#include "sched.h"

/* ---- geometry (docs/perf.md) ---- */

typedef enum { KIND_DENSE, KIND_W, KIND_A, KIND_DUAL } kind;

typedef struct geom {
    int rows, cols, lanes;
    int P, Kg, Cg, R, S, groups, repeat;
    int nblk, T;          /* channel blocks per kernel position; steps per tile */
    long prow, kcol;      /* row groups (pixel tiles), column sets per group */
} geom;

static long ceil_div(long a, long b) { return (a + b - 1) / b; }

static void geom_init(geom *g, const dse_point *p, const dse_layer *L)
{
    g->rows = p->rows; g->cols = p->cols; g->lanes = p->lanes;
    g->groups = L->groups > 0 ? L->groups : 1;
    g->P = L->P; g->Kg = L->K / g->groups; g->Cg = L->Cin / g->groups;
    g->R = L->R; g->S = L->S; g->repeat = L->repeat > 0 ? L->repeat : 1;
    g->nblk = (int)ceil_div(g->Cg, g->lanes);
    g->T = g->nblk * g->R * g->S;
    g->prow = ceil_div(g->P, g->rows);
    g->kcol = ceil_div(g->Kg, g->cols);
}

static int borrows(const dse_window *w) { return w->lookahead > 0 || w->lookaside > 0 || w->unit > 0; }

/* A side has zeros when the mode treats it as sparse and its source is not
 * dense by construction (density 1; a .npy mask is read, so it may have). */
static int has_zeros(int sparse, const dse_sparsity *sp)
{
    return sparse && (sp->dist == DSE_DIST_NPY || sp->density < 1);
}

/* What gets scheduled. A layer whose operand stream has no zeros at all --
 * dense sources and no padding lanes or units to borrow into -- takes
 * exactly its dense cycles, whatever the windows. */
static kind mode_kind(const dse_config *c, const dse_layer *L, const geom *g)
{
    int wb = c->wsparse && borrows(&c->w), ab = c->asparse && borrows(&c->a);
    int padded = g->Cg % g->lanes || g->Kg % g->cols || g->P % g->rows;
    if (!padded && !has_zeros(c->wsparse, &L->w) && !has_zeros(c->asparse, &L->a)) return KIND_DENSE;
    return wb && ab ? KIND_DUAL : wb ? KIND_W : ab ? KIND_A : KIND_DENSE;
}

/* ---- sparsity sources: one unit's bits (docs/perf.md) ---- */

/* One operand side of a layer: how to produce any unit (filter or pixel). */
typedef struct side {
    const dse_sparsity *sp;  /* NULL: dense (not sparse in this mode) */
    int is_w;
    uint64_t key;            /* (seed, layer, side) */
    double *chd;             /* beta activations: per-channel density, Cin entries */
    uint8_t *vec;            /* scratch: one unit's reduction */
    double *pd;              /* scratch: per-position density (beta activations) */
} side;

static void side_init(side *s, const dse_sparsity *sp, int is_w, uint64_t seed, uint64_t lh)
{
    s->sp = sp;
    s->is_w = is_w;
    s->key = dse_rng_key(seed, lh, is_w ? 0x57 : 0x41, 0);
    s->chd = NULL;
    s->vec = NULL;
    s->pd = NULL;
}

/* Scratch for filling units, and the per-channel densities of Beta
 * activations: only when tiles are actually scheduled. */
static void side_scratch(side *s, const dse_layer *L)
{
    const dse_sparsity *sp = s->sp;
    int is_w = s->is_w;
    size_t n = (size_t)(L->Cin / (L->groups > 0 ? L->groups : 1)) * L->R * L->S;
    s->vec = dse_xmalloc(n + 1);
    s->pd = dse_xmalloc((n + 1) * sizeof *s->pd);
    if (sp && sp->dist == DSE_DIST_BETA && !is_w) {
        dse_rng r;
        dse_rng_seed(&r, dse_rng_key(s->key, 0xc4, 0, 0));
        s->chd = dse_xmalloc((size_t)L->Cin * sizeof *s->chd);
        for (int c = 0; c < L->Cin; c++) s->chd[c] = dse_mask_beta_density(&r, sp->density, sp->spread);
    }
}

static void side_free(side *s)
{
    free(s->chd); free(s->vec); free(s->pd);
    s->chd = NULL; s->vec = NULL; s->pd = NULL;
}

/* Mask bit of npy activations for pixel p, channel cgl (all groups), kernel (r, s). */
static int npy_act(const dse_mask *m, const geom *g, long p, int cgl, int r, int s)
{
    long hw = (long)m->d[2] * m->d[3], pos = (long)((double)p * (double)((long)m->d[0] * hw) / g->P);
    long n = pos / hw, y = (pos / m->d[3]) % m->d[2], x = pos % m->d[3];
    y += r - g->R / 2; x += s - g->S / 2;
    if (y < 0 || y >= m->d[2] || x < 0 || x >= m->d[3]) return 0;   /* zero padding */
    return m->bits[(((size_t)n * m->d[1] + cgl) * m->d[2] + y) * m->d[3] + x];
}

/* Write unit u (filter or pixel within group gi) into dst (T x lanes, zeroed
 * by the caller) in tile order: step t = kpos * nblk + c / lanes, lane
 * c % lanes; the unit's reduction runs (kpos, c) in that order. */
static void fill_unit(const side *sd, const geom *g, int gi, long u, uint8_t *dst, uint8_t *vec, double *pd)
{
    const dse_sparsity *sp = sd->sp;
    long nunits = sd->is_w ? g->Kg : g->P;
    if (u >= nunits) return;                 /* padding unit of a short set / group */
    int n = g->Cg * g->R * g->S, RS = g->R * g->S;
    if (!sp) memset(vec, 1, (size_t)n);
    else if (sp->dist == DSE_DIST_NPY) {
        const dse_mask *m = sp->mask;
        for (int kp = 0, i = 0; kp < RS; kp++)
            for (int c = 0; c < g->Cg; c++, i++)
                vec[i] = sd->is_w ? m->bits[(((size_t)(gi * g->Kg + u) * m->d[1] + c) * m->d[2] + kp / g->S) * m->d[3] + kp % g->S]
                                  : (uint8_t)npy_act(m, g, u, gi * g->Cg + c, kp / g->S, kp % g->S);
    } else {
        dse_rng r;
        dse_rng_seed(&r, dse_rng_key(sd->key, (uint64_t)gi, (uint64_t)u, 1));
        double du = sp->density;
        const double *pos = NULL;
        if (sp->dist == DSE_DIST_BETA && sd->is_w) du = dse_mask_beta_density(&r, sp->density, sp->spread);
        if (sp->dist == DSE_DIST_BETA && !sd->is_w) {   /* per-channel densities */
            for (int kp = 0, i = 0; kp < RS; kp++)
                for (int c = 0; c < g->Cg; c++, i++) pd[i] = sd->chd[gi * g->Cg + c];
            pos = pd;
        }
        dse_mask_gen(vec, n, sp, du, pos, &r);
    }
    for (int kp = 0, i = 0; kp < RS; kp++)
        for (int c = 0; c < g->Cg; c++, i++)
            dst[((size_t)kp * g->nblk + c / g->lanes) * g->lanes + c % g->lanes] = vec[i];
}

/* Tile of `units` units starting at unit u0 of group gi. */
static void fill_tile(const side *sd, const geom *g, int gi, long u0, dse_tile *t)
{
    memset(t->bits, 0, (size_t)t->units * t->steps * t->lanes);
    for (int i = 0; i < t->units; i++)
        fill_unit(sd, g, gi, u0 + i, t->bits + (size_t)i * t->steps * t->lanes, sd->vec, sd->pd);
}

/* ---- one tile of the population ---- */

typedef struct ctx {
    const dse_config *cfg;
    geom g;
    kind k;
    side w, a;
    dse_tile wt, at;
    long npop;           /* tiles in the population (one repeat) */
    double weight;       /* layer cycles = weight * sum of tile cycles */
    double opsw;         /* activity scale: layer ops per tile op */
} ctx;

typedef struct tres { double cycles, borrowed, unit_borrowed; } tres;

/* Cycles a tile needs at least to stream its steps from SRAMs that deliver
 * rows_per_cycle rows a cycle (0 when unbounded): a stalled cycle executes
 * nothing (docs/perf.md, "SRAM bandwidth"). */
static double bw_floor(const ctx *c)
{
    int B = c->cfg->rows_per_cycle;
    return B > 0 ? (double)ceil_div(c->g.T, B) : 0;
}

/* Schedule population tile idx; returns a status. */
static int run_tile(ctx *c, long idx, tres *out)
{
    const geom *g = &c->g;
    dse_sched_stats st;
    memset(&st, 0, sizeof st);
    int rc = DSE_OK;
    if (c->k == KIND_W) {
        int gi = (int)(idx / g->kcol);
        long j = idx % g->kcol;
        fill_tile(&c->w, g, gi, j * g->cols, &c->wt);
        rc = dse_sched_static(&c->wt, &c->cfg->w, DSE_ADVANCE_LOCKSTEP, &st);
    } else if (c->k == KIND_A) {
        int gi = (int)(idx / g->prow);
        long i = idx % g->prow;
        fill_tile(&c->a, g, gi, i * g->rows, &c->at);
        rc = dse_sched_online(&c->at, &c->cfg->a, &st);
    } else {
        long per = g->prow * g->kcol;
        int gi = (int)(idx / per);
        long i = (idx % per) / g->kcol, j = idx % g->kcol;
        fill_tile(&c->w, g, gi, j * g->cols, &c->wt);
        fill_tile(&c->a, g, gi, i * g->rows, &c->at);
        rc = dse_sched_dual(&c->wt, &c->at, c->cfg, &st);
    }
    out->cycles = fmax((double)st.cycles, bw_floor(c));
    out->borrowed = (double)st.borrowed;
    out->unit_borrowed = (double)st.unit_borrowed;
    return rc;
}

static int ctx_init(ctx *c, const dse_point *p, const dse_config *cfg, const dse_layer *L, uint64_t seed,
                    uint64_t lh, dse_err *e)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    geom_init(&c->g, p, L);
    c->k = mode_kind(cfg, L, &c->g);
    const geom *g = &c->g;
    const dse_sparsity *ws = cfg->wsparse ? &L->w : NULL, *as = cfg->asparse ? &L->a : NULL;
    if (ws && ws->dist == DSE_DIST_NPY) {
        const dse_mask *m = ws->mask;
        if (!m || m->d[0] != L->K || m->d[1] != g->Cg || m->d[2] != L->R || m->d[3] != L->S)
            return dse_errf(e, DSE_EINPUT, "layer %s: weight mask missing or not (K, Cin/groups, R, S)", L->name);
    }
    if (as && as->dist == DSE_DIST_NPY && (!as->mask || as->mask->d[1] != L->Cin))
        return dse_errf(e, DSE_EINPUT, "layer %s: activation mask missing or not Cin channels", L->name);
    side_init(&c->w, ws, 1, seed, lh);
    side_init(&c->a, as, 0, seed, lh);
    double rep = g->repeat;
    switch (c->k) {
    case KIND_W:    c->npop = g->groups * g->kcol; c->weight = rep * g->prow; c->opsw = rep * g->P; break;
    case KIND_A:    c->npop = g->groups * g->prow; c->weight = rep * g->kcol; c->opsw = rep * g->Kg; break;
    case KIND_DUAL: c->npop = g->groups * g->prow * g->kcol; c->weight = rep; c->opsw = rep; break;
    default: break;
    }
    return DSE_OK;
}

/* Allocate what scheduling tiles needs (not done for the closed form or a
 * cache hit). */
static void ctx_scratch(ctx *c, const dse_layer *L)
{
    const geom *g = &c->g;
    side_scratch(&c->w, L);
    side_scratch(&c->a, L);
    if (c->k == KIND_W || c->k == KIND_DUAL) dse_tile_alloc(&c->wt, g->cols, g->T, g->lanes);
    if (c->k == KIND_A || c->k == KIND_DUAL) dse_tile_alloc(&c->at, g->rows, g->T, g->lanes);
}

static void ctx_free(ctx *c)
{
    side_free(&c->w);
    side_free(&c->a);
    if (c->wt.bits) dse_tile_free(&c->wt);
    if (c->at.bits) dse_tile_free(&c->at);
}

/* ---- tile estimates and the cache ---- */

typedef struct est {
    double mean, half;       /* cycles per tile and CI half-width (0 when exact) */
    double var;              /* variance of the mean (its standard error squared; 0 when exact) */
    double borrowed, unit_borrowed; /* mean per tile */
    long ntiles;
    int exact;
} est;

struct dse_perf_cache { dse_memo *m; };

dse_perf_cache *dse_perf_cache_new(void)
{
    dse_perf_cache *c = dse_xcalloc(1, sizeof *c);
    c->m = dse_memo_new(sizeof(est));
    return c;
}

void dse_perf_cache_free(dse_perf_cache *c)
{
    if (!c) return;
    dse_memo_free(c->m);
    free(c);
}

void dse_perf_cache_stats(const dse_perf_cache *c, uint64_t *lookups, uint64_t *hits)
{
    dse_memo_stats(c->m, lookups, hits);
}

static int cache_get(dse_perf_cache *c, uint64_t k1, uint64_t k2, est *v) { return dse_memo_get(c->m, k1, k2, v); }
static void cache_put(dse_perf_cache *c, uint64_t k1, uint64_t k2, const est *v) { dse_memo_put(c->m, k1, k2, v); }

/* Hash of everything a tile estimate depends on: the scheduler
 * configuration of the sides in use, the geometry that shapes the tile
 * population, the sparsity sources in use, the layer, seed and the
 * sampling settings. Two seeds give two independent hashes (k1, k2). */
static void hash_sp(uint64_t *h, const dse_sparsity *sp)
{
    if (!sp) { int z = -1; *h = dse_fnv1a(*h, &z, sizeof z); return; }
    int iv[3] = {(int)sp->dist, sp->n, sp->m};
    double dv[3] = {sp->density, sp->spread, sp->run};
    *h = dse_fnv1a(*h, iv, sizeof iv);
    *h = dse_fnv1a(*h, dv, sizeof dv);
    if (sp->dist == DSE_DIST_NPY) {
        *h = dse_fnv1a(*h, sp->path, strlen(sp->path));
        if (sp->mask) *h = dse_fnv1a(*h, sp->mask->d, sizeof sp->mask->d);
    }
}

static void hash_win(uint64_t *h, const dse_window *w)
{
    int v[4] = {w->lookahead, w->lookaside, w->unit, (int)w->shape};
    *h = dse_fnv1a(*h, v, sizeof v);
}

static uint64_t est_key(const ctx *c, const dse_layer *L, const dse_perf_opts *o, uint64_t init)
{
    const geom *g = &c->g;
    uint64_t h = init;
    int k = (int)c->k;
    h = dse_fnv1a(h, &k, sizeof k);
    if (c->k != KIND_A) hash_win(&h, &c->cfg->w);
    if (c->k != KIND_W) hash_win(&h, &c->cfg->a);
    if (c->k == KIND_DUAL) { int org = (int)c->cfg->org; h = dse_fnv1a(h, &org, sizeof org); }
    h = dse_fnv1a(h, &c->cfg->rows_per_cycle, sizeof c->cfg->rows_per_cycle);
    int gv[9] = {g->lanes, c->k != KIND_A ? g->cols : 0, c->k != KIND_W ? g->rows : 0,
                 c->k != KIND_W ? g->P : 0, c->k != KIND_A ? g->Kg : 0, g->Cg, g->R, g->S, g->groups};
    h = dse_fnv1a(h, gv, sizeof gv);
    hash_sp(&h, c->k != KIND_A ? c->w.sp : NULL);
    hash_sp(&h, c->k != KIND_W ? c->a.sp : NULL);
    h = dse_fnv1a(h, L->name, strlen(L->name));
    h = dse_fnv1a(h, &o->seed, sizeof o->seed);
    double pv = o->precision;
    int tv[2] = {o->min_tiles, o->max_tiles};
    h = dse_fnv1a(h, &pv, sizeof pv);
    h = dse_fnv1a(h, tv, sizeof tv);
    return h;
}

/* Two-sided 95% Student t quantile with df degrees of freedom. */
static double t975(long df)
{
    static const double tab[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return INFINITY;
    if (df <= 30) return tab[df - 1];
    double z = 1.959964, n = (double)df;   /* Cornish-Fisher expansion */
    return z + (z * z * z + z) / (4 * n) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

/* Every tile of the population (full reference). */
static int estimate_full(ctx *c, est *v)
{
    double sc = 0, sb = 0, su = 0;
    for (long i = 0; i < c->npop; i++) {
        tres t;
        int rc = run_tile(c, i, &t);
        if (rc) return rc;
        sc += t.cycles; sb += t.borrowed; su += t.unit_borrowed;
    }
    v->mean = sc / (double)c->npop;
    v->borrowed = sb / (double)c->npop;
    v->unit_borrowed = su / (double)c->npop;
    v->half = v->var = 0;
    v->ntiles = c->npop;
    v->exact = 1;
    return DSE_OK;
}

/* A permutation of 0..N-1 that only stores the entries a Fisher-Yates
 * shuffle has swapped (open addressing; an absent key i holds i), so a
 * sample of n tiles costs O(n) memory whatever the population. */
typedef struct lperm { long *key, *val; size_t cap, n; } lperm;

static long *lperm_slot(const lperm *p, long i)
{
    size_t h = (size_t)((uint64_t)i * 0x9e3779b97f4a7c15ULL >> 20) & (p->cap - 1);
    while (p->key[h] >= 0 && p->key[h] != i) h = (h + 1) & (p->cap - 1);
    return &p->key[h];
}

static long lperm_get(const lperm *p, long i)
{
    if (!p->cap) return i;
    long *k = lperm_slot(p, i);
    return *k == i ? p->val[k - p->key] : i;
}

static void lperm_set(lperm *p, long i, long v)
{
    if (2 * (p->n + 1) > p->cap) {
        lperm q = {NULL, NULL, p->cap ? 2 * p->cap : 64, 0};
        q.key = dse_xmalloc(q.cap * sizeof *q.key);
        q.val = dse_xmalloc(q.cap * sizeof *q.val);
        for (size_t j = 0; j < q.cap; j++) q.key[j] = -1;
        for (size_t j = 0; j < p->cap; j++)
            if (p->key[j] >= 0) lperm_set(&q, p->key[j], p->val[j]);
        free(p->key); free(p->val);
        *p = q;
    }
    long *k = lperm_slot(p, i);
    if (*k < 0) { *k = i; p->n++; }
    p->val[k - p->key] = v;
}

/* One layer's sequential sample (a stratum): tiles drawn without
 * replacement in the order of a shuffle driven by a stream keyed by
 * (seed, key, layer), with the running mean and variance of their cycles. */
typedef struct strat {
    ctx *c;
    long N, n;           /* population, tiles drawn */
    lperm perm;
    dse_rng pr;
    double mean, m2, sb, su;
} strat;

static void strat_init(strat *s, ctx *c, uint64_t seed, uint64_t key, uint64_t lh)
{
    memset(s, 0, sizeof *s);
    s->c = c; s->N = c->npop;
    dse_rng_seed(&s->pr, dse_rng_key(seed, key, lh, 0x7065726dULL));
}

static void strat_free(strat *s) { free(s->perm.key); free(s->perm.val); memset(&s->perm, 0, sizeof s->perm); }

/* The whole population has been drawn: the mean is exact. */
static int strat_done(const strat *s) { return s->n == s->N; }

/* Schedule one more tile. */
static int strat_draw(strat *s)
{
    long j = s->n + (long)dse_rng_below(&s->pr, (uint64_t)(s->N - s->n));
    long idx = lperm_get(&s->perm, j);
    lperm_set(&s->perm, j, lperm_get(&s->perm, s->n));
    tres t;
    int rc = run_tile(s->c, idx, &t);
    if (rc) return rc;
    s->n++;
    double dlt = t.cycles - s->mean;
    s->mean += dlt / (double)s->n;
    s->m2 += dlt * (t.cycles - s->mean);
    s->sb += t.borrowed; s->su += t.unit_borrowed;
    return DSE_OK;
}

/* Sample variance of the tile cycles (n >= 2). Cycles are integers: when
 * every tile drawn so far took the same count, the share of tiles that
 * differ (by at least one cycle) is below 3/n at 95% confidence (the rule
 * of three), so the variance is taken as 3/n cycles^2, not 0 -- a layer of
 * short tiles that happen to agree keeps being sampled. */
static double strat_s2(const strat *s)
{
    return s->m2 > 0 ? s->m2 / (double)(s->n - 1) : 3.0 / (double)s->n;
}

/* Standard error of the mean tile cycles, finite-population corrected
 * (0 when exact, and while fewer than two tiles are drawn). */
static double strat_se(const strat *s)
{
    if (s->n < 2 || strat_done(s)) return 0;
    double fpc = sqrt((double)(s->N - s->n) / (double)(s->N - 1));
    return sqrt(strat_s2(s) / (double)s->n) * fpc;
}

static void strat_est(const strat *s, est *v)
{
    double se = strat_se(s);
    v->mean = s->mean;
    v->half = s->n > 1 ? t975(s->n - 1) * se : 0;
    v->var = se * se;
    v->borrowed = s->sb / (double)s->n;
    v->unit_borrowed = s->su / (double)s->n;
    v->ntiles = s->n;
    v->exact = strat_done(s);
}

/* Layer scope: sample until the layer's own 95% CI half-width
 * t_{n-1} s / sqrt(n) * sqrt((N - n) / (N - 1)) is at most precision *
 * mean, between min_tiles and max_tiles; exact when the population runs out. */
static int estimate_sampled(ctx *c, const dse_perf_opts *o, uint64_t key, uint64_t lh, est *v)
{
    int lo = o->min_tiles > 2 ? o->min_tiles : 2, hi = o->max_tiles > lo ? o->max_tiles : lo;
    if (c->npop <= lo) return estimate_full(c, v);
    strat s;
    strat_init(&s, c, o->seed, key, lh);
    int rc;
    for (;;) {
        if ((rc = strat_draw(&s)) || strat_done(&s)) break;
        if (s.n < lo) continue;
        if (t975(s.n - 1) * strat_se(&s) <= o->precision * s.mean || s.n >= hi) break;
    }
    if (!rc) strat_est(&s, v);
    strat_free(&s);
    return rc;
}

/* 95% half-width of a network total sum_h W_h mean_h from stratified
 * samples: t with Satterthwaite's degrees of freedom. */
static double net_half(const est *v, const double *W, int nl)
{
    double var = 0, den = 0;
    for (int h = 0; h < nl; h++) {
        double vh = W[h] * W[h] * v[h].var;
        var += vh;
        if (v[h].ntiles > 1) den += vh * vh / (double)(v[h].ntiles - 1);
    }
    if (!(var > 0)) return 0;
    double df = den > 0 ? var * var / den : 1;
    return t975(df >= 1 ? (long)df : 1) * sqrt(var);
}

/* Network scope (docs/perf.md): every layer is a stratum. A pilot of
 * min_tiles tiles per layer, then rounds of Neyman allocation (tiles in
 * proportion to W_h s_h, at most doubling a layer per round; one more tile
 * to the layer of largest variance when the targets add none) until the
 * network total's 95% half-width is at most precision x the total, or every
 * layer is exact or at max_tiles. W_h = layer cycles per unit of mean tile
 * cycles. */
static int estimate_network(strat *S, int nl, const double *W, const dse_perf_opts *o, est *v)
{
    int lo = o->min_tiles > 2 ? o->min_tiles : 2, hi = o->max_tiles > lo ? o->max_tiles : lo, rc;
    for (int h = 0; h < nl; h++)
        while (S[h].n < lo && !strat_done(&S[h]))
            if ((rc = strat_draw(&S[h]))) return rc;
    for (;;) {
        double tot = 0, sdsum = 0;
        for (int h = 0; h < nl; h++) {
            strat_est(&S[h], &v[h]);
            tot += W[h] * S[h].mean;
            if (!strat_done(&S[h]) && S[h].n < hi && S[h].n > 1)
                sdsum += W[h] * sqrt(strat_s2(&S[h]));
        }
        double half = net_half(v, W, nl);
        if (half <= o->precision * tot || !(sdsum > 0)) return DSE_OK;
        /* tiles needed overall: (half / target)^2 times those drawn so far, in Neyman shares */
        long drawn = 0;
        for (int h = 0; h < nl; h++) drawn += S[h].n;
        double need = (double)drawn * (half / (o->precision * tot)) * (half / (o->precision * tot));
        int added = 0, worst = -1;
        double wv = 0;
        for (int h = 0; h < nl; h++) {
            if (strat_done(&S[h]) || S[h].n >= hi || S[h].n < 2) continue;
            double sd = W[h] * sqrt(strat_s2(&S[h])), vh = W[h] * W[h] * v[h].var;
            if (vh > wv) { wv = vh; worst = h; }
            double want = ceil(need * sd / sdsum);
            long target = (long)fmin(fmin(want, 2.0 * (double)S[h].n), (double)hi);
            while (S[h].n < target && !strat_done(&S[h])) {
                if ((rc = strat_draw(&S[h]))) return rc;
                added = 1;
            }
        }
        if (!added) {
            if (worst < 0) return DSE_OK;
            if ((rc = strat_draw(&S[worst]))) return rc;
        }
    }
}

/* ---- closed form (the chains are in chain.c; derivation in docs/perf.md) ---- */

/* Closed-form speedup of one lock-step group of the layer (the density
 * bound applied); d receives the effectual density. */
static double cf_group(const ctx *c, double *dout)
{
    const geom *g = &c->g;
    double dw = c->w.sp ? c->w.sp->density : 1, da = c->a.sp ? c->a.sp->density : 1, s = 1, d = 1;
    int L = g->lanes, cg = g->Cg, nb = g->nblk;
    int fc = g->Kg < g->cols ? g->Kg : g->cols, fr = g->P < g->rows ? g->P : g->rows;  /* real units */
    if (c->k == KIND_W) {
        s = dse_chain_speedup(&c->cfg->w, fc, L, cg, nb, g->T, dw, c->w.sp, DSE_CHAIN_TYPES, 1, 1, 0);
        d = dw;
    } else if (c->k == KIND_A) {
        s = dse_chain_speedup(&c->cfg->a, fr, L, cg, nb, g->T, da, c->a.sp, 0, 1, 1, 2);
        d = da;
    } else if (c->k == KIND_DUAL) {
        /* cascaded: weights compacted offline (a set of cols filters), then the
         * compacted pair stream borrowed online by the whole array; joint: one
         * online window over pairs of density dw * da */
        double s1 = 1, dp = dw * da;
        int cg2 = cg, nb2 = nb;
        if (c->cfg->org == DSE_DUAL_CASCADED) {
            s1 = dse_chain_speedup(&c->cfg->w, fc, L, cg, nb, g->T, dw, c->w.sp, DSE_CHAIN_TYPES, 1, 1, 0);
            dp = fmin(1, dw * s1) * da;
            if (nb == 1 && cg < L) {   /* narrow rows stay narrow: ~cg dw s1 weights a row */
                cg2 = (int)lround(fmin(L, fmax(1, cg * dw * s1)));
                dp = da;
            }
        }
        /* pairs of a column share their weights, of a row their activations:
         * the array holds about rows^(1 - rho_col) * cols^(1 - rho_row)
         * independent units, rho = the correlation of two pair counts that
         * share the weight (column) or the activation (row) operand */
        double wq = fmin(1, dp / da), pq = wq * da;  /* weight density the online stage sees */
        double rc = pq < 1 ? da * (1 - wq) / (1 - pq) : 1, rr = pq < 1 ? wq * (1 - da) / (1 - pq) : 1;
        double units = pow(fr, 1 - rc) * pow(fc, 1 - rr);
        int F2 = (int)lround(fmax(1, units));
        long T2 = g->T;
        if (c->cfg->org == DSE_DUAL_CASCADED) {
            /* the compacted stream has T / s1 rows: its cycles, linear
             * between the two neighbouring whole row counts */
            double tf = fmax(1, g->T / s1), t0 = floor(tf), fr2 = tf - t0, cyc = 0;
            /* filters of uneven density (Beta weights): filter j fills
             * min(1, d_j s1) of the compacted slots (all filters take the
             * set's T / s1 cycles), so the online stage sees the filters'
             * density types scaled by s1, times d_a: the densest filters
             * (near-full compacted rows) stall the array */
            int wtypes = c->w.sp && c->w.sp->dist == DSE_DIST_BETA && c->w.sp->spread > 0 && cg2 == cg;
            for (int i = 0; i < 2; i++) {
                double wgt = i ? fr2 : 1 - fr2;
                if (wgt <= 0) continue;
                long tr = (long)t0 + i;
                double st = wtypes ? dse_chain_speedup(&c->cfg->a, F2, L, cg2, nb2, tr, dp, c->w.sp, DSE_CHAIN_CTYPES, s1, da, 1)
                                   : dse_chain_speedup(&c->cfg->a, F2, L, cg2, nb2, tr, dp, c->a.sp, 0, wq, 1, 1);
                cyc += wgt * (double)tr / st;
            }
            s = g->T / cyc;
        } else if (dw >= 1)   /* joint over dense weights: the activation source itself */
            s = dse_chain_speedup(&c->cfg->a, F2, L, cg2, nb2, T2, dp, c->a.sp, 0, 1, 1, 1);
        else   /* joint: the filters' density spread, times the activation density */
            s = dse_chain_speedup(&c->cfg->a, F2, L, cg2, nb2, T2, dp, c->w.sp, DSE_CHAIN_TYPES, da, 1, 1);
        d = dw * da;
    }
    double fill = (double)g->Cg / ((double)g->nblk * g->lanes);   /* real-lane fraction */
    double cap = 1 / (d * fill);
    *dout = d;
    return s > cap ? cap : s;
}

static void closed_form(const ctx *c, est *v, double *wb, double *ab, double *ub)
{
    const geom *g = &c->g;
    double d, s;
    const dse_sparsity *as = c->a.sp;
    if (as && as->dist == DSE_DIST_BETA && as->spread > 0 && as->density < 1 && g->Cg == 1 && c->k != KIND_W) {
        /* one input channel per group (depthwise): every unit of a group
         * sees that channel's density, drawn once per layer, so the group
         * cycles are a mixture over the Beta law, not one mean density */
        double dens[DSE_CHAIN_TYPES], wts[DSE_CHAIN_TYPES], cyc = 0, dd;
        int J = dse_chain_density_types(as, DSE_CHAIN_TYPES, dens, wts);
        ctx cc = *c;
        dse_sparsity b = *as;
        b.dist = DSE_DIST_BERNOULLI;
        b.spread = 0;
        cc.a.sp = &b;
        for (int j = 0; j < J; j++) {
            b.density = dens[j];
            cyc += wts[j] * g->T / cf_group(&cc, &dd);
        }
        s = g->T / cyc;
        d = (c->w.sp ? c->w.sp->density : 1) * as->density;
    } else
        s = cf_group(c, &d);
    v->mean = fmax(g->T / s, bw_floor(c));
    v->half = 0;
    v->ntiles = 0;
    v->exact = 0;
    /* operations moved: nonzeros not executed at home, about 1 - 1/s of them */
    double nz = (double)g->Cg * g->R * g->S * d, moved = nz * (1 - 1 / s);
    *wb = *ab = *ub = 0;
    if (c->k == KIND_W) *wb = moved * g->Kg * g->groups * g->P;
    if (c->k == KIND_A) *ab = moved * g->P * g->groups * g->Kg;
    if (c->k == KIND_DUAL) *wb = *ab = moved * g->P * g->Kg * g->groups;   /* one repeat */
}

/* ---- the layer ---- */

/* Check L, set up c and the parts of out every fidelity shares; *dense is
 * set when the mode borrows on no side (out is then complete). */
static int layer_begin(const dse_point *p, const dse_config *cfg, const dse_layer *L, const dse_perf_opts *o,
                       ctx *c, uint64_t *lh, dse_perf *out, int *dense, dse_err *e)
{
    memset(out, 0, sizeof *out);
    memset(c, 0, sizeof *c);
    if (L->P <= 0 || L->K <= 0 || L->Cin <= 0 || L->R <= 0 || L->S <= 0 || L->groups <= 0 ||
        L->K % L->groups || L->Cin % L->groups)
        return dse_errf(e, DSE_EINPUT, "layer %s: bad shape", L->name);
    *lh = dse_fnv1a(DSE_FNV_INIT, L->name, strlen(L->name));
    int rc = ctx_init(c, p, cfg, L, o->seed, *lh, e);
    if (rc) return rc;
    const geom *g = &c->g;
    double dw = cfg->wsparse ? L->w.density : 1, da = cfg->asparse ? L->a.density : 1;
    out->dense_cycles = (double)g->repeat * g->groups * g->prow * g->kcol * g->T;
    out->macs = (double)g->repeat * g->P * L->K * g->Cg * g->R * g->S;
    out->eff_macs = out->macs * dw * da;
    out->sram_cycles = out->dense_cycles / g->T * bw_floor(c);
    *dense = c->k == KIND_DENSE;
    if (*dense) out->cycles = out->cycles_lo = out->cycles_hi = out->dense_cycles;
    /* the schedulers' tiles (sampled and full fidelity) are bounded */
    if (!*dense && o->fidelity != DSE_FID_CLOSED) {
        double units = (c->k == KIND_W ? 0 : g->rows) + (c->k == KIND_A ? 0 : g->cols);
        double bytes = units * g->T * g->lanes;
        if (bytes > DSE_PERF_MAX_TILE_BYTES)
            return dse_errf(e, DSE_EINPUT, "layer %s: its scheduler tiles take %.3g GiB (%d steps x %d lanes),"
                            " beyond the bound of %.0f GiB; evaluate it at fidelity closed-form",
                            L->name, bytes / (1 << 30), g->T, g->lanes, DSE_PERF_MAX_TILE_BYTES / (1 << 30));
    }
    return DSE_OK;
}

/* Layer cycles per unit of mean tile cycles. */
static double layer_w(const ctx *c) { return c->weight * (double)c->npop; }

/* Fill out from a tile estimate (sampled or full). */
static void layer_finish(const ctx *c, const est *v, dse_perf *out)
{
    double tot = layer_w(c);
    out->cycles = tot * v->mean;
    out->cycles_lo = tot * (v->mean - v->half);
    out->cycles_hi = tot * (v->mean + v->half);
    double b = (double)c->npop * c->opsw * v->borrowed, u = (double)c->npop * c->opsw * v->unit_borrowed;
    if (c->k == KIND_W) out->w_borrowed = b;
    else if (c->k == KIND_A) out->a_borrowed = b;
    else out->w_borrowed = out->a_borrowed = b;
    out->unit_borrowed = u;
    out->tiles = (double)v->ntiles;
    out->population = (double)c->npop;
}

/* Two independent cache keys of a layer's tile estimate. */
static void layer_keys(const ctx *c, const dse_layer *L, const dse_perf_opts *o, uint64_t salt, uint64_t *k1, uint64_t *k2)
{
    *k1 = est_key(c, L, o, DSE_FNV_INIT ^ salt);
    *k2 = est_key(c, L, o, 0x84222325cbf29ce4ULL ^ salt);
}

int dse_perf_layer(const dse_point *p, const dse_config *cfg, const dse_layer *L,
                   const dse_perf_opts *o, dse_perf *out, dse_err *e)
{
    ctx c;
    uint64_t lh, k1, k2;
    int dense, rc = layer_begin(p, cfg, L, o, &c, &lh, out, &dense, e);
    if (rc || dense) { ctx_free(&c); return rc; }
    const geom *g = &c.g;
    est v;
    memset(&v, 0, sizeof v);
    if (o->fidelity == DSE_FID_CLOSED) {
        double wb, ab, ub;
        layer_keys(&c, L, o, 0xc1, &k1, &k2);
        if (!o->cache || !cache_get(o->cache, k1, k2, &v)) {
            closed_form(&c, &v, &wb, &ab, &ub);
            v.borrowed = wb; v.unit_borrowed = ab;   /* the cache entry carries both totals */
            if (o->cache) cache_put(o->cache, k1, k2, &v);
        }
        wb = v.borrowed; ab = v.unit_borrowed; ub = 0;
        wb *= g->repeat; ab *= g->repeat;
        out->cycles = out->cycles_lo = out->cycles_hi = out->dense_cycles / ((double)g->T / v.mean);
        out->w_borrowed = wb; out->a_borrowed = ab; out->unit_borrowed = ub;
        ctx_free(&c);
        return DSE_OK;
    }
    if (o->fidelity == DSE_FID_FULL) {
        ctx_scratch(&c, L);
        rc = estimate_full(&c, &v);
    } else {
        layer_keys(&c, L, o, 0, &k1, &k2);
        if (!o->cache || !cache_get(o->cache, k1, k2, &v)) {
            ctx_scratch(&c, L);
            rc = estimate_sampled(&c, o, k1, lh, &v);
            if (!rc && o->cache) cache_put(o->cache, k1, k2, &v);
        }
    }
    if (!rc) layer_finish(&c, &v, out);
    ctx_free(&c);
    return rc ? dse_errf(e, DSE_EMODEL, "layer %s: scheduler failed (%d)", L->name, rc) : DSE_OK;
}

/* One layer of network_sampled. */
typedef struct nlayer {
    ctx c;
    uint64_t k1, k2, lh;   /* the layer's own keys (its tile order), layer-name hash */
} nlayer;

/* Network scope, sampled: the layers that borrow are the strata of one
 * sample (estimate_network), each drawing its tiles in the order layer
 * scope would; the cache holds each layer's estimate under its key mixed
 * with a hash of every borrowing layer's key (the allocation depends on
 * the whole network), and the network is recomputed unless all hit. */
static int network_sampled(const dse_point *p, const dse_config *cfg, const dse_network *n,
                           const dse_perf_opts *o, dse_perf *out, double *half, dse_err *e)
{
    int nl = n->nlayers, rc = DSE_OK, ns = 0, nst = 0, hits = 0;
    size_t m = (size_t)(nl > 0 ? nl : 1);
    nlayer *ly = dse_xcalloc(m, sizeof *ly);
    int *idx = dse_xcalloc(2 * m, sizeof *idx), *of = idx + m;   /* borrowing j -> layer; stratum -> j */
    double *W = dse_xcalloc(2 * m, sizeof *W), *sw = W + m;      /* per borrowing layer; per stratum */
    est *v = dse_xcalloc(2 * m, sizeof *v), *sv = v + m;
    strat *st = dse_xcalloc(m, sizeof *st);
    uint64_t n1 = DSE_FNV_INIT ^ 0x6e, n2 = 0x84222325cbf29ce4ULL ^ 0x6e;
    for (int i = 0; i < nl && !rc; i++) {
        nlayer *l = &ly[i];
        int dense;
        if ((rc = layer_begin(p, cfg, &n->layers[i], o, &l->c, &l->lh, &out[i], &dense, e)) || dense) continue;
        layer_keys(&l->c, &n->layers[i], o, 0, &l->k1, &l->k2);
        n1 = dse_fnv1a(n1, &l->k1, sizeof l->k1);
        n2 = dse_fnv1a(n2, &l->k2, sizeof l->k2);
        W[ns] = layer_w(&l->c);
        idx[ns++] = i;
    }
#define NKEY1(j) dse_fnv1a(ly[idx[j]].k1, &n1, sizeof n1)
#define NKEY2(j) dse_fnv1a(ly[idx[j]].k2, &n2, sizeof n2)
    for (int j = 0; j < ns && !rc && o->cache; j++) hits += cache_get(o->cache, NKEY1(j), NKEY2(j), &v[j]);
    if (!rc && (!o->cache || hits < ns)) {
        /* small populations are scheduled whole; the rest are strata */
        int lo = o->min_tiles > 2 ? o->min_tiles : 2;
        for (int j = 0; j < ns && !rc; j++) {
            nlayer *l = &ly[idx[j]];
            ctx_scratch(&l->c, &n->layers[idx[j]]);
            if (l->c.npop <= lo) rc = estimate_full(&l->c, &v[j]);
            else { strat_init(&st[nst], &l->c, o->seed, l->k1, l->lh); sw[nst] = W[j]; of[nst++] = j; }
        }
        if (!rc) rc = estimate_network(st, nst, sw, o, sv);
        for (int k = 0; k < nst && !rc; k++) v[of[k]] = sv[k];
        for (int j = 0; j < ns && !rc && o->cache; j++) cache_put(o->cache, NKEY1(j), NKEY2(j), &v[j]);
        if (rc) rc = dse_errf(e, DSE_EMODEL, "network %s: scheduler failed (%d)", n->name, rc);
    }
#undef NKEY1
#undef NKEY2
    if (!rc) {
        for (int j = 0; j < ns; j++) layer_finish(&ly[idx[j]].c, &v[j], &out[idx[j]]);
        *half = net_half(v, W, ns);
    }
    for (int k = 0; k < nst; k++) strat_free(&st[k]);
    for (int i = 0; i < nl; i++) ctx_free(&ly[i].c);
    free(ly); free(idx); free(W); free(v); free(st);
    return rc;
}

int dse_perf_network(const dse_point *p, const dse_config *cfg, const dse_network *n,
                     const dse_perf_opts *o, dse_perf *out, double *half, dse_err *e)
{
    *half = 0;
    if (o->fidelity == DSE_FID_SAMPLED && o->scope == DSE_SCOPE_NETWORK)
        return network_sampled(p, cfg, n, o, out, half, e);
    /* layers estimated independently: half-widths combine in quadrature */
    double var = 0;
    for (int i = 0; i < n->nlayers; i++) {
        int rc = dse_perf_layer(p, cfg, &n->layers[i], o, &out[i], e);
        if (rc) return rc;
        var += (out[i].cycles_hi - out[i].cycles) * (out[i].cycles_hi - out[i].cycles);
    }
    *half = sqrt(var);
    return DSE_OK;
}
