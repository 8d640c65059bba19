/* sched.c -- borrowing schedulers on 0/1 tiles: Bit-Tactical static greedy, online arbitration, dual sparsity. */
#include "sched.h"

#include <stdlib.h>
#include <string.h>

/* ---- tiles ---- */

void dse_tile_alloc(dse_tile *t, int units, int steps, int lanes)
{
    t->units = units;
    t->steps = steps;
    t->lanes = lanes;
    t->bits = dse_xcalloc((size_t)units * steps * lanes + 1, 1);
}

void dse_tile_free(dse_tile *t)
{
    if (!t) return;
    free(t->bits);
    t->bits = NULL;
    t->units = t->steps = t->lanes = 0;
}

/* ---- windows ---- */

static int cmp_offset(const void *pa, const void *pb)
{
    const dse_offset *a = pa, *b = pb;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    if (a->o != b->o) return a->o < b->o ? -1 : 1;
    return 0;
}

/* Unit entries sort by h, then |u|, then -u before +u. */
static int cmp_unit(const void *pa, const void *pb)
{
    const dse_offset *a = pa, *b = pb;
    int au = abs(a->u), bu = abs(b->u);
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    if (au != bu) return au < bu ? -1 : 1;
    return a->u < b->u ? -1 : (a->u > b->u);
}

int dse_sched_window_size(const dse_window *w)
{
    int H = w->lookahead > 0 ? w->lookahead : 0, D = w->lookaside > 0 ? w->lookaside : 0;
    int U = w->unit > 0 ? w->unit : 0;
    int n = w->shape == DSE_SHAPE_RECT ? H * (2 * D + 1) : H + D;
    return n + 2 * U * (H > 0 ? H : 1);
}

/* Same-unit entries of the shape, unsorted; returns the count. */
static int shape_entries(const dse_window *w, dse_offset *e)
{
    int H = w->lookahead > 0 ? w->lookahead : 0, D = w->lookaside > 0 ? w->lookaside : 0;
    int n = 0;
    if (w->shape == DSE_SHAPE_RECT) {
        for (int h = 1; h <= H; h++)
            for (int o = -D; o <= D; o++) e[n++] = (dse_offset){h, o, 0};
        return n;
    }
    for (int h = 1; h <= H; h++) e[n++] = (dse_offset){h, 0, 0};
    if (w->shape == DSE_SHAPE_L) {
        for (int d = 1; d <= D; d++) e[n++] = (dse_offset){1, -d, 0};
        return n;
    }
    /* T: pairs (h,+k) (h,-k), h from 1 up by one per pair, wrapping past H. */
    int h = 1, k = 1;
    for (int i = 0; i < D; i++) {
        e[n++] = (dse_offset){h, (i % 2 == 0) ? k : -k, 0};
        if (i % 2 == 1) {
            k++;
            if (++h > H) h = 1;
        }
    }
    return n;
}

/* Writes the window into out (at most max entries): same-unit entries
 * sorted by (h, o), then unit entries (h, 0, u) for h = 1..max(H,1),
 * u = -1, +1, -2, +2, ..., sorted by (h, |u|, u). Returns the number
 * written (min(max, dse_sched_window_size(w))). */
int dse_sched_window(const dse_window *w, dse_offset *out, int max)
{
    int total = dse_sched_window_size(w);
    dse_offset *e = dse_xmalloc(sizeof *e * (size_t)(total + 1));
    int n = shape_entries(w, e);
    qsort(e, (size_t)n, sizeof *e, cmp_offset);
    int H = w->lookahead > 0 ? w->lookahead : 1, U = w->unit > 0 ? w->unit : 0;
    int m = n;
    for (int h = 1; h <= H; h++)
        for (int u = 1; u <= U; u++) {
            e[m++] = (dse_offset){h, 0, -u};
            e[m++] = (dse_offset){h, 0, u};
        }
    qsort(e + n, (size_t)(m - n), sizeof *e, cmp_unit);
    int k = m < max ? m : max;
    if (k > 0) memcpy(out, e, sizeof *e * (size_t)k);
    free(e);
    return k;
}

/* A window compiled for a lane count: offsets reduced mod lanes; rect
 * entries aliasing an earlier entry (same h, lane, unit) are dropped. */
typedef struct cwin {
    dse_offset *e;   /* owned; o in 0..lanes-1 */
    int n;
    int H;           /* lookahead: at most H rows skipped / H+1 advanced */
    int hmax;        /* deepest entry (>= H; 1 for lookaside-only windows) */
    uint16_t *ltab;  /* owned; ltab[i * lanes + l] = source lane of entry i for lane l */
} cwin;

