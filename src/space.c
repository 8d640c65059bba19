/* space.c -- design-space files: parameter axes, constraints, presets, objectives; point enumeration. */
#include "space.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper.h"
#include "mask.h"
#include "mode.h"
#include "yamlw.h"

const char *const dse_fidelity_names[DSE_NFIDS] = {"closed-form", "sampled", "full"};
const char *const dse_scope_names[DSE_NSCOPES] = {"network", "layer"};

#define MAX_AXIS_VALUES 100000   /* values one range may expand to */
#define MAX_COMBOS 1000000000ULL /* grid combinations a space may have */

static const char *const top_keys[] = {"name", "workloads", "technology", "seed", "fidelity", "sampling",
                                       "mapper", "objectives", "params", "constraints", "presets", NULL};
static const char *const sampling_keys[] = {"scope", "precision", "min_tiles", "max_tiles", NULL};
static const char *const mapper_keys[] = {"objective", NULL};
static const char *const range_keys[] = {"from", "to", "step", NULL};
static const char *const bound_keys[] = {"min", "max", NULL};
static const char *const preset_keys[] = {"name", "params", NULL};
static const char *const dir_names[] = {"min", "max"}; /* index = maximize */

/* Free everything s owns (axes, workloads, text) and zero it; safe on a zeroed space. */
void dse_space_free(dse_space *s)
{
    for (int i = 0; i < DSE_NPARAMS; i++) free(s->axes[i].values);
    for (int i = 0; i < s->nworkloads; i++) dse_network_free(&s->workloads[i]);
    free(s->text);
    free(s->tech_text);
    memset(s, 0, sizeof *s);
}

static int name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

/* A required name matching [A-Za-z0-9_.-]+ into buf. */
static int parse_name(yamlw *y, yaml_node_t *v, char *buf, size_t size, dse_err *e)
{
    if (yamlw_str(y, v, buf, size, e)) return DSE_EINPUT;
    if (!name_ok(buf)) return yamlw_errf(y, v, e, "'name': '%s' may only contain A-Z a-z 0-9 _ . -", buf);
    return DSE_OK;
}

/* Check that the keys of map are unique and each is one of names[0..count-1]
 * ("unknown <kind> 'x' in <what> (did you mean 'y'?)"). */
static int check_names(yamlw *y, yaml_node_t *map, const char *const *names, int count, const char *kind,
                       const char *what, dse_err *e)
{
    if (!yamlw_is_map(map)) return yamlw_errf(y, map, e, "'%s': expected a mapping", what);
    for (int i = 0; i < yamlw_len(map); i++) {
        yaml_node_t *k, *v, *k2, *v2;
        yamlw_pair(y, map, i, &k, &v);
        const char *t = yamlw_text(k);
        if (!t) return yamlw_errf(y, k, e, "%s: keys must be plain scalars", what);
        for (int j = 0; j < i; j++) {
            yamlw_pair(y, map, j, &k2, &v2);
            if (yamlw_text(k2) && strcmp(t, yamlw_text(k2)) == 0)
                return yamlw_errf(y, k, e, "duplicate key '%s'", t);
        }
        int found = 0;
        for (int j = 0; j < count && !found; j++) found = strcmp(t, names[j]) == 0;
        if (found) continue;
        const char *sg = yamlw_suggest(t, names, count);
        if (sg) return yamlw_errf(y, k, e, "unknown %s '%s' in %s (did you mean '%s'?)", kind, t, what, sg);
        return yamlw_errf(y, k, e, "unknown %s '%s' in %s", kind, t, what);
    }
    return DSE_OK;
}

/* ---- parameters ------------------------------------------------------ */

/* One value of parameter p from scalar n (type and range from DSE_PARAMS). */
static int param_value(yamlw *y, yaml_node_t *n, int p, double *v, dse_err *e)
{
    char msg[256];
    if (!yamlw_is_scalar(n))
        return yamlw_errf(y, n, e, "%s: expected a single value, got a %s", dse_params[p].name,
                          yamlw_is_map(n) ? "mapping" : "list");
    if (dse_param_parse(p, yamlw_text(n), v, msg, sizeof msg)) return yamlw_errf(y, n, e, "%s", msg);
    return DSE_OK;
}

