/* mapper.c -- search of the core's mapping space: row splits, SRAM/DRAM tilings that fit, DRAM loop orders; a cache. */
#include "mapper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"
#include "store.h"

const char *const dse_mapobj_names[DSE_NMAPOBJS] = {"energy", "edp"};

#define NT 5           /* temporal dimensions tiled between SRAM and DRAM */
#define MAXDIV 512     /* more than any number below 2^24 has (448) */
#define MAXROWCANDS 8  /* row splits tried (the first ones with the fewest pixel tiles) */
#define MAXTILINGS 200000.0 /* divisor lists are thinned beyond this many tilings */

static const dse_dim tdim[NT] = {DSE_DIM_K, DSE_DIM_C, DSE_DIM_N, DSE_DIM_P, DSE_DIM_Q};
enum { TK, TC, TN, TP, TQ };

void dse_mapper_capacity(const dse_point *p, double cap[DSE_NTENSORS])
{
    int mw = dse_cost_select_bits(p);
    cap[DSE_TW] = p->wsram_kib * 8192.0 * p->bits / (p->bits + mw) * dse_store_data_share(p->w_format, p->bits);
    cap[DSE_TI] = p->asram_kib * 8192.0 * dse_store_data_share(p->a_format, p->bits);
    cap[DSE_TO] = p->osram_kib * 8192.0;
}

static long cdiv(long a, long b) { return (a + b - 1) / b; }

/* One row split and what follows from it. */
typedef struct rowsplit { long rn, rq, rp; } rowsplit;

typedef struct search {
    const dse_cost *c;
    const dse_point *p;
    const dse_problem *pb;
    dse_mapobj obj;
    double cap[DSE_NTENSORS], bw;
    long l, cc;                 /* lanes over C, columns over K */
    rowsplit rs;
    long ext[NT];               /* temporal extents left to tile */
    long div[NT][MAXDIV];
    int nd[NT];
    dse_mapper_result *best;
    int found;
} search;

/* The row splits (rn over N, rq over Q, rp over P; rn rq rp <= rows) with
 * the fewest pixel tiles, rp as large as the others allow; *n of them. */
static int row_splits(const dse_problem *pb, int rows, rowsplit *out)
{
    const long *x = pb->ext;
    double best = INFINITY;
    int n = 0;
    for (long rn = 1; rn <= x[DSE_DIM_N] && rn <= rows; rn++)
        for (long rq = 1; rq <= x[DSE_DIM_Q] && rn * rq <= rows; rq++) {
            long rp = rows / (rn * rq);
            if (rp > x[DSE_DIM_P]) rp = x[DSE_DIM_P];
            double tiles = (double)cdiv(x[DSE_DIM_N], rn) * cdiv(x[DSE_DIM_Q], rq) * cdiv(x[DSE_DIM_P], rp);
            if (tiles < best) { best = tiles; n = 0; }
            if (tiles == best && n < MAXROWCANDS) out[n++] = (rowsplit){rn, rq, rp};
        }
    return n;
}

static int divisors(long x, long *d)
{
    int n = 0, m = 0;
    long hi[MAXDIV];
    for (long i = 1; i * i <= x; i++)
        if (x % i == 0) {
            d[n++] = i;
            if (i != x / i) hi[m++] = x / i;
        }
    while (m > 0) d[n++] = hi[--m];
    return n;
}

/* Keep every other divisor (always 1 and the extent) of the longest list
 * until the tilings are at most MAXTILINGS. */
static void thin(search *s)
{
    for (;;) {
        double prod = 1;
        int j = 0;
        for (int i = 0; i < NT; i++) {
            prod *= s->nd[i];
            if (s->nd[i] > s->nd[j]) j = i;
        }
        if (prod <= MAXTILINGS || s->nd[j] <= 2) return;
        int k = 0;
        for (int i = 0; i < s->nd[j]; i += 2) s->div[j][k++] = s->div[j][i];
        if (s->div[j][k - 1] != s->ext[j]) s->div[j][k++] = s->ext[j];
        s->nd[j] = k;
    }
}