static void cwin_make(cwin *c, const dse_window *w, int lanes)
{
    int total = dse_sched_window_size(w);
    c->e = dse_xmalloc(sizeof *c->e * (size_t)(total + 1));
    int n = dse_sched_window(w, c->e, total), k = 0;
    for (int i = 0; i < n; i++) {
        dse_offset x = c->e[i];
        x.o = ((x.o % lanes) + lanes) % lanes;
        int dup = 0;
        if (w->shape == DSE_SHAPE_RECT)
            for (int j = 0; j < k && !dup; j++)
                dup = c->e[j].h == x.h && c->e[j].o == x.o && c->e[j].u == x.u;
        if (!dup) c->e[k++] = x;
    }
    c->n = k;
    c->H = w->lookahead > 0 ? w->lookahead : 0;
    c->hmax = c->H;
    for (int i = 0; i < k; i++)
        if (c->e[i].h > c->hmax) c->hmax = c->e[i].h;
    c->ltab = dse_xmalloc(sizeof *c->ltab * ((size_t)k * lanes + 1));
    for (int i = 0; i < k; i++)
        for (int l = 0; l < lanes; l++) c->ltab[(size_t)i * lanes + l] = (uint16_t)((l + c->e[i].o) % lanes);
}

static void cwin_free(cwin *c) { free(c->e); free(c->ltab); c->e = NULL; c->ltab = NULL; }

/* ---- static scheduler (Bit-Tactical greedy) ---- */

/* Working state of one static schedule. v is the buffer being rewritten;
 * orig (optional) the dense slot each value came from; need[u*T+t] the
 * latest original row of a value now in (u, t). */
typedef struct sgreedy {
    int U, T, L;
    uint8_t *v;
    int *rowcnt;     /* T: values in each row, all units */
    int *need;       /* U*T */
    int *orig;       /* U*T*L or NULL; -1 empty */
    uint8_t *proc;   /* T: 1 processed, 0 skipped */
    int *cnt;        /* L: candidates per empty lane */
    uint8_t *empty;  /* L */
    int *act;        /* L: lanes still competing in fill_row */
    long *roff;      /* window entries: source row offsets for the current (unit, row) */
    int rule;        /* SCHED_TCL or SCHED_FIRSTFIT */
    long borrowed, unit_borrowed;
} sgreedy;

enum { SCHED_TCL, SCHED_FIRSTFIT };

#define SLOT(U_, T_, L_, u, t, l) (((size_t)(u) * (T_) + (t)) * (L_) + (l))

/* Per-(unit, row) entry sources: roff[i] = index of lane 0 of the source
 * row of entry i, or -1 when the entry leaves the set. */
static void entry_rows(const sgreedy *s, const cwin *w, int f, int t, long *roff)
{
    for (int i = 0; i < w->n; i++) {
        int uf = f + w->e[i].u, ts = t + w->e[i].h;
        roff[i] = (uf < 0 || uf >= s->U || ts >= s->T) ? -1 : (long)SLOT(s->U, s->T, s->L, uf, ts, 0);
    }
}

/* Source lane of entry i for lane l. */
#define SRC_LANE(w, i, l, L) ((w)->ltab[(size_t)(i) * (L) + (l)])

/* Move the value at src into (f, t, lane) by entry i. */
static void move_value(sgreedy *s, const cwin *w, int i, int f, int t, int lane, long src)
{
    long dst = (long)SLOT(s->U, s->T, s->L, f, t, lane);
    int ts = t + w->e[i].h;
    s->v[dst] = 1;
    s->v[src] = 0;
    s->rowcnt[ts]--;
    s->rowcnt[t]++;
    if (s->orig) { s->orig[dst] = s->orig[src]; s->orig[src] = -1; }
    int *nd = &s->need[(size_t)f * s->T + t];
    if (ts > *nd) *nd = ts;   /* sources are never moved values: ts is the origin row */
    s->borrowed++;
    if (w->e[i].u) s->unit_borrowed++;
}

/* Fill the empty lanes of (filter f, row t). TCL rule: repeatedly give the
 * lane with the most candidates (lowest on ties) its first candidate;
 * counts are kept incrementally (a move only empties one source slot).
 * First-fit rule: lanes in order take their first candidate. */