/* {from, to, step}: integer and real parameters only. */
static int parse_range(yamlw *y, yaml_node_t *n, int p, dse_axis *ax, dse_err *e)
{
    const dse_param_info *pi = &dse_params[p];
    double from, to, step;
    if (pi->type != DSE_T_INT && pi->type != DSE_T_REAL)
        return yamlw_errf(y, n, e, "%s: a range {from, to, step} needs an integer or real parameter", pi->name);
    if (yamlw_check_keys(y, n, range_keys, "range", e)) return DSE_EINPUT;
    for (int i = 0; i < 3; i++)
        if (!yamlw_get(y, n, range_keys[i]))
            return yamlw_errf(y, n, e, "%s: range needs from, to and step (missing '%s')", pi->name, range_keys[i]);
    yaml_node_t *nf = yamlw_get(y, n, "from"), *nt = yamlw_get(y, n, "to"), *ns = yamlw_get(y, n, "step");
    if (param_value(y, nf, p, &from, e) || param_value(y, nt, p, &to, e)) return DSE_EINPUT;
    if (pi->type == DSE_T_INT) {
        long l;
        if (yamlw_int(y, ns, -(1L << 40), 1L << 40, &l, e)) return DSE_EINPUT;
        step = (double)l;
    } else {
        if (yamlw_real(y, ns, -DBL_MAX, DBL_MAX, &step, e)) return DSE_EINPUT;
    }
    if (step <= 0) return yamlw_errf(y, ns, e, "%s: range step must be > 0", pi->name);
    if (to < from) return yamlw_errf(y, nt, e, "%s: range 'to' (%g) is below 'from' (%g)", pi->name, to, from);
    double count = floor((to - from) / step + 1e-9) + 1;
    if (count > MAX_AXIS_VALUES)
        return yamlw_errf(y, n, e, "%s: range has %.0f values, at most %d", pi->name, count, MAX_AXIS_VALUES);
    ax->nvalues = (int)count;
    ax->values = dse_xmalloc((size_t)ax->nvalues * sizeof *ax->values);
    for (int i = 0; i < ax->nvalues; i++) {
        double v = from + i * step;
        ax->values[i] = v > to ? to : v;
    }
    return DSE_OK;
}

static int parse_axis(yamlw *y, yaml_node_t *n, int p, dse_axis *ax, dse_err *e)
{
    if (yamlw_is_map(n)) return parse_range(y, n, p, ax, e);
    if (yamlw_is_scalar(n)) {
        ax->nvalues = 1;
        ax->values = dse_xmalloc(sizeof *ax->values);
        return param_value(y, n, p, &ax->values[0], e);
    }
    int len = yamlw_len(n);
    if (len == 0) return yamlw_errf(y, n, e, "%s: empty list of values", dse_params[p].name);
    ax->values = dse_xmalloc((size_t)len * sizeof *ax->values);
    for (int i = 0; i < len; i++) {
        yaml_node_t *it = yamlw_item(y, n, i);
        double v;
        if (param_value(y, it, p, &v, e)) return DSE_EINPUT;
        for (int j = 0; j < i; j++)
            if (ax->values[j] == v)
                return yamlw_errf(y, it, e, "%s: duplicate value '%s' in list", dse_params[p].name, yamlw_text(it));
        ax->values[ax->nvalues++] = v;
    }
    return DSE_OK;
}

static int parse_params(yamlw *y, yaml_node_t *params, dse_space *s, dse_err *e)
{
    const char *names[DSE_NPARAMS];
    for (int i = 0; i < DSE_NPARAMS; i++) names[i] = dse_params[i].name;
    if (params && check_names(y, params, names, DSE_NPARAMS, "parameter", "params", e)) return DSE_EINPUT;
    s->ncombos = 1;
    for (int i = 0; i < DSE_NPARAMS; i++) {
        yaml_node_t *v = params ? yamlw_get(y, params, names[i]) : NULL;
        dse_axis *ax = &s->axes[i];
        if (v) {
            if (parse_axis(y, v, i, ax, e)) return DSE_EINPUT;
        } else {
            ax->nvalues = 1;
            ax->values = dse_xmalloc(sizeof *ax->values);
            ax->values[0] = dse_params[i].def;
        }
        s->ncombos *= (uint64_t)ax->nvalues;
        if (s->ncombos > MAX_COMBOS)
            return yamlw_errf(y, params, e, "the space has more than %llu combinations of parameters",
                              (unsigned long long)MAX_COMBOS);
    }
    return DSE_OK;
}

