/* traffic.c -- per-level access counts of a mapping: tiles, delta fills, multicast reads, output residencies, compression. */
#include "traffic.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const dse_store_names[DSE_NSTORES] = {"acc", "sram", "dram"};
const char *const dse_action_names[DSE_NACTIONS] = {"reads", "fills", "updates"};

/* A tensor dimension: a sum of coefficient x problem coordinate (an input's
 * width is stride * P + R). */
typedef struct tdim { int n; int d[2]; long a[2]; } tdim;

static int tdims(const dse_problem *pb, dse_tensor t, tdim td[4])
{
    int s = pb->stride;
    switch (t) {
    case DSE_TW:
        if (pb->depthwise) {
            td[0] = (tdim){1, {DSE_DIM_C, 0}, {1, 0}};
            td[1] = (tdim){1, {DSE_DIM_R, 0}, {1, 0}};
            td[2] = (tdim){1, {DSE_DIM_S, 0}, {1, 0}};
            return 3;
        }
        td[0] = (tdim){1, {DSE_DIM_K, 0}, {1, 0}};
        td[1] = (tdim){1, {DSE_DIM_C, 0}, {1, 0}};
        td[2] = (tdim){1, {DSE_DIM_R, 0}, {1, 0}};
        td[3] = (tdim){1, {DSE_DIM_S, 0}, {1, 0}};
        return 4;
    case DSE_TI:
        td[0] = (tdim){1, {DSE_DIM_N, 0}, {1, 0}};
        td[1] = (tdim){1, {DSE_DIM_C, 0}, {1, 0}};
        td[2] = (tdim){2, {DSE_DIM_P, DSE_DIM_R}, {s, 1}};
        td[3] = (tdim){2, {DSE_DIM_Q, DSE_DIM_S}, {s, 1}};
        return 4;
    default:
        td[0] = (tdim){1, {DSE_DIM_N, 0}, {1, 0}};
        td[1] = (tdim){1, {pb->depthwise ? DSE_DIM_C : DSE_DIM_K, 0}, {1, 0}};
        td[2] = (tdim){1, {DSE_DIM_P, 0}, {1, 0}};
        td[3] = (tdim){1, {DSE_DIM_Q, 0}, {1, 0}};
        return 4;
    }
}

/* Extent of a tensor dimension over a box whose problem extents are E. */
static double td_ext(const tdim *td, const long *E)
{
    double x = 1;
    for (int i = 0; i < td->n; i++) x += (double)td->a[i] * (double)(E[td->d[i]] - 1);
    return x;
}

static double box(const tdim *td, int n, const long *E)
{
    double v = 1;
    for (int i = 0; i < n; i++) v *= td_ext(&td[i], E);
    return v;
}

/* One temporal loop above a storage level: dimension, factor, and the step
 * of its coordinate (the product of the dimension's factors below it). */
typedef struct loop { int d; long f, st; } loop;

static long below(const dse_mapping *m, int lvl, int d)
{
    long x = 1;
    for (int l = 0; l < lvl; l++) x *= m->f[l][d];
    return x;
}

/* Top mapping level of a storage level's tile. */
static int top_of(dse_store s) { return s == DSE_ST_ACC ? DSE_LV_ACC : s == DSE_ST_SRAM ? DSE_LV_SRAM : DSE_LV_DRAM; }

/* The temporal loops above storage level s, innermost first (factor-1
 * loops never step and are left out). */
static int walk_of(const dse_mapping *m, dse_store s, loop *lp)
{
    int n = 0;
    for (int l = top_of(s) + 1; l < DSE_NLEVELS; l++) {
        if (!dse_level_temporal((dse_level)l)) continue;
        for (int i = 0; i < DSE_NDIMS; i++) {
            int d = m->order[l][i];
            if (m->f[l][d] > 1) lp[n++] = (loop){d, m->f[l][d], below(m, l, d)};
        }
    }
    return n;
}

/* Rule 2 (and 4's residencies): over the walk lp[0..n-1], the sum of
 * |new tile \ previous tile|, the first tile whole. When loop j steps, the
 * loops inside it return from their last iteration to the first, so every
 * tensor dimension moves by a fixed offset; tiles are equal boxes, so the
 * overlap is the product of max(0, extent - |offset|). */
static double walk_fills(const tdim *td, int ntd, const long *E, const loop *lp, int n)
{
    double tile = box(td, ntd, E), total = tile, outer = 1;
    for (int j = n - 1; j >= 0; j--) {
        long delta[DSE_NDIMS] = {0};
        delta[lp[j].d] += lp[j].st;
        for (int k = 0; k < j; k++) delta[lp[k].d] -= (lp[k].f - 1) * lp[k].st;
        double ov = 1;
        for (int i = 0; i < ntd && ov > 0; i++) {
            double off = 0;
            for (int q = 0; q < td[i].n; q++) off += (double)td[i].a[q] * (double)delta[td[i].d[q]];
            ov *= fmax(0.0, td_ext(&td[i], E) - fabs(off));
        }
        total += (double)(lp[j].f - 1) * outer * (tile - ov);
        outer *= (double)lp[j].f;
    }
    return total;
}