static void fill_row(sgreedy *s, const cwin *w, int f, int t)
{
    int L = s->L;
    long *roff = s->roff;
    uint8_t *row = s->v + SLOT(s->U, s->T, L, f, t, 0);
    entry_rows(s, w, f, t, roff);
    if (s->rule == SCHED_FIRSTFIT) {
        for (int l = 0; l < L; l++) {
            if (row[l]) continue;
            for (int i = 0; i < w->n; i++) {
                if (roff[i] < 0) continue;
                long src = roff[i] + SRC_LANE(w, i, l, L);
                if (s->v[src]) { move_value(s, w, i, f, t, l, src); break; }
            }
        }
        return;
    }
    int ne = 0;
    for (int l = 0; l < L; l++) {
        s->empty[l] = !row[l];
        ne += !row[l];
        s->cnt[l] = 0;
    }
    if (!ne) return;
    for (int i = 0; i < w->n; i++) {
        if (roff[i] < 0) continue;
        const uint8_t *src = s->v + roff[i];
        const uint16_t *lt = w->ltab + (size_t)i * L;
        for (int l = 0; l < L; l++) s->cnt[l] += src[lt[l]];
    }
    int na = 0;   /* act: empty lanes with candidates, ascending; filtered lazily */
    for (int l = 0; l < L; l++)
        if (s->empty[l] && s->cnt[l] > 0) s->act[na++] = l;
    while (na > 0) {
        int best = -1, bc = 0, k = 0;
        for (int j = 0; j < na; j++) {
            int l = s->act[j];
            if (!s->empty[l] || s->cnt[l] == 0) continue;
            s->act[k++] = l;
            if (s->cnt[l] > bc) best = l, bc = s->cnt[l];
        }
        na = k;
        if (best < 0) break;
        int i = 0;
        long src = -1;
        for (; i < w->n; i++) {
            if (roff[i] < 0) continue;
            src = roff[i] + SRC_LANE(w, i, best, L);
            if (s->v[src]) break;
        }
        move_value(s, w, i, f, t, best, src);
        s->empty[best] = 0;
        /* Every empty lane with an entry pointing at the vacated source loses it. */
        int ls = (int)(src % L);
        for (int j = 0; j < w->n; j++) {
            if (roff[j] != roff[i]) continue;
            int l2 = ls - w->e[j].o;
            if (l2 < 0) l2 += L;
            if (s->empty[l2]) s->cnt[l2]--;
        }
    }
}

/* Run the greedy over the whole tile. */
static void greedy_run(sgreedy *s, const cwin *w)
{
    int skip = 0;
    for (int t = 0; t < s->T; t++) {
        if (skip < w->H && s->rowcnt[t] == 0) {
            skip++;
            s->proc[t] = 0;
            continue;
        }
        skip = 0;
        s->proc[t] = 1;
        if (w->n == 0) continue;
        long ahead = 0;   /* nothing within reach: no filter can borrow */
        for (int h = 1; h <= w->hmax && t + h < s->T; h++) ahead += s->rowcnt[t + h];
        if (!ahead) continue;
        for (int f = 0; f < s->U; f++) fill_row(s, w, f, t);
    }
}

static void sgreedy_init(sgreedy *s, const dse_tile *tile, const cwin *w, int rule, int want_orig)
{
    s->rule = rule;
    s->roff = dse_xmalloc(sizeof *s->roff * (size_t)(w->n + 1));
    s->U = tile->units; s->T = tile->steps; s->L = tile->lanes;
    size_t n = (size_t)s->U * s->T * s->L;
    s->v = dse_xmalloc(n + 1);
    memcpy(s->v, tile->bits, n);
    s->rowcnt = dse_xcalloc((size_t)s->T + 1, sizeof *s->rowcnt);
    s->need = dse_xmalloc(sizeof *s->need * ((size_t)s->U * s->T + 1));
    s->proc = dse_xmalloc((size_t)s->T + 1);
    s->cnt = dse_xmalloc(sizeof *s->cnt * (size_t)s->L);
    s->empty = dse_xmalloc((size_t)s->L);
    s->orig = want_orig ? dse_xmalloc(sizeof *s->orig * (n + 1)) : NULL;
    s->act = dse_xmalloc(sizeof *s->act * (size_t)s->L);
    const uint8_t *p = s->v;
    for (int u = 0; u < s->U; u++)
        for (int t = 0; t < s->T; t++) {
            s->need[(size_t)u * s->T + t] = t;
            int c = 0;
            for (int l = 0; l < s->L; l++) c += *p++;
            s->rowcnt[t] += c;
        }
    if (s->orig)
        for (size_t i = 0; i < n; i++) s->orig[i] = s->v[i] ? (int)i : -1;
    s->borrowed = s->unit_borrowed = 0;
}

static void sgreedy_free(sgreedy *s)
{
    free(s->v); free(s->rowcnt); free(s->need); free(s->proc);
    free(s->cnt); free(s->empty); free(s->orig); free(s->roff); free(s->act);
}

