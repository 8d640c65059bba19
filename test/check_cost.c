/* check_cost.c -- technology files and the area / energy model: known answers, bounds, properties. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost.h"
#include "sram.h"
#include "mode.h"
#include "rng.h"
#include "testutil.h"

#define T45 "../spaces/tech/45nm.yaml"
#define T7 "../spaces/tech/7nm.yaml"

static const int sparse_comps[] = {DSE_C_wmux, DSE_C_amux, DSE_C_buffer, DSE_C_metadata, DSE_C_sched, DSE_C_unit};
#define NSPARSE (int)(sizeof sparse_comps / sizeof sparse_comps[0])

static dse_tech *load_tech(const char *path)
{
    dse_tech *t;
    dse_err e = {0, ""};
    int rc = dse_tech_load(&t, path, &e);
    ck_assert_msg(rc == DSE_OK, "%s", e.msg);
    return t;
}

static dse_cost *cost45(dse_tech **t)
{
    dse_cost *c;
    dse_err e = {0, ""};
    *t = load_tech(T45);
    ck_assert_msg(dse_cost_new(&c, *t, &e) == DSE_OK, "%s", e.msg);
    return c;
}

/* Write text to a fresh temporary file; returns its path (static buffer). */
static const char *tmpfile_with(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/check_cost_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t n = strlen(text);
    ck_assert_int_eq((int)write(fd, text, n), (int)n);
    close(fd);
    return path;
}

/* A temporary copy of the 45 nm file without the line of entry key
 * (key != NULL), or with sram_table's value set to v (key == NULL). */
static const char *t45_edited(const char *key, char v)
{
    dse_err e = {0, ""};
    char *text = dse_read_file(T45, NULL, 1, &e), pat[80];
    ck_assert_ptr_nonnull(text);
    snprintf(pat, sizeof pat, "\n%s:", key ? key : "sram_table");
    char *l = strstr(text, pat);
    ck_assert_msg(l != NULL, "%s not in %s", pat + 1, T45);
    if (key) memmove(l, strchr(l + 1, '\n'), strlen(strchr(l + 1, '\n')) + 1);
    else strstr(l, "value: ")[strlen("value: ")] = v;
    const char *path = tmpfile_with(text);
    free(text);
    return path;
}

/* The 45 nm technology with its Horowitz SRAM option (sram_table 0): the
 * hand-worked SRAM figures below are Horowitz's. */
static dse_cost *cost45h(dse_tech **t)
{
    dse_cost *c;
    dse_err e = {0, ""};
    *t = load_tech(t45_edited(NULL, '0'));
    ck_assert_msg(dse_cost_new(&c, *t, &e) == DSE_OK, "%s", e.msg);
    return c;
}

static double sum(const double *v) { double s = 0; for (int i = 0; i < DSE_NCOMPS; i++) s += v[i]; return s; }

static dse_layer layer(int P, int K, int Cin, int R)
{
    dse_layer L;
    memset(&L, 0, sizeof L);
    strcpy(L.name, "t");
    L.P = P; L.K = K; L.Cin = Cin; L.R = L.S = R; L.groups = 1; L.repeat = 1;
    return L;
}

/* Counts of a layer on p, dense speed scaled by speed (<= 1 = faster). */
static dse_perf perf_of(const dse_point *p, const dse_layer *L, double speed, double eff)
{
    dse_perf f;
    memset(&f, 0, sizeof f);
    double steps = ceil((double)L->Cin * L->R * L->S / p->lanes);
    f.dense_cycles = ceil((double)L->P / p->rows) * ceil((double)L->K / p->cols) * steps;
    f.cycles = f.cycles_lo = f.cycles_hi = f.dense_cycles * speed;
    f.macs = (double)L->P * L->K * L->Cin * L->R * L->S;
    f.eff_macs = f.macs * eff;
    return f;
}

static void energy_mode(const dse_cost *c, const dse_point *p, dse_mode m, const dse_layer *L,
                        const dse_perf *f, double en[DSE_NCOMPS])
{
    dse_config cfg;
    dse_err e = {0, ""};
    ck_assert_msg(dse_mode_config(p, m, &cfg, &e) == DSE_OK, "%s", e.msg);
    dse_traffic none;
    memset(&none, 0, sizeof none);
    (void)L;
    memset(en, 0, sizeof(double) * DSE_NCOMPS);
    dse_cost_energy(c, p, &cfg, f, &none, f->cycles, en);
}

/* ---- technology files ---- */

START_TEST(test_shipped_files_have_sources)
{
    const char *files[] = {T45, T7};
    for (int f = 0; f < 2; f++) {
        dse_tech *t = load_tech(files[f]);
        ck_assert_int_ge(dse_tech_count(t), 20);
        for (int i = 0; i < dse_tech_count(t); i++) {
            const char *k, *u, *s;
            double v;
            dse_tech_entry(t, i, &k, &v, &u, &s);
            ck_assert_msg(s && strlen(s) > 8, "%s: entry %s has no real source", files[f], k);
            ck_assert_msg(u && u[0], "%s: entry %s has no unit", files[f], k);
            ck_assert_str_eq(dse_tech_source(t, k), s);
        }
        dse_cost *c;
        dse_err e = {0, ""};
        ck_assert_msg(dse_cost_new(&c, t, &e) == DSE_OK, "%s: %s", files[f], e.msg);
        dse_cost_free(c);
        dse_tech_free(t);
    }
}
END_TEST

