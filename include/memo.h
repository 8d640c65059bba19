/* memo.h -- a thread-safe table of fixed-size values keyed by two independent 64-bit hashes. */
#ifndef DSE_MEMO_H
#define DSE_MEMO_H

#include <stddef.h>
#include <stdint.h>

typedef struct dse_memo dse_memo;

/* A table of values of vsize bytes. Values must be pure functions of their
 * key, so concurrent writers of one key store the same bytes and results
 * never depend on the interleaving. */
dse_memo *dse_memo_new(size_t vsize);
void dse_memo_free(dse_memo *m);   /* NULL is a no-op */
/* 1 and the value copied into v when (k1, k2) is stored, else 0. */
int dse_memo_get(dse_memo *m, uint64_t k1, uint64_t k2, void *v);
/* Keep at most max values: puts beyond them are dropped (default: no limit). */
void dse_memo_limit(dse_memo *m, size_t max);
/* Store v under (k1, k2) unless the key is already there or the table is full. */
void dse_memo_put(dse_memo *m, uint64_t k1, uint64_t k2, const void *v);
/* A set of byte strings (a memo of vsize 1): 1 if the n bytes at s were
 * seen before (as far as two independent 64-bit hashes tell), else record
 * them and return 0. Linear-time duplicate detection for the loaders. */
int dse_memo_seen(dse_memo *m, const void *s, size_t n);

/* Lookups and hits so far (either may be NULL). */
void dse_memo_stats(const dse_memo *m, uint64_t *lookups, uint64_t *hits);

#endif
