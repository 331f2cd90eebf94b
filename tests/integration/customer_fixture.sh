# customer_fixture.sh - sourced by tests/integration/customer.sh and bench/customer.sh.
# fixture_load DB DIR: the generator's registry feeds through the registry upsert SQL (staged
# as the loader stages them, like tests/integration/gen.sh), then DIR/readings.csv
# aggregated into reading_day rows by SQL: one row per meter and UTC day, NULL where the
# file has no line, flags only when some interval is not an actual read. The one place to
# switch to `meterops load` once the loader exists.
fixture_load() {
    for f in customers tariffs meters bills; do
        cols=$(head -1 "$2/$f.csv" | sed 's/,/ text, /g; s/$/ text/')
        names=$(head -1 "$2/$f.csv")
        # the loader stages a meters feed's optional columns NULL when the file has none
        [ $f = meters ] && case ",$names," in *,tariff_from,*) ;; *) cols="$cols, tariff_from text" ;; esac
        awk 'NR > 1 { print NR "," $0 }' "$2/$f.csv" >"$2/stage-$f.csv"
        refused=$(psql -X -q -v ON_ERROR_STOP=1 -tA -d "$1" 2>&1 <<SQL
BEGIN;
CREATE TEMP TABLE stage (line_no bigint, $cols) ON COMMIT DROP;
\copy stage (line_no, $names) FROM '$2/stage-$f.csv' CSV
\i $MO_SRCDIR/queries/load/upsert_$f.sql
COMMIT;
SQL
        ) || { echo "# fixture: $f: $refused"; return 1; }
        [ -z "$refused" ] || { echo "# fixture: $f refused: $refused"; return 1; }
    done
    psql -X -q -v ON_ERROR_STOP=1 -tA -d "$1" >/dev/null <<SQL || return 1
CREATE TEMP TABLE long (mpxn text, ts timestamptz, kwh numeric, quality text);
\copy long FROM '$2/readings.csv' CSV HEADER
SELECT meterops.ensure_reading_partitions(min(ts AT TIME ZONE 'UTC')::date, max(ts AT TIME ZONE 'UTC')::date) FROM long;
INSERT INTO meterops.load_file (path, sha256, format, status)
VALUES ('$2/readings.csv', repeat('0', 64), 'long', 'loaded');
INSERT INTO meterops.reading_day (meter_id, day, wh, flags, file_id)
SELECT k.meter_id, k.day,
       array_agg(r.wh ORDER BY g.i),
       CASE WHEN bool_and(coalesce(r.quality, 'M') = 'A') THEN NULL
            ELSE convert_to(string_agg(coalesce(r.quality, 'M'), '' ORDER BY g.i), 'SQL_ASCII') END,
       currval(pg_get_serial_sequence('meterops.load_file', 'file_id'))
FROM (SELECT DISTINCT m.meter_id, m.interval_minutes, (l.ts AT TIME ZONE 'UTC')::date AS day
      FROM long l JOIN meterops.meter m USING (mpxn)) k
CROSS JOIN LATERAL generate_series(0, 1440 / k.interval_minutes - 1) AS g(i)
LEFT JOIN (SELECT m.meter_id, (l.ts AT TIME ZONE 'UTC')::date AS day,
                  (extract(epoch FROM (l.ts AT TIME ZONE 'UTC')::time) / 60 / m.interval_minutes)::int AS i,
                  (l.kwh * 1000)::int AS wh, l.quality
           FROM long l JOIN meterops.meter m USING (mpxn)) r
       ON r.meter_id = k.meter_id AND r.day = k.day AND r.i = g.i
GROUP BY k.meter_id, k.day;
SQL
}
