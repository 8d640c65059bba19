/* mapping.c -- layers as 7-D loop problems, mappings onto the core's levels: checks, text, mapping files. */
#include "mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic.h"
#include "yamlw.h"

const char dse_dim_letters[DSE_NDIMS + 1] = "NKCPQRS";
const char *const dse_level_names[DSE_NLEVELS] = {"lanes", "acc", "cols", "rows", "sram", "dram"};
const char dse_tensor_letters[DSE_NTENSORS + 1] = "WIO";

/* The canonical order, innermost first (BRIEF section 9's accumulator order). */
static const dse_dim canon[DSE_NDIMS] = {DSE_DIM_C, DSE_DIM_R, DSE_DIM_S, DSE_DIM_K, DSE_DIM_P, DSE_DIM_Q, DSE_DIM_N};

int dse_level_temporal(dse_level l) { return l == DSE_LV_ACC || l == DSE_LV_SRAM || l == DSE_LV_DRAM; }

int dse_problem_indexes(const dse_problem *pb, dse_tensor t, dse_dim d)
{
    switch (t) {
    case DSE_TW: return d == DSE_DIM_C || d == DSE_DIM_R || d == DSE_DIM_S || (d == DSE_DIM_K && !pb->depthwise);
    case DSE_TI: return d != DSE_DIM_K;
    default: return d == DSE_DIM_N || d == DSE_DIM_P || d == DSE_DIM_Q ||
                    (d == DSE_DIM_K && !pb->depthwise) || (d == DSE_DIM_C && pb->depthwise);
    }
}

int dse_problem_reduces(const dse_problem *pb, dse_dim d)
{
    return d == DSE_DIM_R || d == DSE_DIM_S || (d == DSE_DIM_C && !pb->depthwise);
}

double dse_problem_size(const dse_problem *pb, dse_tensor t)
{
    const long *x = pb->ext;
    switch (t) {
    case DSE_TW: return (double)x[DSE_DIM_K] * x[DSE_DIM_C] * x[DSE_DIM_R] * x[DSE_DIM_S];
    case DSE_TI:
        return (double)x[DSE_DIM_N] * x[DSE_DIM_C] * ((double)(x[DSE_DIM_P] - 1) * pb->stride + x[DSE_DIM_R]) *
               ((double)(x[DSE_DIM_Q] - 1) * pb->stride + x[DSE_DIM_S]);
    default:
        return (double)x[DSE_DIM_N] * (pb->depthwise ? x[DSE_DIM_C] : x[DSE_DIM_K]) * x[DSE_DIM_P] * x[DSE_DIM_Q];
    }
}

double dse_problem_macs(const dse_problem *pb)
{
    double m = 1;
    for (int d = 0; d < DSE_NDIMS; d++) m *= (double)pb->ext[d];
    return m;
}

void dse_problem_of_layer(const dse_layer *L, dse_problem *pb)
{
    memset(pb, 0, sizeof *pb);
    int g = L->groups > 0 ? L->groups : 1;
    pb->ext[DSE_DIM_N] = L->batch > 0 ? L->batch : 1;
    pb->ext[DSE_DIM_K] = L->K / g;
    pb->ext[DSE_DIM_C] = L->Cin / g;
    pb->ext[DSE_DIM_P] = L->wout > 0 ? L->wout : 1;
    pb->ext[DSE_DIM_Q] = L->hout > 0 ? L->hout : 1;
    pb->ext[DSE_DIM_R] = L->S;
    pb->ext[DSE_DIM_S] = L->R;
    pb->stride = L->stride > 0 ? L->stride : 1;
}

void dse_mapping_init(dse_mapping *m)
{
    for (int l = 0; l < DSE_NLEVELS; l++)
        for (int d = 0; d < DSE_NDIMS; d++) {
            m->f[l][d] = 1;
            m->order[l][d] = (unsigned char)canon[d];
        }
}

long dse_mapping_extent(const dse_mapping *m, dse_dim d)
{
    long x = 1;
    for (int l = 0; l < DSE_NLEVELS; l++) x *= m->f[l][d];
    return x;
}

