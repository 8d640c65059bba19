/* chain.c -- the closed form: mean-field lock-step chains giving the borrowing speedup of a group (derivation in docs/perf.md). */
#include "chain.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "memo.h"
#include "sched.h"

/* One memo of chain results for the process, shared by every thread: a
 * sweep asks the same chain many times (the weight stage of every cascaded
 * pair, joint pairs that differ only in the unused weight window, layers of
 * the same shape, and every thread the same chains). Keys are two
 * independent hashes of every input of a chain, so a hit returns exactly
 * what a recomputation would and results never depend on the threads'
 * interleaving. At most CF_MEMO_MAX chains are kept (about 64 bytes each
 * with the table's slack); later ones are recomputed. */
#define CF_MEMO_MAX (1u << 19)
static dse_memo *chain_memo_p;
static void chain_memo_init(void)
{
    chain_memo_p = dse_memo_new(sizeof(double));
    dse_memo_limit(chain_memo_p, CF_MEMO_MAX);
}
static dse_memo *chain_memo(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, chain_memo_init);
    return chain_memo_p;
}

/* Row-count law of one pool with nr real lanes: q[k] = P(k nonzeros in a
 * row), k = 0..nr (q has g + 1 >= nr + 1 entries, the rest zero). */
static void row_law(double *q, int g, int nr, double d, const dse_sparsity *sp)
{
    for (int k = 0; k <= g; k++) q[k] = 0;
    if (sp && sp->dist == DSE_DIST_NM && sp->m > 0 && sp->n >= 0 && sp->n <= sp->m) {
        /* exactly n of every m: whole chunks, then a part of one chunk
         * (hypergeometric: rem of its m positions, n of them nonzero) */
        int m = sp->m, n = sp->n, base = nr / m * n, rem = nr % m;
        for (int k = 0; k <= rem && k <= n; k++) {
            if (rem - k > m - n) continue;
            double lp = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + lgamma(m - n + 1.0) -
                        lgamma(rem - k + 1.0) - lgamma(m - n - rem + k + 1.0) - lgamma(m + 1.0) +
                        lgamma(rem + 1.0) + lgamma(m - rem + 1.0);
            if (base + k <= g) q[base + k] = exp(lp);
        }
        return;
    }
    if (sp && sp->dist == DSE_DIST_CLUSTER && d > 0 && d < 1 && nr <= 256) {
        /* nr consecutive elements of the source's two-state chain (mask.c
         * gen_cluster), started in its stationary law */
        double run = sp->run < 1 ? 1 : sp->run, p01 = 1 / run, p10 = fmin(1, (1 - d) / (run * d));
        double a[2][257], b[2][257], s1 = p01 / (p01 + p10);
        memset(a, 0, sizeof a);
        a[0][0] = 1 - s1; a[1][0] = s1;            /* a[state][count so far] */
        for (int i = 0; i < nr; i++) {
            memset(b, 0, sizeof b);
            for (int k = 0; k <= i; k++) {
                double z = a[0][k], o = a[1][k];   /* emit the state, then move */
                b[0][k] += z * (1 - p01); b[1][k] += z * p01;
                b[0][k + 1] += o * p10; b[1][k + 1] += o * (1 - p10);
            }
            memcpy(a, b, sizeof a);
        }
        for (int k = 0; k <= nr; k++) q[k] = a[0][k] + a[1][k];
        return;
    }
    if (d >= 1) { q[nr] = 1; return; }
    if (d <= 0) { q[0] = 1; return; }
    double lp = log(d), lq = log1p(-d), lc = 0;
    for (int k = 0; k <= nr; k++) {
        q[k] = exp(lc + k * lp + (nr - k) * lq);
        lc += log((double)(nr - k)) - log((double)(k + 1));
    }
}

