#!/bin/sh
# The Customer view (7, :customer), driven as the support desk and as an operator over
# generated data covering both clock changes of 2024 (`meterops gen`): a support login
# opens on it with the other views hidden (one line each saying why, no permission
# denied); search, the matches telling masked customers apart, picking one, the card
# (meters, usage, the heatmap, months, insights), the 46 and 50 half-hours of 2024-03-31
# and 2024-10-27, a solar home's export shown beside its use and never counted as use, a
# broad search's pages (PgDn/PgUp, "200+ matches") and refine prompt, the ASCII fallback;
# an operator sees every view and the personal data unmasked. Every figure on screen is
# checked against the database.
. "$MO_SRCDIR/tests/tui/common.sh"
. "$MO_SRCDIR/tests/integration/customer_fixture.sh"

DB=t_tui_customer
db=$(fresh_db $DB)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
g="$TUI_TMP/gen"
"$MO_BIN" gen --quiet --meters 30 --days 213 --start 2024-03-30 --seed 7 --out "$g" >/dev/null &&
    chmod -R a+rX "$g" && fixture_load $DB "$g" || { echo "not ok 1 - generated data loaded"; exit 1; }
for u in support operator; do psql -X -q -d $DB -c "DROP ROLE IF EXISTS t_tui_cust_$u" >/dev/null 2>&1; done
psql -X -q -d $DB -c "CREATE ROLE t_tui_cust_support LOGIN IN ROLE meterops_support;
                      CREATE ROLE t_tui_cust_operator LOGIN IN ROLE meterops_operator" >/dev/null
trap 'tui_cleanup; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS '$DB' WITH (FORCE)" -c "DROP ROLE IF EXISTS t_tui_cust_support" -c "DROP ROLE IF EXISTS t_tui_cust_operator" >/dev/null 2>&1' EXIT
conn_as() { echo "host=$MO_SANDBOX port=5432 user=t_tui_cust_$1 dbname=$DB"; }
as() { psql -X -q -v ON_ERROR_STOP=1 -tA -F'|' -U "t_tui_cust_$1" -d $DB -c "$2"; }

