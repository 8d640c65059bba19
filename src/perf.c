/* perf.c -- layer cycles and activity: full-layer reference, sampled tiles with a 95% CI and a cache, closed form. */
#include "perf.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
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

static kind mode_kind(const dse_config *c)
{
    int wb = c->wsparse && borrows(&c->w), ab = c->asparse && borrows(&c->a);
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

static void side_init(side *s, const dse_sparsity *sp, int is_w, uint64_t seed, uint64_t lh, const dse_layer *L,
                      int tiles)
{
    s->sp = sp;
    s->is_w = is_w;
    s->key = dse_rng_key(seed, lh, is_w ? 0x57 : 0x41, 0);
    s->chd = NULL;
    s->vec = NULL;
    s->pd = NULL;
    if (!tiles) return;                      /* closed form: no tiles to fill */
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
    out->cycles = (double)st.cycles;
    out->borrowed = (double)st.borrowed;
    out->unit_borrowed = (double)st.unit_borrowed;
    return rc;
}

static int ctx_init(ctx *c, const dse_point *p, const dse_config *cfg, const dse_layer *L, uint64_t seed,
                    uint64_t lh, int tiles, dse_err *e)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    geom_init(&c->g, p, L);
    c->k = mode_kind(cfg);
    const geom *g = &c->g;
    const dse_sparsity *ws = cfg->wsparse ? &L->w : NULL, *as = cfg->asparse ? &L->a : NULL;
    if (ws && ws->dist == DSE_DIST_NPY) {
        const dse_mask *m = ws->mask;
        if (!m || m->d[0] != L->K || m->d[1] != g->Cg || m->d[2] != L->R || m->d[3] != L->S)
            return dse_errf(e, DSE_EINPUT, "layer %s: weight mask missing or not (K, Cin/groups, R, S)", L->name);
    }
    if (as && as->dist == DSE_DIST_NPY && (!as->mask || as->mask->d[1] != L->Cin))
        return dse_errf(e, DSE_EINPUT, "layer %s: activation mask missing or not Cin channels", L->name);
    side_init(&c->w, ws, 1, seed, lh, L, tiles);
    side_init(&c->a, as, 0, seed, lh, L, tiles);
    if (tiles && (c->k == KIND_W || c->k == KIND_DUAL)) dse_tile_alloc(&c->wt, g->cols, g->T, g->lanes);
    if (tiles && (c->k == KIND_A || c->k == KIND_DUAL)) dse_tile_alloc(&c->at, g->rows, g->T, g->lanes);
    double rep = g->repeat;
    switch (c->k) {
    case KIND_W:    c->npop = g->groups * g->kcol; c->weight = rep * g->prow; c->opsw = rep * g->P; break;
    case KIND_A:    c->npop = g->groups * g->prow; c->weight = rep * g->kcol; c->opsw = rep * g->Kg; break;
    case KIND_DUAL: c->npop = g->groups * g->prow * g->kcol; c->weight = rep; c->opsw = rep; break;
    default: break;
    }
    return DSE_OK;
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
    double borrowed, unit_borrowed; /* mean per tile */
    long ntiles;
    int exact;
} est;

typedef struct centry { uint64_t k1, k2; est v; int used; } centry;

struct dse_perf_cache {
    pthread_mutex_t mu;
    centry *tab;
    size_t cap, n;
    uint64_t lookups, hits;
};

dse_perf_cache *dse_perf_cache_new(void)
{
    dse_perf_cache *c = dse_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->cap = 256;
    c->tab = dse_xcalloc(c->cap, sizeof *c->tab);
    return c;
}

void dse_perf_cache_free(dse_perf_cache *c)
{
    if (!c) return;
    pthread_mutex_destroy(&c->mu);
    free(c->tab);
    free(c);
}

void dse_perf_cache_stats(const dse_perf_cache *c, uint64_t *lookups, uint64_t *hits)
{
    pthread_mutex_t *mu = (pthread_mutex_t *)&c->mu;
    pthread_mutex_lock(mu);
    if (lookups) *lookups = c->lookups;
    if (hits) *hits = c->hits;
    pthread_mutex_unlock(mu);
}

static centry *cache_slot(centry *tab, size_t cap, uint64_t k1, uint64_t k2)
{
    size_t i = (size_t)(k1 & (cap - 1));
    while (tab[i].used && !(tab[i].k1 == k1 && tab[i].k2 == k2)) i = (i + 1) & (cap - 1);
    return &tab[i];
}

static int cache_get(dse_perf_cache *c, uint64_t k1, uint64_t k2, est *v)
{
    pthread_mutex_lock(&c->mu);
    c->lookups++;
    centry *s = cache_slot(c->tab, c->cap, k1, k2);
    int hit = s->used;
    if (hit) { *v = s->v; c->hits++; }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

static void cache_put(dse_perf_cache *c, uint64_t k1, uint64_t k2, const est *v)
{
    pthread_mutex_lock(&c->mu);
    if (2 * (c->n + 1) > c->cap) {
        size_t ncap = c->cap * 2;
        centry *nt = dse_xcalloc(ncap, sizeof *nt);
        for (size_t i = 0; i < c->cap; i++)
            if (c->tab[i].used) *cache_slot(nt, ncap, c->tab[i].k1, c->tab[i].k2) = c->tab[i];
        free(c->tab);
        c->tab = nt;
        c->cap = ncap;
    }
    centry *s = cache_slot(c->tab, c->cap, k1, k2);
    if (!s->used) { s->used = 1; s->k1 = k1; s->k2 = k2; s->v = *v; c->n++; }
    pthread_mutex_unlock(&c->mu);
}

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
    v->half = 0;
    v->ntiles = c->npop;
    v->exact = 1;
    return DSE_OK;
}

