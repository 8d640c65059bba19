/* check_perf.c -- layer performance model: dense geometry, bounds, N:M, determinism, cache, fidelities agree. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "mask.h"
#include "perf.h"
#include "rng.h"
#include "testutil.h"

static dse_point point(int rows, int cols, int lanes)
{
    dse_point p;
    dse_point_defaults(&p);
    p.rows = rows; p.cols = cols; p.lanes = lanes;
    return p;
}

static dse_layer layer(const char *name, int P, int K, int Cin, int R, int S, int groups)
{
    dse_layer L;
    memset(&L, 0, sizeof L);
    dse_strlcpy(L.name, name, sizeof L.name);
    L.P = P; L.K = K; L.Cin = Cin; L.R = R; L.S = S; L.groups = groups; L.repeat = 1;
    L.w.dist = L.a.dist = DSE_DIST_BERNOULLI;
    L.w.density = L.a.density = 1;
    return L;
}

static dse_window win(int H, int D, int U, dse_shape sh)
{
    dse_window w = {H, D, U, sh};
    return w;
}

static dse_config config(int ws, int as, dse_window w, dse_window a, dse_dualorg org)
{
    dse_config c;
    memset(&c, 0, sizeof c);
    c.wsparse = ws; c.asparse = as; c.w = w; c.a = a; c.org = org;
    return c;
}

static dse_perf_opts opts(dse_fidelity f)
{
    dse_perf_opts o = {f, 7, 0.01, 16, 4096, NULL, DSE_SCOPE_LAYER, NULL, 0};
    return o;
}

static dse_perf run(const dse_point *p, const dse_config *c, const dse_layer *L, const dse_perf_opts *o)
{
    dse_perf r;
    dse_err e = {0};
    int rc = dse_perf_layer(p, c, L, o, &r, &e);
    ck_assert_msg(rc == DSE_OK, "dse_perf_layer: %s", e.msg);
    return r;
}

/* A reduction of 2^24 on 64 x 64 DPUs: sampled tiles would take 2 GiB, so
 * the sampled fidelity refuses the layer before allocating; the closed
 * form evaluates it. */
