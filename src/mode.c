/* mode.c -- the logical borrowing configuration a design runs in each mode, and Griffin-style hybrid checks. */
#include "mode.h"

#include <stdio.h>
#include <string.h>

static dse_window own_w(const dse_point *p)
{
    dse_window w = {p->w_lookahead, p->w_lookaside, p->w_unit, p->w_shape};
    return w;
}

static dse_window own_a(const dse_point *p)
{
    dse_window w = {p->a_lookahead, p->a_lookaside, p->a_unit, p->a_shape};
    return w;
}

static int fanin(const dse_window *w) { return 1 + dse_window_candidates(w->shape, w->lookahead, w->lookaside); }
static int imax(int a, int b) { return a > b ? a : b; }

/* Check a hybrid single-sparse mode's window `run` (side `side`, own window
 * `mine`, other side's window `other`, lookahead buffers per group
 * `groups_mine`/`groups_other`) against what the design owns:
 *   fan-in(run) <= fan-in(mine) + fan-in(other) - 1   (multiplexer inputs:
 *       the home input is shared, every other input of either multiplexer
 *       can carry one candidate);
 *   run.lookahead <= max(mine.lookahead, other.lookahead)   (buffer depth);
 *   groups_mine * run.lookahead <= groups_mine * mine.lookahead
 *       + groups_other * other.lookahead   (buffer entries: the side's
 *       broadcast groups need that many lanes-wide entries in all). */
static int check_hybrid(const char *mode, const char *side, const char *param,
                        const dse_window *run, const dse_window *mine, const dse_window *other,
                        double groups_mine, double groups_other, dse_err *e)
{
    int f = fanin(run), fm = fanin(mine), fo = fanin(other);
    if (f > fm + fo - 1)
        return dse_errf(e, DSE_EINPUT,
                        "hybrid %s mode (%s) needs a fan-in of %d on the %s multiplexers, "
                        "but the design owns %d + %d - 1 = %d multiplexer inputs",
                        mode, param, f, side, fm, fo, fm + fo - 1);
    int hmax = imax(mine->lookahead, other->lookahead);
    if (run->lookahead > hmax)
        return dse_errf(e, DSE_EINPUT,
                        "hybrid %s mode (%s) needs lookahead buffer depth %d, "
                        "but the design's deepest buffer holds %d steps",
                        mode, param, run->lookahead, hmax);
    double need = groups_mine * run->lookahead;
    double have = groups_mine * mine->lookahead + groups_other * other->lookahead;
    if (need > have)
        return dse_errf(e, DSE_EINPUT,
                        "hybrid %s mode (%s) needs %.0f lookahead buffer entries, "
                        "but the design owns %.0f",
                        mode, param, need, have);
    return DSE_OK;
}

/* A window's lateral and unit entries sit one step ahead (docs/scheduler.md),
 * so they need a lookahead buffer: lookaside or unit > 0 with lookahead 0
 * would borrow from a step the design does not buffer. */
static int check_window(const char *what, const dse_window *w, dse_err *e)
{
    if (w->lookahead == 0 && (w->lookaside > 0 || w->unit > 0))
        return dse_errf(e, DSE_EINPUT,
                        "%s has lookaside %d and unit %d but lookahead 0: its entries sit one step "
                        "ahead, so it needs lookahead >= 1", what, w->lookaside, w->unit);
    return DSE_OK;
}

/* Fill cfg for mode. Dense: nothing sparse, no windows. Weight: the weight
 * window (a hybrid's wmode_* override, -1 = own). Act: the activation
 * window (amode_*). Dual: both own windows, org = p->dual_org. A side the
 * mode does not use gets a zero window (shape kept). Returns DSE_OK or
 * DSE_EINPUT naming the resource a hybrid per-mode window overruns, a window
 * with lateral entries but no lookahead, or the override set on a design
 * that is not a hybrid; cfg is filled anyway. */
int dse_mode_config(const dse_point *p, dse_mode mode, dse_config *cfg, dse_err *e)
{
    dse_window w = own_w(p), a = own_a(p);
    memset(cfg, 0, sizeof *cfg);
    cfg->org = p->dual_org;
    cfg->rows_per_cycle = p->sram_rows;
    cfg->w.shape = p->w_shape;
    cfg->a.shape = p->a_shape;
    if (check_window("the weight-side window", &w, e) || check_window("the activation-side window", &a, e))
        return DSE_EINPUT;
    if (p->w_format != DSE_FMT_NONE && (p->w_lookahead > 0 || p->w_lookaside > 0 || p->w_unit > 0))
        return dse_errf(e, DSE_EINPUT,
                        "w_format %s and a weight window: a weight window stores its schedule (compacted rows "
                        "and selects); w_format applies to designs without one", dse_format_names[p->w_format]);
    if (!p->hybrid && (p->wmode_lookahead >= 0 || p->wmode_lookaside >= 0 ||
                       p->amode_lookahead >= 0 || p->amode_lookaside >= 0))
        return dse_errf(e, DSE_EINPUT,
                        "wmode_*/amode_* per-mode windows are set but hybrid is false");
    switch (mode) {
    case DSE_MODE_DENSE:
        return DSE_OK;
    case DSE_MODE_WEIGHT:
        cfg->wsparse = 1;
        cfg->w = w;
        if (!p->hybrid) return DSE_OK;
        if (p->wmode_lookahead >= 0) cfg->w.lookahead = p->wmode_lookahead;
        if (p->wmode_lookaside >= 0) cfg->w.lookaside = p->wmode_lookaside;
        if (check_window("the hybrid weight-only mode window", &cfg->w, e)) return DSE_EINPUT;
        return check_hybrid("weight-only", "weight-side (activation-input)", "wmode_lookahead/wmode_lookaside",
                            &cfg->w, &w, &a, p->rows, p->cols, e);
    case DSE_MODE_ACT:
        cfg->asparse = 1;
        cfg->a = a;
        if (!p->hybrid) return DSE_OK;
        if (p->amode_lookahead >= 0) cfg->a.lookahead = p->amode_lookahead;
        if (p->amode_lookaside >= 0) cfg->a.lookaside = p->amode_lookaside;
        if (check_window("the hybrid activation-only mode window", &cfg->a, e)) return DSE_EINPUT;
        return check_hybrid("activation-only", "activation-side (weight-input)", "amode_lookahead/amode_lookaside",
                            &cfg->a, &a, &w, p->cols, p->rows, e);
    case DSE_MODE_DUAL:
        cfg->wsparse = cfg->asparse = 1;
        cfg->w = w;
        cfg->a = a;
        return DSE_OK;
    default:
        return dse_errf(e, DSE_EINPUT, "unknown mode %d", (int)mode);
    }
}

/* 1 if every mode of p configures, else 0 with the first error in why. */
int dse_mode_valid(const dse_point *p, char *why, size_t n)
{
    for (int m = 0; m < DSE_NMODES; m++) {
        dse_config cfg;
        dse_err e = {0, ""};
        if (dse_mode_config(p, (dse_mode)m, &cfg, &e)) {
            if (why && n) dse_strlcpy(why, e.msg, n);
            return 0;
        }
    }
    if (why && n) why[0] = 0;
    return 1;
}