/* ---- constraints, objectives, sampling ------------------------------- */

static int parse_constraints(yamlw *y, yaml_node_t *cs, dse_space *s, dse_err *e)
{
    const char *names[DSE_NDERIVED + DSE_NPARAMS];
    for (int i = 0; i < DSE_NDERIVED; i++) names[i] = dse_derived_names[i];
    for (int i = 0; i < DSE_NPARAMS; i++) names[DSE_NDERIVED + i] = dse_params[i].name;
    if (check_names(y, cs, names, DSE_NDERIVED + DSE_NPARAMS, "quantity", "constraints", e)) return DSE_EINPUT;
    if (yamlw_len(cs) > DSE_MAX_CONSTRAINTS)
        return yamlw_errf(y, cs, e, "at most %d constraints", DSE_MAX_CONSTRAINTS);
    for (int i = 0; i < yamlw_len(cs); i++) {
        yaml_node_t *k, *v, *lo, *hi;
        yamlw_pair(y, cs, i, &k, &v);
        const char *q = yamlw_text(k);
        dse_constraint *c = &s->constraints[s->nconstraints++];
        c->index = dse_derived_find(q);
        c->is_param = c->index < 0;
        if (c->is_param) c->index = dse_param_find(q);
        c->lo = -INFINITY;
        c->hi = INFINITY;
        if (yamlw_check_keys(y, v, bound_keys, "constraint", e)) return DSE_EINPUT;
        lo = yamlw_get(y, v, "min");
        hi = yamlw_get(y, v, "max");
        if (!lo && !hi) return yamlw_errf(y, v, e, "constraint on '%s' needs min, max or both", q);
        if (lo && yamlw_real(y, lo, -DBL_MAX, DBL_MAX, &c->lo, e)) return DSE_EINPUT;
        if (hi && yamlw_real(y, hi, -DBL_MAX, DBL_MAX, &c->hi, e)) return DSE_EINPUT;
        if (c->lo > c->hi) return yamlw_errf(y, v, e, "constraint on '%s': min %g is above max %g", q, c->lo, c->hi);
    }
    return DSE_OK;
}

static int parse_objectives(yamlw *y, yaml_node_t *os, dse_space *s, dse_err *e)
{
    if (!os) {
        s->nobjectives = 2;
        s->objectives[0] = (dse_objective){DSE_M_tops_per_w, 1};
        s->objectives[1] = (dse_objective){DSE_M_tops_per_mm2, 1};
        return DSE_OK;
    }
    if (check_names(y, os, dse_metric_names, DSE_NMETRICS, "metric", "objectives", e)) return DSE_EINPUT;
    int len = yamlw_len(os);
    if (len < 2) return yamlw_errf(y, os, e, "objectives: need at least 2 objectives, got %d", len);
    if (len > DSE_MAX_OBJECTIVES) return yamlw_errf(y, os, e, "objectives: at most %d objectives", DSE_MAX_OBJECTIVES);
    for (int i = 0; i < len; i++) {
        yaml_node_t *k, *v;
        yamlw_pair(y, os, i, &k, &v);
        dse_objective *o = &s->objectives[s->nobjectives++];
        o->metric = dse_metric_find(yamlw_text(k));
        if (yamlw_enum(y, v, dir_names, 2, &o->maximize, e)) return DSE_EINPUT;
    }
    return DSE_OK;
}

