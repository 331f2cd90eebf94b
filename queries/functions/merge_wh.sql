-- Interval-by-interval merge used when a file corrects a meter-day already stored: a
-- non-NULL value in the newer array wins, a NULL keeps the stored value. Arrays of
-- different lengths (a meter whose interval changed) take the newer shape.
CREATE OR REPLACE FUNCTION meterops.merge_wh(old_wh int4[], new_wh int4[])
RETURNS int4[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN old_wh IS NULL OR cardinality(old_wh) <> cardinality(new_wh) THEN new_wh
        ELSE ARRAY(SELECT coalesce(n, o)
                   FROM unnest(old_wh, new_wh) WITH ORDINALITY AS u(o, n, i) ORDER BY i)
    END
$$;

-- Flags follow the same rule; NULL flags mean "all actual reads".
CREATE OR REPLACE FUNCTION meterops.merge_flags(old_wh int4[], old_flags bytea,
                                                new_wh int4[], new_flags bytea)
RETURNS bytea
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    n int := cardinality(new_wh);
    out bytea;
BEGIN
    IF old_flags IS NULL AND new_flags IS NULL THEN
        RETURN NULL;
    END IF;
    IF old_wh IS NULL OR cardinality(old_wh) <> n THEN
        RETURN new_flags;
    END IF;
    out := coalesce(old_flags, decode(repeat('41', n), 'hex'));
    FOR i IN 1..n LOOP
        IF new_wh[i] IS NOT NULL THEN
            out := set_byte(out, i - 1, CASE WHEN new_flags IS NULL THEN 65 ELSE get_byte(new_flags, i - 1) END);
        END IF;
    END LOOP;
    RETURN out;
END
$$;
