-- move/delta_keys: the reading_day keys kept for partitions $1 (text[]), each from round $2
-- (int[], same order) on: ids (bigint[] literal), days (date[] literal), how many, the
-- partitions to verify whole instead and the partitions the keys are in (both space
-- separated), and each key's partition (text[] literal, in step with ids and days).
-- A partition is verified whole when a change without a key (TRUNCATE) touched it, or when
-- its keys are more than an eighth of its rows: a probe per key (about 2.7 us) costs about
-- seven rows of a scan (0.37 us; move/rows_hash.sql against move/checksums.sql, measured
-- on a 372k-row month).
WITH k AS (
    SELECT d.relation, d.meter_id, d.day
      FROM pg_temp.move_delta_keys d
      JOIN unnest($1::text[], $2::int[]) AS p(rel, since) ON d.relation = p.rel AND d.round >= p.since
), per_part AS (
    SELECT k.relation,
           bool_or(k.meter_id IS NULL)
           OR count(DISTINCT (k.meter_id, k.day)) * 8 > greatest(max(c.reltuples), 0) AS whole
      FROM k
      LEFT JOIN pg_class c ON c.oid = to_regclass(k.relation)
     GROUP BY k.relation
), keys AS (
    SELECT DISTINCT k.meter_id, k.day, k.relation
      FROM k JOIN per_part p ON p.relation = k.relation AND NOT p.whole
)
SELECT (SELECT coalesce(array_agg(meter_id ORDER BY meter_id, day), '{}')::text FROM keys) AS ids,
       (SELECT coalesce(array_agg(day ORDER BY meter_id, day), '{}')::text FROM keys) AS days,
       (SELECT count(*) FROM keys) AS n,
       (SELECT string_agg(relation, ' ' ORDER BY relation) FROM per_part WHERE whole) AS whole,
       (SELECT string_agg(relation, ' ' ORDER BY relation) FROM per_part WHERE NOT whole) AS keyed,
       (SELECT coalesce(array_agg(relation ORDER BY meter_id, day), '{}')::text FROM keys) AS rels
