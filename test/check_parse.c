/* check_parse.c -- YAML walker, design-space and workload parsers: data-driven good/bad cases and unit tests. */
#include <check.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping.h"
#include "mask.h"
#include "mode.h"
#include "space.h"
#include "testutil.h"
#include "workload.h"
#include "yamlw.h"

/* A file named wl_*.yaml is a workload, map_*.yaml a mapping file; anything else a space. */
static int has_prefix(const char *path, const char *prefix)
{
    const char *base = strrchr(path, '/');
    return strncmp(base ? base + 1 : path, prefix, strlen(prefix)) == 0;
}

/* Load path as a space or a workload; the loaded struct is freed again.
 * After a failed load the struct must be left empty. */
static int load_any(const char *path, dse_err *e)
{
    int rc;
    if (has_prefix(path, "map_")) {
        dse_mapfile f;
        rc = dse_mapfile_load(&f, path, e);
    } else if (has_prefix(path, "wl_")) {
        dse_network n;
        rc = dse_network_load(&n, path, e);
        if (rc) ck_assert_msg(n.nlayers == 0 && n.layers == NULL, "%s: network not emptied on error", path);
        else dse_network_free(&n);
    } else {
        dse_space s;
        rc = dse_space_load(&s, path, e);
        if (rc) ck_assert_msg(s.text == NULL && s.nworkloads == 0 && s.axes[0].values == NULL,
                              "%s: space not emptied on error", path);
        else dse_space_free(&s);
    }
    return rc;
}

/* The text after "# expect: " on the first line of path, into buf. */
static int expected_message(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    const char *tag = "# expect: ";
    int ok = f && fgets(line, sizeof line, f) && strncmp(line, tag, strlen(tag)) == 0;
    if (f) fclose(f);
    if (!ok) return 0;
    line[strcspn(line, "\r\n")] = '\0';
    dse_strlcpy(buf, line + strlen(tag), n);
    return buf[0] != '\0';
}

START_TEST(good_files_load)
{
    glob_t g;
    char fails[4096] = "";
    ck_assert_int_eq(glob("data/parse/good/*.yaml", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 3);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        dse_err e = {0, ""};
        if (load_any(g.gl_pathv[i], &e) != DSE_OK) {
            size_t k = strlen(fails);
            snprintf(fails + k, sizeof fails - k, "\n  %s", e.msg);
        }
    }
    globfree(&g);
    ck_assert_msg(fails[0] == '\0', "good files that failed:%s", fails);
}
END_TEST

START_TEST(bad_files_fail)
{
    glob_t g;
    char fails[8192] = "";
    ck_assert_int_eq(glob("data/parse/bad/*.yaml", 0, NULL, &g), 0);
    ck_assert_uint_ge(g.gl_pathc, 60);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *p = g.gl_pathv[i];
        char want[1024];
        dse_err e = {0, ""};
        size_t k = strlen(fails);
        if (!expected_message(p, want, sizeof want)) {
            snprintf(fails + k, sizeof fails - k, "\n  %s: first line is not '# expect: ...'", p);
            continue;
        }
        int rc = load_any(p, &e);
        if (rc == DSE_OK) snprintf(fails + k, sizeof fails - k, "\n  %s: loaded", p);
        else if (e.code != rc || !strstr(e.msg, want))
            snprintf(fails + k, sizeof fails - k, "\n  %s:\n    got  %s\n    want %s", p, e.msg, want);
    }
    globfree(&g);
    ck_assert_msg(fails[0] == '\0', "bad files:%s", fails);
}
END_TEST

/* Duplicate keys in a big map (the hashed path) are found where they are. */
START_TEST(big_map_duplicates)
{
    char text[4096] = "", key[16];
    const char *allowed[42];
    static char names[41][8];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "k%d", i);
        allowed[i] = names[i];
        snprintf(key, sizeof key, "k%d: 1\n", i);
        strcat(text, key);
    }
    allowed[40] = NULL;
    yamlw y;
    dse_err e = {0, ""};
    ck_assert_int_eq(yamlw_load(&y, "big.yaml", text, &e), DSE_OK);
    ck_assert_int_eq(yamlw_check_keys(&y, yamlw_root(&y), allowed, "big", &e), DSE_OK);
    yamlw_free(&y);
    strcat(text, "k7: 2\n");
    ck_assert_int_eq(yamlw_load(&y, "big.yaml", text, &e), DSE_OK);
    ck_assert_int_eq(yamlw_check_keys(&y, yamlw_root(&y), allowed, "big", &e), DSE_EINPUT);
    ck_assert_str_eq(e.msg, "big.yaml:41:1: error: duplicate key 'k7'");
    yamlw_free(&y);
}
END_TEST