/* Sequential sampling without replacement (a lazily shuffled population;
 * with replacement beyond DSE_PERF_PERM tiles) until the 95% CI half-width
 * t_{n-1} s / sqrt(n) * sqrt((N - n) / (N - 1)) is at most precision *
 * mean, between min_tiles and max_tiles; exact when the population runs out. */
#define DSE_PERF_PERM (1L << 22)
static int estimate_sampled(ctx *c, const dse_perf_opts *o, uint64_t key, uint64_t lh, est *v)
{
    int lo = o->min_tiles > 2 ? o->min_tiles : 2, hi = o->max_tiles > lo ? o->max_tiles : lo;
    if (c->npop <= lo) return estimate_full(c, v);
    long N = c->npop, *perm = NULL;
    if (N <= DSE_PERF_PERM) {
        perm = dse_xmalloc(sizeof *perm * (size_t)N);
        for (long i = 0; i < N; i++) perm[i] = i;
    }
    dse_rng pr;
    dse_rng_seed(&pr, dse_rng_key(o->seed, key, lh, 0x7065726dULL));
    double mean = 0, m2 = 0, sb = 0, su = 0;
    long n = 0;
    int rc = DSE_OK;
    for (;;) {
        long idx;
        if (perm) {
            long j = n + (long)dse_rng_below(&pr, (uint64_t)(N - n));
            idx = perm[j]; perm[j] = perm[n]; perm[n] = idx;
        } else {
            dse_rng r;
            dse_rng_seed(&r, dse_rng_key(o->seed, key, lh, (uint64_t)n));
            idx = (long)dse_rng_below(&r, (uint64_t)N);
        }
        tres t;
        if ((rc = run_tile(c, idx, &t))) break;
        n++;
        double dlt = t.cycles - mean;
        mean += dlt / (double)n;
        m2 += dlt * (t.cycles - mean);
        sb += t.borrowed; su += t.unit_borrowed;
        if (perm && n == N) { v->half = 0; break; }     /* the whole population: exact */
        if (n < lo) continue;
        double fpc = perm ? sqrt((double)(N - n) / (double)(N - 1)) : 1;
        double half = t975(n - 1) * sqrt(m2 / (double)(n - 1) / (double)n) * fpc;
        if (half <= o->precision * mean || n >= hi) { v->half = half; break; }
    }
    free(perm);
    if (rc) return rc;
    v->mean = mean;
    v->borrowed = sb / (double)n;
    v->unit_borrowed = su / (double)n;
    v->ntiles = n;
    v->exact = perm && n == N;
    return DSE_OK;
}

/* ---- closed form (derivation in docs/perf.md) ---- */

/* Row-count law of one pool with nr real lanes: q[k] = P(k nonzeros in a
 * row), k = 0..nr (q has g + 1 >= nr + 1 entries, the rest zero). */
static void row_law(double *q, int g, int nr, double d, const dse_sparsity *sp)
{
    for (int k = 0; k <= g; k++) q[k] = 0;
    if (sp && sp->dist == DSE_DIST_NM && sp->m > 0 && sp->n >= 0 && sp->n <= sp->m) {
        /* exactly n of every m: whole chunks, then a part of one chunk
         * (hypergeometric: rem of its m positions, n of them nonzero) */
        int m = sp->m, n = sp->n, base = nr / m * n, rem = nr % m;
        for (int k = 0; k <= rem && k <= n; k++) {
            if (rem - k > m - n) continue;
            double lp = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + lgamma(m - n + 1.0) -
                        lgamma(rem - k + 1.0) - lgamma(m - n - rem + k + 1.0) - lgamma(m + 1.0) +
                        lgamma(rem + 1.0) + lgamma(m - rem + 1.0);
            if (base + k <= g) q[base + k] = exp(lp);
        }
        return;
    }
    if (sp && sp->dist == DSE_DIST_CLUSTER && d > 0 && d < 1 && nr <= 256) {
        /* nr consecutive elements of the source's two-state chain (mask.c
         * gen_cluster), started in its stationary law */
        double run = sp->run < 1 ? 1 : sp->run, p01 = 1 / run, p10 = fmin(1, (1 - d) / (run * d));
        double a[2][257], b[2][257], s1 = p01 / (p01 + p10);
        memset(a, 0, sizeof a);
        a[0][0] = 1 - s1; a[1][0] = s1;            /* a[state][count so far] */
        for (int i = 0; i < nr; i++) {
            memset(b, 0, sizeof b);
            for (int k = 0; k <= i; k++) {
                double z = a[0][k], o = a[1][k];   /* emit the state, then move */
                b[0][k] += z * (1 - p01); b[1][k] += z * p01;
                b[0][k + 1] += o * p10; b[1][k + 1] += o * (1 - p10);
            }
            memcpy(a, b, sizeof a);
        }
        for (int k = 0; k <= nr; k++) q[k] = a[0][k] + a[1][k];
        return;
    }
    if (d >= 1) { q[nr] = 1; return; }
    if (d <= 0) { q[0] = 1; return; }
    double lp = log(d), lq = log1p(-d), lc = 0;
    for (int k = 0; k <= nr; k++) {
        q[k] = exp(lc + k * lp + (nr - k) * lq);
        lc += log((double)(nr - k)) - log((double)(k + 1));
    }
}

