/* cmd_pareto.c -- `sparsedse pareto`: print the stored (or recomputed) Pareto fronts of a run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "pareto.h"

static const char pareto_help[] =
    "usage: sparsedse pareto --db FILE [--run ID] [--mode M] [--workload W]\n"
    "                        [--objectives LIST] [--format table|csv|json]\n\n"
    "Print the Pareto front of every (workload, mode) of a run (default: the latest).\n\n"
    "  --run ID          run to show (see 'sparsedse runs')\n"
    "  --mode M          only mode M: dense, weight, act or dual\n"
    "  --workload W      only workload W\n"
    "  --objectives L    e.g. max:tops_per_w,min:area_mm2 (2 or more metrics); fronts of\n"
    "                    another objective set than the run's are computed from its results\n"
    "  --format F        table (default: the parameters that vary over the run's grid,\n"
    "                    the objectives and speedup), csv or json (every parameter and\n"
    "                    metric)\n";

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

/* One member of a front, read back from the database. */
typedef struct member {
    uint64_t idx;
    char preset[64];
    dse_point p;
    dse_metrics m;
} member;

static void put_csv_text(const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"') putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void put_json_text(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static void csv_header(void)
{
    printf("workload,mode,pos,idx,preset");
    for (int j = 0; j < DSE_NPARAMS; j++) printf(",%s", dse_params[j].name);
    for (int j = 0; j < DSE_NMETRICS; j++) printf(",%s", dse_metric_names[j]);
    putchar('\n');
}

static void csv_rows(const char *wl, dse_mode mode, const member *f, size_t n)
{
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        put_csv_text(wl);
        printf(",%s,%zu,%llu,", dse_mode_names[mode], i, (unsigned long long)f[i].idx);
        put_csv_text(f[i].preset);
        for (int j = 0; j < DSE_NPARAMS; j++) printf(",%s", dse_point_format(&f[i].p, j, buf, sizeof buf));
        for (int j = 0; j < DSE_NMETRICS; j++)
            if (isnan(f[i].m.v[j])) putchar(',');
            else printf(",%.17g", f[i].m.v[j]);
        putchar('\n');
    }
}

static void json_block(int first, const char *wl, dse_mode mode, const char *obj, const member *f, size_t n)
{
    char buf[64];
    printf("%s\n  {\"workload\": ", first ? "" : ",");
    put_json_text(wl);
    printf(", \"mode\": \"%s\", \"objectives\": ", dse_mode_names[mode]);
    put_json_text(obj);
    printf(", \"front\": [");
    for (size_t i = 0; i < n; i++) {
        printf("%s\n    {\"idx\": %llu, \"preset\": ", i ? "," : "", (unsigned long long)f[i].idx);
        if (f[i].preset[0]) put_json_text(f[i].preset);
        else fputs("null", stdout);
        printf(", \"params\": {");
        for (int j = 0; j < DSE_NPARAMS; j++) {
            dse_point_format(&f[i].p, j, buf, sizeof buf);
            printf("%s\"%s\": ", j ? ", " : "", dse_params[j].name);
            const char *const *names;
            if (dse_ptype_names(dse_params[j].type, &names)) put_json_text(buf);
            else fputs(buf, stdout);
        }
        printf("}, \"metrics\": {");
        for (int j = 0; j < DSE_NMETRICS; j++) {
            printf("%s\"%s\": ", j ? ", " : "", dse_metric_names[j]);
            if (isfinite(f[i].m.v[j])) printf("%.17g", f[i].m.v[j]);
            else fputs("null", stdout);
        }
        printf("}}");
    }
    printf("%s]}", n ? "\n  " : "");
}