/* SPARSEDSE_MAX_YAML_MB bounds a YAML file as it is read. */
START_TEST(yaml_size_bound)
{
    const char *path = "/tmp/check_parse_big.yaml";
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("name: big\n", f);
    for (int i = 0; i < 30000; i++) fputs("# padding padding padding padding padding padding padding\n", f);
    fclose(f);
    yamlw y;
    dse_err e = {0, ""};
    setenv("SPARSEDSE_MAX_YAML_MB", "1", 1);
    ck_assert_int_eq(yamlw_load(&y, path, NULL, &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "larger than the 1 MiB a YAML file may have"));
    unsetenv("SPARSEDSE_MAX_YAML_MB");
    ck_assert_int_eq(yamlw_load(&y, path, NULL, &e), DSE_OK);
    yamlw_free(&y);
    remove(path);
}
END_TEST

START_TEST(space_defaults)
{
    dse_space s;
    dse_err e = {0, ""};
    dse_point p, d;
    ck_assert_msg(dse_space_load(&s, "data/parse/good/minimal.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_str_eq(s.name, "minimal");
    ck_assert_uint_eq(s.seed, 1);
    ck_assert_int_eq(s.fidelity, DSE_FID_CLOSED);
    ck_assert_double_eq(s.precision, 0.01);
    ck_assert_int_eq(s.min_tiles, 4);
    ck_assert_int_eq(s.scope, DSE_SCOPE_NETWORK);
    ck_assert_int_eq(s.max_tiles, 4096);
    ck_assert_int_eq(s.nobjectives, 2);
    ck_assert_int_eq(s.objectives[0].metric, DSE_M_tops_per_w);
    ck_assert_int_eq(s.objectives[0].maximize, 1);
    ck_assert_int_eq(s.objectives[1].metric, DSE_M_tops_per_mm2);
    ck_assert_int_eq(s.objectives[1].maximize, 1);
    ck_assert_int_eq(s.nconstraints, 0);
    ck_assert_int_eq(s.npresets, 0);
    ck_assert_uint_eq(s.ncombos, 1);
    ck_assert_uint_eq(dse_space_npoints(&s), 1);
    ck_assert_int_eq(s.nworkloads, 1);
    ck_assert_str_eq(s.workloads[0].name, "tiny");
    ck_assert_str_eq(s.tech_path, "data/parse/good/../tech.yaml");
    ck_assert_ptr_null(dse_space_point(&s, 0, &p));
    dse_point_defaults(&d);
    for (int i = 0; i < DSE_NPARAMS; i++) {
        ck_assert_int_eq(s.axes[i].nvalues, 1);
        ck_assert_double_eq(dse_point_get(&p, i), dse_point_get(&d, i));
    }
    /* text and hash are those of the file */
    size_t len;
    char *text = dse_read_file("data/parse/good/minimal.yaml", &len, 1, &e);
    ck_assert_str_eq(s.text, text);
    ck_assert_uint_eq(s.hash, dse_fnv1a(DSE_FNV_INIT, text, len));
    ck_assert_uint_ne(s.hash, DSE_FNV_INIT);
    free(text);
    dse_space_free(&s);
}
END_TEST

START_TEST(space_full)
{
    dse_space s;
    dse_err e = {0, ""};
    ck_assert_msg(dse_space_load(&s, "data/parse/good/full.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_uint_eq(s.seed, UINT64_MAX);
    ck_assert_int_eq(s.fidelity, DSE_FID_SAMPLED);
    ck_assert_double_eq(s.precision, 0.05);
    ck_assert_int_eq(s.min_tiles, 8);
    ck_assert_int_eq(s.max_tiles, 64);
    ck_assert_int_eq(s.nobjectives, 3);
    ck_assert_int_eq(s.objectives[1].metric, DSE_M_area_mm2);
    ck_assert_int_eq(s.objectives[1].maximize, 0);
    ck_assert_int_eq(s.nworkloads, 2);
    /* ranges expand inclusively, in order */
    const dse_axis *rows = &s.axes[DSE_P_rows], *clk = &s.axes[DSE_P_clock_mhz];
    ck_assert_int_eq(rows->nvalues, 4);
    for (int i = 0; i < 4; i++) ck_assert_double_eq(rows->values[i], 4 + 4 * i);
    ck_assert_int_eq(clk->nvalues, 3);
    ck_assert_double_eq(clk->values[2], 1000);
    ck_assert_int_eq(s.axes[DSE_P_w_shape].nvalues, 3);
    ck_assert_double_eq(s.axes[DSE_P_w_shape].values[2], DSE_SHAPE_RECT);
    ck_assert_double_eq(s.axes[DSE_P_dual_org].values[0], DSE_DUAL_JOINT);
    ck_assert_double_eq(s.axes[DSE_P_gating].values[1], 0);
    ck_assert_double_eq(s.axes[DSE_P_bits].values[0], 8);
    ck_assert_uint_eq(s.ncombos, 2 * 4 * 3 * 3 * 3 * 2);
    /* constraints: on a derived quantity (both bounds, max only) and on a parameter */
    ck_assert_int_eq(s.nconstraints, 3);
    ck_assert_int_eq(s.constraints[0].is_param, 0);
    ck_assert_int_eq(s.constraints[0].index, DSE_D_multipliers);
    ck_assert(isinf(s.constraints[1].lo) && s.constraints[1].lo < 0);
    ck_assert_int_eq(s.constraints[2].is_param, 1);
    ck_assert_int_eq(s.constraints[2].index, DSE_P_w_lookahead);
    ck_assert(isinf(s.constraints[2].hi));

    /* brute force over the file's axes: count feasible points independently */
    static const int lanes[] = {8, 16}, rowv[] = {4, 8, 12, 16}, wla[] = {0, 1, 2};
    uint64_t want = 0, got = 0;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 3; c++)
                for (int w = 0; w < 3; w++)
                    for (int sh = 0; sh < 3; sh++)
                        for (int gt = 0; gt < 2; gt++) {
                            dse_point p;
                            dse_space_point(&s, 0, &p);
                            p.lanes = lanes[a];
                            p.rows = rowv[b];
                            p.clock_mhz = 500 + 250 * c;
                            p.w_lookahead = wla[w];
                            p.w_shape = (dse_shape)sh;
                            p.gating = gt == 0;
                            int m = p.lanes * p.rows * p.cols;
                            char why[256];
                            if (m >= 512 && m <= 2048 && p.w_lookahead >= 1 && dse_mode_valid(&p, why, sizeof why))
                                want++;
                        }
    for (uint64_t i = 0; i < s.ncombos; i++) {
        dse_point p;
        dse_space_point(&s, i, &p);
        got += (uint64_t)dse_space_feasible(&s, &p, NULL, 0);
    }
    ck_assert_uint_eq(got, want);
    ck_assert_uint_eq(want, 7 * 3 * 2 * 3 * 2); /* 7 of 8 (lanes, rows) pairs, w_lookahead 1 or 2 */
    dse_space_free(&s);
}
END_TEST

START_TEST(space_enumeration)
{
    dse_space s;
    dse_err e = {0, ""};
    dse_point p, d;
    static const int rows[] = {4, 8}, cols[] = {2, 3, 5}, bits[] = {4, 8};
    ck_assert_msg(dse_space_load(&s, "data/parse/unit/enum.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_uint_eq(s.ncombos, 12);
    ck_assert_uint_eq(dse_space_npoints(&s), 14);
    dse_point_defaults(&d);
    /* DSE_PARAMS order is lanes, rows, cols, bits: rows slowest, bits fastest */
    for (uint64_t i = 0; i < 12; i++) {
        ck_assert_ptr_null(dse_space_point(&s, i, &p));
        ck_assert_int_eq(p.rows, rows[i / 6]);
        ck_assert_int_eq(p.cols, cols[(i / 2) % 3]);
        ck_assert_int_eq(p.bits, bits[i % 2]);
        ck_assert_int_eq(p.lanes, d.lanes);
        ck_assert_int_eq(p.w_shape, d.w_shape);
        ck_assert_double_eq(p.clock_mhz, d.clock_mhz);
    }
    dse_space_point(&s, 7, &p);
    ck_assert(p.rows == 8 && p.cols == 2 && p.bits == 8);
    /* constraint filtering: 16*rows*cols in [100, 500] drops rows 8 x cols 5 only */
    int feasible = 0;
    char why[256] = "";
    for (uint64_t i = 0; i < 12; i++) {
        dse_space_point(&s, i, &p);
        int f = dse_space_feasible(&s, &p, why, sizeof why);
        ck_assert_int_eq(f, !(p.rows == 8 && p.cols == 5));
        feasible += f;
    }
    ck_assert_int_eq(feasible, 10);
    dse_space_point(&s, 11, &p);
    ck_assert_int_eq(dse_space_feasible(&s, &p, why, sizeof why), 0);
    ck_assert_str_eq(why, "multipliers = 640 is above max 500");
    /* presets come after the grid; unspecified parameters take each axis's first value */
    const char *name = dse_space_point(&s, 12, &p);
    ck_assert_str_eq(name, "p1");
    ck_assert(p.rows == 4 && p.cols == 7 && p.bits == 4 && p.w_lookahead == 2 && p.lanes == 16);
    name = dse_space_point(&s, 13, &p);
    ck_assert_str_eq(name, "p2");
    ck_assert(p.rows == 4 && p.cols == 2 && p.bits == 4 && p.w_lookahead == 0);
    dse_space_free(&s);
}
END_TEST

START_TEST(suggest)
{
    static const char *const c[] = {"rows", "cols", "lanes", "w_lookahead", "a_lookahead", "tops_per_mm2"};
    ck_assert_str_eq(yamlw_suggest("rowz", c, 6), "rows");
    ck_assert_str_eq(yamlw_suggest("lanse", c, 6), "lanes");       /* transposition counts 1 */
    ck_assert_str_eq(yamlw_suggest("w_lookahaed", c, 6), "w_lookahead");
    ck_assert_str_eq(yamlw_suggest("tops_per_mm", c, 6), "tops_per_mm2");
    ck_assert_str_eq(yamlw_suggest("cols", c, 6), "cols");
    ck_assert_ptr_null(yamlw_suggest("colour", c, 6));              /* distance 3 */
    ck_assert_ptr_null(yamlw_suggest("x", c, 6));                   /* distance not < length */
    ck_assert_ptr_null(yamlw_suggest("ab", c, 0));
}
END_TEST

START_TEST(strict_scalars)
{
    yamlw y;
    dse_err e = {0, ""};
    long l;
    double r;
    int b;
    const char *text = "i: 42\nneg: -7\nhex: 0x10\nexp: 1e3\nbig: 99999999999999999999\n"
                       "inf: .inf\nnan: nan\nsp: ' 5'\nyes: yes\nt: 'true'\nf: false\ne:\n";
    ck_assert_msg(yamlw_load(&y, "mem.yaml", text, &e) == DSE_OK, "%s", e.msg);
    yaml_node_t *root = yamlw_root(&y);
    ck_assert_int_eq(yamlw_int(&y, yamlw_get(&y, root, "i"), 0, 100, &l, &e), DSE_OK);
    ck_assert_int_eq(l, 42);
    ck_assert_int_eq(yamlw_int(&y, yamlw_get(&y, root, "neg"), -10, 0, &l, &e), DSE_OK);
    ck_assert_int_eq(l, -7);
    ck_assert_int_ne(yamlw_int(&y, yamlw_get(&y, root, "i"), 0, 41, &l, &e), DSE_OK);
    ck_assert_str_eq(e.msg, "mem.yaml:1:4: error: 'i': 42 is out of range [0, 41]");
    ck_assert_int_ne(yamlw_int(&y, yamlw_get(&y, root, "hex"), 0, 100, &l, &e), DSE_OK);
    ck_assert_int_ne(yamlw_int(&y, yamlw_get(&y, root, "exp"), 0, 10000, &l, &e), DSE_OK);
    ck_assert_int_ne(yamlw_int(&y, yamlw_get(&y, root, "big"), 0, 10, &l, &e), DSE_OK);
    ck_assert_ptr_nonnull(strstr(e.msg, "out of range"));
    ck_assert_int_eq(yamlw_real(&y, yamlw_get(&y, root, "exp"), 0, 1e4, &r, &e), DSE_OK);
    ck_assert_double_eq(r, 1000);
    ck_assert_int_ne(yamlw_real(&y, yamlw_get(&y, root, "inf"), -1e300, 1e300, &r, &e), DSE_OK);
    ck_assert_int_ne(yamlw_real(&y, yamlw_get(&y, root, "nan"), -1e300, 1e300, &r, &e), DSE_OK);
    ck_assert_int_ne(yamlw_int(&y, yamlw_get(&y, root, "sp"), 0, 10, &l, &e), DSE_OK);
    ck_assert_int_ne(yamlw_bool(&y, yamlw_get(&y, root, "yes"), &b, &e), DSE_OK);
    ck_assert_str_eq(e.msg, "mem.yaml:9:6: error: 'yes': expected true or false, got 'yes'");
    ck_assert_int_eq(yamlw_bool(&y, yamlw_get(&y, root, "t"), &b, &e), DSE_OK);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(yamlw_bool(&y, yamlw_get(&y, root, "f"), &b, &e), DSE_OK);
    ck_assert_int_eq(b, 0);
    char s[8];
    ck_assert_int_ne(yamlw_str(&y, yamlw_get(&y, root, "e"), s, sizeof s, &e), DSE_OK);
    ck_assert_int_ne(yamlw_int(&y, NULL, 0, 1, &l, &e), DSE_OK);
    ck_assert_ptr_nonnull(strstr(e.msg, "missing value"));
    yamlw_free(&y);
}
END_TEST

START_TEST(workload_macs)
{
    dse_network n;
    dse_err e = {0, ""};
    ck_assert_msg(dse_network_load(&n, "data/parse/unit/macs.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_int_eq(n.nlayers, 4);
    ck_assert_int_eq(n.batch, 2);
    ck_assert_double_eq(dse_layer_macs(&n.layers[0]), 5400);
    ck_assert_double_eq(dse_layer_macs(&n.layers[1]), 1152);
    ck_assert_double_eq(dse_layer_macs(&n.layers[2]), 120);
    ck_assert_int_eq(n.layers[2].repeat, 3);
    ck_assert_double_eq(dse_layer_macs(&n.layers[3]), 240);
    ck_assert_double_eq(dse_network_macs(&n), 7152);
    dse_network_free(&n);
    ck_assert_int_eq(n.nlayers, 0);
}
END_TEST

START_TEST(workload_lowering_and_merge)
{
    dse_network n;
    dse_err e = {0, ""};
    ck_assert_msg(dse_network_load(&n, "data/parse/good/wl_variants.yaml", &e) == DSE_OK, "%s", e.msg);
    ck_assert_str_eq(n.name, "variants");
    ck_assert_str_eq(n.path, "data/parse/good/wl_variants.yaml");
    const dse_layer *L = n.layers;
    /* conv with kh x kw, batch 2: P = 2*7*5 */
    ck_assert(L[0].P == 70 && L[0].K == 16 && L[0].Cin == 8 && L[0].R == 3 && L[0].S == 1 && L[0].groups == 1);
    ck_assert_int_eq(L[0].w.dist, DSE_DIST_BETA);       /* all from defaults.weight */
    ck_assert_double_eq(L[0].w.density, 0.3);
    ck_assert_double_eq(L[0].w.spread, 0.1);
    ck_assert_str_eq(L[0].w.source, "w default");
    ck_assert_int_eq(L[0].a.dist, DSE_DIST_BERNOULLI);  /* dist defaults to bernoulli */
    ck_assert_double_eq(L[0].a.density, 0.5);
    /* depthwise: density overridden key by key, dist/spread/source inherited */
    ck_assert(L[1].groups == 16 && L[1].R == 3 && L[1].S == 3 && L[1].repeat == 3);
    ck_assert_double_eq(dse_layer_macs(&L[1]), 70.0 * 16 * 1 * 9);
    ck_assert_int_eq(L[1].w.dist, DSE_DIST_BETA);
    ck_assert_double_eq(L[1].w.density, 0.25);
    ck_assert_double_eq(L[1].w.spread, 0.1);
    ck_assert_str_eq(L[1].w.source, "w default");
    ck_assert_int_eq(L[1].a.dist, DSE_DIST_CLUSTER);    /* another dist: defaults not inherited */
    ck_assert_double_eq(L[1].a.density, 0.4);
    ck_assert_double_eq(L[1].a.run, 2.5);
    ck_assert_str_eq(L[1].a.source, "clustered zeros");
    /* gemm: P = batch*m, K = n, Cin = k; nm density n/m, defaults' beta spread not inherited */
    ck_assert(L[2].P == 20 && L[2].K == 12 && L[2].Cin == 14 && L[2].R == 1 && L[2].S == 1);
    ck_assert_int_eq(L[2].w.dist, DSE_DIST_NM);
    ck_assert(L[2].w.n == 2 && L[2].w.m == 4);
    ck_assert_double_eq(L[2].w.density, 0.5);
    /* fc: P = batch */
    ck_assert(L[3].P == 2 && L[3].K == 30 && L[3].Cin == 20);
    ck_assert_near(L[3].w.density, 1.0 / 3, 1e-15);
    ck_assert_double_eq(L[3].a.density, 1);
    dse_network_free(&n);
}
END_TEST

START_TEST(workload_npy_masks)
{
    dse_network n;
    dse_err e = {0, ""};
    ck_assert_msg(dse_network_load(&n, "data/parse/good/wl_npy.yaml", &e) == DSE_OK, "%s", e.msg);
    const dse_layer *L = &n.layers[0];
    ck_assert_int_eq(L->w.dist, DSE_DIST_NPY);
    ck_assert_ptr_nonnull(L->w.mask);
    ck_assert(L->w.mask->d[0] == 4 && L->w.mask->d[1] == 8 && L->w.mask->d[2] == 1 && L->w.mask->d[3] == 1);
    ck_assert_double_eq(L->w.density, 0.25);       /* 8 ones of 32, measured */
    ck_assert_str_eq(L->w.path, "data/parse/good/../npy/w_fc_4x8.npy");
    ck_assert_str_eq(L->w.source, "../npy/w_fc_4x8.npy"); /* no source given: the path */
    ck_assert_ptr_nonnull(L->a.mask);
    ck_assert_int_eq(L->a.mask->d[1], 8);
    ck_assert_double_eq(L->a.density, 0.75);       /* 24 of 32 */
    ck_assert_str_eq(L->a.source, "made-up activations");
    dse_network_free(&n);
}
END_TEST

START_TEST(load_errors)
{
    dse_space s;
    dse_network n;
    dse_err e = {0, ""};
    ck_assert_int_eq(dse_space_load(&s, "data/parse/none.yaml", &e), DSE_EIO);
    ck_assert_ptr_nonnull(strstr(e.msg, "data/parse/none.yaml: error: cannot open"));
    ck_assert_int_eq(dse_network_load(&n, "data/parse/none.yaml", &e), DSE_EIO);
    ck_assert_int_eq(n.nlayers, 0);
    /* a syntax error in text given directly is reported against the given name */
    yamlw y;
    ck_assert_int_eq(yamlw_load(&y, "t.yaml", "a: [1\n", &e), DSE_EINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "t.yaml:2:1: error: "));
    ck_assert_int_eq(yamlw_load(&y, "t.yaml", "# only a comment\n", &e), DSE_EINPUT);
    ck_assert_str_eq(e.msg, "t.yaml:1:1: error: empty document");
}
END_TEST

Suite *suite_parse(void);
Suite *suite_parse(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("files");
    tcase_add_test(tc, good_files_load);
    tcase_add_test(tc, bad_files_fail);
    tcase_add_test(tc, yaml_size_bound);
    tcase_add_test(tc, big_map_duplicates);
    tcase_set_timeout(tc, 20);
    suite_add_tcase(s, tc);
    tc = tcase_create("units");
    tcase_add_test(tc, space_defaults);
    tcase_add_test(tc, space_full);
    tcase_add_test(tc, space_enumeration);
    tcase_add_test(tc, suggest);
    tcase_add_test(tc, strict_scalars);
    tcase_add_test(tc, workload_macs);
    tcase_add_test(tc, workload_lowering_and_merge);
    tcase_add_test(tc, workload_npy_masks);
    tcase_add_test(tc, load_errors);
    suite_add_tcase(s, tc);
    return s;
}
