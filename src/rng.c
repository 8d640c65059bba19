/* rng.c -- SplitMix64 and xoshiro256** (Vigna), plus the few distributions the samplers need. */
#include "rng.h"

#include <math.h>

uint64_t dse_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t dse_rng_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t words[3] = {a, b, c}, st = seed, k = dse_splitmix64(&st);
    for (int i = 0; i < 3; i++) {
        st = k ^ words[i];
        k = dse_splitmix64(&st);
    }
    return k;
}

void dse_rng_seed(dse_rng *r, uint64_t key)
{
    uint64_t st = key;
    for (int i = 0; i < 4; i++) r->s[i] = dse_splitmix64(&st);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t dse_rng_next(dse_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double dse_rng_uniform(dse_rng *r) { return (double)(dse_rng_next(r) >> 11) * 0x1.0p-53; }

uint64_t dse_rng_below(dse_rng *r, uint64_t n)
{
    uint64_t lim = -n % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = dse_rng_next(r);
        if (x >= lim) return x % n;
    }
}

double dse_rng_normal(dse_rng *r)
{
    double u1 = dse_rng_uniform(r), u2 = dse_rng_uniform(r);
    return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

double dse_rng_gamma(dse_rng *r, double k)
{
    if (k < 1.0) { /* boost: Gamma(k) = Gamma(k+1) * U^(1/k) */
        double u = dse_rng_uniform(r);
        return dse_rng_gamma(r, k + 1.0) * pow(1.0 - u, 1.0 / k);
    }
    double d = k - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x = dse_rng_normal(r), v = 1.0 + c * x;
        if (v <= 0) continue;
        v = v * v * v;
        double u = dse_rng_uniform(r);
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v))) return d * v;
    }
}

double dse_rng_beta(dse_rng *r, double a, double b)
{
    double x = dse_rng_gamma(r, a), y = dse_rng_gamma(r, b);
    return x / (x + y);
}
