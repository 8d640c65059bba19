/* cmd_eval.c -- `sparsedse eval`: one design point, every metric with its area and energy breakdown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mapper.h"
#include "model.h"
#include "space.h"

static const char eval_help[] =
    "usage: sparsedse eval SPACE.yaml [--point K] [--mode M] [--workload W] [--layers]\n"
    "                      [--fidelity closed-form|sampled|full] [--seed S] [PARAM=VALUE ...]\n\n"
    "Evaluate one design point of a space and print every metric with its area and\n"
    "energy breakdown. --point K takes point index K (grid points, then presets, as\n"
    "stored by sweep); otherwise the design is the space's first value of every\n"
    "parameter. PARAM=VALUE arguments then override single parameters. --layers also\n"
    "prints every layer's cycles, speedup, 95% interval, tiles scheduled, whether\n"
    "compute, SRAM bandwidth or DRAM bounds it, its DRAM and SRAM traffic, energy and mapping.\n";

/* One (workload, mode)'s layers: cycles, speedup, interval, tiles; what bounds
 * the time, DRAM and SRAM traffic, energy; then each layer's mapping. */
static void print_layers(const dse_network *n, const char *mode, const dse_layer_eval *le)
{
    printf("\nlayers of %s, %s mode\n  %-24s %6s %14s %14s %8s %8s %17s %14s %14s %14s %7s %10s %10s %10s %10s %10s\n",
           n->name, mode, "layer", "repeat", "dense_cycles", "cycles", "speedup", "+-95%", "tiles/population",
           "compute_cyc", "dram_cyc", "sram_cyc", "bound", "dramW_KiB", "dramI_KiB", "dramO_KiB", "sram_KiB", "energy_uJ");
    for (int i = 0; i < n->nlayers; i++) {
        const dse_layer_eval *l = &le[i];
        const dse_perf *f = &l->perf;
        char tiles[40] = "-";
        if (f->population > 0) snprintf(tiles, sizeof tiles, "%.0f/%.0f", f->tiles, f->population);
        printf("  %-24s %6d %14.6g %14.6g %8.4f %7.2f%% %17s %14.6g %14.6g %14.6g %7s %10.5g %10.5g %10.5g %10.5g %10.5g\n",
               n->layers[i].name, n->layers[i].repeat, l->dense_cycles, l->cycles, l->dense_cycles / l->cycles,
               100 * (f->cycles_hi - f->cycles) / f->cycles, tiles, f->cycles, l->dram_cycles,
               f->sram_cycles, dse_model_bound(l), dse_traffic_tensor_bits(&l->traffic, DSE_ST_DRAM, DSE_TW) / 8192,
               dse_traffic_tensor_bits(&l->traffic, DSE_ST_DRAM, DSE_TI) / 8192, dse_traffic_tensor_bits(&l->traffic, DSE_ST_DRAM, DSE_TO) / 8192,
               dse_traffic_bits(&l->traffic, DSE_ST_SRAM) / 8192, l->energy_pj * 1e-6);
    }
    printf("\nmappings of %s, %s mode (one group; loops innermost first)\n", n->name, mode);
    for (int i = 0; i < n->nlayers; i++) {
        char buf[512];
        printf("  %-24s %s\n", n->layers[i].name, dse_mapping_format(&le[i].map, buf, sizeof buf));
    }
}

static void print_breakdown(const char *title, const double *const vals[], int ncols,
                            const char *const heads[], double scale)
{
    printf("%s\n  %-10s", title, "component");
    for (int c = 0; c < ncols; c++) printf(" %12s", heads[c]);
    printf("\n");
    double tot[DSE_NMODES] = {0};
    for (int k = 0; k < DSE_NCOMPS; k++) {
        printf("  %-10s", dse_comp_names[k]);
        for (int c = 0; c < ncols; c++) {
            printf(" %12.5g", vals[c][k] * scale);
            tot[c] += vals[c][k] * scale;
        }
        printf("\n");
    }
    printf("  %-10s", "total");
    for (int c = 0; c < ncols; c++) printf(" %12.5g", tot[c]);
    printf("\n");
}