/* Mean-field lock-step pool chain (docs/perf.md section 5). One pool = g
 * slots per cycle that share their nonzeros perfectly and drain them
 * nearest row first; pools of J density types (weights w[j], row laws
 * q + j * (g+1)) advance in lock-step, N pools in all: the front moves to
 * the first row some pool has not drained (1..H+1 rows per cycle).
 * State of a pool at a cycle start: lead lam (rows b..b+lam-1 drained,
 * 0..H) and r, the nonzeros left in row b + lam. One cycle of a type is a
 * forward pass over the rows (cycle_type). Given the pool laws, the
 * advance law is P(A >= a) = prod_j P_j(l' >= a)^(N w_j). The pools are
 * not independent of the front's history (after a full advance every pool
 * is fresh), so the chain keeps one pool law per last advance (H + 1
 * macro states, a first-order memory) and mixes the shifts into them,
 * each conditioned on the pool having reached row A (l' >= A). Cycles are
 * iterated from the fresh start until the laws stop changing (a few
 * dozen), carrying the law of the rows done exactly; the rest of the tile
 * is finished with the renewal function of the stationary advance law.
 * priv (narrow rows, else NULL): slots private to one depth (cycle_type).
 * No heap allocation unless the state is large. Returns T / E[cycles]. */
/* Online activation-only windows slide: the lanes whose windows overlap a
 * slot's span 2g - 1 lanes, the disjoint pool g. The pool used is
 * g + CF_SLIDE (g - 1): 0 = disjoint (the static side and the dual online
 * stages, where it fits), 1 = the full overlap. A guess between the two
 * bounds, set by measurement (docs/perf.md section 5). */
#define CF_SLIDE 1.0
#define CF_MAXCYC 400
#define CF_STACK 16384
#define CF_MAXH 16
/* The largest pool a chain carries. A wider pool (lanes x (unit + 1)
 * slots beyond it: 256 lanes with unit lookaside) is split into pools of
 * CF_MAXG slots, its real lanes shared out in proportion, the pools in
 * lock-step: a lower estimate of its speedup (it loses the sharing across
 * the split; measured in docs/perf.md), which bounds a chain's state at
 * (CF_MAXH + 1)^2 x DSE_CHAIN_TYPES x (CF_MAXG + 1) x 2 doubles (see
 * dse_chain_state_bytes) and its time. */
#ifndef CF_MAXG
#define CF_MAXG 256
#endif

/* One cycle of a type-j pool: pool law pi ((H+1) x G) to outcome law out
 * ((H+2) x G, rows l' = 1..H+1, nonzeros left in row l') and tail[a] =
 * P(l' >= a), a = 1..H+1. The forward pass carries (row, free slots). With
 * priv (narrow rows), row b + h may also use priv[h] slots of its own,
 * and the g shared slots are the home slots and the multi-depth ones.
 * m: scratch of (H+2) x G. */
static void cycle_type(int H, int G, int nr, const double *q, const int *priv, const double *pi, double *out,
                       double *m, double *tail)
{
    memset(m, 0, sizeof *m * (size_t)(H + 2) * G);
    memset(out, 0, sizeof *out * (size_t)(H + 2) * G);
    int g = G - 1;
    for (int lam = 0; lam <= H; lam++)          /* drain the rest of row b + lam first */
        for (int r = 0; r <= g; r++) {
            double x = pi[lam * G + r];
            if (x == 0) continue;
            int p = priv && lam >= 1 ? priv[lam] : 0, sh = r - p > 0 ? r - p : 0;
            if (sh <= g) m[(lam + 1) * G + g - sh] += x;
            else out[lam * G + r - p - g] += x;
        }
    for (int pos = 1; pos <= H; pos++) {
        int p = priv ? priv[pos] : 0;           /* slots private to row b + pos */
        for (int cap = 0; cap <= g; cap++) {
            double x = m[pos * G + cap];
            if (x == 0) continue;
            for (int k = 0; k <= nr; k++) {
                double y = x * q[k];
                int sh = k - p > 0 ? k - p : 0;  /* taken from the shared slots */
                if (sh <= cap) m[(pos + 1) * G + cap - sh] += y;
                else out[pos * G + sh - cap] += y;
            }
        }
    }
    double mh = 0;
    for (int cap = 0; cap <= g; cap++) mh += m[(H + 1) * G + cap];
    for (int r = 0; r <= nr; r++) out[(H + 1) * G + r] = mh * q[r];   /* row b+H+1 untouched */
    tail[H + 2] = 0;
    for (int a = H + 1; a >= 1; a--) {
        double s = 0;
        for (int r = 0; r <= g; r++) s += out[a * G + r];
        tail[a] = s + tail[a + 1];
    }
}

static double pool_chain_run(int H, int g, double N, long T, int J, const double *q, const double *w,
                             const int *priv);

