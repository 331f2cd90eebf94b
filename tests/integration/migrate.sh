#!/bin/sh
# meterops db migrate creates the schema of DESIGN.md, is idempotent, and db status agrees.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_migrate)

out=$("$MO_BIN" db status --db "$db"); rc=$?
is "$rc" 1 "db status on an empty database exits 1 (pending)"
like "$out" "pending +schema/001_core" "db status lists 001_core as pending"

out=$("$MO_BIN" db migrate --db "$db"); rc=$?
is "$rc" 0 "first migrate succeeds"
like "$out" "applied schema/001_core" "first migrate applies 001_core"

for t in customer meter tariff bill reading_day load_job load_file load_error audit_log; do
    is "$(sql "SELECT to_regclass('meterops.$t') IS NOT NULL" -d t_migrate)" t "table meterops.$t exists"
done
is "$(sql "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_schema='meterops' AND table_name='load_error'" -d t_migrate)" \
   "code,column_name,file_id,line_no,message,raw" "load_error has the contract columns"
for f in "meter_usage_daily(text,date,date)" "requeue_file(bigint,text)"; do
    is "$(sql "SELECT to_regprocedure('meterops.$f') IS NOT NULL" -d t_migrate)" t "function meterops.$f exists"
done
for r in meterops_loader meterops_operator meterops_support; do
    is "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = '$r'" -d t_migrate)" 1 "role $r exists"
done

before=$(sql "SELECT count(*) || '/' || max(applied_at) FROM meterops.schema_migration" -d t_migrate)
out=$("$MO_BIN" db migrate --db "$db"); rc=$?
is "$rc" 0 "second migrate succeeds"
is "$out" "schema meterops is up to date" "second migrate changes nothing"
is "$(sql "SELECT count(*) || '/' || max(applied_at) FROM meterops.schema_migration" -d t_migrate)" "$before" "migration records unchanged"

"$MO_BIN" db status --db "$db" >/dev/null; is "$?" 0 "db status exits 0 when nothing is pending"

# Partitions are made on demand, by month, and only once.
is "$(sql "SELECT meterops.ensure_reading_partitions('2024-01-15', '2024-03-01')" -d t_migrate)" 3 "three monthly partitions made"
is "$(sql "SELECT meterops.ensure_reading_partitions('2024-02-01', '2024-02-29')" -d t_migrate)" 0 "existing partition is not made twice"

# Bad connection: exit 2 with libpq's reason.
out=$("$MO_BIN" db migrate --db "host=/nonexistent dbname=x" 2>&1); rc=$?
is "$rc" 2 "unreachable server exits 2"
like "$out" "cannot connect" "unreachable server is reported plainly"

done_testing
