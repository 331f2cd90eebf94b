#!/bin/sh
# The file detail: a file's metadata and its validation errors, grouped by code with their
# counts, each error with its line, code, column, message and the raw line exactly as the
# loader stored it; searchable.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_detail) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_detail; }
rejected=$(q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%elec-long-0003.csv'")

# 50 lines: all nine errors of the rejected file, two lines each, fit on one screen.
TUI_H=50 tui_start -- console --db "$db"
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
tui_keys /
tui_type "0003"
tui_keys Enter
tui_wait '^ Files  1' >/dev/null
tui_keys Enter
ok "$(tui_wait "^ File #$rejected  rejected"; echo $?)" "Enter opens the rejected file's detail"
like "$(tui_screen)" "path /srv/meterops/inbox/2024-06-01/elec-long-0003\.csv" "its path"
like "$(tui_screen)" "rows 200  loaded 0  rejected 9" "its row counts"
like "$(tui_screen)" "message 9 of 200 rows rejected \(4\.50% > 1\.00%\); nothing loaded" "the loader's message"
ok "$(tui_wait '^ Errors 9 rejected in 8 codes'; echo $?)" "9 errors in 8 codes"
missing=""
for g in $(q "SELECT code || ':' || count(*) FROM meterops.load_error WHERE file_id = $rejected GROUP BY code"); do
    tui_screen | grep -Eq "^ ▸ ${g%%:*} +${g#*:}  line" || missing="$missing $g"
done
is "$missing" "" "each code is a collapsed group with its count"
like "$(tui_line 'timestamp_syntax +2')" "lines 27-28  column timestamp 2" "a group says which lines and columns"

tui_keys e
tui_wait '▾ value_syntax' >/dev/null
missing=""
q "SELECT line_no, code, coalesce(column_name, '-'), raw FROM meterops.load_error WHERE file_id = $rejected" -F '	' >"$TUI_TMP/errors"
while IFS='	' read -r line code col raw; do
    tui_screen | grep -Eq "^ +$line  $code +$col " || missing="$missing line:$line"
    tui_screen | grep -Fq "raw: $raw" || missing="$missing raw:$line"
done <"$TUI_TMP/errors"
is "$missing" "" "e expands every group: each error's line, code, column and exact raw line are on screen"
is "$(wc -l <"$TUI_TMP/errors" | tr -d ' ')" 9 "(all nine errors checked)"
like "$(tui_line '^ +55  value_syntax')" "kwh +kwh 'O\.25' is not a number" "the message names the bad value"

# Search: / then n and N step through the matches.
tui_keys /
tui_type "O.25"
tui_keys Enter
ok "$(tui_wait 'match 1 of 1 for "O.25"'; echo $?)" "/ finds the one error mentioning O.25"
tui_keys /
tui_type "2700003645222"
tui_keys Enter
n=$(q "SELECT count(*) FROM meterops.load_error WHERE file_id = $rejected AND (raw LIKE '%2700003645222%' OR message LIKE '%2700003645222%')")
ok "$(tui_wait "match 1 of $n for \"2700003645222\""; echo $?)" "a search matching $n errors (raw lines and messages)"
tui_keys n
ok "$(tui_wait "match 2 of $n"; echo $?)" "n: the next match"
tui_keys N N
ok "$(tui_wait "match $n of $n"; echo $?)" "N wraps around to the last match"
tui_keys /
tui_type "no-such-text"
tui_keys Enter
ok "$(tui_wait 'no error matches "no-such-text"'; echo $?)" "a search without match says so"

# Horizontal scroll reveals the end of a long message.
line120() { tui_line '^ +120  duplicate_conflict'; }
like "$(line120)" "kwh +meter 2700003645222 interval" "a long message starts at its beginning"
ok "$(line120 | grep -q 'this line says 0.310'; [ $? = 1 ]; echo $?)" "and its end is off screen"
tui_keys l l l l l l l l
ok "$(tui_wait '^ +120  duplicate_conflict .*this line says 0\.310$'; echo $?)" "l scrolls right to the message's end"
tui_keys h h h h h h h h
ok "$(tui_wait '^ +120  duplicate_conflict +kwh +meter 2700003645222'; echo $?)" "h scrolls back"
tui_keys Escape
tui_wait '^ Files  1' >/dev/null

# A file whose only fault is its header: the single group opens by itself.
tui_keys :
tui_type "open $(q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%gas-wide-0001.csv'")"
tui_keys Enter
ok "$(tui_wait '^ +1  header +- +header "mprn;date;values" is not the wide format'; echo $?)" "a lone header error is shown at once, line 1, no column"
like "$(tui_screen)" "raw: mprn;date;values" "with its raw header line"
tui_keys :
tui_type "open 3"
tui_keys Enter
ok "$(tui_wait '^ Errors 3 rejected in 3 codes'; echo $?)" ":open 3: a loaded file with three rejected rows"
tui_keys :
tui_type "open 999"
tui_keys Enter
ok "$(tui_wait 'file 999 does not exist'; echo $?)" ":open of a missing file says so"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
