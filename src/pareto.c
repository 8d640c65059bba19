/* pareto.c -- Pareto fronts: 2-D sort and sweep, k-D sort-filter-skyline, fixed tie policies. */
#include "pareto.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A candidate row with its values turned into "larger is better". */
typedef struct item {
    double v[DSE_MAX_OBJECTIVES];
    double sum;      /* sum of normalised values (k-D presort key) */
    uint64_t idx;    /* point index: ties keep the lowest */
    size_t row;      /* row number in the caller's arrays */
    int k;
} item;

/* Lexicographic best first, then lowest idx. */
static int cmp_lex(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    for (int j = 0; j < a->k; j++) {
        if (a->v[j] > b->v[j]) return -1;
        if (a->v[j] < b->v[j]) return 1;
    }
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* Largest normalised sum first, then lexicographic, then idx. */
static int cmp_sum(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    if (a->sum > b->sum) return -1;
    if (a->sum < b->sum) return 1;
    return cmp_lex(pa, pb);
}

/* 1 if a dominates b or equals it in every objective. */
static int covers(const item *a, const item *b)
{
    for (int j = 0; j < a->k; j++)
        if (a->v[j] < b->v[j]) return 0;
    return 1;
}

/* Sorted lexicographically, a row enters iff its second value beats every
 * earlier row's: earlier rows are at least as good in the first value. */
static size_t sweep2(item *it, size_t m)
{
    size_t f = 0;
    double best = -INFINITY;
    qsort(it, m, sizeof *it, cmp_lex);
    for (size_t i = 0; i < m; i++)
        if (f == 0 || it[i].v[1] > best) {
            best = it[i].v[1];
            it[f++] = it[i];
        }
    return f;
}

/* Presorted by normalised sum (a dominating row always sorts first: its
 * sum is >= by monotone rounding, and the lexicographic tie-break puts it
 * ahead), a row enters iff no front member covers it. */
static size_t skyline(item *it, size_t m, int k)
{
    double lo[DSE_MAX_OBJECTIVES], hi[DSE_MAX_OBJECTIVES];
    for (int j = 0; j < k; j++) lo[j] = INFINITY, hi[j] = -INFINITY;
    for (size_t i = 0; i < m; i++)
        for (int j = 0; j < k; j++) {
            if (it[i].v[j] < lo[j]) lo[j] = it[i].v[j];
            if (it[i].v[j] > hi[j]) hi[j] = it[i].v[j];
        }
    for (size_t i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < k; j++)
            if (hi[j] > lo[j]) s += (it[i].v[j] - lo[j]) / (hi[j] - lo[j]);
        it[i].sum = s;
    }
    qsort(it, m, sizeof *it, cmp_sum);
    size_t f = 0;
    for (size_t i = 0; i < m; i++) {
        size_t w = 0;
        while (w < f && !covers(&it[w], &it[i])) w++;
        if (w == f) it[f++] = it[i];
    }
    qsort(it, f, sizeof *it, cmp_lex);
    return f;
}

size_t dse_pareto_front(const double *vals, const uint64_t *idx, size_t n,
                        const dse_objective *obj, int k, size_t *out)
{
    if (k < 2 || k > DSE_MAX_OBJECTIVES || n == 0) return 0;
    item *it = dse_xmalloc(n * sizeof *it);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *r = vals + i * (size_t)k;
        int ok = 1;
        for (int j = 0; j < k; j++) {
            if (!isfinite(r[j])) ok = 0;
            /* +0.0 normalises -0.0 so equal values compare equal */
            it[m].v[j] = (obj[j].maximize ? r[j] : -r[j]) + 0.0;
        }
        if (!ok) continue;
        it[m].idx = idx[i];
        it[m].row = i;
        it[m].k = k;
        it[m].sum = 0;
        m++;
    }
    size_t f = k == 2 ? sweep2(it, m) : skyline(it, m, k);
    for (size_t i = 0; i < f; i++) out[i] = it[i].row;
    free(it);
    return f;
}

int dse_pareto_parse(const char *text, dse_objective *obj, int *k, dse_err *e)
{
    char buf[512], *save = NULL;
    *k = 0;
    if (dse_strlcpy(buf, text, sizeof buf) >= sizeof buf)
        return dse_errf(e, DSE_EINPUT, "objectives: list too long");
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int max;
        if (strncmp(t, "max:", 4) == 0) max = 1;
        else if (strncmp(t, "min:", 4) == 0) max = 0;
        else return dse_errf(e, DSE_EINPUT, "objectives: expected max:METRIC or min:METRIC, got '%s'", t);
        int m = dse_metric_find(t + 4);
        if (m < 0) return dse_errf(e, DSE_EINPUT, "objectives: unknown metric '%s'", t + 4);
        for (int j = 0; j < *k; j++)
            if (obj[j].metric == m) return dse_errf(e, DSE_EINPUT, "objectives: metric '%s' repeated", t + 4);
        if (*k == DSE_MAX_OBJECTIVES)
            return dse_errf(e, DSE_EINPUT, "objectives: more than %d objectives", DSE_MAX_OBJECTIVES);
        obj[*k].metric = m;
        obj[*k].maximize = max;
        (*k)++;
    }
    if (*k < 2) return dse_errf(e, DSE_EINPUT, "objectives: need at least 2, got %d", *k);
    return DSE_OK;
}

void dse_pareto_format(const dse_objective *obj, int k, char *buf, size_t n)
{
    size_t used = 0;
    if (n) buf[0] = '\0';
    for (int j = 0; j < k && used < n; j++) {
        int w = snprintf(buf + used, n - used, "%s%s:%s", j ? "," : "",
                         obj[j].maximize ? "max" : "min", dse_metric_names[obj[j].metric]);
        if (w < 0) break;
        used += (size_t)w;
    }
}
