/* check_traffic.c -- per-level access counts: BRIEF section 9's worked examples, a brute-force walk of the loop nest, hand-worked cases. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping.h"
#include "rng.h"
#include "testutil.h"
#include "traffic.h"

/* ---- helpers ---- */

static void load(const char *path, dse_mapfile *f, dse_traffic *t)
{
    dse_err e = {0, ""};
    ck_assert_msg(dse_mapfile_load(f, path, &e) == DSE_OK, "%s", e.msg);
    dse_traffic_dense(&f->pb, &f->map, f->core.bits, f->core.acc_bits, t);
    int comp[2];
    for (int i = 0; i < 2; i++) {
        dse_traffic_encode(t, (dse_tensor)i, &f->enc[i]);
        comp[i] = f->format[i] != DSE_FMT_NONE;
    }
    dse_traffic_computes(t, f->rho, comp, f->gate);
}

#define W(t, s, tn, a) ((t)->words[DSE_ST_##s][DSE_T##tn][DSE_A_##a])

/* A problem and a mapping written out: factors per level as "C16" style
 * strings ("" for none), orders innermost first ("" for canonical). */
static void problem(dse_problem *pb, long N, long K, long C, long P, long Q, long R, long S, int stride, int dw)
{
    memset(pb, 0, sizeof *pb);
    long x[DSE_NDIMS] = {N, K, C, P, Q, R, S};
    memcpy(pb->ext, x, sizeof x);
    pb->stride = stride;
    pb->depthwise = dw;
}

static void level(dse_mapping *m, dse_level l, const char *factors, const char *order)
{
    for (const char *s = factors; *s;) {
        int d = (int)(strchr(dse_dim_letters, *s) - dse_dim_letters);
        m->f[l][d] = strtol(s + 1, (char **)&s, 10);
        while (*s == ' ') s++;
    }
    if (order && *order) {
        int k = 0, seen[DSE_NDIMS] = {0};
        for (const char *s = order; *s; s++) {
            int d = (int)(strchr(dse_dim_letters, *s) - dse_dim_letters);
            m->order[l][k++] = (unsigned char)d;
            seen[d] = 1;
        }
        for (int d = 0; d < DSE_NDIMS; d++)
            if (!seen[d]) m->order[l][k++] = (unsigned char)d;
    }
}

static void dense(const dse_problem *pb, const dse_mapping *m, dse_traffic *t)
{
    char why[256];
    ck_assert_msg(dse_mapping_valid(pb, m, 256, 256, 256, 1, why, sizeof why), "%s", why);
    dse_traffic_dense(pb, m, 8, 32, t);
}

/* C 8, K 4, P = Q = 2 on 2 x 2 DPUs of 4 lanes, everything in the SRAMs. */
static void fits_whole(dse_problem *pb, dse_mapping *m, dse_traffic *t)
{
    problem(pb, 1, 4, 8, 2, 2, 1, 1, 1, 0);
    dse_mapping_init(m);
    level(m, DSE_LV_LANES, "C4", NULL);
    level(m, DSE_LV_ACC, "C2", NULL);
    level(m, DSE_LV_COLS, "K2", NULL);
    level(m, DSE_LV_ROWS, "P2", NULL);
    level(m, DSE_LV_SRAM, "K2 Q2", "KQ");
    dense(pb, m, t);
}

/* ---- BRIEF section 9: the worked examples ---- */

START_TEST(brief_resnet50_1x1)
{
    dse_mapfile f;
    dse_traffic t;
    load("data/traffic/resnet50_1x1.yaml", &f, &t);
    ck_assert_double_eq(t.macs, 12845056);
    ck_assert_double_eq(t.cycles, 50176);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 3211264);
    ck_assert_double_eq(W(&t, SRAM, W, FILL), 4096);
    ck_assert_double_eq(W(&t, SRAM, I, READ), 3211264);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 200704);
    ck_assert_double_eq(W(&t, ACC, O, UPDATE), 200704);
    ck_assert_double_eq(W(&t, ACC, O, READ), 0);
    ck_assert_double_eq(W(&t, ACC, O, FILL), 0);
    ck_assert_double_eq(W(&t, SRAM, O, UPDATE), 200704);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 4096);
    ck_assert_double_eq(W(&t, DRAM, I, READ), 200704);
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 200704);
    ck_assert_double_eq(W(&t, DRAM, O, READ), 0);
}
END_TEST

