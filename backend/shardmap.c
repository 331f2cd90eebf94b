#include "backend/shardmap.h"

#define ROT(x, k) (((x) << (k)) | ((x) >> (32 - (k))))

/* hash_bytes_uint32 of src/common/hashfn.c (Bob Jenkins' lookup3 final mix). */
static uint32_t hash_uint32(uint32_t k)
{
    uint32_t a, b, c;
    a = b = c = 0x9e3779b9u + (uint32_t)sizeof(uint32_t) + 3923095u;
    a += k;
    c ^= b; c -= ROT(b, 14);
    a ^= c; a -= ROT(c, 11);
    b ^= a; b -= ROT(a, 25);
    c ^= b; c -= ROT(b, 16);
    a ^= c; a -= ROT(c, 4);
    b ^= a; b -= ROT(a, 14);
    c ^= b; c -= ROT(b, 24);
    return c;
}

int32_t citus_hash_int8(int64_t v)
{
    uint32_t lo = (uint32_t)v, hi = (uint32_t)((uint64_t)v >> 32);
    lo ^= v >= 0 ? hi : ~hi;
    return (int32_t)hash_uint32(lo);
}

int shardmap_find(const struct shard_range *r, int n, int32_t h)
{
    int a = 0, b = n - 1;
    while (a <= b) {
        int m = a + (b - a) / 2;
        if (h < r[m].lo)
            b = m - 1;
        else if (h > r[m].hi)
            a = m + 1;
        else
            return m;
    }
    return -1;
}
