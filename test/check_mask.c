/* check_mask.c -- .npy masks: round trip, every dtype, both endiannesses, Fortran order, malformed files. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mask.h"
#include "rng.h"
#include "testutil.h"

/* A fresh temporary file name (the file exists, empty). */
static void tmpname(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/check_mask_XXXXXX");
    int fd = mkstemp(buf);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

/* Write a .npy file by hand: version major, header dict text, raw data.
 * hdr_len_override >= 0 writes a wrong header length. */
static void write_npy(const char *path, int major, const char *dict, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    size_t hl = strlen(dict) + 1;
    fwrite("\x93NUMPY", 1, 6, f);
    fputc(major, f);
    fputc(0, f);
    if (major == 1) { fputc((int)(hl & 0xff), f); fputc((int)(hl >> 8), f); }
    else for (int i = 0; i < 4; i++) fputc((int)((hl >> (8 * i)) & 0xff), f);
    fputs(dict, f);
    fputc('\n', f);
    if (n) fwrite(data, 1, n, f);
    fclose(f);
}

static void write_raw(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(data, 1, n, f);
    fclose(f);
}

START_TEST(roundtrip)
{
    dse_mask m, r;
    dse_mask_alloc(&m, 5, 7, 3, 2);
    ck_assert_int_eq(m.d[0] * m.d[1] * m.d[2] * m.d[3], 210);
    for (int i = 0; i < 210; i++) ck_assert_int_eq(m.bits[i], 0);
    dse_rng g;
    dse_rng_seed(&g, 42);
    int ones = 0;
    for (int i = 0; i < 210; i++) ones += m.bits[i] = dse_rng_uniform(&g) < 0.3;
    char p[64];
    tmpname(p, sizeof p);
    dse_err e = {0};
    ck_assert_int_eq(dse_mask_save_npy(&m, p, &e), DSE_OK);
    ck_assert_int_eq(dse_mask_load_npy(&r, p, 1, &e), DSE_OK);
    ck_assert_int_eq(r.d[0], 5); ck_assert_int_eq(r.d[1], 7);
    ck_assert_int_eq(r.d[2], 3); ck_assert_int_eq(r.d[3], 2);
    ck_assert_mem_eq(r.bits, m.bits, 210);
    ck_assert_near(r.density, ones / 210.0, 1e-15);
    /* header is 64-byte aligned as numpy writes it */
    size_t len;
    char *raw = dse_read_file(p, &len, 0, &e);
    ck_assert_uint_eq(len, 210 + 128);
    ck_assert_int_eq(raw[127], '\n');
    free(raw);
    /* the same file read as activations is (N, C, H, W) */
    dse_mask_free(&r);
    ck_assert_int_eq(dse_mask_load_npy(&r, p, 0, &e), DSE_OK);
    ck_assert_int_eq(r.d[0], 5);
    dse_mask_free(&r);
    dse_mask_free(&m);
    unlink(p);
}
END_TEST

/* One dtype case: elements given as raw bytes, expected bits. */
typedef struct dcase {
    const char *descr;
    int size, n;
    const char *bytes;
    const char *want;   /* '0'/'1' per element */
} dcase;

static const dcase dcases[] = {
    {"|b1", 1, 4, "\0\1\0\1", "0101"},
    {"|u1", 1, 4, "\0\xff\x80\0", "0110"},
    {"|i1", 1, 3, "\xff\0\1", "101"},
    {"<i2", 2, 3, "\0\0\0\1\1\0", "011"},
    {">i2", 2, 3, "\0\0\1\0\0\1", "011"},
    {"<u2", 2, 2, "\0\x80\0\0", "10"},
    {">u4", 4, 2, "\0\0\0\0\x80\0\0\0", "01"},
    {"<i4", 4, 3, "\0\0\0\x80\0\0\0\0\1\0\0\0", "101"},
    {"<u8", 8, 2, "\0\0\0\0\0\0\0\1\0\0\0\0\0\0\0\0", "10"},
    {">i8", 8, 2, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\2", "01"},
    /* half: +0, -0 (sign only), 1.0 (0x3c00), smallest subnormal 0x0001 */
    {"<f2", 2, 4, "\0\0\0\x80\0\x3c\1\0", "0011"},
    {">f2", 2, 3, "\x80\0\x3c\0\0\0", "010"},
    /* float: -0.0, 1.5, NaN, +0 */
    {"<f4", 4, 4, "\0\0\0\x80\0\0\xc0\x3f\0\0\xc0\x7f\0\0\0\0", "0110"},
    {">f4", 4, 3, "\x80\0\0\0\x3f\xc0\0\0\0\0\0\1", "011"},
    /* double: -0.0, -2.0, denormal */
    {"<f8", 8, 3, "\0\0\0\0\0\0\0\x80\0\0\0\0\0\0\0\xc0\1\0\0\0\0\0\0\0", "011"},
    {">f8", 8, 2, "\x80\0\0\0\0\0\0\0\x40\0\0\0\0\0\0\0", "01"},
};

START_TEST(dtypes)
{
    const dcase *c = &dcases[_i];
    char p[64], dict[160];
    tmpname(p, sizeof p);
    snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (%d, 1), }", c->descr, c->n);
    for (int major = 1; major <= 3; major++) {
        write_npy(p, major, dict, c->bytes, (size_t)c->size * c->n);
        dse_mask m;
        dse_err e = {0};
        ck_assert_msg(dse_mask_load_npy(&m, p, 1, &e) == DSE_OK, "%s v%d: %s", c->descr, major, e.msg);
        ck_assert_int_eq(m.d[0], c->n);
        ck_assert_int_eq(m.d[1], 1);
        int ones = 0;
        for (int i = 0; i < c->n; i++) {
            ck_assert_msg(m.bits[i] == c->want[i] - '0', "%s element %d", c->descr, i);
            ones += m.bits[i];
        }
        ck_assert_near(m.density, (double)ones / c->n, 1e-15);
        dse_mask_free(&m);
    }
    unlink(p);
}
END_TEST

START_TEST(fortran_order)
{
    /* shape (2, 3, 1, 2) in Fortran order: file index = i0 + 2*(i1 + 3*(i2 + 1*i3)) */
    uint8_t f[12], want[12];
    for (int i3 = 0; i3 < 2; i3++)
        for (int i1 = 0; i1 < 3; i1++)
            for (int i0 = 0; i0 < 2; i0++) {
                int v = (i0 * 7 + i1 * 3 + i3 * 5) % 4 == 1;  /* an arbitrary pattern */
                f[i0 + 2 * (i1 + 3 * i3)] = (uint8_t)v;
                want[((i0 * 3 + i1) * 1 + 0) * 2 + i3] = (uint8_t)v;
            }
    char p[64];
    tmpname(p, sizeof p);
    write_npy(p, 1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3, 1, 2), }", f, 12);
    dse_mask m;
    dse_err e = {0};
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_OK);
    ck_assert_mem_eq(m.bits, want, 12);
    dse_mask_free(&m);
    /* activation (C, H, W) = (3, 2, 2) in Fortran order, big-endian i2 */
    unsigned char d[24];
    uint8_t w2[12];
    for (int c = 0; c < 3; c++)
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 2; x++) {
                int fi = c + 3 * (y + 2 * x), v = (c + y * 2 + x) % 3 == 0;
                d[2 * fi] = 0;
                d[2 * fi + 1] = (unsigned char)(v ? 9 : 0);
                w2[(c * 2 + y) * 2 + x] = (uint8_t)v;
            }
    write_npy(p, 2, "{\"descr\": \">i2\", \"shape\": (3, 2, 2), \"fortran_order\": True}", d, 24);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 0, &e), DSE_OK);
    ck_assert_int_eq(m.d[0], 1); ck_assert_int_eq(m.d[1], 3);
    ck_assert_int_eq(m.d[2], 2); ck_assert_int_eq(m.d[3], 2);
    ck_assert_mem_eq(m.bits, w2, 12);
    dse_mask_free(&m);
    unlink(p);
}
END_TEST

