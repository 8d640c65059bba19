/* cmd_traffic.c -- `sparsedse traffic`: one layer on one mapping, every level's counts and energy as key=value lines. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cost.h"
#include "mapping.h"
#include "traffic.h"

#ifndef DSE_TECHDIR
#define DSE_TECHDIR "spaces/tech"
#endif

static const char traffic_help[] =
    "usage: sparsedse traffic MAPPING.yaml [--tech FILE]\n\n"
    "Count the reads, fills and updates of every tensor at every level (accumulator,\n"
    "weight / activation / output SRAM, DRAM) of one layer on one mapping, with\n"
    "Timeloop's counting rules and Sparseloop's compressed formats, and price them;\n"
    "print key=value lines (counts are words, totals over all instances; metadata in\n"
    "bits; energies in pJ). The file format is in docs/memory.md.\n\n"
    "  --tech FILE   technology file (default: the file's 'technology:', else the\n"
    "                source tree's spaces/tech/45nm.yaml, as built)\n";

static void put(const char *key, double v) { printf("%s=%.17g\n", key, v); }

int cmd_traffic(int argc, char **argv)
{
    const char *path = NULL, *tech = NULL, *val;
    int r;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(traffic_help, stdout);
            return CLI_EXIT_OK;
        }
        if ((r = cli_opt_arg("traffic", argc, argv, &i, "tech", &val))) {
            if (r < 0) return CLI_EXIT_USAGE;
            tech = val;
        } else if (argv[i][0] == '-') {
            return cli_usage("traffic", "unknown option '%s'", argv[i]);
        } else if (path) {
            return cli_usage("traffic", "one mapping file expected");
        } else {
            path = argv[i];
        }
    }
    if (!path) return cli_usage("traffic", "missing MAPPING.yaml");

    dse_err e = {0, ""};
    dse_mapfile f;
    if (dse_mapfile_load(&f, path, &e)) return cli_fail(&e);
    if (!tech) tech = f.tech[0] ? f.tech : DSE_TECHDIR "/45nm.yaml";
    dse_tech *t = NULL;
    dse_cost *cost = NULL;
    if (dse_tech_load(&t, tech, &e) || dse_cost_new(&cost, t, &e)) {
        dse_tech_free(t);
        return cli_fail(&e);
    }
    dse_tech_free(t);

    dse_traffic tr;
    const dse_point *p = &f.core;
    dse_traffic_dense(&f.pb, &f.map, p->bits, p->acc_bits, &tr);
    int comp[2];
    for (int i = 0; i < 2; i++) {
        dse_traffic_encode(&tr, (dse_tensor)i, &f.enc[i]);
        comp[i] = f.format[i] != DSE_FMT_NONE;
    }
    dse_traffic_computes(&tr, f.rho, comp, f.gate);

    char buf[512];
    printf("mapping=%s\n", dse_mapping_format(&f.map, buf, sizeof buf));
    put("macs", tr.macs);
    put("macs_actual", tr.computes);
    put("cycles", tr.cycles);
    put("used_multipliers", tr.used);
    static const char *const lv[DSE_NTENSORS] = {"wsram", "asram", "osram"};
    for (int a = 0; a < DSE_NACTIONS; a++) {
        snprintf(buf, sizeof buf, "acc_O_%s", dse_action_names[a]);
        put(buf, tr.words[DSE_ST_ACC][DSE_TO][a]);
    }
    for (int tn = 0; tn < DSE_NTENSORS; tn++)
        for (int a = 0; a < DSE_NACTIONS; a++) {
            snprintf(buf, sizeof buf, "%s_%c_%s", lv[tn], dse_tensor_letters[tn], dse_action_names[a]);
            put(buf, tr.words[DSE_ST_SRAM][tn][a]);
        }
    for (int tn = 0; tn < DSE_NTENSORS; tn++)
        for (int a = 0; a < DSE_NACTIONS; a++) {
            if (a == DSE_A_FILL || (a == DSE_A_UPDATE && tn != DSE_TO)) continue;   /* DRAM is never filled */
            snprintf(buf, sizeof buf, "dram_%c_%s", dse_tensor_letters[tn], dse_action_names[a]);
            put(buf, tr.words[DSE_ST_DRAM][tn][a]);
        }
    for (int tn = 0; tn < 2; tn++)
        for (int s = DSE_ST_SRAM; s <= DSE_ST_DRAM; s++)
            for (int a = 0; a < DSE_NACTIONS; a++) {
                if (a == DSE_A_UPDATE || (s == DSE_ST_DRAM && a == DSE_A_FILL)) continue;
                snprintf(buf, sizeof buf, "%s_%c_meta_bits_%s", s == DSE_ST_SRAM ? lv[tn] : "dram",
                         dse_tensor_letters[tn], dse_action_names[a]);
                put(buf, tr.meta[s][tn][a]);
            }
    for (int tn = 0; tn < DSE_NTENSORS; tn++) {
        snprintf(buf, sizeof buf, "%s_%c_tile", lv[tn], dse_tensor_letters[tn]);
        put(buf, tr.tile[DSE_ST_SRAM][tn]);
        snprintf(buf, sizeof buf, "%s_%c_tile_kib", lv[tn], dse_tensor_letters[tn]);
        put(buf, dse_traffic_tile_bits(&tr, (dse_tensor)tn, tn < 2 ? &f.enc[tn] : NULL) / 8192);
    }
    put("osram_O_word_bits", tr.width[DSE_ST_SRAM][DSE_TO]);
    put("dram_O_word_bits", tr.width[DSE_ST_DRAM][DSE_TO]);
    double dbits = dse_traffic_bits(&tr, DSE_ST_DRAM), dc = dbits / dse_cost_dram_bits_per_cycle(cost, p);
    put("dram_bits", dbits);
    put("dram_cycles", dc);
    put("cycles_with_dram", tr.cycles > dc ? tr.cycles : dc);
    double en[DSE_NMOVES], total = 0;
    dse_cost_movement(cost, p, &tr, en);
    for (int i = 0; i < DSE_NMOVES; i++) {
        snprintf(buf, sizeof buf, "energy_%s_pj", dse_move_names[i]);
        put(buf, en[i]);
        total += en[i];
    }
    put("energy_total_pj", total);
    dse_cost_free(cost);
    return CLI_EXIT_OK;
}
