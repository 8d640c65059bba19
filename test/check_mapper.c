/* check_mapper.c -- the mapper: brute-force enumeration of its space, capacity, the cache, feasibility. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper.h"
#include "rng.h"
#include "space.h"
#include "testutil.h"

#define T45 "../spaces/tech/45nm.yaml"

static dse_cost *cost45(void)
{
    dse_tech *t;
    dse_cost *c;
    dse_err e = {0, ""};
    ck_assert_msg(dse_tech_load(&t, T45, &e) == DSE_OK, "%s", e.msg);
    ck_assert_msg(dse_cost_new(&c, t, &e) == DSE_OK, "%s", e.msg);
    dse_tech_free(t);
    return c;
}

static void problem(dse_problem *pb, long N, long K, long C, long P, long Q, long R, long S, int stride)
{
    memset(pb, 0, sizeof *pb);
    long x[DSE_NDIMS] = {N, K, C, P, Q, R, S};
    memcpy(pb->ext, x, sizeof x);
    pb->stride = stride;
}

static long cdiv(long a, long b) { return (a + b - 1) / b; }

static double movement(const dse_cost *c, const dse_point *p, const dse_traffic *t)
{
    double e[DSE_NMOVES], s = 0;
    dse_cost_movement(c, p, t, e);
    for (int i = 0; i < DSE_NMOVES; i++)
        if (i != DSE_MV_MAC) s += e[i];
    return s;
}

/* Does a mapping's dense traffic fit p under the mapper's rule (outputs
 * held as partial sums whenever C loops at DRAM)? */
static int fits_rule(const dse_point *p, const dse_mapping *m, const dse_traffic *t)
{
    double cap[DSE_NTENSORS];
    dse_mapper_capacity(p, cap);
    int ow = m->f[DSE_LV_DRAM][DSE_DIM_C] > 1 ? p->acc_bits : p->bits;
    return t->tile[DSE_ST_SRAM][DSE_TW] * p->bits <= cap[DSE_TW] &&
           t->tile[DSE_ST_SRAM][DSE_TI] * p->bits <= cap[DSE_TI] && t->tile[DSE_ST_SRAM][DSE_TO] * ow <= cap[DSE_TO];
}

static int next_perm(unsigned char *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1]) i--;
    if (i < 0) return 0;
    int j = n - 1;
    while (a[j] <= a[i]) j--;
    unsigned char t = a[i]; a[i] = a[j]; a[j] = t;
    for (int lo = i + 1, hi = n - 1; lo < hi; lo++, hi--) { t = a[lo]; a[lo] = a[hi]; a[hi] = t; }
    return 1;
}

/* The least objective over the whole documented space, by enumeration:
 * the row splits (docs/memory.md), every divisor tiling of K C N P Q
 * between the SRAM and DRAM levels, every permutation of the five at DRAM
 * and, to show that it does not matter, three SRAM orders. */
