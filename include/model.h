/* model.h -- one design point on one network in one mode: performance, energy and area summed into metrics. */
#ifndef DSE_MODEL_H
#define DSE_MODEL_H

#include "cost.h"
#include "params.h"
#include "perf.h"
#include "workload.h"
#include "util.h"

/* Breakdown of one evaluation, per component. */
typedef struct dse_breakdown {
    double area_um2[DSE_NCOMPS];
    double energy_pj[DSE_NCOMPS];  /* per inference */
} dse_breakdown;

/* Evaluate p on network n in mode: the metrics of params.h (NaN-free on
 * success), when bd != NULL the per-component breakdown, and when
 * layers != NULL (n->nlayers entries, the caller's) each layer's
 * performance. Pure apart from the perf cache in o. Returns DSE_OK or an
 * error in e. */
int dse_model_eval(const dse_point *p, const dse_network *n, dse_mode mode,
                   const dse_cost *cost, const dse_perf_opts *o,
                   dse_metrics *m, dse_breakdown *bd, dse_perf *layers, dse_err *e);

#endif