/* The mapping of row split s->rs, inner (SRAM-tile) factors in[] and DRAM
 * loop order ord[0..no-1] (innermost first; the other dimensions follow). */
static void build(const search *s, const long *in, const int *ord, int no, dse_mapping *m)
{
    const dse_problem *pb = s->pb;
    dse_mapping_init(m);
    m->f[DSE_LV_LANES][DSE_DIM_C] = s->l;
    m->f[DSE_LV_ACC][DSE_DIM_C] = in[TC];
    m->f[DSE_LV_ACC][DSE_DIM_R] = pb->ext[DSE_DIM_R];
    m->f[DSE_LV_ACC][DSE_DIM_S] = pb->ext[DSE_DIM_S];
    m->f[DSE_LV_COLS][DSE_DIM_K] = s->cc;
    m->f[DSE_LV_ROWS][DSE_DIM_N] = s->rs.rn;
    m->f[DSE_LV_ROWS][DSE_DIM_Q] = s->rs.rq;
    m->f[DSE_LV_ROWS][DSE_DIM_P] = s->rs.rp;
    for (int i = 0; i < NT; i++) {
        if (i != TC) m->f[DSE_LV_SRAM][tdim[i]] = in[i];
        m->f[DSE_LV_DRAM][tdim[i]] = s->ext[i] / in[i];
    }
    /* DRAM: the given order, then the rest in the canonical order */
    int used[DSE_NDIMS] = {0}, k = 0;
    for (int i = 0; i < no; i++) { m->order[DSE_LV_DRAM][k++] = (unsigned char)tdim[ord[i]]; used[tdim[ord[i]]] = 1; }
    dse_mapping tmp;
    dse_mapping_init(&tmp);
    for (int i = 0; i < DSE_NDIMS; i++)
        if (!used[tmp.order[DSE_LV_DRAM][i]]) m->order[DSE_LV_DRAM][k++] = tmp.order[DSE_LV_DRAM][i];
}

/* Do the SRAM tiles of inner factors in[] fit? (Elements clipped to the
 * real tensor, as dse_traffic_dense counts them; outputs are partial sums
 * of acc_bits while C is split at DRAM.) */
static int fits(const search *s, const long *in)
{
    const dse_problem *pb = s->pb;
    const long *x = pb->ext;
    long st = pb->stride;
    double K = fmin((double)s->cc * in[TK], (double)x[DSE_DIM_K]);
    double C = fmin((double)s->l * in[TC], (double)x[DSE_DIM_C]);
    double N = fmin((double)s->rs.rn * in[TN], (double)x[DSE_DIM_N]);
    double P = fmin((double)s->rs.rp * in[TP], (double)x[DSE_DIM_P]);
    double Q = fmin((double)s->rs.rq * in[TQ], (double)x[DSE_DIM_Q]);
    double w = K * C * x[DSE_DIM_R] * x[DSE_DIM_S];
    double i = N * C * ((P - 1) * st + x[DSE_DIM_R]) * ((Q - 1) * st + x[DSE_DIM_S]);
    double o = K * N * P * Q;
    int ow = in[TC] < s->ext[TC] ? s->p->acc_bits : s->p->bits;
    return w * s->p->bits <= s->cap[DSE_TW] && i * s->p->bits <= s->cap[DSE_TI] && o * ow <= s->cap[DSE_TO];
}

static double objective(const search *s, const dse_traffic *t)
{
    double e[DSE_NMOVES], sum = 0;
    dse_cost_movement(s->c, s->p, t, e);
    for (int i = 0; i < DSE_NMOVES; i++)
        if (i != DSE_MV_MAC) sum += e[i];
    if (s->obj == DSE_MAPOBJ_EDP) sum *= fmax(t->cycles, dse_traffic_bits(t, DSE_ST_DRAM) / s->bw);
    return sum;
}

