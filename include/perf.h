/* perf.h -- cycles and activity of one layer on one design in one mode (closed form, sampled tiles, full layer). */
#ifndef DSE_PERF_H
#define DSE_PERF_H

#include <stdint.h>
#include "params.h"
#include "space.h"
#include "workload.h"
#include "util.h"

/* One operand side's logical borrowing window (what a mode runs). A side
 * with lookahead = lookaside = unit = 0 does not borrow. */
typedef struct dse_window {
    int lookahead;   /* H: future steps */
    int lookaside;   /* D: lane offsets */
    int unit;        /* neighbouring DPUs reachable */
    dse_shape shape;
} dse_window;

/* What a design runs in one mode: produced by dse_model_config(). */
typedef struct dse_config {
    int wsparse, asparse;  /* which tensors are sparse in this mode */
    dse_window w;          /* static weight-side window (mux on activations) */
    dse_window a;          /* online activation-side window (mux on weights) */
    dse_dualorg org;       /* how both windows combine when both borrow */
    int rows_per_cycle;    /* operand rows (steps) the SRAMs deliver per cycle; 0: unbounded */
} dse_config;

/* Sampling settings and the shared tile cache. */
typedef struct dse_perf_cache dse_perf_cache;
typedef struct dse_perf_opts {
    dse_fidelity fidelity;
    uint64_t seed;
    double precision;      /* target relative half-width of the 95% CI */
    int min_tiles, max_tiles;
    dse_perf_cache *cache; /* may be NULL; thread-safe */
    dse_scope scope;       /* sampled: where the precision applies (network: default) */
    struct dse_map_cache *maps; /* the memory model's mapper cache (model.c); may be NULL */
    int mapobj;            /* the mapper's objective (dse_mapobj) */
} dse_perf_opts;

/* The sampled and full fidelities schedule tiles of (rows or cols) units x
 * steps x lanes bytes; a layer whose tiles would take more is an input
 * error (its reduction is too long for the schedulers; the closed form
 * still evaluates it). */
#define DSE_PERF_MAX_TILE_BYTES (double)(1L << 30)

/* Cycle count and activity of one layer (all its repeats). */
typedef struct dse_perf {
    double cycles;         /* expected compute cycles */
    double cycles_lo, cycles_hi; /* 95% CI (both = cycles when exact) */
    double dense_cycles;   /* same geometry, no borrowing, no skipping */
    double macs;           /* dense MACs */
    double eff_macs;       /* multiplies with both operands nonzero */
    double w_borrowed;     /* operations whose weight came from a non-home slot (activation mux select != home) */
    double a_borrowed;     /* operations whose activation came from a non-home slot (weight mux select != home) */
    double unit_borrowed;  /* operations whose product went to another DPU's adder tree */
    double sram_cycles;    /* the SRAM bandwidth bound: every tile streams its steps at rows_per_cycle (0: unbounded) */
    double tiles, population; /* tiles scheduled for this estimate / in the layer (one repeat; 0 when not scheduled) */
} dse_perf;

/* Thread-safe cache of sampled tile estimates keyed by (scheduler config,
 * geometry, sparsity source, seed). */
dse_perf_cache *dse_perf_cache_new(void);
void dse_perf_cache_free(dse_perf_cache *c);
/* Lookups and hits so far. */
void dse_perf_cache_stats(const dse_perf_cache *c, uint64_t *lookups, uint64_t *hits);

/* Evaluate layer L on design p running configuration cfg (sampled: the
 * precision applies to this layer, whatever o->scope says). Pure apart from
 * the cache (whose entries are pure functions of their key), so results do
 * not depend on thread count. Returns DSE_OK, or an error (e.g. an npy mask
 * that cannot be read) in e. */
int dse_perf_layer(const dse_point *p, const dse_config *cfg, const dse_layer *L,
                   const dse_perf_opts *o, dse_perf *out, dse_err *e);

/* Evaluate every layer of network n (out[i] for layer i, n->nlayers
 * entries) and the 95% CI half-width of the network's total cycles in
 * *half. Sampled with scope network: the layers are strata of one sample
 * sized for the network total (a layer's own interval may be wider than
 * the precision); otherwise each layer as dse_perf_layer (whose sampled
 * precision is per layer) and the half-widths combine in quadrature.
 * Returns DSE_OK or an error in e. */
int dse_perf_network(const dse_point *p, const dse_config *cfg, const dse_network *n,
                     const dse_perf_opts *o, dse_perf *out, double *half, dse_err *e);

#endif
