/* workload.c -- workload files: layers lowered to GEMMs, per-tensor sparsity sources, dense MAC counts. */
#include "workload.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "memo.h"
#include "yamlw.h"

const char *const dse_dist_names[DSE_NDISTS] = {"bernoulli", "nm", "beta", "cluster", "npy"};

#define MAXDIM (1L << 24)    /* bound on every shape number: keeps products in range */

static const char *const top_keys[] = {"name", "source", "batch", "defaults", "layers", NULL};
static const char *const defaults_keys[] = {"weight", "act", NULL};
static const char *const layer_keys[] = {"name", "conv", "fc", "gemm", "repeat", "weight", "act", NULL};
static const char *const conv_keys[] = {"cin", "cout", "k", "kh", "kw", "hout", "wout", "groups", "stride", NULL};
static const char *const fc_keys[] = {"in", "out", NULL};
static const char *const gemm_keys[] = {"m", "n", "k", NULL};

/* Sparsity map keys, and which of them each distribution accepts. */
enum { SK_DIST, SK_DENSITY, SK_N, SK_M, SK_SPREAD, SK_RUN, SK_PATH, SK_SOURCE, SK_COUNT };
static const char *const sp_keys[] = {"dist", "density", "n", "m", "spread", "run", "path", "source", NULL};
#define B(k) (1u << SK_##k)
static const unsigned dist_keys[DSE_NDISTS] = {
    B(DIST) | B(DENSITY) | B(SOURCE),                        /* bernoulli */
    B(DIST) | B(DENSITY) | B(N) | B(M) | B(SOURCE),          /* nm */
    B(DIST) | B(DENSITY) | B(SPREAD) | B(SOURCE),            /* beta */
    B(DIST) | B(DENSITY) | B(RUN) | B(SOURCE),               /* cluster */
    B(DIST) | B(PATH) | B(SOURCE),                           /* npy */
};
#undef B

/* Dense MACs of one copy: P * K * (Cin/groups) * R * S. */
double dse_layer_macs(const dse_layer *L)
{
    return (double)L->P * L->K * (double)(L->Cin / L->groups) * L->R * L->S;
}

/* Sum over layers of repeat * dse_layer_macs. */
double dse_network_macs(const dse_network *n)
{
    double s = 0;
    for (int i = 0; i < n->nlayers; i++) s += n->layers[i].repeat * dse_layer_macs(&n->layers[i]);
    return s;
}

static void free_sparsity(dse_sparsity *s)
{
    if (s->mask) {
        dse_mask_free(s->mask);
        free(s->mask);
        s->mask = NULL;
    }
}

/* Free layers and npy masks, zero *n; safe on a zeroed network. */
void dse_network_free(dse_network *n)
{
    for (int i = 0; i < n->nlayers; i++) {
        free_sparsity(&n->layers[i].w);
        free_sparsity(&n->layers[i].a);
    }
    free(n->layers);
    free(n->text);
    memset(n, 0, sizeof *n);
}

/* Value of a required key of map, or NULL with an error at the map. */
static yaml_node_t *need(yamlw *y, yaml_node_t *map, const char *key, const char *what, dse_err *e)
{
    yaml_node_t *v = yamlw_get(y, map, key);
    if (!v) yamlw_errf(y, map, e, "%s: missing key '%s'", what, key);
    return v;
}

/* Optional int key: *out keeps its default when absent. */
static int opt_int(yamlw *y, yaml_node_t *map, const char *key, long lo, long hi, int *out, dse_err *e)
{
    yaml_node_t *v = yamlw_get(y, map, key);
    long l;
    if (!v) return DSE_OK;
    if (yamlw_int(y, v, lo, hi, &l, e)) return DSE_EINPUT;
    *out = (int)l;
    return DSE_OK;
}

static int req_int(yamlw *y, yaml_node_t *map, const char *key, const char *what, int *out, dse_err *e)
{
    if (!need(y, map, key, what, e)) return DSE_EINPUT;
    return opt_int(y, map, key, 1, MAXDIM, out, e);
}

static int name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

/* ---- layer shapes ---------------------------------------------------- */

