/* traffic.h -- reads, fills and updates of every tensor at every level of a mapping (Timeloop's counting rules, Sparseloop's compressed tensors). */
#ifndef DSE_TRAFFIC_H
#define DSE_TRAFFIC_H

#include <stddef.h>
#include "mapping.h"

/* Storage levels: the DPU's accumulator (outputs only), the per-core SRAMs
 * (weight, activation and output SRAM: one tensor each), DRAM. */
typedef enum { DSE_ST_ACC, DSE_ST_SRAM, DSE_ST_DRAM, DSE_NSTORES } dse_store;
extern const char *const dse_store_names[DSE_NSTORES];  /* acc sram dram */
typedef enum { DSE_A_READ, DSE_A_FILL, DSE_A_UPDATE, DSE_NACTIONS } dse_action;
extern const char *const dse_action_names[DSE_NACTIONS]; /* reads fills updates */

/* Counts of one problem on one mapping; totals over all instances. */
typedef struct dse_traffic {
    double macs;        /* dense MACs of the problem */
    double computes;    /* computes that switch a multiplier */
    double cycles;      /* compute cycles: the product of the temporal factors; with skipping ceil(computes / used) */
    double used;        /* multipliers the mapping uses: the product of the spatial factors */
    double decoded;     /* words the format decoders expand (SRAM reads of a compressed tensor; dse_store_apply) */
    double encoded;     /* final output words the encoders compress as they are written */
    double words[DSE_NSTORES][DSE_NTENSORS][DSE_NACTIONS]; /* data words moved */
    double meta[DSE_NSTORES][DSE_NTENSORS][DSE_NACTIONS];  /* metadata bits moved */
    double tile[DSE_NSTORES][DSE_NTENSORS];  /* elements of a tensor's tile (acc: one DPU's); 0 where not held */
    int width[DSE_NSTORES][DSE_NTENSORS];    /* bits per data word: operands `bits`; outputs acc_bits in
                                                the accumulator and at each level above it whose child
                                                spills partial sums into it (V_child > |O|), else `bits` */
} dse_traffic;

/* Dense counts of pb on m (rules 1-5, docs/memory.md). Factors that
 * multiply to more than an extent pad it (the mapper's ceil effects):
 * counts are then those of the padded problem scaled by each tensor's
 * real / padded size, macs are the real ones. m must be valid for pb
 * (dse_mapping_valid). */
void dse_traffic_dense(const dse_problem *pb, const dse_mapping *m, int bits, int acc_bits, dse_traffic *t);

/* The share of nonzeros a density model gives a tensor of n elements at
 * density d (0 < d <= 1): ceil(d n) / n (uniform: a random tensor with
 * exactly that many nonzeros) or d (fixed: every tile that dense). */
double dse_density_rho(double d, int fixed, double n);
/* The encoding of a tensor in format f whose nonzero share is rho (the
 * fixed model), or, when n > 0, exactly ceil(d n) / n (the uniform model
 * at density d, kept as a ratio of integers so that integral counts round
 * exactly): bitmap 1 bit per coordinate, rle and cp one word of word_bits
 * per nonzero; none is uncompressed (rho 1, no metadata). */
void dse_enc_of(dse_format f, double rho, double d, double n, int word_bits, dse_enc *enc);

/* Apply encoding enc to tensor tn's SRAM and DRAM counts of t (rule 6),
 * or to its counts at level s only. */
void dse_traffic_encode(dse_traffic *t, dse_tensor tn, const dse_enc *enc);
void dse_traffic_encode_level(dse_traffic *t, dse_store s, dse_tensor tn, const dse_enc *enc);

/* Computes and cycles with operand densities rho[0] (W), rho[1] (I):
 * gate = 0 (skipping) removes the computes whose operand is zero among the
 * compressed operands (compressed[i]) and runs ceil(computes / used)
 * cycles; gate = 1 removes every compute with a zero operand and leaves
 * the cycles alone. */
void dse_traffic_computes(dse_traffic *t, const double rho[2], const int compressed[2], int gate);

/* Bits a tile of tensor tn takes at SRAM when stored with enc (data and
 * metadata); 0 when the level does not hold it. */
double dse_traffic_tile_bits(const dse_traffic *t, dse_tensor tn, const dse_enc *enc);

/* 1 if the SRAM tiles of t fit: tensor tn's tile stored with enc[tn]
 * (NULL: dense) takes at most cap_bits[tn]; else 0 with why naming the
 * tensor, its tile and the capacity. */
int dse_traffic_fits(const dse_traffic *t, const dse_enc *const enc[DSE_NTENSORS], const double cap_bits[DSE_NTENSORS],
                     char *why, size_t n);

/* Bits moved at storage level s, data and metadata, every action: of
 * tensor tn, and of every tensor. */
double dse_traffic_tensor_bits(const dse_traffic *t, dse_store s, dse_tensor tn);
double dse_traffic_bits(const dse_traffic *t, dse_store s);

/* Multiply every count (not widths or tiles) by k: repeats and groups. */
void dse_traffic_scale(dse_traffic *t, double k);

#endif
