#!/bin/sh
# The Files view: every file the loader recorded, sortable and filterable, live through
# LISTEN; Enter opens a file.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_files) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_files; }
# The table's data rows: the lines that start with a file id.
rows() { tui_screen | grep -E '^ +[0-9]+ +[0-9-]+ +(queued|loading|loaded|rejected|failed) '; }
first_id() { rows | head -1 | awk '{print $1}'; }

# --refresh 3600: nothing here may come from the refresh timer, only from LISTEN and keys.
tui_start -- console --db "$db" --refresh 3600
tui_wait "connected" >/dev/null
tui_keys 2
ok "$(tui_wait '^ Files  9'; echo $?)" "the Files view counts the 9 files"
missing=""
for f in $(q "SELECT file_id || ':' || coalesce(job_id, 0) || ':' || status || ':' || path FROM meterops.load_file"); do
    id=${f%%:*}; rest=${f#*:}; job=${rest%%:*}; rest=${rest#*:}; st=${rest%%:*}; path=${rest#*:}
    rows | grep -Eq "^ +$id +$job +$st .*${path#/srv/meterops}\$" || missing="$missing $id"
done
is "$missing" "" "every file is listed with its id, job, status and path"
is "$(first_id)" 9 "newest first by default"

tui_keys S
tui_wait "ID▲" >/dev/null
is "$(first_id)" 1 "S reverses the order"
tui_keys s
ok "$(tui_wait 'Job▼'; echo $?)" "s sorts by the next column (job, largest first)"
is "$(rows | head -1 | awk '{print $2}')" 3 "job 3's files come first"
tui_keys s
tui_wait "Status▲" >/dev/null
is "$(rows | awk '{print $3}' | uniq | tr '\n' ' ')" "queued loading loaded rejected failed " "sorted by status, in queue order"
tui_keys S
tui_wait "Status▼" >/dev/null
is "$(rows | head -1 | awk '{print $1, $3}')" "5 failed" "S: failed first"

tui_keys f
ok "$(tui_wait 'filter: status=queued'; echo $?)" "f filters by status: queued"
tui_wait_gone ' loaded ' >/dev/null
is "$(rows | awk '{print $1}' | sort -n | tr '\n' ' ')" "8 9 " "only the queued files"
tui_keys f
tui_wait 'filter: status=loading' >/dev/null
tui_wait_gone ' queued ' >/dev/null
is "$(rows | awk '{print $1}' | tr '\n' ' ')" "7 " "f again: loading"
tui_keys c
tui_wait '^ Files  9' >/dev/null
tui_keys /
ok "$(tui_wait 'filter path:'; echo $?)" "/ asks for the path text"
tui_type "WIDE"
tui_keys Enter
ok "$(tui_wait 'filter: path~"WIDE"'; echo $?)" "the path filter is shown"
tui_wait '^ Files  2' >/dev/null
is "$(rows | awk '{print $1}' | sort -n | tr '\n' ' ')" "5 6 " "case-insensitive path filter: the two wide-format files"
tui_keys c
tui_wait '^ Files  9' >/dev/null

# LISTEN: files the loader adds or changes appear without a refresh.
q "INSERT INTO meterops.load_file (job_id, path, sha256, format, status)
   VALUES (3, '/srv/meterops/inbox/2024-06-02/elec-long-0008.csv', repeat('c', 64), 'long', 'queued')" >/dev/null
new=$(q "SELECT max(file_id) FROM meterops.load_file")
ok "$(tui_wait "^ +$new +3 queued .*elec-long-0008\.csv"; echo $?)" "a file the loader queues appears at once (LISTEN)"
like "$(tui_screen)" "^ Files  10" "and is counted"
q "UPDATE meterops.load_file SET status = 'loading', started_at = now(), progress_rows = 12345 WHERE file_id = $new" >/dev/null
ok "$(tui_wait "^ +$new +3 loading +12.3k"; echo $?)" "its status and progress change on screen as the loader reports them"
q "UPDATE meterops.load_file SET status = 'loaded', rows_total = 48000, rows_loaded = 48000, finished_at = now() WHERE file_id = $new" >/dev/null
ok "$(tui_wait "^ +$new +3 loaded +48.0k"; echo $?)" "and its final row count when it finishes"

# Enter opens the selected file; End selects the last row, Home the first.
tui_keys :
tui_type "sort id desc"
tui_keys Enter
tui_wait "ID▼" >/dev/null
is "$(rows | awk '{print $1}' | tr '\n' ' ')" "$new 9 8 7 6 5 4 3 2 1 " ":sort id desc"
tui_keys End Enter
ok "$(tui_wait '^ File #1  loaded'; echo $?)" "End then Enter opens the last file in the list"
tui_keys Escape
ok "$(tui_wait '^ Files  10'; echo $?)" "Esc goes back to the list"
tui_keys Home j j Enter
ok "$(tui_wait "^ File #8  queued"; echo $?)" "Home, j, j, Enter: the third file"
tui_keys q
is "$(tui_exit_status 1)" 0 "clean exit"

# --mouse: a click selects a row, a double click opens it, the tabs and the wheel work.
tui_start -- console --db "$db" --mouse
tui_wait "connected" >/dev/null
tui_click 43 0
ok "$(tui_wait '^ Load jobs  3'; echo $?)" "a click on the '4 Jobs' tab switches view"
tui_click 26 0
tui_wait '^ Files  10' >/dev/null
# Screen line 5 is the table's third row: file 8 in the newest-first order.
tui_click 10 5
tui_keys Enter
ok "$(tui_wait '^ File #8  queued'; echo $?)" "a click selects the row under it"
tui_keys Escape
tui_wait '^ Files  10' >/dev/null
tui_click 10 6 double
ok "$(tui_wait '^ File #7  loading'; echo $?)" "a double click opens the file"
tui_keys Escape
tui_wait '^ Files  10' >/dev/null
tui_keys Home
tui_wheel 10 10 down
tui_keys Enter
ok "$(tui_wait '^ File #7  loading'; echo $?)" "the wheel moves the selection three rows"
tui_keys q
is "$(tui_exit_status 2)" 0 "clean exit"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