/* Elements of a tile, clipped to the real tensor (the mapper's padding). */
static double real_tile(const tdim *td, int n, const long *E, const long *real)
{
    double v = 1;
    for (int i = 0; i < n; i++) v *= fmin(td_ext(&td[i], E), td_ext(&td[i], real));
    return v;
}

void dse_traffic_dense(const dse_problem *pb, const dse_mapping *m, int bits, int acc_bits, dse_traffic *t)
{
    memset(t, 0, sizeof *t);
    dse_problem pad = *pb;
    for (int d = 0; d < DSE_NDIMS; d++) pad.ext[d] = dse_mapping_extent(m, d);
    double pmacs = dse_problem_macs(&pad);
    t->macs = t->computes = dse_problem_macs(pb);
    t->cycles = t->used = 1;
    for (int l = 0; l < DSE_NLEVELS; l++)
        for (int d = 0; d < DSE_NDIMS; d++) {
            if (dse_level_temporal((dse_level)l)) t->cycles *= (double)m->f[l][d];
            else t->used *= (double)m->f[l][d];
        }

    long E[DSE_NSTORES][DSE_NDIMS];
    loop lp[DSE_NSTORES][2 * DSE_NDIMS];
    int nl[DSE_NSTORES];
    for (int s = 0; s < DSE_NSTORES; s++) {
        for (int d = 0; d < DSE_NDIMS; d++) E[s][d] = below(m, top_of((dse_store)s) + 1, d);
        nl[s] = walk_of(m, (dse_store)s, lp[s]);
    }
    double inst = 1;   /* accumulator instances: the DPUs */
    for (int d = 0; d < DSE_NDIMS; d++) inst *= (double)(m->f[DSE_LV_COLS][d] * m->f[DSE_LV_ROWS][d]);

    for (int tn = 0; tn < DSE_NTENSORS; tn++) {
        tdim td[4];
        int ntd = tdims(pb, (dse_tensor)tn, td);
        if (tn != DSE_TO) {
            /* rule 3: one read per distinct element and step; multicast over
             * the spatial loops of dimensions that do not index the tensor */
            double mc = 1;
            for (int l = 0; l < DSE_NLEVELS; l++)
                if (!dse_level_temporal((dse_level)l))
                    for (int d = 0; d < DSE_NDIMS; d++)
                        if (!dse_problem_indexes(pb, (dse_tensor)tn, (dse_dim)d)) mc *= (double)m->f[l][d];
            t->words[DSE_ST_SRAM][tn][DSE_A_READ] = pmacs / mc;
            t->words[DSE_ST_SRAM][tn][DSE_A_FILL] = walk_fills(td, ntd, E[DSE_ST_SRAM], lp[DSE_ST_SRAM], nl[DSE_ST_SRAM]);
            t->words[DSE_ST_DRAM][tn][DSE_A_READ] = t->words[DSE_ST_SRAM][tn][DSE_A_FILL];
        } else {
            /* rule 4: residencies V; a first residency starts from zero */
            double o = box(td, ntd, pad.ext);
            double vacc = inst * walk_fills(td, ntd, E[DSE_ST_ACC], lp[DSE_ST_ACC], nl[DSE_ST_ACC]);
            double vsram = walk_fills(td, ntd, E[DSE_ST_SRAM], lp[DSE_ST_SRAM], nl[DSE_ST_SRAM]);
            t->words[DSE_ST_ACC][tn][DSE_A_UPDATE] = vacc;
            t->words[DSE_ST_ACC][tn][DSE_A_READ] = vacc - o;
            t->words[DSE_ST_ACC][tn][DSE_A_FILL] = vacc - o;
            t->words[DSE_ST_SRAM][tn][DSE_A_UPDATE] = vacc;
            t->words[DSE_ST_SRAM][tn][DSE_A_READ] = vacc - o;
            t->words[DSE_ST_SRAM][tn][DSE_A_FILL] = vsram - o;
            t->words[DSE_ST_DRAM][tn][DSE_A_UPDATE] = vsram;
            t->words[DSE_ST_DRAM][tn][DSE_A_READ] = vsram - o;
            t->tile[DSE_ST_ACC][tn] = real_tile(td, ntd, E[DSE_ST_ACC], pb->ext);
            t->width[DSE_ST_ACC][tn] = acc_bits;
            t->width[DSE_ST_SRAM][tn] = vacc > o ? acc_bits : bits;
            t->width[DSE_ST_DRAM][tn] = vsram > o ? acc_bits : bits;
        }
        t->tile[DSE_ST_SRAM][tn] = real_tile(td, ntd, E[DSE_ST_SRAM], pb->ext);
        t->tile[DSE_ST_DRAM][tn] = dse_problem_size(pb, (dse_tensor)tn);
        /* padding: every count of the tensor scales with its real share */
        double k = dse_problem_size(pb, (dse_tensor)tn) / dse_problem_size(&pad, (dse_tensor)tn);
        if (k != 1)
            for (int s = 0; s < DSE_NSTORES; s++)
                for (int a = 0; a < DSE_NACTIONS; a++) t->words[s][tn][a] *= k;
    }

    /* word widths: operands `bits`; outputs are partial sums (acc_bits) in the
     * accumulator, and at the next level up wherever a level's residencies
     * revisit outputs (V > |O|: a reduction loop above it) */
    for (int s = 0; s < DSE_NSTORES; s++) t->width[s][DSE_TW] = t->width[s][DSE_TI] = s == DSE_ST_ACC ? 0 : bits;
}

