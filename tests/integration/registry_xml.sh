#!/bin/sh
# Registry feeds as XML (regxml.h, schemas/registry/registry.xsd): `meterops gen --format
# xml` writes the same records as the CSV of the same seed, and they land identically
# through the same rules and upserts; a file that breaks the schema, one that is not
# well-formed and a hostile one are each refused as a whole at a line and column, and
# every other file of the same run loads.
. "$MO_SRCDIR/tests/lib.sh"

t=$(tmpdir)
csv=$(fresh_db t_regxml_csv)
xml=$(fresh_db t_regxml_xml)
"$MO_BIN" db migrate --db "$csv" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
"$MO_BIN" db migrate --db "$xml" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
"$MO_BIN" gen --meters 40 --days 2 --start 2024-03-01 --seed 3 --quiet --out "$t/c" || echo "not ok - gen csv"
"$MO_BIN" gen --meters 40 --days 2 --start 2024-03-01 --seed 3 --format xml --quiet --out "$t/x" || echo "not ok - gen xml"
is "$(cd "$t/x" && ls | tr '\n' ' ')" "bills.xml customers.xml manifest.csv meters.xml readings.csv tariffs.xml " \
   "gen --format xml: the four registry feeds as XML, the readings as long CSV"
cmp -s "$t/c/readings.csv" "$t/x/readings.csv"
ok $? "the same readings as the CSV run"

"$MO_BIN" load --db "$csv" --quiet "$t/c/customers.csv" "$t/c/tariffs.csv" "$t/c/meters.csv" \
    "$t/c/bills.csv" "$t/c/readings.csv" >/dev/null 2>&1
