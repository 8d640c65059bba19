/* cmd_schedule.c -- `sparsedse schedule`: run a borrowing scheduler on .npy masks and print its cycles. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mask.h"
#include "sched.h"

static const char schedule_help[] =
    "usage: sparsedse schedule [--weights W.npy] [--activations A.npy] [options]\n\n"
    "Run a borrowing scheduler directly on nonzero masks (docs/scheduler.md) and\n"
    "print key=value lines: scheduler, cycles, dense_cycles, speedup, sets and\n"
    "set_cycles (cycles of every set / tile, space-separated).\n\n"
    "  weights only       Bit-Tactical static schedule of (M,C,K2,K3) or (M,C)\n"
    "  activations only   online schedule of (N,C,H,W) or (C,H,W), lowered 1x1:\n"
    "                     a pixel per unit, a channel block per step\n"
    "  both               dual: convolution, stride 1, no padding\n\n"
    "options:\n"
    "  --weights FILE.npy       weight mask (nonzero = 1)\n"
    "  --activations FILE.npy   activation mask\n"
    "  --shape L|T|rect         window shape (default T)\n"
    "  --lookahead H            future steps (default 0)\n"
    "  --lookaside D            lane offsets (default 0)\n"
    "  --unit U                 unit lookaside: neighbouring units reachable (default 0)\n"
    "  --lanes L                multipliers per dot product (default 16)\n"
    "  --filters-per-set F      filters per set / DPU columns (default 16)\n"
    "  --rows R                 pixels per lock-step group / DPU rows (default 16)\n"
    "  --tiles N                N consecutive sets (tiles) side by side (default 1)\n"
    "  --advance lockstep|shared  static set advance (default lockstep)\n"
    "  --org joint|cascaded     dual-sparse organisation (default cascaded)\n"
    "  -h, --help               this text\n\n"
    "With the defaults (--unit 0, --advance lockstep) weights alone reproduce\n"
    "Bit-Tactical's compute cycles. In dual mode both sides use the same window.\n";

typedef struct sopts {
    const char *wpath, *apath;
    dse_shape shape;
    long H, D, U, lanes, F, rows, tiles;
    dse_advance adv;
    dse_dualorg org;
} sopts;

static int parse_name(const char *opt, const char *v, const char *const *names, int n, int *out)
{
    for (int k = 0; k < n; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = k;
            return 0;
        }
    char list[64] = "";
    for (int k = 0; k < n; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? (k + 1 < n ? ", " : " or ") : "", names[k]);
    cli_usage("schedule", "--%s: expected %s, got '%s'", opt, list, v);
    return -1;
}

/* Returns -1 to continue, else an exit code. */
static int parse_args(int argc, char **argv, sopts *o)
{
    static const char *const advnames[] = {"lockstep", "shared"};
    static const struct { const char *name; long lo, hi; size_t off; } nums[] = {
        {"lookahead", 0, 64, offsetof(sopts, H)},
        {"lookaside", 0, 255, offsetof(sopts, D)},
        {"unit", 0, 64, offsetof(sopts, U)},
        {"lanes", 1, 4096, offsetof(sopts, lanes)},
        {"filters-per-set", 1, 65536, offsetof(sopts, F)},
        {"rows", 1, 65536, offsetof(sopts, rows)},
        {"tiles", 1, 1 << 20, offsetof(sopts, tiles)},
    };
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r, k;
        if (cli_is_help(argv[i])) {
            fputs(schedule_help, stdout);
            return CLI_EXIT_OK;
        }
        if ((r = cli_opt_arg("schedule", argc, argv, &i, "weights", &v))) {
            if (r < 0) return CLI_EXIT_USAGE;
            o->wpath = v;
            continue;
        }
        if ((r = cli_opt_arg("schedule", argc, argv, &i, "activations", &v))) {
            if (r < 0) return CLI_EXIT_USAGE;
            o->apath = v;
            continue;
        }
        if ((r = cli_opt_arg("schedule", argc, argv, &i, "shape", &v))) {
            if (r < 0 || parse_name("shape", v, dse_shape_names, DSE_NSHAPES, &k)) return CLI_EXIT_USAGE;
            o->shape = (dse_shape)k;
            continue;
        }
        if ((r = cli_opt_arg("schedule", argc, argv, &i, "advance", &v))) {
            if (r < 0 || parse_name("advance", v, advnames, 2, &k)) return CLI_EXIT_USAGE;
            o->adv = (dse_advance)k;
            continue;
        }
        if ((r = cli_opt_arg("schedule", argc, argv, &i, "org", &v))) {
            if (r < 0 || parse_name("org", v, dse_dualorg_names, DSE_NDUALORGS, &k)) return CLI_EXIT_USAGE;
            o->org = (dse_dualorg)k;
            continue;
        }
        int done = 0;
        for (size_t n = 0; n < sizeof nums / sizeof nums[0] && !done; n++) {
            if (!(r = cli_opt_arg("schedule", argc, argv, &i, nums[n].name, &v))) continue;
            if (r < 0 || cli_parse_long("schedule", nums[n].name, v, nums[n].lo, nums[n].hi,
                                        (long *)((char *)o + nums[n].off)))
                return CLI_EXIT_USAGE;
            done = 1;
        }
        if (done) continue;
        if (argv[i][0] == '-') return cli_usage("schedule", "unknown option '%s'", argv[i]);
        return cli_usage("schedule", "unexpected argument '%s'", argv[i]);
    }
    if (!o->wpath && !o->apath) return cli_usage("schedule", "give --weights and/or --activations");
    return -1;
}