double dse_density_rho(double d, int fixed, double n) { return fixed || n <= 0 ? d : ceil(d * n) / n; }

void dse_enc_of(dse_format f, double rho, double d, double n, int word_bits, dse_enc *enc)
{
    memset(enc, 0, sizeof *enc);
    enc->rho = 1;
    if (f == DSE_FMT_NONE) return;
    enc->rho = rho;
    if (n > 0) {
        enc->nnz = ceil(d * n);
        enc->n = n;
        enc->rho = enc->nnz / n;
    }
    if (f == DSE_FMT_BITMAP) enc->meta_coord = 1;
    else enc->meta_word = word_bits;
}

/* Words of alg dense words stored with enc (rule 6): alg - floor(alg (1 - rho)),
 * in integers when rho = nnz / n and alg is a whole number (below 2^63). */
static double stored(double alg, const dse_enc *enc)
{
    if (enc->rho >= 1) return alg;
    if (enc->n > 0 && alg == floor(alg) && alg < 9.2e18 && enc->n < 9.2e18) {
        unsigned __int128 a = (unsigned __int128)alg, z = (unsigned __int128)(enc->n - enc->nnz);
        return (double)(a - a * z / (unsigned __int128)enc->n);
    }
    return alg - floor(alg * (1 - enc->rho));
}

void dse_traffic_encode_level(dse_traffic *t, dse_store s, dse_tensor tn, const dse_enc *enc)
{
    for (int a = 0; a < DSE_NACTIONS; a++) {
        double alg = t->words[s][tn][a], w = stored(alg, enc);
        t->words[s][tn][a] = w;
        t->meta[s][tn][a] = enc->meta_coord * alg + enc->meta_word * w;
    }
}

void dse_traffic_encode(dse_traffic *t, dse_tensor tn, const dse_enc *enc)
{
    dse_traffic_encode_level(t, DSE_ST_SRAM, tn, enc);
    dse_traffic_encode_level(t, DSE_ST_DRAM, tn, enc);
}

void dse_traffic_computes(dse_traffic *t, const double rho[2], const int compressed[2], int gate)
{
    double c = t->macs;
    for (int i = 0; i < 2; i++)
        if (gate || compressed[i]) c *= rho[i];
    t->computes = c;
    if (!gate && (compressed[0] || compressed[1]) && t->used > 0) t->cycles = ceil(c / t->used);
}

double dse_traffic_tile_bits(const dse_traffic *t, dse_tensor tn, const dse_enc *enc)
{
    double alg = t->tile[DSE_ST_SRAM][tn], w = enc ? stored(alg, enc) : alg;
    double meta = enc ? enc->meta_coord * alg + enc->meta_word * w : 0;
    return w * t->width[DSE_ST_SRAM][tn] + meta;
}

int dse_traffic_fits(const dse_traffic *t, const dse_enc *const enc[DSE_NTENSORS], const double cap_bits[DSE_NTENSORS],
                     char *why, size_t n)
{
    static const char *const what[DSE_NTENSORS] = {"weight", "activation", "output"};
    for (int tn = 0; tn < DSE_NTENSORS; tn++) {
        double b = dse_traffic_tile_bits(t, (dse_tensor)tn, enc[tn]);
        if (b > cap_bits[tn]) {
            snprintf(why, n, "the %s tile (%.0f elements, %.4g KiB) does not fit the %s SRAM (%.4g KiB)", what[tn],
                     t->tile[DSE_ST_SRAM][tn], b / 8192, what[tn], cap_bits[tn] / 8192);
            return 0;
        }
    }
    return 1;
}

double dse_traffic_tensor_bits(const dse_traffic *t, dse_store s, dse_tensor tn)
{
    double b = 0;
    for (int a = 0; a < DSE_NACTIONS; a++) b += t->words[s][tn][a] * t->width[s][tn] + t->meta[s][tn][a];
    return b;
}

double dse_traffic_bits(const dse_traffic *t, dse_store s)
{
    double b = 0;
    for (int tn = 0; tn < DSE_NTENSORS; tn++) b += dse_traffic_tensor_bits(t, s, (dse_tensor)tn);
    return b;
}

void dse_traffic_scale(dse_traffic *t, double k)
{
    t->macs *= k;
    t->computes *= k;
    t->cycles *= k;
    t->decoded *= k;
    t->encoded *= k;
    for (int s = 0; s < DSE_NSTORES; s++)
        for (int tn = 0; tn < DSE_NTENSORS; tn++)
            for (int a = 0; a < DSE_NACTIONS; a++) {
                t->words[s][tn][a] *= k;
                t->meta[s][tn][a] *= k;
            }
}