/* A readable aligned table: idx, preset, varying parameters, objectives, speedup. */
static void table_block(const char *wl, dse_mode mode, const char *obj, const dse_objective *o, int k,
                        const int varies[DSE_NPARAMS], const member *f, size_t n)
{
    int cols[4 + DSE_NPARAMS + DSE_MAX_OBJECTIVES], nc = 0, nmet = 0;
    int metric_cols[DSE_MAX_OBJECTIVES + 1];
    for (int j = 0; j < DSE_NPARAMS; j++)
        if (varies[j]) cols[nc++] = j;
    for (int j = 0; j < k; j++) metric_cols[nmet++] = o[j].metric;
    int has_speedup = 0;
    for (int j = 0; j < k; j++) has_speedup |= o[j].metric == DSE_M_speedup;
    if (!has_speedup) metric_cols[nmet++] = DSE_M_speedup;
    int ncol = 2 + nc + nmet;
    size_t rows = n + 1;
    char (*cell)[48] = calloc(rows * (size_t)ncol, sizeof *cell);
    int *w = calloc((size_t)ncol, sizeof *w);
    snprintf(cell[0], 48, "idx");
    snprintf(cell[1], 48, "preset");
    for (int c = 0; c < nc; c++) snprintf(cell[2 + c], 48, "%s", dse_params[cols[c]].name);
    for (int c = 0; c < nmet; c++) snprintf(cell[2 + nc + c], 48, "%s", dse_metric_names[metric_cols[c]]);
    for (size_t i = 0; i < n; i++) {
        char (*r)[48] = cell + (i + 1) * (size_t)ncol;
        snprintf(r[0], 48, "%llu", (unsigned long long)f[i].idx);
        snprintf(r[1], 48, "%s", f[i].preset[0] ? f[i].preset : "-");
        for (int c = 0; c < nc; c++) dse_point_format(&f[i].p, cols[c], r[2 + c], 48);
        for (int c = 0; c < nmet; c++) snprintf(r[2 + nc + c], 48, "%.4g", f[i].m.v[metric_cols[c]]);
    }
    for (size_t i = 0; i < rows; i++)
        for (int c = 0; c < ncol; c++) {
            int l = (int)strlen(cell[i * (size_t)ncol + (size_t)c]);
            if (l > w[c]) w[c] = l;
        }
    printf("%s, mode %s: %zu design%s on the front of %s\n", wl, dse_mode_names[mode], n,
           n == 1 ? "" : "s", obj);
    for (size_t i = 0; i < rows && n; i++) {
        fputs(" ", stdout);
        for (int c = 0; c < ncol; c++) {
            const char *t = cell[i * (size_t)ncol + (size_t)c];
            if (c == 1) printf("  %-*s", w[c], t);
            else printf("  %*s", w[c], t);
        }
        putchar('\n');
    }
    putchar('\n');
    free(cell);
    free(w);
}

/* Front of (run, wl, mode): stored when the objective set is the run's,
 * computed from its stored results otherwise. */
static int front_of(dse_db *db, const dse_run_info *r, const char *wl, dse_mode mode, const char *obj,
                    const dse_objective *o, int k, member **out, size_t *n, dse_err *e)
{
    uint64_t *fidx = NULL;
    size_t nf = 0;
    if (strcmp(obj, r->objectives) == 0 && strcmp(r->status, "done") == 0) {
        if (dse_db_get_front(db, r->id, wl, mode, obj, &fidx, &nf, e)) return DSE_EIO;
    } else {
        int metrics[DSE_MAX_OBJECTIVES];
        uint64_t *idx;
        double *vals;
        size_t nv;
        for (int j = 0; j < k; j++) metrics[j] = o[j].metric;
        if (dse_db_objective_values(db, r->id, wl, mode, metrics, k, &idx, &vals, &nv, e)) return DSE_EIO;
        size_t *rows = malloc((nv ? nv : 1) * sizeof *rows);
        fidx = malloc((nv ? nv : 1) * sizeof *fidx);
        nf = dse_pareto_front(vals, idx, nv, o, k, rows);
        for (size_t i = 0; i < nf; i++) fidx[i] = idx[rows[i]];
        free(rows);
        free(idx);
        free(vals);
    }
    member *f = calloc(nf ? nf : 1, sizeof *f);
    for (size_t i = 0; i < nf; i++) {
        f[i].idx = fidx[i];
        if (dse_db_get_point(db, r->id, fidx[i], &f[i].p, f[i].preset, sizeof f[i].preset, NULL, e) ||
            dse_db_get_result(db, r->id, fidx[i], wl, mode, &f[i].m, e)) {
            free(f);
            free(fidx);
            return e->code ? e->code : DSE_EIO;
        }
    }
    free(fidx);
    *out = f;
    *n = nf;
    return DSE_OK;
}