/* Macro states of a pool chain: the last K advances (base H + 1 digits),
 * K = 2 when the laws of all of them fit half the stack, else 1. */
static size_t macro_states(int H, int g, int J)
{
    size_t B = (size_t)H + 1, S = B * ((size_t)g + 1);
    return B * B * J * S * 2 <= CF_STACK / 2 ? B * B : B;
}

/* Doubles of a pool chain's state (pool_chain_run: laws per macro state,
 * outcomes, scratch). */
static size_t state_doubles(int H, int g, int J)
{
    size_t G = (size_t)g + 1, S = (size_t)(H + 1) * G, O = (size_t)(H + 2) * G, M = macro_states(H, g, J);
    return M * J * S * 2 + J * O + O + 2 * M;
}

size_t dse_chain_state_bytes(int lookahead, int pool, int types)
{
    if (pool > CF_MAXG) pool = CF_MAXG;
    size_t need = state_doubles(lookahead, pool, types);
    return need <= CF_STACK ? 0 : need * sizeof(double);
}

/* pool_chain_run through the chain memo. */
static double pool_chain(int H, int g, double N, long T, int J, const double *q, const double *w, const int *priv)
{
    int iv[4] = {H, g, J, priv != NULL};
    uint64_t k[2];
    for (int i = 0; i < 2; i++) {
        uint64_t h = i ? 0x84222325cbf29ce4ULL ^ 0x51 : DSE_FNV_INIT ^ 0x51;
        h = dse_hash(h, iv, sizeof iv);
        h = dse_hash(h, &N, sizeof N);
        h = dse_hash(h, &T, sizeof T);
        h = dse_hash(h, q, sizeof *q * (size_t)(g + 1) * J);
        h = dse_hash(h, w, sizeof *w * (size_t)J);
        if (priv) h = dse_hash(h, priv, sizeof *priv * (size_t)(H + 1));
        k[i] = h;
    }
    double v;
    if (dse_memo_get(chain_memo(), k[0], k[1], &v)) return v;
    v = pool_chain_run(H, g, N, T, J, q, w, priv);
    dse_memo_put(chain_memo(), k[0], k[1], &v);
    return v;
}