START_TEST(brief_resnet50_1x1_sparse)
{
    dse_mapfile f;
    dse_traffic t;
    load("data/traffic/resnet50_1x1_sparse.yaml", &f, &t);
    ck_assert_double_eq(t.cycles, 7528);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 963536);
    ck_assert_double_eq(W(&t, SRAM, W, FILL), 1229);
    ck_assert_double_eq(W(&t, SRAM, I, READ), 1605632);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 100352);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 1229);
    ck_assert_double_eq(W(&t, DRAM, I, READ), 100352);
    ck_assert_near(t.computes, 1927074, 1e-5);        /* Sparseloop's expected value */
    /* bitmaps: one bit per coordinate moved */
    ck_assert_double_eq(t.meta[DSE_ST_SRAM][DSE_TW][DSE_A_READ], 3211264);
    ck_assert_double_eq(t.meta[DSE_ST_DRAM][DSE_TI][DSE_A_READ], 200704);
    /* outputs are not compressed: dense counts, whatever the operands hold */
    ck_assert_double_eq(W(&t, SRAM, O, UPDATE), 200704);
}
END_TEST

START_TEST(brief_resnet50_3x3)
{
    dse_mapfile f;
    dse_traffic t;
    load("data/traffic/resnet50_3x3.yaml", &f, &t);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 445440);   /* halo between consecutive Q tiles kept */
    ck_assert_double_eq(W(&t, SRAM, W, READ), 28901376);
    ck_assert_double_eq(W(&t, SRAM, W, FILL), 36864);
    ck_assert_double_eq(t.cycles, 451584);
    /* without the halo: Q at DRAM outside P, so each Q step follows a P reset */
    f.map.order[DSE_LV_DRAM][0] = DSE_DIM_P;
    f.map.order[DSE_LV_DRAM][1] = DSE_DIM_Q;
    dse_traffic_dense(&f.pb, &f.map, 8, 32, &t);
    ck_assert_double_gt(W(&t, SRAM, I, FILL), 445440);
}
END_TEST

START_TEST(brief_bert_ffn_down)
{
    dse_mapfile f;
    dse_traffic t;
    load("data/traffic/bert_ffn_down.yaml", &f, &t);
    ck_assert_double_eq(W(&t, ACC, O, UPDATE), 196608);
    ck_assert_double_eq(W(&t, ACC, O, READ), 98304);
    ck_assert_double_eq(W(&t, ACC, O, FILL), 98304);
    ck_assert_double_eq(W(&t, SRAM, O, UPDATE), 196608);
    ck_assert_double_eq(W(&t, SRAM, O, READ), 98304);
    ck_assert_double_eq(W(&t, SRAM, O, FILL), 98304);
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 196608);
    ck_assert_double_eq(W(&t, DRAM, O, READ), 98304);
    ck_assert_double_eq(W(&t, SRAM, W, FILL), 18874368);
    /* partial sums travel at accumulator width */
    ck_assert_int_eq(t.width[DSE_ST_SRAM][DSE_TO], 32);
    ck_assert_int_eq(t.width[DSE_ST_DRAM][DSE_TO], 32);
}
END_TEST

/* ---- hand-worked cases ---- */

START_TEST(fits_whole_crosses_dram_once)
{
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    fits_whole(&pb, &m, &t);
    ck_assert_double_eq(t.macs, 128);
    ck_assert_double_eq(t.cycles, 8);           /* 2 x 2 x 2 */
    ck_assert_double_eq(W(&t, DRAM, W, READ), 32);  /* |W| = 4 x 8 */
    ck_assert_double_eq(W(&t, DRAM, I, READ), 32);  /* |I| = 8 x 2 x 2 */
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 16);
    ck_assert_double_eq(W(&t, DRAM, O, READ), 0);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 64);  /* 128 / 2 rows sharing a weight */
    ck_assert_double_eq(W(&t, SRAM, I, READ), 64);  /* 128 / 2 columns sharing an input */
    ck_assert_double_eq(W(&t, ACC, O, UPDATE), 16);
}
END_TEST

START_TEST(k_outer_against_k_inner)
{
    /* C 4, K 4, P 4 on one DPU of 4 lanes; the SRAMs hold one filter and one pixel */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 4, 4, 4, 1, 1, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C4", NULL);
    level(&m, DSE_LV_DRAM, "K4 P4", "PK");   /* P inner: a filter stays for all pixels */
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 16);   /* 4 filters x 4, once */
    ck_assert_double_eq(W(&t, DRAM, I, READ), 64);   /* 4 pixels x 4 channels, per filter */
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 16);
    level(&m, DSE_LV_DRAM, "", "KP");        /* K inner: a pixel stays for all filters */
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 64);
    ck_assert_double_eq(W(&t, DRAM, I, READ), 16);
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 16);
}
END_TEST