START_TEST(tile_bound)
{
    dse_point p = point(64, 64, 16);
    dse_layer L = layer("long", 64, 64, 1 << 24, 1, 1, 1);
    L.w.density = L.a.density = 0.5;
    dse_config c = config(1, 1, win(1, 1, 0, DSE_SHAPE_T), win(1, 1, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
    dse_perf_opts o = opts(DSE_FID_SAMPLED);
    dse_perf r;
    dse_err e = {0};
    ck_assert_int_eq(dse_perf_layer(&p, &c, &L, &o, &r, &e), DSE_EINPUT);
    ck_assert_msg(strstr(e.msg, "layer long: its scheduler tiles take 2 GiB") != NULL, "%s", e.msg);
    o = opts(DSE_FID_CLOSED);
    ck_assert_int_eq(dse_perf_layer(&p, &c, &L, &o, &r, &e), DSE_OK);
    ck_assert_double_gt(r.dense_cycles / r.cycles, 1);
}
END_TEST

/* Dense geometry by hand: T = ceil(Cin_g / lanes) * R * S steps,
 * dense = repeat * groups * ceil(P / rows) * ceil(K_g / cols) * T. */
START_TEST(dense_geometry)
{
    dse_point p = point(4, 8, 16);
    dse_layer L = layer("g1", 10, 20, 35, 3, 3, 1);
    dse_window w = win(2, 3, 1, DSE_SHAPE_T);
    dse_config dense = config(0, 0, w, w, DSE_DUAL_CASCADED);
    for (int f = 0; f < DSE_NFIDS; f++) {
        dse_perf_opts o = opts((dse_fidelity)f);
        dse_perf r = run(&p, &dense, &L, &o);
        ck_assert_double_eq(r.dense_cycles, 3 * 3 * 27);   /* ceil(10/4) ceil(20/8) (3*9) */
        ck_assert_double_eq(r.cycles, r.dense_cycles);
        ck_assert_double_eq(r.cycles_lo, r.cycles);
        ck_assert_double_eq(r.cycles_hi, r.cycles);
        ck_assert_double_eq(r.macs, 10.0 * 20 * 35 * 9);
        ck_assert_double_eq(r.eff_macs, r.macs);
        ck_assert_double_eq(r.w_borrowed + r.a_borrowed + r.unit_borrowed, 0);
    }
    /* grouped, repeated: Cin_g = 7, K_g = 4: T = 9, dense = 2 * 5 * 3 * 1 * 9 */
    L = layer("g5", 10, 20, 35, 3, 3, 5);
    L.repeat = 2;
    dse_perf_opts o = opts(DSE_FID_SAMPLED);
    dse_perf r = run(&p, &dense, &L, &o);
    ck_assert_double_eq(r.dense_cycles, 270);
    ck_assert_double_eq(r.cycles, 270);
    ck_assert_double_eq(r.macs, 2.0 * 10 * 20 * 7 * 9);
}
END_TEST

/* Sparse tensors without a borrowing window run at dense speed; eff_macs
 * counts only the tensors the mode treats as sparse. */
START_TEST(no_borrowing)
{
    dse_point p = point(4, 4, 8);
    dse_layer L = layer("nb", 37, 19, 21, 3, 1, 1);
    L.w.density = 0.3; L.a.density = 0.6;
    dse_window z = win(0, 0, 0, DSE_SHAPE_T);
    dse_config cs[3] = {config(1, 0, z, z, DSE_DUAL_JOINT), config(0, 1, z, z, DSE_DUAL_JOINT),
                        config(1, 1, z, z, DSE_DUAL_CASCADED)};
    double eff[3] = {0.3, 0.6, 0.18};
    for (int i = 0; i < 3; i++)
        for (int f = 0; f < DSE_NFIDS; f++) {
            dse_perf_opts o = opts((dse_fidelity)f);
            dse_perf r = run(&p, &cs[i], &L, &o);
            ck_assert_double_eq(r.dense_cycles, 10 * 5 * 3 * 3);
            ck_assert_double_eq(r.cycles, r.dense_cycles);
            ck_assert_near(r.eff_macs, r.macs * eff[i], 1e-12);
        }
    /* a weight window is ignored when the mode has no sparse weights */
    dse_config c = config(0, 1, win(3, 2, 0, DSE_SHAPE_RECT), z, DSE_DUAL_JOINT);
    dse_perf_opts o = opts(DSE_FID_FULL);
    dse_perf r = run(&p, &c, &L, &o);
    ck_assert_double_eq(r.cycles, r.dense_cycles);
}
END_TEST

/* All-dense masks in a sparse mode: no row is ever empty, so dense cycles.
 * (Padding lanes are zeros: with Cin = 35 on 16 lanes a lookahead window
 * compacts the stream, so that case is not dense; see docs/perf.md.) */
START_TEST(dense_masks)
{
    dse_point p = point(4, 8, 16);
    dse_window w = win(3, 4, 1, DSE_SHAPE_RECT);
    dse_config cs[3] = {config(1, 0, w, w, DSE_DUAL_JOINT), config(0, 1, w, w, DSE_DUAL_JOINT),
                        config(1, 1, w, w, DSE_DUAL_CASCADED)};
    for (int i = 0; i < 3; i++) {
        dse_layer L = layer("dm", 8, 16, 32, 3, 3, 1);   /* no padding units: unit lookaside would use them */
        for (int f = 0; f < DSE_NFIDS; f++) {
            dse_perf_opts o = opts((dse_fidelity)f);
            dse_perf r = run(&p, &cs[i], &L, &o);
            ck_assert_near(r.cycles, r.dense_cycles, 1e-12);
        }
    }
}
END_TEST

/* 2:4 along the reduction, lookahead 1, a rect window reaching every lane:
 * each step absorbs the next, which is skipped: exactly 2x, in every
 * fidelity, for weights (static) and activations (online). */
START_TEST(nm_two_to_four)
{
    dse_point p = point(4, 4, 16);
    dse_layer L = layer("nm", 24, 12, 64, 3, 3, 1);
    L.w.dist = L.a.dist = DSE_DIST_NM;
    L.w.n = L.a.n = 2; L.w.m = L.a.m = 4;
    L.w.density = L.a.density = 0.5;
    dse_window w = win(1, 8, 0, DSE_SHAPE_RECT);
    dse_config cs[2] = {config(1, 0, w, w, DSE_DUAL_JOINT), config(0, 1, w, w, DSE_DUAL_JOINT)};
    for (int i = 0; i < 2; i++)
        for (int f = 0; f < DSE_NFIDS; f++) {
            dse_perf_opts o = opts((dse_fidelity)f);
            dse_perf r = run(&p, &cs[i], &L, &o);
            ck_assert_msg(fabs(r.dense_cycles / r.cycles - 2) < 1e-12, "mode %d fidelity %d: speedup %.17g", i, f,
                          r.dense_cycles / r.cycles);
            if (f != DSE_FID_CLOSED) ck_assert_double_eq(r.cycles_hi, r.cycles_lo);  /* no variance */
        }
    /* 1:4 with lookahead 1 is capped at 2x by the lookahead (H + 1) */
    L.w.n = 1; L.w.density = 0.25;
    dse_perf_opts o = opts(DSE_FID_FULL);
    dse_perf r = run(&p, &cs[0], &L, &o);
    ck_assert_near(r.dense_cycles / r.cycles, 2, 1e-12);
}
END_TEST

/* SRAM bandwidth (docs/perf.md): a window whose ideal speedup is exactly
 * 3x (1:3 structured on both sides, lookahead 2) on SRAMs that deliver 2
 * rows a cycle runs at T / ceil(T / 2) <= 2x in every fidelity; with 3 rows
 * a cycle (or unbounded) the stall term is zero. */
START_TEST(bandwidth_stalls)
{
    dse_point p = point(4, 4, 12);
    dse_layer L = layer("nm", 24, 12, 36, 3, 3, 1);   /* T = 3 blocks x 9 = 27 steps */
    L.w.dist = L.a.dist = DSE_DIST_NM;
    L.w.n = L.a.n = 1; L.w.m = L.a.m = 3;
    L.w.density = L.a.density = 1.0 / 3;
    dse_window w = win(2, 8, 0, DSE_SHAPE_RECT);
    dse_config cs[2] = {config(1, 0, w, w, DSE_DUAL_JOINT), config(0, 1, w, w, DSE_DUAL_JOINT)};
    for (int i = 0; i < 2; i++)
        for (int f = 0; f < DSE_NFIDS; f++) {
            dse_perf_opts o = opts((dse_fidelity)f);
            dse_perf r = run(&p, &cs[i], &L, &o);
            ck_assert_msg(fabs(r.dense_cycles / r.cycles - 3) < 1e-12, "ideal: mode %d fidelity %d: speedup %.17g",
                          i, f, r.dense_cycles / r.cycles);
            ck_assert_double_eq(r.sram_cycles, 0);
            cs[i].rows_per_cycle = 3;
            dse_perf r3 = run(&p, &cs[i], &L, &o);
            ck_assert_double_eq(r3.cycles, r.cycles);           /* enough bandwidth: no stall */
            ck_assert_double_eq(r3.sram_cycles, r.dense_cycles / 3);
            cs[i].rows_per_cycle = 2;
            dse_perf r2 = run(&p, &cs[i], &L, &o);
            ck_assert_msg(fabs(r2.dense_cycles / r2.cycles - 27.0 / 14) < 1e-12, "2 rows: mode %d fidelity %d: %.17g",
                          i, f, r2.dense_cycles / r2.cycles);
            ck_assert_double_eq(r2.cycles, r2.sram_cycles);     /* every tile stalls */
            cs[i].rows_per_cycle = 1;
            dse_perf r1 = run(&p, &cs[i], &L, &o);
            ck_assert_double_eq(r1.cycles, r1.dense_cycles);    /* a dense core's bandwidth: no gain */
            cs[i].rows_per_cycle = 0;
        }
}
END_TEST

/* A random 0/1 mask with exactly round(d * n) ones (a Fisher-Yates prefix). */
static void exact_mask(dse_mask *m, int d0, int d1, int d2, int d3, double d, uint64_t seed)
{
    dse_mask_alloc(m, d0, d1, d2, d3);
    size_t n = (size_t)d0 * d1 * d2 * d3, ones = (size_t)lround(d * (double)n);
    for (size_t i = 0; i < ones; i++) m->bits[i] = 1;
    dse_rng r;
    dse_rng_seed(&r, seed);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = dse_rng_below(&r, i + 1);
        uint8_t t = m->bits[i]; m->bits[i] = m->bits[j]; m->bits[j] = t;
    }
    m->density = (double)ones / (double)n;
}

/* Bounds over random configurations (full layer, real masks so the
 * realised density is known): speedup <= H + 1 on one side, <= 1/d, dual
 * <= slots / effectual pairs (<= 1/(d_w d_a) in expectation), >= 1. */
START_TEST(bounds)
{
    dse_rng r;
    dse_rng_seed(&r, 99);
    for (int it = 0; it < 40; it++) {
        int lanes = 4 << dse_rng_below(&r, 2), rows = 1 + (int)dse_rng_below(&r, 4), cols = 1 + (int)dse_rng_below(&r, 4);
        int K = cols * (1 + (int)dse_rng_below(&r, 3)), C = lanes * (1 + (int)dse_rng_below(&r, 3));
        int P = rows * (1 + (int)dse_rng_below(&r, 3));
        dse_point p = point(rows, cols, lanes);
        dse_layer L = layer("b", P, K, C, 1, 1, 1);
        dse_mask wm, am;
        double dw = 0.1 + 0.8 * dse_rng_uniform(&r), da = 0.1 + 0.8 * dse_rng_uniform(&r);
        exact_mask(&wm, K, C, 1, 1, dw, 1000 + it);
        exact_mask(&am, 1, C, 1, P, da, 2000 + it);   /* (N, C, H, W) with H*W = P */
        L.w.dist = L.a.dist = DSE_DIST_NPY;
        L.w.mask = &wm; L.a.mask = &am;
        L.w.density = wm.density; L.a.density = am.density;
        dse_window w = win(1 + (int)dse_rng_below(&r, 4), (int)dse_rng_below(&r, 4), (int)dse_rng_below(&r, 2),
                           (dse_shape)dse_rng_below(&r, 3));
        dse_window a = win(1 + (int)dse_rng_below(&r, 3), (int)dse_rng_below(&r, 4), (int)dse_rng_below(&r, 2),
                           (dse_shape)dse_rng_below(&r, 3));
        dse_perf_opts o = opts(DSE_FID_FULL);
        dse_config cw = config(1, 0, w, a, DSE_DUAL_JOINT), ca = config(0, 1, w, a, DSE_DUAL_JOINT);
        dse_perf rw = run(&p, &cw, &L, &o), ra = run(&p, &ca, &L, &o);
        double sw = rw.dense_cycles / rw.cycles, sa = ra.dense_cycles / ra.cycles;
        ck_assert_msg(sw >= 1 && sw <= w.lookahead + 1 + 1e-12, "it %d: weight speedup %g, H %d", it, sw, w.lookahead);
        ck_assert_msg(sw <= 1 / wm.density + 1e-9, "it %d: weight speedup %g > 1/d %g", it, sw, 1 / wm.density);
        ck_assert_msg(sa >= 1 && sa <= a.lookahead + 1 + 1e-12, "it %d: act speedup %g, H %d", it, sa, a.lookahead);
        ck_assert_msg(sa <= 1 / am.density + 1e-9, "it %d: act speedup %g > 1/d %g", it, sa, 1 / am.density);
        double pairs = 0;   /* brute-force effectual pairs */
        for (int k = 0; k < K; k++)
            for (int px = 0; px < P; px++)
                for (int c = 0; c < C; c++) pairs += wm.bits[k * C + c] && am.bits[c * P + px];
        for (int org = 0; org < DSE_NDUALORGS; org++) {
            dse_config cd = config(1, 1, w, a, (dse_dualorg)org);
            dse_perf rd = run(&p, &cd, &L, &o);
            double sd = rd.dense_cycles / rd.cycles, slots = (double)P * K * C;
            ck_assert_msg(sd >= 1 - 1e-12, "it %d: dual speedup %g < 1", it, sd);
            if (pairs > 0)
                ck_assert_msg(sd <= slots / pairs + 1e-9, "it %d org %d: dual speedup %g > %g", it, org, sd, slots / pairs);
            ck_assert_double_eq(rd.eff_macs, rd.macs * wm.density * am.density);
        }
        dse_mask_free(&wm);
        dse_mask_free(&am);
    }
}
END_TEST

/* Same key, same result; the cache changes nothing but the time; design
 * points differing only in non-scheduler parameters hit the cache. */
START_TEST(determinism_cache)
{
    dse_point p = point(8, 8, 16);
    dse_layer L = layer("det", 196, 256, 64, 3, 3, 1);   /* 32 weight sets, 25 pixel groups */
    L.w.density = 0.35; L.a.density = 0.5;
    L.w.dist = DSE_DIST_BETA; L.w.spread = 0.1;
    dse_window w = win(2, 2, 0, DSE_SHAPE_T);
    dse_config cs[3] = {config(1, 0, w, w, DSE_DUAL_JOINT), config(0, 1, w, w, DSE_DUAL_JOINT),
                        config(1, 1, w, w, DSE_DUAL_CASCADED)};
    dse_perf_cache *cache = dse_perf_cache_new();
    for (int i = 0; i < 3; i++) {
        dse_perf_opts o = opts(DSE_FID_SAMPLED);
        dse_perf a = run(&p, &cs[i], &L, &o), b = run(&p, &cs[i], &L, &o);
        ck_assert_mem_eq(&a, &b, sizeof a);
        o.cache = cache;
        dse_perf c = run(&p, &cs[i], &L, &o);
        ck_assert_mem_eq(&a, &c, sizeof a);
        dse_point q = p;
        q.clock_mhz = 500; q.wsram_kib = 64; q.bits = 4;
        uint64_t l0, h0, l1, h1;
        dse_perf_cache_stats(cache, &l0, &h0);
        dse_perf d = run(&q, &cs[i], &L, &o);
        dse_perf_cache_stats(cache, &l1, &h1);
        ck_assert_mem_eq(&a, &d, sizeof a);
        ck_assert_uint_eq(l1, l0 + 1);
        ck_assert_uint_eq(h1, h0 + 1);
        /* another seed is another estimate (and a miss) */
        o.seed = 8;
        dse_perf e = run(&p, &cs[i], &L, &o);
        dse_perf_cache_stats(cache, &l0, &h0);
        ck_assert_uint_eq(h0, h1);
        ck_assert(e.cycles != a.cycles);
        ck_assert(a.cycles_lo < a.cycles && a.cycles < a.cycles_hi);
        ck_assert(a.cycles < a.dense_cycles);
    }
    dse_perf_cache_free(cache);
}
END_TEST

/* The sampled estimate draws tiles of the very population the full layer
 * schedules, so the full-layer value lies within the reported CI (checked
 * at twice the half-width: a fixed seed makes this deterministic). */
START_TEST(sampled_vs_full)
{
    dse_point p = point(4, 4, 8);
    struct { const char *name; int P, K, C, R, dist; double dw, da; } ls[] = {
        {"s1", 120, 64, 24, 3, DSE_DIST_BERNOULLI, 0.3, 0.5},
        {"s2", 200, 40, 64, 1, DSE_DIST_CLUSTER, 0.4, 0.6},
        {"s3", 96, 96, 20, 3, DSE_DIST_BETA, 0.25, 0.45},
    };
    dse_window w = win(2, 2, 1, DSE_SHAPE_T);
    dse_config cs[3] = {config(1, 0, w, w, DSE_DUAL_JOINT), config(0, 1, w, w, DSE_DUAL_JOINT),
                        config(1, 1, w, w, DSE_DUAL_CASCADED)};
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++) {
        dse_layer L = layer(ls[i].name, ls[i].P, ls[i].K, ls[i].C, ls[i].R, ls[i].R, 1);
        L.w.dist = L.a.dist = (dse_dist)ls[i].dist;
        L.w.density = ls[i].dw; L.a.density = ls[i].da;
        L.w.spread = L.a.spread = 0.15; L.w.run = L.a.run = 3;
        for (int m = 0; m < 3; m++) {
            dse_perf_opts of = opts(DSE_FID_FULL), os = opts(DSE_FID_SAMPLED);
            os.precision = 0.01; os.min_tiles = 32;
            dse_perf f = run(&p, &cs[m], &L, &of), s = run(&p, &cs[m], &L, &os);
            double half = (s.cycles_hi - s.cycles_lo) / 2;
            ck_assert_msg(fabs(s.cycles - f.cycles) <= 2 * half + 1e-9, "%s mode %d: sampled %g +- %g, full %g",
                          ls[i].name, m, s.cycles, half, f.cycles);
            ck_assert_double_eq(f.cycles_lo, f.cycles_hi);
            ck_assert_msg(half <= os.precision * s.cycles * (1 + 1e-12), "%s mode %d: CI half-width %g > 1%% of %g",
                          ls[i].name, m, half, s.cycles);
            ck_assert_msg(f.cycles < f.dense_cycles, "%s mode %d: full %g dense %g", ls[i].name, m, f.cycles, f.dense_cycles);
        }
    }
}
END_TEST