static long level_product(const dse_mapping *m, dse_level l)
{
    long x = 1;
    for (int d = 0; d < DSE_NDIMS; d++) x *= m->f[l][d];
    return x;
}

int dse_mapping_valid(const dse_problem *pb, const dse_mapping *m, int lanes, int cols, int rows,
                      int exact, char *why, size_t n)
{
    for (int l = 0; l < DSE_NLEVELS; l++)
        for (int d = 0; d < DSE_NDIMS; d++)
            if (m->f[l][d] < 1 || m->f[l][d] > (1L << 30)) {
                snprintf(why, n, "%s: factor of %c must be in [1, 2^30], got %ld", dse_level_names[l],
                         dse_dim_letters[d], m->f[l][d]);
                return 0;
            }
    for (int d = 0; d < DSE_NDIMS; d++) {
        double x = 1;
        for (int l = 0; l < DSE_NLEVELS; l++) x *= (double)m->f[l][d];
        if (exact ? x != (double)pb->ext[d] : x < (double)pb->ext[d]) {
            snprintf(why, n, "the factors of %c multiply to %.0f, but the layer has %c = %ld", dse_dim_letters[d], x,
                     dse_dim_letters[d], pb->ext[d]);
            return 0;
        }
    }
    const int cap[3] = {lanes, cols, rows};
    const dse_level sp[3] = {DSE_LV_LANES, DSE_LV_COLS, DSE_LV_ROWS};
    for (int i = 0; i < 3; i++)
        if (level_product(m, sp[i]) > cap[i]) {
            snprintf(why, n, "%s: the factors multiply to %ld, but the core has %d %s", dse_level_names[sp[i]],
                     level_product(m, sp[i]), cap[i], dse_level_names[sp[i]]);
            return 0;
        }
    for (int d = 0; d < DSE_NDIMS; d++) {
        int red = dse_problem_reduces(pb, (dse_dim)d);
        const char *bad = NULL;
        if (!red && m->f[DSE_LV_LANES][d] > 1) bad = "lanes: %c is not a reduction dimension (a DPU's lanes add into one output)";
        else if (!red && m->f[DSE_LV_ACC][d] > 1) bad = "acc: %c is not a reduction dimension (the accumulator holds one output word)";
        else if (red && m->f[DSE_LV_COLS][d] > 1) bad = "cols: %c is a reduction dimension (the core does not reduce across DPUs)";
        else if (red && m->f[DSE_LV_ROWS][d] > 1) bad = "rows: %c is a reduction dimension (the core does not reduce across DPUs)";
        if (bad) {
            snprintf(why, n, bad, dse_dim_letters[d]);
            return 0;
        }
    }
    for (int l = 0; l < DSE_NLEVELS; l++) {
        if (!dse_level_temporal((dse_level)l)) continue;
        int seen[DSE_NDIMS] = {0};
        for (int i = 0; i < DSE_NDIMS; i++) {
            int d = m->order[l][i];
            if (d >= DSE_NDIMS || seen[d]++) {
                snprintf(why, n, "%s: the order is not a permutation of %s", dse_level_names[l], dse_dim_letters);
                return 0;
            }
        }
    }
    return 1;
}

const char *dse_mapping_format(const dse_mapping *m, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int l = 0; l < DSE_NLEVELS; l++) {
        k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s", l ? " | " : "", dse_level_names[l]);
        int any = 0;
        for (int i = 0; i < DSE_NDIMS; i++) {
            int d = dse_level_temporal((dse_level)l) ? m->order[l][i] : canon[i];
            if (m->f[l][d] <= 1) continue;
            k += (size_t)snprintf(buf + k, k < n ? n - k : 0, " %c%ld", dse_dim_letters[d], m->f[l][d]);
            any = 1;
        }
        if (!any) k += (size_t)snprintf(buf + k, k < n ? n - k : 0, " -");
    }
    return buf;
}

/* ---- mapping files ------------------------------------------------------ */

static const char *const top_keys[] = {"layer", "core", "mapping", "sparse", "technology", NULL};
static const char *const layer_keys[] = {"N", "K", "C", "P", "Q", "R", "S", "stride", "depthwise", NULL};
static const char *const core_keys[] = {"rows", "cols", "lanes", "bits", "acc_bits", "clock_mhz", "wsram_kib",
                                        "asram_kib", "osram_kib", "dram", "dram_channels", NULL};
