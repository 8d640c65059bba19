/* rng.h -- SplitMix64 key derivation and xoshiro256** streams (deterministic per key). */
#ifndef DSE_RNG_H
#define DSE_RNG_H

#include <stdint.h>

typedef struct dse_rng { uint64_t s[4]; } dse_rng;

/* Advance *state by one SplitMix64 step and return the output. */
uint64_t dse_splitmix64(uint64_t *state);

/* Mix a list of 64-bit words into one key (order matters). */
uint64_t dse_rng_key(uint64_t seed, uint64_t a, uint64_t b, uint64_t c);

/* Seed a xoshiro256** stream from four SplitMix64 outputs of key. */
void dse_rng_seed(dse_rng *r, uint64_t key);

uint64_t dse_rng_next(dse_rng *r);       /* next 64-bit output */
double dse_rng_uniform(dse_rng *r);       /* uniform in [0,1), 53 bits */
uint64_t dse_rng_below(dse_rng *r, uint64_t n); /* uniform in [0,n), unbiased; n > 0 */
double dse_rng_normal(dse_rng *r);        /* standard normal (Box-Muller, no caching) */
double dse_rng_gamma(dse_rng *r, double k); /* Gamma(k,1), k > 0 (Marsaglia-Tsang) */
double dse_rng_beta(dse_rng *r, double a, double b); /* Beta(a,b), a,b > 0 */

#endif