int cmd_eval(int argc, char **argv)
{
    const char *path = NULL, *val;
    const char *modename = NULL, *wlname = NULL, *fid = NULL, *seedtxt = NULL;
    long point = -1;
    int nover = 0, r, layers = 0;
    char **over = calloc((size_t)argc, sizeof *over);
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(eval_help, stdout);
            free(over);
            return CLI_EXIT_OK;
        }
        if ((r = cli_opt_arg("eval", argc, argv, &i, "point", &val))) {
            if (r < 0 || cli_parse_long("eval", "point", val, 0, 2000000000L, &point)) goto usage;
        } else if ((r = cli_opt_arg("eval", argc, argv, &i, "mode", &modename))) {
            if (r < 0) goto usage;
        } else if ((r = cli_opt_arg("eval", argc, argv, &i, "workload", &wlname))) {
            if (r < 0) goto usage;
        } else if ((r = cli_opt_arg("eval", argc, argv, &i, "fidelity", &fid))) {
            if (r < 0) goto usage;
        } else if ((r = cli_opt_arg("eval", argc, argv, &i, "seed", &seedtxt))) {
            if (r < 0) goto usage;
        } else if (strcmp(argv[i], "--layers") == 0) {
            layers = 1;
        } else if (argv[i][0] == '-') {
            cli_usage("eval", "unknown option '%s'", argv[i]);
            goto usage;
        } else if (strchr(argv[i], '=')) {
            over[nover++] = argv[i];
        } else if (!path) {
            path = argv[i];
        } else {
            cli_usage("eval", "unexpected argument '%s'", argv[i]);
            goto usage;
        }
    }
    if (!path) {
        cli_usage("eval", "missing SPACE.yaml");
        goto usage;
    }
    int mode_only = -1;
    if (modename && (mode_only = dse_mode_find(modename)) < 0) {
        cli_usage("eval", "--mode: expected dense, weight, act or dual, got '%s'", modename);
        goto usage;
    }

    dse_space s;
    dse_cost *cost;
    if ((r = cli_load_space(path, &s, &cost))) {
        free(over);
        return r;
    }
    dse_perf_opts o = {s.fidelity, s.seed, s.precision, s.min_tiles, s.max_tiles, NULL, s.scope, NULL, s.mapobj};
    if (fid) {
        int f = -1;
        for (int k = 0; k < DSE_NFIDS; k++)
            if (strcmp(fid, dse_fidelity_names[k]) == 0) f = k;
        if (f < 0) {
            r = cli_usage("eval", "--fidelity: expected closed-form, sampled or full, got '%s'", fid);
            goto out;
        }
        o.fidelity = (dse_fidelity)f;
    }
    unsigned long long seed;
    if (seedtxt) {
        if (cli_parse_u64("eval", "seed", seedtxt, &seed)) {
            r = CLI_EXIT_USAGE;
            goto out;
        }
        o.seed = seed;
    }
    dse_point p;
    const char *preset = NULL;
    if (point >= 0) {
        if ((uint64_t)point >= dse_space_npoints(&s)) {
            r = cli_usage("eval", "--point: %ld is beyond the space's %llu points", point,
                          (unsigned long long)dse_space_npoints(&s));
            goto out;
        }
        preset = dse_space_point(&s, (uint64_t)point, &p);
    } else {
        dse_space_point(&s, 0, &p);
    }
    for (int k = 0; k < nover; k++) {
        char name[64], msg[256];
        const char *eq = strchr(over[k], '=');
        size_t len = (size_t)(eq - over[k]);
        snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), over[k]);
        int pi = dse_param_find(name);
        double v;
        if (pi < 0) {
            r = cli_usage("eval", "unknown parameter '%s'", name);
            goto out;
        }
        if (dse_param_parse(pi, eq + 1, &v, msg, sizeof msg)) {
            r = cli_usage("eval", "%s", msg);
            goto out;
        }
        dse_point_set(&p, pi, v);
    }
    char why[256];
    if (!dse_space_feasible(&s, &p, why, sizeof why)) {
        cli_msg("design is infeasible: %s", why);
        r = CLI_EXIT_INPUT;
        goto out;
    }
    o.cache = dse_perf_cache_new();
    o.maps = dse_map_cache_new();

    printf("design%s%s\n", preset ? " " : "", preset ? preset : "");
    char buf[64];
    for (int k = 0; k < DSE_NPARAMS; k++)
        printf("  %-16s %s\n", dse_params[k].name, dse_point_format(&p, k, buf, sizeof buf));
    r = CLI_EXIT_OK;
    int first = 1;
    for (int w = 0; w < s.nworkloads && r == CLI_EXIT_OK; w++) {
        const dse_network *n = &s.workloads[w];
        if (wlname && strcmp(wlname, n->name) != 0) continue;
        dse_metrics m[DSE_NMODES];
        dse_breakdown bd[DSE_NMODES];
        const double *ev[DSE_NMODES];
        const char *heads[DSE_NMODES];
        dse_layer_eval *pf[DSE_NMODES] = {NULL};
        int nm = 0;
        for (int md = 0; md < DSE_NMODES; md++) {
            if (mode_only >= 0 && md != mode_only) continue;
            dse_err e = {0};
            if (layers) pf[nm] = calloc((size_t)n->nlayers + 1, sizeof *pf[nm]);
            heads[nm] = dse_mode_names[md];
            if (dse_model_eval(&p, n, (dse_mode)md, cost, &o, &m[nm], &bd[nm], pf[nm], &e)) {
                r = cli_fail(&e);
                nm++;
                break;
            }
            ev[nm] = bd[nm].energy_pj;
            nm++;
        }
        if (r != CLI_EXIT_OK || nm == 0) {
            for (int c = 0; c < nm; c++) free(pf[c]);
            continue;
        }
        if (first) {
            const double *av[1] = {bd[0].area_um2};
            const char *ah[1] = {"mm2"};
            print_breakdown("\narea", av, 1, ah, 1e-6);
            first = 0;
        }
        printf("\nworkload %s (%s fidelity)\n  %-14s", n->name, dse_fidelity_names[o.fidelity], "metric");
        for (int c = 0; c < nm; c++) printf(" %12s", heads[c]);
        printf("\n");
        for (int k = 0; k < DSE_NMETRICS; k++) {
            printf("  %-14s", dse_metric_names[k]);
            for (int c = 0; c < nm; c++) printf(" %12.5g", m[c].v[k]);
            printf("\n");
        }
        char title[128];
        snprintf(title, sizeof title, "\nenergy per inference, uJ (%s)", n->name);
        print_breakdown(title, ev, nm, heads, 1e-6);
        for (int c = 0; c < nm; c++) {
            if (pf[c]) print_layers(n, heads[c], pf[c]);
            free(pf[c]);
        }
    }
    if (first && r == CLI_EXIT_OK && wlname) r = cli_usage("eval", "no workload named '%s'", wlname);
    dse_perf_cache_free(o.cache);
    dse_map_cache_free(o.maps);
out:
    dse_cost_free(cost);
    dse_space_free(&s);
    free(over);
    return r;
usage:
    free(over);
    return CLI_EXIT_USAGE;
}
