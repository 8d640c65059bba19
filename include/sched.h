/* sched.h -- borrowing schedulers on 0/1 tiles: static (offline, Bit-Tactical greedy), online (per-cycle fixed priority), dual; Bit-Tactical over whole tensors. */
#ifndef DSE_SCHED_H
#define DSE_SCHED_H

#include <stdint.h>
#include "mask.h"
#include "perf.h"
#include "util.h"

/* A group of units that advance together: units x steps x lanes of 0/1.
 * For weights a unit is a filter (a DPU column), for activations an output
 * pixel (a DPU row); a step is one lanes-wide reduction slice. */
typedef struct dse_tile {
    int units, steps, lanes;
    uint8_t *bits;           /* owned; bits[((size_t)u * steps + t) * lanes + l], 1 = nonzero */
} dse_tile;

void dse_tile_alloc(dse_tile *t, int units, int steps, int lanes); /* all zero */
void dse_tile_free(dse_tile *t);
#define DSE_TILE_AT(t, u, s, l) ((t)->bits[((size_t)(u) * (t)->steps + (s)) * (t)->lanes + (l)])

/* One window entry: take the value h steps ahead, lane offset o (wrapped
 * into 0..lanes-1), from the unit u away (0 = same unit). */
typedef struct dse_offset { int h, o, u; } dse_offset;

/* Window entries of w in priority order (docs/scheduler.md); returns how
 * many were written (at most max). */
int dse_sched_window(const dse_window *w, dse_offset *out, int max);

/* What a group does after static scheduling: lock-step with up to H empty
 * rows skipped (Bit-Tactical), or a shared window that advances as far as
 * the slowest unit allows. */
typedef enum { DSE_ADVANCE_LOCKSTEP, DSE_ADVANCE_SHARED } dse_advance;

typedef struct dse_sched_stats {
    long cycles;         /* cycles the group took */
    long steps;          /* dense cycles (steps of the tile) */
    long ops;            /* nonzero (effectual) operations executed */
    long borrowed;       /* operations executed away from their home slot */
    long unit_borrowed;  /* operations executed in another unit */
} dse_sched_stats;

/* Static weight scheduling of one set (tile not modified). */
int dse_sched_static(const dse_tile *w, const dse_window *win, dse_advance adv, dse_sched_stats *st);
/* Online activation scheduling of one lock-step group (tile not modified). */
int dse_sched_online(const dse_tile *a, const dse_window *win, dse_sched_stats *st);
/* Dual: weights w (cols units) and activations a (rows units) over the same
 * steps and lanes; an operation of DPU (row r, col c) at (t, l) is
 * effectual when both w and a are 1. The array advances in lock-step. */
int dse_sched_dual(const dse_tile *w, const dse_tile *a, const dse_config *cfg, dse_sched_stats *st);

/* Bit-Tactical over a whole weight tensor (BRIEF section 5). */
typedef struct dse_tcl_opts {
    dse_shape shape;
    int lookahead, lookaside;
    int lanes;            /* L, default 16 */
    int filters_per_set;  /* F, default 16 */
    int tiles;            /* N, default 1 */
} dse_tcl_opts;

typedef struct dse_tcl_result {
    long cycles, dense_cycles;
    int nsets;
    long *set_cycles;     /* owned, nsets entries */
} dse_tcl_result;

int dse_sched_tcl(const dse_mask *w, const dse_tcl_opts *o, dse_tcl_result *r, dse_err *e);
void dse_tcl_result_free(dse_tcl_result *r);

#endif
