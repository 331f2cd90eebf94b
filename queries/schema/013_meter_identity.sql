-- 013_meter_identity: one spelling per meter point (doc/formats.md, "Meter identifiers";
-- backend/mpan.h). Before it, `load --create-meters` registered a full MPAN (21 digits) as
-- a meter of its own, beside its 13-digit core. This step puts such meters right:
--  * a full MPAN whose core is not registered is renamed to its core (all its readings
--    stay with it);
--  * a full MPAN whose core is registered too is merged into the core's meter: its
--    meter-days move over, a day both hold is combined where they agree (a half hour
--    only one of them has is kept), and the duplicate meter is deleted. Two meter-days
--    that give different values for the same half hour are not guessed at: the step
--    stops, naming the meters and the first such day (delete the wrong reading_day row,
--    then run `meterops db migrate` again);
-- and then refuses such states for good: meter.mpxn must have the shape of the rule
-- (13-digit core, 11-digit Irish MPRN 10..., 6-10 digit gas MPRN without a leading zero).
-- Meters registered earlier under an id the rule refuses (11 digits not starting 10, a
-- zero-padded MPRN) are kept and named in a warning; the constraint then holds for new rows.
-- Safe to run again.
DO $$
DECLARE
    r record;
    moved bigint := 0;
    bad record;
BEGIN
    -- renames: one full MPAN per core (the oldest), where the core is free
    FOR r IN
        SELECT DISTINCT ON (right(m.mpxn, 13)) m.meter_id, m.mpxn
        FROM meterops.meter m
        WHERE length(m.mpxn) = 21
          AND NOT EXISTS (SELECT 1 FROM meterops.meter c WHERE c.mpxn = right(m.mpxn, 13))
        ORDER BY right(m.mpxn, 13), m.meter_id
    LOOP
        UPDATE meterops.meter SET mpxn = right(r.mpxn, 13) WHERE meter_id = r.meter_id;
        RAISE NOTICE 'meter % (%) renamed to its MPAN core %', r.meter_id, r.mpxn, right(r.mpxn, 13);
    END LOOP;
    -- merges: every full MPAN left has its core registered
    FOR r IN
        SELECT d.meter_id AS dup_id, d.mpxn AS dup, c.meter_id AS core_id, c.mpxn AS core
        FROM meterops.meter d
        JOIN meterops.meter c ON c.mpxn = right(d.mpxn, 13)
        WHERE length(d.mpxn) = 21
    LOOP
        SELECT x.day INTO bad
        FROM meterops.reading_day x
        JOIN meterops.reading_day y ON y.meter_id = r.core_id AND y.day = x.day
        WHERE x.meter_id = r.dup_id
          AND (cardinality(x.wh) <> cardinality(y.wh)
               OR EXISTS (SELECT 1 FROM unnest(x.wh, y.wh) AS u(a, b) WHERE a <> b))
        ORDER BY x.day
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'meters % (%) and % (%) are one meter point but give different '
                            'readings for the same half hours on % (and maybe other days)',
                r.dup_id, r.dup, r.core_id, r.core, bad.day
                USING HINT = 'delete the wrong meterops.reading_day row(s), then run meterops db migrate again';
        END IF;
        UPDATE meterops.reading_day y
        SET wh = meterops.merge_wh(y.wh, x.wh),
            flags = meterops.merge_flags(y.wh, y.flags, x.wh, x.flags)
        FROM meterops.reading_day x
        WHERE x.meter_id = r.dup_id AND y.meter_id = r.core_id AND y.day = x.day;
        DELETE FROM meterops.reading_day x
        WHERE x.meter_id = r.dup_id
          AND EXISTS (SELECT 1 FROM meterops.reading_day y WHERE y.meter_id = r.core_id AND y.day = x.day);
        UPDATE meterops.reading_day SET meter_id = r.core_id WHERE meter_id = r.dup_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        -- the days the core now has (meter_seen, 009): set its bit on them
        INSERT INTO meterops.meter_seen AS s (day, fuel, chunk, bits)
        SELECT x.day, m.fuel, (m.meter_id >> 16)::int,
               set_bit(repeat('0', 65536)::varbit, (m.meter_id & 65535)::int, 1)
        FROM meterops.reading_day x JOIN meterops.meter m ON m.meter_id = x.meter_id
        WHERE x.meter_id = r.core_id
        ON CONFLICT (day, fuel, chunk) DO UPDATE SET bits = s.bits | EXCLUDED.bits;
        DELETE FROM meterops.meter WHERE meter_id = r.dup_id;
        RAISE NOTICE 'meter % (%) merged into % (%): % meter-days moved', r.dup_id, r.dup,
            r.core_id, r.core, moved;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                   WHERE conrelid = 'meterops.meter'::regclass AND conname = 'meter_mpxn_rule') THEN
        SELECT count(*) AS n, string_agg(mpxn, ', ' ORDER BY mpxn) FILTER (WHERE rn <= 5) AS some
        INTO bad
        FROM (SELECT mpxn, row_number() OVER (ORDER BY mpxn) AS rn FROM meterops.meter
              WHERE mpxn !~ '^([0-9]{13}|10[0-9]{9}|[1-9][0-9]{5,9})$') x;
        IF bad.n = 0 THEN
            ALTER TABLE meterops.meter ADD CONSTRAINT meter_mpxn_rule
                CHECK (mpxn ~ '^([0-9]{13}|10[0-9]{9}|[1-9][0-9]{5,9})$');
        ELSE
            -- ids an older loader took that the rule refuses (an 11-digit number not
            -- starting 10, a zero-padded MPRN): kept, but no new ones
            ALTER TABLE meterops.meter ADD CONSTRAINT meter_mpxn_rule
                CHECK (mpxn ~ '^([0-9]{13}|10[0-9]{9}|[1-9][0-9]{5,9})$') NOT VALID;
            RAISE WARNING '% meters have ids the identifier rule refuses (%): files can no longer '
                          'name them; re-register them under their right id', bad.n, bad.some;
        END IF;
    END IF;
END
$$;
