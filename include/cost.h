/* cost.h -- area and energy of a design from its component inventory and a technology file. */
#ifndef DSE_COST_H
#define DSE_COST_H

#include "params.h"
#include "perf.h"
#include "traffic.h"
#include "workload.h"
#include "util.h"

/* Components priced by the cost model: X(name, doc). Area in um2, energy
 * in pJ (dynamic + leakage over the layer's time). */
#define DSE_COMPONENTS(X) \
  X(mult,     "multipliers") \
  X(adder,    "adder trees") \
  X(accum,    "accumulators") \
  X(wmux,     "activation-input multiplexers that serve weight borrowing") \
  X(amux,     "weight-input multiplexers that serve activation borrowing") \
  X(buffer,   "lookahead operand buffers") \
  X(metadata, "weight metadata (multiplexer selects): storage share and decode") \
  X(sched,    "online scheduler / arbiters") \
  X(unit,     "unit-lookaside adder-tree inputs and accumulators") \
  X(zero,     "operand zero detectors at the SRAM outputs (gating and skipping need them, the dense core too)") \
  X(codec,    "storage-format decoders (SRAM reads of compressed tensors) and output encoders") \
  X(wsram,    "weight SRAM") \
  X(asram,    "activation SRAM") \
  X(osram,    "output SRAM") \
  X(dram,     "off-chip DRAM traffic") \
  X(pipeline, "pipeline registers") \
  X(clock,    "clock tree")

enum {
#define X(name, doc) DSE_C_##name,
    DSE_COMPONENTS(X)
#undef X
    DSE_NCOMPS
};
extern const char *const dse_comp_names[DSE_NCOMPS];
extern const char *const dse_comp_docs[DSE_NCOMPS];

typedef struct dse_tech dse_tech;   /* technology file: entries with values and sources */
typedef struct dse_cost dse_cost;   /* coefficients resolved from a technology */

/* Load a technology YAML file (docs/technology.md). Every entry carries a
 * value and a source. Returns DSE_OK or an error "file:line:col: error: ...". */
int dse_tech_load(dse_tech **t, const char *path, dse_err *e);
void dse_tech_free(dse_tech *t);
/* Value of entry key; missing -> DSE_EINPUT "file: error: technology entry 'key' is missing". */
int dse_tech_get(const dse_tech *t, const char *key, double *v, dse_err *e);
/* Value of entry key into *v, checked: its unit must be `unit` and the
 * value in [lo, hi]; errors are "file:line:col: error: ..." at the entry
 * (a missing entry names the file). */
int dse_tech_coeff(const dse_tech *t, const char *key, const char *unit, double lo, double hi, double *v, dse_err *e);
/* Source text of entry key, or NULL. */
const char *dse_tech_source(const dse_tech *t, const char *key);
/* "file:line:col" of entry key (of its key), or the file's path when it has
 * no such entry; written into buf. */
const char *dse_tech_where(const dse_tech *t, const char *key, char *buf, size_t n);
/* Number of entries and entry i (for listing every number with its source). */
int dse_tech_count(const dse_tech *t);
void dse_tech_entry(const dse_tech *t, int i, const char **key, double *value, const char **unit, const char **source);
const char *dse_tech_path(const dse_tech *t);

/* Resolve every coefficient the cost model needs from t; a missing entry
 * is an error naming the entry and the file. */
int dse_cost_new(dse_cost **c, const dse_tech *t, dse_err *e);
void dse_cost_free(dse_cost *c);

/* Rows a cycle the operand SRAMs of p are built to deliver, each from a
 * bank of its own: sram_rows, or when 0 one more than the deepest
 * lookahead (what a lock-step window advances at most on one side). */
int dse_cost_sram_rows(const dse_point *p);

/* Area of everything design p owns, per component (um2). */
void dse_cost_area(const dse_cost *c, const dse_point *p, double area_um2[DSE_NCOMPS]);
/* Energy of one layer (all repeats) in the configuration cfg that the mode
 * runs, per component (pJ), added to energy_pj: the datapath and sparse
 * logic from the performance model's counts (perf: compute cycles,
 * effectual MACs), the SRAMs, DRAM, metadata and partial-sum reloads from
 * the layer's traffic tr, leakage over `cycles`, the layer's time (compute
 * or DRAM-bound). Logic the mode does not use costs leakage only when
 * p->gating, full clocking otherwise. */
void dse_cost_energy(const dse_cost *c, const dse_point *p, const dse_config *cfg, const dse_perf *perf,
                     const dse_traffic *tr, double cycles, double energy_pj[DSE_NCOMPS]);

/* Data-movement energy of traffic t on core p (pJ), per level: every
 * counted access of the accumulator (acc_bits x a register bit), of each
 * SRAM (per bit at the SRAM's size; fills and updates are writes) and of
 * DRAM (per bit of p->dram), metadata bits at their level, and the
 * computes at the multipliers. The full model (dse_cost_energy) prices the
 * accumulator per cycle instead. */
enum { DSE_MV_ACC, DSE_MV_WSRAM, DSE_MV_ASRAM, DSE_MV_OSRAM, DSE_MV_DRAM, DSE_MV_META, DSE_MV_MAC, DSE_NMOVES };
extern const char *const dse_move_names[DSE_NMOVES];  /* acc wsram asram osram dram metadata mac */
void dse_cost_movement(const dse_cost *c, const dse_point *p, const dse_traffic *t, double e[DSE_NMOVES]);

/* DRAM bits per core cycle: p->dram_channels x the kind's GB/s at p->clock_mhz. */
double dse_cost_dram_bits_per_cycle(const dse_cost *c, const dse_point *p);

/* Metadata (multiplexer-select) bits stored with each weight of design p:
 * ceil(log2) of the widest offline weight-side fan-in any mode runs, 0
 * without a weight window. The weight SRAM holds weights and selects. */
int dse_cost_select_bits(const dse_point *p);

/* How the weights of layer L are stored in the configuration cfg: in their
 * offline schedule (compacted rows, each weight with its selects) when the
 * mode runs a weight window offline, with the stored share rho the run's
 * cycles / dense cycles (cascaded dual: at least the weight density, the
 * static stage's bound); dense otherwise. */
void dse_cost_weight_storage(const dse_point *p, const dse_config *cfg, const dse_layer *L,
                             const dse_perf *perf, dse_enc *enc);

#endif