typedef struct args {
    const char *db, *mode, *workload, *objectives;
    long run;
    int format;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if (cli_is_help(argv[i])) {
            fputs(pareto_help, stdout);
            return -2;
        }
        if ((r = cli_opt_arg("pareto", argc, argv, &i, "db", &v))) {
            if (r < 0) return -1;
            a->db = v;
        } else if ((r = cli_opt_arg("pareto", argc, argv, &i, "run", &v))) {
            if (r < 0 || cli_parse_long("pareto", "run", v, 1, 0x7fffffffL, &a->run)) return -1;
        } else if ((r = cli_opt_arg("pareto", argc, argv, &i, "mode", &v))) {
            if (r < 0) return -1;
            if (dse_mode_find(v) < 0)
                return cli_usage("pareto", "--mode: expected dense, weight, act or dual, got '%s'", v), -1;
            a->mode = v;
        } else if ((r = cli_opt_arg("pareto", argc, argv, &i, "workload", &v))) {
            if (r < 0) return -1;
            a->workload = v;
        } else if ((r = cli_opt_arg("pareto", argc, argv, &i, "objectives", &v))) {
            if (r < 0) return -1;
            a->objectives = v;
        } else if ((r = cli_opt_arg("pareto", argc, argv, &i, "format", &v))) {
            if (r < 0) return -1;
            if (strcmp(v, "table") == 0) a->format = FMT_TABLE;
            else if (strcmp(v, "csv") == 0) a->format = FMT_CSV;
            else if (strcmp(v, "json") == 0) a->format = FMT_JSON;
            else return cli_usage("pareto", "--format: expected table, csv or json, got '%s'", v), -1;
        } else if (argv[i][0] == '-') {
            return cli_usage("pareto", "unknown option '%s'", argv[i]), -1;
        } else {
            return cli_usage("pareto", "unexpected argument '%s'", argv[i]), -1;
        }
    }
    if (!a->db) return cli_usage("pareto", "missing --db FILE"), -1;
    return 0;
}

int cmd_pareto(int argc, char **argv)
{
    args a;
    int r = parse_args(argc, argv, &a);
    if (r == -2) return CLI_EXIT_OK;
    if (r) return CLI_EXIT_USAGE;
    dse_objective o[DSE_MAX_OBJECTIVES];
    int k = 0;
    dse_err e = {0};
    if (a.objectives && dse_pareto_parse(a.objectives, o, &k, &e))
        return cli_usage("pareto", "--%s", e.msg);

    dse_db *db;
    if (dse_db_open(&db, a.db, 0, &e)) return cli_fail(&e);
    int64_t run = a.run;
    dse_run_info ri;
    char **wls = NULL, obj[256];
    int nwl = 0, varies[DSE_NPARAMS], rc;
    if ((!run && (rc = dse_db_run_latest(db, &run, &e))) || (rc = dse_db_run_get(db, run, &ri, &e)) ||
        (rc = dse_db_workloads(db, run, &wls, &nwl, &e)) || (rc = dse_db_varying(db, run, 1, varies, &e)))
        goto out;
    int any = 0;
    for (int j = 0; j < DSE_NPARAMS; j++) any |= varies[j];
    if (!any && (rc = dse_db_varying(db, run, 0, varies, &e))) goto out;   /* presets only */
    if (!a.objectives && (rc = dse_pareto_parse(ri.objectives, o, &k, &e))) goto out;
    dse_pareto_format(o, k, obj, sizeof obj);
    if (strcmp(ri.status, "done") != 0)
        cli_msg("run %lld is %s: fronts over the %lld result rows stored so far", (long long)run,
                ri.status, (long long)ri.nresults);
    if (a.workload) {
        int found = 0;
        for (int i = 0; i < nwl; i++) found |= strcmp(wls[i], a.workload) == 0;
        if (!found) {
            rc = dse_errf(&e, DSE_EINPUT, "run %lld has no results for workload '%s'", (long long)run, a.workload);
            goto out;
        }
    }
    if (a.format == FMT_CSV) csv_header();
    if (a.format == FMT_JSON) printf("{\"run\": %lld, \"blocks\": [", (long long)run);
    int first = 1;
    for (int w = 0; w < nwl && rc == DSE_OK; w++) {
        if (a.workload && strcmp(wls[w], a.workload) != 0) continue;
        for (int m = 0; m < DSE_NMODES; m++) {
            if (a.mode && m != dse_mode_find(a.mode)) continue;
            member *f = NULL;
            size_t n = 0;
            if ((rc = front_of(db, &ri, wls[w], (dse_mode)m, obj, o, k, &f, &n, &e))) break;
            if (a.format == FMT_TABLE) table_block(wls[w], (dse_mode)m, obj, o, k, varies, f, n);
            else if (a.format == FMT_CSV) csv_rows(wls[w], (dse_mode)m, f, n);
            else json_block(first, wls[w], (dse_mode)m, obj, f, n);
            first = 0;
            free(f);
        }
    }
    if (a.format == FMT_JSON) printf("\n]}\n");
out:
    dse_db_free_names(wls, nwl);
    dse_db_close(db);
    return rc ? cli_fail(&e) : CLI_EXIT_OK;
}