START_TEST(test_horowitz_figures)
{
    dse_tech *t = load_tech(T45);
    double v;
    dse_err e = {0, ""};
    const char *keys[] = {"add8_pj", "mult8_pj", "add32_pj", "mult32_pj", "sram8k_read64_pj",
                          "sram32k_read64_pj", "sram1m_read64_pj", "add8_um2", "mult8_um2", "add32_um2", "mult32_um2"};
    const double want[] = {0.03, 0.2, 0.1, 3.1, 10, 20, 100, 36, 282, 137, 3495};
    for (int i = 0; i < 11; i++) {
        ck_assert_int_eq(dse_tech_get(t, keys[i], &v, &e), DSE_OK);
        ck_assert_near(v, want[i], 1e-12);
        ck_assert_ptr_nonnull(strstr(dse_tech_source(t, keys[i]), "Horowitz"));
    }
    dse_tech_free(t);
}
END_TEST

START_TEST(test_7nm_scaled_by_published_factors)
{
    /* Stillmaker & Baas (Integration 58, 2017) energy fits a V^2 + b V + c:
     * PTM HP 45 nm and ITRS HP 7 nm; Horowitz's 45 nm figures are at 0.9 V */
    dse_tech *t45 = load_tech(T45), *t7 = load_tech(T7);
    dse_err e = {0, ""};
    double es, as, vdd, v45, v7;
    ck_assert_int_eq(dse_tech_get(t7, "energy_scale", &es, &e), DSE_OK);
    ck_assert_int_eq(dse_tech_get(t7, "area_scale", &as, &e), DSE_OK);
    ck_assert_int_eq(dse_tech_get(t7, "vdd_v", &vdd, &e), DSE_OK);
    double e45 = 1.018 * 0.81 - 0.3107 * 0.9 + 0.1539, e7 = 0.1776 * vdd * vdd - 0.09097 * vdd + 0.02447;
    ck_assert_near(es, e7 / e45, 1e-4);
    ck_assert_near(as, 0.059, 1e-12);
    const char *ek[] = {"add8_pj", "add32_pj", "mult8_pj", "mult32_pj", "sram8k_read64_pj", "sram32k_read64_pj",
                        "sram1m_read64_pj", "mux2_bit_pj", "reg_bit_pj", "prio_input_pj", "gate_nand2_pj"};
    const char *ak[] = {"add8_um2", "add32_um2", "mult8_um2", "mult32_um2", "mux2_bit_um2", "reg_bit_um2", "prio_input_um2", "gate_nand2_um2"};
    for (int i = 0; i < 10; i++) {   /* values carry 4 significant digits */
        ck_assert(dse_tech_get(t45, ek[i], &v45, &e) == DSE_OK && dse_tech_get(t7, ek[i], &v7, &e) == DSE_OK);
        ck_assert_msg(fabs(v7 / (v45 * es) - 1) < 5e-4, "%s: %g is not %g x %g", ek[i], v7, v45, es);
        ck_assert_ptr_nonnull(strstr(dse_tech_source(t7, ek[i]), "Stillmaker"));
    }
    for (int i = 0; i < 7; i++) {
        ck_assert(dse_tech_get(t45, ak[i], &v45, &e) == DSE_OK && dse_tech_get(t7, ak[i], &v7, &e) == DSE_OK);
        ck_assert_msg(fabs(v7 / (v45 * as) - 1) < 5e-4, "%s: %g is not %g x %g", ak[i], v7, v45, as);
        ck_assert_ptr_nonnull(strstr(dse_tech_source(t7, ak[i]), "Stillmaker"));
    }
    dse_tech_free(t45);
    dse_tech_free(t7);
}
END_TEST

START_TEST(test_missing_entry_named)
{
    /* the 45 nm file without mult8_pj */
    dse_err e = {0, ""};
    const char *path = t45_edited("mult8_pj", 0);
    dse_tech *t = load_tech(path);
    double v;
    ck_assert_int_eq(dse_tech_get(t, "mult8_pj", &v, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "mult8_pj"));
    ck_assert_ptr_nonnull(strstr(e.msg, path));
    dse_cost *c = (dse_cost *)1;
    e.msg[0] = 0;
    ck_assert_int_eq(dse_cost_new(&c, t, &e), DSE_EINPUT);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(e.msg, "'mult8_pj' is missing"));
    ck_assert_ptr_nonnull(strstr(e.msg, path));
    dse_tech_free(t);
    unlink(path);
}
END_TEST

/* The SRAM entries: a missing table point is named with the file; a bad
 * selector value is located at its entry. */
START_TEST(test_sram_entries_checked)
{
    dse_err e = {0, ""};
    const char *path = t45_edited("sram_cacti_64k_512b_pj", 0);
    dse_tech *t = load_tech(path);
    dse_cost *c;
    ck_assert_int_eq(dse_cost_new(&c, t, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "'sram_cacti_64k_512b_pj' is missing"));
    ck_assert_ptr_nonnull(strstr(e.msg, path));
    dse_tech_free(t);
    unlink(path);
    path = t45_edited(NULL, '2');
    t = load_tech(path);
    ck_assert_int_eq(dse_cost_new(&c, t, &e), DSE_EINPUT);
    ck_assert_msg(strstr(e.msg, "error: technology entry 'sram_table' = 2 is out of range [0, 1]") && strstr(e.msg, path),
                  "%s", e.msg);
    size_t pl = strlen(path);   /* located: path:line:col */
    ck_assert(strncmp(e.msg, path, pl) == 0 && e.msg[pl] == ':' && e.msg[pl + 1] >= '1' && e.msg[pl + 1] <= '9');
    dse_tech_free(t);
    unlink(path);
}
END_TEST

