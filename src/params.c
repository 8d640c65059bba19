/* params.c -- tables and accessors generated from the parameter, derived and metric lists. */
#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const dse_param_info dse_params[DSE_NPARAMS] = {
#define X(name, type, def, lo, hi, doc) \
    {#name, DSE_T_##type, (double)(def), (double)(lo), (double)(hi), offsetof(dse_point, name), doc},
    DSE_PARAMS(X)
#undef X
};

const char *const dse_derived_names[DSE_NDERIVED] = {
#define X(name, doc) #name,
    DSE_DERIVED(X)
#undef X
};
const char *const dse_derived_docs[DSE_NDERIVED] = {
#define X(name, doc) doc,
    DSE_DERIVED(X)
#undef X
};
const char *const dse_metric_names[DSE_NMETRICS] = {
#define X(name, doc) #name,
    DSE_METRICS(X)
#undef X
};
const char *const dse_metric_docs[DSE_NMETRICS] = {
#define X(name, doc) doc,
    DSE_METRICS(X)
#undef X
};
const char *const dse_mode_names[DSE_NMODES] = {"dense", "weight", "act", "dual"};
const char *const dse_shape_names[DSE_NSHAPES] = {"L", "T", "rect"};
const char *const dse_dualorg_names[DSE_NDUALORGS] = {"joint", "cascaded"};
const char *const dse_dram_names[DSE_NDRAMS] = {"ddr3", "lpddr4"};
const char *const dse_format_names[DSE_NFMTS] = {"none", "bitmap", "rle", "cp"};

int dse_ptype_names(dse_ptype t, const char *const **names)
{
    switch (t) {
    case DSE_T_SHAPE: *names = dse_shape_names; return DSE_NSHAPES;
    case DSE_T_DUALORG: *names = dse_dualorg_names; return DSE_NDUALORGS;
    case DSE_T_DRAM: *names = dse_dram_names; return DSE_NDRAMS;
    case DSE_T_FORMAT: *names = dse_format_names; return DSE_NFMTS;
    default: return 0;
    }
}

void dse_point_defaults(dse_point *p)
{
    memset(p, 0, sizeof *p);
    for (int i = 0; i < DSE_NPARAMS; i++) dse_point_set(p, i, dse_params[i].def);
}

double dse_point_get(const dse_point *p, int i)
{
    const char *base = (const char *)p + dse_params[i].offset;
    switch (dse_params[i].type) {
    case DSE_T_REAL: return *(const double *)base;
    case DSE_T_SHAPE: return (double)*(const dse_shape *)base;
    case DSE_T_DUALORG: return (double)*(const dse_dualorg *)base;
    case DSE_T_DRAM: return (double)*(const dse_dram *)base;
    case DSE_T_FORMAT: return (double)*(const dse_format *)base;
    default: return (double)*(const int *)base;
    }
}

void dse_point_set(dse_point *p, int i, double v)
{
    char *base = (char *)p + dse_params[i].offset;
    switch (dse_params[i].type) {
    case DSE_T_REAL: *(double *)base = v; break;
    case DSE_T_SHAPE: *(dse_shape *)base = (dse_shape)(int)v; break;
    case DSE_T_DUALORG: *(dse_dualorg *)base = (dse_dualorg)(int)v; break;
    case DSE_T_DRAM: *(dse_dram *)base = (dse_dram)(int)v; break;
    case DSE_T_FORMAT: *(dse_format *)base = (dse_format)(int)v; break;
    default: *(int *)base = (int)v; break;
    }
}

const char *dse_point_format(const dse_point *p, int i, char *buf, size_t n)
{
    double v = dse_point_get(p, i);
    const char *const *names;
    int count = dse_ptype_names(dse_params[i].type, &names);
    if (count) {
        snprintf(buf, n, "%s", v >= 0 && v < count ? names[(int)v] : "?");
        return buf;
    }
    switch (dse_params[i].type) {
    case DSE_T_BOOL: snprintf(buf, n, "%s", v != 0 ? "true" : "false"); break;
    case DSE_T_REAL: snprintf(buf, n, "%.17g", v); break;
    default: snprintf(buf, n, "%d", (int)v); break;
    }
    return buf;
}

static int find(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0) return i;
    return -1;
}

int dse_param_parse(int i, const char *text, double *v, char *msg, size_t msgn)
{
    const dse_param_info *pi = &dse_params[i];
    const char *const *names;
    char sb[64];
    int k, count = dse_ptype_names(pi->type, &names);
    if (count) {
        if ((k = find(names, count, text)) < 0) {
            size_t m = (size_t)snprintf(msg, msgn, "%s: expected", pi->name);
            for (int j = 0; j < count && m < msgn; j++)
                m += (size_t)snprintf(msg + m, msgn - m, "%s %s", j == 0 ? "" : j == count - 1 ? " or" : ",", names[j]);
            if (m < msgn) snprintf(msg + m, msgn - m, ", got '%s'", dse_shown(text, sb, sizeof sb));
            return 1;
        }
        *v = k;
        return 0;
    }
    switch (pi->type) {
    case DSE_T_BOOL:
        if (strcmp(text, "true") == 0) *v = 1;
        else if (strcmp(text, "false") == 0) *v = 0;
        else {
            snprintf(msg, msgn, "%s: expected true or false, got '%s'", pi->name, dse_shown(text, sb, sizeof sb));
            return 1;
        }
        return 0;
    default: break;
    }
    char *end;
    errno = 0;
    double x;
    if (pi->type == DSE_T_INT) {
        long l = strtol(text, &end, 10);
        x = (double)l;
    } else {
        x = strtod(text, &end);
    }
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(x)) {
        snprintf(msg, msgn, "%s: expected %s, got '%s'", pi->name,
                 pi->type == DSE_T_INT ? "an integer" : "a number", dse_shown(text, sb, sizeof sb));
        return 1;
    }
    if (x < pi->lo || x > pi->hi) {
        snprintf(msg, msgn, "%s: %s is out of range [%.10g, %.10g]", pi->name, dse_shown(text, sb, sizeof sb), pi->lo, pi->hi);
        return 1;
    }
    *v = x;
    return 0;
}

int dse_param_find(const char *name)
{
    for (int i = 0; i < DSE_NPARAMS; i++)
        if (strcmp(dse_params[i].name, name) == 0) return i;
    return -1;
}
int dse_derived_find(const char *name) { return find(dse_derived_names, DSE_NDERIVED, name); }
int dse_metric_find(const char *name) { return find(dse_metric_names, DSE_NMETRICS, name); }
int dse_mode_find(const char *name) { return find(dse_mode_names, DSE_NMODES, name); }

int dse_window_candidates(dse_shape shape, int lookahead, int lookaside)
{
    if (shape == DSE_SHAPE_RECT) return lookahead * (2 * lookaside + 1);
    return lookahead + lookaside;
}

double dse_derived(const dse_point *p, int d)
{
    switch (d) {
    case DSE_D_multipliers: return (double)p->lanes * p->rows * p->cols;
    case DSE_D_w_fanin: return 1.0 + dse_window_candidates(p->w_shape, p->w_lookahead, p->w_lookaside);
    case DSE_D_a_fanin: return 1.0 + dse_window_candidates(p->a_shape, p->a_lookahead, p->a_lookaside);
    case DSE_D_sram_kib: return (double)p->wsram_kib + p->asram_kib + p->osram_kib;
    default: return NAN;
    }
}
