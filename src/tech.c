/* tech.c -- technology files: named per-operation energy and area figures, each with its source. */
#include "cost.h"
#include "memo.h"
#include "yamlw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tentry {
    char *key;       /* entry name, e.g. "mult8_pj" */
    double value;
    char *unit;      /* e.g. "pJ", "um2", "fraction" */
    char *source;    /* citation or "estimate: <reasoning>" */
    unsigned long line, col; /* of its key, 1-based */
} tentry;

struct dse_tech {
    char path[512];  /* file it was read from */
    char node[64];   /* file-level node name, e.g. "45nm" */
    char *source;    /* file-level source text */
    int n;
    tentry *e;       /* n entries, file order */
};

static const char *const entry_keys[] = {"value", "unit", "source", NULL};

void dse_tech_free(dse_tech *t)
{
    if (!t) return;
    for (int i = 0; i < t->n; i++) {
        free(t->e[i].key);
        free(t->e[i].unit);
        free(t->e[i].source);
    }
    free(t->e);
    free(t->source);
    free(t);
}

/* Copy of a required non-empty string field of entry map m; error names it. */
static int req_str(yamlw *y, yaml_node_t *m, const char *entry, const char *field,
                   char **out, dse_err *e)
{
    yaml_node_t *v = yamlw_get(y, m, field);
    if (!v) return yamlw_errf(y, m, e, "technology entry '%s' has no '%s'", entry, field);
    const char *s = yamlw_text(v);
    if (!s) return yamlw_errf(y, v, e, "technology entry '%s': '%s' must be a string", entry, field);
    if (!s[0]) return yamlw_errf(y, v, e, "technology entry '%s': '%s' is empty", entry, field);
    *out = dse_xstrdup(s);
    return DSE_OK;
}

/* Parse one entry `key: {value, unit, source}` into t->e[t->n]. */
static int load_entry(yamlw *y, dse_tech *t, yaml_node_t *k, yaml_node_t *v, dse_memo *seen, dse_err *e)
{
    const char *key = yamlw_text(k);
    if (dse_memo_seen(seen, key, strlen(key)))
        return yamlw_errf(y, k, e, "duplicate technology entry '%s'", key);
    if (!yamlw_is_map(v))
        return yamlw_errf(y, v, e, "technology entry '%s' must be a mapping {value, unit, source}", key);
    char what[160];
    snprintf(what, sizeof what, "technology entry '%s'", key);
    if (yamlw_check_keys(y, v, entry_keys, what, e)) return DSE_EINPUT;
    yaml_node_t *val = yamlw_get(y, v, "value");
    if (!val) return yamlw_errf(y, v, e, "technology entry '%s' has no 'value'", key);
    tentry *te = &t->e[t->n];
    memset(te, 0, sizeof *te);
    te->line = k->start_mark.line + 1;
    te->col = k->start_mark.column + 1;
    if (yamlw_real(y, val, 0.0, 1e300, &te->value, e)) return DSE_EINPUT;
    te->key = dse_xstrdup(key);
    t->n++;  /* owned from here on, freed with t */
    if (req_str(y, v, key, "unit", &te->unit, e)) return DSE_EINPUT;
    if (req_str(y, v, key, "source", &te->source, e)) return DSE_EINPUT;
    return DSE_OK;
}

static int load_root(yamlw *y, dse_tech *t, dse_err *e)
{
    yaml_node_t *root = yamlw_root(y);
    if (!yamlw_is_map(root)) return yamlw_errf(y, root, e, "technology file must be a mapping");
    int len = yamlw_len(root);
    t->e = dse_xcalloc((size_t)len + 1, sizeof *t->e);
    int seen_node = 0, rc = DSE_OK;
    dse_memo *seen = dse_memo_new(1);
    for (int i = 0; i < len && rc == DSE_OK; i++) {
        yaml_node_t *k, *v;
        yamlw_pair(y, root, i, &k, &v);
        const char *key = yamlw_text(k);
        if (!key) rc = yamlw_errf(y, k, e, "keys must be plain scalars");
        else if (strcmp(key, "node") == 0) {
            if (seen_node++) rc = yamlw_errf(y, k, e, "duplicate key 'node'");
            else if (yamlw_str(y, v, t->node, sizeof t->node, e)) rc = DSE_EINPUT;
        } else if (strcmp(key, "source") == 0) {
            const char *s = yamlw_text(v);
            if (t->source) rc = yamlw_errf(y, k, e, "duplicate key 'source'");
            else if (!s || !s[0]) rc = yamlw_errf(y, v, e, "'source' must be a non-empty string");
            else t->source = dse_xstrdup(s);
        } else {
            rc = load_entry(y, t, k, v, seen, e);
        }
    }
    dse_memo_free(seen);
    if (rc) return rc;
    if (!seen_node) return yamlw_errf(y, root, e, "technology file has no 'node'");
    if (!t->source) return yamlw_errf(y, root, e, "technology file has no 'source'");
    if (t->n == 0) return yamlw_errf(y, root, e, "technology file has no entries");
    return DSE_OK;
}