static int parse_conv(yamlw *y, yaml_node_t *c, int batch, dse_layer *L, dse_err *e)
{
    int cin, cout, hout, wout, k = 0, kh = 0, kw = 0, groups = 1, stride = 1;
    if (yamlw_check_keys(y, c, conv_keys, "conv", e)) return DSE_EINPUT;
    if (req_int(y, c, "cin", "conv", &cin, e) || req_int(y, c, "cout", "conv", &cout, e) ||
        req_int(y, c, "hout", "conv", &hout, e) || req_int(y, c, "wout", "conv", &wout, e) ||
        opt_int(y, c, "k", 1, MAXDIM, &k, e) || opt_int(y, c, "kh", 1, MAXDIM, &kh, e) ||
        opt_int(y, c, "kw", 1, MAXDIM, &kw, e) || opt_int(y, c, "groups", 1, MAXDIM, &groups, e) ||
        opt_int(y, c, "stride", 1, MAXDIM, &stride, e))
        return DSE_EINPUT;
    if (k && (kh || kw))
        return yamlw_errf(y, yamlw_get(y, c, kh ? "kh" : "kw"), e, "conv: give either k or kh and kw, not both");
    if (!k && !(kh && kw))
        return yamlw_errf(y, c, e, "conv: missing kernel size (give k, or kh and kw)");
    if (cin % groups || cout % groups)
        return yamlw_errf(y, yamlw_get(y, c, "groups"), e,
                          "conv: groups %d must divide cin %d and cout %d", groups, cin, cout);
    double P = (double)batch * hout * wout;   /* exact: below 2^68 */
    if (P > INT_MAX) return yamlw_errf(y, c, e, "conv: batch*hout*wout = %.0f exceeds %d", P, INT_MAX);
    L->P = (int)P;
    L->K = cout;
    L->Cin = cin;
    L->R = k ? k : kh;
    L->S = k ? k : kw;
    L->groups = groups;
    L->batch = batch;
    L->hout = hout;
    L->wout = wout;
    L->stride = stride;
    return DSE_OK;
}

static int parse_fc(yamlw *y, yaml_node_t *c, int batch, dse_layer *L, dse_err *e)
{
    int in, out;
    if (yamlw_check_keys(y, c, fc_keys, "fc", e) || req_int(y, c, "in", "fc", &in, e) ||
        req_int(y, c, "out", "fc", &out, e))
        return DSE_EINPUT;
    L->P = batch;
    L->K = out;
    L->Cin = in;
    L->R = L->S = L->groups = 1;
    L->batch = batch;
    L->hout = L->wout = L->stride = 1;
    return DSE_OK;
}

static int parse_gemm(yamlw *y, yaml_node_t *c, int batch, dse_layer *L, dse_err *e)
{
    int m, n, k;
    if (yamlw_check_keys(y, c, gemm_keys, "gemm", e) || req_int(y, c, "m", "gemm", &m, e) ||
        req_int(y, c, "n", "gemm", &n, e) || req_int(y, c, "k", "gemm", &k, e))
        return DSE_EINPUT;
    double P = (double)batch * m;
    if (P > INT_MAX) return yamlw_errf(y, c, e, "gemm: batch*m = %.0f exceeds %d", P, INT_MAX);
    L->P = (int)P;
    L->K = n;
    L->Cin = k;
    L->R = L->S = L->groups = 1;
    L->batch = batch;
    L->hout = L->stride = 1;
    L->wout = m;
    return DSE_OK;
}

/* ---- sparsity -------------------------------------------------------- */

/* Merge the defaults' map and the layer's own map key by key into keys[]
 * and vals[]. A layer that names a different dist than the defaults does
 * not inherit from them at all. */
static void merge(yamlw *y, yaml_node_t *def, yaml_node_t *own, yaml_node_t **keys, yaml_node_t **vals)
{
    memset(keys, 0, SK_COUNT * sizeof *keys);
    memset(vals, 0, SK_COUNT * sizeof *vals);
    if (def && own) {
        const char *dd = yamlw_text(yamlw_get(y, def, "dist"));
        const char *od = yamlw_text(yamlw_get(y, own, "dist"));
        if (od && strcmp(od, dd ? dd : "bernoulli") != 0) def = NULL;
    }
    yaml_node_t *maps[2] = {def, own};
    for (int m = 0; m < 2; m++) {
        for (int i = 0; maps[m] && i < yamlw_len(maps[m]); i++) {
            yaml_node_t *k, *v;
            yamlw_pair(y, maps[m], i, &k, &v);
            for (int j = 0; j < SK_COUNT; j++)
                if (strcmp(yamlw_text(k), sp_keys[j]) == 0) { keys[j] = k; vals[j] = v; }
        }
    }
}