/* Lock-step cycles: the rows the greedy processed. */
static long cycles_lockstep(const sgreedy *s)
{
    long c = 0;
    for (int t = 0; t < s->T; t++) c += s->proc[t];
    return c;
}

static long popcount(const uint8_t *b, size_t n)
{
    long c = 0;
    for (size_t i = 0; i < n; i++) c += b[i] != 0;
    return c;
}

/* Shared window (docs/scheduler.md). Every filter is scheduled alone, as
 * a Bit-Tactical set of one (its own empty-row skipping); proc/need hold
 * its processed rows and, per row, the latest original row it reads. The
 * filters then share one activation window holding rows b..b+depth, b = the
 * row the slowest filter is at: each cycle every filter whose next
 * processed row p has need(p) <= b + depth runs it. */
static long cycles_shared(const dse_tile *w, const cwin *c, int rule, long depth, dse_sched_stats *st)
{
    int U = w->units, T = w->steps, L = w->lanes;
    uint8_t *proc = dse_xmalloc((size_t)U * T + 1);
    int *need = dse_xmalloc(sizeof *need * ((size_t)U * T + 1));
    int *p = dse_xmalloc(sizeof *p * (size_t)(U + 1));
    for (int u = 0; u < U; u++) {
        dse_tile one = {1, T, L, w->bits + (size_t)u * T * L};
        sgreedy s;
        sgreedy_init(&s, &one, c, rule, 0);
        greedy_run(&s, c);
        memcpy(proc + (size_t)u * T, s.proc, (size_t)T);
        memcpy(need + (size_t)u * T, s.need, sizeof *need * (size_t)T);
        st->ops += popcount(s.v, (size_t)T * L);
        st->borrowed += s.borrowed;
        sgreedy_free(&s);
    }
    long cycles = 0;
    for (;;) {
        int b = T;
        for (int u = 0; u < U; u++) {
            if (cycles == 0) {
                p[u] = 0;
                while (p[u] < T && !proc[(size_t)u * T + p[u]]) p[u]++;
            }
            if (p[u] < b) b = p[u];
        }
        if (b >= T) break;
        cycles++;
        for (int u = 0; u < U; u++) {
            if (p[u] >= T || need[(size_t)u * T + p[u]] > b + depth) continue;
            do p[u]++; while (p[u] < T && !proc[(size_t)u * T + p[u]]);
        }
    }
    free(proc);
    free(need);
    free(p);
    return cycles;
}

static int static_run(const dse_tile *w, const dse_window *win, dse_advance adv, int rule,
                      long depth, dse_sched_stats *st)
{
    memset(st, 0, sizeof *st);
    if (w->units <= 0 || w->steps < 0 || w->lanes <= 0) return DSE_EINPUT;
    if (adv == DSE_ADVANCE_SHARED && win->unit > 0) return DSE_EINPUT;  /* needs lock-step */
    cwin c;
    cwin_make(&c, win, w->lanes);
    st->steps = w->steps;
    if (adv == DSE_ADVANCE_SHARED) {
        if (depth < c.hmax) depth = c.hmax;
        st->cycles = cycles_shared(w, &c, rule, depth, st);
        cwin_free(&c);
        return DSE_OK;
    }
    sgreedy s;
    sgreedy_init(&s, w, &c, rule, 0);
    greedy_run(&s, &c);
    st->cycles = cycles_lockstep(&s);
    st->ops = popcount(s.v, (size_t)w->units * w->steps * w->lanes);
    st->borrowed = s.borrowed;
    st->unit_borrowed = s.unit_borrowed;
    sgreedy_free(&s);
    cwin_free(&c);
    return DSE_OK;
}

/* Static schedule of one set w (units = filters) by the Bit-Tactical
 * greedy. Returns DSE_OK, or DSE_EINPUT for an empty geometry. The tile
 * is not modified. */
int dse_sched_static(const dse_tile *w, const dse_window *win, dse_advance adv, dse_sched_stats *st)
{
    return static_run(w, win, adv, SCHED_TCL, 1L << 40, st);
}

/* Shared advance with a bounded window: rows b..b+depth (depth < hmax is
 * raised to hmax, the deepest window entry). DSE_ADVANCE_SHARED is this
 * with an unbounded depth. Returns DSE_EINPUT for an empty geometry or
 * unit lookaside (which needs lock-step). */
int dse_sched_shared(const dse_tile *w, const dse_window *win, long depth, dse_sched_stats *st)
{
    return static_run(w, win, DSE_ADVANCE_SHARED, SCHED_TCL, depth, st);
}

/* The better of the Bit-Tactical greedy and the first-fit greedy (the
 * online arbitration's choices, made offline); ties keep Bit-Tactical's. */
