/* memo.c -- thread-safe open-addressing table of fixed-size values, doubling at half load. */
#include "memo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct slot { uint64_t k1, k2; int used; } slot;

struct dse_memo {
    pthread_mutex_t mu;
    size_t vsize, cap, n, max;
    slot *keys;          /* cap entries */
    unsigned char *vals; /* cap * vsize bytes */
    uint64_t lookups, hits;
};

dse_memo *dse_memo_new(size_t vsize)
{
    dse_memo *m = dse_xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    m->vsize = vsize;
    m->cap = 256;
    m->max = (size_t)-1;
    m->keys = dse_xcalloc(m->cap, sizeof *m->keys);
    m->vals = dse_xcalloc(m->cap, vsize);
    return m;
}

void dse_memo_free(dse_memo *m)
{
    if (!m) return;
    pthread_mutex_destroy(&m->mu);
    free(m->keys);
    free(m->vals);
    free(m);
}

static size_t find(const slot *keys, size_t cap, uint64_t k1, uint64_t k2)
{
    size_t i = (size_t)(k1 & (cap - 1));
    while (keys[i].used && !(keys[i].k1 == k1 && keys[i].k2 == k2)) i = (i + 1) & (cap - 1);
    return i;
}

int dse_memo_get(dse_memo *m, uint64_t k1, uint64_t k2, void *v)
{
    pthread_mutex_lock(&m->mu);
    m->lookups++;
    size_t i = find(m->keys, m->cap, k1, k2);
    int hit = m->keys[i].used;
    if (hit) {
        memcpy(v, m->vals + i * m->vsize, m->vsize);
        m->hits++;
    }
    pthread_mutex_unlock(&m->mu);
    return hit;
}

void dse_memo_limit(dse_memo *m, size_t max)
{
    pthread_mutex_lock(&m->mu);
    m->max = max;
    pthread_mutex_unlock(&m->mu);
}

void dse_memo_put(dse_memo *m, uint64_t k1, uint64_t k2, const void *v)
{
    pthread_mutex_lock(&m->mu);
    if (m->n >= m->max) {
        pthread_mutex_unlock(&m->mu);
        return;
    }
    if (2 * (m->n + 1) > m->cap) {
        size_t ncap = m->cap * 2;
        slot *nk = dse_xcalloc(ncap, sizeof *nk);
        unsigned char *nv = dse_xcalloc(ncap, m->vsize);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i].used) {
                size_t j = find(nk, ncap, m->keys[i].k1, m->keys[i].k2);
                nk[j] = m->keys[i];
                memcpy(nv + j * m->vsize, m->vals + i * m->vsize, m->vsize);
            }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    size_t i = find(m->keys, m->cap, k1, k2);
    if (!m->keys[i].used) {
        m->keys[i] = (slot){k1, k2, 1};
        memcpy(m->vals + i * m->vsize, v, m->vsize);
        m->n++;
    }
    pthread_mutex_unlock(&m->mu);
}

int dse_memo_seen(dse_memo *m, const void *s, size_t n)
{
    uint64_t k1 = dse_hash(DSE_FNV_INIT, s, n), k2 = dse_hash(0x84222325cbf29ce4ULL, s, n);
    unsigned char one = 1;
    if (dse_memo_get(m, k1, k2, &one)) return 1;
    dse_memo_put(m, k1, k2, &one);
    return 0;
}

void dse_memo_stats(const dse_memo *m, uint64_t *lookups, uint64_t *hits)
{
    pthread_mutex_t *mu = (pthread_mutex_t *)&m->mu;
    pthread_mutex_lock(mu);
    if (lookups) *lookups = m->lookups;
    if (hits) *hits = m->hits;
    pthread_mutex_unlock(mu);
}
