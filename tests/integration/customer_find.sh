#!/bin/sh
# customer_find a page at a time (issue 11, "Speed"): the count capped at 200 ("200+"),
# keyset paging forward and back through every match with no row skipped or repeated,
# names starting with the search before those containing it elsewhere, equal names in
# account order, the ways of finding a name page (the range of names starting with it, the
# walk of the name index, and the trigram matches when the walk does not fill a page:
# 12,000 customers sort before the pager names), support paging masked rows, and `meterops
# customer` --after, --before, --page in text and JSON.
. "$MO_SRCDIR/tests/lib.sh"
DB=t_customer_find
t=$(tmpdir)
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d $DB; }
for u in support operator; do psql -X -q -d $DB -c "DROP ROLE IF EXISTS t_cfind_$u" >/dev/null 2>&1; done
psql -X -q -d $DB -c "CREATE ROLE t_cfind_support LOGIN IN ROLE meterops_support;
                      CREATE ROLE t_cfind_operator LOGIN IN ROLE meterops_operator" >/dev/null
trap 'rm -rf "$t"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$DB' WITH (FORCE)" -c "DROP ROLE IF EXISTS t_cfind_support" -c "DROP ROLE IF EXISTS t_cfind_operator" >/dev/null 2>&1' EXIT
as() { psql -X -q -v ON_ERROR_STOP=1 -tA -F'|' -U "t_cfind_$1" -d $DB -c "$2" 2>&1; }

# 12,000 fillers first in name order; then the pagers: 230 of one name (equal names: account
# order decides), 40 of names of their own; then 12,000 more behind them, 60 whose names
# start with what those contain (Zulu) and 5 whose last word does.
q "INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'F-' || lpad(g::text, 5, '0'), 'Aaron Filler ' || g, 'AB1 1AA' FROM generate_series(1, 12000) g;
   INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'P-' || lpad(((g * 7919) % 230 + 1)::text, 4, '0'), 'Pat Pager', 'PG1 1PG' FROM generate_series(1, 230) g;
   INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'Q-' || lpad(g::text, 3, '0'), 'Amy Pager ' || chr(65 + g % 26) || g, 'PG2 2PG' FROM generate_series(1, 40) g;
   INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'Z-' || lpad(g::text, 5, '0'), 'Zack Zulu ' || g, 'ZZ9 9ZZ' FROM generate_series(1, 12000) g;
   INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'Y-' || lpad(g::text, 3, '0'), 'Zulu Zed ' || g, 'ZZ8 8ZZ' FROM generate_series(1, 60) g;
   INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'X-' || g, 'Yan Zulu', 'ZZ7 7ZZ' FROM generate_series(1, 5) g" >/dev/null
q "VACUUM ANALYZE meterops.customer" >/dev/null