static double pool_chain_run(int H, int g, double N, long T, int J, const double *q, const double *w,
                             const int *priv)
{
    int G = g + 1, S = (H + 1) * G, O = (H + 2) * G, B = H + 1, M = (int)macro_states(H, g, J);
    size_t need = state_doubles(H, g, J);
    double stk[CF_STACK], *buf = need <= CF_STACK ? stk : dse_xmalloc(sizeof *buf * need);
    double *pi = buf, *nxt = pi + (size_t)M * J * S, *out = nxt + (size_t)M * J * S, *m = out + (size_t)J * O;
    double *wm = m + O, *wn = wm + M;
    double tail[DSE_CHAIN_TYPES][CF_MAXH + 3], reach[CF_MAXH + 3], pa[CF_MAXH + 3];
    int nrj[DSE_CHAIN_TYPES];
    for (int j = 0; j < J; j++) {
        nrj[j] = g;
        while (nrj[j] > 0 && q[(size_t)j * G + nrj[j]] == 0) nrj[j]--;
    }
    /* start: every pool fresh (lead 0), as after full advances A = H + 1 */
    memset(pi, 0, sizeof *pi * (size_t)M * J * S);
    memset(wm, 0, sizeof *wm * (size_t)M);
    wm[M - 1] = 1;
    for (int j = 0; j < J; j++)
        for (int r = 0; r <= g; r++) pi[((size_t)(M - 1) * J + j) * S + r] = q[(size_t)j * G + r];
    /* rows done: dist[d] = P(d rows done, d < T) after the cycles so far */
    long span = (long)(H + 1) * CF_MAXCYC + 1, dn = T < span ? T : span;
    double dstk[1024], *dist = dn <= 1024 ? dstk : dse_xmalloc(sizeof *dist * (size_t)dn);
    memset(dist, 0, sizeof *dist * (size_t)dn);
    dist[0] = 1;
    double cycles = 0, alive = 1;
    long hi = 0;                                    /* highest d with mass */
    for (int cyc = 0; cyc < CF_MAXCYC && alive > 1e-12; cyc++) {
        memset(nxt, 0, sizeof *nxt * (size_t)M * J * S);
        memset(wn, 0, sizeof *wn * (size_t)M);
        memset(pa, 0, sizeof pa);
        for (int mc = 0; mc < M; mc++) {
            if (wm[mc] <= 1e-9) continue;        /* negligible histories */
            const double *pim = pi + (size_t)mc * J * S;
            for (int j = 0; j < J; j++)
                cycle_type(H, G, nrj[j], q + (size_t)j * G, priv, pim + (size_t)j * S, out + (size_t)j * O, m, tail[j]);
            for (int a = 1; a <= H + 1; a++) {
                double lg = 0;
                for (int j = 0; j < J; j++) lg += N * w[j] * log(fmax(tail[j][a] / tail[j][1], 1e-300));
                reach[a] = exp(lg);               /* P(A >= a | history mc) */
            }
            reach[H + 2] = 0;
            for (int a = 1; a <= H + 1; a++) {
                double pr = wm[mc] * (reach[a] - reach[a + 1]);
                if (pr <= 0) continue;
                int mn = (mc * B + a - 1) % M;    /* history with a appended */
                wn[mn] += pr;
                pa[a] += pr;
                for (int j = 0; j < J; j++) {   /* shift by a, given l' >= a */
                    double f = pr / tail[j][a], *nj = nxt + ((size_t)mn * J + j) * S;
                    const double *oj = out + (size_t)j * O;
                    for (int x = a; x <= H + 1; x++)
                        for (int r = 0; r <= g; r++) nj[(x - a) * G + r] += f * oj[x * G + r];
                }
            }
        }
        double diff = 0;
        for (int mc = 0; mc < M; mc++) {
            double *nm = nxt + (size_t)mc * J * S, *pm = pi + (size_t)mc * J * S;
            if (wn[mc] > 0)
                for (size_t i = 0; i < (size_t)J * S; i++) nm[i] /= wn[mc];
            double dd = fabs(wn[mc] - wm[mc]);
            if (dd > diff) diff = dd;
            for (size_t i = 0; i < (size_t)J * S; i++) {
                dd = fabs(nm[i] - pm[i]);
                if (dd > diff) diff = dd;
            }
            wm[mc] = wn[mc];
        }
        memcpy(pi, nxt, sizeof *pi * (size_t)M * J * S);
        /* one cycle for every tile still running; shift the rows done */
        cycles += alive;
        alive = 0;
        long nh = hi + H + 1 < dn - 1 ? hi + H + 1 : dn - 1;
        for (long d = nh; d >= 0; d--) {
            double s = 0;
            for (int a = 1; a <= H + 1; a++)
                if (d - a >= 0 && d - a <= hi) s += dist[d - a] * pa[a];
            dist[d] = s;
            alive += s;
        }
        hi = nh;
        if (diff < 1e-7 && cyc >= 2) break;       /* stationary: finish by renewal */
        if (hi == dn - 1 && dn < T) break;        /* out of room (never for T <= span) */
    }
    if (alive > 1e-12) {
        /* renewal function mr(x) = E[cycles to pass x more rows], i.i.d. A ~ pa */
        long X = T;
        double mstk[1024], *mr = X + 1 <= 1024 ? mstk : dse_xmalloc(sizeof *mr * (size_t)(X + 1));
        mr[0] = 0;
        for (long x = 1; x <= X; x++) {
            double s = 1;
            for (int a = 1; a <= H + 1 && a < x; a++) s += pa[a] * mr[x - a];
            mr[x] = s;
        }
        for (long d = 0; d <= hi; d++) cycles += dist[d] * mr[T - d];
        if (mr != mstk) free(mr);
    }
    if (dist != dstk) free(dist);
    if (buf != stk) free(buf);
    return (double)T / cycles;
}

/* Exact-mask chain for narrow rows under the ONLINE scheduler (sched.c
 * online_run): a unit's state is the bit mask of the nonzeros left in its
 * window rows b..b+H over its nr real lanes 0..nr-1 ((H+1) nr <= CF_MBITS
 * bits). One cycle is the scheduler's own rule, replayed on the mask:
 * slot l takes its home value, else the first nonzero candidate in window
 * priority order. The unit reaches l' (first row it has not drained); the
 * group advances A = min over N units, P(A >= a) = P(l' >= a)^N; the rest
 * is the mean-field chain of pool_chain_run (two advances of history,
 * rows done carried, renewal at convergence), with the pool's perfect
 * sharing replaced by the real slot/lane reach. Fresh rows: every real lane
 * nonzero with probability d. Returns T / E[cycles]. */
