/* sram.h -- energy per access and area of an SRAM from its banks and access width: a CACTI-derived table or Horowitz's 64-bit figures. */
#ifndef DSE_SRAM_H
#define DSE_SRAM_H

#include "cost.h"

#define DSE_SRAM_NK 11   /* bank capacities of the table: 1, 2, 4, ..., 1024 KiB */
#define DSE_SRAM_NW 6    /* access widths of the table: 64, 128, ..., 2048 bits */

/* The SRAM figures of a technology file (docs/cost.md, "SRAM banks"). */
typedef struct dse_sram_model {
    int table;          /* 1: entries sram_cacti_<K>k_<W>b_pj / _mm2; 0: Horowitz's 64-bit reads */
    double pj[DSE_SRAM_NK][DSE_SRAM_NW];   /* read energy per access of one bank */
    double um2[DSE_SRAM_NK][DSE_SRAM_NW];  /* area of one bank */
    double h8k, h32k, h1m;                 /* Horowitz: 64-bit read of 8 KiB, 32 KiB, 1 MiB (pJ) */
    double bitcell_um2, efficiency;        /* Horowitz option's area: bitcells / array efficiency */
    double route_pj_bit_mm, route_area;    /* routing between banks: energy per bit and mm, area share */
} dse_sram_model;

/* Resolve the SRAM figures of t: entry sram_table (0 or 1) selects the
 * model; with 1 every table point with at least 32 rows (capacity bits /
 * width >= 32, what CACTI can lay out) is required, the others are taken
 * from the next larger capacity of the same width (a taller array:
 * conservative). Errors name the entry and the file. */
int dse_sram_model_load(dse_sram_model *m, const dse_tech *t, dse_err *e);

/* Read energy (pJ) of one access `width` bits wide to one bank of kib KiB,
 * and that bank's area (um2). Table: bilinear in (log2 capacity, log2
 * width) on the logarithm of the figure, capacities clamped below at 1
 * KiB and extrapolated above 1 MiB along the last segment, widths below 64
 * bits priced as 64, an access wider than 2048 bits split over
 * ceil(width / 2048) banks of kib / n. Horowitz: the 64-bit read linear in
 * log2(capacity) through 8 KiB, 32 KiB and 1 MiB (the 8 KiB figure below,
 * the last segment above) times width / 64; area kib x 8192 bitcells /
 * efficiency. */
double dse_sram_access_pj(const dse_sram_model *m, double kib, int width);
double dse_sram_bank_um2(const dse_sram_model *m, double kib, int width);

/* An SRAM of kib KiB built of banks of at most bank_kib KiB (0: no limit)
 * and at least `rows` banks (the rows it delivers a cycle, each from a
 * bank of its own), read `width` bits (one row; at least 64) an access. */
typedef struct dse_sram_org { int banks; double bank_kib; int width; } dse_sram_org;
void dse_sram_org_of(double kib, int bank_kib, int rows, int width, dse_sram_org *o);
/* Energy per bit moved and total area of o: one bank's access energy /
 * width and banks x bank area, and with more than one bank the routing to
 * the bank (docs/cost.md, "SRAM banks", fitted to CACTI's multi-bank
 * runs): area x (1 + route_area), energy + route_pj_bit_mm x sqrt(area in
 * mm2) x (1 - 1/sqrt(banks)) per bit. */
double dse_sram_bit_pj(const dse_sram_model *m, const dse_sram_org *o);
double dse_sram_um2(const dse_sram_model *m, const dse_sram_org *o);

#endif