/* Mean-field lock-step pool chain (docs/perf.md section 5). One pool = g
 * slots per cycle that share their nonzeros perfectly and drain them
 * nearest row first; pools of J density types (weights w[j], row laws
 * q + j * (g+1)) advance in lock-step, N pools in all: the front moves to
 * the first row some pool has not drained (1..H+1 rows per cycle).
 * State of a pool at a cycle start: lead lam (rows b..b+lam-1 drained,
 * 0..H) and r, the nonzeros left in row b + lam. One cycle of a type is a
 * forward pass over the rows (cycle_type). Given the pool laws, the
 * advance law is P(A >= a) = prod_j P_j(l' >= a)^(N w_j). The pools are
 * not independent of the front's history (after a full advance every pool
 * is fresh), so the chain keeps one pool law per last advance (H + 1
 * macro states, a first-order memory) and mixes the shifts into them,
 * each conditioned on the pool having reached row A (l' >= A). Cycles are
 * iterated from the fresh start until the laws stop changing (a few
 * dozen), carrying the law of the rows done exactly; the rest of the tile
 * is finished with the renewal function of the stationary advance law.
 * priv (narrow rows, else NULL): slots private to one depth (cycle_type).
 * No heap allocation unless the state is large. Returns T / E[cycles]. */
#define CF_TYPES 8
#define CF_CTYPES 4   /* types of the cascaded online stage (cost linear in it) */
/* Online activation-only windows slide: the lanes whose windows overlap a
 * slot's span 2g - 1 lanes, the disjoint pool g. The pool used is
 * g + CF_SLIDE (g - 1): 0 = disjoint (the static side and the dual online
 * stages, where it fits), 1 = the full overlap. A guess between the two
 * bounds, set by measurement (docs/perf.md section 5). */
#define CF_SLIDE 1.0
#define CF_MAXCYC 400
#define CF_STACK 16384
#define CF_MAXH 16

/* One cycle of a type-j pool: pool law pi ((H+1) x G) to outcome law out
 * ((H+2) x G, rows l' = 1..H+1, nonzeros left in row l') and tail[a] =
 * P(l' >= a), a = 1..H+1. The forward pass carries (row, free slots). With
 * priv (narrow rows), row b + h may also use priv[h] slots of its own,
 * and the g shared slots are the home slots and the multi-depth ones.
 * m: scratch of (H+2) x G. */
static void cycle_type(int H, int G, int nr, const double *q, const int *priv, const double *pi, double *out,
                       double *m, double *tail)
{
    memset(m, 0, sizeof *m * (size_t)(H + 2) * G);
    memset(out, 0, sizeof *out * (size_t)(H + 2) * G);
    int g = G - 1;
    for (int lam = 0; lam <= H; lam++)          /* drain the rest of row b + lam first */
        for (int r = 0; r <= g; r++) {
            double x = pi[lam * G + r];
            if (x == 0) continue;
            int p = priv && lam >= 1 ? priv[lam] : 0, sh = r - p > 0 ? r - p : 0;
            if (sh <= g) m[(lam + 1) * G + g - sh] += x;
            else out[lam * G + r - p - g] += x;
        }
    for (int pos = 1; pos <= H; pos++) {
        int p = priv ? priv[pos] : 0;           /* slots private to row b + pos */
        for (int cap = 0; cap <= g; cap++) {
            double x = m[pos * G + cap];
            if (x == 0) continue;
            for (int k = 0; k <= nr; k++) {
                double y = x * q[k];
                int sh = k - p > 0 ? k - p : 0;  /* taken from the shared slots */
                if (sh <= cap) m[(pos + 1) * G + cap - sh] += y;
                else out[pos * G + sh - cap] += y;
            }
        }
    }
    double mh = 0;
    for (int cap = 0; cap <= g; cap++) mh += m[(H + 1) * G + cap];
    for (int r = 0; r <= nr; r++) out[(H + 1) * G + r] = mh * q[r];   /* row b+H+1 untouched */
    tail[H + 2] = 0;
    for (int a = H + 1; a >= 1; a--) {
        double s = 0;
        for (int r = 0; r <= g; r++) s += out[a * G + r];
        tail[a] = s + tail[a + 1];
    }
}

static double pool_chain_run(int H, int g, double N, long T, int J, const double *q, const double *w,
                             const int *priv);

/* pool_chain through a small per-thread memo: a sweep asks the same chain
 * many times (the weight stage of every cascaded pair, joint pairs that
 * differ only in the unused weight window, layers of the same shape). The
 * key is two independent hashes of every input; a hit returns exactly
 * what a recomputation would. */
#define CF_MEMO 512
static double pool_chain(int H, int g, double N, long T, int J, const double *q, const double *w, const int *priv)
{
    static _Thread_local struct { uint64_t k1, k2; double v; } memo[CF_MEMO];
    int iv[4] = {H, g, J, priv != NULL};
    uint64_t k[2];
    for (int i = 0; i < 2; i++) {
        uint64_t h = i ? 0x84222325cbf29ce4ULL ^ 0x51 : DSE_FNV_INIT ^ 0x51;
        h = dse_fnv1a(h, iv, sizeof iv);
        h = dse_fnv1a(h, &N, sizeof N);
        h = dse_fnv1a(h, &T, sizeof T);
        h = dse_fnv1a(h, q, sizeof *q * (size_t)(g + 1) * J);
        h = dse_fnv1a(h, w, sizeof *w * (size_t)J);
        if (priv) h = dse_fnv1a(h, priv, sizeof *priv * (size_t)(H + 1));
        k[i] = h | 1;   /* never 0: 0 marks an empty slot */
    }
    size_t slot = (size_t)(k[0] >> 7) % CF_MEMO;
    if (memo[slot].k1 == k[0] && memo[slot].k2 == k[1]) return memo[slot].v;
    double v = pool_chain_run(H, g, N, T, J, q, w, priv);
    memo[slot].k1 = k[0]; memo[slot].k2 = k[1]; memo[slot].v = v;
    return v;
}

