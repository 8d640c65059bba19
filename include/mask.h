/* mask.h -- binary nonzero masks: generation from sparsity sources and .npy files. */
#ifndef DSE_MASK_H
#define DSE_MASK_H

#include <stdint.h>
#include "rng.h"
#include "util.h"
#include "workload.h"

/* A dense 0/1 mask. Weights are stored (M, C, K2, K3) as in Bit-Tactical
 * (OIHW; an fc layer is K2 = K3 = 1); activations (N, C, H, W) with N = 1
 * for a (C, H, W) file. d[0..3] are the four extents, bits has their product. */
typedef struct dse_mask {
    int d[4];
    uint8_t *bits;       /* owned; 1 = nonzero */
    double density;      /* fraction of ones */
    uint64_t hash;       /* dse_fnv1a of the file's bytes (0 when made in memory) */
    size_t bytes;        /* the file's size */
} dse_mask;

/* Read a .npy file (any numeric dtype incl. bool, little or big endian,
 * C or Fortran order; nonzero = 1). is_weight selects the accepted ranks:
 * weights (M,C,K2,K3) or (M,C); activations (C,H,W) or (N,C,H,W).
 * Returns DSE_OK or DSE_EINPUT/DSE_EIO with "path: error: ..." in e. */
int dse_mask_load_npy(dse_mask *m, const char *path, int is_weight, dse_err *e);
/* Write m as a |u1 .npy file (tests and examples). */
int dse_mask_save_npy(const dse_mask *m, const char *path, dse_err *e);
void dse_mask_free(dse_mask *m);
/* Allocate an all-zero mask of the given extents. */
void dse_mask_alloc(dse_mask *m, int d0, int d1, int d2, int d3);

/* Draw the density of one unit from a Beta distribution with the given
 * mean and standard deviation (sd 0 or mean 1: mean itself; an sd beyond
 * the widest Beta of that mean, sqrt(mean (1 - mean)), is clamped to it). */
double dse_mask_beta_density(dse_rng *r, double mean, double sd);
/* Generate n bits of one unit's reduction (in its lane/step order) from a
 * synthetic source (docs/perf.md): bernoulli at `density` (or at
 * pos_density[i] for position i when pos_density is non-NULL), nm (exactly
 * sp->n ones in every chunk of sp->m positions; a short last chunk keeps
 * the ratio, rounded), beta (bernoulli at `density`, the unit's own draw),
 * cluster (two-state chain: zero runs of mean sp->run, stationary density
 * `density`; a run too short for the density is clamped). npy is not
 * synthetic: dst is left as is. Uses only r, so it is deterministic per key. */
void dse_mask_gen(uint8_t *dst, int n, const dse_sparsity *sp, double density,
                  const double *pos_density, dse_rng *r);

#endif