/* Network scope: the layers are strata of one sample sized for the
 * network total. On a small network whose full reference is cheap: the
 * half-width meets the 1% target, the interval covers the full value for
 * most seeds (nominal 95%; at least 24 of 30 asked), the cache returns the
 * same numbers, and layer scope is dse_perf_layer layer by layer and
 * schedules more tiles. */
START_TEST(network_scope)
{
    dse_point p = point(4, 4, 8);
    dse_layer ls[5] = {layer("n0", 64, 32, 24, 3, 3, 1), layer("n1", 196, 16, 16, 1, 1, 1),
                       layer("n2", 49, 64, 64, 3, 3, 1), layer("n3", 100, 8, 40, 1, 1, 1),
                       layer("dense", 32, 32, 32, 1, 1, 1)};
    const int dist[4] = {DSE_DIST_BERNOULLI, DSE_DIST_BETA, DSE_DIST_CLUSTER, DSE_DIST_BETA};
    const double dw[4] = {0.3, 0.5, 0.2, 0.7}, da[4] = {0.6, 0.4, 0.5, 0.3};
    for (int i = 0; i < 4; i++) {
        ls[i].w.dist = ls[i].a.dist = (dse_dist)dist[i];
        ls[i].w.density = dw[i]; ls[i].a.density = da[i];
        ls[i].w.spread = ls[i].a.spread = 0.15; ls[i].w.run = ls[i].a.run = 3;
    }
    ls[1].repeat = 3;
    dse_network net;
    memset(&net, 0, sizeof net);
    dse_strlcpy(net.name, "tiny", sizeof net.name);
    net.nlayers = 5; net.layers = ls;
    dse_window w = win(2, 2, 0, DSE_SHAPE_T);
    dse_config c = config(1, 1, w, w, DSE_DUAL_CASCADED);
    dse_perf out[5], ref[5];
    dse_err e = {0};
    double half;
    int covered = 0;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        dse_perf_opts of = {DSE_FID_FULL, seed, 0.01, 4, 4096, NULL, DSE_SCOPE_NETWORK, NULL, 0};
        dse_perf_opts o = {DSE_FID_SAMPLED, seed, 0.01, 4, 4096, NULL, DSE_SCOPE_NETWORK, NULL, 0};
        double full = 0, tot = 0;
        ck_assert_int_eq(dse_perf_network(&p, &c, &net, &of, ref, &half, &e), DSE_OK);
        ck_assert_double_eq(half, 0);
        ck_assert_double_eq(ref[4].cycles, ref[4].dense_cycles);
        ck_assert_int_eq(dse_perf_network(&p, &c, &net, &o, out, &half, &e), DSE_OK);
        for (int i = 0; i < 5; i++) { full += ref[i].cycles; tot += out[i].cycles; }
        ck_assert_msg(half <= 0.01 * tot * (1 + 1e-12), "seed %d: half-width %g of %g", (int)seed, half, tot);
        ck_assert_msg(fabs(tot / full - 1) < 0.03, "seed %d: %g vs full %g", (int)seed, tot, full);
        covered += fabs(tot - full) <= half;
    }
    ck_assert_msg(covered >= 24, "the 95%% interval covered the full value %d times of 30", covered);

    /* the cache: a second evaluation hits every borrowing layer, same numbers */
    dse_perf_opts o = {DSE_FID_SAMPLED, 3, 0.01, 4, 4096, dse_perf_cache_new(), DSE_SCOPE_NETWORK, NULL, 0};
    dse_perf again[5];
    double h2;
    uint64_t lookups, hits;
    ck_assert_int_eq(dse_perf_network(&p, &c, &net, &o, out, &half, &e), DSE_OK);
    ck_assert_int_eq(dse_perf_network(&p, &c, &net, &o, again, &h2, &e), DSE_OK);
    dse_perf_cache_stats(o.cache, &lookups, &hits);
    ck_assert_uint_eq(lookups, 8);
    ck_assert_uint_eq(hits, 4);
    ck_assert(memcmp(out, again, sizeof out) == 0 && half == h2);
    dse_perf_cache_free(o.cache);

    /* layer scope: each layer on its own; it needs more tiles than network
     * scope at the same precision and pilot */
    double ntiles = 0, ltiles = 0;
    for (int i = 0; i < 5; i++) ntiles += out[i].tiles;
    o = opts(DSE_FID_SAMPLED);
    o.min_tiles = 4;
    ck_assert_int_eq(dse_perf_network(&p, &c, &net, &o, out, &half, &e), DSE_OK);
    double var = 0;
    for (int i = 0; i < 5; i++) {
        dse_perf r = run(&p, &c, &ls[i], &o);
        ck_assert_double_eq(r.cycles, out[i].cycles);
        var += (r.cycles_hi - r.cycles) * (r.cycles_hi - r.cycles);
        ltiles += r.tiles;
        ck_assert(i == 4 ? r.population == 0 : r.tiles >= 4 && r.tiles <= r.population);
    }
    ck_assert_double_eq(half, sqrt(var));
    ck_assert_msg(ntiles < ltiles, "network scope %g tiles, layer scope %g", ntiles, ltiles);
}
END_TEST