# The solar home: its import meter, its export meter, its account.
solar=$(sql "SELECT c.account_no FROM meterops.meter m JOIN meterops.customer c USING (customer_id)
             WHERE m.direction = 'export' ORDER BY m.mpxn LIMIT 1" -d $DB)
imp=$(sql "SELECT m.mpxn FROM meterops.meter m JOIN meterops.customer c USING (customer_id)
           WHERE c.account_no = '$solar' AND m.fuel = 'elec' AND m.direction = 'import'" -d $DB)
exp=$(sql "SELECT m.mpxn FROM meterops.meter m JOIN meterops.customer c USING (customer_id)
           WHERE c.account_no = '$solar' AND m.direction = 'export'" -d $DB)
ok $([ -n "$imp" ] && [ -n "$exp" ] && echo 0 || echo 1) "generated data: $solar has import $imp and export $exp"

# --- the support desk ---------------------------------------------------------------------------
TUI_W=120 TUI_H=48 tui_start -- console --db "$(conn_as support)" --refresh 1
ok "$(tui_wait '^ Customer  / finds one'; echo $?)" "a support login opens on the Customer view"
hdr=$(tui_screen | head -1)
like "$hdr" ' 5 Health +7 Customer ' "its tab is shown, and Health's (its own sessions)"
ok "$(printf '%s' "$hdr" | grep -Eq 'Dashboard|Files|Jobs|Nodes'; [ $? = 1 ]; echo $?)" \
   "the views the support role may not use have no tab: '$hdr'"
tui_keys 1
ok "$(tui_wait 'Dashboard is hidden for the support desk: .*meterops_operator'; echo $?)" \
   "1 says in one line why the dashboard is hidden"
like "$(tui_screen | head -3 | tail -2)" 'Customer  / finds one' "and stays on the Customer view"
tui_keys '?'
tui_wait 'Views hidden for the support desk' >/dev/null
tui_keys ' '
ok "$(tui_wait '6 Nodes +the cluster.s nodes and shards'; echo $?)" "the help lists each hidden view with why"
tui_keys Escape
tui_wait_gone 'Views hidden' >/dev/null
ok "$(tui_screen | grep -ci 'permission denied' | grep -qx 0; echo $?)" "no permission denied anywhere"
is "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = 't_tui_cust_support' AND state LIKE '%aborted%'" -d $DB)" 0 \
   "no aborted session of the support login"

# search: support finds by account number or MPAN/MPRN, never by the name it sees masked
tui_keys / && tui_type Harris && tui_keys Enter
ok "$(tui_wait "no customer matches 'Harris': the support desk finds by account number or MPAN/MPRN"; echo $?)" \
   "a name finds nothing for support, and the status line says how to search"
is "$(as support "SELECT count(*) FROM meterops.customer_find('Harris')")" 0 "as the database answers support"
tui_keys / && tui_type "$solar" && tui_keys Enter
ok "$(tui_wait "^ $solar  [A-Z]\*+ .*personal data masked for the support desk"; echo $?)" \
   "an account number: its one match opens the card, masked"
ok "$(tui_wait '^   Month +Days'; echo $?)" "the card is drawn, to its monthly table"
ok "$(tui_screen | grep -q "$(sql "SELECT name FROM meterops.customer WHERE account_no = '$solar'" -d $DB)"; [ $? = 1 ]; echo $?)" \
   "no unmasked name for the support desk"

# the card ending on the Sunday of the March clock change
tui_keys : && tui_type "customer $imp 2024-03-31" && tui_keys Enter
ok "$(tui_wait ' 30 days, 2024-03-02 to 2024-03-31'; echo $?)" ":customer MPAN DATE: 30 days ending that day"
tui_wait 'Half-hours, week of Mon 2024-03-25' >/dev/null
like "$(tui_line "^   MPAN")" "MPAN/MPRN +Fuel +Direction +Tariff" "the meters, with tariff and direction"
imp_kwh=$(sql "SELECT sum(kwh) FROM meterops.meter_cost_daily('$imp', '2024-03-02', '2024-03-31')" -d $DB)
exp_kwh=$(sql "SELECT sum(kwh) FROM meterops.meter_cost_daily('$exp', '2024-03-02', '2024-03-31')" -d $DB)
like "$(tui_line " $exp ")" " $exp +elec +export +SEG-EXPORT.* $exp_kwh .*not use" "the export meter, its kWh marked not use"
like "$(tui_line 'Electricity used')" "Electricity used $imp_kwh kWh, exported $exp_kwh kWh \(not counted as use\)" \
     "used is the import alone ($imp_kwh), export beside it ($exp_kwh)"
day=$(sql "SELECT kwh || '|' || intervals || '/' || expected FROM meterops.meter_cost_daily('$imp', '2024-03-31', '2024-03-31')" -d $DB)
like "$(tui_line '^ Sun 2024-03-31')" "Sun 2024-03-31  used ${day%%|*} kWh .* ${day#*|} half-hours" "the selected day: its kWh and 46 half-hours"
is "${day#*|}" "46/46" "the database counts 46 of 46 on 2024-03-31"
dexp=$(sql "SELECT kwh FROM meterops.meter_cost_daily('$exp', '2024-03-31', '2024-03-31')" -d $DB)
like "$(tui_line '^ Sun 2024-03-31')" "beside it: export $dexp kWh \(not use\)" "that day's export beside it, not use"
like "$(tui_line '^.Sun 31 Mar ')" "Sun 31 Mar [^ ]{46} +46 hh" "the heatmap: Sunday 31 March has 46 half-hour cells"
like "$(tui_line '^ Sat 30 Mar ')" "Sat 30 Mar [^ ]{48} +48 hh" "an ordinary day has 48"
like "$(tui_line '^ Sat 30 Mar ')" "[░▒▓█]" "shaded in block characters"
like "$(tui_line '^ Mon 25 Mar ')" "Mon 25 Mar +no readings" "a day before the data: no readings"
tui_keys Enter
ok "$(tui_wait "Sun 2024-03-31, $imp: 46 half-hours \(the clocks went forward"; echo $?)" "Enter: the day's 46 half-hours"
is "$(tui_screen | grep -Eo '01:[03]0 +([0-9]+\.[0-9]{3}|- missing)' | wc -l)" 0 "no 01:00 or 01:30 that day"
is "$(sql "SELECT count(*) FROM meterops.meter_usage_halfhourly('$imp', '2024-03-31', '2024-03-31')" -d $DB)" 46 \
   "the database has 46 half-hours that day"
tui_keys Escape
tui_wait_gone 'the clocks went forward' >/dev/null
tui_keys Left
ok "$(tui_wait '^ Sat 2024-03-30'; echo $?)" "Left: the day before"
tui_keys Up
ok "$(tui_wait '^ Sat 2024-03-23'; echo $?)" "Up: a week back"
ok "$(tui_wait 'Half-hours, week of Mon 2024-03-18'; echo $?)" "the heatmap follows to that week"

# the October clock change
tui_keys : && tui_type "customer $solar 2024-10-27" && tui_keys Enter
ok "$(tui_wait ' 30 days, 2024-09-28 to 2024-10-27'; echo $?)" ":customer ACCOUNT DATE"
tui_wait 'Half-hours, week of Mon 2024-10-21' >/dev/null
like "$(tui_line '^.Sun 27 Oct ')" "Sun 27 Oct [^ ]{50} +50 hh" "the heatmap: Sunday 27 October has 50 cells"
tui_keys Enter
ok "$(tui_wait "Sun 2024-10-27, $imp: 50 half-hours \(the clocks went back"; echo $?)" "Enter: the day's 50 half-hours"
is "$(tui_screen | grep -Eo '01:00 +([0-9]+\.[0-9]{3}|- missing)' | wc -l)" 2 "01:00 comes twice"
is "$(sql "SELECT count(*) FROM meterops.meter_usage_halfhourly('$imp', '2024-10-27', '2024-10-27')" -d $DB)" 50 \
   "the database has 50 half-hours that day"
tui_keys Enter
tui_wait_gone 'the clocks went back' >/dev/null
# the insight counts import only
use=$(sql "SELECT sum(kwh) FROM meterops.meter_cost_daily('$imp', '2024-09-28', '2024-10-27')" -d $DB)
use1=$(printf '%.1f' "$use")
msg=$(as support "SELECT message FROM meterops.customer_insights('$solar', '2024-09-28', '2024-10-27')
                  WHERE kind = 'usage' AND message LIKE '%electricity%'")
like "$msg" "^Your electricity use was $use1 kWh over 30 days" "the database's usage insight counts the import alone: $use1 kWh"
tui_keys PageDown PageDown
ok "$(tui_wait "Your electricity use was $use1 kWh over 30 days"; echo $?)" "the card shows that sentence (PgDn scrolls to it)"
ok "$(tui_wait "You exported [0-9.]+ kWh of electricity"; echo $?)" "and the export one beside it"
tui_keys PageUp PageUp
# m charts the export meter, labelled as such
tui_keys Home m
ok "$(tui_wait "Daily kWh of $exp, electricity EXPORT \(not use\)"; echo $?)" "m: the export meter's bars, marked not use"
mon=$(sql "SELECT sum(kwh) FROM meterops.meter_cost_daily('$imp', '2024-10-01', '2024-10-27')" -d $DB)
monx=$(sql "SELECT sum(kwh) FROM meterops.meter_cost_daily('$exp', '2024-10-01', '2024-10-27')" -d $DB)
like "$(tui_line '^   Oct 2024')" "Oct 2024 +27 +$mon +$monx " "the month: use $mon, export $monx apart"
tui_keys d
ok "$(tui_wait ' 90 days, 2024-07-30 to 2024-10-27'; echo $?)" "d: 90 days"
tui_keys m m Home
ok "$(tui_wait '^ Tue 2024-07-30  used'; echo $?)" "Home: the first day of the 90"
tui_keys End
ok "$(tui_wait '^ Sun 2024-10-27  used'; echo $?)" "End: the last"
tui_keys R
ok "$(tui_wait "fetching $solar again"; echo $?)" "R fetches the card again"
ok "$(tui_wait ' 90 days, 2024-07-30 to 2024-10-27 \(Europe/London days\) *$'; echo $?)" "and it is back"

tui_stderr_support=$(tui_stderr)
is "$tui_stderr_support" "" "nothing on stderr"
tui_keys q

# --- ASCII fallback ------------------------------------------------------------------------------
TUI_W=120 TUI_H=48 tui_start LANG=C LC_ALL=C -- console --db "$(conn_as support)" --refresh 1
tui_wait '^ Customer' >/dev/null
tui_keys : && tui_type "customer $imp 2024-03-31" && tui_keys Enter
ok "$(tui_wait 'Sun 31 Mar .* 46 hh'; echo $?)" "without UTF-8: the heatmap is drawn"
like "$(tui_line '^ Sat 30 Mar ')" "Sat 30 Mar [.:+#@]{48} +48 hh" "in ASCII shades (. : + # @)"
like "$(tui_line '^>Sun 31 Mar ')" ">Sun 31 Mar [.:+#@]{46} +46 hh" "the selected day marked with >"
ok "$(tui_screen | LC_ALL=C grep -q '[^ -~]'; [ $? = 1 ]; echo $?)" "nothing but ASCII on screen"
tui_keys q

# --- an operator --------------------------------------------------------------------------------
TUI_W=140 TUI_H=48 tui_start -- console --db "$(conn_as operator)" --refresh 1
ok "$(tui_wait 'Loaders'; echo $?)" "an operator opens on the dashboard"
like "$(tui_screen | head -1)" ' 1 Dashboard .* 6 Nodes .* 7 Customer ' "with every view"
tui_keys 7
ok "$(tui_wait '^ Customer  / finds one'; echo $?)" "7: the Customer view"
tui_keys : && tui_type "customer $solar 2024-03-31" && tui_keys Enter
name=$(sql "SELECT name FROM meterops.customer WHERE account_no = '$solar'" -d $DB)
ok "$(tui_wait "^ $solar  $name  "; echo $?)" "the operator sees the name unmasked: $name"
ok "$(tui_screen | grep -q 'masked for the support desk'; [ $? = 1 ]; echo $?)" "not marked masked"
# operators search names: the matches as a list telling customers apart
tui_keys / && tui_type Harris && tui_keys Enter
n=$(as operator "SELECT count(*) FROM meterops.customer_find('Harris')")
ok "$(tui_wait "Customers matching 'Harris'  $n, strongest first"; echo $?)" "searching 'Harris': $n matches as the database finds"
district=$(sql "SELECT split_part(postcode, ' ', 1) FROM meterops.customer WHERE account_no = '$solar'" -d $DB)
like "$(tui_line "^ $solar ")" "$solar +$name +$district +$district .* +3 +elec elec\+exp gas +name" \
     "the solar home's row: name, its district, 3 meters, elec with export and gas"
row=$(as operator "SELECT n FROM (SELECT account_no, row_number() OVER () AS n FROM meterops.customer_find('Harris')) x WHERE account_no = '$solar'")
tui_keys Home
i=1; while [ "$i" -lt "$row" ]; do tui_keys Down; i=$((i + 1)); done
tui_keys Enter
ok "$(tui_wait "^ $solar  $name  "; echo $?)" "Down and Enter pick the customer: its card"
tui_keys Escape
ok "$(tui_wait "Customers matching 'Harris'"; echo $?)" "Esc: back to the matches"
# a broad search: 250 customers, 200 of one name; more than the cap (200), so the header
# says "200+ matches, refine"; PgDn and PgUp page through them a screenful at a time (keyset
# paging): every one once, in name then account order, no row skipped or repeated
sql "INSERT INTO meterops.customer (account_no, name, postcode)
     SELECT 'A-BROAD' || lpad(g::text, 3, '0'), CASE WHEN g <= 200 THEN 'Zed Broadbent' ELSE 'Zed Broadbent-Smythe' END,
            'ZZ1 1ZZ' FROM generate_series(1, 250) g" -d $DB
want=$(sql "SELECT string_agg(account_no, ' ' ORDER BY lower(name), account_no) FROM meterops.customer WHERE name ILIKE '%broadbent%'" -d $DB)
tui_keys / && tui_type Broadbent && tui_keys Enter
ok "$(tui_wait "Customers matching 'Broadbent'  200\+ matches, refine \(r\) .* 1-[0-9]+ listed"; echo $?)" \
   "a broad search: the header says 200+ matches, refine"
ok "$(tui_wait "more than 200 customers match 'Broadbent': r refines"; echo $?)" "and the status line how"
# (each after the frame is drawn whole: the header is drawn before the rows)
shown() { tui_settle >/dev/null; tui_screen | grep -E 'A-BROAD[0-9]{3} +Zed' | grep -Eo 'A-BROAD[0-9]{3}' | tr '\n' ' '; }
range() { tui_screen | sed -n 's/.* \([0-9][0-9]*\)-\([0-9][0-9]*\) listed.*/\1 \2/p' | head -1; }
fwd=$(shown); set -- $(range); pages=1
while [ "${2:-250}" -lt 250 ] && [ $pages -lt 20 ]; do
    next=$(($2 + 1))
    tui_keys PageDown
    tui_wait " $next-[0-9]+ listed" >/dev/null || break
    fwd="$fwd$(shown)"; set -- $(range); pages=$((pages + 1))
done
is "$(echo $fwd)" "$want" "PgDn to the last page ($pages pages): all 250 once, in order, equal names by account"
tui_keys PageDown
ok "$(tui_wait 'the last page of matches'; echo $?)" "PgDn on the last page says so"
back=$(shown)
while [ "$1" -gt 1 ] && [ $pages -gt 0 ]; do
    tui_keys PageUp
    tui_wait_gone " $1-$2 listed" >/dev/null || break
    tui_wait ' [0-9]+-[0-9]+ listed' >/dev/null
    back="$(shown)$back"; set -- $(range); pages=$((pages - 1))
done
is "$(echo $back)" "$want" "PgUp back to the first page: the same 250"
tui_keys n
ok "$(tui_wait "Customers matching 'Broadbent' .* $(($2 + 1))-[0-9]+ listed"; echo $?)" "n: the next page"
tui_keys p
ok "$(tui_wait "Customers matching 'Broadbent' .* 1-$2 listed"; echo $?)" "p: the previous"
# r: the search prompt with the search typed in, to refine it
tui_keys r
ok "$(tui_wait 'find customer \(account, MPAN/MPRN, postcode or name \[last day\]\): Broadbent'; echo $?)" \
   "r: the search prompt, Broadbent typed in"
tmx send-keys -t 0 -l -- "-Smythe" && tui_keys Enter
ok "$(tui_wait "Customers matching 'Broadbent-Smythe'  50 matches .* 1-[0-9]+ listed"; echo $?)" \
   "refined: 50 matches, counted exactly"
set -- $(range)
is "$(echo $(shown))" "$(echo "$want" | cut -d' ' -f201-$((200 + $2)))" "the first $2 Broadbent-Smythes (a screenful)"
tui_keys 2
ok "$(tui_wait '^ Files  [0-9]'; echo $?)" "and may go to Files"
is "$(tui_stderr)" "" "nothing on stderr"
done_testing