/* Density in (0, 1]. */
static int parse_density(yamlw *y, yaml_node_t *v, double *d, dse_err *e)
{
    if (yamlw_real(y, v, 0, 1, d, e)) return DSE_EINPUT;
    if (*d <= 0) return yamlw_errf(y, v, e, "'density': must be in (0, 1], got %s", yamlw_text(v));
    return DSE_OK;
}

/* Load an npy mask for s and check its shape against layer L. */
static int load_mask(yamlw *y, yaml_node_t *pathnode, const dse_layer *L, int is_weight, dse_sparsity *s, dse_err *e)
{
    dse_err me = {0, ""};
    if (dse_path_join(s->path, sizeof s->path, y->path, yamlw_text(pathnode), &me))
        return yamlw_errf(y, pathnode, e, "mask path too long");
    s->mask = dse_xcalloc(1, sizeof *s->mask);
    int rc = dse_mask_load_npy(s->mask, s->path, is_weight, &me);
    if (rc) {
        free(s->mask);
        s->mask = NULL;
        /* drop the mask loader's own "path: error: " prefix: the location says it */
        size_t pl = strlen(s->path);
        const char *why = me.msg;
        if (strncmp(why, s->path, pl) == 0 && strncmp(why + pl, ": error: ", 9) == 0) why += pl + 9;
        yamlw_errf(y, pathnode, e, "mask %s: %s", s->path, why);
        if (e) e->code = rc;
        return rc;
    }
    const int *d = s->mask->d;
    if (is_weight && (d[0] != L->K || d[1] != L->Cin / L->groups || d[2] != L->R || d[3] != L->S))
        return yamlw_errf(y, pathnode, e,
                          "weight mask shape (%d, %d, %d, %d) does not match the layer's (K, Cin/groups, R, S) = (%d, %d, %d, %d)",
                          d[0], d[1], d[2], d[3], L->K, L->Cin / L->groups, L->R, L->S);
    if (!is_weight && d[1] != L->Cin)
        return yamlw_errf(y, pathnode, e, "activation mask has %d channels, the layer has Cin = %d", d[1], L->Cin);
    s->density = s->mask->density;
    if (s->density <= 0) return yamlw_errf(y, pathnode, e, "mask has no nonzeros");
    return DSE_OK;
}