START_TEST(test_bad_tech_files)
{
    struct { const char *text, *want; } cases[] = {
        {"node: x\nsource: s\na_pj: {value: 1, unit: pJ}\n", "3:7: error: technology entry 'a_pj' has no 'source'"},
        {"node: x\nsource: s\na_pj: {value: 1, unit: pJ, source: \"\"}\n", "'source' is empty"},
        {"node: x\nsource: s\na_pj: {value: abc, unit: pJ, source: s}\n", "expected a number"},
        {"node: x\nsource: s\na_pj: {value: 1, unit: pJ, sorce: s}\n", "did you mean 'source'"},
        {"node: x\nsource: s\na_pj: {value: 1, unit: pJ, source: s}\na_pj: {value: 2, unit: pJ, source: s}\n",
         "4:1: error: duplicate technology entry 'a_pj'"},
        {"source: s\na_pj: {value: 1, unit: pJ, source: s}\n", "no 'node'"},
        {"node: x\na_pj: {value: 1, unit: pJ, source: s}\n", "no 'source'"},
        {"node: x\nsource: s\na_pj: 3\n", "must be a mapping"},
        {"node: x\nsource: s\na_pj: {value: -1, unit: pJ, source: s}\n", "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = tmpfile_with(cases[i].text);
        dse_tech *t = (dse_tech *)1;
        dse_err e = {0, ""};
        ck_assert_int_eq(dse_tech_load(&t, path, &e), DSE_EINPUT);
        ck_assert_ptr_null(t);
        ck_assert_msg(strstr(e.msg, cases[i].want) && strstr(e.msg, path), "case %zu: %s", i, e.msg);
        unlink(path);
    }
    /* a wrong unit is caught by the cost model */
    dse_err e = {0, ""};
    char *text = dse_read_file(T45, NULL, 1, &e);
    char *u = strstr(text, "\nmult8_pj:");
    ck_assert_ptr_nonnull(u);
    u = strstr(u, "unit: pJ");
    ck_assert_ptr_nonnull(u);
    memcpy(u + 6, "fJ", 2);
    const char *path = tmpfile_with(text);
    free(text);
    dse_tech *t = load_tech(path);
    dse_cost *c;
    ck_assert_int_eq(dse_cost_new(&c, t, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "'mult8_pj' has unit 'fJ', expected 'pJ'"));
    char at[600];   /* located at the entry's key */
    snprintf(at, sizeof at, "%s:11:1: error: technology entry 'mult8_pj'", path);
    ck_assert_msg(strncmp(e.msg, at, strlen(at)) == 0, "%s", e.msg);
    dse_tech_free(t);
    unlink(path);
}
END_TEST

/* ---- known answers ---- */

/* Multiplier energy of b-bit operands through the public API: the energy
 * difference of two runs that differ only in effectual multiplies. */
static double mult_energy(const dse_cost *c, int bits)
{
    dse_point p;
    dse_point_defaults(&p);
    p.bits = bits;
    dse_layer L = layer(64, 64, 64, 1);
    dse_perf f1 = perf_of(&p, &L, 1, 0.5), f2 = f1;
    f2.eff_macs = f1.eff_macs + 1000;
    double e1[DSE_NCOMPS], e2[DSE_NCOMPS];
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &f1, e1);
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &f2, e2);
    for (int i = 0; i < DSE_NCOMPS; i++)
        if (i != DSE_C_mult && i != DSE_C_clock) ck_assert_near(e2[i], e1[i], 1e-12);
    return (e2[DSE_C_mult] - e1[DSE_C_mult]) / 1000;
}

START_TEST(test_multiplier_energy_horowitz)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    /* an effectual multiply instead of a gated slot: the multiply less the
     * gated_residual (0.05) a gated multiplier keeps */
    ck_assert_near(mult_energy(c, 8), 0.2 * 0.95, 1e-9);
    ck_assert_near(mult_energy(c, 32), 3.1 * 0.95, 1e-9);
    double e16 = mult_energy(c, 16) / 0.95;  /* power law between the points: ~ bits^2 */
    ck_assert_near(e16, 0.2 * pow(15.5, 0.5), 1e-9);
    ck_assert(e16 > 0.2 * 3.5 && e16 < 0.2 * 4.0);
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

