/* cmd_validate.c -- `sparsedse validate`: check a space and everything it references, count its points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cost.h"
#include "space.h"

static const char validate_help[] =
    "usage: sparsedse validate SPACE.yaml\n\n"
    "Parse and check a space file, its workloads and its technology file; print the\n"
    "number of design points and which parameters vary. Writes nothing.\n";

int cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(validate_help, stdout);
            return CLI_EXIT_OK;
        }
        if (argv[i][0] == '-') return cli_usage("validate", "unknown option '%s'", argv[i]);
        if (path) return cli_usage("validate", "one space file expected");
        path = argv[i];
    }
    if (!path) return cli_usage("validate", "missing SPACE.yaml");

    dse_space s;
    dse_cost *cost;
    int rc = cli_load_space(path, &s, &cost);
    if (rc) return rc;

    printf("space: %s (%s)\n", s.name, s.path);
    for (int w = 0; w < s.nworkloads; w++)
        printf("workload: %s (%d layers, %.4g GMACs per inference)\n", s.workloads[w].name,
               s.workloads[w].nlayers, dse_network_macs(&s.workloads[w]) * 1e-9);
    printf("technology: %s\n", s.tech_path);
    printf("fidelity: %s\n", dse_fidelity_names[s.fidelity]);
    if (s.fidelity == DSE_FID_SAMPLED)
        printf("sampling: scope %s, precision %g, %d to %d tiles per layer\n", dse_scope_names[s.scope],
               s.precision, s.min_tiles, s.max_tiles);
    printf("varying:");
    int nvary = 0;
    for (int i = 0; i < DSE_NPARAMS; i++)
        if (s.axes[i].nvalues > 1) {
            printf(" %s(%d)", dse_params[i].name, s.axes[i].nvalues);
            nvary++;
        }
    printf("%s\n", nvary ? "" : " none");
    uint64_t feasible = 0;
    dse_point p;
    for (uint64_t i = 0; i < s.ncombos; i++) {
        dse_space_point(&s, i, &p);
        feasible += (uint64_t)dse_space_feasible(&s, &p, NULL, 0);
    }
    uint64_t points = feasible + (uint64_t)s.npresets;
    printf("combinations: %llu\nfeasible: %llu\npresets: %d\n", (unsigned long long)s.ncombos,
           (unsigned long long)feasible, s.npresets);
    printf("result rows per sweep: %llu\n",
           (unsigned long long)(points * (uint64_t)s.nworkloads * DSE_NMODES));
    dse_cost_free(cost);
    dse_space_free(&s);
    return CLI_EXIT_OK;
}