int dse_sched_offline(const dse_tile *w, const dse_window *win, dse_advance adv, dse_sched_stats *st)
{
    dse_sched_stats ff;
    int rc = static_run(w, win, adv, SCHED_TCL, 1L << 40, st);
    if (rc) return rc;
    static_run(w, win, adv, SCHED_FIRSTFIT, 1L << 40, &ff);
    if (ff.cycles < st->cycles) *st = ff;
    return DSE_OK;
}

/* ---- online scheduler ---- */

/* One lock-step group in hardware (docs/scheduler.md). v (U*T*L, consumed)
 * holds the remaining operations; units of the same block of g consecutive
 * units may borrow from one another. moved (optional, per slot): 1 = the
 * operation already sits away from its dense home, 2 = in another unit. */
static long online_run(uint8_t *v, int U, int T, int L, int g, const cwin *w,
                       const uint8_t *moved, dse_sched_stats *st)
{
    int *rowcnt = dse_xcalloc((size_t)T + 1, sizeof *rowcnt);
    long *roff = dse_xmalloc(sizeof *roff * (size_t)(w->n + 1));
    for (int u = 0; u < U; u++)
        for (int t = 0; t < T; t++)
            for (int l = 0; l < L; l++) rowcnt[t] += v[SLOT(U, T, L, u, t, l)];
    long b = 0, cycles = 0;
    while (b < T && b < w->H && rowcnt[b] == 0) b++;  /* leading empty rows, as Bit-Tactical */
    while (b < T) {
        cycles++;
        long ahead = 0;
        for (int h = 1; h <= w->hmax && b + h < T; h++) ahead += rowcnt[b + h];
        for (int u = 0; u < U; u++) {
            uint8_t *row = v + SLOT(U, T, L, u, b, 0);
            for (int i = 0; i < w->n; i++) {
                int uf = u + w->e[i].u;
                long ts = b + w->e[i].h;
                roff[i] = (!ahead || uf < 0 || uf >= U || uf / g != u / g || ts >= T)
                              ? -1 : (long)SLOT(U, T, L, uf, ts, 0);
            }
            for (int l = 0; l < L; l++) {
                if (row[l]) {
                    row[l] = 0;
                    rowcnt[b]--;
                    st->ops++;
                    if (moved && moved[SLOT(U, T, L, u, b, l)]) {
                        st->borrowed++;
                        if (moved[SLOT(U, T, L, u, b, l)] == 2) st->unit_borrowed++;
                    }
                    continue;
                }
                for (int i = 0; i < w->n; i++) {
                    if (roff[i] < 0) continue;
                    size_t src = (size_t)roff[i] + SRC_LANE(w, i, l, L);
                    if (!v[src]) continue;
                    v[src] = 0;
                    rowcnt[b + w->e[i].h]--;
                    st->ops++;
                    st->borrowed++;
                    if (w->e[i].u || (moved && moved[src] == 2)) st->unit_borrowed++;
                    break;
                }
            }
        }
        long k = 0;
        while (b < T && k <= w->H && rowcnt[b] == 0) b++, k++;
    }
    free(rowcnt);
    free(roff);
    return cycles;
}

/* Online schedule of one lock-step group a (units = output pixels).
 * Returns DSE_OK or DSE_EINPUT for an empty geometry. */
int dse_sched_online(const dse_tile *a, const dse_window *win, dse_sched_stats *st)
{
    memset(st, 0, sizeof *st);
    if (a->units <= 0 || a->steps < 0 || a->lanes <= 0) return DSE_EINPUT;
    size_t n = (size_t)a->units * a->steps * a->lanes;
    uint8_t *v = dse_xmalloc(n + 1);
    memcpy(v, a->bits, n);
    cwin c;
    cwin_make(&c, win, a->lanes);
    st->cycles = online_run(v, a->units, a->steps, a->lanes, a->units, &c, NULL, st);
    st->steps = a->steps;
    free(v);
    cwin_free(&c);
    return DSE_OK;
}

/* ---- dual sparsity ---- */

/* Dual: array of a->units rows x w->units cols DPUs. DPU (r, c) is unit
 * c * rows + r of the product tile, so unit lookaside (activation side)
 * reaches the other pixels of the same column. A side that the mode does
 * not treat as sparse (cfg->wsparse / asparse = 0) counts as all ones.
 * JOINT: one online pass over the pairs with cfg->a (cfg->w when only the
 * weights are sparse). CASCADED: the weights are compacted by the static
 * lock-step greedy with cfg->w, then cfg->a borrows online over the
 * compacted stream. Returns DSE_OK or DSE_EINPUT (mismatched tiles). */