#define CF_MBITS 10
static double mask_chain_run(const dse_window *w, int L, int nr, double d, double N, long T)
{
    int H = w->lookahead, B = H + 1, nb = B * nr, S = 1 << nb, M = B * B;
    int n = dse_sched_window_size(w);
    dse_offset es[512], *e = n + 1 <= 512 ? es : dse_xmalloc(sizeof *e * (size_t)(n + 1));
    n = dse_sched_window(w, e, n);
    int k = 0;                                     /* compile as cwin_make, same-unit entries */
    for (int i = 0; i < n; i++) {
        dse_offset x = e[i];
        if (x.u || x.h < 1 || x.h > H) continue;
        x.o = ((x.o % L) + L) % L;
        int dup = 0;
        for (int j = 0; j < k && w->shape == DSE_SHAPE_RECT && !dup; j++) dup = e[j].h == x.h && e[j].o == x.o;
        if (!dup) e[k++] = x;
    }
    size_t need = (size_t)S * 2 * M + 2 * (size_t)M;
    double *buf = dse_xmalloc(sizeof *buf * need);
    double *pi = buf, *nxt = pi + (size_t)M * S, *wm = nxt + (size_t)M * S, *wn = wm + M;
    int *tr = dse_xmalloc(sizeof *tr * (size_t)S * 2), *lp = tr + S;
    int rowm = (1 << nr) - 1;
    for (int st = 0; st < S; st++) {               /* one cycle of one unit */
        int m = st;
        for (int l = 0; l < L; l++) {
            if (l < nr && (m >> l & 1)) { m &= ~(1 << l); continue; }
            for (int i = 0; i < k; i++) {
                int src = (l + e[i].o) % L, bit = e[i].h * nr + src;
                if (src < nr && (m >> bit & 1)) { m &= ~(1 << bit); break; }
            }
        }
        int a = 1;
        while (a <= H && !(m >> (a * nr) & rowm)) a++;
        tr[st] = m; lp[st] = a;
    }
    memset(pi, 0, sizeof *pi * (size_t)M * S);
    memset(wm, 0, sizeof *wm * (size_t)M);
    wm[M - 1] = 1;
    double *p0 = pi + (size_t)(M - 1) * S;         /* all rows fresh */
    p0[0] = 1;
    for (int b = 0; b < nb; b++)
        for (int st = 0; st < S; st++)
            if (!(st >> b & 1)) { double v = p0[st]; p0[st] = v * (1 - d); p0[st | 1 << b] += v * d; }
    double tail[CF_MAXH + 3], reach[CF_MAXH + 3], pa[CF_MAXH + 3];
    long span = (long)B * CF_MAXCYC + 1, dn = T < span ? T : span;
    double dstk[1024], *dist = dn <= 1024 ? dstk : dse_xmalloc(sizeof *dist * (size_t)dn);
    memset(dist, 0, sizeof *dist * (size_t)dn);
    dist[0] = 1;
    double cycles = 0, alive = 1;
    long hi = 0;
    for (int cyc = 0; cyc < CF_MAXCYC && alive > 1e-12; cyc++) {
        memset(nxt, 0, sizeof *nxt * (size_t)M * S);
        memset(wn, 0, sizeof *wn * (size_t)M);
        memset(pa, 0, sizeof pa);
        for (int mc = 0; mc < M; mc++) {
            if (wm[mc] <= 1e-9) continue;
            const double *pm = pi + (size_t)mc * S;
            for (int a = 0; a <= B + 1; a++) tail[a] = 0;
            for (int st = 0; st < S; st++) tail[lp[st]] += pm[st];
            for (int a = B - 1; a >= 1; a--) tail[a] += tail[a + 1];
            for (int a = 1; a <= B; a++) reach[a] = pow(fmin(1, tail[a] / tail[1]), N);
            reach[B + 1] = 0;
            for (int a = 1; a <= B; a++) {
                double pr = wm[mc] * (reach[a] - reach[a + 1]);
                if (pr <= 0 || tail[a] <= 0) continue;
                int mn = (mc * B + a - 1) % M;
                wn[mn] += pr;
                pa[a] += pr;
                double f = pr / tail[a], *nm = nxt + (size_t)mn * S;
                for (int st = 0; st < S; st++)
                    if (lp[st] >= a && pm[st] != 0) nm[tr[st] >> (a * nr)] += f * pm[st];
            }
        }
        double diff = 0;
        for (int mc = 0; mc < M; mc++) {
            double *nm = nxt + (size_t)mc * S, *pm = pi + (size_t)mc * S;
            int a = mc % B + 1;                    /* the last advance: rows B-a..H fresh */
            if (wn[mc] > 0) {
                for (int b = (B - a) * nr; b < nb; b++)
                    for (int st = 0; st < S; st++)
                        if (!(st >> b & 1)) { double v = nm[st]; nm[st] = v * (1 - d); nm[st | 1 << b] += v * d; }
                for (int st = 0; st < S; st++) nm[st] /= wn[mc];
            }
            double dd = fabs(wn[mc] - wm[mc]);
            if (dd > diff) diff = dd;
            for (int st = 0; st < S; st++) {
                dd = fabs(nm[st] - pm[st]);
                if (dd > diff) diff = dd;
            }
            wm[mc] = wn[mc];
        }
        memcpy(pi, nxt, sizeof *pi * (size_t)M * S);
        cycles += alive;
        alive = 0;
        long nh = hi + B < dn - 1 ? hi + B : dn - 1;
        for (long x = nh; x >= 0; x--) {
            double sm = 0;
            for (int a = 1; a <= B; a++)
                if (x - a >= 0 && x - a <= hi) sm += dist[x - a] * pa[a];
            dist[x] = sm;
            alive += sm;
        }
        hi = nh;
        if (diff < 1e-7 && cyc >= 2) break;
        if (hi == dn - 1 && dn < T) break;
    }
    if (alive > 1e-12) {
        double mstk[1024], *mr = T + 1 <= 1024 ? mstk : dse_xmalloc(sizeof *mr * (size_t)(T + 1));
        mr[0] = 0;
        for (long x = 1; x <= T; x++) {
            double sm = 1;
            for (int a = 1; a <= B && a < x; a++) sm += pa[a] * mr[x - a];
            mr[x] = sm;
        }
        for (long x = 0; x <= hi; x++) cycles += dist[x] * mr[T - x];
        if (mr != mstk) free(mr);
    }
    if (dist != dstk) free(dist);
    if (e != es) free(e);
    free(tr);
    free(buf);
    return (double)T / cycles;
}