START_TEST(input_halo)
{
    /* 1-D: P 6, R 3, stride 1; tiles of 2 outputs read 4 inputs, each next
     * tile 2 new ones: 4 + 2 + 2 = 8 = (6 - 1) + 3 */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 1, 1, 6, 1, 3, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_ACC, "R3", NULL);
    level(&m, DSE_LV_SRAM, "P2", NULL);
    level(&m, DSE_LV_DRAM, "P3", NULL);
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 8);
    ck_assert_double_eq(t.tile[DSE_ST_SRAM][DSE_TI], 4);
    /* a K loop outside P (K does not index inputs) still resets P: 8 + 4 + 2 + 2 */
    pb.ext[DSE_DIM_K] = 2;
    level(&m, DSE_LV_DRAM, "K2", "PK");
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 16);
    /* stride 2: P 3, tiles of one output read 3 inputs, consecutive ones share 1: 3 + 2 + 2 = 7 */
    problem(&pb, 1, 1, 1, 3, 1, 3, 1, 2, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_ACC, "R3", NULL);
    level(&m, DSE_LV_DRAM, "P3", NULL);
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, SRAM, I, FILL), 7);
    ck_assert_double_eq(dse_problem_size(&pb, DSE_TI), 7);
}
END_TEST

START_TEST(reduction_split_above_acc)
{
    /* C 32 on 4 lanes: C4 in the accumulator, C2 at DRAM, K2 P2 at the SRAM:
     * every one of the 8 SRAM steps holds a new output in the accumulator */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 2, 32, 2, 1, 1, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C4", NULL);
    level(&m, DSE_LV_ACC, "C4", NULL);
    level(&m, DSE_LV_SRAM, "K2 P2", "KP");
    level(&m, DSE_LV_DRAM, "C2", "C");
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, ACC, O, UPDATE), 8);
    ck_assert_double_eq(W(&t, ACC, O, READ), 4);     /* partial sums read back */
    ck_assert_double_eq(W(&t, ACC, O, FILL), 4);
    ck_assert_double_eq(W(&t, SRAM, O, UPDATE), 8);
    ck_assert_double_eq(W(&t, SRAM, O, READ), 4);
    ck_assert_double_eq(W(&t, SRAM, O, FILL), 0);    /* the output SRAM holds all 4 outputs */
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 4);
    ck_assert_double_eq(W(&t, DRAM, O, READ), 0);
    ck_assert_int_eq(t.width[DSE_ST_SRAM][DSE_TO], 32);   /* partial sums in the output SRAM */
    ck_assert_int_eq(t.width[DSE_ST_DRAM][DSE_TO], 8);    /* final outputs leave it */
    /* the same split with nothing looping at the SRAM and C innermost at DRAM:
     * the outputs stay in the accumulators across the split */
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C4", NULL);
    level(&m, DSE_LV_ACC, "C4", NULL);
    level(&m, DSE_LV_DRAM, "C2 K2 P2", "CKP");
    dense(&pb, &m, &t);
    ck_assert_double_eq(W(&t, ACC, O, UPDATE), 4);
    ck_assert_double_eq(W(&t, ACC, O, READ), 0);
    ck_assert_int_eq(t.width[DSE_ST_SRAM][DSE_TO], 8);
}
END_TEST

START_TEST(depthwise_layer)
{
    /* depthwise C 4, 4 x 4 outputs, 3 x 3 kernel on 2 x 2 DPUs: R across
     * lanes, S in the accumulator, C across columns, Q across rows */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 1, 4, 4, 4, 3, 3, 1, 1);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "R3", NULL);
    level(&m, DSE_LV_ACC, "S3", NULL);
    level(&m, DSE_LV_COLS, "C2", NULL);
    level(&m, DSE_LV_ROWS, "Q2", NULL);
    level(&m, DSE_LV_SRAM, "C2 P4 Q2", "CPQ");
    dense(&pb, &m, &t);
    ck_assert_double_eq(t.macs, 576);
    ck_assert_double_eq(t.cycles, 48);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 288);   /* shared by the 2 rows (Q does not index W) */
    ck_assert_double_eq(W(&t, SRAM, I, READ), 576);   /* every dimension indexes the inputs */
    ck_assert_double_eq(W(&t, DRAM, W, READ), 36);
    ck_assert_double_eq(W(&t, DRAM, I, READ), 144);   /* 4 x 6 x 6 */
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 64);
    char why[256];
    level(&m, DSE_LV_LANES, "C2", NULL);   /* C is not reduced in a depthwise layer */
    ck_assert(!dse_mapping_valid(&pb, &m, 16, 2, 2, 0, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "lanes: C is not a reduction dimension"));
}
END_TEST

