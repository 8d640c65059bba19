/* mapper.h -- the mapping of least energy (or EDP) of a layer on a core, searched over the core's mapping space and cached. */
#ifndef DSE_MAPPER_H
#define DSE_MAPPER_H

#include <stddef.h>
#include <stdint.h>
#include "cost.h"
#include "mapping.h"
#include "traffic.h"

/* What the mapper minimises: the data-movement energy of a mapping
 * (dse_cost_movement without the multipliers, which every mapping shares),
 * or that energy times the layer's cycles (max of compute and DRAM). */
typedef enum { DSE_MAPOBJ_ENERGY, DSE_MAPOBJ_EDP, DSE_NMAPOBJS } dse_mapobj;
extern const char *const dse_mapobj_names[DSE_NMAPOBJS]; /* energy edp */

typedef struct dse_mapper_result {
    dse_mapping map;
    dse_traffic dense;   /* dense counts of the problem on map */
    double objective;    /* pJ, or pJ x cycles */
    double evaluated;    /* mappings whose counts the search computed */
} dse_mapper_result;

/* SRAM capacities of design p in bits, for W (the weight SRAM also holds
 * each weight's selects: its bits / (bits + select bits) share), I and O. */
void dse_mapper_capacity(const dse_point *p, double cap[DSE_NTENSORS]);

/* The best mapping of problem pb (not depthwise: the model runs depthwise
 * layers as groups of C = K = 1 problems) on design p, priced by c, among
 * the space of docs/memory.md ("The mapper"): C across the lanes, K across
 * the columns, the pixel dimensions N Q P across the rows (the splits with
 * the fewest pixel tiles), R S and C in the accumulator unless C is split
 * at DRAM, every divisor tiling of the temporal extents between SRAM and
 * DRAM whose tiles fit, every DRAM loop order. Ties keep the first found.
 * Returns DSE_OK, or DSE_EINPUT when no mapping fits the SRAMs. Pure. */
int dse_mapper_search(const dse_cost *c, const dse_point *p, const dse_problem *pb, dse_mapobj obj,
                      dse_mapper_result *r, dse_err *e);

/* 1 if some mapping of pb fits p's SRAMs (its smallest tiles do), else 0
 * with why naming the tile that does not fit. */
int dse_mapper_fits(const dse_point *p, const dse_problem *pb, char *why, size_t n);

/* A thread-safe cache of searches keyed by everything they depend on (the
 * problem, geometry, precision, SRAM sizes, select bits, DRAM, objective);
 * one cache serves one cost model. */
typedef struct dse_map_cache dse_map_cache;
dse_map_cache *dse_map_cache_new(void);
void dse_map_cache_free(dse_map_cache *mc);
void dse_map_cache_stats(const dse_map_cache *mc, uint64_t *lookups, uint64_t *hits);
/* dse_mapper_search through cache mc (NULL: search every time). */
int dse_mapper_get(dse_map_cache *mc, const dse_cost *c, const dse_point *p, const dse_problem *pb,
                   dse_mapobj obj, dse_mapper_result *r, dse_err *e);

#endif
