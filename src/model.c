/* model.c -- one design on one network in one mode: per-layer performance and energy summed into metrics. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mode.h"

int dse_model_eval(const dse_point *p, const dse_network *n, dse_mode mode,
                   const dse_cost *cost, const dse_perf_opts *o,
                   dse_metrics *m, dse_breakdown *bd, dse_perf *layers, dse_err *e)
{
    dse_config cfg;
    int rc = dse_mode_config(p, mode, &cfg, e);
    if (rc) return rc;

    dse_breakdown local;
    if (!bd) bd = &local;
    memset(bd, 0, sizeof *bd);
    dse_cost_area(cost, p, bd->area_um2);

    dse_perf *pf = layers ? layers : dse_xmalloc(sizeof *pf * (size_t)(n->nlayers > 0 ? n->nlayers : 1));
    double half, cycles = 0, dense = 0, macs = 0, eff = 0;
    rc = dse_perf_network(p, &cfg, n, o, pf, &half, e);
    for (int i = 0; i < n->nlayers && !rc; i++) {
        cycles += pf[i].cycles;
        dense += pf[i].dense_cycles;
        macs += pf[i].macs;
        eff += pf[i].eff_macs;
        dse_cost_energy(cost, p, &cfg, &n->layers[i], &pf[i], bd->energy_pj);
    }
    if (!layers) free(pf);
    if (rc) return rc;
    if (!(cycles > 0))
        return dse_errf(e, DSE_EMODEL, "model: network '%s' has no cycles", n->name);

    double area_um2 = 0, energy_pj = 0;
    for (int c = 0; c < DSE_NCOMPS; c++) {
        area_um2 += bd->area_um2[c];
        energy_pj += bd->energy_pj[c];
    }
    double *v = m->v;
    v[DSE_M_cycles] = cycles;
    v[DSE_M_cycles_lo] = cycles - half;
    v[DSE_M_cycles_hi] = cycles + half;
    v[DSE_M_dense_cycles] = dense;
    v[DSE_M_speedup] = dense / cycles;
    v[DSE_M_macs] = macs;
    v[DSE_M_eff_macs] = eff;
    v[DSE_M_latency_us] = cycles / p->clock_mhz;             /* cycles / (cycles per us) */
    v[DSE_M_eff_tops] = 2.0 * macs / v[DSE_M_latency_us] * 1e-6; /* ops per us -> tera-ops per s */
    v[DSE_M_energy_uj] = energy_pj * 1e-6;
    v[DSE_M_power_w] = v[DSE_M_energy_uj] / v[DSE_M_latency_us]; /* uJ / us = W */
    v[DSE_M_area_mm2] = area_um2 * 1e-6;
    v[DSE_M_tops_per_w] = v[DSE_M_eff_tops] / v[DSE_M_power_w];
    v[DSE_M_tops_per_mm2] = v[DSE_M_eff_tops] / v[DSE_M_area_mm2];
    for (int k = 0; k < DSE_NMETRICS; k++)
        if (!isfinite(v[k]))
            return dse_errf(e, DSE_EMODEL, "model: metric %s of network '%s' is not finite",
                            dse_metric_names[k], n->name);
    return DSE_OK;
}