/* Load path into a new dse_tech. On error *t is NULL and e holds a located
 * message; the caller owns *t on success (dse_tech_free). */
int dse_tech_load(dse_tech **t, const char *path, dse_err *e)
{
    yamlw y;
    *t = NULL;
    int rc = yamlw_load(&y, path, NULL, e);
    if (rc) return rc;
    dse_tech *nt = dse_xcalloc(1, sizeof *nt);
    dse_strlcpy(nt->path, path, sizeof nt->path);
    rc = load_root(&y, nt, e);
    yamlw_free(&y);
    if (rc) { dse_tech_free(nt); return rc; }
    *t = nt;
    return DSE_OK;
}

static const tentry *find(const dse_tech *t, const char *key)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->e[i].key, key) == 0) return &t->e[i];
    return NULL;
}

/* *v = value of key; missing -> DSE_EINPUT naming the entry and the file. */
int dse_tech_get(const dse_tech *t, const char *key, double *v, dse_err *e)
{
    const tentry *te = find(t, key);
    if (!te) return dse_errf(e, DSE_EINPUT, "%s: error: technology entry '%s' is missing", t->path, key);
    *v = te->value;
    return DSE_OK;
}

/* Source text of key (owned by t), or NULL when the entry is absent. */
const char *dse_tech_source(const dse_tech *t, const char *key)
{
    const tentry *te = find(t, key);
    return te ? te->source : NULL;
}

const char *dse_tech_where(const dse_tech *t, const char *key, char *buf, size_t n)
{
    const tentry *te = find(t, key);
    if (te) snprintf(buf, n, "%s:%lu:%lu", t->path, te->line, te->col);
    else snprintf(buf, n, "%s", t->path);
    return buf;
}

int dse_tech_count(const dse_tech *t) { return t->n; }

/* Entry i in file order; strings are owned by t. Out-of-range i gives NULLs. */
void dse_tech_entry(const dse_tech *t, int i, const char **key, double *value, const char **unit, const char **source)
{
    const tentry *te = (i >= 0 && i < t->n) ? &t->e[i] : NULL;
    if (key) *key = te ? te->key : NULL;
    if (value) *value = te ? te->value : 0.0;
    if (unit) *unit = te ? te->unit : NULL;
    if (source) *source = te ? te->source : NULL;
}

const char *dse_tech_path(const dse_tech *t) { return t->path; }

/* Unit text of entry key (owned by t), or NULL. */
static const char *entry_unit(const dse_tech *t, const char *key)
{
    int n = dse_tech_count(t);
    for (int i = 0; i < n; i++) {
        const char *k, *u;
        dse_tech_entry(t, i, &k, NULL, &u, NULL);
        if (strcmp(k, key) == 0) return u;
    }
    return NULL;
}

int dse_tech_coeff(const dse_tech *t, const char *key, const char *unit, double lo, double hi,
                 double *v, dse_err *e)
{
    char at[600];
    if (dse_tech_get(t, key, v, e)) return DSE_EINPUT;
    const char *u = entry_unit(t, key);
    if (!u || strcmp(u, unit) != 0)
        return dse_errf(e, DSE_EINPUT, "%s: error: technology entry '%s' has unit '%s', expected '%s'",
                        dse_tech_where(t, key, at, sizeof at), key, u ? u : "", unit);
    if (!(*v >= lo && *v <= hi))
        return dse_errf(e, DSE_EINPUT, "%s: error: technology entry '%s' = %g is out of range [%.10g, %.10g]",
                        dse_tech_where(t, key, at, sizeof at), key, *v, lo, hi);
    return DSE_OK;
}