static int parse_sampling(yamlw *y, yaml_node_t *sm, dse_space *s, dse_err *e)
{
    yaml_node_t *v;
    long l;
    s->precision = 0.01;
    s->scope = DSE_SCOPE_NETWORK;
    s->min_tiles = 4;
    s->max_tiles = 4096;
    if (!sm) return DSE_OK;
    if (yamlw_check_keys(y, sm, sampling_keys, "sampling", e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, sm, "scope"))) {
        int sc;
        if (yamlw_enum(y, v, dse_scope_names, DSE_NSCOPES, &sc, e)) return DSE_EINPUT;
        s->scope = (dse_scope)sc;
    }
    if ((v = yamlw_get(y, sm, "precision"))) {
        if (yamlw_real(y, v, 0, 1, &s->precision, e)) return DSE_EINPUT;
        if (s->precision <= 0) return yamlw_errf(y, v, e, "'precision': must be in (0, 1], got %s", yamlw_text(v));
    }
    if ((v = yamlw_get(y, sm, "min_tiles"))) {
        if (yamlw_int(y, v, 1, 1000000000, &l, e)) return DSE_EINPUT;
        s->min_tiles = (int)l;
    }
    if ((v = yamlw_get(y, sm, "max_tiles"))) {
        if (yamlw_int(y, v, 1, 1000000000, &l, e)) return DSE_EINPUT;
        s->max_tiles = (int)l;
    }
    if (s->max_tiles < s->min_tiles)
        return yamlw_errf(y, sm, e, "sampling: max_tiles %d is below min_tiles %d", s->max_tiles, s->min_tiles);
    return DSE_OK;
}

static int parse_seed(yamlw *y, yaml_node_t *v, uint64_t *seed, dse_err *e)
{
    *seed = 1;
    if (!v) return DSE_OK;
    const char *t = yamlw_text(v);
    if (!t) return yamlw_errf(y, v, e, "'seed': expected an integer");
    char *end;
    errno = 0;
    unsigned long long u = strtoull(t, &end, 10);
    if (end == t || *end || !(t[0] >= '0' && t[0] <= '9'))
        return yamlw_errf(y, v, e, "'seed': expected an unsigned integer, got '%s'", t);
    char sb[96];
    if (errno == ERANGE) return yamlw_errf(y, v, e, "'seed': %s is out of range [0, 2^64-1]", dse_shown(t, sb, sizeof sb));
    *seed = (uint64_t)u;
    return DSE_OK;
}

/* ---- presets --------------------------------------------------------- */

static int parse_presets(yamlw *y, yaml_node_t *ps, dse_space *s, dse_err *e)
{
    const char *names[DSE_NPARAMS];
    for (int i = 0; i < DSE_NPARAMS; i++) names[i] = dse_params[i].name;
    if (!yamlw_is_seq(ps)) return yamlw_errf(y, ps, e, "'presets': expected a list");
    if (yamlw_len(ps) > DSE_MAX_PRESETS) return yamlw_errf(y, ps, e, "at most %d presets", DSE_MAX_PRESETS);
    for (int i = 0; i < yamlw_len(ps); i++) {
        yaml_node_t *pn = yamlw_item(y, ps, i), *nm, *pp;
        dse_preset *pr = &s->presets[s->npresets++];
        if (yamlw_check_keys(y, pn, preset_keys, "preset", e)) return DSE_EINPUT;
        if (!(nm = yamlw_get(y, pn, "name"))) return yamlw_errf(y, pn, e, "preset: missing key 'name'");
        if (parse_name(y, nm, pr->name, sizeof pr->name, e)) return DSE_EINPUT;
        for (int j = 0; j < i; j++)
            if (strcmp(s->presets[j].name, pr->name) == 0)
                return yamlw_errf(y, nm, e, "duplicate preset name '%s'", pr->name);
        for (int p = 0; p < DSE_NPARAMS; p++) dse_point_set(&pr->point, p, s->axes[p].values[0]);
        if (!(pp = yamlw_get(y, pn, "params"))) continue;
        if (check_names(y, pp, names, DSE_NPARAMS, "parameter", "preset params", e)) return DSE_EINPUT;
        for (int j = 0; j < yamlw_len(pp); j++) {
            yaml_node_t *k, *v;
            double x;
            yamlw_pair(y, pp, j, &k, &v);
            int p = dse_param_find(yamlw_text(k));
            if (param_value(y, v, p, &x, e)) return DSE_EINPUT;
            dse_point_set(&pr->point, p, x);
        }
    }
    return DSE_OK;
}

/* ---- files it references --------------------------------------------- */