static double pool_chain_run(int H, int g, double N, long T, int J, const double *q, const double *w,
                             const int *priv)
{
    int G = g + 1, S = (H + 1) * G, O = (H + 2) * G, B = H + 1;
    /* macro states: the last K advances (base H + 1 digits); K = 2 when
     * the state is small enough, else 1 */
    int K = (size_t)B * B * J * S * 2 <= CF_STACK / 2 ? 2 : 1, M = K == 2 ? B * B : B;
    size_t need = (size_t)M * J * S * 2 + (size_t)J * O + O + 2 * (size_t)M;
    double stk[CF_STACK], *buf = need <= CF_STACK ? stk : dse_xmalloc(sizeof *buf * need);
    double *pi = buf, *nxt = pi + (size_t)M * J * S, *out = nxt + (size_t)M * J * S, *m = out + (size_t)J * O;
    double *wm = m + O, *wn = wm + M;
    double tail[CF_TYPES][CF_MAXH + 3], reach[CF_MAXH + 3], pa[CF_MAXH + 3];
    int nrj[CF_TYPES];
    for (int j = 0; j < J; j++) {
        nrj[j] = g;
        while (nrj[j] > 0 && q[(size_t)j * G + nrj[j]] == 0) nrj[j]--;
    }
    /* start: every pool fresh (lead 0), as after full advances A = H + 1 */
    memset(pi, 0, sizeof *pi * (size_t)M * J * S);
    memset(wm, 0, sizeof *wm * (size_t)M);
    wm[M - 1] = 1;
    for (int j = 0; j < J; j++)
        for (int r = 0; r <= g; r++) pi[((size_t)(M - 1) * J + j) * S + r] = q[(size_t)j * G + r];
    /* rows done: dist[d] = P(d rows done, d < T) after the cycles so far */
    long span = (long)(H + 1) * CF_MAXCYC + 1, dn = T < span ? T : span;
    double dstk[1024], *dist = dn <= 1024 ? dstk : dse_xmalloc(sizeof *dist * (size_t)dn);
    memset(dist, 0, sizeof *dist * (size_t)dn);
    dist[0] = 1;
    double cycles = 0, alive = 1;
    long hi = 0;                                    /* highest d with mass */
    for (int cyc = 0; cyc < CF_MAXCYC && alive > 1e-12; cyc++) {
        memset(nxt, 0, sizeof *nxt * (size_t)M * J * S);
        memset(wn, 0, sizeof *wn * (size_t)M);
        memset(pa, 0, sizeof pa);
        for (int mc = 0; mc < M; mc++) {
            if (wm[mc] <= 1e-9) continue;        /* negligible histories */
            const double *pim = pi + (size_t)mc * J * S;
            for (int j = 0; j < J; j++)
                cycle_type(H, G, nrj[j], q + (size_t)j * G, priv, pim + (size_t)j * S, out + (size_t)j * O, m, tail[j]);
            for (int a = 1; a <= H + 1; a++) {
                double lg = 0;
                for (int j = 0; j < J; j++) lg += N * w[j] * log(fmax(tail[j][a] / tail[j][1], 1e-300));
                reach[a] = exp(lg);               /* P(A >= a | history mc) */
            }
            reach[H + 2] = 0;
            for (int a = 1; a <= H + 1; a++) {
                double pr = wm[mc] * (reach[a] - reach[a + 1]);
                if (pr <= 0) continue;
                int mn = (mc * B + a - 1) % M;    /* history with a appended */
                wn[mn] += pr;
                pa[a] += pr;
                for (int j = 0; j < J; j++) {   /* shift by a, given l' >= a */
                    double f = pr / tail[j][a], *nj = nxt + ((size_t)mn * J + j) * S;
                    const double *oj = out + (size_t)j * O;
                    for (int x = a; x <= H + 1; x++)
                        for (int r = 0; r <= g; r++) nj[(x - a) * G + r] += f * oj[x * G + r];
                }
            }
        }
        double diff = 0;
        for (int mc = 0; mc < M; mc++) {
            double *nm = nxt + (size_t)mc * J * S, *pm = pi + (size_t)mc * J * S;
            if (wn[mc] > 0)
                for (size_t i = 0; i < (size_t)J * S; i++) nm[i] /= wn[mc];
            double dd = fabs(wn[mc] - wm[mc]);
            if (dd > diff) diff = dd;
            for (size_t i = 0; i < (size_t)J * S; i++) {
                dd = fabs(nm[i] - pm[i]);
                if (dd > diff) diff = dd;
            }
            wm[mc] = wn[mc];
        }
        memcpy(pi, nxt, sizeof *pi * (size_t)M * J * S);
        /* one cycle for every tile still running; shift the rows done */
        cycles += alive;
        alive = 0;
        long nh = hi + H + 1 < dn - 1 ? hi + H + 1 : dn - 1;
        for (long d = nh; d >= 0; d--) {
            double s = 0;
            for (int a = 1; a <= H + 1; a++)
                if (d - a >= 0 && d - a <= hi) s += dist[d - a] * pa[a];
            dist[d] = s;
            alive += s;
        }
        hi = nh;
        if (diff < 1e-7 && cyc >= 2) break;       /* stationary: finish by renewal */
        if (hi == dn - 1 && dn < T) break;        /* out of room (never for T <= span) */
    }
    if (alive > 1e-12) {
        /* renewal function mr(x) = E[cycles to pass x more rows], i.i.d. A ~ pa */
        long X = T;
        double mstk[1024], *mr = X + 1 <= 1024 ? mstk : dse_xmalloc(sizeof *mr * (size_t)(X + 1));
        mr[0] = 0;
        for (long x = 1; x <= X; x++) {
            double s = 1;
            for (int a = 1; a <= H + 1 && a < x; a++) s += pa[a] * mr[x - a];
            mr[x] = s;
        }
        for (long d = 0; d <= hi; d++) cycles += dist[d] * mr[T - d];
        if (mr != mstk) free(mr);
    }
    if (dist != dstk) free(dist);
    if (buf != stk) free(buf);
    return (double)T / cycles;
}

