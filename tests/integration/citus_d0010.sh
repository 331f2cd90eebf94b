#!/bin/sh
# citus_d0010.sh - D0010 register reads on a Citus cluster (scripts/pg-sandbox --workers 2):
# `db migrate` distributes meterops.register_read by meter_id, colocated with reading_day;
# the real sample loads through the coordinator (the upsert joins the Citus-local meter
# table with the distributed register_read), a repeat and a refused file behave as on one
# server, and `meterops customer` shows the latest reads. Skips without Citus.
. "$MO_SRCDIR/tests/lib.sh"
need_citus
t=$(tmpdir)
port=6750
citus_cluster "$t" $port
db="host=$t/cluster port=$port dbname=meterops user=postgres"
q() { sql "$1" -d "$db"; }
src="$MO_SRCDIR/tests/fixtures/realdata/uk-dtc-d0010"

"$MO_BIN" db migrate --db "$db" >"$t/m" 2>&1
ok $? "db migrate on the coordinator"
is "$(q "SELECT p.partmethod::text || ' ' || (p.colocationid = r.colocationid)::text
         FROM pg_dist_partition p, pg_dist_partition r
         WHERE p.logicalrelid = 'meterops.register_read'::regclass
           AND r.logicalrelid = 'meterops.reading_day'::regclass")" "h true" \
   "register_read is hash-distributed, colocated with reading_day"
is "$(q "SELECT action FROM meterops.citus_distribute() WHERE relation = 'register_read'")" "already" \
   "db distribute again leaves it where it is"

q "INSERT INTO meterops.customer (account_no, name) VALUES ('A-D0010', 'Register Reader')" >/dev/null
q "INSERT INTO meterops.meter (mpxn, fuel) SELECT v, 'elec' FROM unnest(ARRAY['1200023305967',
   '1900001059816', '1200033197420', '1200031039874', '1591055549625', '2200031930792',
   '1200022664056', '1900005260419', '1013044353630', '1900005281720', '2000055433806']) v" >/dev/null
q "UPDATE meterops.meter SET customer_id = (SELECT customer_id FROM meterops.customer)
   WHERE mpxn = '1900005281720'" >/dev/null

"$MO_BIN" load --db "$db" "$src/DTC5259515123502080915D0010.uff" >"$t/l1" 2>&1
ok $? "the real D0010 sample loads on the cluster"
is "$(q "SELECT count(*) || ' ' || sum(reading) FROM meterops.register_read")" "13 653740.0" \
   "its 13 reads land, exactly"
"$MO_BIN" load --db "$db" "$src/DTC5259515123502080915D0010_trailing_space_fields.uff" >"$t/l2" 2>&1
is "$(q "SELECT status || ' ' || rows_loaded || ' ' || rows_rejected FROM meterops.load_file
         WHERE path LIKE '%trailing_space_fields.uff'") $(q "SELECT count(*) FROM meterops.register_read")" \
   "loaded 13 0 13" "the padded copy: the same reads, none written twice"
sed -e 's/^030|DY|20160222000000|80598.0|/030|DY|20160222000000|80599.0|/' \
    "$src/DTC5259515123502080915D0010.uff" >"$t/conflict.uff"
"$MO_BIN" load --db "$db" --max-reject-ratio 1 "$t/conflict.uff" >/dev/null 2>&1
is "$(q "SELECT string_agg(e.line_no || ':' || e.code, ' ') FROM meterops.load_error e
         JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%/conflict.uff'")" "32:duplicate_conflict" \
   "a held read with another reading is refused as duplicate_conflict"
{ printf 'ZHV|0000000003|D0010002|D|UDMS|X|MRCY|20240302153151||||OPER|\n'
  printf '026|1100000000017|V|\n028|NEW01|C|\n030|S|20240101000000|12.5|||T|N|\n'
  printf 'ZPT|0000000003|3||1|20240302154650|\n'; } > "$t/create.uff"
"$MO_BIN" load --db "$db" --create-meters "$t/create.uff" >/dev/null 2>&1
is "$(q "SELECT r.reading FROM meterops.register_read r JOIN meterops.meter m USING (meter_id)
         WHERE m.mpxn = '1100000000017'")" "12.5" \
   "--create-meters registers the meter (Citus-local) and loads its read (distributed) in one statement"
like "$("$MO_BIN" customer --db "$db" A-D0010 2>&1)" "36933604 +DY +2016-02-22 00:00:00 +80598.0" \
   "customer shows the latest register reads from the shards"
done_testing
