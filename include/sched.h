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
/* Number of entries dse_sched_window writes for w when max is large enough:
 * the shape's entries plus 2 * unit * max(H, 1) unit-lookaside entries. */
int dse_sched_window_size(const dse_window *w);

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
/* Static schedule with the shared advance and a bounded activation window
 * of rows b..b+depth (b: the row of the slowest filter; depth below the
 * window's deepest entry is raised to it). DSE_ADVANCE_SHARED in
 * dse_sched_static means an unbounded depth. DSE_EINPUT for unit > 0. */
int dse_sched_shared(const dse_tile *w, const dse_window *win, long depth, dse_sched_stats *st);
/* Best offline schedule: the better of the Bit-Tactical greedy and a
 * first-fit greedy that makes the online arbitration's choices offline, so
 * it is never slower than dse_sched_online on the same tile and window
 * (the Bit-Tactical greedy alone can be). Ties keep Bit-Tactical's stats. */
int dse_sched_offline(const dse_tile *w, const dse_window *win, dse_advance adv, dse_sched_stats *st);
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
/* dse_sched_tcl with the generalisations: unit lookaside (filters of a set
 * reachable, 0 = none) and the advance policy. unit = 0 with
 * DSE_ADVANCE_LOCKSTEP is exactly dse_sched_tcl. */
int dse_sched_tcl_ext(const dse_mask *w, const dse_tcl_opts *o, int unit, dse_advance adv,
                      dse_tcl_result *r, dse_err *e);
/* Online scheduling of a whole activation mask (N,C,H,W) lowered 1x1:
 * unit = pixel, step = channel block of `lanes`; groups of `rows` pixels in
 * lock-step; `tiles` groups side by side. r->nsets = groups. Returns DSE_OK
 * or DSE_EINPUT in e. */
int dse_sched_online_mask(const dse_mask *a, const dse_window *win, int lanes, int rows, int tiles,
                          dse_tcl_result *r, dse_err *e);
/* Dual scheduling of a convolution (stride 1, no padding) of weights
 * (M,C,K2,K3) over activations (N,C,H,W): tiles of `filters_per_set`
 * filters x `rows` output pixels, Bit-Tactical's step layout, each tile one
 * dse_sched_dual call; r->nsets = tiles (set-major). Returns DSE_OK or
 * DSE_EINPUT in e (e.g. channel mismatch). */
int dse_sched_dual_mask(const dse_mask *w, const dse_mask *a, const dse_config *cfg, int lanes,
                        int filters_per_set, int rows, int tiles, dse_tcl_result *r, dse_err *e);

#endif