/* Closed form against the sampled estimate on Bernoulli layers with
 * rect windows (the model's home ground): mean error <= 6%, each <= 15%
 * (docs/perf.md lists the errors measured over the shipped workloads). */
START_TEST(closed_vs_sampled)
{
    dse_point p = point(8, 8, 16);
    dse_layer L = layer("cf", 784, 128, 128, 3, 3, 1);
    double sum = 0;
    int n = 0;
    for (int H = 1; H <= 4; H++)
        for (int D = 0; D <= 4; D += 2)
            for (int m = 0; m < 2; m++) {
                L.w.density = 0.3; L.a.density = 0.5;
                dse_window w = win(H, D, 0, DSE_SHAPE_RECT);
                dse_config c = m == 0 ? config(1, 0, w, w, DSE_DUAL_JOINT) : config(0, 1, w, w, DSE_DUAL_JOINT);
                dse_perf_opts os = opts(DSE_FID_SAMPLED), oc = opts(DSE_FID_CLOSED);
                dse_perf s = run(&p, &c, &L, &os), f = run(&p, &c, &L, &oc);
                double err = fabs(f.cycles / s.cycles - 1);
                ck_assert_msg(err <= 0.15, "H %d D %d mode %d: closed %g sampled %g", H, D, m, f.cycles, s.cycles);
                ck_assert(f.cycles <= f.dense_cycles && f.cycles >= f.dense_cycles / (H + 1) - 1e-9);
                sum += err;
                n++;
            }
    ck_assert_msg(sum / n <= 0.06, "mean closed-form error %g", sum / n);
    /* very sparse: both reach the lookahead limit H + 1 = 4 */
    L.w.density = 0.02;
    dse_window w = win(3, 1, 0, DSE_SHAPE_RECT);
    dse_config c = config(1, 0, w, w, DSE_DUAL_JOINT);
    dse_perf_opts os = opts(DSE_FID_SAMPLED), oc = opts(DSE_FID_CLOSED);
    dse_perf s = run(&p, &c, &L, &os), f = run(&p, &c, &L, &oc);
    ck_assert_near(s.dense_cycles / s.cycles, 4, 0.03);
    ck_assert_near(f.dense_cycles / f.cycles, 4, 0.03);
    ck_assert(f.dense_cycles / f.cycles <= 4 + 1e-12);
}
END_TEST