/* Exact-mask chain for narrow rows under the ONLINE scheduler (sched.c
 * online_run): a unit's state is the bit mask of the nonzeros left in its
 * window rows b..b+H over its nr real lanes 0..nr-1 ((H+1) nr <= CF_MBITS
 * bits). One cycle is the scheduler's own rule, replayed on the mask:
 * slot l takes its home value, else the first nonzero candidate in window
 * priority order. The unit reaches l' (first row it has not drained); the
 * group advances A = min over N units, P(A >= a) = P(l' >= a)^N; the rest
 * is the mean-field chain of pool_chain_run (two advances of history,
 * rows done carried, renewal at convergence), with the pool's perfect
 * sharing replaced by the real slot/lane reach. Fresh rows: every real lane
 * nonzero with probability d. Returns T / E[cycles]. */
#define CF_MBITS 10
static double mask_chain_run(const dse_window *w, int L, int nr, double d, double N, long T)
{
    int H = w->lookahead, B = H + 1, nb = B * nr, S = 1 << nb, M = B * B;
    int n = dse_sched_window_size(w);
    dse_offset es[512], *e = n + 1 <= 512 ? es : dse_xmalloc(sizeof *e * (size_t)(n + 1));
    n = dse_sched_window(w, e, n);
    int k = 0;                                     /* compile as cwin_make, same-unit entries */
    for (int i = 0; i < n; i++) {
        dse_offset x = e[i];
        if (x.u || x.h < 1 || x.h > H) continue;
        x.o = ((x.o % L) + L) % L;
        int dup = 0;
        for (int j = 0; j < k && w->shape == DSE_SHAPE_RECT && !dup; j++) dup = e[j].h == x.h && e[j].o == x.o;
        if (!dup) e[k++] = x;
    }
    size_t need = (size_t)S * 2 * M + 2 * (size_t)M;
    double *buf = dse_xmalloc(sizeof *buf * need);
    double *pi = buf, *nxt = pi + (size_t)M * S, *wm = nxt + (size_t)M * S, *wn = wm + M;
    int *tr = dse_xmalloc(sizeof *tr * (size_t)S * 2), *lp = tr + S;
    int rowm = (1 << nr) - 1;
    for (int st = 0; st < S; st++) {               /* one cycle of one unit */
        int m = st;
        for (int l = 0; l < L; l++) {
            if (l < nr && (m >> l & 1)) { m &= ~(1 << l); continue; }
            for (int i = 0; i < k; i++) {
                int src = (l + e[i].o) % L, bit = e[i].h * nr + src;
                if (src < nr && (m >> bit & 1)) { m &= ~(1 << bit); break; }
            }
        }
        int a = 1;
        while (a <= H && !(m >> (a * nr) & rowm)) a++;
        tr[st] = m; lp[st] = a;
    }
    memset(pi, 0, sizeof *pi * (size_t)M * S);
    memset(wm, 0, sizeof *wm * (size_t)M);
    wm[M - 1] = 1;
    double *p0 = pi + (size_t)(M - 1) * S;         /* all rows fresh */
    p0[0] = 1;
    for (int b = 0; b < nb; b++)
        for (int st = 0; st < S; st++)
            if (!(st >> b & 1)) { double v = p0[st]; p0[st] = v * (1 - d); p0[st | 1 << b] += v * d; }
    double tail[CF_MAXH + 3], reach[CF_MAXH + 3], pa[CF_MAXH + 3];
    long span = (long)B * CF_MAXCYC + 1, dn = T < span ? T : span;
    double dstk[1024], *dist = dn <= 1024 ? dstk : dse_xmalloc(sizeof *dist * (size_t)dn);
    memset(dist, 0, sizeof *dist * (size_t)dn);
    dist[0] = 1;
    double cycles = 0, alive = 1;
    long hi = 0;
    for (int cyc = 0; cyc < CF_MAXCYC && alive > 1e-12; cyc++) {
        memset(nxt, 0, sizeof *nxt * (size_t)M * S);
        memset(wn, 0, sizeof *wn * (size_t)M);
        memset(pa, 0, sizeof pa);
        for (int mc = 0; mc < M; mc++) {
            if (wm[mc] <= 1e-9) continue;
            const double *pm = pi + (size_t)mc * S;
            for (int a = 0; a <= B + 1; a++) tail[a] = 0;
            for (int st = 0; st < S; st++) tail[lp[st]] += pm[st];
            for (int a = B - 1; a >= 1; a--) tail[a] += tail[a + 1];
            for (int a = 1; a <= B; a++) reach[a] = pow(fmin(1, tail[a] / tail[1]), N);
            reach[B + 1] = 0;
            for (int a = 1; a <= B; a++) {
                double pr = wm[mc] * (reach[a] - reach[a + 1]);
                if (pr <= 0 || tail[a] <= 0) continue;
                int mn = (mc * B + a - 1) % M;
                wn[mn] += pr;
                pa[a] += pr;
                double f = pr / tail[a], *nm = nxt + (size_t)mn * S;
                for (int st = 0; st < S; st++)
                    if (lp[st] >= a && pm[st] != 0) nm[tr[st] >> (a * nr)] += f * pm[st];
            }
        }
        double diff = 0;
        for (int mc = 0; mc < M; mc++) {
            double *nm = nxt + (size_t)mc * S, *pm = pi + (size_t)mc * S;
            int a = mc % B + 1;                    /* the last advance: rows B-a..H fresh */
            if (wn[mc] > 0) {
                for (int b = (B - a) * nr; b < nb; b++)
                    for (int st = 0; st < S; st++)
                        if (!(st >> b & 1)) { double v = nm[st]; nm[st] = v * (1 - d); nm[st | 1 << b] += v * d; }
                for (int st = 0; st < S; st++) nm[st] /= wn[mc];
            }
            double dd = fabs(wn[mc] - wm[mc]);
            if (dd > diff) diff = dd;
            for (int st = 0; st < S; st++) {
                dd = fabs(nm[st] - pm[st]);
                if (dd > diff) diff = dd;
            }
            wm[mc] = wn[mc];
        }
        memcpy(pi, nxt, sizeof *pi * (size_t)M * S);
        cycles += alive;
        alive = 0;
        long nh = hi + B < dn - 1 ? hi + B : dn - 1;
        for (long x = nh; x >= 0; x--) {
            double sm = 0;
            for (int a = 1; a <= B; a++)
                if (x - a >= 0 && x - a <= hi) sm += dist[x - a] * pa[a];
            dist[x] = sm;
            alive += sm;
        }
        hi = nh;
        if (diff < 1e-7 && cyc >= 2) break;
        if (hi == dn - 1 && dn < T) break;
    }
    if (alive > 1e-12) {
        double mstk[1024], *mr = T + 1 <= 1024 ? mstk : dse_xmalloc(sizeof *mr * (size_t)(T + 1));
        mr[0] = 0;
        for (long x = 1; x <= T; x++) {
            double sm = 1;
            for (int a = 1; a <= B && a < x; a++) sm += pa[a] * mr[x - a];
            mr[x] = sm;
        }
        for (long x = 0; x <= hi; x++) cycles += dist[x] * mr[T - x];
        if (mr != mstk) free(mr);
    }
    if (dist != dstk) free(dist);
    if (e != es) free(e);
    free(tr);
    free(buf);
    return (double)T / cycles;
}

