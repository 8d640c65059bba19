/* model.c -- one design on one network in one mode: per-layer performance, mapping, traffic and energy summed into metrics. */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mapper.h"
#include "mode.h"
#include "store.h"

/* Mapping, traffic and time of layer L around its performance le->perf. */
static int layer_memory(const dse_point *p, const dse_config *cfg, const dse_layer *L, double out_density,
                        const dse_cost *cost, const dse_perf_opts *o, dse_layer_eval *le, dse_err *e)
{
    dse_problem pb;
    dse_mapper_result r;
    dse_problem_of_layer(L, &pb);
    dse_err me = {0, ""};
    int rc = dse_mapper_get(o->maps, cost, p, &pb, (dse_mapobj)o->mapobj, &r, &me);
    if (rc) return dse_errf(e, rc, "layer %s: %s", L->name, me.msg);
    le->map = r.map;
    le->traffic = r.dense;
    double k = (double)(L->groups > 0 ? L->groups : 1) * (L->repeat > 0 ? L->repeat : 1);
    dse_traffic_scale(&le->traffic, k);
    double bw = dse_cost_dram_bits_per_cycle(cost, p);
    double dense_dram = dse_traffic_bits(&le->traffic, DSE_ST_DRAM) / bw;
    dse_storage st;
    dse_store_of(p, cfg, L, &pb, &le->perf, out_density, &st);
    dse_store_apply(&st, k * dse_problem_size(&pb, DSE_TO), &le->traffic);
    le->dram_cycles = dse_traffic_bits(&le->traffic, DSE_ST_DRAM) / bw;
    le->cycles = fmax(le->perf.cycles, le->dram_cycles);
    le->dense_cycles = fmax(le->perf.dense_cycles, dense_dram);
    return DSE_OK;
}

const char *dse_model_bound(const dse_layer_eval *l)
{
    const dse_perf *f = &l->perf;
    if (l->dram_cycles > f->cycles) return "dram";
    return f->sram_cycles > 0 && f->cycles <= f->sram_cycles ? "sram" : "compute";
}

int dse_model_eval(const dse_point *p, const dse_network *n, dse_mode mode,
                   const dse_cost *cost, const dse_perf_opts *o,
                   dse_metrics *m, dse_breakdown *bd, dse_layer_eval *layers, dse_err *e)
{
    dse_config cfg;
    int rc = dse_mode_config(p, mode, &cfg, e);
    if (rc) return rc;

    dse_breakdown local;
    if (!bd) bd = &local;
    memset(bd, 0, sizeof *bd);
    dse_cost_area(cost, p, bd->area_um2);

    size_t nl = (size_t)(n->nlayers > 0 ? n->nlayers : 1);
    dse_perf *pf = dse_xmalloc(sizeof *pf * nl);
    dse_layer_eval *le = layers ? layers : dse_xmalloc(sizeof *le * nl);
    double half, cycles = 0, compute = 0, dense = 0, macs = 0, eff = 0, dram = 0, sram = 0;
    rc = dse_perf_network(p, &cfg, n, o, pf, &half, e);
    for (int i = 0; i < n->nlayers && !rc; i++) {
        dse_layer_eval *l = &le[i];
        l->perf = pf[i];
        /* the outputs become the next layer's inputs (file order; the last
         * layer's are taken at its own input density) */
        const dse_layer *nx = &n->layers[i + 1 < n->nlayers ? i + 1 : i];
        double od = cfg.asparse ? nx->a.density : 1;
        if ((rc = layer_memory(p, &cfg, &n->layers[i], od, cost, o, l, e))) break;
        double before = 0, after = 0;
        for (int c = 0; c < DSE_NCOMPS; c++) before += bd->energy_pj[c];
        dse_cost_energy(cost, p, &cfg, &l->perf, &l->traffic, l->cycles, bd->energy_pj);
        for (int c = 0; c < DSE_NCOMPS; c++) after += bd->energy_pj[c];
        l->energy_pj = after - before;
        cycles += l->cycles;
        compute += l->perf.cycles;
        dense += l->dense_cycles;
        macs += l->perf.macs;
        eff += l->perf.eff_macs;
        dram += dse_traffic_bits(&l->traffic, DSE_ST_DRAM) / 8;
        sram += dse_traffic_bits(&l->traffic, DSE_ST_SRAM) / 8;
    }
    free(pf);
    if (!layers) free(le);
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
    v[DSE_M_compute_cycles] = compute;
    v[DSE_M_dram_bytes] = dram;
    v[DSE_M_sram_bytes] = sram;
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