/* Closed form against the sampled estimate on small synthetic Bernoulli
 * layers (196 pixels, 64 filters, 64 channels, 3 x 3: 36-row tiles) over
 * all three window shapes, H 1 and 3, lookaside 1 and 3, in all four
 * kinds of runs (weight, activation, joint dual, cascaded dual) and two
 * density pairs: 96 cases. Measured when written: mean 3.7%, max 11.9%
 * (the high-density activation cases, where the mean-field chain is
 * pessimistic). Asserted: mean <= 5% (the goal of the issue for the
 * closed form) and every case <= 15% (as closed_vs_sampled). */
START_TEST(closed_vs_sampled_mixed)
{
    dse_point p = point(8, 8, 16);
    dse_layer L = layer("cfmix", 196, 64, 64, 3, 3, 1);
    double sum = 0, worst = 0;
    int n = 0;
    for (int sh = 0; sh < DSE_NSHAPES; sh++)
        for (int H = 1; H <= 3; H += 2)
            for (int D = 1; D <= 3; D += 2)
                for (int m = 0; m < 4; m++)
                    for (int di = 0; di < 2; di++) {
                        L.w.density = di ? 0.6 : 0.3;
                        L.a.density = di ? 0.4 : 0.7;
                        dse_window w = win(H, D, 0, (dse_shape)sh), z = win(0, 0, 0, (dse_shape)sh);
                        dse_config c = config(m != 1, m != 0, m == 1 ? z : w, m == 0 ? z : w,
                                              m == 3 ? DSE_DUAL_CASCADED : DSE_DUAL_JOINT);
                        dse_perf_opts os = opts(DSE_FID_SAMPLED), oc = opts(DSE_FID_CLOSED);
                        dse_perf s = run(&p, &c, &L, &os), f = run(&p, &c, &L, &oc);
                        double err = fabs(f.cycles / s.cycles - 1);
                        ck_assert_msg(err <= 0.15, "shape %d H %d D %d kind %d dens %d: closed %g sampled %g", sh, H,
                                      D, m, di, s.dense_cycles / f.cycles, s.dense_cycles / s.cycles);
                        sum += err;
                        if (err > worst) worst = err;
                        n++;
                    }
    ck_assert_msg(sum / n <= 0.05, "mean closed-form error %g (max %g)", sum / n, worst);
}
END_TEST

