/* mapping.h -- a layer as a 7-D loop problem (Timeloop's N K C P Q R S) and its mapping onto the core's levels. */
#ifndef DSE_MAPPING_H
#define DSE_MAPPING_H

#include <stddef.h>
#include "params.h"
#include "workload.h"
#include "util.h"

/* Problem dimensions, Timeloop's names: N batch, K output channels, C input
 * channels, P output width (paired with R and the stride), Q output height
 * (paired with S), R kernel width, S kernel height. */
typedef enum { DSE_DIM_N, DSE_DIM_K, DSE_DIM_C, DSE_DIM_P, DSE_DIM_Q, DSE_DIM_R, DSE_DIM_S, DSE_NDIMS } dse_dim;
extern const char dse_dim_letters[DSE_NDIMS + 1];   /* "NKCPQRS" */

/* Levels of a mapping, innermost first: lanes (spatial inside a DPU, reduced
 * by its adder tree), acc (temporal at the accumulator), cols and rows
 * (spatial across the DPU array), sram (temporal inside the SRAM-resident
 * tile), dram (temporal over SRAM tiles). */
typedef enum { DSE_LV_LANES, DSE_LV_ACC, DSE_LV_COLS, DSE_LV_ROWS, DSE_LV_SRAM, DSE_LV_DRAM, DSE_NLEVELS } dse_level;
extern const char *const dse_level_names[DSE_NLEVELS]; /* lanes acc cols rows sram dram */
/* 1 for the temporal levels (acc, sram, dram), 0 for the spatial ones. */
int dse_level_temporal(dse_level l);

/* Tensors: weights, input activations, outputs. */
typedef enum { DSE_TW, DSE_TI, DSE_TO, DSE_NTENSORS } dse_tensor;
extern const char dse_tensor_letters[DSE_NTENSORS + 1]; /* "WIO" */

/* A layer (one group of it) in loop form. A depthwise problem has no K:
 * C indexes weights, inputs and outputs, and only R and S are reduced. */
typedef struct dse_problem {
    long ext[DSE_NDIMS];   /* extents (depthwise: ext[K] = 1) */
    int stride;            /* of P and Q */
    int depthwise;
} dse_problem;

/* Loop factors per level and the loop order of each temporal level. */
typedef struct dse_mapping {
    long f[DSE_NLEVELS][DSE_NDIMS];                /* factor of each dimension (1: no loop) */
    unsigned char order[DSE_NLEVELS][DSE_NDIMS];   /* temporal levels: a permutation, innermost first */
} dse_mapping;

/* 1 if dimension d indexes tensor t of pb (inputs: N, C and P, Q, R, S
 * through the sliding window). */
int dse_problem_indexes(const dse_problem *pb, dse_tensor t, dse_dim d);
/* 1 if d is a reduction dimension of pb (C R S; depthwise R S). */
int dse_problem_reduces(const dse_problem *pb, dse_dim d);
/* Number of elements of tensor t (inputs: N C ((P-1)stride+R) ((Q-1)stride+S),
 * no padding) and dense MACs. */
double dse_problem_size(const dse_problem *pb, dse_tensor t);
double dse_problem_macs(const dse_problem *pb);

/* One group of layer L as a problem (batch, hout, wout, stride; Timeloop's
 * R is the kernel width L->S, its S the kernel height L->R). Depthwise
 * layers (groups = Cin = K) are groups of a C = K = 1 problem, the way the
 * performance model runs them. */
void dse_problem_of_layer(const dse_layer *L, dse_problem *pb);

/* Every factor 1, every temporal order the canonical C R S K P Q N. */
void dse_mapping_init(dse_mapping *m);
/* Product over levels of the factors of d. */
long dse_mapping_extent(const dse_mapping *m, dse_dim d);

/* Check m against pb and a core of rows x cols DPUs of lanes multipliers:
 * factors >= 1; each dimension's factors multiply to its extent (exact),
 * or to at least it (exact = 0: padding, the mapper's ceil effects); the
 * spatial levels fit lanes, cols and rows; lanes and acc hold only
 * reduction dimensions (a DPU reduces into one output word), cols and
 * rows only dimensions that are not reduced (no reduction across DPUs);
 * orders are permutations. Returns 1 when valid, else 0 with why filled. */
int dse_mapping_valid(const dse_problem *pb, const dse_mapping *m, int lanes, int cols, int rows,
                      int exact, char *why, size_t n);

/* Text of m, e.g. "lanes C16 | acc C4 R3 S3 | cols K4 | rows Q4 | sram K8 P28 Q2 |
 * dram Q7 P2 K2": each temporal level's loops innermost first, factors of
 * 1 left out, "-" for a level without loops. Returns buf. */
const char *dse_mapping_format(const dse_mapping *m, char *buf, size_t n);

/* How a tensor is stored at the SRAM and DRAM levels (rule 6): a count of
 * alg dense words moves alg - floor(alg (1 - rho)) data words and
 * meta_coord * alg + meta_word * (data words) metadata bits. */
typedef struct dse_enc {
    double rho;         /* stored share of the words (1: uncompressed) */
    double nnz, n;      /* uniform model: rho = nnz / n exactly (integral counts are then rounded
                           exactly); 0 otherwise */
    double meta_coord;  /* metadata bits per dense coordinate (bitmap: 1) */
    double meta_word;   /* metadata bits per stored word (rle, cp: one word; a weight schedule: its selects) */
} dse_enc;

/* A mapping file (docs/memory.md): one layer, a core, a mapping and the
 * optional sparsity of W and I. */
typedef struct dse_mapfile {
    char path[512];
    dse_problem pb;
    dse_point core;          /* rows cols lanes bits acc_bits clock_mhz *sram_kib dram dram_channels; defaults elsewhere */
    dse_mapping map;
    double density[2];       /* W, I (1 when not given) */
    dse_format format[2];
    int fixed;               /* density model: 0 uniform, 1 fixed */
    int gate;                /* action at the multipliers: 0 skip, 1 gate */
    char tech[512];          /* technology file (resolved), "" when not given */
    double rho[2];           /* nonzero share of W and I under the density model */
    dse_enc enc[2];          /* their encodings at the SRAM and DRAM levels */
} dse_mapfile;

/* Load a mapping file. Factors must multiply to the layer's extents and
 * fit the core, and every SRAM tile (compressed where a format is given)
 * must fit its SRAM; errors are "file:line:col: error: ..." (DSE_EINPUT)
 * or DSE_EIO. */
int dse_mapfile_load(dse_mapfile *f, const char *path, dse_err *e);

#endif