ok $? "the CSV data set loads"
# The XML files named after the readings: the queue puts registry feeds first anyway
"$MO_BIN" load --db "$xml" "$t/x/readings.csv" "$t"/x/*.xml >"$t/xml.out" 2>&1
ok $? "the XML data set loads (readings named first: the registry feeds still go first)"
is "$(sql "SELECT string_agg(format || ':' || status, ' ' ORDER BY format) FROM meterops.load_file" -d t_regxml_xml)" \
   "bills:loaded customers:loaded long:loaded meters:loaded tariffs:loaded" \
   "each XML file is recognised as its registry feed"
for q in "SELECT account_no, name, postcode, email, phone FROM meterops.customer ORDER BY 1" \
         "SELECT code, name, fuel, standing_p_day, valid_from, valid_to FROM meterops.tariff ORDER BY 1" \
         "SELECT t.code, band, start_minute, end_minute, unit_p_kwh FROM meterops.tariff_band JOIN meterops.tariff t USING (tariff_id) ORDER BY 1, 3" \
         "SELECT m.mpxn, m.fuel, m.interval_minutes, c.account_no, t.code, m.installed_on, m.removed_on, m.direction FROM meterops.meter m
            LEFT JOIN meterops.customer c USING (customer_id) LEFT JOIN meterops.tariff t USING (tariff_id) ORDER BY 1" \
         "SELECT c.account_no, period_start, period_end, kwh, amount_p, issued_on FROM meterops.bill JOIN meterops.customer c USING (customer_id) ORDER BY 1, 2" \
         "SELECT m.mpxn, day, wh FROM meterops.reading_day JOIN meterops.meter m USING (meter_id) ORDER BY 1, 2"; do
    a=$(sql "SELECT md5(string_agg(x::text, '|')) || ' ' || count(*) FROM ($q) x" -d t_regxml_csv)
    b=$(sql "SELECT md5(string_agg(x::text, '|')) || ' ' || count(*) FROM ($q) x" -d t_regxml_xml)
    ok "$([ "$a" = "$b" ] && [ "${a#* }" -gt 0 ]; echo $?)" "same rows from CSV and XML: ${q%% FROM*} (${a#* } rows)"
done

# A record the rules refuse (bad check digit) is one load_error on its record, as in CSV
acct=$(sed -n 's:.*<account_no>\([^<]*\)</account_no>.*:\1:p' "$t/x/customers.xml" | head -1)
cat >"$t/meters-bad.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<meters xmlns="urn:meterops:registry:1">
  <meter><mpxn>1200023305967</mpxn><fuel>elec</fuel><interval_minutes>30</interval_minutes><account_no>$acct</account_no></meter>
  <meter><mpxn>1200023305968</mpxn><fuel>elec</fuel><interval_minutes>30</interval_minutes></meter>
</meters>
XML
"$MO_BIN" load --db "$xml" --max-reject-ratio 0.6 "$t/meters-bad.xml" >/dev/null 2>&1
is "$(sql "SELECT line_no || ' ' || column_name || ' ' || code || ' | ' || raw FROM meterops.load_error JOIN meterops.load_file USING (file_id)
           WHERE path LIKE '%/meters-bad.xml'" -d t_regxml_xml)" \
   "2 mpxn mpan_check_digit | line 4: meter mpxn=1200023305968 fuel=elec interval_minutes=30" \
   "a record the rules refuse: its number, column, code and where it is in the document"
is "$(sql "SELECT count(*) FROM meterops.meter WHERE mpxn = '1200023305967'" -d t_regxml_xml)" 1 "the good record lands"

# Refused as a whole: schema, syntax, DOCTYPE; the good file of the same run loads
sed 's:<fuel>:<fule>:; s:</fuel>:</fule>:' "$t/x/meters.xml" >"$t/meters-schema.xml"
printf '<?xml version="1.0"?>\n<customers xmlns="urn:meterops:registry:1">\n  <customer><account_no>A-1</account_no>\n</customers>\n' >"$t/customers-syntax.xml"
cat >"$t/customers-laughs.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE customers [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<customers xmlns="urn:meterops:registry:1"><customer><account_no>A-1</account_no><name>&c;</name></customer></customers>
XML
cat >"$t/customers-xxe.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE customers [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<customers xmlns="urn:meterops:registry:1"><customer><account_no>A-1</account_no><name>&x;</name></customer></customers>
XML
printf 'account_no,name,postcode,email,phone\nA-GOOD1,Good Customer,SW1A 1AA,,\n' >"$t/customers-good.csv"
"$MO_BIN" load --db "$xml" "$t/meters-schema.xml" "$t/customers-syntax.xml" "$t/customers-laughs.xml" \
    "$t/customers-xxe.xml" "$t/customers-good.csv" >"$t/bad.out" 2>&1
is $? 1 "a run with refused files exits 1"
st() { sql "SELECT status || ' ' || coalesce((SELECT string_agg(code, ',') FROM meterops.load_error e WHERE e.file_id = f.file_id), '-')
            FROM meterops.load_file f WHERE path LIKE '%/$1'" -d t_regxml_xml; }
is "$(st meters-schema.xml)" "rejected xsd_invalid" "a misspelt element: xsd_invalid"
like "$(sql "SELECT message FROM meterops.load_file WHERE path LIKE '%/meters-schema.xml'" -d t_regxml_xml)" \
   "refused at line 3, column [0-9]+: not valid against registry.xsd: Element '\\{urn:meterops:registry:1\\}fule'" \
   "named at its line and column, with the schema's message"
is "$(st customers-syntax.xml)" "rejected xml_syntax" "not well-formed: xml_syntax"
is "$(st customers-laughs.xml)" "rejected xml_dtd" "billion laughs: refused at its DOCTYPE, nothing expanded"
is "$(st customers-xxe.xml)" "rejected xml_dtd" "an external entity: refused, nothing fetched"
is "$(st customers-good.csv)" "loaded -" "the good file of the same run loads"
is "$(sql "SELECT count(*) FROM meterops.customer WHERE account_no = 'A-1'" -d t_regxml_xml)" 0 \
   "nothing of the refused files lands"
done_testing
