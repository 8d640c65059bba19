/* mode.h -- what a design runs in each of the four modes, including Griffin-style hybrid reuse. */
#ifndef DSE_MODE_H
#define DSE_MODE_H

#include "params.h"
#include "perf.h"
#include "util.h"

/* Fill cfg with the logical borrowing configuration design p runs in mode:
 * which tensors are sparse, and the weight/activation windows it uses (a
 * hybrid may lend one side's multiplexer inputs and buffers to the other).
 * Returns DSE_OK, or DSE_EINPUT when p's per-mode windows do not fit what
 * it owns (message names the resource). */
int dse_mode_config(const dse_point *p, dse_mode mode, dse_config *cfg, dse_err *e);

/* 1 if every mode of p has a valid configuration, else 0 with why filled. */
int dse_mode_valid(const dse_point *p, char *why, size_t n);

#endif
