/* check_store.c -- tensor storage in a mode: formats' traffic and capacity by hand at two densities, codec counts, the weight-window rule. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "mapper.h"
#include "mode.h"
#include "store.h"
#include "testutil.h"

#define W(t, s, tn, a) ((t)->words[DSE_ST_##s][DSE_T##tn][DSE_A_##a])
#define M(t, s, tn, a) ((t)->meta[DSE_ST_##s][DSE_T##tn][DSE_A_##a])

/* One 8-channel 3x3 layer to 4 channels on a 4x4 output: |W| = 288,
 * |I| = 8 x 6 x 6 = 288, |O| = 64. Counts written by hand: I read 1000
 * words from the SRAM, filled 288 from DRAM; O updated 64 times at the
 * SRAM as partial sums (acc_bits wide) and 64 at DRAM as final outputs. */
static void setup(dse_layer *L, dse_problem *pb, dse_traffic *t)
{
    memset(L, 0, sizeof *L);
    strcpy(L->name, "l");
    L->P = 16; L->K = 4; L->Cin = 8; L->R = 3; L->S = 3; L->groups = 1; L->repeat = 1;
    L->hout = L->wout = 4; L->batch = 1; L->stride = 1;
    L->w.dist = L->a.dist = DSE_DIST_BERNOULLI;
    L->w.density = L->a.density = 1;
    dse_problem_of_layer(L, pb);
    memset(t, 0, sizeof *t);
    for (int s = 0; s < DSE_NSTORES; s++) t->width[s][DSE_TW] = t->width[s][DSE_TI] = 8;
    t->width[DSE_ST_SRAM][DSE_TO] = 32;
    t->width[DSE_ST_DRAM][DSE_TO] = 8;
    W(t, SRAM, I, READ) = 1000;
    W(t, SRAM, I, FILL) = 288;
    W(t, DRAM, I, READ) = 288;
    W(t, SRAM, W, READ) = 576;
    W(t, SRAM, O, UPDATE) = 64;
    W(t, DRAM, O, UPDATE) = 64;
}

START_TEST(formats_by_hand)
{
    dse_layer L;
    dse_problem pb;
    dse_traffic t0;
    setup(&L, &pb, &t0);
    ck_assert_near(dse_problem_size(&pb, DSE_TI), 288, 0);
    dse_point p;
    dse_point_defaults(&p);
    dse_config cfg;
    dse_err e = {0, ""};
    dse_perf perf;
    memset(&perf, 0, sizeof perf);
    /* density 0.5: 144 of 288 nonzeros; 0.3: ceil(86.4) = 87 */
    static const double dens[2] = {0.5, 0.3};
    static const double stored_reads[2] = {500, 303};   /* 1000 - floor(1000 * (288 - nnz) / 288) */
    static const double stored_fills[2] = {144, 87};
    for (int f = DSE_FMT_BITMAP; f < DSE_NFMTS; f++)
        for (int i = 0; i < 2; i++) {
            p.a_format = (dse_format)f;
            L.a.density = dens[i];
            ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_ACT, &cfg, &e), DSE_OK);
            dse_storage st;
            dse_store_of(&p, &cfg, &L, &pb, &perf, 0.5, &st);
            dse_traffic t = t0;
            dse_store_apply(&st, 64, &t);
            ck_assert_near(W(&t, SRAM, I, READ), stored_reads[i], 0);
            ck_assert_near(W(&t, SRAM, I, FILL), stored_fills[i], 0);
            ck_assert_near(W(&t, DRAM, I, READ), stored_fills[i], 0);
            /* bitmap: a bit per dense coordinate; rle and cp: an 8-bit word per stored word */
            double mr = f == DSE_FMT_BITMAP ? 1000 : 8 * stored_reads[i];
            ck_assert_near(M(&t, SRAM, I, READ), mr, 0);
            ck_assert_near(M(&t, DRAM, I, READ), f == DSE_FMT_BITMAP ? 288 : 8 * stored_fills[i], 0);
            /* final outputs (8 bits wide at DRAM) at density 0.5: 32 of 64; partial sums stay dense */
            ck_assert_near(W(&t, DRAM, O, UPDATE), 32, 0);
            ck_assert_near(M(&t, DRAM, O, UPDATE), f == DSE_FMT_BITMAP ? 64 : 8 * 32, 0);
            ck_assert_near(W(&t, SRAM, O, UPDATE), 64, 0);
            ck_assert_near(M(&t, SRAM, O, UPDATE), 0, 0);
            /* weights stay dense; the codecs: 1000 dense reads decoded, 64 outputs encoded */
            ck_assert_near(W(&t, SRAM, W, READ), 576, 0);
            ck_assert_near(t.decoded, 1000, 0);
            ck_assert_near(t.encoded, 64, 0);
            /* the dense mode stores the same activations as all-nonzero: every word, and the metadata */
            ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &cfg, &e), DSE_OK);
            dse_store_of(&p, &cfg, &L, &pb, &perf, 1, &st);
            t = t0;
            dse_store_apply(&st, 64, &t);
            ck_assert_near(W(&t, SRAM, I, READ), 1000, 0);
            ck_assert_near(M(&t, SRAM, I, READ), f == DSE_FMT_BITMAP ? 1000 : 8000, 0);
        }
    /* w_format at the weights' density in weight mode; a_format none leaves I alone */
    p.a_format = DSE_FMT_NONE;
    p.w_format = DSE_FMT_BITMAP;
    L.w.density = 0.25;   /* 72 of 288 */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &cfg, &e), DSE_OK);
    dse_storage st;
    dse_store_of(&p, &cfg, &L, &pb, &perf, 1, &st);
    dse_traffic t = t0;
    dse_store_apply(&st, 64, &t);
    ck_assert_near(W(&t, SRAM, W, READ), 144, 0);   /* 576 - floor(576 * 216 / 288) */
    ck_assert_near(M(&t, SRAM, W, READ), 576, 0);
    ck_assert_near(W(&t, SRAM, I, READ), 1000, 0);
    ck_assert_near(t.decoded, 576, 0);
    ck_assert_near(t.encoded, 0, 0);
}
END_TEST