START_TEST(fc_batch_one)
{
    /* fc 64 -> 32 at batch 1 on 4 x 4 DPUs of 16 lanes: one pixel, so the rows idle */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 32, 64, 1, 1, 1, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C16", NULL);
    level(&m, DSE_LV_ACC, "C4", NULL);
    level(&m, DSE_LV_COLS, "K4", NULL);
    level(&m, DSE_LV_SRAM, "K2", NULL);
    level(&m, DSE_LV_DRAM, "K4", NULL);
    dense(&pb, &m, &t);
    ck_assert_double_eq(t.used, 64);
    ck_assert_double_eq(t.cycles, 32);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 2048);  /* every weight once: nothing to share */
    ck_assert_double_eq(W(&t, SRAM, I, READ), 512);   /* an input serves the 4 columns */
    ck_assert_double_eq(W(&t, DRAM, W, READ), 2048);
    ck_assert_double_eq(W(&t, DRAM, I, READ), 64);    /* K does not index the inputs */
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 32);
}
END_TEST

START_TEST(compressed_two_densities)
{
    /* the fits-whole case: W run-length coded, every tile 0.25 dense (fixed);
     * I coordinate-payload, uniform 0.7 of 32 elements: ceil(22.4) = 23 nonzeros */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    fits_whole(&pb, &m, &t);
    double rho[2] = {dse_density_rho(0.25, 1, 32), dse_density_rho(0.7, 0, 32)};
    ck_assert_double_eq(rho[1], 23.0 / 32);
    dse_enc ew, ei;
    dse_enc_of(DSE_FMT_RLE, rho[0], 0.25, 0, 8, &ew);
    dse_enc_of(DSE_FMT_CP, rho[1], 0.7, 32, 8, &ei);
    dse_traffic_encode(&t, DSE_TW, &ew);
    dse_traffic_encode(&t, DSE_TI, &ei);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 8);     /* 32 - floor(32 x 0.75) */
    ck_assert_double_eq(W(&t, SRAM, W, READ), 16);    /* 64 - 48 */
    ck_assert_double_eq(t.meta[DSE_ST_DRAM][DSE_TW][DSE_A_READ], 64);  /* a run length per nonzero */
    ck_assert_double_eq(W(&t, DRAM, I, READ), 23);    /* 32 - floor(32 x 9/32) */
    ck_assert_double_eq(W(&t, SRAM, I, READ), 46);    /* 64 - 18 */
    ck_assert_double_eq(t.meta[DSE_ST_SRAM][DSE_TI][DSE_A_READ], 46 * 8);
    ck_assert_double_eq(W(&t, DRAM, O, UPDATE), 16);  /* outputs dense */
    int comp[2] = {1, 1};
    dse_traffic_computes(&t, rho, comp, 0);          /* skipping */
    ck_assert_double_eq(t.computes, 23);              /* 128 x 0.25 x 23/32 */
    ck_assert_double_eq(t.cycles, 2);                 /* ceil(23 / 16 multipliers) */
    dse_traffic_computes(&t, rho, comp, 1);           /* gating keeps the cycles */
    ck_assert_double_eq(t.computes, 23);
    /* a bitmap: one bit per coordinate whatever the density */
    dse_traffic_dense(&pb, &m, 8, 32, &t);
    dse_enc eb;
    dse_enc_of(DSE_FMT_BITMAP, 0.5, 0.5, 0, 8, &eb);
    dse_traffic_encode(&t, DSE_TI, &eb);
    ck_assert_double_eq(W(&t, SRAM, I, READ), 32);
    ck_assert_double_eq(t.meta[DSE_ST_SRAM][DSE_TI][DSE_A_READ], 64);
    /* skipping on an uncompressed operand skips nothing */
    dse_traffic_dense(&pb, &m, 8, 32, &t);
    int none[2] = {0, 0};
    dse_traffic_computes(&t, rho, none, 0);
    ck_assert_double_eq(t.computes, 128);
    ck_assert_double_eq(t.cycles, 8);
    dse_traffic_computes(&t, rho, none, 1);          /* gating removes every zero operand's compute */
    ck_assert_double_eq(t.computes, 23);
}
END_TEST

