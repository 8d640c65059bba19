/* space.h -- design spaces: parameter values, constraints, workloads, technology, sampling, objectives. */
#ifndef DSE_SPACE_H
#define DSE_SPACE_H

#include <stdint.h>
#include "params.h"
#include "workload.h"
#include "util.h"

#define DSE_MAX_WORKLOADS 32
#define DSE_MAX_OBJECTIVES 8
#define DSE_MAX_CONSTRAINTS 32
#define DSE_MAX_PRESETS 64

typedef enum { DSE_FID_CLOSED, DSE_FID_SAMPLED, DSE_FID_FULL, DSE_NFIDS } dse_fidelity;
extern const char *const dse_fidelity_names[DSE_NFIDS]; /* closed-form sampled full */
typedef enum { DSE_SCOPE_NETWORK, DSE_SCOPE_LAYER, DSE_NSCOPES } dse_scope;
extern const char *const dse_scope_names[DSE_NSCOPES];  /* network layer */

/* Values one parameter takes: nvalues >= 1. */
typedef struct dse_axis {
    int nvalues;
    double *values;      /* owned; in file order (ranges expanded) */
} dse_axis;

/* lo <= quantity <= hi; quantity is a derived quantity or a parameter. */
typedef struct dse_constraint {
    int is_param;        /* 1: index is a parameter, 0: a derived quantity */
    int index;
    double lo, hi;       /* -inf / +inf when absent */
} dse_constraint;

typedef struct dse_objective {
    int metric;          /* DSE_M_* */
    int maximize;        /* 1 maximise, 0 minimise */
} dse_objective;

/* A named fixed design listed in the space (presets); evaluated like a
 * point and stored with its name. Parameters not given take the space's
 * first value of each axis. */
typedef struct dse_preset {
    char name[64];
    dse_point point;
} dse_preset;

typedef struct dse_space {
    char path[512];
    char name[64];
    char *text;          /* the file's bytes, owned (stored with each run) */
    uint64_t hash;       /* dse_fnv1a of text */
    dse_axis axes[DSE_NPARAMS];      /* every parameter; default value when not given */
    int nconstraints;
    dse_constraint constraints[DSE_MAX_CONSTRAINTS];
    int nworkloads;
    dse_network workloads[DSE_MAX_WORKLOADS];    /* loaded */
    char tech_path[512]; /* resolved technology file */
    char *tech_text;     /* its bytes, owned (stored with each run) */
    uint64_t tech_hash;  /* dse_fnv1a of tech_text */
    uint64_t seed;       /* default seed (CLI --seed overrides) */
    dse_fidelity fidelity;
    double precision;    /* sampled: target relative half-width of the 95% CI */
    dse_scope scope;     /* sampled: the precision is of the network total or of each layer */
    int min_tiles, max_tiles;   /* sampled: tiles per layer, at least / at most */
    int mapobj;          /* the mapper's objective (dse_mapobj: energy, edp) */
    int nobjectives;
    dse_objective objectives[DSE_MAX_OBJECTIVES];
    int npresets;
    dse_preset presets[DSE_MAX_PRESETS];
    uint64_t ncombos;    /* product of axis sizes (before constraints) */
} dse_space;

/* Parse a space file and load the workloads it names (paths relative to
 * the space file). Checks the technology file exists (the cost model loads
 * it). On error fills e ("file:line:col: error: ...") and frees what it
 * allocated. */
int dse_space_load(dse_space *s, const char *path, dse_err *e);
void dse_space_free(dse_space *s);

/* One file a run depends on besides its space file. */
typedef struct dse_input {
    const char *kind;    /* "technology", "workload" or "mask" */
    const char *path;    /* as resolved when loaded (relative to the working directory or absolute) */
    uint64_t hash;       /* dse_fnv1a of its bytes */
    size_t bytes;        /* its size */
    const char *text;    /* its text; NULL for a mask (only its hash is kept) */
} dse_input;

/* The inputs of s in a fixed order: the technology file, then every
 * workload followed by the masks its layers read (each path once).
 * *in is malloc'ed (caller frees; the strings are s's); returns the count. */
int dse_space_inputs(const dse_space *s, dse_input **in);

/* Number of point indices: ncombos grid combinations, then the presets. */
uint64_t dse_space_npoints(const dse_space *s);
/* Point i: for i < ncombos the mixed-radix decode of the grid (the first
 * parameter in DSE_PARAMS order varies slowest); for i >= ncombos preset
 * i - ncombos. Returns the preset's name, or NULL for a grid point. */
const char *dse_space_point(const dse_space *s, uint64_t i, dse_point *p);
/* 1 if p satisfies every constraint (and the built-in validity rules: a
 * hybrid's per-mode windows fit what it owns; every layer of every workload
 * has a mapping whose tiles fit p's SRAMs), else 0; why (may be NULL)
 * receives the first violated rule. */
int dse_space_feasible(const dse_space *s, const dse_point *p, char *why, size_t n);

#endif
