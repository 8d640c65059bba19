/* cost.c -- component inventory of a design, its area, and activity-based energy per layer and mode. */
#include "cost.h"
#include "sram.h"

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
  X(sram_write_factor,     "fraction", 0,    100) \
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
  X(idle_activity,         "fraction", 0,    1) \
  X(gated_residual,        "fraction", 0,    1) \
  X(gate_nand2_um2,        "um2",      0,    1e9) \
  X(gate_nand2_pj,         "pJ",       0,    1e9) \
  X(dram_lpddr4_pj_per_bit, "pJ/bit",  1e-9, 1e9) \
  X(dram_lpddr4_gb_per_s,  "GB/s",     1e-9, 1e9) \
  X(dram_ddr3_pj_per_bit,  "pJ/bit",   1e-9, 1e9) \
  X(dram_ddr3_gb_per_s,    "GB/s",     1e-9, 1e9)

struct dse_cost {
#define X(key, unit, lo, hi) double key;
    COEFFS(X)
#undef X
    double mult_pj_exp;   /* log(mult32_pj / mult8_pj) / log 4 */
    double mult_um2_exp;  /* log(mult32_um2 / mult8_um2) / log 4 */
    dse_sram_model sram;  /* SRAM banks (sram.h) */
};

/* Resolve every coefficient once. On error *c is NULL and e names the
 * entry and the file; the caller owns *c (dse_cost_free). */