/* Cascaded dual closed form against the sampled estimate on small layers
 * of the two kinds it used to get wrong (docs/perf.md section 6): 1 x 1
 * and 3 x 3 layers with Beta weights (per-filter spread: after the static
 * stage the densest filters' compacted rows are nearly full and stall the
 * array), and depthwise layers (narrow compacted rows: the online stage is
 * limited by which slots reach which lanes, not by a pool). T(2,5) on both
 * sides, 8 x 8 DPUs of 16 lanes (the bench design). Measured (2026-11):
 * the model before this test was off by up to +29% (the four depthwise
 * cases at density 0.5: +26% to +29%), mean 9.9%; now max 7.6%, mean 2.5%.
 * The tolerance (each within 10%, mean within 4%) keeps a margin over the
 * present model and fails the old one on six cases and on the mean. */
START_TEST(closed_cascaded)
{
    dse_point p = point(8, 8, 16);
    dse_window t25 = win(2, 5, 0, DSE_SHAPE_T);
    dse_config c = config(1, 1, t25, t25, DSE_DUAL_CASCADED);
    double sum = 0, worst = 0;
    int n = 0;
    for (int k = 0; k < 16; k++) {
        dse_layer L;
        if (k < 8) {                               /* Beta weights, 1 x 1 or 3 x 3 */
            int cin = k % 2 ? 256 : 64, ks = k % 4 < 2 ? 1 : 3;
            L = layer(k % 2 ? "cc-a" : "cc-b", 196, 128, cin, ks, ks, 1);
            L.w.dist = DSE_DIST_BETA; L.w.density = k < 4 ? 0.2 : 0.3; L.w.spread = 0.1;
            L.a.dist = DSE_DIST_BETA; L.a.density = k < 4 ? 0.6 : 0.4; L.a.spread = 0.1;
        } else {                                   /* depthwise 3 x 3, dense weights */
            int ch = 32 + 32 * (k % 2);
            L = layer(k % 2 ? "cc-dw1" : "cc-dw2", 196, ch, ch, 3, 3, ch);
            L.a.dist = k < 12 ? DSE_DIST_BETA : DSE_DIST_BERNOULLI;
            L.a.density = k % 4 < 2 ? 0.5 : 0.3; L.a.spread = 0.1;
        }
        dse_perf_opts os = opts(DSE_FID_SAMPLED), oc = opts(DSE_FID_CLOSED);
        dse_perf s = run(&p, &c, &L, &os), f = run(&p, &c, &L, &oc);
        double err = fabs(f.cycles / s.cycles - 1);
        ck_assert_msg(err <= 0.10, "case %d: closed %g sampled %g", k, s.dense_cycles / f.cycles,
                      s.dense_cycles / s.cycles);
        sum += err;
        if (err > worst) worst = err;
        n++;
    }
    ck_assert_msg(sum / n <= 0.04, "mean cascaded closed-form error %g (max %g)", sum / n, worst);
}
END_TEST

