/* params.h -- the closed sets of design parameters, derived quantities and metrics, declared once. */
#ifndef DSE_PARAMS_H
#define DSE_PARAMS_H

#include <stddef.h>

/* Window shapes (BRIEF section 5); NONE is never stored, a side without
 * borrowing simply has lookahead = lookaside = unit = 0. */
typedef enum { DSE_SHAPE_L, DSE_SHAPE_T, DSE_SHAPE_RECT, DSE_NSHAPES } dse_shape;
/* Dual-sparse organisation: joint online window over (w,a) pairs, or
 * weights compacted offline then activations borrowed online on top. */
typedef enum { DSE_DUAL_JOINT, DSE_DUAL_CASCADED, DSE_NDUALORGS } dse_dualorg;
/* The four model classes; the mode fixes which tensors are sparse. */
typedef enum { DSE_MODE_DENSE, DSE_MODE_WEIGHT, DSE_MODE_ACT, DSE_MODE_DUAL, DSE_NMODES } dse_mode;

/* DRAM kinds: energy per bit and bandwidth per channel come from the
 * technology file (dram_<kind>_pj_per_bit, dram_<kind>_gb_per_s). */
typedef enum { DSE_DRAM_DDR3, DSE_DRAM_LPDDR4, DSE_NDRAMS } dse_dram;

/* Storage format of a tensor at the SRAM and DRAM levels (docs/memory.md,
 * rule 6): uncompressed, bitmap, run-length, coordinate-payload. */
typedef enum { DSE_FMT_NONE, DSE_FMT_BITMAP, DSE_FMT_RLE, DSE_FMT_CP, DSE_NFMTS } dse_format;

/* Parameter value types; SHAPE, DUALORG, DRAM and FORMAT are enums (their names:
 * dse_ptype_names). */
typedef enum { DSE_T_INT, DSE_T_REAL, DSE_T_BOOL, DSE_T_SHAPE, DSE_T_DUALORG, DSE_T_DRAM, DSE_T_FORMAT } dse_ptype;

/* The design parameters: X(name, type, default, min, max, doc).
 * Adding a parameter here adds the struct field, the YAML key, the SQL
 * column and the CSV header. Enum defaults are the enum value; bounds of
 * enums are ignored. */
