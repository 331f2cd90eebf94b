-- 009_meter_counts: meter counts that cost nothing to read (console/dash_meters.sql,
-- `meterops status`), kept exact by the loader and by triggers on meterops.meter.
--
-- A meter's place in a bitmap: chunk = meter_id >> 16, bit i = meter_id & 65535, counted
-- from the left of a 65536-bit string (get_bit(bits, i)). 3.5M meters are 54 chunks.
--
--   meter_seen    (day, fuel, chunk): the meters with a reading_day row for that day. The
--                 loader ORs in the bitmaps of a file's meter-days in the file's own
--                 transaction, just before COMMIT (queries/load/seen.sql), so a file that
--                 rolls back leaves no bit. fuel is the meter's fuel when it was loaded;
--                 the console ORs both fuels, so a later change of fuel cannot miscount.
--   meter_tally   (fuel, removed_on): registry counts; removed_on 'infinity' = not removed.
--   meter_active  (fuel, chunk): the meters whose removed_on IS NULL.
-- meter_tally and meter_active follow every INSERT, UPDATE and DELETE on meterops.meter
-- through statement-level triggers with transition tables (O(rows the statement changed)).
--
-- Exact since this migration for the registry; for readings, exact for the days the
-- backfill below covers (the last 40 days) and every day loaded since. Earlier days can be
-- summarized with meterops.meter_seen_rebuild(from_day, to_day). Bits are only ever set:
-- readings deleted by hand, or partitions dropped, leave their bits (delete the
-- meter_seen rows of dropped days, or rebuild the days).
-- Safe to run again.

CREATE TABLE IF NOT EXISTS meterops.meter_seen (
    day    date NOT NULL,
    fuel   text NOT NULL CHECK (fuel IN ('elec', 'gas')),
    chunk  int NOT NULL CHECK (chunk >= 0),
    bits   bit varying NOT NULL CHECK (length(bits) = 65536),
    PRIMARY KEY (day, fuel, chunk)
);

CREATE TABLE IF NOT EXISTS meterops.meter_tally (
    fuel        text NOT NULL,
    removed_on  date NOT NULL,          -- 'infinity': not removed
    meters      bigint NOT NULL,
    PRIMARY KEY (fuel, removed_on)
);

CREATE TABLE IF NOT EXISTS meterops.meter_active (
    fuel   text NOT NULL,
    chunk  int NOT NULL CHECK (chunk >= 0),
    bits   bit varying NOT NULL CHECK (length(bits) = 65536),
    PRIMARY KEY (fuel, chunk)
);

-- Meters removed in the future are active today but not in meter_active: the console
-- finds them (few) through this index.
CREATE INDEX IF NOT EXISTS meter_removed_idx ON meterops.meter (removed_on)
    WHERE removed_on IS NOT NULL;

-- A chunk's 65536-bit string from its non-zero 64-bit words (word w holds bits
-- 64w .. 64w+63, the first of them in the word's highest bit). Set-based: callers group
-- meter ids by word with bit_or(1::bigint << (63 - (meter_id & 63))).
CREATE OR REPLACE FUNCTION meterops.chunk_bits(words int[], vals bigint[])
RETURNS bit varying
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT ('X' || string_agg(lpad(to_hex(coalesce(x.v, 0)), 16, '0'), '' ORDER BY g.i))::varbit
    FROM generate_series(0, 1023) AS g(i)
    LEFT JOIN unnest(words, vals) AS x(w, v) ON x.w = g.i
$$;

