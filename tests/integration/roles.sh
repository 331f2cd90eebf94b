#!/bin/sh
# Each role may do its job and is refused, by PostgreSQL, what it must not do.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_roles)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }

for u in loader operator support; do
    psql -X -q -d t_roles -c "DROP ROLE IF EXISTS t_$u; CREATE ROLE t_$u LOGIN IN ROLE meterops_$u" >/dev/null 2>&1 ||
        psql -X -q -d t_roles -c "GRANT meterops_$u TO t_$u" >/dev/null
done
sql "INSERT INTO meterops.customer (account_no, name, postcode, email, phone)
     VALUES ('A0000001', 'Ada Lovelace', 'SW1A 1AA', 'ada@example.org', '07700900123');
     INSERT INTO meterops.meter (mpxn, fuel, customer_id) VALUES ('2700003645222', 'elec', 1);
     SELECT meterops.ensure_reading_partitions('2024-06-01', '2024-06-02');
     INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/x.csv', repeat('a', 64), 'long', 'rejected');
     INSERT INTO meterops.reading_day (meter_id, day, wh, file_id)
     VALUES (1, '2024-06-01', array_fill(100, ARRAY[48]), 1);" -d t_roles >/dev/null

as() { u=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -tA -U "t_$u" -d t_roles -c "$1" 2>&1; }

# support
out=$(as support "SELECT kwh FROM meterops.meter_usage_daily('2700003645222', '2024-06-01', '2024-06-01')")
is "$out" "4.600" "support reads usage through the function (local day 2024-06-01: 46 of the UTC day's intervals in BST)"
out=$(as support "SELECT name || '|' || email || '|' || phone FROM meterops.customer_masked")
is "$out" "A***********|a***@example.org|********123" "support sees personal data masked"
out=$(as support "SELECT name FROM meterops.customer")
like "$out" "permission denied for table customer" "support cannot read the customer table"
out=$(as support "SELECT count(*) FROM meterops.reading_day")
like "$out" "permission denied" "support cannot read readings directly"
out=$(as support "SELECT meterops.requeue_file(1, 'try')")
like "$out" "permission denied for function requeue_file" "support cannot requeue"

# operator
out=$(as operator "SELECT count(*) FROM meterops.load_file")
is "$out" 1 "operator reads load_file"
out=$(as operator "UPDATE meterops.load_file SET status = 'queued'")
like "$out" "permission denied for table load_file" "operator cannot change load_file directly"
out=$(as operator "SELECT meterops.requeue_file(1, 'fixed the header')")
is "$out" "" "operator requeues through the function"
is "$(sql "SELECT status || '|' || db_user || '|' || reason FROM meterops.load_file, meterops.audit_log WHERE action = 'requeue'" -d t_roles)" \
   "queued|t_operator|fixed the header" "requeue is audited with the database user and the reason"
out=$(as operator "SELECT meterops.requeue_file(1, 'again')")
like "$out" "already" "a queued file cannot be requeued again"
out=$(as operator "SELECT meterops.requeue_file(1, '  ')")
like "$out" "needs a reason" "requeue without a reason is refused"
out=$(as operator "DELETE FROM meterops.reading_day")
like "$out" "permission denied" "operator cannot delete readings"

# loader
out=$(as loader "INSERT INTO meterops.reading_day (meter_id, day, wh, file_id) VALUES (1, '2024-06-02', '{1}', 1)")
is "$out" "" "loader writes readings"
out=$(as loader "SELECT meterops.ensure_reading_partitions('2024-07-01', '2024-07-01')")
is "$out" 1 "loader creates partitions through the function"
out=$(as loader "DELETE FROM meterops.reading_day")
like "$out" "permission denied" "loader cannot delete readings"
out=$(as loader "SELECT meterops.requeue_file(1, 'x')")
like "$out" "permission denied for function requeue_file" "loader cannot requeue"
out=$(as loader "DROP TABLE meterops.audit_log")
like "$out" "must be owner" "loader cannot drop tables"
out=$(as loader "UPDATE meterops.audit_log SET reason = 'rewritten'")
like "$out" "permission denied" "loader cannot rewrite the audit log"

done_testing