static const char *const core_required[] = {"rows", "cols", "lanes", "wsram_kib", "asram_kib", "osram_kib", NULL};
static const char *const level_keys[] = {"lanes", "acc", "cols", "rows", "sram", "dram", NULL};
static const char *const dim_keys[] = {"N", "K", "C", "P", "Q", "R", "S", NULL};
static const char *const temporal_keys[] = {"factors", "order", NULL};
static const char *const sparse_keys[] = {"W", "I", "model", "action", NULL};
static const char *const operand_keys[] = {"density", "format", NULL};
static const char *const model_names[] = {"uniform", "fixed"};
static const char *const action_names[] = {"skip", "gate"};

static int dim_of(char c)
{
    const char *p = strchr(dse_dim_letters, c);
    return c && p ? (int)(p - dse_dim_letters) : -1;
}

/* A map of dimension letters to factors into m->f[l]. */
static int load_factors(yamlw *y, yaml_node_t *n, dse_level l, const dse_problem *pb, dse_mapping *m, dse_err *e)
{
    char what[32];
    snprintf(what, sizeof what, "%s factors", dse_level_names[l]);
    if (yamlw_check_keys(y, n, dim_keys, what, e)) return DSE_EINPUT;
    for (int i = 0; i < yamlw_len(n); i++) {
        yaml_node_t *k, *v;
        long x;
        yamlw_pair(y, n, i, &k, &v);
        int d = dim_of(yamlw_text(k)[0]);
        if (yamlw_int(y, v, 1, 1L << 30, &x, e)) return DSE_EINPUT;
        if (d == DSE_DIM_K && pb->depthwise && x > 1)
            return yamlw_errf(y, k, e, "%s: a depthwise layer has no K", dse_level_names[l]);
        m->f[l][d] = x;
    }
    return DSE_OK;
}

/* An order (a string of letters or a list of them), innermost first: every
 * dimension with a factor above 1 must appear; the others follow outside. */
static int load_order(yamlw *y, yaml_node_t *n, dse_level l, dse_mapping *m, dse_err *e)
{
    char letters[DSE_NDIMS + 1];
    int count = 0;
    yaml_node_t *at[DSE_NDIMS + 1];
    if (yamlw_is_scalar(n)) {
        const char *s = yamlw_text(n);
        if (strlen(s) > DSE_NDIMS) return yamlw_errf(y, n, e, "%s: order '%s' is longer than %d dimensions", dse_level_names[l], s, DSE_NDIMS);
        for (; *s; s++) { at[count] = n; letters[count++] = *s; }
    } else if (yamlw_is_seq(n)) {
        if (yamlw_len(n) > DSE_NDIMS) return yamlw_errf(y, n, e, "%s: order lists more than %d dimensions", dse_level_names[l], DSE_NDIMS);
        for (int i = 0; i < yamlw_len(n); i++) {
            yaml_node_t *it = yamlw_item(y, n, i);
            const char *s = yamlw_text(it);
            if (!s || strlen(s) != 1) return yamlw_errf(y, it, e, "%s: order items must be single dimension letters", dse_level_names[l]);
            at[count] = it;
            letters[count++] = s[0];
        }
    } else {
        return yamlw_errf(y, n, e, "%s: order must be a string of dimension letters such as CRSKPQN", dse_level_names[l]);
    }
    int seen[DSE_NDIMS] = {0}, k = 0;
    for (int i = 0; i < count; i++) {
        int d = dim_of(letters[i]);
        if (d < 0) return yamlw_errf(y, at[i], e, "%s: '%c' in the order is not a dimension (one of %s)", dse_level_names[l], letters[i], dse_dim_letters);
        if (seen[d]++) return yamlw_errf(y, at[i], e, "%s: %c appears twice in the order", dse_level_names[l], letters[i]);
        m->order[l][k++] = (unsigned char)d;
    }
    for (int i = 0; i < DSE_NDIMS; i++) {
        int d = canon[i];
        if (seen[d]) continue;
        if (m->f[l][d] > 1)
            return yamlw_errf(y, n, e, "%s: the order must list %c (its factor is %ld)", dse_level_names[l], dse_dim_letters[d], m->f[l][d]);
        m->order[l][k++] = (unsigned char)d;
    }
    return DSE_OK;
}