static double brute(const dse_cost *c, const dse_point *p, const dse_problem *pb, long *count)
{
    const long *x = pb->ext;
    long l = x[DSE_DIM_C] < p->lanes ? x[DSE_DIM_C] : p->lanes, cc = x[DSE_DIM_K] < p->cols ? x[DSE_DIM_K] : p->cols;
    double best = INFINITY, mintiles = INFINITY;
    long rsplit[64][3];
    int nr = 0;
    for (long rn = 1; rn <= x[DSE_DIM_N] && rn <= p->rows; rn++)
        for (long rq = 1; rq <= x[DSE_DIM_Q] && rn * rq <= p->rows; rq++) {
            long rp = p->rows / (rn * rq);
            if (rp > x[DSE_DIM_P]) rp = x[DSE_DIM_P];
            double tiles = (double)cdiv(x[DSE_DIM_N], rn) * cdiv(x[DSE_DIM_Q], rq) * cdiv(x[DSE_DIM_P], rp);
            if (tiles < mintiles) { mintiles = tiles; nr = 0; }
            if (tiles == mintiles && nr < 8) { rsplit[nr][0] = rn; rsplit[nr][1] = rq; rsplit[nr][2] = rp; nr++; }
        }
    static const unsigned char sram_orders[3][DSE_NDIMS] = {
        {DSE_DIM_C, DSE_DIM_R, DSE_DIM_S, DSE_DIM_K, DSE_DIM_P, DSE_DIM_Q, DSE_DIM_N},
        {DSE_DIM_Q, DSE_DIM_P, DSE_DIM_N, DSE_DIM_K, DSE_DIM_C, DSE_DIM_R, DSE_DIM_S},
        {DSE_DIM_P, DSE_DIM_K, DSE_DIM_Q, DSE_DIM_N, DSE_DIM_C, DSE_DIM_S, DSE_DIM_R}};
    for (int k = 0; k < nr; k++) {
        const dse_dim td[5] = {DSE_DIM_K, DSE_DIM_C, DSE_DIM_N, DSE_DIM_P, DSE_DIM_Q};
        long ext[5] = {cdiv(x[DSE_DIM_K], cc), cdiv(x[DSE_DIM_C], l), cdiv(x[DSE_DIM_N], rsplit[k][0]),
                       cdiv(x[DSE_DIM_P], rsplit[k][2]), cdiv(x[DSE_DIM_Q], rsplit[k][1])};
        long in[5];
        for (in[0] = 1; in[0] <= ext[0]; in[0]++)
        for (in[1] = 1; in[1] <= ext[1]; in[1]++)
        for (in[2] = 1; in[2] <= ext[2]; in[2]++)
        for (in[3] = 1; in[3] <= ext[3]; in[3]++)
        for (in[4] = 1; in[4] <= ext[4]; in[4]++) {
            int ok = 1;
            for (int i = 0; i < 5; i++) ok &= ext[i] % in[i] == 0;
            if (!ok) continue;
            dse_mapping m;
            dse_mapping_init(&m);
            m.f[DSE_LV_LANES][DSE_DIM_C] = l;
            m.f[DSE_LV_ACC][DSE_DIM_C] = in[1];
            m.f[DSE_LV_ACC][DSE_DIM_R] = x[DSE_DIM_R];
            m.f[DSE_LV_ACC][DSE_DIM_S] = x[DSE_DIM_S];
            m.f[DSE_LV_COLS][DSE_DIM_K] = cc;
            m.f[DSE_LV_ROWS][DSE_DIM_N] = rsplit[k][0];
            m.f[DSE_LV_ROWS][DSE_DIM_Q] = rsplit[k][1];
            m.f[DSE_LV_ROWS][DSE_DIM_P] = rsplit[k][2];
            for (int i = 0; i < 5; i++) {
                if (td[i] != DSE_DIM_C) m.f[DSE_LV_SRAM][td[i]] = in[i];
                m.f[DSE_LV_DRAM][td[i]] = ext[i] / in[i];
            }
            dse_traffic t;
            dse_traffic_dense(pb, &m, p->bits, p->acc_bits, &t);
            if (!fits_rule(p, &m, &t)) continue;
            for (int so = 0; so < 3; so++) {
                memcpy(m.order[DSE_LV_SRAM], sram_orders[so], DSE_NDIMS);
                unsigned char perm[5] = {td[0], td[1], td[2], td[3], td[4]};
                /* sorted start for next_perm */
                for (int a = 0; a < 5; a++)
                    for (int b = a + 1; b < 5; b++)
                        if (perm[b] < perm[a]) { unsigned char z = perm[a]; perm[a] = perm[b]; perm[b] = z; }
                do {
                    memcpy(m.order[DSE_LV_DRAM], perm, 5);
                    m.order[DSE_LV_DRAM][5] = DSE_DIM_R;
                    m.order[DSE_LV_DRAM][6] = DSE_DIM_S;
                    dse_traffic_dense(pb, &m, p->bits, p->acc_bits, &t);
                    double v = movement(c, p, &t);
                    (*count)++;
                    if (v < best) best = v;
                } while (next_perm(perm, 5));
            }
        }
    }
    return best;
}

static void small_core(dse_point *p, int lanes, int cols, int rows, int wk, int ak, int ok)
{
    dse_point_defaults(p);
    p->lanes = lanes; p->cols = cols; p->rows = rows;
    p->wsram_kib = wk; p->asram_kib = ak; p->osram_kib = ok;
}

