/* cost.c -- component inventory of a design, its area, and activity-based energy per layer and mode. */
#include "cost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dse_comp_names[DSE_NCOMPS] = {
#define X(name, doc) #name,
    DSE_COMPONENTS(X)
#undef X
};

const char *const dse_comp_docs[DSE_NCOMPS] = {
#define X(name, doc) doc,
    DSE_COMPONENTS(X)
#undef X
};

/* Every technology entry the model reads: X(key, unit, lo, hi). A value
 * outside [lo, hi] is an error naming the entry and the file. */
#define COEFFS(X) \
  X(add8_pj,               "pJ",       1e-9, 1e9) \
  X(add32_pj,              "pJ",       1e-9, 1e9) \
  X(mult8_pj,              "pJ",       1e-9, 1e9) \
  X(mult32_pj,             "pJ",       1e-9, 1e9) \
  X(add8_um2,              "um2",      1e-9, 1e9) \
  X(add32_um2,             "um2",      1e-9, 1e9) \
  X(mult8_um2,             "um2",      1e-9, 1e9) \
  X(mult32_um2,            "um2",      1e-9, 1e9) \
  X(sram8k_read64_pj,      "pJ",       1e-9, 1e9) \
  X(sram32k_read64_pj,     "pJ",       1e-9, 1e9) \
  X(sram1m_read64_pj,      "pJ",       1e-9, 1e9) \
  X(sram_write_factor,     "fraction", 0,    100) \
  X(sram_bitcell_um2,      "um2",      1e-9, 1e9) \
  X(sram_array_efficiency, "fraction", 1e-3, 1) \
  X(sram_leak_nw_per_kib,  "nW/KiB",   0,    1e12) \
  X(mux2_bit_um2,          "um2",      0,    1e9) \
  X(mux2_bit_pj,           "pJ",       0,    1e9) \
  X(reg_bit_um2,           "um2",      0,    1e9) \
  X(reg_bit_pj,            "pJ",       0,    1e9) \
  X(prio_input_um2,        "um2",      0,    1e9) \
  X(prio_input_pj,         "pJ",       0,    1e9) \
  X(logic_leak_nw_per_um2, "nW/um2",   0,    1e12) \
  X(clock_energy_share,    "fraction", 0,    10) \
  X(clock_area_share,      "fraction", 0,    10) \
  X(idle_activity,         "fraction", 0,    1)

struct dse_cost {
#define X(key, unit, lo, hi) double key;
    COEFFS(X)
#undef X
    double mult_pj_exp;   /* log(mult32_pj / mult8_pj) / log 4 */
    double mult_um2_exp;  /* log(mult32_um2 / mult8_um2) / log 4 */
};

/* Unit text of entry key (owned by t), or NULL. */
static const char *entry_unit(const dse_tech *t, const char *key)
{
    int n = dse_tech_count(t);
    for (int i = 0; i < n; i++) {
        const char *k, *u;
        dse_tech_entry(t, i, &k, NULL, &u, NULL);
        if (strcmp(k, key) == 0) return u;
    }
    return NULL;
}

static int coeff(const dse_tech *t, const char *key, const char *unit, double lo, double hi,
                 double *v, dse_err *e)
{
    if (dse_tech_get(t, key, v, e)) return DSE_EINPUT;
    const char *u = entry_unit(t, key);
    if (!u || strcmp(u, unit) != 0)
        return dse_errf(e, DSE_EINPUT, "%s: error: technology entry '%s' has unit '%s', expected '%s'",
                        dse_tech_path(t), key, u ? u : "", unit);
    if (!(*v >= lo && *v <= hi))
        return dse_errf(e, DSE_EINPUT, "%s: error: technology entry '%s' = %g is out of range [%g, %g]",
                        dse_tech_path(t), key, *v, lo, hi);
    return DSE_OK;
}

/* Resolve every coefficient once. On error *c is NULL and e names the
 * entry and the file; the caller owns *c (dse_cost_free). */
