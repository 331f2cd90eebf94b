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

# --- least privilege that holds (issue 15): the loader through functions and column grants ---
sql "INSERT INTO meterops.load_error (file_id, line_no, code, message) VALUES (1, 7, 'field_invalid', 'kept');
     INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/held.csv', repeat('b', 64), 'long', 'queued')" \
    -d t_roles >/dev/null
out=$(as loader "UPDATE meterops.load_file SET status = 'queued' WHERE file_id = 1")
like "$out" "permission denied for table load_file" "loader cannot requeue by UPDATE load_file"
out=$(as loader "INSERT INTO meterops.load_file (path, sha256, format, status) VALUES ('/y.csv', repeat('c', 64), 'long', 'loaded')")
like "$out" "permission denied for table load_file" "loader cannot enqueue a file as already loaded"
out=$(as loader "INSERT INTO meterops.audit_log (db_user, action, reason) VALUES ('alice', 'requeue', 'forged')")
like "$out" "permission denied for table audit_log" "loader cannot write audit rows"
out=$(as operator "INSERT INTO meterops.audit_log (db_user, action, reason) VALUES ('alice', 'requeue', 'forged')")
like "$out" "permission denied for table audit_log" "nor can the operator"
out=$(as loader "DELETE FROM meterops.load_error WHERE file_id = 1")
like "$out" "permission denied for table load_error" "loader cannot DELETE load_error"
is "$(as loader "SELECT meterops.load_errors_clear(1, 'host:1', 1)")" f \
   "clearing the errors of a file it does not hold does nothing"
out=$(as loader "INSERT INTO meterops.load_error (file_id, line_no, code, message) VALUES (1, 9, 'field_invalid', 'forged')")
like "$out" "file 1 is not being loaded" "loader cannot add errors to a file not being loaded"
is "$(sql "SELECT string_agg(message, ',') FROM meterops.load_error WHERE file_id = 1" -d t_roles)" kept \
   "the rejected file's errors are untouched"
out=$(as loader "SELECT name FROM meterops.customer")
like "$out" "permission denied for table customer" "loader cannot read customers' names"
for c in postcode email phone; do
    like "$(as loader "SELECT $c FROM meterops.customer")" "permission denied" "nor their $c"
done
is "$(as loader "SELECT account_no FROM meterops.customer")" A0000001 "it reads account numbers (meters and bills name them)"
is "$(as loader "SELECT file_id || ' ' || status || ' ' || attempts FROM meterops.load_claim('host:1', 60, '{2}')")" \
   "2 loading 1" "loader claims a queued file through load_claim"
is "$(as loader "SELECT count(*) FROM meterops.load_release(2, 'host:2', 'not mine')")" 0 \
   "another claimant cannot release it"
is "$(as loader "SELECT count(*) FROM meterops.load_finish(2, 'host:2', 1, 'loaded', 'long', 0, 0, 0, 0, NULL, NULL)")" 0 \
   "nor finish it"
is "$(as loader "SELECT count(*) FROM meterops.load_fail(1, 'host:1', 'x')")" 0 "nor can anyone fail a file that is not loading (file 1 is queued)"
out=$(as loader "INSERT INTO meterops.load_error (file_id, line_no, code, message) VALUES (2, 3, 'field_invalid', 'bad')")
is "$out" "" "the loader writes errors for a file being loaded"
is "$(as loader "SELECT meterops.load_errors_clear(2, 'host:1', 1)")" t "and its holder may clear them"
is "$(as loader "SELECT count(*) FROM meterops.load_release(2, 'host:1', 'stopping')")" 1 "its holder releases it"
is "$(sql "SELECT status || ' ' || coalesce(claimed_by, '-') || ' ' || (SELECT status FROM meterops.load_attempt WHERE file_id = 2) FROM meterops.load_file WHERE file_id = 2" -d t_roles)" \
   "queued - released" "back in the queue, its attempt closed as released"
out=$(as loader "SELECT meterops.requeue_file(2, 'x')")
like "$out" "permission denied for function requeue_file" "the loader still cannot requeue through the operator's function"
out=$(as operator "SELECT meterops.load_claim('host:9', 60, NULL)")
like "$out" "permission denied for function load_claim" "the operator cannot claim files"
out=$(as support "SELECT meterops.load_errors_clear(1, 'host:1', 1)")
like "$out" "permission denied for function load_errors_clear" "nor can support clear errors"
sql "INSERT INTO meterops.audit_log (db_user, action, reason) VALUES ('mallory', 'test', 'who')" -d t_roles >/dev/null
is "$(sql "SELECT db_user FROM meterops.audit_log WHERE action = 'test'" -d t_roles)" postgres \
   "an audit row names the session user, whatever the insert says"
is "$(sql "SELECT count(*) FROM information_schema.role_table_grants
           WHERE table_schema = 'meterops' AND table_name = 'audit_log' AND privilege_type <> 'SELECT'
             AND grantee IN ('PUBLIC', 'meterops_loader', 'meterops_operator', 'meterops_support')" -d t_roles)" 0 \
   "no role holds any right to write audit_log"