START_TEST(uniform_rounding_is_exact)
{
    /* alg a multiple of n: exactly m * nnz words stay, whatever the floating
     * point of 1 - nnz/n would round to (found against Timeloop: 35487 for 35486) */
    static const double ds[] = {0.1, 0.25, 0.3, 0.7, 0.9};
    long off = 0;
    for (int n = 1; n <= 3000; n += 7)
        for (int k = 0; k < 5; k++) {
            dse_enc enc;
            dse_enc_of(DSE_FMT_BITMAP, 0, ds[k], n, 8, &enc);
            ck_assert_double_eq(enc.nnz, ceil(ds[k] * n));
            for (long m = 1; m <= 2000; m *= 3) {
                dse_traffic t;
                memset(&t, 0, sizeof t);
                t.words[DSE_ST_SRAM][DSE_TW][DSE_A_FILL] = (double)m * n;
                dse_traffic_encode(&t, DSE_TW, &enc);
                ck_assert_double_eq(t.words[DSE_ST_SRAM][DSE_TW][DSE_A_FILL], (double)m * enc.nnz);
                /* the plain floating-point formula is off by one for some of them */
                double naive = (double)m * n - floor((double)m * n * (1 - enc.rho));
                off += naive != (double)m * enc.nnz;
            }
        }
    ck_assert_int_gt(off, 0);
}
END_TEST

START_TEST(padding_scales_by_real_share)
{
    /* C 3 padded to 4 lanes: one step reads the 6 weights and 6 inputs there are */
    dse_problem pb;
    dse_mapping m;
    dse_traffic t;
    problem(&pb, 1, 2, 3, 2, 1, 1, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C4", NULL);
    level(&m, DSE_LV_COLS, "K2", NULL);
    level(&m, DSE_LV_ROWS, "P2", NULL);
    char why[256];
    ck_assert(!dse_mapping_valid(&pb, &m, 4, 2, 2, 1, why, sizeof why));   /* not exact */
    ck_assert(dse_mapping_valid(&pb, &m, 4, 2, 2, 0, why, sizeof why));
    dse_traffic_dense(&pb, &m, 8, 32, &t);
    ck_assert_double_eq(t.macs, 12);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 6);
    ck_assert_double_eq(W(&t, SRAM, I, READ), 6);
    ck_assert_double_eq(W(&t, DRAM, W, READ), 6);
    ck_assert_double_eq(t.tile[DSE_ST_SRAM][DSE_TW], 6);
    /* padded pixels still receive the broadcast weights: P 3 on 2 rows */
    problem(&pb, 1, 2, 4, 3, 1, 1, 1, 1, 0);
    dse_mapping_init(&m);
    level(&m, DSE_LV_LANES, "C4", NULL);
    level(&m, DSE_LV_COLS, "K2", NULL);
    level(&m, DSE_LV_ROWS, "P2", NULL);
    level(&m, DSE_LV_DRAM, "P2", NULL);
    dse_traffic_dense(&pb, &m, 8, 32, &t);
    ck_assert_double_eq(W(&t, SRAM, W, READ), 16);    /* 2 steps x 8 weights */
    ck_assert_double_eq(W(&t, SRAM, I, READ), 12);    /* the 3 real pixels' 12 inputs */
}
END_TEST

/* ---- the brute-force oracle ---- */

/* Tensor coordinates of a problem point x (N K C P Q R S) into c[4]; the
 * number of tensor dimensions is returned. */
static int coords(const dse_problem *pb, dse_tensor t, const long *x, long *c)
{
    switch (t) {
    case DSE_TW:
        if (pb->depthwise) { c[0] = x[DSE_DIM_C]; c[1] = x[DSE_DIM_R]; c[2] = x[DSE_DIM_S]; return 3; }
        c[0] = x[DSE_DIM_K]; c[1] = x[DSE_DIM_C]; c[2] = x[DSE_DIM_R]; c[3] = x[DSE_DIM_S];
        return 4;
    case DSE_TI:
        c[0] = x[DSE_DIM_N]; c[1] = x[DSE_DIM_C];
        c[2] = x[DSE_DIM_P] * pb->stride + x[DSE_DIM_R];
        c[3] = x[DSE_DIM_Q] * pb->stride + x[DSE_DIM_S];
        return 4;
    default:
        c[0] = x[DSE_DIM_N]; c[1] = pb->depthwise ? x[DSE_DIM_C] : x[DSE_DIM_K];
        c[2] = x[DSE_DIM_P]; c[3] = x[DSE_DIM_Q];
        return 4;
    }
}

typedef struct bbox { long lo[4], hi[4]; int n, empty; } bbox;

static void bb_add(bbox *b, const long *c, int n)
{
    b->n = n;
    for (int i = 0; i < n; i++) {
        if (b->empty || c[i] < b->lo[i]) b->lo[i] = c[i];
        if (b->empty || c[i] > b->hi[i]) b->hi[i] = c[i];
    }
    b->empty = 0;
}