int dse_sched_dual(const dse_tile *w, const dse_tile *a, const dse_config *cfg, dse_sched_stats *st)
{
    memset(st, 0, sizeof *st);
    if (w->steps != a->steps || w->lanes != a->lanes || w->units <= 0 || a->units <= 0 ||
        w->lanes <= 0 || w->steps < 0)
        return DSE_EINPUT;
    int R = a->units, C = w->units, T = w->steps, L = w->lanes;
    size_t n = (size_t)R * C * T * L;
    uint8_t *p = dse_xcalloc(n + 1, 1);
    st->steps = T;
    if (cfg->org == DSE_DUAL_JOINT || !cfg->wsparse) {
        for (int c = 0; c < C; c++)
            for (int r = 0; r < R; r++)
                for (int t = 0; t < T; t++)
                    for (int l = 0; l < L; l++) {
                        int wb = !cfg->wsparse || DSE_TILE_AT(w, c, t, l);
                        int ab = !cfg->asparse || DSE_TILE_AT(a, r, t, l);
                        p[SLOT(R * C, T, L, c * R + r, t, l)] = (uint8_t)(wb && ab);
                    }
        const dse_window *win = cfg->asparse ? &cfg->a : &cfg->w;
        cwin cw;
        cwin_make(&cw, win, L);
        st->cycles = online_run(p, R * C, T, L, R, &cw, NULL, st);
        cwin_free(&cw);
        free(p);
        return DSE_OK;
    }
    /* Cascaded: static stage over the weight columns. */
    cwin cw;
    cwin_make(&cw, &cfg->w, L);
    sgreedy s;
    sgreedy_init(&s, w, &cw, SCHED_TCL, 1);
    greedy_run(&s, &cw);
    cwin_free(&cw);
    int K = 0;
    for (int t = 0; t < T; t++) K += s.proc[t];
    uint8_t *moved = dse_xcalloc(n + 1, 1);
    int k = 0;
    for (int t = 0; t < T; t++) {
        if (!s.proc[t]) continue;
        for (int c = 0; c < C; c++)
            for (int l = 0; l < L; l++) {
                int o = s.orig[SLOT(C, T, L, c, t, l)];
                if (o < 0) continue;
                int ou = o / (T * L), ot = (o / L) % T, ol = o % L;
                for (int r = 0; r < R; r++) {
                    if (cfg->asparse && !DSE_TILE_AT(a, r, ot, ol)) continue;
                    size_t i = SLOT(R * C, K, L, c * R + r, k, l);
                    p[i] = 1;
                    moved[i] = ou != c ? 2 : (ot != t || ol != l);
                }
            }
        k++;
    }
    sgreedy_free(&s);
    if (cfg->asparse) {
        cwin ca;
        cwin_make(&ca, &cfg->a, L);
        st->cycles = online_run(p, R * C, K, L, R, &ca, moved, st);
        cwin_free(&ca);
    } else {
        /* not reached: !asparse with wsparse is a single-sided static run */
        cwin none = {NULL, 0, 0, 0, NULL};
        st->cycles = online_run(p, R * C, K, L, R, &none, moved, st);
    }
    free(moved);
    free(p);
    return DSE_OK;
}

/* ---- Bit-Tactical over a weight tensor ---- */

/* Fill tile (F units, T rows, L lanes) with set s of mask m (M,C,K2,K3). */
static void tcl_fill(dse_tile *tile, const dse_mask *m, int s, int F, int L, int nblk)
{
    int M = m->d[0], C = m->d[1], K2 = m->d[2], K3 = m->d[3];
    memset(tile->bits, 0, (size_t)tile->units * tile->steps * tile->lanes);
    for (int f = 0; f < F; f++) {
        int mf = s * F + f;
        if (mf >= M) break;
        for (int c = 0; c < C; c++)
            for (int k2 = 0; k2 < K2; k2++)
                for (int k3 = 0; k3 < K3; k3++) {
                    if (!m->bits[(((size_t)mf * C + c) * K2 + k2) * K3 + k3]) continue;
                    int t = (k3 * K2 + k2) * nblk + c / L;
                    DSE_TILE_AT(tile, f, t, c % L) = 1;
                }
    }
}

/* Sets of a whole weight tensor scheduled with unit lookaside `unit` and
 * advance policy adv (unit = 0 + LOCKSTEP is Bit-Tactical exactly). */