# The reference: every match in display order, by a plain sort: names starting with the
# search first, then those whose last word does (by that word first), then the others, each
# in code point order of the lower-cased name.
last="regexp_replace(lower(name), '^.* ', '')"
class="CASE WHEN left(lower(name), length(\$1)) = lower(\$1) THEN 4 WHEN left($last, length(\$1)) = lower(\$1) THEN 5 ELSE 6 END"
order_by="ORDER BY $class, CASE WHEN $class = 5 THEN $last ELSE '' END COLLATE \"C\", lower(name) COLLATE \"C\", account_no"
ref_order() { q "PREPARE r(text) AS SELECT string_agg(account_no, ' ' $order_by) FROM meterops.customer WHERE name ILIKE '%' || \$1 || '%';
                 EXECUTE r('$1')"; }
ref_first() { # ref_first REF N: the first N matches in display order
    q "PREPARE r(text, int) AS SELECT string_agg(account_no, ' ' ORDER BY n)
       FROM (SELECT account_no, row_number() OVER ($order_by) n FROM meterops.customer WHERE name ILIKE '%' || \$1 || '%') s
       WHERE n <= \$2;
       EXECUTE r('$1', $2)"; }
# Pages forward (after the last row shown) to the end, then back (before the first shown)
# to the start; prints the rows of each way and the number of pages, one line each.
page_through() { # page_through REF PAGE_SIZE [ROLE]
    run() { if [ -n "${3:-}" ]; then as "$3" "$1"; else q "$1"; fi; }
    fwd="" cur=NULL pages=0
    while :; do
        out=$(run "SELECT account_no, more_after FROM meterops.customer_find('$1', $cur, NULL, $2)" "" "${3:-}")
        [ -n "$out" ] || break
        fwd="$fwd $(echo "$out" | cut -d'|' -f1 | tr '\n' ' ')"
        pages=$((pages + 1)); last=$(echo "$out" | tail -n 1); cur="'${last%%|*}'"
        [ "${last##*|}" = t ] || break
        [ $pages -lt 200 ] || break
    done
    back="${last%%|*}" bpages=1
    while :; do
        out=$(run "SELECT account_no, more_before FROM meterops.customer_find('$1', NULL, $cur, $2)" "" "${3:-}")
        [ -n "$out" ] || break
        back="$(echo "$out" | cut -d'|' -f1 | tr '\n' ' ') $back"
        bpages=$((bpages + 1)); first=$(echo "$out" | head -n 1); cur="'${first%%|*}'"
        [ "${first##*|}" = t ] || break
        [ $bpages -lt 200 ] || break
    done
    echo $fwd
    echo $back
    echo "$pages"
}

# --- the cap --------------------------------------------------------------------------------------
is "$(q "SELECT count(*) || ' ' || min(matches) || ' ' || bool_and(capped) || ' ' || bool_and(more_after) || ' ' || bool_or(more_before)
         FROM meterops.customer_find('pager')")" "50 200 true true false" \
   "270 matches: 50 rows, matches 200 and capped (200+), more after, none before"
is "$(q "SELECT count(*) || ' ' || min(matches) || ' ' || bool_or(capped) FROM meterops.customer_find('amy pager')")" "40 40 false" \
   "40 matches: counted exactly, not capped"
is "$(q "SELECT min(matches) || ' ' || bool_or(capped) FROM meterops.customer_find('pat pager')")" "200 true" \
   "230 of one name: capped"
is "$(q "SELECT count(*) || ' ' || min(matches) || ' ' || bool_or(capped) FROM meterops.customer_find('filler', NULL, NULL, 200)")" \
   "200 200 true" "a page of 200 of 12,000 (the name index walk)"

# --- paging: no row skipped or repeated, either way --------------------------------------------
want=$(ref_order pager)
set -- $want; is "$#" 270 "the reference holds the 270 pagers"
is "$(echo "$want" | cut -d' ' -f1,230,231)" "P-0001 P-0230 Q-026" "the reference: the 230 Pat Pagers (a last word starting with it) before the Amy Pagers"
res=$(page_through pager 37)
is "$(echo "$res" | sed -n 1p)" "$want" "forward by 37 (a surname's range, then trigram matches): every pager once, in order"
is "$(echo "$res" | sed -n 2p)" "$want" "and back from the last page to the first"
is "$(echo "$res" | sed -n 3p)" 8 "in 8 pages"
is "$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('pat pager', 'P-0003', NULL, 3)) x")" \
   "P-0004 P-0005 P-0006" "equal names: the page after P-0003 is P-0004.. (account order, the unique tiebreak)"
is "$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('pat pager', NULL, 'P-0004', 3)) x")" \
   "P-0001 P-0002 P-0003" "and the page before P-0004 is P-0001..P-0003, in display order"
