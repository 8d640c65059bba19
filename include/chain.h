/* chain.h -- the closed-form performance model: mean-field lock-step chains (docs/perf.md section 5). */
#ifndef DSE_CHAIN_H
#define DSE_CHAIN_H

#include "perf.h"
#include "workload.h"

#define DSE_CHAIN_TYPES 8    /* Beta quantile types of a per-unit density */
#define DSE_CHAIN_CTYPES 4   /* types of the cascaded online stage (cost linear in it) */

/* Closed-form speedup (>= 1) of a lock-step group of F units over window w:
 * rows of `lanes` slots of which cg real lanes per channel block (nblk
 * blocks per kernel position), T steps, densities from sp (ntypes > 0:
 * that many Beta quantile types across units) or the fixed density d when
 * sp is NULL; densities are min(1, d * scale) * post. online: 0 = the
 * static (Bit-Tactical) scheduler, 1 = the online one, 2 = online in
 * activation-only mode (sliding pool). Pure; memoised per thread, so the
 * same arguments always give the same bits. */
double dse_chain_speedup(const dse_window *w, int F, int lanes, int cg, int nblk, long T, double d,
                         const dse_sparsity *sp, int ntypes, double scale, double post, int online);

/* Bytes a closed-form chain allocates for its state (0: it fits the
 * stack) with the given lookahead, a pool of `pool` slots (lanes x (unit
 * + 1); wider pools are split first) and `types` density types. At the
 * parameter extremes (16, 256 x 17, DSE_CHAIN_TYPES) it is at most
 * DSE_CHAIN_MAX_STATE_BYTES, the bound docs/cli.md states. */
size_t dse_chain_state_bytes(int lookahead, int pool, int types);
#define DSE_CHAIN_MAX_STATE_BYTES (10u << 20)

/* Density types of a source: nt (1..DSE_CHAIN_TYPES) quantile nodes of the
 * Beta law of a per-unit density (dist beta), else (nt = 0 or another
 * source) one type at the mean. Fills dens[] and wts[]; returns the count. */
int dse_chain_density_types(const dse_sparsity *sp, int nt, double *dens, double *wts);

#endif