static int next_perm(int *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1]) i--;
    if (i < 0) return 0;
    int j = n - 1;
    while (a[j] <= a[i]) j--;
    int t = a[i]; a[i] = a[j]; a[j] = t;
    for (int lo = i + 1, hi = n - 1; lo < hi; lo++, hi--) { t = a[lo]; a[lo] = a[hi]; a[hi] = t; }
    return 1;
}

/* Every DRAM order of the dimensions that loop at DRAM, for inner factors in[]. */
static void try_orders(search *s, const long *in)
{
    int ord[NT], no = 0;
    for (int i = 0; i < NT; i++)
        if (s->ext[i] / in[i] > 1) ord[no++] = i;
    do {
        dse_mapping m;
        dse_traffic t;
        build(s, in, ord, no, &m);
        dse_traffic_dense(s->pb, &m, s->p->bits, s->p->acc_bits, &t);
        double v = objective(s, &t);
        s->best->evaluated += 1;
        if (!s->found || v < s->best->objective) {
            s->found = 1;
            s->best->objective = v;
            s->best->map = m;
            s->best->dense = t;
        }
    } while (next_perm(ord, no));
}

/* The objective can only fall as a tile grows (docs/memory.md), with one
 * exception: while the SRAM level has no loop, a C loop innermost at DRAM
 * keeps the outputs in the accumulators. So the candidates are the maximal
 * tilings that fit (no single factor can grow to its next divisor) and,
 * among those without an SRAM loop, the one with the largest C that fits. */
static void search_split(search *s)
{
    int idx[NT] = {0};
    long in[NT];
    for (;;) {
        for (int i = 0; i < NT; i++) in[i] = s->div[i][idx[i]];
        if (fits(s, in)) {
            int maximal = 1;
            for (int i = 0; i < NT && maximal; i++) {
                if (idx[i] + 1 >= s->nd[i]) continue;
                long keep = in[i];
                in[i] = s->div[i][idx[i] + 1];
                if (fits(s, in)) maximal = 0;
                in[i] = keep;
            }
            if (maximal) try_orders(s, in);
        }
        int i = 0;
        while (i < NT && ++idx[i] >= s->nd[i]) idx[i++] = 0;
        if (i == NT) break;
    }
    long one[NT] = {1, 1, 1, 1, 1};
    int best = -1;
    for (int k = 0; k < s->nd[TC]; k++) {
        one[TC] = s->div[TC][k];
        if (fits(s, one)) best = k;
    }
    one[TC] = best >= 0 ? s->div[TC][best] : 1;
    if (best >= 0 && one[TC] < s->ext[TC]) try_orders(s, one);
}

/* Set up s for problem pb on p; the row splits into rs[], their count returned. */
static int setup(search *s, const dse_point *p, const dse_problem *pb, rowsplit *rs)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->pb = pb;
    dse_mapper_capacity(p, s->cap);
    s->l = pb->ext[DSE_DIM_C] < p->lanes ? pb->ext[DSE_DIM_C] : p->lanes;
    s->cc = pb->ext[DSE_DIM_K] < p->cols ? pb->ext[DSE_DIM_K] : p->cols;
    return row_splits(pb, p->rows, rs);
}

static void set_split(search *s, rowsplit r)
{
    const long *x = s->pb->ext;
    s->rs = r;
    s->ext[TK] = cdiv(x[DSE_DIM_K], s->cc);
    s->ext[TC] = cdiv(x[DSE_DIM_C], s->l);
    s->ext[TN] = cdiv(x[DSE_DIM_N], r.rn);
    s->ext[TP] = cdiv(x[DSE_DIM_P], r.rp);
    s->ext[TQ] = cdiv(x[DSE_DIM_Q], r.rq);
}