res=$(page_through 'pat pager' 50)
is "$(echo "$res" | sed -n 1p)" "$(ref_order 'pat pager')" "230 of one name, forward by 50"
is "$(echo "$res" | sed -n 2p)" "$(ref_order 'pat pager')" "and back"
# the walk of the name index: fillers are dense from the start of the order
first300=$(ref_first 'filler 1' 300)
got=$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('filler 1', NULL, NULL, 150)) x")
last=${got##* }
got="$got $(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('filler 1', '$last', NULL, 150)) x")"
is "$got" "$first300" "the name index walk: two pages of 'filler 1' (3,112 matches) in order"
mid=$(echo "$first300" | cut -d' ' -f151)
is "$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('filler 1', NULL, '$mid', 150)) x")" \
   "$(echo "$first300" | cut -d' ' -f1-150)" "and back to the first"
# 'zulu': 60 names start with it (one range of the name index), 12,000 contain it behind
# 12,000 others: the walk reaches them (16 entries per match expected); with the walk held
# to 1,000 entries it cannot, and every match is sorted
first100=$(ref_first zulu 100)
is "$(echo "$first100" | cut -d' ' -f1,60,61,65,66)" "Y-001 Y-009 X-1 X-5 Z-00001" \
   "the reference: the 60 Zulu Zed first (zulu zed 9 last of them), the 5 Yan Zulu next"
is "$(q "SELECT count(*) || ' ' || min(matches) || ' ' || bool_or(capped) FROM meterops.customer_find('zulu')")" "50 200 true" \
   "12,060 matches: 200+, counted by the walk"
got=$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', NULL, NULL, 50)) x")
got="$got $(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', '${got##* }', NULL, 50)) x")"
is "$got" "$first100" "two pages of 'zulu' in order: the names starting with it, then those whose last word does, then the walk's"
is "$(q "SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', NULL, 'Z-00001', 50)) x")" \
   "$(echo "$first100" | cut -d' ' -f16-65)" "and back from the first name containing it, across the last words, to the names starting with it"