static double bb_size(const bbox *b)
{
    if (b->empty) return 0;
    double v = 1;
    for (int i = 0; i < b->n; i++) v *= (double)(b->hi[i] - b->lo[i] + 1);
    return v;
}

static double bb_meet(const bbox *a, const bbox *b)
{
    if (a->empty || b->empty) return 0;
    double v = 1;
    for (int i = 0; i < a->n; i++) {
        long lo = a->lo[i] > b->lo[i] ? a->lo[i] : b->lo[i], hi = a->hi[i] < b->hi[i] ? a->hi[i] : b->hi[i];
        v *= hi >= lo ? (double)(hi - lo + 1) : 0;
    }
    return v;
}

/* Loops of some levels as (dim, factor, step) innermost first. */
typedef struct oloop { int d; long f, st; } oloop;

static int loops_of(const dse_mapping *m, const int *levels, int nlev, oloop *out)
{
    int n = 0;
    for (int k = 0; k < nlev; k++) {
        int l = levels[k];
        for (int i = 0; i < DSE_NDIMS; i++) {
            int d = dse_level_temporal((dse_level)l) ? m->order[l][i] : i;
            if (m->f[l][d] <= 1) continue;
            long st = 1;
            for (int j = 0; j < l; j++) st *= m->f[j][d];
            out[n++] = (oloop){d, m->f[l][d], st};
        }
    }
    return n;
}

/* Iteration count of a loop list, and its iteration `it` (index 0 fastest)
 * added to the coordinates x. */
static long iters(const oloop *lp, int n) { long k = 1; for (int i = 0; i < n; i++) k *= lp[i].f; return k; }
static void place(const oloop *lp, int n, long it, long *x)
{
    for (int i = 0; i < n; i++) { x[lp[i].d] += (it % lp[i].f) * lp[i].st; it /= lp[i].f; }
}

/* Box of tensor t over every point of the loops inner[] from base x. */
static void box_over(const dse_problem *pb, dse_tensor t, const oloop *in, int nin, const long *x, bbox *b)
{
    b->empty = 1;
    long k = iters(in, nin);
    for (long it = 0; it < k; it++) {
        long y[DSE_NDIMS], c[4];
        memcpy(y, x, sizeof y);
        place(in, nin, it, y);
        int n = coords(pb, t, y, c);
        bb_add(b, c, n);
    }
}