START_TEST(mapper_matches_brute_force)
{
    dse_cost *c = cost45();
    struct { long N, K, C, P, Q, R, S; int st, lanes, cols, rows, wk, ak, ok; } cases[] = {
        {1, 16, 64, 8, 8, 1, 1, 1, 4, 2, 4, 1, 1, 1},     /* nothing fits whole */
        {1, 16, 64, 8, 8, 3, 3, 1, 4, 2, 4, 2, 1, 1},     /* halos */
        {2, 8, 32, 6, 6, 3, 3, 2, 4, 2, 2, 1, 1, 1},      /* batch 2, stride 2 */
        {1, 32, 256, 1, 1, 1, 1, 1, 8, 4, 2, 1, 1, 1},    /* fc: the reduction must be split */
        {1, 12, 48, 5, 7, 1, 1, 1, 4, 4, 4, 1, 1, 1},     /* padded rows and columns */
        {1, 16, 64, 8, 8, 3, 3, 1, 4, 2, 4, 64, 64, 64},  /* everything fits: once through DRAM */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        dse_problem pb;
        dse_point p;
        problem(&pb, cases[k].N, cases[k].K, cases[k].C, cases[k].P, cases[k].Q, cases[k].R, cases[k].S, cases[k].st);
        small_core(&p, cases[k].lanes, cases[k].cols, cases[k].rows, cases[k].wk, cases[k].ak, cases[k].ok);
        dse_mapper_result r;
        dse_err e = {0, ""};
        ck_assert_msg(dse_mapper_search(c, &p, &pb, DSE_MAPOBJ_ENERGY, &r, &e) == DSE_OK, "case %zu: %s", k, e.msg);
        long count = 0;
        double b = brute(c, &p, &pb, &count);
        ck_assert_msg(fabs(r.objective - b) <= 1e-9 * b, "case %zu: mapper %.12g, brute force %.12g (%ld mappings)",
                      k, r.objective, b, count);
        ck_assert_double_lt(r.evaluated, (double)count);   /* the search prunes */
        ck_assert(fits_rule(&p, &r.map, &r.dense));
        char why[256];
        ck_assert_msg(dse_mapping_valid(&pb, &r.map, p.lanes, p.cols, p.rows, 0, why, sizeof why), "%s", why);
    }
    dse_cost_free(c);
}
END_TEST

START_TEST(mapper_never_overflows)
{
    dse_cost *c = cost45();
    dse_rng g;
    dse_rng_seed(&g, 42);
    for (int k = 0; k < 60; k++) {
        dse_problem pb;
        dse_point p;
        problem(&pb, 1 + (long)dse_rng_below(&g, 4), 1 + (long)dse_rng_below(&g, 300), 1 + (long)dse_rng_below(&g, 600),
                1 + (long)dse_rng_below(&g, 60), 1 + (long)dse_rng_below(&g, 60), 1 + 2 * (long)dse_rng_below(&g, 2),
                1 + 2 * (long)dse_rng_below(&g, 2), 1 + (int)dse_rng_below(&g, 2));
        small_core(&p, 1 << dse_rng_below(&g, 6), 1 + (int)dse_rng_below(&g, 16), 1 + (int)dse_rng_below(&g, 16),
                   1 << dse_rng_below(&g, 9), 1 << dse_rng_below(&g, 9), 1 << dse_rng_below(&g, 7));
        p.w_lookahead = (int)dse_rng_below(&g, 3);   /* selects take weight SRAM */
        char why[256];
        int fit = dse_mapper_fits(&p, &pb, why, sizeof why);
        dse_mapper_result r;
        dse_err e = {0, ""};
        int rc = dse_mapper_search(c, &p, &pb, (dse_mapobj)dse_rng_below(&g, 2), &r, &e);
        ck_assert_int_eq(rc == DSE_OK, fit);
        if (!fit) {
            ck_assert_ptr_nonnull(strstr(e.msg, "does not fit"));
            continue;
        }
        double cap[DSE_NTENSORS];
        dse_mapper_capacity(&p, cap);
        const dse_enc *enc[DSE_NTENSORS] = {NULL, NULL, NULL};
        ck_assert_msg(dse_traffic_fits(&r.dense, enc, cap, why, sizeof why), "case %d: %s", k, why);
        ck_assert_msg(dse_mapping_valid(&pb, &r.map, p.lanes, p.cols, p.rows, 0, why, sizeof why), "%s", why);
        /* DRAM moves every tensor at least once */
        ck_assert_double_ge(r.dense.words[DSE_ST_DRAM][DSE_TW][DSE_A_READ], dse_problem_size(&pb, DSE_TW) * (1 - 1e-12));
        ck_assert_double_ge(r.dense.words[DSE_ST_DRAM][DSE_TO][DSE_A_UPDATE], dse_problem_size(&pb, DSE_TO) * (1 - 1e-12));
    }
    dse_cost_free(c);
}
END_TEST