/* Fill s from the merged keys. `at` locates errors about missing keys. */
static int parse_sparsity(yamlw *y, yaml_node_t *def, yaml_node_t *own, yaml_node_t *at, const dse_layer *L,
                          int is_weight, dse_sparsity *s, dse_err *e)
{
    const char *tname = is_weight ? "weight" : "act";
    yaml_node_t *k[SK_COUNT], *v[SK_COUNT];
    int dist = DSE_DIST_BERNOULLI;
    long l;
    if (!def && !own)
        return yamlw_errf(y, at, e, "layer '%s' has no %s sparsity (give %s: or defaults: %s:)", L->name, tname, tname, tname);
    merge(y, def, own, k, v);
    if (own) at = own;
    if (v[SK_DIST] && yamlw_enum(y, v[SK_DIST], dse_dist_names, DSE_NDISTS, &dist, e)) return DSE_EINPUT;
    s->dist = (dse_dist)dist;
    for (int j = 0; j < SK_COUNT; j++)
        if (k[j] && !(dist_keys[dist] & (1u << j)))
            return yamlw_errf(y, k[j], e, "key '%s' does not apply to dist %s", sp_keys[j], dse_dist_names[dist]);
    if (v[SK_SOURCE]) {
        if (yamlw_str(y, v[SK_SOURCE], s->source, sizeof s->source, e)) return DSE_EINPUT;
    } else if (dist != DSE_DIST_NPY) {
        return yamlw_errf(y, at, e, "layer '%s': %s sparsity needs a source (where the density comes from)", L->name, tname);
    }
    if (dist == DSE_DIST_NPY) {
        if (!v[SK_PATH]) return yamlw_errf(y, at, e, "layer '%s': %s sparsity with dist npy needs a path", L->name, tname);
        if (yamlw_str(y, v[SK_PATH], s->path, sizeof s->path, e)) return DSE_EINPUT;
        if (!s->source[0]) dse_strlcpy(s->source, yamlw_text(v[SK_PATH]), sizeof s->source);
        return load_mask(y, v[SK_PATH], L, is_weight, s, e);
    }
    if (dist == DSE_DIST_NM) {
        if (!v[SK_N] || !v[SK_M]) return yamlw_errf(y, at, e, "layer '%s': %s sparsity with dist nm needs n and m", L->name, tname);
        if (yamlw_int(y, v[SK_M], 1, 1 << 20, &l, e)) return DSE_EINPUT;
        s->m = (int)l;
        if (yamlw_int(y, v[SK_N], 1, s->m, &l, e)) return DSE_EINPUT;
        s->n = (int)l;
        s->density = (double)s->n / s->m;
        double d;
        if (v[SK_DENSITY]) {
            if (parse_density(y, v[SK_DENSITY], &d, e)) return DSE_EINPUT;
            if (fabs(d - s->density) > 1e-9)
                return yamlw_errf(y, v[SK_DENSITY], e, "'density' %s does not equal n/m = %d/%d = %g",
                                  yamlw_text(v[SK_DENSITY]), s->n, s->m, s->density);
        }
        return DSE_OK;
    }
    if (!v[SK_DENSITY]) return yamlw_errf(y, at, e, "layer '%s': %s sparsity has no density", L->name, tname);
    if (parse_density(y, v[SK_DENSITY], &s->density, e)) return DSE_EINPUT;
    double d = s->density;
    if (dist == DSE_DIST_BETA) {
        if (!v[SK_SPREAD]) return yamlw_errf(y, at, e, "layer '%s': %s sparsity with dist beta needs a spread", L->name, tname);
        if (yamlw_real(y, v[SK_SPREAD], 0, 1, &s->spread, e)) return DSE_EINPUT;
        if (s->spread <= 0 || s->spread * s->spread >= d * (1 - d))
            return yamlw_errf(y, v[SK_SPREAD], e,
                              "'spread' %s is not possible for density %g: need 0 < spread^2 < density*(1-density) = %g",
                              yamlw_text(v[SK_SPREAD]), d, d * (1 - d));
    }
    if (dist == DSE_DIST_CLUSTER) {
        if (!v[SK_RUN]) return yamlw_errf(y, at, e, "layer '%s': %s sparsity with dist cluster needs a run", L->name, tname);
        if (yamlw_real(y, v[SK_RUN], 1, 1e9, &s->run, e)) return DSE_EINPUT;
    }
    return DSE_OK;
}

/* ---- layers and network ---------------------------------------------- */

static int parse_layer(yamlw *y, yaml_node_t *ln, dse_network *net, int idx, yaml_node_t *defw, yaml_node_t *defa,
                       dse_memo *names, dse_err *e)
{
    dse_layer *L = &net->layers[idx];
    if (yamlw_check_keys(y, ln, layer_keys, "layer", e)) return DSE_EINPUT;
    yaml_node_t *nm = need(y, ln, "name", "layer", e);
    if (!nm || yamlw_str(y, nm, L->name, sizeof L->name, e)) return DSE_EINPUT;
    if (dse_memo_seen(names, L->name, strlen(L->name)))
        return yamlw_errf(y, nm, e, "duplicate layer name '%s'", L->name);
    static const char *const kinds[] = {"conv", "fc", "gemm"};
    int kind = -1;
    yaml_node_t *shape = NULL;
    for (int i = 0; i < 3; i++) {
        yaml_node_t *v = yamlw_get(y, ln, kinds[i]);
        if (!v) continue;
        if (kind >= 0)
            return yamlw_errf(y, v, e, "layer '%s' has both %s and %s: give exactly one of conv, fc, gemm",
                              L->name, kinds[kind], kinds[i]);
        kind = i;
        shape = v;
    }
    if (kind < 0) return yamlw_errf(y, ln, e, "layer '%s' needs one of conv, fc, gemm", L->name);
    int rc = kind == 0 ? parse_conv(y, shape, net->batch, L, e)
           : kind == 1 ? parse_fc(y, shape, net->batch, L, e)
           : parse_gemm(y, shape, net->batch, L, e);
    if (rc) return rc;
    L->repeat = 1;
    if (opt_int(y, ln, "repeat", 1, MAXDIM, &L->repeat, e)) return DSE_EINPUT;
    /* bounds on the products the model computes with (docs/workloads.md) */
    double red = (double)(L->Cin / L->groups) * L->R * L->S, macs = dse_layer_macs(L) * L->repeat;
    if (red > DSE_MAX_REDUCTION)
        return yamlw_errf(y, shape, e, "layer '%s': its reduction (Cin/groups)*kh*kw = %.0f exceeds %ld",
                          L->name, red, (long)DSE_MAX_REDUCTION);
    if (macs > DSE_MAX_LAYER_MACS)
        return yamlw_errf(y, shape, e, "layer '%s': %.4g MACs (repeats included) exceed %.4g", L->name, macs,
                          DSE_MAX_LAYER_MACS);
    yaml_node_t *ow = yamlw_get(y, ln, "weight"), *oa = yamlw_get(y, ln, "act");
    if (ow && yamlw_check_keys(y, ow, sp_keys, "weight sparsity", e)) return DSE_EINPUT;
    if (oa && yamlw_check_keys(y, oa, sp_keys, "act sparsity", e)) return DSE_EINPUT;
    if ((rc = parse_sparsity(y, defw, ow, ln, L, 1, &L->w, e))) return rc;
    return parse_sparsity(y, defa, oa, ln, L, 0, &L->a, e);
}

