/* pareto.h -- Pareto fronts of points under k >= 2 objectives, each maximised or minimised. */
#ifndef DSE_PARETO_H
#define DSE_PARETO_H

#include <stddef.h>
#include <stdint.h>
#include "space.h"

/* Front of n points with k objective values each (vals: n rows of k,
 * row-major), objective j maximised when obj[j].maximize (obj[j].metric is
 * not used here). Policies: a row with a NaN or infinite value never
 * enters; of rows equal in every objective only the lowest idx[] enters.
 * Writes the row numbers (0..n-1) of the front into out (room for n) and
 * returns their count. Order: best first by objective 0, then 1, ..., then
 * lowest idx. Two objectives: sort and sweep, O(n log n); more: sort-
 * filter-skyline. Requires 2 <= k <= DSE_MAX_OBJECTIVES (returns 0 otherwise). */
size_t dse_pareto_front(const double *vals, const uint64_t *idx, size_t n,
                        const dse_objective *obj, int k, size_t *out);

/* Parse "max:tops_per_w,min:area_mm2" into obj (room for DSE_MAX_OBJECTIVES);
 * *k gets the count. Returns DSE_OK, or DSE_EINPUT with a message (no
 * location) when a term is malformed, names no metric, repeats a metric,
 * or there are fewer than 2 or more than DSE_MAX_OBJECTIVES terms. */
int dse_pareto_parse(const char *text, dse_objective *obj, int *k, dse_err *e);
/* Canonical text of an objective list, as stored in the database. */
void dse_pareto_format(const dse_objective *obj, int k, char *buf, size_t n);

#endif