int dse_cost_new(dse_cost **c, const dse_tech *t, dse_err *e)
{
    *c = NULL;
    dse_cost *k = dse_xcalloc(1, sizeof *k);
#define X(key, unit, lo, hi) \
    if (dse_tech_coeff(t, #key, unit, lo, hi, &k->key, e)) { free(k); return DSE_EINPUT; }
    COEFFS(X)
#undef X
    if (k->mult32_pj < k->mult8_pj || k->mult32_um2 < k->mult8_um2 ||
        k->add32_pj < k->add8_pj || k->add32_um2 < k->add8_um2) {
        free(k);
        return dse_errf(e, DSE_EINPUT, "%s: error: 32-bit multiplier/adder figures must not be below the 8-bit ones",
                        dse_tech_path(t));
    }
    if (dse_sram_model_load(&k->sram, t, e)) { free(k); return DSE_EINPUT; }
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

/* The organisation of the SRAM that holds tensor tn on p: its capacity,
 * banks of at most sram_bank_kib, as many banks as rows it delivers a
 * cycle (operand SRAMs: sram_rows, or 1 + the deepest lookahead when 0;
 * the output SRAM: 1), one row an access: C x L weights, R x L
 * activations, C outputs of acc bits. */
int dse_cost_sram_rows(const dse_point *p)
{
    return p->sram_rows > 0 ? p->sram_rows : 1 + (p->w_lookahead > p->a_lookahead ? p->w_lookahead : p->a_lookahead);
}

static void sram_org(const dse_point *p, dse_tensor tn, dse_sram_org *o)
{
    int rows = tn == DSE_TO ? 1 : dse_cost_sram_rows(p);
    double kib = tn == DSE_TW ? p->wsram_kib : tn == DSE_TI ? p->asram_kib : p->osram_kib;
    int width = tn == DSE_TW ? p->cols * p->lanes * p->bits : tn == DSE_TI ? p->rows * p->lanes * p->bits
                                                                           : p->cols * p->acc_bits;
    dse_sram_org_of(kib, p->sram_bank_kib, rows, width, o);
}

static double sram_bit_pj(const dse_cost *c, const dse_point *p, dse_tensor tn)
{
    dse_sram_org o;
    sram_org(p, tn, &o);
    return dse_sram_bit_pj(&c->sram, &o);
}

static double sram_um2(const dse_cost *c, const dse_point *p, dse_tensor tn)
{
    dse_sram_org o;
    sram_org(p, tn, &o);
    return dse_sram_um2(&c->sram, &o);
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
    double zdet;     /* operand zero detectors: one per word the SRAMs deliver a cycle, (rows + cols) x lanes */
    double dec, enc; /* format decoder lanes (rows x lanes for activations, cols x lanes for weights), encoder lanes */
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
    v->zdet = ((double)p->rows + p->cols) * p->lanes;
    v->dec = (p->a_format != DSE_FMT_NONE ? (double)p->rows * p->lanes : 0)
           + (p->w_format != DSE_FMT_NONE ? (double)p->cols * p->lanes : 0);
    v->enc = p->a_format != DSE_FMT_NONE ? p->lanes : 0;
}

/* One zero detector: a bits-wide NOR, bits - 1 two-input gates. */
static double zdet(const dse_cost *c, int bits, int area) { return (bits - 1) * (area ? c->gate_nand2_um2 : c->gate_nand2_pj); }

/* One codec lane (docs/cost.md, "Codecs"): a lanes:1 multiplexer of bits
 * that picks the lane's word from the compressed row, steered by a prefix
 * count of the row's nonzero flags (a log2(lanes)+1-bit adder). Area of
 * the whole lane; energy of one word through it (the selected path,
 * log2(lanes) multiplexer levels). */
static double codec(const dse_cost *c, int bits, int lanes, int area)
{
    int lg = clog2(lanes);
    if (area) return bits * (lanes - 1) * c->mux2_bit_um2 + add_um2(c, lg + 1);
    return bits * lg * c->mux2_bit_pj + add_pj(c, lg + 1);
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
    double ws = sram_um2(c, p, DSE_TW);
    a[DSE_C_metadata] = ws * v->meta_share + (double)v->cols * v->lanes * v->mw * c->reg_bit_um2;
    a[DSE_C_sched] = v->nsched * v->lanes * ((v->fs - 1) * c->prio_input_um2 + v->ms * c->reg_bit_um2);
    a[DSE_C_unit] = v->D * v->units * (tree(c, v->lanes, pw, 1) + add_um2(c, v->acc))
                  + v->N * v->units * pw * c->mux2_bit_um2;
    a[DSE_C_zero] = v->zdet * zdet(c, v->bits, 1);
    a[DSE_C_codec] = (v->dec + v->enc) * codec(c, v->bits, v->lanes, 1) + v->enc * zdet(c, v->bits, 1);
    a[DSE_C_wsram] = ws * (1 - v->meta_share);
    a[DSE_C_asram] = sram_um2(c, p, DSE_TI);
    a[DSE_C_osram] = sram_um2(c, p, DSE_TO);
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
    double idle = p->gating ? c->gated_residual : c->idle_activity;
    return cycles * full * (used + (1 - used) * idle);
}

/* ---- data movement ------------------------------------------------------- */

const char *const dse_move_names[DSE_NMOVES] = {"acc", "wsram", "asram", "osram", "dram", "metadata", "mac"};

static double dram_pj_bit(const dse_cost *c, const dse_point *p)
{
    return p->dram == DSE_DRAM_DDR3 ? c->dram_ddr3_pj_per_bit : c->dram_lpddr4_pj_per_bit;
}

double dse_cost_dram_bits_per_cycle(const dse_cost *c, const dse_point *p)
{
    double gbs = p->dram == DSE_DRAM_DDR3 ? c->dram_ddr3_gb_per_s : c->dram_lpddr4_gb_per_s;
    return p->dram_channels * gbs * 8e9 / (p->clock_mhz * 1e6);
}

/* Energy of tensor tn's data at storage level s (SRAM or DRAM) of t, and of
 * its metadata into *meta. Reads at the read figure, fills and updates
 * (writes) at sram_write_factor of it; DRAM reads and writes alike. */
static double level_pj(const dse_cost *c, const dse_point *p, const dse_traffic *t, dse_store s, dse_tensor tn,
                       double *meta)
{
    double eb, wf = 1;
    if (s == DSE_ST_DRAM) eb = dram_pj_bit(c, p);
    else {
        eb = sram_bit_pj(c, p, tn);
        wf = c->sram_write_factor;
    }
    const double *w = t->words[s][tn], *m = t->meta[s][tn];
    *meta += eb * (m[DSE_A_READ] + wf * (m[DSE_A_FILL] + m[DSE_A_UPDATE]));
    return eb * t->width[s][tn] * (w[DSE_A_READ] + wf * (w[DSE_A_FILL] + w[DSE_A_UPDATE]));
}

void dse_cost_movement(const dse_cost *c, const dse_point *p, const dse_traffic *t, double e[DSE_NMOVES])
{
    for (int i = 0; i < DSE_NMOVES; i++) e[i] = 0;
    const double *a = t->words[DSE_ST_ACC][DSE_TO];
    e[DSE_MV_ACC] = (a[DSE_A_READ] + a[DSE_A_FILL] + a[DSE_A_UPDATE]) * t->width[DSE_ST_ACC][DSE_TO] * c->reg_bit_pj;
    for (int tn = 0; tn < DSE_NTENSORS; tn++) {
        e[DSE_MV_WSRAM + tn] = level_pj(c, p, t, DSE_ST_SRAM, (dse_tensor)tn, &e[DSE_MV_META]);
        e[DSE_MV_DRAM] += level_pj(c, p, t, DSE_ST_DRAM, (dse_tensor)tn, &e[DSE_MV_META]);
    }
    e[DSE_MV_MAC] = t->computes * mult_pj(c, p->bits);
}

int dse_cost_select_bits(const dse_point *p)
{
    inv v;
    inventory(p, &v);
    return v.mw;
}

void dse_cost_weight_storage(const dse_point *p, const dse_config *cfg, const dse_layer *L,
                             const dse_perf *perf, dse_enc *enc)
{
    inv v;
    usage u;
    inventory(p, &v);
    usage_of(p, &v, cfg, &u);
    memset(enc, 0, sizeof *enc);
    enc->rho = 1;
    if (!u.meta || !(perf->dense_cycles > 0)) return;
    double r = perf->cycles / perf->dense_cycles;
    if (cfg->asparse) r = fmax(r, L->w.density);
    enc->rho = fmin(1.0, r);
    enc->meta_word = v.mw;
}

/* ---- energy -------------------------------------------------------------- */

/* Energy of one layer (all repeats) running cfg, per component (pJ), added
 * to energy_pj. */
void dse_cost_energy(const dse_cost *c, const dse_point *p, const dse_config *cfg, const dse_perf *perf,
                     const dse_traffic *tr, double cycles, double energy_pj[DSE_NCOMPS])
{
    inv v;
    usage u;
    double a[DSE_NCOMPS], e[DSE_NCOMPS] = {0};
    inventory(p, &v);
    usage_of(p, &v, cfg, &u);
    area_of(c, p, &v, a);
    double C = perf->cycles, b = v.bits, pw = 2 * b;
    /* dense datapath: every slot clocks its operand and product registers;
     * effectual multiplies (both operands nonzero) switch a multiplier, the
     * other slots are gated by the zero detectors' flags and keep
     * gated_residual of a multiply;
     * the accumulator adds every cycle (ours: Timeloop merges a residency's
     * computes into one update) and reloads spilled partial sums */
    e[DSE_C_mult] = (perf->eff_macs + c->gated_residual * fmax(0, C * v.N - perf->eff_macs)) * mult_pj(c, v.bits);
    e[DSE_C_zero] = C * v.zdet * zdet(c, v.bits, 0);
    e[DSE_C_codec] = tr->decoded * codec(c, v.bits, v.lanes, 0)
                   + tr->encoded * (codec(c, v.bits, v.lanes, 0) + zdet(c, v.bits, 0));
    e[DSE_C_adder] = C * v.D * tree(c, v.lanes, (int)pw, 0);
    e[DSE_C_accum] = C * v.D * (add_pj(c, v.acc) + v.acc * c->reg_bit_pj);
    e[DSE_C_pipeline] = C * v.N * 4 * b * c->reg_bit_pj;
    /* sparse logic: busy share at full energy, idle share gated or not */
    e[DSE_C_wmux] = busy(c, p, v.N * b * (v.fw - 1) * c->mux2_bit_pj, u.wmux, C);
    e[DSE_C_amux] = busy(c, p, v.N * b * (v.fa - 1) * c->mux2_bit_pj, u.amux, C);
    double wbuf = (double)v.rows * v.hw * v.lanes * b * c->reg_bit_pj;
    double abuf = (double)v.cols * v.ha * v.lanes * b * c->reg_bit_pj;
    e[DSE_C_buffer] = busy(c, p, wbuf, u.wbuf, C) + busy(c, p, abuf, u.abuf, C);
    double meta_regs = (double)v.cols * v.lanes * v.mw * c->reg_bit_pj;
    e[DSE_C_metadata] = busy(c, p, meta_regs, u.meta, C);
    e[DSE_C_sched] = busy(c, p, v.nsched * v.lanes * ((v.fs - 1) * c->prio_input_pj + v.ms * c->reg_bit_pj),
                          u.sched, C);
    e[DSE_C_unit] = busy(c, p, v.D * v.units * (tree(c, v.lanes, (int)pw, 0) + add_pj(c, v.acc))
                               + v.N * v.units * pw * c->mux2_bit_pj, u.unit, C);
    /* clock tree: a share of the clocked logic's dynamic energy */
    double dyn = 0;
    for (int i = 0; i < DSE_NCOMPS; i++)
        if (i != DSE_C_wsram && i != DSE_C_asram && i != DSE_C_osram && i != DSE_C_dram && i != DSE_C_clock)
            dyn += e[i];
    e[DSE_C_clock] = c->clock_energy_share * dyn;
    /* data movement from the mapping's counts */
    double meta = 0;
    e[DSE_C_accum] += tr->words[DSE_ST_ACC][DSE_TO][DSE_A_FILL] * v.acc * c->reg_bit_pj;
    e[DSE_C_wsram] = level_pj(c, p, tr, DSE_ST_SRAM, DSE_TW, &meta);
    e[DSE_C_asram] = level_pj(c, p, tr, DSE_ST_SRAM, DSE_TI, &meta);
    e[DSE_C_osram] = level_pj(c, p, tr, DSE_ST_SRAM, DSE_TO, &meta);
    for (int tn = 0; tn < DSE_NTENSORS; tn++) e[DSE_C_dram] += level_pj(c, p, tr, DSE_ST_DRAM, (dse_tensor)tn, &meta);
    e[DSE_C_metadata] += meta;
    /* leakage over the layer's time, for everything the design owns */
    double secs = p->clock_mhz > 0 ? cycles / (p->clock_mhz * 1e6) : 0, nw2pj = secs * 1e3;
    double ws = sram_um2(c, p, DSE_TW), ws_meta = ws * v.meta_share;
    for (int i = 0; i < DSE_NCOMPS; i++) {
        if (i == DSE_C_wsram || i == DSE_C_asram || i == DSE_C_osram || i == DSE_C_dram) continue;
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
