/* bench_memory.c -- the memory model's speed: one mapping's counts, one mapper search, the mapper cache over a space. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cost.h"
#include "mapper.h"
#include "mode.h"
#include "space.h"

static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "spaces/paper.yaml";
    dse_space s;
    dse_err e = {0, ""};
    dse_tech *tech = NULL;
    dse_cost *cost = NULL;
    if (dse_space_load(&s, path, &e) || dse_tech_load(&tech, s.tech_path, &e) || dse_cost_new(&cost, tech, &e)) {
        fprintf(stderr, "bench_memory: %s\n", e.msg);
        return 1;
    }
    /* every layer of every workload on the space's first point: searched, then its mapping counted */
    dse_point p;
    dse_space_point(&s, 0, &p);
    int nl = 0;
    double tsearch = 0, tmax = 0, evaluated = 0, tcount = 0;
    const int reps = 2000;
    for (int w = 0; w < s.nworkloads; w++)
        for (int i = 0; i < s.workloads[w].nlayers; i++) {
            dse_problem pb;
            dse_mapper_result r;
            dse_problem_of_layer(&s.workloads[w].layers[i], &pb);
            double t0 = cpu();
            if (dse_mapper_search(cost, &p, &pb, (dse_mapobj)s.mapobj, &r, &e)) {
                fprintf(stderr, "bench_memory: %s\n", e.msg);
                return 1;
            }
            double dt = cpu() - t0;
            tsearch += dt;
            if (dt > tmax) tmax = dt;
            evaluated += r.evaluated;
            dse_traffic t;
            t0 = cpu();
            for (int k = 0; k < reps; k++) dse_traffic_dense(&pb, &r.map, p.bits, p.acc_bits, &t);
            tcount += cpu() - t0;
            nl++;
        }
    printf("memory_space=%s\n", path);
    printf("memory_layers=%d\n", nl);
    printf("mapping_eval_ns=%.0f\n", 1e9 * tcount / ((double)nl * reps));
    printf("mapper_search_ms_mean=%.3f\n", 1e3 * tsearch / nl);
    printf("mapper_search_ms_max=%.3f\n", 1e3 * tmax);
    printf("mapper_search_mappings_mean=%.0f\n", evaluated / nl);
    printf("mapper_search_ns_per_mapping=%.0f\n", 1e9 * tsearch / evaluated);

    /* the mapper cache as a sweep of the space uses it: every feasible point,
     * workload, mode and layer asks for a mapping (one thread, no perf model) */
    dse_map_cache *mc = dse_map_cache_new();
    double t0 = cpu();
    uint64_t feasible = 0;
    for (uint64_t i = 0; i < dse_space_npoints(&s); i++) {
        dse_space_point(&s, i, &p);
        if (!dse_space_feasible(&s, &p, NULL, 0)) continue;
        feasible++;
        for (int w = 0; w < s.nworkloads; w++)
            for (int m = 0; m < DSE_NMODES; m++)
                for (int k = 0; k < s.workloads[w].nlayers; k++) {
                    dse_problem pb;
                    dse_mapper_result r;
                    dse_problem_of_layer(&s.workloads[w].layers[k], &pb);
                    if (dse_mapper_get(mc, cost, &p, &pb, (dse_mapobj)s.mapobj, &r, &e)) {
                        fprintf(stderr, "bench_memory: %s\n", e.msg);
                        return 1;
                    }
                }
    }
    uint64_t look, hits;
    dse_map_cache_stats(mc, &look, &hits);
    printf("mapper_cache_points=%llu\n", (unsigned long long)feasible);
    printf("mapper_cache_lookups=%llu\n", (unsigned long long)look);
    printf("mapper_cache_searches=%llu\n", (unsigned long long)(look - hits));
    printf("mapper_cache_hit_rate=%.6f\n", (double)hits / (double)look);
    printf("mapper_cache_cpu_seconds=%.3f\n", cpu() - t0);
    dse_map_cache_free(mc);
    dse_cost_free(cost);
    dse_tech_free(tech);
    dse_space_free(&s);
    return 0;
}