/* mask_chain_run through a per-thread memo (as pool_chain). */
static double mask_chain(const dse_window *w, int L, int nr, double d, double N, long T)
{
    int iv[5] = {w->lookahead, w->lookaside, (int)w->shape, L, nr};
    uint64_t k[2];
    for (int i = 0; i < 2; i++) {
        uint64_t h = i ? 0x84222325cbf29ce4ULL ^ 0x6d : DSE_FNV_INIT ^ 0x6d;
        h = dse_hash(h, iv, sizeof iv);
        h = dse_hash(h, &d, sizeof d);
        h = dse_hash(h, &N, sizeof N);
        h = dse_hash(h, &T, sizeof T);
        k[i] = h;
    }
    double v;
    if (dse_memo_get(chain_memo(), k[0], k[1], &v)) return v;
    v = mask_chain_run(w, L, nr, d, N, T);
    dse_memo_put(chain_memo(), k[0], k[1], &v);
    return v;
}

/* Effective pool size of a window: its same-unit (step, lane) candidates
 * per lookahead step, home lane included (rect: 2D + 1; L and T: 1 + D / H:
 * their lateral offsets exist only at some h, so they are spread over the H
 * steps), capped at lanes. Not an integer in general: cf_speedup
 * interpolates between the two neighbouring pool sizes. */
static double window_pool(const dse_window *w, int lanes)
{
    int H = w->lookahead;
    double g = (double)dse_window_candidates(w->shape, H, w->lookaside) / H;
    if (g < 1) g = 1;
    return g > lanes ? lanes : g;
}

/* Narrow rows (real lanes 0..nr-1 of `lanes`): slots that take a real
 * lane from one lookahead depth only are private to that depth (priv[h],
 * h = 1..H); the home slots and slots reaching several depths are shared
 * by all depths (returned, at least nr: the pool size). */