int dse_sched_tcl_ext(const dse_mask *w, const dse_tcl_opts *o, int unit, dse_advance adv,
                      dse_tcl_result *r, dse_err *e)
{
    memset(r, 0, sizeof *r);
    if (o->lanes < 1 || o->filters_per_set < 1 || o->tiles < 1 || o->lookahead < 0 || o->lookaside < 0 || unit < 0)
        return dse_errf(e, DSE_EINPUT, "tcl: lanes, filters per set and tiles must be >= 1, lookahead, lookaside and unit >= 0");
    if (unit > 0 && adv == DSE_ADVANCE_SHARED)
        return dse_errf(e, DSE_EINPUT, "tcl: unit lookaside needs the lock-step advance");
    for (int i = 0; i < 4; i++)
        if (w->d[i] < 1) return dse_errf(e, DSE_EINPUT, "tcl: weight mask has an empty extent");
    int M = w->d[0], C = w->d[1], F = o->filters_per_set, L = o->lanes;
    int nblk = (C + L - 1) / L;
    long T = (long)nblk * w->d[2] * w->d[3];
    if (T > (1L << 24) || (double)T * F * L > 1e9)
        return dse_errf(e, DSE_EINPUT, "tcl: set buffer too large (%ld rows)", T);
    r->nsets = (M + F - 1) / F;
    r->set_cycles = dse_xcalloc((size_t)r->nsets, sizeof *r->set_cycles);
    dse_window win = {o->lookahead, o->lookaside, unit, o->shape};
    dse_tile tile;
    dse_tile_alloc(&tile, F, (int)T, L);
    for (int s = 0; s < r->nsets; s++) {
        tcl_fill(&tile, w, s, F, L, nblk);
        dse_sched_stats st;
        dse_sched_static(&tile, &win, adv, &st);
        r->set_cycles[s] = st.cycles;
    }
    dse_tile_free(&tile);
    for (int g = 0; g < r->nsets; g += o->tiles) {
        long mx = 0;
        for (int s = g; s < r->nsets && s < g + o->tiles; s++)
            if (r->set_cycles[s] > mx) mx = r->set_cycles[s];
        r->cycles += mx;
        r->dense_cycles += T;
    }
    return DSE_OK;
}

/* Bit-Tactical's compute cycles of the whole tensor w (BRIEF section 5).
 * Fills r (r->set_cycles owned by r; free with dse_tcl_result_free).
 * Returns DSE_OK, or DSE_EINPUT with a message for bad options/extents. */
int dse_sched_tcl(const dse_mask *w, const dse_tcl_opts *o, dse_tcl_result *r, dse_err *e)
{
    return dse_sched_tcl_ext(w, o, 0, DSE_ADVANCE_LOCKSTEP, r, e);
}

/* Group per-tile cycles: groups of `tiles` consecutive tiles side by side. */
static void group_tiles(dse_tcl_result *r, int tiles, long T)
{
    r->cycles = r->dense_cycles = 0;
    for (int g = 0; g < r->nsets; g += tiles) {
        long mx = 0;
        for (int s = g; s < r->nsets && s < g + tiles; s++)
            if (r->set_cycles[s] > mx) mx = r->set_cycles[s];
        r->cycles += mx;
        r->dense_cycles += T;
    }
}

/* Activation mask (N,C,H,W) lowered 1x1: unit = pixel (n,y,x) in row-major
 * order, step = channel block, lane = channel within the block (padded).
 * Groups of `rows` consecutive pixels advance in lock-step (one online
 * schedule each); `tiles` consecutive groups run side by side. */
int dse_sched_online_mask(const dse_mask *a, const dse_window *win, int lanes, int rows, int tiles,
                          dse_tcl_result *r, dse_err *e)
{
    memset(r, 0, sizeof *r);
    if (lanes < 1 || rows < 1 || tiles < 1)
        return dse_errf(e, DSE_EINPUT, "online: lanes, rows and tiles must be >= 1");
    for (int i = 0; i < 4; i++)
        if (a->d[i] < 1) return dse_errf(e, DSE_EINPUT, "online: activation mask has an empty extent");
    int N = a->d[0], C = a->d[1], H = a->d[2], W = a->d[3], nblk = (C + lanes - 1) / lanes;
    long P = (long)N * H * W;
    if ((double)rows * nblk * lanes > 1e9 || P > (1L << 30))
        return dse_errf(e, DSE_EINPUT, "online: activation tile too large");
    r->nsets = (int)((P + rows - 1) / rows);
    r->set_cycles = dse_xcalloc((size_t)r->nsets, sizeof *r->set_cycles);
    dse_tile t;
    dse_tile_alloc(&t, rows, nblk, lanes);
    for (int g = 0; g < r->nsets; g++) {
        memset(t.bits, 0, (size_t)rows * nblk * lanes);
        for (int u = 0; u < rows; u++) {
            long p = (long)g * rows + u;
            if (p >= P) break;
            int n = (int)(p / ((long)H * W)), y = (int)(p / W % H), x = (int)(p % W);
            for (int c = 0; c < C; c++)
                DSE_TILE_AT(&t, u, c / lanes, c % lanes) =
                    a->bits[(((size_t)n * C + c) * H + y) * W + x];
        }
        dse_sched_stats st;
        dse_sched_online(&t, win, &st);
        r->set_cycles[g] = st.cycles;
    }
    dse_tile_free(&t);
    group_tiles(r, tiles, nblk);
    return DSE_OK;
}