START_TEST(test_area_hand_worked)
{
    dse_tech *t;
    dse_cost *c = cost45h(&t);
    dse_point p;
    dse_point_defaults(&p);
    p.lanes = 4; p.rows = 2; p.cols = 3; p.bits = 8; p.acc_bits = 32;
    p.wsram_kib = 8; p.asram_kib = 32; p.osram_kib = 1;
    double a[DSE_NCOMPS];
    dse_cost_area(c, &p, a);
    double add16 = 36 + 101.0 * 8 / 24, add17 = 36 + 101.0 * 9 / 24;
    ck_assert_near(a[DSE_C_mult], 24 * 282, 1e-12);
    ck_assert_near(a[DSE_C_adder], 6 * (2 * add16 + add17), 1e-12);   /* 4 inputs: 2 + 1 adders */
    ck_assert_near(a[DSE_C_accum], 6 * (137 + 32 * 4.522), 1e-12);
    ck_assert_near(a[DSE_C_pipeline], 24 * 32 * 4.522, 1e-12);
    ck_assert_near(a[DSE_C_wsram], 8 * 8192 * 0.346 / 0.5, 1e-12);
    ck_assert_near(a[DSE_C_asram], 32 * 8192 * 0.346 / 0.5, 1e-12);
    for (int i = 0; i < NSPARSE; i++) ck_assert(a[sparse_comps[i]] == 0);
    /* zero detectors: (rows + cols) x lanes words, 7 NAND2 each */
    ck_assert_near(a[DSE_C_zero], (2 + 3) * 4 * 7 * 0.798, 1e-12);
    ck_assert(a[DSE_C_codec] == 0);
    double logic = a[DSE_C_mult] + a[DSE_C_adder] + a[DSE_C_accum] + a[DSE_C_pipeline] + a[DSE_C_zero];
    ck_assert_near(a[DSE_C_clock], 0.02 * logic, 1e-12);
    /* weight side T window H=2, D=1: fan-in 4, 2 select bits per weight */
    p.w_lookahead = 2; p.w_lookaside = 1;
    dse_cost_area(c, &p, a);
    ck_assert_near(a[DSE_C_wmux], 24 * 8 * 3 * 1.862, 1e-12);
    ck_assert_near(a[DSE_C_buffer], 2 * 2 * 4 * 8 * 4.522, 1e-12);   /* rows x H x lanes x bits */
    double ws = 8 * 8192 * 0.346 / 0.5 * 1.47;   /* 3 banks (3 rows a cycle), the routing's share */
    ck_assert_near(a[DSE_C_metadata], ws * 2 / 10 + 3 * 4 * 2 * 4.522, 1e-9);
    ck_assert_near(a[DSE_C_wsram], ws * 8 / 10, 1e-9);
    ck_assert(a[DSE_C_amux] == 0 && a[DSE_C_sched] == 0 && a[DSE_C_unit] == 0);
    /* activation side rect H=1, D=1: 3 candidates, fan-in 4; scheduler per row */
    p.w_lookahead = p.w_lookaside = 0;
    p.a_shape = DSE_SHAPE_RECT; p.a_lookahead = 1; p.a_lookaside = 1;
    dse_cost_area(c, &p, a);
    ck_assert_near(a[DSE_C_amux], 24 * 8 * 3 * 1.862, 1e-12);
    ck_assert_near(a[DSE_C_sched], 2 * 4 * (3 * 2.4 + 2 * 4.522), 1e-12);
    ck_assert_near(a[DSE_C_buffer], 3 * 1 * 4 * 8 * 4.522, 1e-12);    /* cols x H x lanes x bits */
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

/* The 45 nm file and its SRAM model. */
static dse_tech *sram45(dse_sram_model *m)
{
    dse_tech *t = load_tech(T45);
    dse_err e = {0, ""};
    ck_assert_msg(dse_sram_model_load(m, t, &e) == DSE_OK, "%s", e.msg);
    return t;
}

/* SRAM banks (sram.h): table points exact, log-log interpolation between
 * them by hand, wide accesses split, CACTI's missing points, bank
 * organisations, and the Horowitz option's per-bit figures. */
START_TEST(test_sram_banks)
{
    dse_sram_model m;
    dse_tech *t = sram45(&m);
    dse_err e = {0, ""};
    ck_assert_int_eq(m.table, 1);
    double e8, e16, e16w, a8;
    ck_assert_int_eq(dse_tech_get(t, "sram_cacti_8k_1024b_pj", &e8, &e), DSE_OK);
    ck_assert_int_eq(dse_tech_get(t, "sram_cacti_16k_1024b_pj", &e16, &e), DSE_OK);
    ck_assert_int_eq(dse_tech_get(t, "sram_cacti_16k_2048b_pj", &e16w, &e), DSE_OK);
    ck_assert_int_eq(dse_tech_get(t, "sram_cacti_8k_1024b_mm2", &a8, &e), DSE_OK);
    ck_assert_near(dse_sram_access_pj(&m, 8, 1024), e8, 1e-12);
    ck_assert_near(dse_sram_bank_um2(&m, 8, 1024), a8 * 1e6, 1e-12);
    /* 12 KiB: log2 12 - 3 = 0.585 of the way from 8 to 16 KiB, in log energy */
    double fx = log2(12.0) - 3;
    ck_assert_near(dse_sram_access_pj(&m, 12, 1024), exp(log(e8) * (1 - fx) + log(e16) * fx), 1e-12);
    /* 1536 bits at 16 KiB: log2(1536 / 1024) of the way to 2048 */
    double fy = log2(1.5);
    ck_assert_near(dse_sram_access_pj(&m, 16, 1536), exp(log(e16) * (1 - fy) + log(e16w) * fy), 1e-12);
    /* 4096 bits from 32 KiB: two 16 KiB banks of 2048 bits */
    ck_assert_near(dse_sram_access_pj(&m, 32, 4096), 2 * e16w, 1e-12);
    /* 1 KiB x 512 bits has 16 rows, no CACTI layout: the 2 KiB figure */
    double e2k;
    ck_assert_int_eq(dse_tech_get(t, "sram_cacti_2k_512b_pj", &e2k, &e), DSE_OK);
    ck_assert_near(dse_sram_access_pj(&m, 1, 512), e2k, 1e-12);
    ck_assert_int_ne(dse_tech_get(t, "sram_cacti_1k_512b_pj", &e2k, &e), DSE_OK);
    /* organisations: 128 KiB of 8 KiB banks; 3 rows a cycle from an unlimited bank size */
    dse_sram_org o;
    dse_sram_org_of(128, 8, 1, 1024, &o);
    ck_assert_int_eq(o.banks, 16);
    ck_assert_near(o.bank_kib, 8, 0);
    /* with the routing: area 16 x 0.121187 x 1.47 = 2.850318 mm2, its side 1.688288 mm, the H-tree
     * 0.38 x 1.688288 x (1 - 1/4) = 0.481162 pJ/bit on top of the bank's 77.7151 / 1024 */
    ck_assert_near(dse_sram_um2(&m, &o), 16 * a8 * 1e6 * 1.47, 1e-6);
    ck_assert_near(dse_sram_bit_pj(&m, &o), 77.7151 / 1024 + 0.481162, 1e-6);
    dse_sram_org_of(8, 0, 1, 1024, &o);                  /* one bank: no routing */
    ck_assert_near(dse_sram_bit_pj(&m, &o), e8 / 1024, 1e-12);
    ck_assert_near(dse_sram_um2(&m, &o), a8 * 1e6, 1e-12);
    dse_sram_org_of(128, 0, 3, 1024, &o);
    ck_assert_int_eq(o.banks, 3);
    ck_assert_near(o.bank_kib, 128.0 / 3, 1e-15);
    dse_sram_org_of(128, 64, 3, 1024, &o);
    ck_assert_int_eq(o.banks, 3);
    /* Horowitz: 0.81 pJ/bit monolithic 128 KiB (20 + 80 x 2/5 pJ per 64 bits); from 8 KiB banks
     * 0.16 and the routing over 128 x 8192 x 0.346 / 0.5 x 1.47 um2 = 1.066653 mm2: 0.38 x
     * 1.032789 x 3/4 = 0.294345 pJ/bit */
    m.table = 0;
    dse_sram_org_of(128, 0, 1, 1024, &o);
    ck_assert_near(dse_sram_bit_pj(&m, &o), 52.0 / 64, 1e-12);
    dse_sram_org_of(128, 8, 1, 1024, &o);
    ck_assert_near(dse_sram_um2(&m, &o), 128 * 8192 * 0.346 / 0.5 * 1.47, 1e-6);
    ck_assert_near(dse_sram_bit_pj(&m, &o), 10.0 / 64 + 0.294345, 1e-6);
    dse_tech_free(t);
}
END_TEST

/* The banked model against CACTI 7.0's own multi-bank runs (scripts/cacti/banks.csv, 56 SRAMs of
 * 2..128 banks of at least 8 KiB, 256 and 1024 bits wide): energy per access within 0.75..1.40x
 * and area within 0.6..1.9x of CACTI's (the fit's residuals, scripts/cacti/fit_banks.py); the
 * one-bank runs are the table's own points. */
START_TEST(test_sram_banks_vs_cacti)
{
    dse_sram_model m;
    dse_tech *t = sram45(&m);
    FILE *f = fopen("../scripts/cacti/banks.csv", "r");
    ck_assert_ptr_nonnull(f);
    char line[256], fails[4096] = "";
    int n = 0, one = 0;
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));   /* header */
    while (fgets(line, sizeof line, f)) {
        int kib, w, banks;
        double rd, wr, mm2;
        if (sscanf(line, "%d,%d,%d,%lf,%lf,%lf", &kib, &w, &banks, &rd, &wr, &mm2) != 6) continue;
        dse_sram_org o;
        dse_sram_org_of(kib, kib / banks, 1, w, &o);
        ck_assert_int_eq(o.banks, banks);
        double pj = dse_sram_bit_pj(&m, &o) * w, um2 = dse_sram_um2(&m, &o);
        if (banks == 1) {
            ck_assert_msg(fabs(pj / rd - 1) < 1e-3, "%d KiB x %d: %g pJ, CACTI %g", kib, w, pj, rd);
            one++;
            continue;
        }
        if (pj / rd < 0.75 || pj / rd > 1.40 || um2 * 1e-6 / mm2 < 0.6 || um2 * 1e-6 / mm2 > 1.9) {
            size_t k = strlen(fails);
            snprintf(fails + k, sizeof fails - k, "\n  %d KiB x %d bits, %d banks: %.1f pJ (CACTI %.1f), %.3f mm2 (%.3f)",
                     kib, w, banks, pj, rd, um2 * 1e-6, mm2);
        }
        n++;
    }
    fclose(f);
    ck_assert_msg(fails[0] == '\0', "banked SRAMs off CACTI:%s", fails);
    ck_assert_int_ge(n, 50);
    ck_assert_int_ge(one, 10);
    dse_tech_free(t);
}
END_TEST