# The customers feed as the loader, with the upsert function owned by a role that is no
# superuser (a schema owner who migrates): stage_share lets it read the loader's stage.
stage_customers() {
    psql -X -q -v ON_ERROR_STOP=1 -tA -F'|' -U t_loader -d t_roles 2>&1 <<SQL
BEGIN;
CREATE TEMP TABLE stage (line_no bigint, account_no text, name text, postcode text, email text, phone text) ON COMMIT DROP;
INSERT INTO stage VALUES (2, 'C0000003', 'Rosalind Franklin', 'NW1 2DB', NULL, NULL),
                         (3, 'C0000003', 'Rosalind Franklin', 'NW1 2DB', NULL, NULL);
$(cat "$MO_SRCDIR/queries/load/upsert_customers.sql");
COMMIT;
SQL
}
sql "DROP ROLE IF EXISTS t_owner; CREATE ROLE t_owner NOLOGIN;
     GRANT USAGE ON SCHEMA meterops TO t_owner;
     GRANT SELECT, INSERT, UPDATE ON meterops.customer TO t_owner;
     ALTER FUNCTION meterops.customer_upsert_staged(boolean) OWNER TO t_owner" -d t_roles >/dev/null
is "$(stage_customers)" "3|account_no|duplicate_identical|account_no C0000003 already appears on line 2 with the same details" \
   "the loader upserts customers through a function its non-superuser owner runs"
is "$(sql "SELECT name FROM meterops.customer WHERE account_no = 'C0000003'" -d t_roles)" "Rosalind Franklin" \
   "the customer is stored"
sql "ALTER FUNCTION meterops.customer_upsert_staged(boolean) OWNER TO postgres;
     DELETE FROM meterops.customer WHERE account_no = 'C0000003'" -d t_roles >/dev/null

# --- support cannot enumerate masked data ---------------------------------------------------------
sql "INSERT INTO meterops.customer (account_no, name, postcode, email, phone)
     VALUES ('B0000002', 'Mary Seacole', 'M14 3QR', 'mary@example.org', '07700900456');
     INSERT INTO meterops.meter (mpxn, fuel, customer_id)
     SELECT '1200023305967', 'elec', customer_id FROM meterops.customer WHERE account_no = 'B0000002'" -d t_roles >/dev/null
is "$(as support "SELECT postcode FROM meterops.customer_masked WHERE account_no = 'B0000002'")" "M14 ***" \
   "support sees the postcode masked"
inward="SELECT d || a || b AS code FROM generate_series(0, 9) d,
        unnest(string_to_array('ABCDEFGHIJKLMNOPQRSTUVWXYZ', NULL)) a,
        unnest(string_to_array('ABCDEFGHIJKLMNOPQRSTUVWXYZ', NULL)) b"
enum="SELECT count(*) || ' ' || count(f.account_no) FROM ($inward) i
      LEFT JOIN LATERAL meterops.customer_find('M14 ' || i.code) f ON true"
is "$(as operator "$enum")" "6760 1" "the enumeration is real: an operator finds M14 3QR among 6,760 inward codes"
is "$(as support "$enum")" "6760 0" "support trying every inward code of M14 finds nothing"
is "$(as support "SELECT count(*) FROM meterops.customer_find('m143qr')")" 0 "not even the exact full postcode"
for ref in Mar Sea seacole 'Mary Seacole' 'mary seacole' 'M%' '%' '%%%' '___' '_%' 'Mary_Seacole' 'Mary%' \
           '%Seacole' 'M\%' 'B%' 'B000000_' 'A%' '12000233' '120002330596%' '120002330596_' '*' '.*'; do
    is "$(as support "SELECT count(*) FROM meterops.customer_find('$ref')")" 0 "support searching '$ref' finds nothing"
done
is "$(as operator "SELECT count(*) FROM meterops.customer_find('Mary_Seacole')")" 0 \
   "an operator's name search takes _ literally"
is "$(as support "SELECT account_no || ' ' || matched_by || ' ' || name FROM meterops.customer_find('B0000002')")" \
   "B0000002 account_no M***********" "support finds a customer by exact account number, masked"
is "$(as support "SELECT account_no || ' ' || matched_by FROM meterops.customer_find('1200 0233 05967')")" \
   "B0000002 mpxn" "and by exact MPAN"
is "$(as support "SELECT string_agg(proname, ' ' ORDER BY proname) FROM pg_proc
                  WHERE pronamespace = 'meterops'::regnamespace AND has_function_privilege(oid, 'EXECUTE')
                    AND proname LIKE 'customer%'")" \
   "customer_find customer_insights customer_meters customer_register_reads" \
   "support's customer functions are these four, all keyed by account or MPAN"
is "$(as support "SELECT count(*) FROM meterops.customer_register_reads('B0000002')")" 0 \
   "support reads register reads through customer_register_reads (none held here)"
is "$(as support "SELECT count(*) FROM meterops.register_read" 2>&1 | grep -c 'permission denied')" 1 \
   "support cannot read register_read itself"

done_testing