static int parse_network(yamlw *y, dse_network *n, dse_err *e)
{
    yaml_node_t *root = yamlw_root(y), *v, *defs, *defw = NULL, *defa = NULL, *layers;
    if (yamlw_check_keys(y, root, top_keys, "workload", e)) return DSE_EINPUT;
    if (!(v = need(y, root, "name", "workload", e)) || yamlw_str(y, v, n->name, sizeof n->name, e))
        return DSE_EINPUT;
    if (!name_ok(n->name)) return yamlw_errf(y, v, e, "'name': '%s' may only contain A-Z a-z 0-9 _ . -", n->name);
    if (!(v = need(y, root, "source", "workload", e)) || yamlw_str(y, v, n->source, sizeof n->source, e))
        return DSE_EINPUT;
    n->batch = 1;
    if (opt_int(y, root, "batch", 1, 1 << 20, &n->batch, e)) return DSE_EINPUT;
    if ((defs = yamlw_get(y, root, "defaults"))) {
        if (yamlw_check_keys(y, defs, defaults_keys, "defaults", e)) return DSE_EINPUT;
        defw = yamlw_get(y, defs, "weight");
        defa = yamlw_get(y, defs, "act");
        if (defw && yamlw_check_keys(y, defw, sp_keys, "weight sparsity", e)) return DSE_EINPUT;
        if (defa && yamlw_check_keys(y, defa, sp_keys, "act sparsity", e)) return DSE_EINPUT;
    }
    if (!(layers = need(y, root, "layers", "workload", e))) return DSE_EINPUT;
    if (!yamlw_is_seq(layers) || yamlw_len(layers) == 0)
        return yamlw_errf(y, layers, e, "'layers': expected a non-empty list of layers");
    int count = yamlw_len(layers);
    n->layers = dse_xcalloc((size_t)count, sizeof *n->layers);
    dse_memo *names = dse_memo_new(1);
    int rc = DSE_OK;
    for (int i = 0; i < count && rc == DSE_OK; i++) {
        n->nlayers = i + 1; /* so that dse_network_free releases masks of a partial layer */
        rc = parse_layer(y, yamlw_item(y, layers, i), n, i, defw, defa, names, e);
    }
    dse_memo_free(names);
    return rc;
}

/* Parse path into *n (workload.h). On error: DSE_EIO (unreadable file or mask)
 * or DSE_EINPUT with a located message, and *n is freed and zeroed. */
int dse_network_load(dse_network *n, const char *path, dse_err *e)
{
    yamlw y;
    size_t len;
    memset(n, 0, sizeof *n);
    if (!(n->text = dse_read_file(path, &len, 1, e))) return e ? e->code : DSE_EIO;
    n->hash = dse_fnv1a(DSE_FNV_INIT, n->text, len);
    int rc = yamlw_load(&y, path, n->text, e);
    if (rc) {
        dse_network_free(n);
        return rc;
    }
    dse_strlcpy(n->path, path, sizeof n->path);
    rc = parse_network(&y, n, e);
    yamlw_free(&y);
    if (rc) dse_network_free(n);
    return rc;
}