static int narrow_slots(const dse_window *w, int nr, int lanes, int *priv)
{
    int H = w->lookahead, n = dse_sched_window_size(w);
    dse_offset es[512], *e = n + 1 <= 512 ? es : dse_xmalloc(sizeof *e * (size_t)(n + 1));
    n = dse_sched_window(w, e, n);
    uint32_t ms[256], *mask = lanes <= 256 ? ms : dse_xcalloc((size_t)lanes, sizeof *mask);   /* depths per slot */
    memset(mask, 0, sizeof *mask * (size_t)(lanes <= 256 ? 256 : lanes));
    for (int l = 0; l < nr; l++)
        for (int i = 0; i < n; i++) {
            if (e[i].u || e[i].h < 1 || e[i].h > H) continue;
            int t = (((l - e[i].o) % lanes) + lanes) % lanes;   /* slot t takes lane t + o = l */
            mask[t] |= 1u << e[i].h;
        }
    int shared = nr;
    for (int h = 0; h <= H; h++) priv[h] = 0;
    for (int t = nr; t < lanes; t++) {
        if (!mask[t]) continue;
        if ((mask[t] & (mask[t] - 1)) == 0) priv[__builtin_ctz(mask[t])]++;
        else shared++;
    }
    if (mask != ms) free(mask);
    if (e != es) free(e);
    return shared;
}

/* Density types of a source: nt (1..DSE_CHAIN_TYPES) quantile nodes of the Beta
 * law of a per-unit density (weights, dist beta), else (nt = 0 or another
 * source) one type at the mean. */
int dse_chain_density_types(const dse_sparsity *sp, int nt, double *dens, double *wts)
{
    double mu = sp ? sp->density : 1;
    if (!sp || nt <= 0 || sp->dist != DSE_DIST_BETA || sp->spread <= 0 || mu >= 1) {
        dens[0] = mu; wts[0] = 1;
        return 1;
    }
    const int J = nt < DSE_CHAIN_TYPES ? nt : DSE_CHAIN_TYPES;
    /* the last law asked for each type count (a cascaded layer asks two) */
    static _Thread_local double memo_mu[DSE_CHAIN_TYPES + 1], memo_sd[DSE_CHAIN_TYPES + 1], memo_d[DSE_CHAIN_TYPES + 1][DSE_CHAIN_TYPES];
    if (memo_mu[J] == mu && memo_sd[J] == sp->spread && mu > 0) {
        for (int j = 0; j < J; j++) { dens[j] = memo_d[J][j]; wts[j] = 1.0 / J; }
        return J;
    }
    double v = sp->spread * sp->spread, lim = mu * (1 - mu);
    if (v >= lim) v = lim * 0.999;
    double k = lim / v - 1, a = mu * k, b = (1 - mu) * k;
    enum { M = 4000 };
    double cdf = 0, tot = 0;
    for (int i = 0; i < M; i++) {
        double x = (i + 0.5) / M;
        tot += exp((a - 1) * log(x) + (b - 1) * log1p(-x));
    }
    int j = 0;
    for (int i = 0; i < M && j < J; i++) {
        double x = (i + 0.5) / M;
        cdf += exp((a - 1) * log(x) + (b - 1) * log1p(-x)) / tot;
        while (j < J && cdf >= (j + 0.5) / J) dens[j++] = x;
    }
    while (j < J) dens[j++] = 1 - 0.5 / M;
    for (j = 0; j < J; j++) { wts[j] = 1.0 / J; memo_d[J][j] = dens[j]; }
    memo_mu[J] = mu; memo_sd[J] = sp->spread;
    return J;
}

/* Closed-form speedup of a lock-step group of F units over window w with
 * pools of g lanes (see cf_speedup). */