/* The counts of rules 1-5 by walking every step. */
static void oracle(const dse_problem *pb, const dse_mapping *m, double cnt[DSE_NSTORES][DSE_NTENSORS][DSE_NACTIONS])
{
    memset(cnt, 0, sizeof(double) * DSE_NSTORES * DSE_NTENSORS * DSE_NACTIONS);
    static const int L_DRAM[] = {DSE_LV_DRAM}, L_SRAMUP[] = {DSE_LV_SRAM, DSE_LV_DRAM},
                     L_BELOW_SRAM[] = {DSE_LV_LANES, DSE_LV_ACC, DSE_LV_COLS, DSE_LV_ROWS, DSE_LV_SRAM},
                     L_BELOW_ACC[] = {DSE_LV_LANES, DSE_LV_ACC}, L_DPU[] = {DSE_LV_COLS, DSE_LV_ROWS},
                     L_TEMP[] = {DSE_LV_ACC, DSE_LV_SRAM, DSE_LV_DRAM}, L_LANES[] = {DSE_LV_LANES};
    oloop dram[8], sramup[16], bsram[40], bacc[16], dpu[16], temp[24], lanes[8];
    int nd = loops_of(m, L_DRAM, 1, dram), nsu = loops_of(m, L_SRAMUP, 2, sramup);
    int nbs = loops_of(m, L_BELOW_SRAM, 5, bsram), nba = loops_of(m, L_BELOW_ACC, 2, bacc);
    int ndpu = loops_of(m, L_DPU, 2, dpu), nt = loops_of(m, L_TEMP, 3, temp), nl = loops_of(m, L_LANES, 1, lanes);
    double osize = dse_problem_size(pb, DSE_TO);
    /* SRAM fills (W, I) and output residencies V_sram: walk the DRAM loops */
    for (int tn = 0; tn < DSE_NTENSORS; tn++) {
        bbox prev = {.empty = 1}, cur;
        double v = 0;
        for (long it = 0; it < iters(dram, nd); it++) {
            long x[DSE_NDIMS] = {0};
            place(dram, nd, it, x);
            box_over(pb, (dse_tensor)tn, bsram, nbs, x, &cur);
            v += bb_size(&cur) - bb_meet(&cur, &prev);
            prev = cur;
        }
        if (tn != DSE_TO) {
            cnt[DSE_ST_SRAM][tn][DSE_A_FILL] = cnt[DSE_ST_DRAM][tn][DSE_A_READ] = v;
        } else {
            cnt[DSE_ST_SRAM][tn][DSE_A_FILL] = cnt[DSE_ST_DRAM][tn][DSE_A_READ] = v - osize;
            cnt[DSE_ST_DRAM][tn][DSE_A_UPDATE] = v;
        }
    }
    /* accumulator residencies: per DPU, walk the SRAM and DRAM loops */
    double vacc = 0;
    for (long u = 0; u < iters(dpu, ndpu); u++) {
        bbox prev = {.empty = 1}, cur;
        for (long it = 0; it < iters(sramup, nsu); it++) {
            long x[DSE_NDIMS] = {0};
            place(dpu, ndpu, u, x);
            place(sramup, nsu, it, x);
            box_over(pb, DSE_TO, bacc, nba, x, &cur);
            vacc += bb_size(&cur) - bb_meet(&cur, &prev);
            prev = cur;
        }
    }
    cnt[DSE_ST_ACC][DSE_TO][DSE_A_UPDATE] = cnt[DSE_ST_SRAM][DSE_TO][DSE_A_UPDATE] = vacc;
    cnt[DSE_ST_ACC][DSE_TO][DSE_A_READ] = cnt[DSE_ST_ACC][DSE_TO][DSE_A_FILL] = vacc - osize;
    cnt[DSE_ST_SRAM][DSE_TO][DSE_A_READ] = vacc - osize;
    /* reads toward the multipliers: per step, the distinct lane sets of the DPUs */
    for (int tn = 0; tn < 2; tn++) {
        double reads = 0;
        long nu = iters(dpu, ndpu), nlane = iters(lanes, nl);
        long *sets = malloc(sizeof(long) * (size_t)(nu * nlane * 4));
        for (long it = 0; it < iters(temp, nt); it++) {
            for (long u = 0; u < nu; u++)
                for (long ln = 0; ln < nlane; ln++) {
                    long x[DSE_NDIMS] = {0};
                    place(temp, nt, it, x);
                    place(dpu, ndpu, u, x);
                    place(lanes, nl, ln, x);
                    long c[4] = {0, 0, 0, 0};
                    coords(pb, (dse_tensor)tn, x, c);
                    memcpy(&sets[(u * nlane + ln) * 4], c, sizeof c);
                }
            for (long u = 0; u < nu; u++) {
                int dup = 0;
                for (long w = 0; w < u && !dup; w++)
                    dup = memcmp(&sets[u * nlane * 4], &sets[w * nlane * 4], sizeof(long) * (size_t)(nlane * 4)) == 0;
                if (!dup) reads += (double)nlane;
            }
        }
        free(sets);
        cnt[DSE_ST_SRAM][tn][DSE_A_READ] = reads;
    }
}

static long pick_divisor(dse_rng *r, long x)
{
    long d[64];
    int n = 0;
    for (long i = 1; i <= x && n < 64; i++)
        if (x % i == 0) d[n++] = i;
    return d[dse_rng_below(r, (uint64_t)n)];
}

static void shuffle(dse_rng *r, unsigned char *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)dse_rng_below(r, (uint64_t)i + 1);
        unsigned char t = a[i]; a[i] = a[j]; a[j] = t;
    }
}

/* A random problem and a random exact mapping of it on lanes x cols x rows. */
static void random_case(dse_rng *r, dse_problem *pb, dse_mapping *m, int *lanes, int *cols, int *rows)
{
    int dw = dse_rng_below(r, 5) == 0;
    problem(pb, 1 + (long)dse_rng_below(r, 2), dw ? 1 : 1 + (long)dse_rng_below(r, 6), 1 + (long)dse_rng_below(r, 8),
            1 + (long)dse_rng_below(r, 5), 1 + (long)dse_rng_below(r, 5), 1 + (long)dse_rng_below(r, 3),
            1 + (long)dse_rng_below(r, 3), 1 + (int)dse_rng_below(r, 2), dw);
    *lanes = 1 << dse_rng_below(r, 3);
    *cols = 1 + (int)dse_rng_below(r, 3);
    *rows = 1 << dse_rng_below(r, 2);
    dse_mapping_init(m);
    long cap[DSE_NLEVELS] = {*lanes, 0, *cols, *rows, 0, 0};
    for (int d = 0; d < DSE_NDIMS; d++) {
        long left = pb->ext[d];
        int red = dse_problem_reduces(pb, (dse_dim)d);
        const int lv[3] = {red ? DSE_LV_LANES : DSE_LV_COLS, red ? DSE_LV_ACC : DSE_LV_ROWS, DSE_LV_SRAM};
        for (int k = 0; k < 3; k++) {
            long f = pick_divisor(r, left);
            if (!dse_level_temporal((dse_level)lv[k])) {
                long used = 1;
                for (int e = 0; e < DSE_NDIMS; e++) used *= m->f[lv[k]][e];
                while (used * f > cap[lv[k]]) {   /* the next smaller divisor */
                    long g = f - 1;
                    while (f % g) g--;
                    f = g;
                }
            }
            m->f[lv[k]][d] = f;
            left /= f;
        }
        m->f[DSE_LV_DRAM][d] = left;
    }
    shuffle(r, m->order[DSE_LV_ACC], DSE_NDIMS);
    shuffle(r, m->order[DSE_LV_SRAM], DSE_NDIMS);
    shuffle(r, m->order[DSE_LV_DRAM], DSE_NDIMS);
}