static void print_result(const char *sched, const dse_tcl_result *r)
{
    printf("scheduler=%s\n", sched);
    printf("cycles=%ld\n", r->cycles);
    printf("dense_cycles=%ld\n", r->dense_cycles);
    if (r->cycles > 0) printf("speedup=%.6f\n", (double)r->dense_cycles / (double)r->cycles);
    else printf("speedup=inf\n");
    printf("sets=%d\n", r->nsets);
    fputs("set_cycles=", stdout);
    for (int s = 0; s < r->nsets; s++) printf(s ? " %ld" : "%ld", r->set_cycles[s]);
    putchar('\n');
}

int cmd_schedule(int argc, char **argv)
{
    sopts o = {NULL, NULL, DSE_SHAPE_T, 0, 0, 0, 16, 16, 16, 1, DSE_ADVANCE_LOCKSTEP, DSE_DUAL_CASCADED};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    dse_err e = {0};
    dse_mask w, a;
    memset(&w, 0, sizeof w);
    memset(&a, 0, sizeof a);
    if (o.wpath && dse_mask_load_npy(&w, o.wpath, 1, &e)) return cli_fail(&e);
    if (o.apath && dse_mask_load_npy(&a, o.apath, 0, &e)) {
        dse_mask_free(&w);
        return cli_fail(&e);
    }
    dse_window win = {(int)o.H, (int)o.D, (int)o.U, o.shape};
    dse_tcl_opts to = {o.shape, (int)o.H, (int)o.D, (int)o.lanes, (int)o.F, (int)o.tiles};
    dse_tcl_result r;
    const char *name;
    if (o.wpath && !o.apath) {
        name = (o.U == 0 && o.adv == DSE_ADVANCE_LOCKSTEP) ? "tcl" : "static";
        rc = dse_sched_tcl_ext(&w, &to, (int)o.U, o.adv, &r, &e);
    } else if (!o.wpath) {
        name = "online";
        rc = dse_sched_online_mask(&a, &win, (int)o.lanes, (int)o.rows, (int)o.tiles, &r, &e);
    } else {
        dse_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.wsparse = cfg.asparse = 1;
        cfg.w = cfg.a = win;
        cfg.org = o.org;
        name = o.org == DSE_DUAL_JOINT ? "dual-joint" : "dual-cascaded";
        rc = dse_sched_dual_mask(&w, &a, &cfg, (int)o.lanes, (int)o.F, (int)o.rows, (int)o.tiles, &r, &e);
    }
    dse_mask_free(&w);
    dse_mask_free(&a);
    if (rc) {
        fprintf(stderr, "sparsedse schedule: error: %s\n", e.msg);
        return cli_exit_code(rc);
    }
    print_result(name, &r);
    dse_tcl_result_free(&r);
    return CLI_EXIT_OK;
}