/* Malformed files: each must fail with DSE_EINPUT and a message naming the file. */
START_TEST(rejects)
{
    char p[64];
    tmpname(p, sizeof p);
    dse_mask m;
    dse_err e;
    uint8_t data[8] = {1, 0, 1, 1, 0, 0, 1, 0};
    static const struct { const char *dict; size_t n; int weight; const char *why; } bad[] = {
        {"{'descr': '<c8', 'fortran_order': False, 'shape': (2, 2), }", 8, 1, "unsupported dtype '<c8' (want"},
        {"{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }", 4, 1, "dtype"},
        {"{'descr': '<i3', 'fortran_order': False, 'shape': (2, 2), }", 4, 1, "dtype"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", 3, 1, "truncated"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", 5, 1, "trailing"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }", 8, 1, "rank"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4), }", 8, 0, "rank"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2), }", 8, 1, "rank"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (0, 2), }", 0, 1, "empty"},
        {"{'descr': '|u1', 'fortran_order': False}", 4, 1, "shape"},
        {"{'descr': '|u1', 'shape': (2, 2)}", 4, 1, "fortran_order"},
        {"{'fortran_order': False, 'shape': (2, 2)}", 4, 1, "descr"},
        {"{'descr': '|u1', 'fortran_order': Maybe, 'shape': (2, 2)}", 4, 1, "fortran_order"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, x), }", 4, 1, "shape"},
        {"['descr', '|u1']", 4, 1, "dict"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_npy(p, 1, bad[i].dict, data, bad[i].n);
        memset(&e, 0, sizeof e);
        ck_assert_msg(dse_mask_load_npy(&m, p, bad[i].weight, &e) == DSE_EINPUT, "case %zu accepted", i);
        ck_assert_msg(strstr(e.msg, bad[i].why) && strstr(e.msg, p), "case %zu: %s", i, e.msg);
        ck_assert_ptr_null(m.bits);
    }
    /* bad magic, unknown version, header longer than the file */
    write_raw(p, "\x93NUMPZ\1\0\0\0", 10);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "magic"));
    write_raw(p, "\x93NUMPY\4\0\0\0", 10);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "version"));
    write_raw(p, "\x93NUMPY\1\0\x40\0{'descr'", 18);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "truncated"));
    write_raw(p, "\x93NUMPY\2\0\1\0", 10);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    write_raw(p, "\x93NUM", 4);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    /* a real file cut short in its data */
    dse_mask ok;
    dse_mask_alloc(&ok, 4, 4, 3, 3);
    ck_assert_int_eq(dse_mask_save_npy(&ok, p, &e), DSE_OK);
    size_t len;
    char *raw = dse_read_file(p, &len, 0, &e);
    write_raw(p, raw, len - 1);
    free(raw);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "truncated"));
    dse_mask_free(&ok);
    unlink(p);
    ck_assert_int_eq(dse_mask_load_npy(&m, p, 1, &e), DSE_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, p));
}
END_TEST