START_TEST(oracle_agrees_on_random_mappings)
{
    dse_rng r;
    dse_rng_seed(&r, 20261202);
    int ncase = 0, withhalo = 0, withspill = 0;
    for (int k = 0; k < 300; k++) {
        dse_problem pb;
        dse_mapping m;
        int lanes, cols, rows;
        random_case(&r, &pb, &m, &lanes, &cols, &rows);
        char why[256];
        ck_assert_msg(dse_mapping_valid(&pb, &m, lanes, cols, rows, 1, why, sizeof why), "case %d: %s", k, why);
        dse_traffic t;
        double o[DSE_NSTORES][DSE_NTENSORS][DSE_NACTIONS];
        dse_traffic_dense(&pb, &m, 8, 32, &t);
        oracle(&pb, &m, o);
        for (int s = 0; s < DSE_NSTORES; s++)
            for (int tn = 0; tn < DSE_NTENSORS; tn++)
                for (int a = 0; a < DSE_NACTIONS; a++) {
                    char buf[512];
                    ck_assert_msg(t.words[s][tn][a] == o[s][tn][a], "case %d (%s, stride %d%s): %s %c %s = %.0f, oracle %.0f",
                                  k, dse_mapping_format(&m, buf, sizeof buf), pb.stride, pb.depthwise ? ", depthwise" : "",
                                  dse_store_names[s], dse_tensor_letters[tn], dse_action_names[a], t.words[s][tn][a], o[s][tn][a]);
                }
        ck_assert_double_eq(t.macs, dse_problem_macs(&pb));
        ck_assert_double_eq(t.cycles * t.used, t.macs);
        ncase++;
        double ndram = 1;
        for (int d = 0; d < DSE_NDIMS; d++) ndram *= (double)m.f[DSE_LV_DRAM][d];
        withhalo += ndram > 1 && o[DSE_ST_SRAM][DSE_TI][DSE_A_FILL] < t.tile[DSE_ST_SRAM][DSE_TI] * ndram &&
                    (pb.ext[DSE_DIM_R] > 1 || pb.ext[DSE_DIM_S] > 1);
        withspill += o[DSE_ST_ACC][DSE_TO][DSE_A_READ] > 0;
    }
    ck_assert_int_eq(ncase, 300);
    ck_assert_int_gt(withspill, 20);   /* the random cases do exercise partial sums */
    ck_assert_int_gt(withhalo, 20);
}
END_TEST

Suite *suite_traffic(void);
Suite *suite_traffic(void)
{
    Suite *s = suite_create("traffic");
    TCase *tc = tcase_create("traffic");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, brief_resnet50_1x1);
    tcase_add_test(tc, brief_resnet50_1x1_sparse);
    tcase_add_test(tc, brief_resnet50_3x3);
    tcase_add_test(tc, brief_bert_ffn_down);
    tcase_add_test(tc, fits_whole_crosses_dram_once);
    tcase_add_test(tc, k_outer_against_k_inner);
    tcase_add_test(tc, input_halo);
    tcase_add_test(tc, reduction_split_above_acc);
    tcase_add_test(tc, depthwise_layer);
    tcase_add_test(tc, fc_batch_one);
    tcase_add_test(tc, compressed_two_densities);
    tcase_add_test(tc, uniform_rounding_is_exact);
    tcase_add_test(tc, padding_scales_by_real_share);
    tcase_add_test(tc, oracle_agrees_on_random_mappings);
    suite_add_tcase(s, tc);
    return s;
}