START_TEST(test_sram_energy_and_reuse)
{
    dse_tech *t;
    dse_cost *c = cost45h(&t);
    dse_point p;
    dse_point_defaults(&p);
    p.lanes = 4; p.rows = 4; p.cols = 4; p.bits = 8;
    dse_layer L = layer(10, 6, 5, 1);
    dse_perf f = perf_of(&p, &L, 1, 1);
    f.cycles = 0;  /* no time: no leakage, no per-cycle logic; only data movement and multiplies */
    /* a hand-made traffic: 90 weight reads and 10 fills, 100 activation reads,
     * 60 output updates of 8 bits; DRAM: 10 + 20 words read, 60 written */
    dse_traffic tr;
    memset(&tr, 0, sizeof tr);
    tr.words[DSE_ST_SRAM][DSE_TW][DSE_A_READ] = 90;
    tr.words[DSE_ST_SRAM][DSE_TW][DSE_A_FILL] = 10;
    tr.words[DSE_ST_SRAM][DSE_TI][DSE_A_READ] = 100;
    tr.words[DSE_ST_SRAM][DSE_TO][DSE_A_UPDATE] = 60;
    tr.words[DSE_ST_DRAM][DSE_TW][DSE_A_READ] = 10;
    tr.words[DSE_ST_DRAM][DSE_TI][DSE_A_READ] = 20;
    tr.words[DSE_ST_DRAM][DSE_TO][DSE_A_UPDATE] = 60;
    tr.words[DSE_ST_ACC][DSE_TO][DSE_A_FILL] = 5;   /* partial sums reloaded */
    for (int s = 0; s < DSE_NSTORES; s++)
        for (int tn = 0; tn < DSE_NTENSORS; tn++) tr.width[s][tn] = 8;
    tr.width[DSE_ST_ACC][DSE_TO] = 32;
    const int kib[] = {8, 32, 1024, 16, 2, 4096};
    const double e64[] = {10, 20, 100, 15, 10, 100 + 80.0 * 2 / 5};
    dse_config cfg;
    dse_err e = {0, ""};
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &cfg, &e), DSE_OK);
    for (int i = 0; i < 6; i++) {
        p.wsram_kib = p.asram_kib = p.osram_kib = kib[i];
        for (int d = 0; d < DSE_NDRAMS; d++) {
            p.dram = (dse_dram)d;
            double en[DSE_NCOMPS] = {0}, mv[DSE_NMOVES];
            dse_cost_energy(c, &p, &cfg, &f, &tr, 0, en);
            ck_assert_near(en[DSE_C_wsram], 100 * 8 * e64[i] / 64, 1e-12);   /* write factor 1 */
            ck_assert_near(en[DSE_C_asram], 100 * 8 * e64[i] / 64, 1e-12);
            ck_assert_near(en[DSE_C_osram], 60 * 8 * e64[i] / 64, 1e-12);
            ck_assert_near(en[DSE_C_dram], 90 * 8 * (d == DSE_DRAM_DDR3 ? 20.3 : 8.0), 1e-12);
            ck_assert_near(en[DSE_C_mult], 300 * 0.2, 1e-12);
            ck_assert_near(en[DSE_C_accum], 5 * 32 * 0.004, 1e-12);             /* reloads only: no cycles */
            dse_cost_movement(c, &p, &tr, mv);
            ck_assert_near(mv[DSE_MV_WSRAM], en[DSE_C_wsram], 1e-12);
            ck_assert_near(mv[DSE_MV_DRAM], en[DSE_C_dram], 1e-12);
            ck_assert_near(mv[DSE_MV_ACC], 5 * 32 * 0.004, 1e-12);               /* every counted access */
        }
    }
    /* DRAM bandwidth: one LPDDR4 channel of 12.8 GB/s at 1 GHz moves 102.4 bits a cycle */
    p.dram = DSE_DRAM_LPDDR4;
    p.dram_channels = 1;
    ck_assert_near(dse_cost_dram_bits_per_cycle(c, &p), 102.4, 1e-12);
    p.dram_channels = 2; p.clock_mhz = 500;
    ck_assert_near(dse_cost_dram_bits_per_cycle(c, &p), 409.6, 1e-12);
    /* weights stored in their offline schedule: half the cycles, half the
     * weights, each with its selects (mw = 1 bit for L(1,0)) */
    p.w_lookahead = 1;
    dse_enc w;
    f = perf_of(&p, &L, 0.5, 0.5);
    ck_assert_int_eq(dse_cost_select_bits(&p), 1);
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_WEIGHT, &cfg, &e), DSE_OK);
    dse_cost_weight_storage(&p, &cfg, &L, &f, &w);
    ck_assert_near(w.rho, 0.5, 1e-12);
    ck_assert_near(w.meta_word, 1, 1e-12);
    /* cascaded dual: the static stage's stream is max(cycles / dense, density_w) long */
    p.dual_org = DSE_DUAL_CASCADED;
    L.w.density = 0.5;
    f = perf_of(&p, &L, 0.3, 0.25);
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &cfg, &e), DSE_OK);
    dse_cost_weight_storage(&p, &cfg, &L, &f, &w);
    ck_assert_near(w.rho, 0.5, 1e-12);
    L.w.density = 0.2;   /* now the run is the longer one */
    dse_cost_weight_storage(&p, &cfg, &L, &f, &w);
    ck_assert_near(w.rho, 0.3, 1e-12);
    /* joint dual and dense mode store weights uncompacted, without selects */
    p.dual_org = DSE_DUAL_JOINT;
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DUAL, &cfg, &e), DSE_OK);
    dse_cost_weight_storage(&p, &cfg, &L, &f, &w);
    ck_assert(w.rho == 1 && w.meta_word == 0 && w.meta_coord == 0);
    ck_assert_int_eq(dse_mode_config(&p, DSE_MODE_DENSE, &cfg, &e), DSE_OK);
    dse_cost_weight_storage(&p, &cfg, &L, &f, &w);
    ck_assert(w.rho == 1 && w.meta_word == 0);
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