int dse_mapper_fits(const dse_point *p, const dse_problem *pb, char *why, size_t n)
{
    search s;
    rowsplit rs[MAXROWCANDS];
    int nr = setup(&s, p, pb, rs);
    long one[NT] = {1, 1, 1, 1, 1};
    for (int k = 0; k < nr; k++) {
        set_split(&s, rs[k]);
        if (fits(&s, one)) return 1;
    }
    dse_mapping m;
    dse_traffic t;
    set_split(&s, rs[0]);
    build(&s, one, NULL, 0, &m);
    dse_traffic_dense(pb, &m, p->bits, p->acc_bits, &t);
    const dse_enc *enc[DSE_NTENSORS] = {NULL, NULL, NULL};
    if (dse_traffic_fits(&t, enc, s.cap, why, n)) snprintf(why, n, "no mapping fits the SRAMs");
    return 0;
}

int dse_mapper_search(const dse_cost *c, const dse_point *p, const dse_problem *pb, dse_mapobj obj,
                      dse_mapper_result *r, dse_err *e)
{
    search s;
    rowsplit rs[MAXROWCANDS];
    memset(r, 0, sizeof *r);
    if (pb->depthwise) return dse_errf(e, DSE_EMODEL, "mapper: depthwise problems are mapped as groups");
    int nr = setup(&s, p, pb, rs);
    s.c = c;
    s.obj = obj;
    s.bw = dse_cost_dram_bits_per_cycle(c, p);
    s.best = r;
    for (int k = 0; k < nr; k++) {
        set_split(&s, rs[k]);
        for (int i = 0; i < NT; i++) s.nd[i] = divisors(s.ext[i], s.div[i]);
        thin(&s);
        search_split(&s);
    }
    if (!s.found) {
        char why[256];
        dse_mapper_fits(p, pb, why, sizeof why);
        return dse_errf(e, DSE_EINPUT, "mapper: %s", why);
    }
    return DSE_OK;
}

/* ---- the cache ------------------------------------------------------------ */

struct dse_map_cache { dse_memo *m; };

dse_map_cache *dse_map_cache_new(void)
{
    dse_map_cache *mc = dse_xcalloc(1, sizeof *mc);
    mc->m = dse_memo_new(sizeof(dse_mapper_result));
    return mc;
}

void dse_map_cache_free(dse_map_cache *mc)
{
    if (!mc) return;
    dse_memo_free(mc->m);
    free(mc);
}

void dse_map_cache_stats(const dse_map_cache *mc, uint64_t *lookups, uint64_t *hits)
{
    dse_memo_stats(mc->m, lookups, hits);
}

/* Hash of what a search depends on, from seed h. */
static uint64_t key(const dse_point *p, const dse_problem *pb, dse_mapobj obj, uint64_t h)
{
    long v[DSE_NDIMS + 2];
    memcpy(v, pb->ext, sizeof pb->ext);
    v[DSE_NDIMS] = pb->stride;
    v[DSE_NDIMS + 1] = pb->depthwise;
    h = dse_hash(h, v, sizeof v);
    int g[16] = {p->rows, p->cols, p->lanes, p->bits, p->acc_bits, p->wsram_kib, p->asram_kib, p->osram_kib,
                 dse_cost_select_bits(p), (int)p->dram, p->dram_channels, (int)obj, (int)p->w_format,
                 (int)p->a_format, dse_cost_sram_rows(p), p->sram_bank_kib};
    h = dse_hash(h, g, sizeof g);
    double clk = obj == DSE_MAPOBJ_EDP ? p->clock_mhz : 0;
    return dse_hash(h, &clk, sizeof clk);
}

int dse_mapper_get(dse_map_cache *mc, const dse_cost *c, const dse_point *p, const dse_problem *pb,
                   dse_mapobj obj, dse_mapper_result *r, dse_err *e)
{
    if (!mc) return dse_mapper_search(c, p, pb, obj, r, e);
    uint64_t k1 = key(p, pb, obj, DSE_FNV_INIT), k2 = key(p, pb, obj, 0x84222325cbf29ce4ULL);
    if (dse_memo_get(mc->m, k1, k2, r)) return DSE_OK;
    int rc = dse_mapper_search(c, p, pb, obj, r, e);
    if (rc == DSE_OK) dse_memo_put(mc->m, k1, k2, r);
    return rc;
}
