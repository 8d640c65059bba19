/* store.h -- how a design stores each tensor of a layer in a mode: the weight schedule, compressed formats, their codecs and capacity. */
#ifndef DSE_STORE_H
#define DSE_STORE_H

#include "mapping.h"
#include "params.h"
#include "perf.h"
#include "traffic.h"
#include "workload.h"

/* The encodings of one layer's tensors at the SRAM and DRAM levels
 * (docs/memory.md, "Storage formats"). */
typedef struct dse_storage {
    dse_enc w;        /* weights: the borrowing schedule (compacted rows and selects), w_format, or dense */
    dse_enc i;        /* input activations: a_format at the layer's activation density */
    dse_enc o;        /* final outputs: a_format at the density of the activations they become */
    int wdec, idec;   /* 1: reads of W / I from the SRAM pass a format decoder */
    int oenc;         /* 1: final outputs pass an encoder as they are written */
} dse_storage;

/* Storage of layer L on design p running cfg: weights as the mode stores
 * them (a weight window's schedule from perf; else w_format at the
 * weights' density, 1 when the mode treats them as dense), inputs in
 * a_format at the activation density (1 when dense), final outputs in
 * a_format at out_density. The uniform density model rounds each tensor's
 * nonzeros to a whole number (dse_enc_of). */
void dse_store_of(const dse_point *p, const dse_config *cfg, const dse_layer *L, const dse_problem *pb,
                  const dse_perf *perf, double out_density, dse_storage *s);

/* Encode the counts of t (one group of the layer, or all: any scale) as
 * s stores them: W and I at the SRAM and DRAM levels, O at the levels
 * whose words are final outputs (bits wide; partial sums stay dense);
 * t->decoded gains the dense SRAM reads of each decoded tensor and
 * t->encoded the `outputs` final output words when they are encoded. */
void dse_store_apply(const dse_storage *s, double outputs, dse_traffic *t);

/* Share of an SRAM's bits that hold data when its tensor is stored in
 * format f with words of `bits`, for a tile at worst case (every element
 * nonzero): bitmap bits / (bits + 1), rle and cp 1/2 (a metadata word per
 * element), none 1. */
double dse_store_data_share(dse_format f, int bits);

#endif
