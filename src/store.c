/* store.c -- tensor storage of a layer in a mode: weight schedules, compressed formats, codecs, capacity shares. */
#include "store.h"

#include <string.h>

#include "cost.h"

void dse_store_of(const dse_point *p, const dse_config *cfg, const dse_layer *L, const dse_problem *pb,
                  const dse_perf *perf, double out_density, dse_storage *s)
{
    memset(s, 0, sizeof *s);
    double dw = cfg->wsparse ? L->w.density : 1, da = cfg->asparse ? L->a.density : 1;
    if (p->w_format != DSE_FMT_NONE) {
        dse_enc_of(p->w_format, dw, dw, dse_problem_size(pb, DSE_TW), p->bits, &s->w);
        s->wdec = 1;
    } else
        dse_cost_weight_storage(p, cfg, L, perf, &s->w);
    dse_enc_of(p->a_format, da, da, dse_problem_size(pb, DSE_TI), p->bits, &s->i);
    dse_enc_of(p->a_format, out_density, out_density, dse_problem_size(pb, DSE_TO), p->bits, &s->o);
    s->idec = s->oenc = p->a_format != DSE_FMT_NONE;
}

void dse_store_apply(const dse_storage *s, double outputs, dse_traffic *t)
{
    if (s->wdec) t->decoded += t->words[DSE_ST_SRAM][DSE_TW][DSE_A_READ];
    if (s->idec) t->decoded += t->words[DSE_ST_SRAM][DSE_TI][DSE_A_READ];
    dse_traffic_encode(t, DSE_TW, &s->w);
    dse_traffic_encode(t, DSE_TI, &s->i);
    if (!s->oenc) return;
    int bits = t->width[DSE_ST_SRAM][DSE_TW];
    for (int lv = DSE_ST_SRAM; lv <= DSE_ST_DRAM; lv++)
        if (t->width[lv][DSE_TO] == bits) dse_traffic_encode_level(t, (dse_store)lv, DSE_TO, &s->o);
    t->encoded += outputs;
}

double dse_store_data_share(dse_format f, int bits)
{
    switch (f) {
    case DSE_FMT_BITMAP: return (double)bits / (bits + 1);
    case DSE_FMT_RLE:
    case DSE_FMT_CP: return 0.5;
    default: return 1;
    }
}
