/* gen_prng.h - the generator's deterministic random numbers.
 *
 * splitmix64 (Steele, Lea, Flood 2014) turns (seed, meter, day, purpose) into independent
 * stream seeds; xoshiro256** (Blackman, Vigna 2018) draws from a stream. Every stream is
 * keyed by what it describes, never by the order work happens in, so the same seed gives
 * byte-identical files whatever the thread count and whichever meters are generated.
 * Inline because the readings loop draws several numbers per reading. */
#ifndef MO_GEN_PRNG_H
#define MO_GEN_PRNG_H

#include <stdint.h>

struct prng {
    uint64_t s[4];
};

/* Advances *state and returns the next splitmix64 output. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A well-mixed 64-bit key from up to four words (purpose tag, seed, meter, day). */
static inline uint64_t prng_key(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    uint64_t st = a;
    uint64_t h = splitmix64(&st);
    st = h ^ b;
    h = splitmix64(&st);
    st = h ^ c;
    h = splitmix64(&st);
    st = h ^ d;
    return splitmix64(&st);
}

static inline void prng_seed(struct prng *p, uint64_t key)
{
    uint64_t st = key;
    for (int i = 0; i < 4; i++)
        p->s[i] = splitmix64(&st);
}

static inline uint64_t prng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** next output. */
static inline uint64_t prng_next(struct prng *p)
{
    uint64_t *s = p->s;
    uint64_t result = prng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = prng_rotl(s[3], 45);
    return result;
}

/* Uniform double in [0, 1) from the top 53 bits. */
static inline double prng_unit(struct prng *p)
{
    return (double)(prng_next(p) >> 11) * 0x1.0p-53;
}

/* Uniform float in [0, 1) from the top 24 bits (the profile's per-reading noise). */
static inline float prng_unitf(struct prng *p)
{
    return (float)(prng_next(p) >> 40) * 0x1.0p-24f;
}

/* Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for the
 * small n used here). */
static inline uint32_t prng_below(struct prng *p, uint32_t n)
{
    return (uint32_t)(((prng_next(p) >> 32) * (uint64_t)n) >> 32);
}

/* Threshold for "happens with probability r" tests against prng_next(): exact enough and
 * one integer compare per draw. */
static inline uint64_t prng_threshold(double r)
{
    if (r <= 0)
        return 0;
    if (r >= 1)
        return UINT64_MAX;
    return (uint64_t)(r * 18446744073709551616.0);
}

#endif