/* mask_chain_run through a per-thread memo (as pool_chain). */
static double mask_chain(const dse_window *w, int L, int nr, double d, double N, long T)
{
    static _Thread_local struct { uint64_t k1, k2; double v; } memo[64];
    int iv[5] = {w->lookahead, w->lookaside, (int)w->shape, L, nr};
    uint64_t k[2];
    for (int i = 0; i < 2; i++) {
        uint64_t h = i ? 0x84222325cbf29ce4ULL ^ 0x6d : DSE_FNV_INIT ^ 0x6d;
        h = dse_fnv1a(h, iv, sizeof iv);
        h = dse_fnv1a(h, &d, sizeof d);
        h = dse_fnv1a(h, &N, sizeof N);
        h = dse_fnv1a(h, &T, sizeof T);
        k[i] = h | 1;
    }
    size_t slot = (size_t)(k[0] >> 7) % 64;
    if (memo[slot].k1 == k[0] && memo[slot].k2 == k[1]) return memo[slot].v;
    double v = mask_chain_run(w, L, nr, d, N, T);
    memo[slot].k1 = k[0]; memo[slot].k2 = k[1]; memo[slot].v = v;
    return v;
}

/* Effective pool size of a window: its same-unit (step, lane) candidates
 * per lookahead step, home lane included (rect: 2D + 1; L and T: 1 + D / H:
 * their lateral offsets exist only at some h, so they are spread over the H
 * steps), capped at lanes. Not an integer in general: cf_speedup
 * interpolates between the two neighbouring pool sizes. */
static double window_pool(const dse_window *w, int lanes)
{
    int H = w->lookahead;
    double g = (double)dse_window_candidates(w->shape, H, w->lookaside) / H;
    if (g < 1) g = 1;
    return g > lanes ? lanes : g;
}

/* Narrow rows (real lanes 0..nr-1 of `lanes`): slots that take a real
 * lane from one lookahead depth only are private to that depth (priv[h],
 * h = 1..H); the home slots and slots reaching several depths are shared
 * by all depths (returned, at least nr: the pool size). */
static int narrow_slots(const dse_window *w, int nr, int lanes, int *priv)
{
    int H = w->lookahead, n = dse_sched_window_size(w);
    dse_offset es[512], *e = n + 1 <= 512 ? es : dse_xmalloc(sizeof *e * (size_t)(n + 1));
    n = dse_sched_window(w, e, n);
    uint32_t ms[256], *mask = lanes <= 256 ? ms : dse_xcalloc((size_t)lanes, sizeof *mask);   /* depths per slot */
    memset(mask, 0, sizeof *mask * (size_t)(lanes <= 256 ? 256 : lanes));
    for (int l = 0; l < nr; l++)
        for (int i = 0; i < n; i++) {
            if (e[i].u || e[i].h < 1 || e[i].h > H) continue;
            int t = (((l - e[i].o) % lanes) + lanes) % lanes;   /* slot t takes lane t + o = l */
            mask[t] |= 1u << e[i].h;
        }
    int shared = nr;
    for (int h = 0; h <= H; h++) priv[h] = 0;
    for (int t = nr; t < lanes; t++) {
        if (!mask[t]) continue;
        if ((mask[t] & (mask[t] - 1)) == 0) priv[__builtin_ctz(mask[t])]++;
        else shared++;
    }
    if (mask != ms) free(mask);
    if (e != es) free(e);
    return shared;
}

/* Density types of a source: nt (1..CF_TYPES) quantile nodes of the Beta
 * law of a per-unit density (weights, dist beta), else (nt = 0 or another
 * source) one type at the mean. */