/* Convolution of weights (M,C,K2,K3) over activations (N,C,H,W), stride 1,
 * no padding: output pixels (n, oy, ox), oy < H-K2+1, ox < W-K3+1; step
 * t = (k3*K2 + k2)*nblk + cb as in Bit-Tactical, lane = channel in block;
 * the activation of pixel (n,oy,ox) at (t, l) is a[n][cb*L+l][oy+k2][ox+k3].
 * Tiles: sets of `filters_per_set` filters (cols) x groups of `rows`
 * pixels, in the order set-major; each is one dse_sched_dual call. */
int dse_sched_dual_mask(const dse_mask *w, const dse_mask *a, const dse_config *cfg, int lanes,
                        int filters_per_set, int rows, int tiles, dse_tcl_result *r, dse_err *e)
{
    memset(r, 0, sizeof *r);
    if (lanes < 1 || rows < 1 || tiles < 1 || filters_per_set < 1)
        return dse_errf(e, DSE_EINPUT, "dual: lanes, filters per set, rows and tiles must be >= 1");
    for (int i = 0; i < 4; i++)
        if (w->d[i] < 1 || a->d[i] < 1) return dse_errf(e, DSE_EINPUT, "dual: a mask has an empty extent");
    int M = w->d[0], C = w->d[1], K2 = w->d[2], K3 = w->d[3];
    int N = a->d[0], H = a->d[2], W = a->d[3];
    if (a->d[1] != C)
        return dse_errf(e, DSE_EINPUT, "dual: weights have %d input channels, activations %d", C, a->d[1]);
    int OH = H - K2 + 1, OW = W - K3 + 1;
    if (OH < 1 || OW < 1)
        return dse_errf(e, DSE_EINPUT, "dual: kernel %dx%d larger than the %dx%d activations", K2, K3, H, W);
    int nblk = (C + lanes - 1) / lanes, F = filters_per_set;
    long T = (long)nblk * K2 * K3, P = (long)N * OH * OW;
    if ((double)T * lanes * F * rows > 1e9)
        return dse_errf(e, DSE_EINPUT, "dual: tile too large (%ld steps)", T);
    int nsets = (M + F - 1) / F;
    long ngroups = (P + rows - 1) / rows;
    if ((double)nsets * ngroups > 1e8) return dse_errf(e, DSE_EINPUT, "dual: too many tiles");
    r->nsets = (int)(nsets * ngroups);
    r->set_cycles = dse_xcalloc((size_t)r->nsets, sizeof *r->set_cycles);
    dse_tile wt, at;
    dse_tile_alloc(&wt, F, (int)T, lanes);
    dse_tile_alloc(&at, rows, (int)T, lanes);
    for (int s = 0; s < nsets; s++) {
        tcl_fill(&wt, w, s, F, lanes, nblk);
        for (long g = 0; g < ngroups; g++) {
            memset(at.bits, 0, (size_t)rows * T * lanes);
            for (int u = 0; u < rows; u++) {
                long p = g * rows + u;
                if (p >= P) break;
                int n = (int)(p / ((long)OH * OW)), oy = (int)(p / OW % OH), ox = (int)(p % OW);
                for (int c = 0; c < C; c++)
                    for (int k2 = 0; k2 < K2; k2++)
                        for (int k3 = 0; k3 < K3; k3++)
                            DSE_TILE_AT(&at, u, (k3 * K2 + k2) * nblk + c / lanes, c % lanes) =
                                a->bits[(((size_t)n * C + c) * H + oy + k2) * W + ox + k3];
            }
            dse_sched_stats st;
            dse_sched_dual(&wt, &at, cfg, &st);
            r->set_cycles[s * ngroups + g] = st.cycles;
        }
    }
    dse_tile_free(&wt);
    dse_tile_free(&at);
    group_tiles(r, tiles, T);
    return DSE_OK;
}

void dse_tcl_result_free(dse_tcl_result *r)
{
    if (!r) return;
    free(r->set_cycles);
    r->set_cycles = NULL;
    r->nsets = 0;
}