static double cf_pools(const dse_window *w, int F, int lanes, int cg, int nblk, long T, double d,
                       const dse_sparsity *sp, int ntypes, double scale, double post, int online, int g)
{
    int H = w->lookahead, U = w->unit, nr;
    double lr = (double)cg / nblk, N;             /* real lanes per step */
    int priv[CF_MAXH + 2], *pv = NULL;
    if (nblk == 1 && cg < lanes) {                 /* narrow rows: one pool per unit */
        nr = cg;
        g = narrow_slots(w, cg, lanes, priv);
        pv = priv;
        N = F;
    } else {
        nr = (int)lround(lr < g ? lr : g);
        if (nr < 1) nr = 1;
        N = (double)F * (lr > g ? lr / g : 1);
    }
    if (sp && sp->dist == DSE_DIST_CLUSTER && scale == 1 && post == 1 && U == 0 && sp->run >= (double)lanes * (H + 1) && d < 1) {
        /* runs longer than the window: a unit's rows are all zero or all
         * nonzero for long stretches, and the group skips only the rows
         * where all F units are in a zero run (a fraction (1-d)^F of them,
         * taken H + 1 at a time) */
        double f = pow(1 - d, F);
        return 1 / (1 - f + f / (H + 1));
    }
    N /= U + 1;                                    /* unit lookaside pools U + 1 units */
    g *= U + 1;
    nr *= U + 1;
    if (g > CF_MAXG) {                             /* split into pools of CF_MAXG slots */
        double f = (double)g / CF_MAXG;
        g = CF_MAXG;
        nr = (int)lround(nr / f);
        if (nr < 1) nr = 1;
        N *= f;
    }
    double dens[DSE_CHAIN_TYPES], wts[DSE_CHAIN_TYPES];
    int J = sp ? dse_chain_density_types(sp, ntypes, dens, wts) : 1;
    if (!sp) { dens[0] = d; wts[0] = 1; }
    for (int j = 0; j < J; j++) dens[j] = fmin(1, dens[j] * scale) * post;
    /* structure beyond the density, when the pool sees the source itself:
     * N:M counts when the pool is the whole row (exact; a pool of part of
     * a row is closer to the schedulers as binomial: measured), cluster
     * runs along the lanes of one unit */
    const dse_sparsity *st = NULL;
    if (sp && scale == 1 && post == 1 && sp->dist == DSE_DIST_NM && g >= lanes * (U + 1)) st = sp;
    if (sp && scale == 1 && post == 1 && sp->dist == DSE_DIST_CLUSTER && U == 0) st = sp;
    double qs[1024], *q = (size_t)(g + 1) * J <= 1024 ? qs : dse_xmalloc(sizeof *q * (size_t)(g + 1) * J);
    for (int j = 0; j < J; j++) row_law(q + (size_t)j * (g + 1), g, nr, dens[j], st);
    double s;
    if (online && pv && U == 0 && J == 1 && !st && (H + 1) * nr <= CF_MBITS)
        s = mask_chain(w, lanes, nr, dens[0], N, T);   /* narrow online rows: the real reach */
    else
        s = pool_chain(H, g, N, T, J, q, wts, U == 0 ? pv : NULL);
    if (q != qs) free(q);
    return s;
}

/* Closed-form speedup of a lock-step group of F units over window w:
 * rows of `lanes` slots of which cg real lanes per channel block (nblk
 * blocks per kernel position), T steps, densities from sp (ntypes > 0:
 * that many Beta quantile types across units), or the fixed density d
 * when sp is NULL; densities are min(1, d scale) post. online: 0 = the
 * static (TCL) scheduler, 1 = the online one, 2 = online in activation-only
 * mode (sliding pool, CF_SLIDE). A fractional pool size interpolates
 * linearly between its neighbours. */
double dse_chain_speedup(const dse_window *w, int F, int lanes, int cg, int nblk, long T, double d,
                         const dse_sparsity *sp, int ntypes, double scale, double post, int online)
{
    if (w->lookahead <= 0 || T <= 0) return 1;   /* no skipping without lookahead */
    if (w->lookahead > CF_MAXH) return 1;        /* beyond the parameter range (16): not modelled */
    double gf = window_pool(w, lanes);
    if (online == 2) gf = fmin(lanes, gf + CF_SLIDE * (gf - 1));   /* act mode: sliding windows */
    double g0 = floor(gf), fr = gf - g0;
    double s0 = cf_pools(w, F, lanes, cg, nblk, T, d, sp, ntypes, scale, post, online, (int)g0);
    if (fr < 1e-9 || (nblk == 1 && cg < lanes)) return s0;   /* narrow: an integer slot count */
    double s1 = cf_pools(w, F, lanes, cg, nblk, T, d, sp, ntypes, scale, post, online, (int)g0 + 1);
    return (1 - fr) * s0 + fr * s1;
}