walk1000="SET meterops.customer_find_walk_max = 1000;"
got=$(q "$walk1000 SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', NULL, NULL, 50)) x")
got="$got $(q "$walk1000 SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', '${got##* }', NULL, 50)) x")"
is "$got" "$first100" "the trigram matches when the walk cannot fill: the same two pages"
mid=$(echo "$first100" | cut -d' ' -f71)
is "$(q "$walk1000 SELECT string_agg(account_no, ' ') FROM (SELECT account_no FROM meterops.customer_find('zulu', NULL, '$mid', 50)) x")" \
   "$(echo "$first100" | cut -d' ' -f21-70)" "and back across both kinds"
# strong matches first: a postcode search that is also a name
q "UPDATE meterops.customer SET name = 'Pg11pg Person' WHERE account_no IN ('F-00001', 'Z-00001');
   UPDATE meterops.customer SET name = 'Pg11pg Pat' WHERE account_no = 'P-0229'" >/dev/null
is "$(q "SELECT string_agg(account_no || ':' || matched_by, ' ') FROM (SELECT * FROM meterops.customer_find('PG11PG', 'P-0228', NULL, 4)) x")" \
   "P-0230:postcode P-0229:postcode F-00001:name Z-00001:name" \
   "paging crosses from postcode matches to name matches (P-0229, matching both, listed once by postcode)"
is "$(q "SELECT string_agg(account_no || ':' || matched_by, ' ') FROM (SELECT * FROM meterops.customer_find('PG11PG', NULL, 'F-00001', 2)) x")" \
   "P-0230:postcode P-0229:postcode" "and back"
is "$(q "SELECT count(*) FROM meterops.customer_find('pager', 'NO-SUCH', NULL, 10)")" 10 \
   "an unknown cursor pages from the start"
is "$(q "SELECT count(*) FROM meterops.customer_find('pager', NULL, NULL, 500)")" 200 "a page is at most 200 rows"

# --- support: masked, paged ------------------------------------------------------------------------
# Support finds by account number or MPAN only; 1200023305967 is one customer's account number
# and another's meter.
q "INSERT INTO meterops.customer (account_no, name, postcode, email, phone) VALUES
       ('1200023305967', 'Ada Lovelace', 'N1 9GU', 'ada@example.org', '020 7946 0002');
   INSERT INTO meterops.meter (mpxn, fuel, interval_minutes, customer_id)
   SELECT '1200023305967', 'elec', 30, customer_id FROM meterops.customer WHERE account_no = 'P-0001'" >/dev/null
res=$(page_through 1200023305967 1 support)
is "$(echo "$res" | sed -n 1p)/$(echo "$res" | sed -n 3p)" "1200023305967 P-0001/2" "support pages by 1: the account match, then the meter's"
is "$(echo "$res" | sed -n 2p)" "1200023305967 P-0001" "and back"
is "$(as support "SELECT name || ' ' || postcode || ' ' || masked || ' ' || matched_by FROM meterops.customer_find('1200023305967', '1200023305967', NULL, 1)")" \
   "$(as support "SELECT name || ' ' || postcode FROM meterops.customer_masked WHERE account_no = 'P-0001'") true mpxn" \
   "the second page masked as customer_masked"
is "$(as support "SELECT count(*) FROM meterops.customer_find('pager', NULL, NULL, 50)")" 0 "support still finds nothing by name"
is "$(as support "SELECT count(*) FROM meterops.customer_find('pager', 'P-0001', NULL, 50)")" 0 "nor by paging a name search"

# --- meterops customer ----------------------------------------------------------------------------
want=$(ref_order pager)  # P-0229 was renamed above
out=$("$MO_BIN" customer --db "$db" pager --page 37); rc=$?
is "$rc" 1 "several matches: exit 1"
like "$out" "'pager' matches 200\+ customers \(more than 200: refine the search\):" "says 200+ and refine"
like "$out" "Next page: meterops customer 'pager' --after $(echo "$want" | cut -d' ' -f37)" "names the next page"
ok "$(echo "$out" | grep -q 'Previous page'; [ $? = 1 ]; echo $?)" "the first page has no previous page"
cli=""; after=""
for i in 1 2 3 4 5 6 7 8; do
    out=$("$MO_BIN" customer --db "$db" pager --page 37 ${after:+--after "$after"})
    cli="$cli $(echo "$out" | grep -Eo '^  [PQ]-[0-9]+' | tr -d ' ' | tr '\n' ' ')"
    after=$(echo "$out" | sed -n "s/^Next page: .* --after //p")
    [ -n "$after" ] || break
done
is "$(echo $cli)" "$want" "following Next page to the end lists every pager once, in order"
out=$("$MO_BIN" customer --db "$db" pager --page 37 --before "$(echo "$want" | cut -d' ' -f75)")
is "$(echo "$out" | grep -Eo '^  [PQ]-[0-9]+' | tr -d ' ' | tr '\n' ' ')" "$(echo "$want" | cut -d' ' -f38-74) " "--before: the page before"
like "$out" "Previous page: meterops customer 'pager' --before $(echo "$want" | cut -d' ' -f38)" "with both hints"
"$MO_BIN" customer --db "$db" pager --page 5 --after "$(echo "$want" | cut -d' ' -f5)" --json >"$t/cfind.json" 2>/dev/null
is "$(python3 -c "import json; d = json.load(open('$t/cfind.json')); print(d['count'], d['capped'], d['before'], d['after'], ' '.join(m['account_no'] for m in d['matches']))")" \
   "200 True $(echo "$want" | cut -d' ' -f6) $(echo "$want" | cut -d' ' -f10) $(echo "$want" | cut -d' ' -f6-10)" \
   "--json: count 200, capped, the cursors of the pages before and after"
like "$("$MO_BIN" customer --db "$db" pager --after A --before B 2>&1)" "give --after or --before, not both" "not both"
like "$("$MO_BIN" customer --db "$db" pager --page 201 2>&1)" "page" "--page over 200 refused"
done_testing