-- The registry triggers: one function for the three statements, given the rows the
-- statement changed as new_rows / old_rows. Only rows whose fuel or removed_on changed
-- count (a feed changing 3.5M meters' tariffs moves no count). Rows are changed in key
-- order (two registry loads at once lock them in the same order): tallies, then bitmaps.
CREATE OR REPLACE FUNCTION meterops.meter_counts_trg()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    src text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT fuel, removed_on, meter_id, 1 AS s FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT fuel, removed_on, meter_id, -1 AS s FROM old_rows'
        ELSE 'SELECT x.* FROM new_rows n JOIN old_rows o USING (meter_id)
              CROSS JOIN LATERAL (VALUES (n.fuel, n.removed_on, n.meter_id, 1),
                                         (o.fuel, o.removed_on, o.meter_id, -1)) AS x(fuel, removed_on, meter_id, s)
              WHERE (n.fuel, n.removed_on) IS DISTINCT FROM (o.fuel, o.removed_on)' END;
BEGIN
    EXECUTE format($q$
        WITH d AS MATERIALIZED (%s),
        tally AS (
            INSERT INTO meterops.meter_tally AS t (fuel, removed_on, meters)
            SELECT fuel, coalesce(removed_on, 'infinity'), sum(s)
            FROM d GROUP BY 1, 2 HAVING sum(s) <> 0 ORDER BY 1, 2
            ON CONFLICT (fuel, removed_on) DO UPDATE SET meters = t.meters + EXCLUDED.meters
            RETURNING 1
        ),
        -- meter_active: clear the bits of rows gone (old rows), then set those there now
        w AS (
            SELECT fuel, (meter_id >> 16)::int AS chunk, ((meter_id & 65535) >> 6)::int AS word, s,
                   bit_or(1::bigint << (63 - (meter_id & 63)::int)) AS v
            FROM d WHERE removed_on IS NULL
            GROUP BY 1, 2, 3, 4
        ),
        a AS (
            SELECT fuel, chunk,
                   meterops.chunk_bits(array_agg(word) FILTER (WHERE s < 0),
                                       array_agg(v) FILTER (WHERE s < 0)) AS clr,
                   meterops.chunk_bits(array_agg(word) FILTER (WHERE s > 0),
                                       array_agg(v) FILTER (WHERE s > 0)) AS set
            FROM w GROUP BY 1, 2
        )
        INSERT INTO meterops.meter_active AS m (fuel, chunk, bits)
        SELECT fuel, chunk, set FROM a ORDER BY 1, 2
        ON CONFLICT (fuel, chunk) DO UPDATE
            SET bits = (m.bits & ~(SELECT a.clr FROM a WHERE a.fuel = m.fuel AND a.chunk = m.chunk))
                       | EXCLUDED.bits
    $q$, src);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS meter_counts_ins ON meterops.meter;
DROP TRIGGER IF EXISTS meter_counts_upd ON meterops.meter;
DROP TRIGGER IF EXISTS meter_counts_del ON meterops.meter;
CREATE TRIGGER meter_counts_ins AFTER INSERT ON meterops.meter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_counts_trg();
CREATE TRIGGER meter_counts_upd AFTER UPDATE ON meterops.meter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_counts_trg();
CREATE TRIGGER meter_counts_del AFTER DELETE ON meterops.meter
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_counts_trg();
-- TRUNCATE fires no row-set trigger: it empties the counts too.
CREATE OR REPLACE FUNCTION meterops.meter_counts_truncate()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
BEGIN
    DELETE FROM meterops.meter_tally;
    DELETE FROM meterops.meter_active;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS meter_counts_trunc ON meterops.meter;
CREATE TRIGGER meter_counts_trunc AFTER TRUNCATE ON meterops.meter
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.meter_counts_truncate();

-- Recomputes meter_seen for the days [from_day, to_day] from reading_day (set-based: one
-- pass over those days' rows, grouped by day, fuel, chunk and 64-bit word). For the
-- backfill below, for operators after readings were deleted or partitions dropped, and
-- for benchmarks that write reading_day with SQL. It locks meter_seen against loaders'
-- commits (SHARE ROW EXCLUSIVE) until the caller's transaction ends, so a file committing
-- meanwhile is counted either by the rebuild or by its own bits, never lost.
-- Returns the number of (day, fuel, chunk) rows written.
CREATE OR REPLACE FUNCTION meterops.meter_seen_rebuild(from_day date, to_day date)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, meterops AS $$
DECLARE
    n bigint;
BEGIN
    IF from_day IS NULL OR to_day IS NULL OR to_day < from_day THEN
        RAISE EXCEPTION 'meter_seen_rebuild: bad range % .. %', from_day, to_day;
    END IF;
    LOCK TABLE meterops.meter_seen IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM meterops.meter_seen WHERE day BETWEEN from_day AND to_day;
    INSERT INTO meterops.meter_seen (day, fuel, chunk, bits)
    SELECT w.day, w.fuel, w.chunk, meterops.chunk_bits(array_agg(w.word), array_agg(w.v))
    FROM (
        SELECT r.day, m.fuel, (r.meter_id >> 16)::int AS chunk,
               ((r.meter_id & 65535) >> 6)::int AS word,
               bit_or(1::bigint << (63 - (r.meter_id & 63)::int)) AS v
        FROM meterops.reading_day r
        JOIN meterops.meter m ON m.meter_id = r.meter_id
        WHERE r.day BETWEEN from_day AND to_day
        GROUP BY 1, 2, 3, 4
    ) w
    GROUP BY 1, 2, 3;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION meterops.meter_seen_rebuild(date, date) FROM PUBLIC;

-- Backfill: the registry's counts from scratch (an empty table is refilled, so running
-- this again gives the same rows), and the seen bitmaps of the days the console reads.
LOCK TABLE meterops.meter IN SHARE ROW EXCLUSIVE MODE;
DELETE FROM meterops.meter_tally;
INSERT INTO meterops.meter_tally (fuel, removed_on, meters)
SELECT fuel, coalesce(removed_on, 'infinity'), count(*) FROM meterops.meter GROUP BY 1, 2;
DELETE FROM meterops.meter_active;
INSERT INTO meterops.meter_active (fuel, chunk, bits)
SELECT w.fuel, w.chunk, meterops.chunk_bits(array_agg(w.word), array_agg(w.v))
FROM (
    SELECT fuel, (meter_id >> 16)::int AS chunk, ((meter_id & 65535) >> 6)::int AS word,
           bit_or(1::bigint << (63 - (meter_id & 63)::int)) AS v
    FROM meterops.meter WHERE removed_on IS NULL
    GROUP BY 1, 2, 3
) w
GROUP BY 1, 2;
SELECT meterops.meter_seen_rebuild((now() AT TIME ZONE 'UTC')::date - 40,
                                   (now() AT TIME ZONE 'UTC')::date);

GRANT SELECT, INSERT, UPDATE ON meterops.meter_seen TO meterops_loader;
GRANT SELECT ON meterops.meter_seen, meterops.meter_tally, meterops.meter_active
    TO meterops_loader, meterops_operator;