/* Capacity: a compressed tile is sized at worst case (every element
 * nonzero), so the data's share of an SRAM is bits / (bits + 1) for a
 * bitmap, 1/2 for rle and cp. */
START_TEST(format_capacity)
{
    dse_point p;
    dse_point_defaults(&p);
    p.bits = 8; p.wsram_kib = 64; p.asram_kib = 32;
    double cap[DSE_NTENSORS];
    dse_mapper_capacity(&p, cap);
    ck_assert_near(cap[DSE_TW], 64 * 8192.0, 0);
    ck_assert_near(cap[DSE_TI], 32 * 8192.0, 0);
    p.a_format = DSE_FMT_BITMAP;
    p.w_format = DSE_FMT_RLE;
    dse_mapper_capacity(&p, cap);
    ck_assert_near(cap[DSE_TI], 32 * 8192.0 * 8 / 9, 1e-15);
    ck_assert_near(cap[DSE_TW], 64 * 8192.0 / 2, 0);
    p.a_format = DSE_FMT_CP;
    p.bits = 4;
    dse_mapper_capacity(&p, cap);
    ck_assert_near(cap[DSE_TI], 32 * 8192.0 / 2, 0);
    ck_assert_near(dse_store_data_share(DSE_FMT_BITMAP, 4), 0.8, 1e-15);
}
END_TEST

/* A weight window stores its schedule: w_format with one is refused. */
START_TEST(w_format_needs_no_window)
{
    dse_point p;
    dse_point_defaults(&p);
    p.w_format = DSE_FMT_CP;
    p.w_lookahead = 2;
    dse_config cfg;
    dse_err e = {0, ""};
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &cfg, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "w_format cp and a weight window"));
    p.w_lookahead = 0;
    p.a_lookahead = 2;   /* an activation window composes with any w_format */
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &cfg, &e), DSE_OK);
}
END_TEST

Suite *suite_store(void);
Suite *suite_store(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_add_test(tc, formats_by_hand);
    tcase_add_test(tc, format_capacity);
    tcase_add_test(tc, w_format_needs_no_window);
    suite_add_tcase(s, tc);
    return s;
}