static int check_opens(yamlw *y, yaml_node_t *v, const char *what, char *out, size_t size, dse_err *e)
{
    char rel[512];
    if (yamlw_str(y, v, rel, sizeof rel, e)) return DSE_EINPUT;
    if (dse_path_join(out, size, y->path, rel, NULL)) return yamlw_errf(y, v, e, "%s path too long", what);
    FILE *f = fopen(out, "rb");
    if (!f) return yamlw_errf(y, v, e, "cannot open %s file '%s': %s", what, out, strerror(errno));
    fclose(f);
    return DSE_OK;
}

static int load_workloads(yamlw *y, yaml_node_t *ws, dse_space *s, dse_err *e)
{
    if (!yamlw_is_seq(ws)) return yamlw_errf(y, ws, e, "'workloads': expected a list of workload files");
    int len = yamlw_len(ws);
    if (len == 0) return yamlw_errf(y, ws, e, "'workloads': empty list");
    if (len > DSE_MAX_WORKLOADS) return yamlw_errf(y, ws, e, "'workloads': at most %d", DSE_MAX_WORKLOADS);
    for (int i = 0; i < len; i++) {
        yaml_node_t *it = yamlw_item(y, ws, i);
        char path[512];
        if (check_opens(y, it, "workload", path, sizeof path, e)) return DSE_EINPUT;
        int rc = dse_network_load(&s->workloads[s->nworkloads], path, e);
        if (rc) return rc;
        s->nworkloads++;
        for (int j = 0; j < i; j++)
            if (strcmp(s->workloads[j].name, s->workloads[i].name) == 0)
                return yamlw_errf(y, it, e, "two workloads named '%s'", s->workloads[i].name);
    }
    return DSE_OK;
}

/* ---- the space ------------------------------------------------------- */

static int parse_space(yamlw *y, dse_space *s, dse_err *e)
{
    yaml_node_t *root = yamlw_root(y), *v;
    int fid = DSE_FID_CLOSED;
    if (yamlw_check_keys(y, root, top_keys, "space", e)) return DSE_EINPUT;
    static const char *const required[] = {"name", "workloads", "technology"};
    for (int i = 0; i < 3; i++)
        if (!yamlw_get(y, root, required[i])) return yamlw_errf(y, root, e, "space: missing key '%s'", required[i]);
    if (parse_name(y, yamlw_get(y, root, "name"), s->name, sizeof s->name, e)) return DSE_EINPUT;
    if (parse_params(y, yamlw_get(y, root, "params"), s, e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, root, "constraints")) && parse_constraints(y, v, s, e)) return DSE_EINPUT;
    if (parse_objectives(y, yamlw_get(y, root, "objectives"), s, e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, root, "fidelity")) && yamlw_enum(y, v, dse_fidelity_names, DSE_NFIDS, &fid, e))
        return DSE_EINPUT;
    s->fidelity = (dse_fidelity)fid;
    if (parse_sampling(y, yamlw_get(y, root, "sampling"), s, e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, root, "mapper"))) {
        yaml_node_t *ob;
        int k;
        if (yamlw_check_keys(y, v, mapper_keys, "mapper", e)) return DSE_EINPUT;
        if ((ob = yamlw_get(y, v, "objective"))) {
            if (yamlw_enum(y, ob, dse_mapobj_names, DSE_NMAPOBJS, &k, e)) return DSE_EINPUT;
            s->mapobj = (dse_mapobj)k;
        }
    }
    if (parse_seed(y, yamlw_get(y, root, "seed"), &s->seed, e)) return DSE_EINPUT;
    if ((v = yamlw_get(y, root, "presets")) && parse_presets(y, v, s, e)) return DSE_EINPUT;
    if (check_opens(y, yamlw_get(y, root, "technology"), "technology", s->tech_path, sizeof s->tech_path, e))
        return DSE_EINPUT;
    size_t len;
    if (!(s->tech_text = dse_read_file(s->tech_path, &len, 1, e))) return e ? e->code : DSE_EIO;
    s->tech_hash = dse_fnv1a(DSE_FNV_INIT, s->tech_text, len);
    return load_workloads(y, yamlw_get(y, root, "workloads"), s, e);
}