static int density_types(const dse_sparsity *sp, int nt, double *dens, double *wts)
{
    double mu = sp ? sp->density : 1;
    if (!sp || nt <= 0 || sp->dist != DSE_DIST_BETA || sp->spread <= 0 || mu >= 1) {
        dens[0] = mu; wts[0] = 1;
        return 1;
    }
    const int J = nt < CF_TYPES ? nt : CF_TYPES;
    /* the last law asked for each type count (a cascaded layer asks two) */
    static _Thread_local double memo_mu[CF_TYPES + 1], memo_sd[CF_TYPES + 1], memo_d[CF_TYPES + 1][CF_TYPES];
    if (memo_mu[J] == mu && memo_sd[J] == sp->spread && mu > 0) {
        for (int j = 0; j < J; j++) { dens[j] = memo_d[J][j]; wts[j] = 1.0 / J; }
        return J;
    }
    double v = sp->spread * sp->spread, lim = mu * (1 - mu);
    if (v >= lim) v = lim * 0.999;
    double k = lim / v - 1, a = mu * k, b = (1 - mu) * k;
    enum { M = 4000 };
    double cdf = 0, tot = 0;
    for (int i = 0; i < M; i++) {
        double x = (i + 0.5) / M;
        tot += exp((a - 1) * log(x) + (b - 1) * log1p(-x));
    }
    int j = 0;
    for (int i = 0; i < M && j < J; i++) {
        double x = (i + 0.5) / M;
        cdf += exp((a - 1) * log(x) + (b - 1) * log1p(-x)) / tot;
        while (j < J && cdf >= (j + 0.5) / J) dens[j++] = x;
    }
    while (j < J) dens[j++] = 1 - 0.5 / M;
    for (j = 0; j < J; j++) { wts[j] = 1.0 / J; memo_d[J][j] = dens[j]; }
    memo_mu[J] = mu; memo_sd[J] = sp->spread;
    return J;
}

/* Closed-form speedup of a lock-step group of F units over window w with
 * pools of g lanes (see cf_speedup). */
static double cf_pools(const dse_window *w, int F, int lanes, int cg, int nblk, long T, double d,
                       const dse_sparsity *sp, int ntypes, double scale, double post, int online, int g)
{
    int H = w->lookahead, U = w->unit, nr;
    double lr = (double)cg / nblk, N;             /* real lanes per step */
    int priv[CF_MAXH + 2], *pv = NULL;
    if (nblk == 1 && cg < lanes) {                 /* narrow rows: one pool per unit */
        nr = cg;
        g = narrow_slots(w, cg, lanes, priv);
        pv = priv;
        N = F;
    } else {
        nr = (int)lround(lr < g ? lr : g);
        if (nr < 1) nr = 1;
        N = (double)F * (lr > g ? lr / g : 1);
    }
    if (sp && sp->dist == DSE_DIST_CLUSTER && scale == 1 && post == 1 && U == 0 && sp->run >= (double)lanes * (H + 1) && d < 1) {
        /* runs longer than the window: a unit's rows are all zero or all
         * nonzero for long stretches, and the group skips only the rows
         * where all F units are in a zero run (a fraction (1-d)^F of them,
         * taken H + 1 at a time) */
        double f = pow(1 - d, F);
        return 1 / (1 - f + f / (H + 1));
    }
    N /= U + 1;                                    /* unit lookaside pools U + 1 units */
    g *= U + 1;
    nr *= U + 1;
    double dens[CF_TYPES], wts[CF_TYPES];
    int J = sp ? density_types(sp, ntypes, dens, wts) : 1;
    if (!sp) { dens[0] = d; wts[0] = 1; }
    for (int j = 0; j < J; j++) dens[j] = fmin(1, dens[j] * scale) * post;
    /* structure beyond the density, when the pool sees the source itself:
     * N:M counts when the pool is the whole row (exact; a pool of part of
     * a row is closer to the schedulers as binomial: measured), cluster
     * runs along the lanes of one unit */
    const dse_sparsity *st = NULL;
    if (sp && scale == 1 && post == 1 && sp->dist == DSE_DIST_NM && g >= lanes * (U + 1)) st = sp;
    if (sp && scale == 1 && post == 1 && sp->dist == DSE_DIST_CLUSTER && U == 0) st = sp;
    double qs[1024], *q = (size_t)(g + 1) * J <= 1024 ? qs : dse_xmalloc(sizeof *q * (size_t)(g + 1) * J);
    for (int j = 0; j < J; j++) row_law(q + (size_t)j * (g + 1), g, nr, dens[j], st);
    double s;
    if (online && pv && U == 0 && J == 1 && !st && (H + 1) * nr <= CF_MBITS)
        s = mask_chain(w, lanes, nr, dens[0], N, T);   /* narrow online rows: the real reach */
    else
        s = pool_chain(H, g, N, T, J, q, wts, U == 0 ? pv : NULL);
    if (q != qs) free(q);
    return s;
}

/* Closed-form speedup of a lock-step group of F units over window w:
 * rows of `lanes` slots of which cg real lanes per channel block (nblk
 * blocks per kernel position), T steps, densities from sp (ntypes > 0:
 * that many Beta quantile types across units), or the fixed density d
 * when sp is NULL; densities are min(1, d scale) post. online: 0 = the
 * static (TCL) scheduler, 1 = the online one, 2 = online in activation-only
 * mode (sliding pool, CF_SLIDE). A fractional pool size interpolates
 * linearly between its neighbours. */
static double cf_speedup(const dse_window *w, int F, int lanes, int cg, int nblk, long T, double d,
                         const dse_sparsity *sp, int ntypes, double scale, double post, int online)
{
    if (w->lookahead <= 0 || T <= 0) return 1;   /* no skipping without lookahead */
    if (w->lookahead > CF_MAXH) return 1;        /* beyond the parameter range (16): not modelled */
    double gf = window_pool(w, lanes);
    if (online == 2) gf = fmin(lanes, gf + CF_SLIDE * (gf - 1));   /* act mode: sliding windows */
    double g0 = floor(gf), fr = gf - g0;
    double s0 = cf_pools(w, F, lanes, cg, nblk, T, d, sp, ntypes, scale, post, online, (int)g0);
    if (fr < 1e-9 || (nblk == 1 && cg < lanes)) return s0;   /* narrow: an integer slot count */
    double s1 = cf_pools(w, F, lanes, cg, nblk, T, d, sp, ntypes, scale, post, online, (int)g0 + 1);
    return (1 - fr) * s0 + fr * s1;
}