#define DSE_PARAMS(X) \
  X(lanes,           INT,  16,  1, 256,      "multipliers per dot-product unit (DPU); one reduction slice per cycle") \
  X(rows,            INT,  8,   1, 4096,     "DPU rows; each row has its own activation stream (output pixels), shares weights down a column") \
  X(cols,            INT,  8,   1, 4096,     "DPU columns; each column has its own weight stream (output channels), shares activations along a row") \
  X(bits,            INT,  8,   2, 32,       "operand precision in bits (weights and activations)") \
  X(acc_bits,        INT,  32,  8, 64,       "accumulator width in bits") \
  X(clock_mhz,       REAL, 1000, 1, 10000,   "clock frequency, MHz") \
  X(wsram_kib,       INT,  128, 1, 1048576,  "weight SRAM per core, KiB (weights and their metadata)") \
  X(asram_kib,       INT,  128, 1, 1048576,  "activation SRAM per core, KiB") \
  X(osram_kib,       INT,  32,  1, 1048576,  "output SRAM per core, KiB") \
  X(dram,            DRAM, DSE_DRAM_DDR3, 0, 0, "off-chip DRAM kind: ddr3 or lpddr4 (energy per bit, bandwidth per channel: technology file)") \
  X(dram_channels,   INT,  2,   1, 64,       "DRAM channels serving the core (bandwidth = channels x the kind's per-channel figure)") \
  X(sram_bank_kib,   INT,  0,   0, 1048576,  "bank size of every SRAM, KiB (0: no limit); energy per access and area come from the bank (technology file)") \
  X(sram_rows,       INT,  0,   0, 64,       "rows per cycle the weight and activation SRAMs deliver to the array (a row: one step's operands); 0: as many as the windows can advance") \
  X(w_format,        FORMAT, DSE_FMT_NONE, 0, 0, "weights' storage format at the SRAM and DRAM levels: none, bitmap, rle or cp (a design with a weight window stores its schedule instead)") \
  X(a_format,        FORMAT, DSE_FMT_NONE, 0, 0, "activations' storage format at the SRAM and DRAM levels: inputs read compressed and decoded, final outputs encoded as written") \
  X(w_lookahead,     INT,  0,   0, 16,       "weight side: borrow from up to this many future steps (time)") \
  X(w_lookaside,     INT,  0,   0, 255,      "weight side: lookaside lane offsets in the window") \
  X(w_unit,          INT,  0,   0, 16,       "weight side: unit lookaside, neighbouring DPUs (other outputs) reachable") \
  X(w_shape,         SHAPE, DSE_SHAPE_T, 0, 0, "weight side window shape: L, T or rect") \
  X(a_lookahead,     INT,  0,   0, 16,       "activation side: borrow from up to this many future steps") \
  X(a_lookaside,     INT,  0,   0, 255,      "activation side: lookaside lane offsets in the window") \
  X(a_unit,          INT,  0,   0, 16,       "activation side: unit lookaside, neighbouring DPUs reachable") \
  X(a_shape,         SHAPE, DSE_SHAPE_T, 0, 0, "activation side window shape: L, T or rect") \
  X(dual_org,        DUALORG, DSE_DUAL_CASCADED, 0, 0, "dual-sparse organisation: joint or cascaded") \
  X(gating,          BOOL, 1,   0, 1,        "sparse logic can be bypassed and clock-gated in a mode that does not use it") \
  X(hybrid,          BOOL, 0,   0, 1,        "Griffin-style hybrid: single-sparse modes reuse the other side's borrowing logic") \
  X(wmode_lookahead, INT,  -1,  -1, 16,      "hybrid, weight-only mode: weight lookahead it runs (-1: the weight side's own)") \
  X(wmode_lookaside, INT,  -1,  -1, 255,     "hybrid, weight-only mode: weight lookaside it runs (-1: the weight side's own)") \
  X(amode_lookahead, INT,  -1,  -1, 16,      "hybrid, activation-only mode: activation lookahead it runs (-1: the side's own)") \
  X(amode_lookaside, INT,  -1,  -1, 255,     "hybrid, activation-only mode: activation lookaside it runs (-1: the side's own)")

/* C type of each parameter type. */
#define DSE_CTYPE_INT int
#define DSE_CTYPE_REAL double
#define DSE_CTYPE_BOOL int
#define DSE_CTYPE_SHAPE dse_shape
#define DSE_CTYPE_DUALORG dse_dualorg
#define DSE_CTYPE_DRAM dse_dram
#define DSE_CTYPE_FORMAT dse_format

/* One design point. */
typedef struct dse_point {
#define X(name, type, def, lo, hi, doc) DSE_CTYPE_##type name;
    DSE_PARAMS(X)
#undef X
} dse_point;

enum {
#define X(name, type, def, lo, hi, doc) DSE_P_##name,
    DSE_PARAMS(X)
#undef X
    DSE_NPARAMS
};

/* Derived quantities usable in space constraints: X(name, doc). Computed
 * by dse_derived(). */
#define DSE_DERIVED(X) \
  X(multipliers, "lanes * rows * cols") \
  X(w_fanin,     "weight-side window candidates + 1: activation-input multiplexer fan-in") \
  X(a_fanin,     "activation-side window candidates + 1: weight-input multiplexer fan-in") \
  X(sram_kib,    "wsram_kib + asram_kib + osram_kib")

enum {
#define X(name, doc) DSE_D_##name,
    DSE_DERIVED(X)
#undef X
    DSE_NDERIVED
};

/* Metrics of one (design point, workload, mode), summed over the network:
 * X(name, doc). Every one is computed; NaN marks an infeasible result. */