/* Synthetic sources: exact N:M chunks, densities, run lengths, Beta moments. */
START_TEST(generators)
{
    dse_rng r;
    dse_rng_seed(&r, 3);
    dse_sparsity sp;
    memset(&sp, 0, sizeof sp);
    enum { N = 200000 };
    uint8_t *v = malloc(N);
    /* nm: exactly 2 of every 4; a short last chunk of 3 keeps round(2 * 3 / 4) = 2 */
    sp.dist = DSE_DIST_NM; sp.n = 2; sp.m = 4;
    dse_mask_gen(v, 103, &sp, 0.5, NULL, &r);
    for (int c = 0; c < 100; c += 4) ck_assert_int_eq(v[c] + v[c + 1] + v[c + 2] + v[c + 3], 2);
    ck_assert_int_eq(v[100] + v[101] + v[102], 2);
    int pos[4] = {0};   /* every position of a chunk is used */
    for (int it = 0; it < 200; it++) {
        dse_mask_gen(v, 4, &sp, 0.5, NULL, &r);
        for (int k = 0; k < 4; k++) pos[k] += v[k];
    }
    for (int k = 0; k < 4; k++) ck_assert(pos[k] > 60 && pos[k] < 140);
    /* bernoulli: density within 4 sigma */
    sp.dist = DSE_DIST_BERNOULLI;
    dse_mask_gen(v, N, &sp, 0.3, NULL, &r);
    double ones = 0;
    for (int i = 0; i < N; i++) ones += v[i];
    ck_assert(fabs(ones / N - 0.3) < 4 * sqrt(0.3 * 0.7 / N));
    /* per-position densities */
    double pd[8] = {0, 1, 0, 1, 0, 1, 0, 1};
    dse_mask_gen(v, 8, &sp, 0.5, pd, &r);
    for (int i = 0; i < 8; i++) ck_assert_int_eq(v[i], (int)pd[i]);
    /* cluster: density kept, mean zero run = run */
    sp.dist = DSE_DIST_CLUSTER; sp.run = 4;
    dse_mask_gen(v, N, &sp, 0.4, NULL, &r);
    double zr = 0, runs = 0;
    ones = 0;
    for (int i = 0; i < N; i++) {
        ones += v[i];
        if (!v[i]) { zr++; if (i == 0 || v[i - 1]) runs++; }
    }
    ck_assert_near(ones / N, 0.4, 0.03);
    ck_assert_near(zr / runs, 4, 0.05);
    /* beta: mean and sd of the per-unit density */
    double m1 = 0, m2 = 0;
    for (int i = 0; i < 20000; i++) {
        double x = dse_mask_beta_density(&r, 0.3, 0.1);
        ck_assert(x >= 0 && x <= 1);
        m1 += x; m2 += x * x;
    }
    m1 /= 20000; m2 = sqrt(m2 / 20000 - m1 * m1);
    ck_assert_near(m1, 0.3, 0.02);
    ck_assert_near(m2, 0.1, 0.03);
    ck_assert_double_eq(dse_mask_beta_density(&r, 0.3, 0), 0.3);
    for (int i = 0; i < 1000; i++) {   /* an impossible sd is clamped, never NaN */
        double x = dse_mask_beta_density(&r, 0.3, 0.9);
        ck_assert(x >= 0 && x <= 1);
    }
    free(v);
}
END_TEST

Suite *suite_mask(void); /* called by test/run.c */
Suite *suite_mask(void)
{
    Suite *s = suite_create("mask");
    TCase *tc = tcase_create("npy");
    tcase_add_test(tc, roundtrip);
    tcase_add_loop_test(tc, dtypes, 0, (int)(sizeof dcases / sizeof dcases[0]));
    tcase_add_test(tc, fortran_order);
    tcase_add_test(tc, rejects);
    tcase_add_test(tc, generators);
    suite_add_tcase(s, tc);
    return s;
}
