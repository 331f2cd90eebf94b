#!/bin/sh
# realdata_load.sh - every real meter-data CSV in tests/fixtures/realdata loads end to end
# through `meterops load`, and what lands in reading_day equals the figures computed from
# the raw files by awk (tests/realdata_expected.sh). Files carrying no usable meter id are
# mapped with --meter / --export-meter, never guessed.
. "$MO_SRCDIR/tests/lib.sh"
. "$MO_SRCDIR/tests/realdata_expected.sh"

db=$(fresh_db t_realdata)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
data="$MO_SRCDIR/tests/fixtures/realdata"
q() { sql "$1" -d t_realdata; }

# One registered meter per household / channel (UK MPANs with valid check digits stand in
# for the masked Irish MPRNs).
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES
   ('1200023305967', 'elec', 30), ('1900001059816', 'elec', 30), ('1200033197420', 'elec', 30),
   ('1200031039874', 'elec', 30), ('1591055549625', 'elec', 30), ('2200031930792', 'elec', 30),
   ('1200022664056', 'elec', 30), ('1900005260419', 'elec', 30), ('1013044353630', 'elec', 30)" >/dev/null
# the ESB files' export channels go to export meters (--export-meter needs one)
q "UPDATE meterops.meter SET direction = 'export' WHERE mpxn IN ('2200031930792', '1900005260419')" >/dev/null