/* One level: a map of factors, or for a temporal level {factors, order}. */
static int load_level(yamlw *y, yaml_node_t *n, dse_level l, const dse_problem *pb, dse_mapping *m, dse_err *e)
{
    if (!yamlw_is_map(n)) return yamlw_errf(y, n, e, "%s: expected a mapping of factors", dse_level_names[l]);
    yaml_node_t *fac = yamlw_get(y, n, "factors"), *ord = yamlw_get(y, n, "order");
    if (!fac && !ord) return load_factors(y, n, l, pb, m, e);
    if (!dse_level_temporal(l) && ord)
        return yamlw_errf(y, ord, e, "%s: a spatial level has no loop order", dse_level_names[l]);
    if (yamlw_check_keys(y, n, temporal_keys, dse_level_names[l], e)) return DSE_EINPUT;
    if (fac && load_factors(y, fac, l, pb, m, e)) return DSE_EINPUT;
    return ord ? load_order(y, ord, l, m, e) : DSE_OK;
}

static int load_layer(yamlw *y, yaml_node_t *n, dse_problem *pb, dse_err *e)
{
    long x;
    if (yamlw_check_keys(y, n, layer_keys, "layer", e)) return DSE_EINPUT;
    yaml_node_t *dw = yamlw_get(y, n, "depthwise"), *st = yamlw_get(y, n, "stride");
    if (dw && yamlw_bool(y, dw, &pb->depthwise, e)) return DSE_EINPUT;
    for (int d = 0; d < DSE_NDIMS; d++) {
        char key[2] = {dse_dim_letters[d], '\0'};
        yaml_node_t *v = yamlw_get(y, n, key);
        pb->ext[d] = 1;
        if (!v) continue;
        if (d == DSE_DIM_K && pb->depthwise)
            return yamlw_errf(y, v, e, "layer: a depthwise layer has no K (C is its input and output channels)");
        if (yamlw_int(y, v, 1, 1L << 24, &x, e)) return DSE_EINPUT;
        pb->ext[d] = x;
    }
    pb->stride = 1;
    if (st) {
        if (yamlw_int(y, st, 1, 1L << 24, &x, e)) return DSE_EINPUT;
        pb->stride = (int)x;
    }
    return DSE_OK;
}

static int load_core(yamlw *y, yaml_node_t *n, dse_point *p, dse_err *e)
{
    if (yamlw_check_keys(y, n, core_keys, "core", e)) return DSE_EINPUT;
    for (int i = 0; core_required[i]; i++)
        if (!yamlw_get(y, n, core_required[i])) return yamlw_errf(y, n, e, "core: missing key '%s'", core_required[i]);
    dse_point_defaults(p);
    for (int i = 0; i < yamlw_len(n); i++) {
        yaml_node_t *k, *v;
        yamlw_pair(y, n, i, &k, &v);
        int pi = dse_param_find(yamlw_text(k));
        const char *text = yamlw_text(v);
        char msg[256];
        double val;
        if (!text) return yamlw_errf(y, v, e, "core: '%s' must be a scalar", yamlw_text(k));
        if (dse_param_parse(pi, text, &val, msg, sizeof msg)) return yamlw_errf(y, v, e, "core: %s", msg);
        dse_point_set(p, pi, val);
    }
    return DSE_OK;
}