START_TEST(capacity_matters)
{
    /* ResNet-50's last 3x3 (C = K = 512, 7 x 7): 2.25 MiB of weights */
    dse_cost *c = cost45();
    dse_problem pb;
    dse_point small, big;
    problem(&pb, 4, 512, 512, 7, 7, 3, 3, 1);
    small_core(&small, 16, 8, 8, 128, 128, 32);
    small_core(&big, 16, 8, 8, 4096, 128, 32);
    dse_mapper_result rs, rb;
    dse_err e = {0, ""};
    ck_assert(dse_mapper_search(c, &small, &pb, DSE_MAPOBJ_ENERGY, &rs, &e) == DSE_OK);
    ck_assert(dse_mapper_search(c, &big, &pb, DSE_MAPOBJ_ENERGY, &rb, &e) == DSE_OK);
    /* weights that fit cross DRAM once and so do the outputs; weights that do
     * not fit make some tensor cross it again (here: partial sums) */
    ck_assert_double_eq(rb.dense.words[DSE_ST_DRAM][DSE_TW][DSE_A_READ], dse_problem_size(&pb, DSE_TW));
    ck_assert_double_eq(rb.dense.words[DSE_ST_DRAM][DSE_TO][DSE_A_UPDATE], dse_problem_size(&pb, DSE_TO));
    ck_assert_double_gt(dse_traffic_bits(&rs.dense, DSE_ST_DRAM), 1.2 * dse_traffic_bits(&rb.dense, DSE_ST_DRAM));
    double es[DSE_NMOVES], eb[DSE_NMOVES];
    dse_cost_movement(c, &small, &rs.dense, es);
    dse_cost_movement(c, &big, &rb.dense, eb);
    ck_assert_double_gt(es[DSE_MV_DRAM], eb[DSE_MV_DRAM]);
    /* with the batch of 4, the weights that fit are fetched once for all four images */
    pb.ext[DSE_DIM_N] = 1;
    dse_mapper_result r1;
    ck_assert(dse_mapper_search(c, &big, &pb, DSE_MAPOBJ_ENERGY, &r1, &e) == DSE_OK);
    ck_assert_double_eq(r1.dense.words[DSE_ST_DRAM][DSE_TW][DSE_A_READ], rb.dense.words[DSE_ST_DRAM][DSE_TW][DSE_A_READ]);
    dse_cost_free(c);
}
END_TEST

