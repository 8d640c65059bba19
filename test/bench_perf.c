/* bench_perf.c -- performance-model benchmark: full-layer reference vs sampled tiles vs closed form on the shipped workloads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perf.h"
#include "workload.h"

/* Usage: bench_perf [--no-full] [--modes dual,weight,act] [--batch-scale N] [WORKLOAD.yaml ...]
 * Prints key=value lines, one block per (workload, mode), on a
 * representative design: 8 x 8 DPUs of 16 lanes, Bit-Tactical T(2,5)
 * static weight window, TensorDash T(2,5) online activation window,
 * cascaded dual organisation (the dual-T25-T25 preset): the sampled
 * estimate with network scope (1% on the network total, 4..4096 tiles per
 * layer: the sweep's default) and with layer scope (1% on every layer,
 * 16..4096 tiles), their tiles against the population, the closed form
 * (speedup, time per layer estimate, error against the layer-scope
 * estimate per network and per layer, mean and max) and, unless
 * --no-full, the full-layer reference with the time ratios full/sampled. */

static const char *const default_workloads[] = {
    "workloads/resnet50.yaml", "workloads/mobilenetv2.yaml", "workloads/vgg16.yaml",
    "workloads/bert-base.yaml", "workloads/gpt2-block.yaml",
};

typedef struct totals {
    double cycles, lo, hi, dense, secs, tiles, pop;
    double err_sum, err_n, err_max;   /* per-layer |closed/sampled - 1| */
} totals;

static int eval_net(const dse_network *n, const dse_point *p, const dse_config *c, dse_perf_opts o,
                    totals *t, const double *ref_speedup, double *layer_speedup)
{
    memset(t, 0, sizeof *t);
    double t0 = dse_now();
    for (int i = 0; i < n->nlayers; i++) {
        dse_perf r;
        dse_err e = {0};
        if (dse_perf_layer(p, c, &n->layers[i], &o, &r, &e)) {
            fprintf(stderr, "bench_perf: %s: %s\n", n->name, e.msg);
            return 1;
        }
        t->cycles += r.cycles; t->lo += r.cycles_lo; t->hi += r.cycles_hi; t->dense += r.dense_cycles;
        t->tiles += r.tiles; t->pop += r.population;
        if (layer_speedup) layer_speedup[i] = r.dense_cycles / r.cycles;
        if (ref_speedup && getenv("BENCH_LAYERS"))
            printf("    layer=%s P=%d K=%d Cin=%d R=%d groups=%d w=%s:%.2f a=%s:%.2f sampled=%.4f closed=%.4f err=%+.3f\n",
                   n->layers[i].name, n->layers[i].P, n->layers[i].K, n->layers[i].Cin, n->layers[i].R,
                   n->layers[i].groups, dse_dist_names[n->layers[i].w.dist], n->layers[i].w.density,
                   dse_dist_names[n->layers[i].a.dist], n->layers[i].a.density, ref_speedup[i],
                   r.dense_cycles / r.cycles, (r.dense_cycles / r.cycles) / ref_speedup[i] - 1);
        if (ref_speedup) {
            double err = fabs((r.dense_cycles / r.cycles) / ref_speedup[i] - 1);
            t->err_sum += err;
            t->err_n += 1;
            if (err > t->err_max) t->err_max = err;
        }
    }
    t->secs = dse_now() - t0;
    return 0;
}

/* The whole network at once (dse_perf_network: network-scope sampling). */
static int eval_whole(const dse_network *n, const dse_point *p, const dse_config *c, dse_perf_opts o, totals *t)
{
    memset(t, 0, sizeof *t);
    dse_perf *r = malloc(sizeof *r * (size_t)n->nlayers);
    double half, t0 = dse_now();
    dse_err e = {0};
    if (dse_perf_network(p, c, n, &o, r, &half, &e)) {
        fprintf(stderr, "bench_perf: %s: %s\n", n->name, e.msg);
        return 1;
    }
    t->secs = dse_now() - t0;
    for (int i = 0; i < n->nlayers; i++) {
        t->cycles += r[i].cycles; t->dense += r[i].dense_cycles;
        t->tiles += r[i].tiles; t->pop += r[i].population;
    }
    t->lo = t->cycles - half;
    t->hi = t->cycles + half;
    free(r);
    return 0;
}