static int load_sparse(yamlw *y, yaml_node_t *n, dse_mapfile *f, dse_err *e)
{
    int k;
    if (yamlw_check_keys(y, n, sparse_keys, "sparse", e)) return DSE_EINPUT;
    for (int t = 0; t < 2; t++) {
        yaml_node_t *o = yamlw_get(y, n, t ? "I" : "W"), *v;
        if (!o) continue;
        if (yamlw_check_keys(y, o, operand_keys, t ? "sparse I" : "sparse W", e)) return DSE_EINPUT;
        if ((v = yamlw_get(y, o, "density"))) {
            if (yamlw_real(y, v, 0, 1, &f->density[t], e)) return DSE_EINPUT;
            if (f->density[t] <= 0) return yamlw_errf(y, v, e, "'density': must be in (0, 1], got %s", yamlw_text(v));
        }
        if ((v = yamlw_get(y, o, "format"))) {
            if (yamlw_enum(y, v, dse_format_names, DSE_NFMTS, &k, e)) return DSE_EINPUT;
            f->format[t] = (dse_format)k;
        }
    }
    yaml_node_t *v;
    if ((v = yamlw_get(y, n, "model")) && yamlw_enum(y, v, model_names, 2, &f->fixed, e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, n, "action")) && yamlw_enum(y, v, action_names, 2, &f->gate, e)) return DSE_EINPUT;
    return DSE_OK;
}

static int load_mapfile(yamlw *y, dse_mapfile *f, dse_err *e)
{
    yaml_node_t *root = yamlw_root(y), *n;
    if (yamlw_check_keys(y, root, top_keys, "mapping file", e)) return DSE_EINPUT;
    static const char *const required[] = {"layer", "core", "mapping"};
    for (int i = 0; i < 3; i++)
        if (!yamlw_get(y, root, required[i])) return yamlw_errf(y, root, e, "mapping file: missing key '%s'", required[i]);
    if (load_layer(y, yamlw_get(y, root, "layer"), &f->pb, e)) return DSE_EINPUT;
    if (load_core(y, yamlw_get(y, root, "core"), &f->core, e)) return DSE_EINPUT;
    yaml_node_t *mn = yamlw_get(y, root, "mapping");
    if (yamlw_check_keys(y, mn, level_keys, "mapping", e)) return DSE_EINPUT;
    dse_mapping_init(&f->map);
    for (int l = 0; l < DSE_NLEVELS; l++)
        if ((n = yamlw_get(y, mn, dse_level_names[l])) && load_level(y, n, (dse_level)l, &f->pb, &f->map, e))
            return DSE_EINPUT;
    char why[256];
    if (!dse_mapping_valid(&f->pb, &f->map, f->core.lanes, f->core.cols, f->core.rows, 1, why, sizeof why))
        return yamlw_errf(y, mn, e, "mapping: %s", why);
    f->density[0] = f->density[1] = 1;
    if ((n = yamlw_get(y, root, "sparse")) && load_sparse(y, n, f, e)) return DSE_EINPUT;
    dse_traffic t;
    dse_traffic_dense(&f->pb, &f->map, f->core.bits, f->core.acc_bits, &t);
    for (int i = 0; i < 2; i++) {
        double size = dse_problem_size(&f->pb, (dse_tensor)i);
        f->rho[i] = dse_density_rho(f->density[i], f->fixed, size);
        dse_enc_of(f->format[i], f->rho[i], f->density[i], f->fixed ? 0 : size, f->core.bits, &f->enc[i]);
    }
    const dse_enc *enc[DSE_NTENSORS] = {&f->enc[0], &f->enc[1], NULL};
    const double cap[DSE_NTENSORS] = {f->core.wsram_kib * 8192.0, f->core.asram_kib * 8192.0, f->core.osram_kib * 8192.0};
    if (!dse_traffic_fits(&t, enc, cap, why, sizeof why)) {
        yaml_node_t *at = yamlw_get(y, mn, "sram");
        return yamlw_errf(y, at ? at : mn, e, "mapping: %s", why);
    }
    if ((n = yamlw_get(y, root, "technology"))) {
        char rel[512];
        if (yamlw_str(y, n, rel, sizeof rel, e)) return DSE_EINPUT;
        if (dse_path_join(f->tech, sizeof f->tech, y->path, rel, e)) return yamlw_errf(y, n, e, "technology path too long");
    }
    return DSE_OK;
}

int dse_mapfile_load(dse_mapfile *f, const char *path, dse_err *e)
{
    yamlw y;
    memset(f, 0, sizeof *f);
    int rc = yamlw_load(&y, path, NULL, e);
    if (rc) return rc;
    dse_strlcpy(f->path, path, sizeof f->path);
    rc = load_mapfile(&y, f, e);
    yamlw_free(&y);
    return rc;
}