/* ---- the sparse-logic properties ---- */

static void random_design(dse_rng *r, dse_point *p)
{
    dse_point_defaults(p);
    p->lanes = 1 << dse_rng_below(r, 6);
    p->rows = 1 + (int)dse_rng_below(r, 16);
    p->cols = 1 + (int)dse_rng_below(r, 16);
    p->bits = 2 + (int)dse_rng_below(r, 15);
    p->acc_bits = 16 + (int)dse_rng_below(r, 17);
    p->wsram_kib = 1 << dse_rng_below(r, 11);
    p->asram_kib = 1 << dse_rng_below(r, 11);
    p->osram_kib = 1 << dse_rng_below(r, 11);
    p->w_lookahead = (int)dse_rng_below(r, 5);
    p->w_lookaside = (int)dse_rng_below(r, 5);
    p->w_unit = (int)dse_rng_below(r, 3);
    p->w_shape = (dse_shape)dse_rng_below(r, DSE_NSHAPES);
    p->a_lookahead = (int)dse_rng_below(r, 5);
    p->a_lookaside = (int)dse_rng_below(r, 5);
    p->a_unit = (int)dse_rng_below(r, 3);
    p->a_shape = (dse_shape)dse_rng_below(r, DSE_NSHAPES);
    p->dual_org = (dse_dualorg)dse_rng_below(r, DSE_NDUALORGS);
    p->gating = (int)dse_rng_below(r, 2);
    p->hybrid = (int)dse_rng_below(r, 2);
    /* the SRAMs' rows a cycle fixed, so that growing a window does not
     * rebuild the SRAMs from other banks (their area is not monotone) */
    p->sram_rows = 1 + (int)dse_rng_below(r, 4);
}

