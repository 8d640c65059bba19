/* workload.h -- networks as lists of GEMM-lowered layers with per-tensor sparsity sources. */
#ifndef DSE_WORKLOAD_H
#define DSE_WORKLOAD_H

#include <stdint.h>
#include "util.h"

/* How zeros are distributed in a tensor (docs/workloads.md). */
typedef enum {
    DSE_DIST_BERNOULLI,  /* every element nonzero with probability density */
    DSE_DIST_NM,         /* exactly n nonzeros in every m consecutive reduction elements */
    DSE_DIST_BETA,       /* per-filter (weights) / per-channel (activations) density ~ Beta(mean=density, sd=spread) */
    DSE_DIST_CLUSTER,    /* zeros in runs along the reduction, mean run length `run` */
    DSE_DIST_NPY,        /* a real mask read from a .npy file */
    DSE_NDISTS
} dse_dist;

extern const char *const dse_dist_names[DSE_NDISTS]; /* bernoulli nm beta cluster npy */

typedef struct dse_sparsity {
    dse_dist dist;
    double density;      /* mean fraction of nonzeros, in (0, 1]; for nm: n/m; for npy: measured */
    int n, m;            /* nm only */
    double spread;       /* beta only: standard deviation of the per-filter/channel density */
    double run;          /* cluster only: mean zero-run length along the reduction (>= 1) */
    char path[512];      /* npy only: mask file, resolved relative to the workload file */
    char source[256];    /* citation of the density figure (required) */
    struct dse_mask *mask; /* npy only: loaded with the network, owned by it */
} dse_sparsity;

/* One layer lowered to O[p][k] = sum_c A[p][c] W[k][c] with c = (Cin/groups)*R*S
 * per group. A convolution: P = batch*Hout*Wout, K = Cout, R x S kernel.
 * A fully connected layer: P = batch, R = S = 1. A GEMM: P = m, K = n, Cin = k. */
typedef struct dse_layer {
    char name[64];
    int P;           /* output pixels / tokens per inference (batch included) */
    int K;           /* output channels (all groups) */
    int Cin;         /* input channels (all groups) */
    int R, S;        /* kernel height and width (1 for fc / gemm) */
    int groups;      /* 1 normal, Cin for depthwise */
    int batch, hout, wout; /* P = batch * hout * wout (fc: hout = wout = 1; gemm: hout = 1, wout = m) */
    int stride;      /* of the sliding window (conv; 1 otherwise): input extent (wout - 1) * stride + S */
    int repeat;      /* identical copies of this layer in the network */
    dse_sparsity w;  /* weight sparsity, used in weight and dual modes */
    dse_sparsity a;  /* input-activation sparsity, used in act and dual modes */
} dse_layer;

typedef struct dse_network {
    char name[64];
    char path[512];     /* file it was read from */
    char *text;         /* the file's bytes, owned (stored with each run) */
    uint64_t hash;      /* dse_fnv1a of text */
    char source[256];   /* citation of the layer shapes */
    int batch;
    int nlayers;
    dse_layer *layers;  /* owned */
} dse_network;

/* Bounds on a layer's products (the loader rejects a layer beyond them, so
 * that every count the model forms fits its integers and stays exact in a
 * double): the reduction of one output (Cin/groups)*R*S, and the MACs of
 * the layer with its repeats. P = batch*hout*wout must fit an int. */
#define DSE_MAX_REDUCTION (1L << 24)
#define DSE_MAX_LAYER_MACS 1.125899906842624e15   /* 2^50 */

/* Dense MACs of one copy of a layer: P * K * (Cin/groups) * R * S. */
double dse_layer_macs(const dse_layer *L);
/* Dense MACs of the whole network (repeats included). */
double dse_network_macs(const dse_network *n);

/* Parse a workload YAML file (docs/workloads.md) into *n. On error fills e
 * with "file:line:col: error: ..." and leaves *n empty. Caller frees with
 * dse_network_free. */
int dse_network_load(dse_network *n, const char *path, dse_err *e);
void dse_network_free(dse_network *n);

#endif