/* Closed-form bounds over random configurations and sources (Bernoulli,
 * Beta, N:M, cluster; wide and narrow rows; every kind of run): speedup
 * >= 1, <= H + 1 for one borrowing side ((Hw + 1)(Ha + 1) cascaded), and
 * <= 1 / (density * real-lane fraction). And the closed form is a pure
 * function: asked again after other layers (its internal memo now hit),
 * the same layer gives bit-identical cycles. */
START_TEST(closed_bounds)
{
    dse_rng r;
    dse_rng_seed(&r, 4242);
    dse_dist dists[4] = {DSE_DIST_BERNOULLI, DSE_DIST_BETA, DSE_DIST_NM, DSE_DIST_CLUSTER};
    double first = 0;
    dse_layer L0 = layer("cb0", 1, 1, 1, 1, 1, 1);
    dse_config c0 = config(0, 0, win(0, 0, 0, DSE_SHAPE_T), win(0, 0, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
    dse_point p = point(8, 8, 16);
    for (int it = 0; it < 60; it++) {
        int narrow = it % 3 == 0, C = narrow ? 1 + (int)dse_rng_below(&r, 15) : 16 * (1 + (int)dse_rng_below(&r, 4));
        int groups = narrow && it % 2 ? C : 1, ks = 1 + 2 * (int)dse_rng_below(&r, 2);   /* odd: depthwise */
        dse_layer L = layer("cb", 49 + (int)dse_rng_below(&r, 200), groups * (8 + (int)dse_rng_below(&r, 64)), C,
                            ks, ks, groups);
        dse_sparsity *sp[2] = {&L.w, &L.a};
        for (int i = 0; i < 2; i++) {
            sp[i]->dist = dists[dse_rng_below(&r, 4)];
            sp[i]->density = 0.1 + 0.8 * dse_rng_uniform(&r);
            sp[i]->spread = 0.15; sp[i]->run = 1 + 40 * dse_rng_uniform(&r);
            sp[i]->n = 1 + (int)dse_rng_below(&r, 3); sp[i]->m = 4;
            if (sp[i]->dist == DSE_DIST_NM) sp[i]->density = sp[i]->n / 4.0;
        }
        dse_window w = win(1 + (int)dse_rng_below(&r, 4), (int)dse_rng_below(&r, 6), (int)dse_rng_below(&r, 2),
                           (dse_shape)dse_rng_below(&r, 3));
        dse_window a = win(1 + (int)dse_rng_below(&r, 4), (int)dse_rng_below(&r, 6), 0, (dse_shape)dse_rng_below(&r, 3));
        int m = (int)dse_rng_below(&r, 4);
        dse_config c = config(m != 1, m != 0, w, a, m == 3 ? DSE_DUAL_CASCADED : DSE_DUAL_JOINT);
        dse_perf_opts o = opts(DSE_FID_CLOSED);
        dse_perf f = run(&p, &c, &L, &o);
        double s = f.dense_cycles / f.cycles, dw = m != 1 ? L.w.density : 1, da = m != 0 ? L.a.density : 1;
        int Cg = L.Cin / L.groups, nblk = (Cg + 15) / 16;
        double fill = (double)Cg / (nblk * 16.0);
        double hmax = m == 0 ? w.lookahead + 1 : m == 1 || m == 2 ? a.lookahead + 1
                                                                  : (w.lookahead + 1.0) * (a.lookahead + 1);
        ck_assert_msg(s >= 1 - 1e-12 && s <= hmax + 1e-9, "it %d kind %d: speedup %g, bound %g", it, m, s, hmax);
        ck_assert_msg(s <= 1 / (dw * da * fill) + 1e-9, "it %d: speedup %g > 1/(d fill) %g", it, s, 1 / (dw * da * fill));
        if (it == 0) { first = f.cycles; L0 = L; c0 = c; }
    }
    dse_perf_opts o = opts(DSE_FID_CLOSED);
    dse_perf again = run(&p, &c0, &L0, &o);
    ck_assert_double_eq(again.cycles, first);
}
END_TEST

/* Depthwise 3 x 3 with dense weights on 16 lanes: one real lane, 9 rows.
 * T(4,3) static weight window: entries (1..4, 0), (1, +1), (1, -1),
 * (2, +2). Each cycle the home slot takes row b, the two h = 1 offsets
 * reach row b + 1, offset +2 row b + 2, and rows b + 3, b + 4 only
 * through the busy home slot: 3 rows a cycle, 3 cycles, exactly 3x in
 * every fidelity. A long-run cluster source (runs of 512 elements, far
 * longer than the window) leaves a group of 8 pixels almost nothing to
 * skip: the closed form's all-zero-run estimate 1 / (1 - f + f/3),
 * f = 0.5^8, and the sampled estimate agree within 5%. */
START_TEST(closed_narrow_cluster)
{
    dse_point p = point(8, 8, 16);
    dse_layer L = layer("dw", 196, 32, 32, 3, 3, 32);
    dse_config c = config(1, 0, win(4, 3, 0, DSE_SHAPE_T), win(0, 0, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
    for (int f = 0; f < DSE_NFIDS; f++) {
        dse_perf_opts o = opts((dse_fidelity)f);
        dse_perf r = run(&p, &c, &L, &o);
        ck_assert_msg(fabs(r.dense_cycles / r.cycles - 3) < 1e-12, "fidelity %d: %.17g", f, r.dense_cycles / r.cycles);
    }
    dse_layer Lc = layer("att", 64, 64, 1024, 1, 1, 1);
    Lc.a.dist = DSE_DIST_CLUSTER; Lc.a.density = 0.5; Lc.a.run = 512;
    dse_config ca = config(0, 1, win(0, 0, 0, DSE_SHAPE_T), win(2, 5, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
    dse_perf_opts os = opts(DSE_FID_SAMPLED), oc = opts(DSE_FID_CLOSED);
    dse_perf s = run(&p, &ca, &Lc, &os), f = run(&p, &ca, &Lc, &oc);
    double fz = pow(0.5, 8);
    ck_assert_near(f.dense_cycles / f.cycles, 1 / (1 - fz + fz / 3), 1e-12);
    ck_assert_msg(fabs(f.cycles / s.cycles - 1) <= 0.05, "cluster: closed %g sampled %g", f.dense_cycles / f.cycles,
                  s.dense_cycles / s.cycles);
}
END_TEST

/* The widest pools the parameters allow (256 lanes, unit lookaside 16:
 * 4352 slots) are split into pools of 256 slots: the state stays within
 * the documented bound, and the split loses nothing measurable where the
 * pools saturate (weights at density 0.3: the speedup is within 1% of the
 * unsplit unit-0 pool and of the sampled schedulers'). */
START_TEST(closed_wide_pools)
{
    ck_assert_uint_gt(dse_chain_state_bytes(16, 256, DSE_CHAIN_TYPES), 0);
    ck_assert_uint_le(dse_chain_state_bytes(16, 256 * 17, DSE_CHAIN_TYPES), DSE_CHAIN_MAX_STATE_BYTES);
    ck_assert_uint_eq(dse_chain_state_bytes(16, 256 * 17, DSE_CHAIN_TYPES), dse_chain_state_bytes(16, 256, DSE_CHAIN_TYPES));
    dse_point p = point(2, 2, 256);
    dse_layer L = layer("wide", 64, 64, 256, 1, 1, 1);
    L.w.density = 0.3;
    dse_perf_opts oc = opts(DSE_FID_CLOSED), os = opts(DSE_FID_SAMPLED);
    double s0 = 0;
    for (int U = 0; U <= 16; U += 16) {
        dse_config c = config(1, 0, win(4, 255, U, DSE_SHAPE_RECT), win(0, 0, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
        dse_perf f = run(&p, &c, &L, &oc), s = run(&p, &c, &L, &os);
        double sf = f.dense_cycles / f.cycles, ss = s.dense_cycles / s.cycles;
        if (U == 0) s0 = sf;
        ck_assert_msg(sf >= 1 && sf <= 1 / 0.3 + 1e-9, "U %d: speedup %g", U, sf);
        ck_assert_msg(fabs(sf / s0 - 1) < 0.01 && fabs(sf / ss - 1) < 0.01, "U %d: closed %g (unit 0: %g) sampled %g",
                      U, sf, s0, ss);
    }
}
END_TEST

/* An npy activation mask with R = S = 1 and P = H * W maps pixel p to
 * position p; a mask that is zero except in one channel leaves every
 * pixel with one nonzero, so a big enough online window reaches the
 * limit H + 1 ... bounded by the row count. */
START_TEST(npy_activations)
{
    dse_point p = point(2, 2, 4);
    dse_layer L = layer("npy", 16, 4, 8, 1, 1, 1);
    dse_mask am;
    dse_mask_alloc(&am, 1, 8, 4, 4);
    for (int i = 0; i < 16; i++) am.bits[3 * 16 + i] = 1;    /* channel 3 only */
    am.density = 1.0 / 8;
    L.a.dist = DSE_DIST_NPY; L.a.mask = &am; L.a.density = am.density;
    /* T = 2 steps: channel 3 in step 0; step 1 empty -> skipped with H >= 1 */
    dse_config c = config(0, 1, win(0, 0, 0, DSE_SHAPE_T), win(1, 0, 0, DSE_SHAPE_T), DSE_DUAL_JOINT);
    dse_perf_opts o = opts(DSE_FID_FULL);
    dse_perf r = run(&p, &c, &L, &o);
    ck_assert_double_eq(r.dense_cycles, 8 * 2 * 2);
    ck_assert_double_eq(r.cycles, 8 * 2 * 1);
    /* a mask whose channel count disagrees with the layer is an input error */
    dse_layer bad = layer("bad", 16, 4, 12, 1, 1, 1);
    bad.a = L.a;
    dse_perf out;
    dse_err e = {0};
    ck_assert_int_eq(dse_perf_layer(&p, &c, &bad, &o, &out, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "bad"));
    dse_mask_free(&am);
}
END_TEST

Suite *suite_perf(void); /* called by test/run.c */
Suite *suite_perf(void)
{
    Suite *s = suite_create("perf");
    TCase *tc = tcase_create("perf");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, dense_geometry);
    tcase_add_test(tc, tile_bound);
    tcase_add_test(tc, no_borrowing);
    tcase_add_test(tc, dense_masks);
    tcase_add_test(tc, nm_two_to_four);
    tcase_add_test(tc, bandwidth_stalls);
    tcase_add_test(tc, bounds);
    tcase_add_test(tc, determinism_cache);
    tcase_add_test(tc, sampled_vs_full);
    tcase_add_test(tc, network_scope);
    tcase_add_test(tc, closed_vs_sampled);
    tcase_add_test(tc, closed_vs_sampled_mixed);
    tcase_add_test(tc, closed_cascaded);
    tcase_add_test(tc, closed_bounds);
    tcase_add_test(tc, closed_narrow_cluster);
    tcase_add_test(tc, closed_wide_pools);
    tcase_add_test(tc, npy_activations);
    suite_add_tcase(s, tc);
    return s;
}
