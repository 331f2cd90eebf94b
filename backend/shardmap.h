/* shardmap.h - which shard of reading_day, and so which Citus worker, holds a meter.
 *
 * Citus places a row of a hash-distributed table by the hash of its distribution column,
 * computed with the column type's own hash function (hashint8 for meter_id bigint), in
 * the shard whose [min, max] hash range holds it. The loader computes the same hash on
 * the client, so routing a meter-day costs a few instructions and no round trip; the
 * ranges and placements come from Citus's metadata (meterops.reading_day_shards()). */
#ifndef MO_SHARDMAP_H
#define MO_SHARDMAP_H

#include <stdint.h>

/* PostgreSQL's hashint8(v), as an int4 (src/backend/access/hash/hashfunc.c: a value in
 * int4 range hashes as that int4, so the low half is folded with the high one). */
int32_t citus_hash_int8(int64_t v);

struct shard_range {
    int32_t lo, hi;     /* hash range, inclusive */
    int node;           /* index of its worker */
};

/* The shard index of hash h among n ranges sorted by lo (contiguous, as Citus makes
 * them), or -1 when none holds it. */
int shardmap_find(const struct shard_range *r, int n, int32_t h);

#endif