START_TEST(edp_objective_and_cache)
{
    dse_cost *c = cost45();
    dse_problem pb;
    dse_point p;
    problem(&pb, 1, 256, 1024, 14, 14, 1, 1, 1);
    small_core(&p, 16, 8, 8, 64, 64, 16);
    dse_mapper_result re, rd, hit;
    dse_err e = {0, ""};
    ck_assert(dse_mapper_search(c, &p, &pb, DSE_MAPOBJ_ENERGY, &re, &e) == DSE_OK);
    ck_assert(dse_mapper_search(c, &p, &pb, DSE_MAPOBJ_EDP, &rd, &e) == DSE_OK);
    /* the EDP mapping is no worse in EDP, the energy mapping no worse in energy */
    double bw = dse_cost_dram_bits_per_cycle(c, &p);
    double delay_e = fmax(re.dense.cycles, dse_traffic_bits(&re.dense, DSE_ST_DRAM) / bw);
    double delay_d = fmax(rd.dense.cycles, dse_traffic_bits(&rd.dense, DSE_ST_DRAM) / bw);
    ck_assert_double_le(rd.objective, re.objective * delay_e * (1 + 1e-12));
    ck_assert_double_le(re.objective, rd.objective / delay_d * (1 + 1e-12));
    dse_map_cache *mc = dse_map_cache_new();
    uint64_t look, hits;
    ck_assert(dse_mapper_get(mc, c, &p, &pb, DSE_MAPOBJ_ENERGY, &hit, &e) == DSE_OK);
    ck_assert(dse_mapper_get(mc, c, &p, &pb, DSE_MAPOBJ_ENERGY, &hit, &e) == DSE_OK);
    ck_assert(memcmp(hit.map.f, re.map.f, sizeof hit.map.f) == 0 && memcmp(hit.map.order, re.map.order, sizeof hit.map.order) == 0);
    ck_assert(hit.objective == re.objective);
    p.w_lookahead = 4; p.w_lookaside = 4;   /* selects shrink the weights' share: another key */
    ck_assert(dse_mapper_get(mc, c, &p, &pb, DSE_MAPOBJ_ENERGY, &hit, &e) == DSE_OK);
    dse_map_cache_stats(mc, &look, &hits);
    ck_assert_uint_eq(look, 3);
    ck_assert_uint_eq(hits, 1);
    dse_map_cache_free(mc);
    dse_cost_free(c);
}
END_TEST

START_TEST(too_small_sram_is_infeasible)
{
    /* the smallest weight tile of a 3x3 layer on 8 columns of 16 lanes is
     * 8 x 16 x 9 bytes = 1.1 KiB: a 1 KiB weight SRAM holds no mapping */
    char tech[4096], text[8192];
    ck_assert_ptr_nonnull(realpath(T45, tech));
    FILE *f = fopen("/tmp/check_mapper_net.yaml", "w");
    ck_assert_ptr_nonnull(f);
    fputs("name: big\nsource: test\ndefaults:\n  weight: {density: 0.5, source: test}\n"
          "  act: {density: 0.5, source: test}\nlayers:\n  - name: c3\n"
          "    conv: {cin: 64, cout: 64, k: 3, hout: 8, wout: 8}\n", f);
    fclose(f);
    snprintf(text, sizeof text, "name: s\nworkloads: [check_mapper_net.yaml]\ntechnology: %s\n"
             "objectives: {tops_per_w: max, area_mm2: min}\nparams: {wsram_kib: [1, 64]}\n", tech);
    f = fopen("/tmp/check_mapper_space.yaml", "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    dse_space s;
    dse_err e = {0, ""};
    ck_assert_msg(dse_space_load(&s, "/tmp/check_mapper_space.yaml", &e) == DSE_OK, "%s", e.msg);
    remove("/tmp/check_mapper_space.yaml");
    remove("/tmp/check_mapper_net.yaml");
    dse_point p;
    char why[256];
    int any = 0;
    for (uint64_t i = 0; i < dse_space_npoints(&s); i++) {
        dse_space_point(&s, i, &p);
        int ok = dse_space_feasible(&s, &p, why, sizeof why);
        if (p.wsram_kib == 1) {
            ck_assert(!ok);
            ck_assert_msg(strstr(why, "does not fit the weight SRAM") != NULL, "%s", why);
        } else {
            any |= ok;
        }
    }
    ck_assert(any);
    dse_space_free(&s);
}
END_TEST

Suite *suite_mapper(void);
Suite *suite_mapper(void)
{
    Suite *s = suite_create("mapper");
    TCase *tc = tcase_create("mapper");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, mapper_matches_brute_force);
    tcase_add_test(tc, mapper_never_overflows);
    tcase_add_test(tc, capacity_matters);
    tcase_add_test(tc, edp_objective_and_cache);
    tcase_add_test(tc, too_small_sram_is_infeasible);
    suite_add_tcase(s, tc);
    return s;
}