loaded_wh() { q "SELECT coalesce(sum(v), 0) FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id),
                 unnest(r.wh) v WHERE m.mpxn = '$1'"; }
loaded_n() { q "SELECT count(v) FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id),
                unnest(r.wh) v WHERE m.mpxn = '$1'"; }
expect() { printf '%s\n' "$1" | awk -v k="$2" '$1 == k { print $2 }'; }

# --- LCL without a mapping: nothing guessed, every row refused, the file rejected.
f="$data/uk-lcl-kaggle-halfhourly/MAC000016.csv"
"$MO_BIN" load --db "$db" "$f" >/dev/null 2>&1; rc=$?
is "$rc" 1 "LCL file without --meter exits 1"
is "$(q "SELECT status || ' ' || rows_rejected FROM meterops.load_file WHERE path LIKE '%MAC000016.csv'")" \
   "rejected 721" "LCL file without --meter is rejected, every row counted"
is "$(q "SELECT DISTINCT code FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path LIKE '%MAC000016.csv'")" \
   "no_meter_mapping" "the rows say no_meter_mapping"
is "$(q "SELECT count(*) FROM meterops.reading_day")" 0 "nothing of a rejected file lands"

# --- UKPN original (byscratch: CRLF, no final newline, one Null row).
f="$data/uk-lcl-ukpn-original/MAC000002_byscratch_trailing_space_header.csv"
exp=$(lcl_expected "$f")
"$MO_BIN" load --db "$db" --meter 1200023305967 "$f" >/dev/null 2>&1; rc=$?
is "$rc" 1 "UKPN file with its one Null row exits 1 (loaded with a reject)"
is "$(loaded_n 1200023305967)" "$(expect "$exp" ch0.readings)" "UKPN: every reading landed"
is "$(loaded_wh 1200023305967)" "$(expect "$exp" ch0.wh)" "UKPN: Wh in the database equal the file's"
is "$(q "SELECT line_no || ' ' || code FROM meterops.load_error e JOIN meterops.load_file f USING (file_id) WHERE f.path = '$f'")" \
   "3240 value_missing" "UKPN: the Null row is the one error, at its line"

# --- Kaggle MAC000002 is the 2013 subset of the same household with the same values:
# loading it onto the same meter goes through the merge path and changes no total.
f="$data/uk-lcl-kaggle-halfhourly/MAC000002.csv"
before=$(loaded_wh 1200023305967)
"$MO_BIN" load --db "$db" --meter 1200023305967 "$f" >/dev/null 2>&1; rc=$?
is "$rc" 0 "Kaggle MAC000002 onto the same meter exits 0"
is "$(loaded_wh 1200023305967)" "$before" "merge of identical values changes no total"
is "$(q "SELECT count(DISTINCT file_id) FROM meterops.reading_day r JOIN meterops.meter m USING (meter_id)
         WHERE m.mpxn = '1200023305967' AND day BETWEEN '2013-01-01' AND '2013-12-31'")" 1 \
   "2013 days now name the Kaggle file as the one that last set them"

# --- The other Kaggle households, each onto its own meter.
set -- MAC000008:1900001059816 MAC000015:1200033197420 MAC000016:1200031039874
for pair in "$@"; do
    h=${pair%%:*}; m=${pair#*:}
    f="$data/uk-lcl-kaggle-halfhourly/$h.csv"
    exp=$(lcl_expected "$f")
    "$MO_BIN" load --db "$db" --meter "$m" "$f" >/dev/null 2>&1
    ok $? "Kaggle $h loads with exit 0"
    is "$(loaded_wh "$m")" "$(expect "$exp" ch0.wh)" "Kaggle $h: Wh equal the file's"
done
# MAC000016 was rejected earlier; its requeue-free reload under --meter is a new load of
# the same bytes only because the earlier attempt was rejected, not loaded.

# --- ESB HDF, kWh (CRLF, newest first, import and export, clock changes).
f="$data/ie-esb-hdf/HDF_kWh_example_2022-2024.csv"
exp=$(esb_expected "$f")
"$MO_BIN" load --db "$db" --meter 1591055549625 --export-meter 2200031930792 "$f" >/dev/null 2>&1
ok $? "ESB kWh file loads with exit 0"
is "$(loaded_wh 1591055549625)" "$(expect "$exp" ch0.wh)" "ESB kWh: import Wh equal the file's"
is "$(loaded_wh 2200031930792)" "$(expect "$exp" ch1.wh)" "ESB kWh: export Wh equal the file's"
is "$(loaded_n 1591055549625)" "$(expect "$exp" ch0.readings)" "ESB kWh: every import reading landed"
is "$(expect "$(esb_exact "$f")" ch0.exact_wh) $(loaded_wh 1591055549625)" "7174000.5000000 7174000" \
   "ESB kWh: the import stored is the file's exact 7,174,000.5 Wh to the Wh (rounding each reading up stored 7,180,819)"
is "$(q "SELECT day || ':' || intervals FROM meterops.meter_usage_daily('1591055549625', '2023-03-26', '2023-03-26')
         UNION ALL
         SELECT day || ':' || intervals FROM meterops.meter_usage_daily('1591055549625', '2023-10-29', '2023-10-29')" | tr '\n' ' ')" \
   "2023-03-26:46 2023-10-29:50 " "ESB kWh: the clock-change days have 46 and 50 half-hours"

# --- ESB HDF, kW (average kW over the half hour: kWh = kW / 2; masked header).
f="$data/ie-esb-hdf/HDF_kW_example_2023.csv"
exp=$(esb_expected "$f")
"$MO_BIN" load --db "$db" --meter 1200022664056 --export-meter 1900005260419 "$f" >/dev/null 2>&1
ok $? "ESB kW file loads with exit 0"
is "$(loaded_wh 1200022664056)" "$(expect "$exp" ch0.wh)" "ESB kW: import Wh equal the file's"
is "$(loaded_wh 1900005260419)" "$(expect "$exp" ch1.wh)" "ESB kW: export Wh equal the file's"
# Exact to the source (issue 15): the stored total is the file's own exact total to the Wh
# (a half to even), not +0.095% from rounding each half-Wh reading up.
ex=$(esb_exact "$f")
is "$(loaded_wh 1200022664056) $(loaded_wh 1900005260419)" "2976657 508904" \
   "ESB kW: stored Wh 2,976,657 and 508,904 (rounding each reading up stored 2,979,381 and 509,209)"
is "$(expect "$ex" ch0.exact_wh) $(expect "$ex" ch1.exact_wh)" "2976657.0000000 508903.5000000" \
   "ESB kW: the file's exact totals (awk, decimal digits)"

# --- The same bytes again: skipped, nothing doubled.
before=$(loaded_wh 1591055549625)
out=$("$MO_BIN" load --db "$db" --meter 1591055549625 --export-meter 2200031930792 \
      "$data/ie-esb-hdf/HDF_kWh_example_2022-2024.csv" 2>&1)
like "$out" "already loaded" "a file loaded before is skipped with a message"
is "$(loaded_wh 1591055549625)" "$before" "skipping doubles nothing"

done_testing