int main(int argc, char **argv)
{
    int full = 1, nfiles = 0, want_dual = 1, want_weight = 1, want_act = 1, pscale = 1;
    const char *files[64];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-full")) full = 0;
        else if (!strcmp(argv[i], "--batch-scale") && i + 1 < argc) pscale = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--modes") && i + 1 < argc) {
            const char *m = argv[++i];
            want_dual = strstr(m, "dual") != NULL;
            want_weight = strstr(m, "weight") != NULL;
            want_act = strstr(m, "act") != NULL;
        } else if (nfiles < 64) files[nfiles++] = argv[i];
    }
    if (!nfiles)
        for (size_t i = 0; i < sizeof default_workloads / sizeof *default_workloads; i++) files[nfiles++] = default_workloads[i];

    dse_point p;
    dse_point_defaults(&p);
    p.rows = 8; p.cols = 8; p.lanes = 16;
    dse_window t25 = {2, 5, 0, DSE_SHAPE_T}, none = {0, 0, 0, DSE_SHAPE_T};
    dse_config dual = {1, 1, t25, t25, DSE_DUAL_CASCADED, 0}, weight = {1, 0, t25, none, DSE_DUAL_CASCADED, 0};
    dse_config act = {0, 1, none, t25, DSE_DUAL_CASCADED, 0};
    printf("design=rows8_cols8_lanes16_wT25_aT25_cascaded\n");

    double err_all = 0, nerr = 0, err_max = 0, max_sdiff = 0, min_ratio = INFINITY, csecs = 0;
    for (int f = 0; f < nfiles; f++) {
        dse_network net;
        dse_err e = {0};
        if (dse_network_load(&net, files[f], &e)) {
            fprintf(stderr, "bench_perf: %s\n", e.msg);
            return 1;
        }
        for (int i = 0; i < net.nlayers && pscale > 1; i++) net.layers[i].P *= pscale;
        for (int m = 0; m < 3; m++) {
            if ((m == 0 && !want_dual) || (m == 1 && !want_weight) || (m == 2 && !want_act)) continue;
            const dse_config *c = m == 0 ? &dual : m == 1 ? &weight : &act;
            dse_perf_opts o = {DSE_FID_SAMPLED, 1, 0.01, 16, 4096, NULL, DSE_SCOPE_LAYER, NULL, 0};
            double *sp = malloc(sizeof *sp * (size_t)net.nlayers);
            totals ts, tc, tf, tn;
            if (eval_net(&net, &p, c, o, &ts, NULL, sp)) return 1;
            dse_perf_opts on = {DSE_FID_SAMPLED, 1, 0.01, 4, 4096, NULL, DSE_SCOPE_NETWORK, NULL, 0};
            if (eval_whole(&net, &p, c, on, &tn)) return 1;
            o.fidelity = DSE_FID_CLOSED;
            if (eval_net(&net, &p, c, o, &tc, sp, NULL)) return 1;
            const char *mode = m == 0 ? "dual" : m == 1 ? "weight" : "act";
            printf("workload=%s mode=%s layers=%d batch_scale=%d\n", net.name, mode, net.nlayers, pscale);
            printf("  network_sampled_speedup=%.5f network_sampled_ci=[%.5f,%.5f] network_sampled_s=%.4f tiles=%.0f population=%.0f\n",
                   tn.dense / tn.cycles, tn.dense / tn.hi, tn.dense / tn.lo, tn.secs, tn.tiles, tn.pop);
            printf("  layer_sampled_speedup=%.5f layer_sampled_ci=[%.5f,%.5f] layer_sampled_s=%.4f per_estimate_ms=%.3f tiles=%.0f\n",
                   ts.dense / ts.cycles, ts.dense / ts.hi, ts.dense / ts.lo, ts.secs, 1e3 * ts.secs / net.nlayers, ts.tiles);
            double cerr = (tc.dense / tc.cycles) / (ts.dense / ts.cycles) - 1;
            printf("  closed_speedup=%.5f closed_s=%.5f closed_us_per_estimate=%.1f closed_vs_sampled_net=%+.4f "
                   "closed_vs_sampled_layer_mean=%.4f closed_vs_sampled_layer_max=%.4f\n",
                   tc.dense / tc.cycles, tc.secs, 1e6 * tc.secs / net.nlayers, cerr, tc.err_sum / tc.err_n, tc.err_max);
            err_all += tc.err_sum; nerr += tc.err_n; csecs += tc.secs;
            if (tc.err_max > err_max) err_max = tc.err_max;
            if (full) {
                o.fidelity = DSE_FID_FULL;
                if (eval_net(&net, &p, c, o, &tf, NULL, NULL)) return 1;
                double sd = (tn.dense / tn.cycles) / (tf.dense / tf.cycles) - 1, ratio = tf.secs / tn.secs;
                double sdl = (ts.dense / ts.cycles) / (tf.dense / tf.cycles) - 1;
                int sched = tf.pop > 0;   /* 0: no layer has zeros, nothing is scheduled */
                printf("  full_speedup=%.5f full_s=%.3f network_sampled_vs_full=%+.5f full_in_network_ci=%d",
                       tf.dense / tf.cycles, tf.secs, sd, tf.cycles >= tn.lo && tf.cycles <= tn.hi);
                if (sched) printf(" time_ratio=%.0f layer_sampled_vs_full=%+.5f full_in_layer_ci=%d layer_time_ratio=%.0f\n",
                                  ratio, sdl, tf.cycles >= ts.lo && tf.cycles <= ts.hi, tf.secs / ts.secs);
                else printf(" time_ratio=n/a (nothing scheduled: exact dense cycles)\n");
                if (fabs(sd) > max_sdiff) max_sdiff = fabs(sd);
                if (sched && ratio < min_ratio) min_ratio = ratio;
            }
            free(sp);
            fflush(stdout);
        }
        dse_network_free(&net);
    }
    printf("summary closed_vs_sampled_layer_mean_err=%.4f closed_vs_sampled_layer_max_err=%.4f closed_us_per_estimate=%.1f",
           err_all / nerr, err_max, 1e6 * csecs / nerr);
    if (full) printf(" network_sampled_vs_full_max=%.5f min_time_ratio=%.0f", max_sdiff, min_ratio);
    printf("\n");

    /* cache: a small sweep over non-scheduler parameters shares tile estimates */
    dse_perf_cache *cache = dse_perf_cache_new();
    dse_network net;
    dse_err e = {0};
    if (dse_network_load(&net, files[0], &e)) return 1;
    double t0 = dse_now();
    int sram[3] = {64, 128, 256};
    double clk[2] = {500, 1000};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++) {
            dse_point q = p;
            q.wsram_kib = sram[a]; q.clock_mhz = clk[b];
            dse_perf_opts o = {DSE_FID_SAMPLED, 1, 0.01, 16, 4096, cache, DSE_SCOPE_LAYER, NULL, 0};
            totals t;
            if (eval_net(&net, &q, &dual, o, &t, NULL, NULL)) return 1;
        }
    uint64_t lookups, hits;
    dse_perf_cache_stats(cache, &lookups, &hits);
    printf("cache workload=%s points=6 lookups=%llu hits=%llu hit_rate=%.3f secs=%.3f\n", net.name,
           (unsigned long long)lookups, (unsigned long long)hits, (double)hits / (double)lookups, dse_now() - t0);
    dse_network_free(&net);
    dse_perf_cache_free(cache);
    return 0;
}