int dse_space_inputs(const dse_space *s, dse_input **in)
{
    int n = 1, cap = 1;
    for (int w = 0; w < s->nworkloads; w++) cap += 1 + 2 * s->workloads[w].nlayers;
    dse_input *v = dse_xcalloc((size_t)cap, sizeof *v);
    v[0] = (dse_input){"technology", s->tech_path, s->tech_hash, strlen(s->tech_text ? s->tech_text : ""), s->tech_text};
    for (int w = 0; w < s->nworkloads; w++) {
        const dse_network *net = &s->workloads[w];
        v[n++] = (dse_input){"workload", net->path, net->hash, strlen(net->text ? net->text : ""), net->text};
        for (int i = 0; i < 2 * net->nlayers; i++) {
            const dse_sparsity *sp = i % 2 ? &net->layers[i / 2].a : &net->layers[i / 2].w;
            if (sp->dist != DSE_DIST_NPY || !sp->mask) continue;
            int seen = 0;
            for (int k = 0; k < n && !seen; k++) seen = strcmp(v[k].path, sp->path) == 0;
            if (!seen) v[n++] = (dse_input){"mask", sp->path, sp->mask->hash, sp->mask->bytes, NULL};
        }
    }
    *in = v;
    return n;
}

/* Read, parse and check path (space.h). On error: DSE_EIO (unreadable) or
 * DSE_EINPUT with a located message, and *s is freed and zeroed. */
int dse_space_load(dse_space *s, const char *path, dse_err *e)
{
    yamlw y;
    size_t len;
    memset(s, 0, sizeof *s);
    dse_strlcpy(s->path, path, sizeof s->path);
    if (!(s->text = dse_read_file(path, &len, 1, e))) return e ? e->code : DSE_EIO;
    s->hash = dse_fnv1a(DSE_FNV_INIT, s->text, len);
    int rc = yamlw_load(&y, path, s->text, e);
    if (rc == DSE_OK) {
        rc = parse_space(&y, s, e);
        yamlw_free(&y);
    }
    if (rc) dse_space_free(s);
    return rc;
}

/* Grid combinations plus presets. */
uint64_t dse_space_npoints(const dse_space *s)
{
    return s->ncombos + (uint64_t)s->npresets;
}

/* Decode point i < dse_space_npoints(s) into *p; the preset's name (owned by s) or NULL. Pure. */
const char *dse_space_point(const dse_space *s, uint64_t i, dse_point *p)
{
    if (i >= s->ncombos) {
        const dse_preset *pr = &s->presets[i - s->ncombos];
        *p = pr->point;
        return pr->name;
    }
    memset(p, 0, sizeof *p);
    for (int k = DSE_NPARAMS - 1; k >= 0; k--) {
        const dse_axis *ax = &s->axes[k];
        dse_point_set(p, k, ax->values[i % (uint64_t)ax->nvalues]);
        i /= (uint64_t)ax->nvalues;
    }
    return NULL;
}

/* Constraints in file order, then dse_mode_valid; 1 if all hold, else 0 with why (if non-NULL) filled. */
int dse_space_feasible(const dse_space *s, const dse_point *p, char *why, size_t n)
{
    char buf[256];
    for (int i = 0; i < s->nconstraints; i++) {
        const dse_constraint *c = &s->constraints[i];
        double v = c->is_param ? dse_point_get(p, c->index) : dse_derived(p, c->index);
        const char *name = c->is_param ? dse_params[c->index].name : dse_derived_names[c->index];
        if (v >= c->lo && v <= c->hi) continue;
        if (why) {
            if (v < c->lo) snprintf(why, n, "%s = %g is below min %g", name, v, c->lo);
            else snprintf(why, n, "%s = %g is above max %g", name, v, c->hi);
        }
        return 0;
    }
    buf[0] = '\0';
    if (!dse_mode_valid(p, buf, sizeof buf)) {
        if (why) dse_strlcpy(why, buf, n);
        return 0;
    }
    /* every layer must have a mapping whose tiles fit the SRAMs */
    for (int w = 0; w < s->nworkloads; w++)
        for (int i = 0; i < s->workloads[w].nlayers; i++) {
            const dse_layer *L = &s->workloads[w].layers[i];
            dse_problem pb;
            dse_problem_of_layer(L, &pb);
            if (dse_mapper_fits(p, &pb, buf, sizeof buf)) continue;
            if (why) snprintf(why, n, "%s layer %s: %s", s->workloads[w].name, L->name, buf);
            return 0;
        }
    return 1;
}
