/* sram.c -- SRAM banks: a CACTI-derived table interpolated in log-log space, or Horowitz's 64-bit reads; bank organisations. */
#include "sram.h"

#include <math.h>
#include <stdio.h>

#define MAXW 2048

int dse_sram_model_load(dse_sram_model *m, const dse_tech *t, dse_err *e)
{
    double sel;
    if (dse_tech_coeff(t, "sram_table", "flag", 0, 1, &sel, e) ||
        dse_tech_coeff(t, "sram8k_read64_pj", "pJ", 1e-9, 1e9, &m->h8k, e) ||
        dse_tech_coeff(t, "sram32k_read64_pj", "pJ", 1e-9, 1e9, &m->h32k, e) ||
        dse_tech_coeff(t, "sram1m_read64_pj", "pJ", 1e-9, 1e9, &m->h1m, e) ||
        dse_tech_coeff(t, "sram_bitcell_um2", "um2", 1e-9, 1e9, &m->bitcell_um2, e) ||
        dse_tech_coeff(t, "sram_array_efficiency", "fraction", 1e-3, 1, &m->efficiency, e) ||
        dse_tech_coeff(t, "sram_route_pj_per_bit_mm", "pJ/bit/mm", 0, 1e3, &m->route_pj_bit_mm, e) ||
        dse_tech_coeff(t, "sram_route_area_share", "fraction", 0, 10, &m->route_area, e))
        return DSE_EINPUT;
    m->table = sel >= 0.5;
    if (!m->table) return DSE_OK;
    for (int k = DSE_SRAM_NK - 1; k >= 0; k--)
        for (int w = 0; w < DSE_SRAM_NW; w++) {
            int kib = 1 << k, width = 64 << w;
            char key[64];
            if ((double)kib * 8192 / width < 32) {   /* CACTI has no layout: a taller array's figures */
                m->pj[k][w] = m->pj[k + 1][w];
                m->um2[k][w] = m->um2[k + 1][w];
                continue;
            }
            double mm2;
            snprintf(key, sizeof key, "sram_cacti_%dk_%db_pj", kib, width);
            if (dse_tech_coeff(t, key, "pJ", 1e-9, 1e9, &m->pj[k][w], e)) return DSE_EINPUT;
            snprintf(key, sizeof key, "sram_cacti_%dk_%db_mm2", kib, width);
            if (dse_tech_coeff(t, key, "mm2", 1e-12, 1e6, &mm2, e)) return DSE_EINPUT;
            m->um2[k][w] = mm2 * 1e6;
        }
    return DSE_OK;
}

/* Bilinear interpolation of log v over the table at (x = log2 KiB, y =
 * log2(width / 64)); x beyond the table extrapolates its last segment. */
static double table_at(const double v[DSE_SRAM_NK][DSE_SRAM_NW], double x, double y)
{
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    if (y > DSE_SRAM_NW - 1) y = DSE_SRAM_NW - 1;
    int i = x >= DSE_SRAM_NK - 1 ? DSE_SRAM_NK - 2 : (int)x, j = y >= DSE_SRAM_NW - 1 ? DSE_SRAM_NW - 2 : (int)y;
    double fx = x - i, fy = y - j;
    double a = log(v[i][j]) * (1 - fy) + log(v[i][j + 1]) * fy;
    double b = log(v[i + 1][j]) * (1 - fy) + log(v[i + 1][j + 1]) * fy;
    return exp(a * (1 - fx) + b * fx);
}

static double horowitz64(const dse_sram_model *m, double kib)
{
    double x = log2(fmax(kib, 1.0));
    if (x <= 3) return m->h8k;
    if (x <= 5) return m->h8k + (m->h32k - m->h8k) * (x - 3) / 2;
    return m->h32k + (m->h1m - m->h32k) * (x - 5) / 5;
}

/* The table's figure v for a bank, an access wider than MAXW split over n banks. */
static double banked(const double v[DSE_SRAM_NK][DSE_SRAM_NW], double kib, int width)
{
    int n = width > MAXW ? (width + MAXW - 1) / MAXW : 1;
    double k = kib / n, w = (double)width / n;
    return n * table_at(v, log2(fmax(k, 1e-9)), log2(w / 64));
}

double dse_sram_access_pj(const dse_sram_model *m, double kib, int width)
{
    if (!m->table) return horowitz64(m, kib) * width / 64.0;
    return banked(m->pj, kib, width);
}

double dse_sram_bank_um2(const dse_sram_model *m, double kib, int width)
{
    if (!m->table) return kib * 8192.0 * m->bitcell_um2 / m->efficiency;
    return banked(m->um2, kib, width);
}

void dse_sram_org_of(double kib, int bank_kib, int rows, int width, dse_sram_org *o)
{
    int banks = bank_kib > 0 ? (int)ceil(kib / bank_kib) : 1;
    if (banks < rows) banks = rows;
    if (banks < 1) banks = 1;
    o->banks = banks;
    o->bank_kib = kib / banks;
    o->width = width > 64 ? width : 64;   /* narrower accesses are priced as 64 bits */
}

double dse_sram_um2(const dse_sram_model *m, const dse_sram_org *o)
{
    double a = o->banks * dse_sram_bank_um2(m, o->bank_kib, o->width);
    return o->banks > 1 ? a * (1 + m->route_area) : a;
}

double dse_sram_bit_pj(const dse_sram_model *m, const dse_sram_org *o)
{
    double b = dse_sram_access_pj(m, o->bank_kib, o->width) / o->width;
    if (o->banks <= 1) return b;
    return b + m->route_pj_bit_mm * sqrt(dse_sram_um2(m, o) * 1e-6) * (1 - 1 / sqrt((double)o->banks));
}
