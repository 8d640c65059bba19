/* model.h -- one design point on one network in one mode: performance, energy and area summed into metrics. */
#ifndef DSE_MODEL_H
#define DSE_MODEL_H

#include "cost.h"
#include "params.h"
#include "perf.h"
#include "workload.h"
#include "util.h"

#include "mapping.h"
#include "traffic.h"

/* One layer of an evaluation: compute, its mapping and traffic, time. */
typedef struct dse_layer_eval {
    dse_perf perf;         /* the performance model's counts (compute cycles, activity) */
    dse_mapping map;       /* the mapper's choice for one group of the layer */
    dse_traffic traffic;   /* the whole layer (groups x repeats), weights as stored in the mode */
    double dram_cycles;    /* DRAM bits / DRAM bits per cycle */
    double cycles;         /* max(compute, DRAM) */
    double dense_cycles;   /* the dense core's: max(dense compute, DRAM with dense weights) */
    double energy_pj;      /* the layer's energy, every component */
} dse_layer_eval;

/* What bounds layer l's time: "dram" when its DRAM cycles exceed its
 * compute cycles, else "sram" when every tile stalls at the SRAM
 * bandwidth bound (compute cycles = perf.sram_cycles), else "compute". */
const char *dse_model_bound(const dse_layer_eval *l);

/* Breakdown of one evaluation, per component. */
typedef struct dse_breakdown {
    double area_um2[DSE_NCOMPS];
    double energy_pj[DSE_NCOMPS];  /* per inference */
} dse_breakdown;

/* Evaluate p on network n in mode: the metrics of params.h (NaN-free on
 * success), when bd != NULL the per-component breakdown, and when
 * layers != NULL (n->nlayers entries, the caller's) each layer's
 * performance, mapping and traffic. Per layer: the performance model's
 * compute cycles, the mapper's mapping (o->maps, o->mapobj) and its traffic
 * with the weights as the mode stores them, cycles = max(compute, DRAM),
 * energy from both. Pure apart from the caches in o. Returns DSE_OK or an
 * error in e. */
int dse_model_eval(const dse_point *p, const dse_network *n, dse_mode mode,
                   const dse_cost *cost, const dse_perf_opts *o,
                   dse_metrics *m, dse_breakdown *bd, dse_layer_eval *layers, dse_err *e);

#endif