/* Closed-form speedup of one lock-step group of the layer (the density
 * bound applied); d receives the effectual density. */
static double cf_group(const ctx *c, double *dout)
{
    const geom *g = &c->g;
    double dw = c->w.sp ? c->w.sp->density : 1, da = c->a.sp ? c->a.sp->density : 1, s = 1, d = 1;
    int L = g->lanes, cg = g->Cg, nb = g->nblk;
    int fc = g->Kg < g->cols ? g->Kg : g->cols, fr = g->P < g->rows ? g->P : g->rows;  /* real units */
    if (c->k == KIND_W) {
        s = cf_speedup(&c->cfg->w, fc, L, cg, nb, g->T, dw, c->w.sp, CF_TYPES, 1, 1, 0);
        d = dw;
    } else if (c->k == KIND_A) {
        s = cf_speedup(&c->cfg->a, fr, L, cg, nb, g->T, da, c->a.sp, 0, 1, 1, 2);
        d = da;
    } else if (c->k == KIND_DUAL) {
        /* cascaded: weights compacted offline (a set of cols filters), then the
         * compacted pair stream borrowed online by the whole array; joint: one
         * online window over pairs of density dw * da */
        double s1 = 1, dp = dw * da;
        int cg2 = cg, nb2 = nb;
        if (c->cfg->org == DSE_DUAL_CASCADED) {
            s1 = cf_speedup(&c->cfg->w, fc, L, cg, nb, g->T, dw, c->w.sp, CF_TYPES, 1, 1, 0);
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
                double st = wtypes ? cf_speedup(&c->cfg->a, F2, L, cg2, nb2, tr, dp, c->w.sp, CF_CTYPES, s1, da, 1)
                                   : cf_speedup(&c->cfg->a, F2, L, cg2, nb2, tr, dp, c->a.sp, 0, wq, 1, 1);
                cyc += wgt * (double)tr / st;
            }
            s = g->T / cyc;
        } else if (dw >= 1)   /* joint over dense weights: the activation source itself */
            s = cf_speedup(&c->cfg->a, F2, L, cg2, nb2, T2, dp, c->a.sp, 0, 1, 1, 1);
        else   /* joint: the filters' density spread, times the activation density */
            s = cf_speedup(&c->cfg->a, F2, L, cg2, nb2, T2, dp, c->w.sp, CF_TYPES, da, 1, 1);
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
        double dens[CF_TYPES], wts[CF_TYPES], cyc = 0, dd;
        int J = density_types(as, CF_TYPES, dens, wts);
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
    v->mean = g->T / s;
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

int dse_perf_layer(const dse_point *p, const dse_config *cfg, const dse_layer *L,
                   const dse_perf_opts *o, dse_perf *out, dse_err *e)
{
    memset(out, 0, sizeof *out);
    if (L->P <= 0 || L->K <= 0 || L->Cin <= 0 || L->R <= 0 || L->S <= 0 || L->groups <= 0 ||
        L->K % L->groups || L->Cin % L->groups)
        return dse_errf(e, DSE_EINPUT, "layer %s: bad shape", L->name);
    uint64_t lh = dse_fnv1a(DSE_FNV_INIT, L->name, strlen(L->name));
    ctx c;
    int rc = ctx_init(&c, p, cfg, L, o->seed, lh, o->fidelity != DSE_FID_CLOSED, e);
    if (rc) { ctx_free(&c); return rc; }
    const geom *g = &c.g;
    double dw = cfg->wsparse ? L->w.density : 1, da = cfg->asparse ? L->a.density : 1;
    out->dense_cycles = (double)g->repeat * g->groups * g->prow * g->kcol * g->T;
    out->macs = (double)g->repeat * g->P * L->K * g->Cg * g->R * g->S;
    out->eff_macs = out->macs * dw * da;
    if (c.k == KIND_DENSE) {
        out->cycles = out->cycles_lo = out->cycles_hi = out->dense_cycles;
        ctx_free(&c);
        return DSE_OK;
    }
    est v;
    memset(&v, 0, sizeof v);
    if (o->fidelity == DSE_FID_CLOSED) {
        double wb, ab, ub;
        uint64_t k1 = est_key(&c, L, o, DSE_FNV_INIT ^ 0xc1), k2 = est_key(&c, L, o, 0x84222325cbf29ce4ULL ^ 0xc1);
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
    if (o->fidelity == DSE_FID_FULL) rc = estimate_full(&c, &v);
    else {
        uint64_t k1 = est_key(&c, L, o, DSE_FNV_INIT), k2 = est_key(&c, L, o, 0x84222325cbf29ce4ULL);
        if (!o->cache || !cache_get(o->cache, k1, k2, &v)) {
            rc = estimate_sampled(&c, o, k1, lh, &v);
            if (!rc && o->cache) cache_put(o->cache, k1, k2, &v);
        }
    }
    if (rc) { ctx_free(&c); return dse_errf(e, DSE_EMODEL, "layer %s: scheduler failed (%d)", L->name, rc); }
    double tot = c.weight * (double)c.npop;
    out->cycles = tot * v.mean;
    out->cycles_lo = tot * (v.mean - v.half);
    out->cycles_hi = tot * (v.mean + v.half);
    double b = (double)c.npop * c.opsw * v.borrowed, u = (double)c.npop * c.opsw * v.unit_borrowed;
    if (c.k == KIND_W) out->w_borrowed = b;
    else if (c.k == KIND_A) out->a_borrowed = b;
    else out->w_borrowed = out->a_borrowed = b;
    out->unit_borrowed = u;
    ctx_free(&c);
    return DSE_OK;
}