START_TEST(test_dense_design_no_sparse_cost)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    dse_rng r;
    dse_rng_seed(&r, dse_rng_key(4, 1, 0, 0));
    dse_layer L = layer(196, 128, 64, 3);
    for (int it = 0; it < 200; it++) {
        dse_point p;
        random_design(&r, &p);
        p.w_lookahead = p.w_lookaside = p.w_unit = p.a_lookahead = p.a_lookaside = p.a_unit = 0;
        double a[DSE_NCOMPS];
        dse_cost_area(c, &p, a);
        for (int i = 0; i < NSPARSE; i++) ck_assert(a[sparse_comps[i]] == 0);
        for (int m = 0; m < DSE_NMODES; m++) {
            dse_perf f = perf_of(&p, &L, 1, m == 0 ? 1 : 0.4);
            double en[DSE_NCOMPS];
            energy_mode(c, &p, (dse_mode)m, &L, &f, en);
            for (int i = 0; i < NSPARSE; i++)
                ck_assert_msg(en[sparse_comps[i]] == 0, "mode %d comp %s", m, dse_comp_names[sparse_comps[i]]);
            ck_assert(sum(en) > 0);
        }
    }
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

static int *wparam(dse_point *p, int k)
{
    int *f[] = {&p->w_lookahead, &p->w_lookaside, &p->w_unit, &p->a_lookahead, &p->a_lookaside, &p->a_unit};
    return f[k];
}

START_TEST(test_monotone_in_windows)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    dse_rng r;
    dse_rng_seed(&r, dse_rng_key(4, 2, 0, 0));
    dse_layer L = layer(196, 96, 48, 3);
    int grew = 0;
    for (int it = 0; it < 300; it++) {
        dse_point p;
        random_design(&r, &p);
        if (p.hybrid && dse_rng_below(&r, 2)) {   /* explicit per-mode windows stay fixed */
            p.wmode_lookahead = (int)dse_rng_below(&r, 5);
            p.amode_lookaside = (int)dse_rng_below(&r, 5);
        }
        if (!dse_mode_valid(&p, NULL, 0)) continue;   /* e.g. lookaside without lookahead */
        dse_perf f = perf_of(&p, &L, 1, 1);
        double a0[DSE_NCOMPS], e0[DSE_NCOMPS];
        dse_cost_area(c, &p, a0);
        energy_mode(c, &p, DSE_MODE_DENSE, &L, &f, e0);
        for (int k = 0; k < 6; k++) {
            dse_point q = p;
            *wparam(&q, k) += 1 + (int)dse_rng_below(&r, 3);
            if (!dse_mode_valid(&q, NULL, 0)) continue;
            double a1[DSE_NCOMPS], e1[DSE_NCOMPS];
            dse_cost_area(c, &q, a1);
            energy_mode(c, &q, DSE_MODE_DENSE, &L, &f, e1);
            ck_assert_msg(sum(a1) >= sum(a0) * (1 - 1e-12), "area fell: it %d param %d", it, k);
            ck_assert_msg(sum(e1) >= sum(e0) * (1 - 1e-12), "dense energy fell: it %d param %d", it, k);
            grew += sum(a1) > sum(a0) * (1 + 1e-9);
        }
    }
    ck_assert_int_gt(grew, 1000);  /* the property is not vacuous */
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

START_TEST(test_dual_area_covers_halves)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    dse_rng r;
    dse_rng_seed(&r, dse_rng_key(4, 3, 0, 0));
    for (int it = 0; it < 300; it++) {
        dse_point p, w, a;
        random_design(&r, &p);
        p.hybrid = 0;
        w = a = p;
        w.a_lookahead = w.a_lookaside = w.a_unit = 0;
        a.w_lookahead = a.w_lookaside = a.w_unit = 0;
        double ad[DSE_NCOMPS], aw[DSE_NCOMPS], aa[DSE_NCOMPS];
        dse_cost_area(c, &p, ad);
        dse_cost_area(c, &w, aw);
        dse_cost_area(c, &a, aa);
        ck_assert(sum(ad) >= sum(aw) * (1 - 1e-12));
        ck_assert(sum(ad) >= sum(aa) * (1 - 1e-12));
        for (int i = 0; i < NSPARSE; i++) {
            int k = sparse_comps[i];
            ck_assert(ad[k] >= aw[k] * (1 - 1e-12));
            ck_assert(ad[k] >= aa[k] * (1 - 1e-12));
        }
    }
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