#define DSE_METRICS(X) \
  X(cycles,       "cycles per inference (expected): per layer the larger of compute and DRAM cycles") \
  X(cycles_lo,    "lower end of the 95% confidence interval of cycles (= cycles when exact)") \
  X(cycles_hi,    "upper end of the 95% confidence interval of cycles") \
  X(dense_cycles, "cycles of the same core geometry without sparsity support (DRAM-bound layers included)") \
  X(compute_cycles, "cycles the datapath needs, SRAM-bandwidth stalls included, DRAM stalls left out") \
  X(dram_bytes,   "bytes moved to and from DRAM per inference (data and metadata)") \
  X(sram_bytes,   "bytes moved at the weight, activation and output SRAMs per inference (reads, fills, updates)") \
  X(speedup,      "dense_cycles / cycles") \
  X(macs,         "dense-equivalent multiply-accumulates per inference") \
  X(eff_macs,     "effectual multiplies (both operands nonzero) per inference") \
  X(eff_tops,     "effective (dense-equivalent) tera-operations per second, 2 ops per MAC") \
  X(latency_us,   "time per inference, microseconds") \
  X(energy_uj,    "energy per inference, microjoules") \
  X(power_w,      "average power, watts") \
  X(area_mm2,     "core area, mm2") \
  X(tops_per_w,   "eff_tops / power_w") \
  X(tops_per_mm2, "eff_tops / area_mm2")

enum {
#define X(name, doc) DSE_M_##name,
    DSE_METRICS(X)
#undef X
    DSE_NMETRICS
};

typedef struct dse_metrics { double v[DSE_NMETRICS]; } dse_metrics;

/* Static description of a parameter, generated from DSE_PARAMS. */
typedef struct dse_param_info {
    const char *name;
    dse_ptype type;
    double def, lo, hi;
    size_t offset;   /* offsetof(dse_point, name) */
    const char *doc;
} dse_param_info;

extern const dse_param_info dse_params[DSE_NPARAMS];
extern const char *const dse_derived_names[DSE_NDERIVED];
extern const char *const dse_derived_docs[DSE_NDERIVED];
extern const char *const dse_metric_names[DSE_NMETRICS];
extern const char *const dse_metric_docs[DSE_NMETRICS];
extern const char *const dse_mode_names[DSE_NMODES];   /* dense weight act dual */
extern const char *const dse_shape_names[DSE_NSHAPES]; /* L T rect */
extern const char *const dse_dualorg_names[DSE_NDUALORGS]; /* joint cascaded */
extern const char *const dse_dram_names[DSE_NDRAMS];       /* ddr3 lpddr4 */
extern const char *const dse_format_names[DSE_NFMTS];      /* none bitmap rle cp */

/* Value names of an enum parameter type into *names and their count; 0
 * (names untouched) for INT, REAL and BOOL. */
int dse_ptype_names(dse_ptype t, const char *const **names);

/* Fill p with every parameter's default. */
void dse_point_defaults(dse_point *p);
/* Read / write a parameter as a double (enums and bools as their integer). */
double dse_point_get(const dse_point *p, int param);
void dse_point_set(dse_point *p, int param, double v);
/* Format a parameter's value as text ("T", "true", "16", "1000"); returns buf. */
const char *dse_point_format(const dse_point *p, int param, char *buf, size_t n);
/* Parse text for a parameter (enum names, true/false, strict numbers) into
 * *v; checks the range. Returns DSE_OK or DSE_EINPUT with a message that
 * does not carry a location (the caller prefixes it). */
int dse_param_parse(int param, const char *text, double *v, char *msg, size_t msgn);
/* Index of a parameter / derived quantity / metric / mode by name, or -1. */
int dse_param_find(const char *name);
int dse_derived_find(const char *name);
int dse_metric_find(const char *name);
int dse_mode_find(const char *name);
/* Value of a derived quantity for p. */
double dse_derived(const dse_point *p, int derived);
/* Number of (step, lane) window candidates, excluding the home slot, of a
 * side's (shape, lookahead H, lookaside D): L and T have H + D, rect has
 * H * (2D + 1). The operand multiplexer fan-in is this + 1. Unit
 * lookaside reuses the window's offsets in another DPU, so it adds
 * adder-tree inputs, not multiplexer inputs. */
int dse_window_candidates(dse_shape shape, int lookahead, int lookaside);

#endif
