#!/bin/sh
# load_espi.sh - Green Button (ESPI) feeds through `meterops load`: what lands equals the
# expected results shipped with the samples (greenbutton_objects' oracle), export readings
# go to --export-meter, and a hostile or foreign file is refused with a reason while the
# other files of the same run load.
. "$MO_SRCDIR/tests/lib.sh"

db=$(fresh_db t_espi)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
gb="$MO_SRCDIR/tests/fixtures/realdata"
q() { sql "$1" -d t_espi; }
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES
   ('1200023305967', 'elec', 60), ('1900001059816', 'elec', 15), ('2200031930792', 'elec', 15),
   ('1200033197420', 'elec', 30), ('1200031039874', 'elec', 60), ('1013044353630', 'elec', 60),
   ('1900005260419', 'gas', 30)" >/dev/null
# flowDirection 19 goes to --export-meter, which must name an export meter (021)
q "UPDATE meterops.meter SET direction = 'export' WHERE mpxn = '2200031930792'" >/dev/null
loaded() { q "SELECT count(v) || ' ' || coalesce(sum(v), 0) FROM meterops.reading_day r
              JOIN meterops.meter m USING (meter_id), unnest(r.wh) v WHERE m.mpxn = '$1'"; }
# readings and Wh in an expected_results file ("<UTC>, <duration>: N Wh...")
oracle() { awk '/ Wh/ { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^Wh/) { s += $i; n++ } }
                END { print n " " s }' "$1"; }
status() { q "SELECT status FROM meterops.load_file WHERE path LIKE '%/$1'"; }
codes() { q "SELECT string_agg(DISTINCT code, ',') FROM meterops.load_error JOIN meterops.load_file
             USING (file_id) WHERE path LIKE '%/$1'"; }

# --- a year of hourly readings, against the oracle
f="$gb/greenbutton-gba-samples/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1200023305967 "$f" >/dev/null 2>&1
ok $? "Coastal hourly feed loads with exit 0"
is "$(q "SELECT format FROM meterops.load_file WHERE path = '$f'")" "espi" "found to be a Green Button feed by its content"
is "$(loaded 1200023305967)" "$(oracle "$gb/greenbutton-gba-samples/expected_results/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.txt")" \
   "Coastal: readings and Wh in the database equal the expected results"

# --- nine days, another meter interval: a 60-minute reading on a 30-minute meter is refused
f="$gb/greenbutton-gba-samples/TestGBDataHourlyNineDaysBinnedDaily.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1200033197420 "$f" >/dev/null 2>&1
is "$(status TestGBDataHourlyNineDaysBinnedDaily.xml) $(codes TestGBDataHourlyNineDaysBinnedDaily.xml)" \
   "rejected misaligned_interval" "hourly readings onto a 30-minute meter are refused, not spread"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1200031039874 "$f" >/dev/null 2>&1
is "$(loaded 1200031039874)" "$(oracle "$gb/greenbutton-gba-samples/expected_results/TestGBDataHourlyNineDaysBinnedDaily.txt")" \
   "nine days onto an hourly meter equal the expected results"

# --- flowDirection 19 lands on --export-meter
f="$gb/greenbutton-sdk-demo/BatchFeedThreeUsagePoints_M.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --max-reject-ratio 1 --meter 1900001059816 --export-meter 2200031930792 "$f" >/dev/null 2>&1
like "$(loaded 2200031930792)" "^96 [0-9]+$" "export readings land on the export meter (two MeterReadings, one meter-interval each)"
like "$(codes BatchFeedThreeUsagePoints_M.xml)" "duplicate" "readings of two UsagePoints at the same instants follow the duplicate rules"

# --- daily bins: refused with their own code
f="$gb/greenbutton-gba-samples/TestGBDataOneYearDailyBinnedMonthly.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1200031039874 "$f" >/dev/null 2>&1
is "$(status TestGBDataOneYearDailyBinnedMonthly.xml) $(codes TestGBDataOneYearDailyBinnedMonthly.xml)" \
   "rejected interval_unsupported" "daily readings are refused as interval_unsupported"
like "$(q "SELECT line_no || ' ' || raw FROM meterops.load_error JOIN meterops.load_file USING (file_id)
          WHERE path LIKE '%/TestGBDataOneYearDailyBinnedMonthly.xml' ORDER BY line_no LIMIT 1")" \
   "^1 line [0-9]+:[0-9]+: IntervalReading start=[0-9]+ duration=86400 value=[0-9]+$" \
   "a reading's line_no is its number in the feed, its raw text where it is and what it says"

# --- a minified feed (every reading on line 1) not grouped by meter-day: the day of the
# hour that comes last was written already, so the loader reads the feed again for that
# meter (phase 2), telling its rows apart by their number, not their text line
d=$(tmpdir)
awk 'BEGIN { printf "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content><ReadingType xmlns=\"http://naesb.org/espi\"><uom>72</uom></ReadingType></content></entry><entry><content><IntervalBlock xmlns=\"http://naesb.org/espi\">"
    for (i = 0; i < 96; i++) if (i != 5)
        printf "<IntervalReading><timePeriod><duration>3600</duration><start>%d</start></timePeriod><value>%d</value></IntervalReading>", 1704067200 + i * 3600, 100 + i
    printf "<IntervalReading><timePeriod><duration>3600</duration><start>%d</start></timePeriod><value>%d</value></IntervalReading>", 1704067200 + 5 * 3600, 105
    printf "<IntervalReading><timePeriod><duration>3600</duration><start>%d</start></timePeriod><value>%d</value></IntervalReading>", 1704067200 + 7 * 3600, 107
    printf "</IntervalBlock></content></entry></feed>" }' > "$d/minified.xml"
q "INSERT INTO meterops.meter (mpxn, fuel, interval_minutes) VALUES ('1200022664056', 'elec', 60)" >/dev/null
out=$(MO_LOAD_OPEN_DAYS=3 "$MO_BIN" load --db "$db" --max-reject-ratio 1 --meter 1200022664056 "$d/minified.xml" 2>&1)
like "$out" "not grouped by meter-day" "the minified feed is read again for the late hour"
is "$(loaded 1200022664056)" "96 $((96 * 100 + 95 * 96 / 2))" "every hour lands once, the late one included"
is "$(q "SELECT line_no || ' ' || code FROM meterops.load_error JOIN meterops.load_file USING (file_id)
         WHERE path LIKE '%/minified.xml'")" "97 duplicate_identical" "the repeated hour is the one duplicate, as reading 97"
rm -rf "$d"

# --- hostile and foreign files in one run with a good one: refused, the good one loads
d=$(tmpdir)
cat > "$d/laughs.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">&lol3;</feed>
XML
cp "$gb/greenbutton-openespi-fixtures/ServiceCategory.xml" "$d/ServiceCategory.xml"
printf '{"data": [1, 2]}\n' > "$d/other.json"
cp "$gb/greenbutton-gba-samples/electric_containerized.xml" "$d/electric_containerized.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1200023305967 "$d/laughs.xml" \
    "$d/ServiceCategory.xml" "$d/other.json" "$d/electric_containerized.xml" >/dev/null 2>&1
is "$(status laughs.xml) $(codes laughs.xml)" "rejected xml_dtd" "billion laughs: refused unread (xml_dtd)"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '%/ServiceCategory.xml'")" \
   "XML, not a Green Button feed.*meterops reads: .*espi" "other XML says what it is and what meterops reads"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '%/other.json'")" \
   "JSON, not Octopus consumption" "JSON says what it is"
is "$(status electric_containerized.xml)" "loaded" "the good feed of the same run loads"
rm -rf "$d"

# --- a feed of IntervalBlocks alone (ns0:/ns1: prefixes): refused until --unit names it
f="$gb/greenbutton-verdigris-utility-fixtures/PGEIntervalBlock.xml"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --meter 1013044353630 "$f" >/dev/null 2>&1
is "$(status PGEIntervalBlock.xml) $(codes PGEIntervalBlock.xml)" "rejected espi_unit" "no uom anywhere: refused, not guessed"
"$MO_BIN" load --db "$db" --not-before 2010-01-01 --max-reject-ratio 1 --unit Wh --meter 1013044353630 "$f" >/dev/null 2>&1
# PG&E's values (23,400 ... 150,000 an hour) read as Wh are implausible for a meter here:
# the range check refuses those, the repeated hours are duplicates; nothing is guessed
is "$(codes PGEIntervalBlock.xml)" "duplicate_identical,espi_unit,value_range" \
   "with --unit Wh: the blocks that repeat hours are duplicates, implausible hours value_range"
is "$(q "SELECT options->>'unit' FROM meterops.load_file WHERE path = '$f' ORDER BY file_id DESC LIMIT 1")" "Wh" \
   "--unit is stored with the file"

# --- Octopus consumption pages: newest first, +01:00 offsets, one page per file
oct="$gb/uk-octopus-api"
"$MO_BIN" load --db "$db" --meter 1200033197420 "$oct/energy.json" >/dev/null 2>&1
ok $? "the clean Octopus page loads with exit 0"
is "$(loaded 1200033197420)" "99 24774" "its 99 readings and 24.774 kWh (awk over the page) land"
"$MO_BIN" load --db "$db" --meter 1200033197420 "$oct/consumption.json" "$oct/unit_rate.json" >/dev/null 2>&1
is "$(status consumption.json) $(codes consumption.json)" "rejected json_syntax" \
   "the capture with curl's noise is refused as json_syntax"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '%/unit_rate.json'")" \
   "JSON, not Octopus consumption.*value_exc_vat" "a page of unit rates says it holds prices"
# the same page as SMETS2 gas in m3 at CV 40: the sum of each reading's exact conversion
# (m3 x 1.02264 x 40 / 3.6 kWh, rounded to the Wh; Python's Fraction over the page)
gas=$(tmpdir)
{ cat "$oct/energy.json"; echo; } > "$gas/gas.json" # other bytes: the page above loaded as kWh
"$MO_BIN" load --db "$db" --meter 1900005260419 --unit m3 --calorific-value 40 "$gas/gas.json" >/dev/null 2>&1
is "$(loaded 1900005260419)" "99 281497" "--unit m3: gas converted by the standard formula"
rm -rf "$gas"

# --- --xsd: strict XML. A feed that breaks the ESPI schema is refused at the first
# violation's line and column, nothing of it lands; a valid one loads as without --xsd.
f="$gb/greenbutton-gba-samples/TestGBDataHourlyNineDaysBinnedDaily.xml"
x=$(tmpdir)
{ cat "$f"; echo; } >"$x/nine-days-strict.xml" # other bytes: the feed loaded above
before=$(loaded 1013044353630)
"$MO_BIN" load --db "$db" --xsd --not-before 2010-01-01 --meter 1013044353630 "$x/nine-days-strict.xml" >"$x/out" 2>&1
is $? 1 "--xsd: a feed that breaks the schema is refused (exit 1)"
is "$(status nine-days-strict.xml) $(codes nine-days-strict.xml)" "rejected xsd_invalid" \
   "rejected as xsd_invalid (without --xsd the same feed loads, above)"
like "$(q "SELECT message FROM meterops.load_file WHERE path LIKE '%/nine-days-strict.xml'")" \
   "line [0-9]+, column [0-9]+: not valid against the ESPI schema \(espiDerived.xsd\)" \
   "the file's message names the line, the column and the schema"
is "$(loaded 1013044353630)" "$before" "nothing of it lands"
is "$(q "SELECT options->>'xsd' FROM meterops.load_file WHERE path LIKE '%/nine-days-strict.xml'")" true \
   "--xsd is stored with the file (a requeue validates again)"
q "DELETE FROM meterops.reading_day WHERE meter_id = (SELECT meter_id FROM meterops.meter WHERE mpxn = '1013044353630')"
cp "$gb/greenbutton-gba-samples/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.xml" "$x/coastal-strict.xml"
echo >>"$x/coastal-strict.xml" # other bytes: the same feed loaded above
"$MO_BIN" load --db "$db" --xsd --not-before 2010-01-01 --meter 1013044353630 "$x/coastal-strict.xml" >/dev/null 2>&1
ok $? "--xsd: a valid feed loads"
is "$(loaded 1013044353630)" "$(oracle "$gb/greenbutton-gba-samples/expected_results/Coastal_Multi_Family_Jan_1_2011_to_Jan_1_2012_RetailCustomer_5.txt")" \
   "and lands as without --xsd"
rm -rf "$x"
done_testing