int dse_cost_new(dse_cost **c, const dse_tech *t, dse_err *e)
{
    *c = NULL;
    dse_cost *k = dse_xcalloc(1, sizeof *k);
#define X(key, unit, lo, hi) \
    if (coeff(t, #key, unit, lo, hi, &k->key, e)) { free(k); return DSE_EINPUT; }
    COEFFS(X)
#undef X
    if (k->mult32_pj < k->mult8_pj || k->mult32_um2 < k->mult8_um2 ||
        k->add32_pj < k->add8_pj || k->add32_um2 < k->add8_um2) {
        free(k);
        return dse_errf(e, DSE_EINPUT, "%s: error: 32-bit multiplier/adder figures must not be below the 8-bit ones",
                        dse_tech_path(t));
    }
    k->mult_pj_exp = log(k->mult32_pj / k->mult8_pj) / log(4.0);
    k->mult_um2_exp = log(k->mult32_um2 / k->mult8_um2) / log(4.0);
    *c = k;
    return DSE_OK;
}

void dse_cost_free(dse_cost *c) { free(c); }

/* ---- per-operation figures ------------------------------------------ */

/* b-bit multiplier: power law through the 8- and 32-bit points. */
static double mult_pj(const dse_cost *c, int b) { return c->mult8_pj * pow(b / 8.0, c->mult_pj_exp); }
static double mult_um2(const dse_cost *c, int b) { return c->mult8_um2 * pow(b / 8.0, c->mult_um2_exp); }

/* w-bit adder: linear in w through the 8- and 32-bit points, never below 0. */
static double lin(double v8, double v32, int w) { return fmax(0.0, v8 + (v32 - v8) * (w - 8) / 24.0); }
static double add_pj(const dse_cost *c, int w) { return lin(c->add8_pj, c->add32_pj, w); }
static double add_um2(const dse_cost *c, int w) { return lin(c->add8_um2, c->add32_um2, w); }

/* Binary adder tree over n inputs of width w0: n - 1 two-input adders,
 * each level one bit wider than its inputs. area selects um2 or pJ. */
static double tree(const dse_cost *c, int n, int w0, int area)
{
    double s = 0;
    for (int m = n, w = w0; m > 1; w++) {
        int a = m / 2;
        s += a * (area ? add_um2(c, w) : add_pj(c, w));
        m -= a;
    }
    return s;
}

/* Energy per bit of one access to an SRAM of kib KiB: the 64-bit read
 * figures interpolated linearly in log2(size) between 8 KiB, 32 KiB and
 * 1 MiB; below 8 KiB the 8 KiB figure, above 1 MiB the last segment
 * extrapolated. */
static double sram_bit_pj(const dse_cost *c, double kib)
{
    double x = log2(fmax(kib, 1.0)), e;
    if (x <= 3) e = c->sram8k_read64_pj;
    else if (x <= 5) e = c->sram8k_read64_pj + (c->sram32k_read64_pj - c->sram8k_read64_pj) * (x - 3) / 2;
    else e = c->sram32k_read64_pj + (c->sram1m_read64_pj - c->sram32k_read64_pj) * (x - 5) / 5;
    return e / 64.0;
}

static double sram_um2(const dse_cost *c, double kib)
{
    return kib * 8192.0 * c->sram_bitcell_um2 / c->sram_array_efficiency;
}

/* ---- the inventory ----------------------------------------------------- */

static int clog2(int n) { int b = 0; while ((1L << b) < n) b++; return b; }
static int fanin(dse_shape s, int h, int d) { return 1 + dse_window_candidates(s, h, d); }
static int imax(int a, int b) { return a > b ? a : b; }

/* What design p owns (independent of the mode). */
typedef struct inv {
    double N, D;     /* multipliers, DPUs */
    int bits, acc, lanes, rows, cols;
    int fw, fa;      /* activation-input / weight-input multiplexer fan-in */
    int hw, ha;      /* lookahead buffer depth: activations per row, weights per column */
    int mw;          /* metadata bits per weight: ceil(log2) of the widest offline weight fan-in */
    int fs, ms;      /* scheduler fan-in (widest online window) and select bits per lane */
    double nsched;   /* scheduler instances: rows, or rows * cols for a dual-capable design */
    int units;       /* extra adder trees per DPU: 2 * (w_unit + a_unit) */
    double meta_share; /* share of the weight SRAM holding metadata: mw / (bits + mw) */
} inv;

static void inventory(const dse_point *p, inv *v)
{
    memset(v, 0, sizeof *v);
    v->bits = p->bits; v->acc = p->acc_bits; v->lanes = p->lanes; v->rows = p->rows; v->cols = p->cols;
    v->D = (double)p->rows * p->cols;
    v->N = v->D * p->lanes;
    v->fw = fanin(p->w_shape, p->w_lookahead, p->w_lookaside);
    v->fa = fanin(p->a_shape, p->a_lookahead, p->a_lookaside);
    v->hw = p->w_lookahead;
    v->ha = p->a_lookahead;
    int fwm = v->fw, fam = v->fa;  /* widest windows any mode runs */
    if (p->hybrid) {
        fwm = imax(fwm, fanin(p->w_shape, p->wmode_lookahead >= 0 ? p->wmode_lookahead : p->w_lookahead,
                              p->wmode_lookaside >= 0 ? p->wmode_lookaside : p->w_lookaside));
        fam = imax(fam, fanin(p->a_shape, p->amode_lookahead >= 0 ? p->amode_lookahead : p->a_lookahead,
                              p->amode_lookaside >= 0 ? p->amode_lookaside : p->a_lookaside));
    }
    v->mw = v->fw > 1 || fwm > 1 ? clog2(fwm) : 0;
    if (v->fa > 1 || fam > 1) {
        v->fs = fam;
        v->ms = clog2(fam);
        v->nsched = v->fw > 1 ? v->D : p->rows;
    }
    if (!v->fs) v->fs = 1;
    v->units = 2 * (p->w_unit + p->a_unit);
    v->meta_share = v->mw ? (double)v->mw / (p->bits + v->mw) : 0.0;
}

/* Area of each component of an inventory (um2). */
static void area_of(const dse_cost *c, const dse_point *p, const inv *v, double a[DSE_NCOMPS])
{
    for (int i = 0; i < DSE_NCOMPS; i++) a[i] = 0;
    int pw = 2 * v->bits;  /* product width */
    a[DSE_C_mult] = v->N * mult_um2(c, v->bits);
    a[DSE_C_adder] = v->D * tree(c, v->lanes, pw, 1);
    a[DSE_C_accum] = v->D * (add_um2(c, v->acc) + v->acc * c->reg_bit_um2);
    a[DSE_C_wmux] = v->N * v->bits * (v->fw - 1) * c->mux2_bit_um2;
    a[DSE_C_amux] = v->N * v->bits * (v->fa - 1) * c->mux2_bit_um2;
    a[DSE_C_buffer] = ((double)v->rows * v->hw + (double)v->cols * v->ha) * v->lanes * v->bits * c->reg_bit_um2;
    double ws = sram_um2(c, p->wsram_kib);
    a[DSE_C_metadata] = ws * v->meta_share + (double)v->cols * v->lanes * v->mw * c->reg_bit_um2;
    a[DSE_C_sched] = v->nsched * v->lanes * ((v->fs - 1) * c->prio_input_um2 + v->ms * c->reg_bit_um2);
    a[DSE_C_unit] = v->D * v->units * (tree(c, v->lanes, pw, 1) + add_um2(c, v->acc))
                  + v->N * v->units * pw * c->mux2_bit_um2;
    a[DSE_C_wsram] = ws * (1 - v->meta_share);
    a[DSE_C_asram] = sram_um2(c, p->asram_kib);
    a[DSE_C_osram] = sram_um2(c, p->osram_kib);
    a[DSE_C_pipeline] = v->N * 4 * v->bits * c->reg_bit_um2;
    double logic = 0;
    for (int i = 0; i < DSE_NCOMPS; i++)
        if (i != DSE_C_wsram && i != DSE_C_asram && i != DSE_C_osram && i != DSE_C_clock) logic += a[i];
    logic -= ws * v->meta_share;  /* the metadata's SRAM share is not clocked logic */
    a[DSE_C_clock] = c->clock_area_share * logic;
}

/* Area of everything p owns, per component (um2); overwrites area_um2. */
void dse_cost_area(const dse_cost *c, const dse_point *p, double area_um2[DSE_NCOMPS])
{
    inv v;
    inventory(p, &v);
    area_of(c, p, &v, area_um2);
}

/* ---- energy -------------------------------------------------------------- */

/* Closed-form SRAM traffic of one layer (all repeats) under the output-
 * stationary dataflow: a tile of rows pixels x cols channels streams the
 * whole reduction; every tile re-reads its operands from SRAM. */
typedef struct traffic { double wreads, areads, owrites; } traffic;

static void sram_traffic(const dse_point *p, const dse_layer *L, traffic *t)
{
    double g = L->groups, Kg = (double)L->K / L->groups;
    double Cg = (double)L->Cin / L->groups * L->R * L->S;
    double tp = ceil((double)L->P / p->rows), tk = ceil(Kg / p->cols);
    t->wreads = g * tp * Kg * Cg * L->repeat;
    t->areads = g * tk * (double)L->P * Cg * L->repeat;
    t->owrites = (double)L->P * L->K * L->repeat;
}

/* Share of resource r (0..1) that a mode keeps busy; the rest is idle. */
typedef struct usage {
    double wmux, amux, wbuf, abuf, meta, sched, unit;
} usage;

/* Which owned resources configuration cfg uses. A hybrid running a window
 * wider (or deeper) than its own side borrows the other side's multiplexer
 * inputs (or buffers), so both are busy. Joint dual runs one online window
 * (cfg->a) over (weight, activation) pairs: both multiplexers move the pair,
 * no offline metadata is read. */
static void usage_of(const dse_point *p, const inv *v, const dse_config *cfg, usage *u)
{
    memset(u, 0, sizeof *u);
    int dual = cfg->wsparse && cfg->asparse;
    int joint = dual && cfg->org == DSE_DUAL_JOINT;
    int fw = cfg->wsparse && !joint ? fanin(cfg->w.shape, cfg->w.lookahead, cfg->w.lookaside) : 1;
    int fa = cfg->asparse || joint ? fanin(cfg->a.shape, cfg->a.lookahead, cfg->a.lookaside) : 1;
    int hw = cfg->wsparse && !joint ? cfg->w.lookahead : 0;
    int ha = cfg->asparse || joint ? cfg->a.lookahead : 0;
    int uw = cfg->wsparse && !joint ? cfg->w.unit : 0, ua = cfg->asparse || joint ? cfg->a.unit : 0;
    u->wmux = fw > 1 || fa > v->fa || (joint && fa > 1);
    u->amux = fa > 1 || fw > v->fw;
    u->wbuf = hw > 0 || ha > v->ha || (joint && ha > 0);
    u->abuf = ha > 0 || hw > v->hw;
    u->meta = fw > 1;
    if (fa > 1 && v->nsched > 0) u->sched = dual ? 1.0 : p->rows / v->nsched;
    if (v->units > 0) u->unit = fmin(1.0, 2.0 * (uw + ua) / v->units);
}

/* Energy of a resource whose full per-cycle dynamic energy is full, busy a
 * share used of the time; the idle rest burns idle_activity of it unless p
 * can clock-gate it. */
static double busy(const dse_cost *c, const dse_point *p, double full, double used, double cycles)
{
    double idle = p->gating ? 0.0 : c->idle_activity;
    return cycles * full * (used + (1 - used) * idle);
}

/* Energy of layer L (all repeats) running cfg with counts perf, per
 * component (pJ), added to energy_pj. */
void dse_cost_energy(const dse_cost *c, const dse_point *p, const dse_config *cfg,
                     const dse_layer *L, const dse_perf *perf, double energy_pj[DSE_NCOMPS])
{
    inv v;
    usage u;
    traffic t;
    double a[DSE_NCOMPS], e[DSE_NCOMPS] = {0};
    inventory(p, &v);
    usage_of(p, &v, cfg, &u);
    sram_traffic(p, L, &t);
    area_of(c, p, &v, a);
    /* weights scheduled offline are stored in their schedule: in weight-only
     * mode the weight stream (and its metadata) is as long as the run; in
     * cascaded dual mode the static stage's length is not reported, so it is
     * approximated by its bound max(cycles / dense, weight density) */
    if (u.meta && perf->dense_cycles > 0) {
        double r = perf->cycles / perf->dense_cycles;
        if (cfg->asparse) r = fmax(r, L->w.density);
        t.wreads *= fmin(1.0, r);
    }
    double C = perf->cycles, b = v.bits, pw = 2 * b;
    /* dense datapath: every slot clocks its operand and product registers;
     * only effectual multiplies (both operands nonzero) switch a multiplier */
    e[DSE_C_mult] = perf->eff_macs * mult_pj(c, v.bits);
    e[DSE_C_adder] = C * v.D * tree(c, v.lanes, (int)pw, 0);
    e[DSE_C_accum] = C * v.D * (add_pj(c, v.acc) + v.acc * c->reg_bit_pj);
    e[DSE_C_pipeline] = C * v.N * 4 * b * c->reg_bit_pj;
    /* sparse logic: busy share at full energy, idle share gated or not */
    e[DSE_C_wmux] = busy(c, p, v.N * b * (v.fw - 1) * c->mux2_bit_pj, u.wmux, C);
    e[DSE_C_amux] = busy(c, p, v.N * b * (v.fa - 1) * c->mux2_bit_pj, u.amux, C);
    double wbuf = (double)v.rows * v.hw * v.lanes * b * c->reg_bit_pj;
    double abuf = (double)v.cols * v.ha * v.lanes * b * c->reg_bit_pj;
    e[DSE_C_buffer] = busy(c, p, wbuf, u.wbuf, C) + busy(c, p, abuf, u.abuf, C);
    double wbit = sram_bit_pj(c, p->wsram_kib);
    double meta_sram = t.wreads * v.mw * wbit;  /* selects read with each weight */
    double meta_regs = (double)v.cols * v.lanes * v.mw * c->reg_bit_pj;
    double meta_read = C > 0 ? busy(c, p, meta_sram / C, u.meta, C) : 0;
    e[DSE_C_metadata] = meta_read + busy(c, p, meta_regs, u.meta, C);
    e[DSE_C_sched] = busy(c, p, v.nsched * v.lanes * ((v.fs - 1) * c->prio_input_pj + v.ms * c->reg_bit_pj),
                          u.sched, C);
    e[DSE_C_unit] = busy(c, p, v.D * v.units * (tree(c, v.lanes, (int)pw, 0) + add_pj(c, v.acc))
                               + v.N * v.units * pw * c->mux2_bit_pj, u.unit, C);
    /* clock tree: a share of the clocked logic's dynamic energy */
    double dyn = 0;
    for (int i = 0; i < DSE_NCOMPS; i++)
        if (i != DSE_C_wsram && i != DSE_C_asram && i != DSE_C_osram && i != DSE_C_clock) dyn += e[i];
    dyn -= meta_read;  /* an SRAM access, not clocked logic */
    e[DSE_C_clock] = c->clock_energy_share * dyn;
    /* SRAM: dense operands read per the reuse model, outputs written once at
     * operand precision */
    e[DSE_C_wsram] = t.wreads * b * wbit;
    e[DSE_C_asram] = t.areads * b * sram_bit_pj(c, p->asram_kib);
    e[DSE_C_osram] = t.owrites * b * sram_bit_pj(c, p->osram_kib) * c->sram_write_factor;
    /* leakage over the layer's time, for everything the design owns */
    double secs = p->clock_mhz > 0 ? C / (p->clock_mhz * 1e6) : 0, nw2pj = secs * 1e3;
    double ws = sram_um2(c, p->wsram_kib), ws_meta = ws * v.meta_share;
    for (int i = 0; i < DSE_NCOMPS; i++) {
        if (i == DSE_C_wsram || i == DSE_C_asram || i == DSE_C_osram) continue;
        double logic = i == DSE_C_metadata ? a[i] - ws_meta : a[i];
        e[i] += logic * c->logic_leak_nw_per_um2 * nw2pj;
    }
    double wleak = p->wsram_kib * c->sram_leak_nw_per_kib * nw2pj;
    e[DSE_C_metadata] += wleak * v.meta_share;
    e[DSE_C_wsram] += wleak * (1 - v.meta_share);
    e[DSE_C_asram] += p->asram_kib * c->sram_leak_nw_per_kib * nw2pj;
    e[DSE_C_osram] += p->osram_kib * c->sram_leak_nw_per_kib * nw2pj;
    for (int i = 0; i < DSE_NCOMPS; i++) energy_pj[i] += e[i];
}