START_TEST(test_gating)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    dse_point p;
    dse_point_defaults(&p);
    p.lanes = 8; p.rows = 4; p.cols = 4; p.bits = 8; p.clock_mhz = 500;
    p.w_shape = DSE_SHAPE_T; p.w_lookahead = 2; p.w_lookaside = 1;   /* fan-in 4 */
    p.a_shape = DSE_SHAPE_T; p.a_lookahead = 1; p.a_lookaside = 2;   /* fan-in 4 */
    p.w_unit = 1;
    dse_layer L = layer(64, 64, 64, 1);
    dse_perf f = perf_of(&p, &L, 1, 1);
    double a[DSE_NCOMPS], on[DSE_NCOMPS], off[DSE_NCOMPS];
    dse_cost_area(c, &p, a);
    double secs = f.cycles / 500e6, N = 8 * 16;
    p.gating = 1;
    energy_mode(c, &p, DSE_MODE_DENSE, &L, &f, on);
    p.gating = 0;
    energy_mode(c, &p, DSE_MODE_DENSE, &L, &f, off);
    /* gated: leakage + gated_residual (0.05) x full per-cycle energy; not
     * gated: leakage + idle_activity (0.5) x full */
    double wmux_full = f.cycles * N * 8 * 3 * 0.0016, leak_sched = a[DSE_C_sched] * 20 * secs * 1e3;
    ck_assert_near(on[DSE_C_wmux], a[DSE_C_wmux] * 20 * secs * 1e3 + 0.05 * wmux_full, 1e-9);
    ck_assert_near(off[DSE_C_wmux], on[DSE_C_wmux] + 0.45 * wmux_full, 1e-9);
    ck_assert_near((on[DSE_C_sched] - leak_sched) * 10, off[DSE_C_sched] - leak_sched, 1e-9);
    ck_assert_near(off[DSE_C_buffer] - on[DSE_C_buffer],
                   0.45 * f.cycles * (4 * 2 + 4 * 1) * 8 * 8 * 0.004, 1e-9);
    for (int i = 0; i < NSPARSE; i++) ck_assert(off[sparse_comps[i]] > on[sparse_comps[i]]);
    for (int i = 0; i < DSE_NCOMPS; i++) {
        int sp = 0;
        for (int j = 0; j < NSPARSE; j++) sp |= sparse_comps[j] == i;
        if (!sp && i != DSE_C_clock) ck_assert_near(off[i], on[i], 1e-12);
    }
    /* single-sparse mode on the dual design: the unused side is priced too */
    dse_perf fw = perf_of(&p, &L, 0.6, 0.5);
    p.gating = 1;
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &fw, on);
    p.gating = 0;
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &fw, off);
    double secs_w = fw.cycles / 500e6;
    ck_assert_near(on[DSE_C_amux], a[DSE_C_amux] * 20 * secs_w * 1e3 + 0.05 * fw.cycles * N * 8 * 3 * 0.0016, 1e-9);
    ck_assert_near(off[DSE_C_amux], on[DSE_C_amux] + 0.45 * fw.cycles * N * 8 * 3 * 0.0016, 1e-9);
    ck_assert_near(on[DSE_C_wmux], off[DSE_C_wmux], 1e-12);   /* used: the same either way */
    ck_assert_near(on[DSE_C_wmux], a[DSE_C_wmux] * 20 * secs_w * 1e3 + fw.cycles * N * 8 * 3 * 0.0016, 1e-9);
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

START_TEST(test_hybrid_uses_other_side)
{
    dse_tech *t;
    dse_cost *c = cost45(&t);
    dse_point p;
    dse_point_defaults(&p);
    p.w_shape = p.a_shape = DSE_SHAPE_T;
    p.w_lookahead = 1; p.w_lookaside = 2;    /* fan-in 4 */
    p.a_lookahead = 2; p.a_lookaside = 2;    /* fan-in 5 */
    p.gating = 1;
    dse_layer L = layer(64, 64, 64, 1);
    dse_perf f = perf_of(&p, &L, 0.5, 0.5);
    double plain[DSE_NCOMPS], hyb[DSE_NCOMPS], a[DSE_NCOMPS];
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &f, plain);
    p.hybrid = 1;
    p.wmode_lookahead = 2; p.wmode_lookaside = 5;   /* fan-in 8 <= 4 + 5 - 1; depth 2 <= max(1, 2) */
    energy_mode(c, &p, DSE_MODE_WEIGHT, &L, &f, hyb);
    dse_cost_area(c, &p, a);
    double secs = f.cycles / 1000e6;
    ck_assert_near(plain[DSE_C_amux], a[DSE_C_amux] * 20 * secs * 1e3 + 0.05 * f.cycles * 1024 * 8 * 4 * 0.0016,
                   1e-9);   /* idle, gated */
    ck_assert(hyb[DSE_C_amux] > 2 * plain[DSE_C_amux]);                        /* busy */
    ck_assert(hyb[DSE_C_buffer] > plain[DSE_C_buffer]);
    /* the hybrid's metadata is 3 bits per weight (fan-in 8), the plain one 2 */
    p.hybrid = 0; p.wmode_lookahead = p.wmode_lookaside = -1;
    double ap[DSE_NCOMPS];
    dse_cost_area(c, &p, ap);
    ck_assert(a[DSE_C_metadata] > ap[DSE_C_metadata]);
    for (int i = 0; i < DSE_NCOMPS; i++)
        if (i != DSE_C_metadata && i != DSE_C_wsram && i != DSE_C_clock) ck_assert_near(a[i], ap[i], 1e-12);
    ck_assert_near(a[DSE_C_metadata] + a[DSE_C_wsram] - 3 * 8 * 16 * 4.522,
                   ap[DSE_C_metadata] + ap[DSE_C_wsram] - 2 * 8 * 16 * 4.522, 1e-12);
    dse_cost_free(c);
    dse_tech_free(t);
}
END_TEST

Suite *suite_cost(void); /* called by test/run.c */
Suite *suite_cost(void)
{
    Suite *s = suite_create("cost");
    TCase *tc = tcase_create("cost");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_shipped_files_have_sources);
    tcase_add_test(tc, test_horowitz_figures);
    tcase_add_test(tc, test_7nm_scaled_by_published_factors);
    tcase_add_test(tc, test_missing_entry_named);
    tcase_add_test(tc, test_bad_tech_files);
    tcase_add_test(tc, test_multiplier_energy_horowitz);
    tcase_add_test(tc, test_area_hand_worked);
    tcase_add_test(tc, test_sram_energy_and_reuse);
    tcase_add_test(tc, test_sram_banks);
    tcase_add_test(tc, test_sram_banks_vs_cacti);
    tcase_add_test(tc, test_sram_entries_checked);
    tcase_add_test(tc, test_dense_design_no_sparse_cost);
    tcase_add_test(tc, test_monotone_in_windows);
    tcase_add_test(tc, test_dual_area_covers_halves);
    tcase_add_test(tc, test_gating);
    tcase_add_test(tc, test_hybrid_uses_other_side);
    suite_add_tcase(s, tc);
    return s;
}
