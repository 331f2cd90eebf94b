-- upsert_meters: moves one meters feed (staged by the loader in the temporary table stage:
-- line_no bigint, mpxn, fuel, interval_minutes, account_no, tariff_code, installed_on,
-- removed_on, direction, tariff_from, all text, each row already validated by backend/reader_registry.c) into
-- meterops.meter in one statement. A 21-digit MPAN is stored as its 13-digit core (the
-- part that identifies the meter point). A new mpxn is inserted; a known one takes the
-- file's customer, tariff and dates (a later file moves a meter to a new tenant or
-- tariff). direction (import or export, 018) is NULL when the file has no such column:
-- import for a new meter, unchanged for a known one.
-- Tariffs by date (meterops.meter_tariff, 021): tariff_from is the local day the row's
-- tariff starts for the meter. With it, the meter is on that tariff from that day: periods
-- the meter had from a later day are removed (the file states the tariff from then on), its
-- tariff before that day stays, and a row repeating the tariff already in force that day
-- changes nothing. Without it (or without the column), a new meter is on its tariff since
-- always, and a known meter whose tariff_code differs from its current tariff moves to it
-- from the day the file is loaded (023's trigger; its past days keep their old prices).
-- meter.tariff_id always becomes the file's tariff (the meter's latest). Refused, one reason per row, in this order: an mpxn repeated within the file
-- (the first line counts), an account_no or tariff_code the registry does not hold
-- (unknown_reference: load customers and tariffs first), a tariff of the other fuel, and
-- a change of interval for a meter that already has readings (its stored days are sized
-- by the interval; meterops.meter_has_readings, so the statement also plans on Citus).
-- The lookup sits in a CASE of its own so that it runs only for a known meter whose
-- interval changes: inside an AND with a NULL old interval (every new meter) PostgreSQL
-- must call it (NULL AND false is false), and on Citus meter_has_readings(NULL) cannot be
-- routed to one shard, so it asked every shard once per new meter.
-- Returns (line_no, column_name, code, message) for every staged row it refused.
WITH src AS (
    SELECT s.line_no,
           CASE WHEN length(s.mpxn) = 21 THEN right(s.mpxn, 13) ELSE s.mpxn END AS mpxn,
           s.fuel,
           s.interval_minutes::int AS interval_minutes,
           s.account_no,
           s.tariff_code,
           s.installed_on::date AS installed_on,
           s.removed_on::date AS removed_on,
           s.direction,
           s.tariff_from::date AS tariff_from
    FROM stage s
),
ranked AS (
    SELECT src.*,
           row_number() OVER w AS nth,
           first_value(src.line_no) OVER w AS first_line,
           (src.fuel, src.interval_minutes, src.account_no, src.tariff_code, src.installed_on, src.removed_on,
            src.direction)::text
               IS NOT DISTINCT FROM
           first_value((src.fuel, src.interval_minutes, src.account_no, src.tariff_code, src.installed_on,
                        src.removed_on, src.direction)::text) OVER w
               AS same_as_first
    FROM src
    WINDOW w AS (PARTITION BY src.mpxn ORDER BY src.line_no)
),
looked AS (
    SELECT r.*,
           c.customer_id,
           t.tariff_id,
           t.fuel AS tariff_fuel,
           m.meter_id,
           m.interval_minutes AS old_interval,
           coalesce(r.direction, m.direction, 'import') AS new_direction
    FROM ranked r
    LEFT JOIN meterops.customer c ON c.account_no = r.account_no
    LEFT JOIN meterops.tariff t ON t.code = r.tariff_code
    LEFT JOIN meterops.meter m ON m.mpxn = r.mpxn
),
refused AS (
    SELECT l.line_no, p.column_name, p.code, p.message
    FROM looked l
    CROSS JOIN LATERAL (
        SELECT v.column_name, v.code, v.message
        FROM (VALUES
            (1, 'mpxn',
             meterops.repeat_code(l.nth, l.same_as_first),
             format('meter %s already appears on line %s%s', l.mpxn, l.first_line,
                    meterops.repeat_note(l.same_as_first, 'details'))),
            (2, 'account_no',
             CASE WHEN l.account_no IS NOT NULL AND l.customer_id IS NULL THEN 'unknown_reference' END,
             format('account_no %s is not a known customer (load the customers feed first)', l.account_no)),
            (3, 'tariff_code',
             CASE WHEN l.tariff_code IS NOT NULL AND l.tariff_id IS NULL THEN 'unknown_reference' END,
             format('tariff_code %s is not a known tariff (load the tariffs feed first)', l.tariff_code)),
            (4, 'tariff_code',
             CASE WHEN l.tariff_fuel <> l.fuel THEN 'field_invalid' END,
             format('tariff %s is for %s but meter %s is %s', l.tariff_code, l.tariff_fuel, l.mpxn, l.fuel)),
            (5, 'interval_minutes',
             CASE WHEN l.old_interval <> l.interval_minutes
                  THEN CASE WHEN meterops.meter_has_readings(l.meter_id) THEN 'field_invalid' END END,
             format('meter %s already has %s-minute readings; its interval cannot become %s minutes',
                    l.mpxn, l.old_interval, l.interval_minutes))
        ) v(ord, column_name, code, message)
        WHERE v.code IS NOT NULL
        ORDER BY v.ord
        LIMIT 1
    ) p
),
-- Only new mpxns go through INSERT: an INSERT ... ON CONFLICT draws an identity value for
-- every row it tries, so a daily full registry feed would burn 3.5M meter ids a day and
-- scatter new meters over fresh id ranges (the meter counts keep bitmaps per 65536 ids,
-- 009_meter_counts.sql). Known meters are UPDATEd in place. ON CONFLICT stays for a
-- meter another load registers meanwhile.
accepted AS (
    SELECT l.* FROM looked l
    WHERE NOT EXISTS (SELECT 1 FROM refused x WHERE x.line_no = l.line_no)
),
inserted AS (
    INSERT INTO meterops.meter AS m
           (mpxn, fuel, interval_minutes, customer_id, tariff_id, installed_on, removed_on, direction)
    SELECT a.mpxn, a.fuel, a.interval_minutes, a.customer_id, a.tariff_id, a.installed_on, a.removed_on,
           a.new_direction
    FROM accepted a
    WHERE a.meter_id IS NULL
    ORDER BY a.line_no
    ON CONFLICT (mpxn) DO UPDATE
        SET fuel = EXCLUDED.fuel, interval_minutes = EXCLUDED.interval_minutes,
            customer_id = EXCLUDED.customer_id, tariff_id = EXCLUDED.tariff_id,
            installed_on = EXCLUDED.installed_on, removed_on = EXCLUDED.removed_on,
            direction = EXCLUDED.direction
        WHERE (m.fuel, m.interval_minutes, m.customer_id, m.tariff_id, m.installed_on, m.removed_on,
               m.direction)
              IS DISTINCT FROM
              (EXCLUDED.fuel, EXCLUDED.interval_minutes, EXCLUDED.customer_id, EXCLUDED.tariff_id,
               EXCLUDED.installed_on, EXCLUDED.removed_on, EXCLUDED.direction)
    RETURNING m.meter_id, m.mpxn
),
updated AS (
    UPDATE meterops.meter AS m
       SET fuel = a.fuel, interval_minutes = a.interval_minutes, customer_id = a.customer_id,
           tariff_id = a.tariff_id, installed_on = a.installed_on, removed_on = a.removed_on,
           direction = a.new_direction
      FROM accepted a
     WHERE m.meter_id = a.meter_id
       AND (m.fuel, m.interval_minutes, m.customer_id, m.tariff_id, m.installed_on, m.removed_on,
            m.direction)
           IS DISTINCT FROM
           (a.fuel, a.interval_minutes, a.customer_id, a.tariff_id, a.installed_on, a.removed_on,
            a.new_direction)
    RETURNING 1
),
-- The dated tariff changes, new meters' ids from inserted. These statements and the meter
-- update see the same snapshot; 023's trigger runs after them all and finds the meter's
-- latest period on its new tariff, so it adds none of its own.
dated AS (
    SELECT coalesce(a.meter_id, i.meter_id) AS meter_id, a.tariff_from, a.tariff_id
    FROM accepted a
    LEFT JOIN inserted i ON a.meter_id IS NULL AND i.mpxn = a.mpxn
    WHERE a.tariff_from IS NOT NULL AND coalesce(a.meter_id, i.meter_id) IS NOT NULL
),
tariff_later AS (
    DELETE FROM meterops.meter_tariff h USING dated d
    WHERE h.meter_id = d.meter_id AND h.valid_from > d.tariff_from
    RETURNING 1
),
tariff_dated AS (
    INSERT INTO meterops.meter_tariff AS h (meter_id, valid_from, tariff_id)
    SELECT d.meter_id, d.tariff_from, d.tariff_id
    FROM dated d
    WHERE d.tariff_id IS DISTINCT FROM
          (SELECT p.tariff_id FROM meterops.meter_tariff p
           WHERE p.meter_id = d.meter_id AND p.valid_from <= d.tariff_from
           ORDER BY p.valid_from DESC LIMIT 1)
    ON CONFLICT (meter_id, valid_from) DO UPDATE SET tariff_id = EXCLUDED.tariff_id
    RETURNING 1
)
SELECT line_no, column_name, code, message
FROM refused
ORDER BY line_no;
