#!/bin/sh
# The dashboard's Loaders section (live loaders with host, pid, files in hand and the age
# of their heartbeat; gone ones; CRITICAL when files wait and no loader is alive), its
# "Failed or rejected" section (newest first, Enter opens the selected file's detail), and
# :ack (audited; the file stays listed, marked ack, and stops raising the health level).
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_loaders) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_loaders; }
id_of() { q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%$1'"; }
q "INSERT INTO meterops.loader (host, pid, owner, kind, lease_s, files_in_hand, started_at, heartbeat_at) VALUES
   ('loader-b', 4242, 'loader-b:4242', 'daemon', 60, 1, now() - interval '5 minutes', now()),
   ('loader-c', 99, 'loader-c:99', 'once', 60, 1, now() - interval '1 hour', now() - interval '10 minutes'),
   ('loader-d', 98, 'loader-d:98', 'once', 60, 0, now() - interval '1 hour', now() - interval '50 minutes')" >/dev/null
q "UPDATE meterops.loader SET stopped_at = heartbeat_at WHERE pid = 98" >/dev/null
failed=$(id_of elec-wide-0004.csv)
rej=$(q "SELECT file_id FROM meterops.load_file WHERE status = 'rejected' AND finished_at > now() - interval '1 day'
         ORDER BY finished_at DESC, file_id DESC LIMIT 1")

TUI_H=44 tui_start -- console --db "$db" --refresh 1
ok "$(tui_wait 'Loaders \(1 live\)'; echo $?)" "the Loaders section counts the live loaders"
like "$(tui_line 'loader-b:4242')" "live +loader-b:4242 daemon +1 file in hand +heartbeat [0-9]+s ago" \
   "a live loader: host, pid, kind, files in hand, heartbeat age"
like "$(tui_line 'loader-c:99')" "GONE +loader-c:99 once +1 file in hand +heartbeat 10m[0-9]+s ago" "a killed loader is shown gone"
is "$(tui_screen | grep -c 'loader-d:98')" 0 "a loader that stopped cleanly is not listed"
ok "$(tui_wait 'Failed or rejected \(24 h\)'; echo $?)" "the Failed or rejected section is on the first screen"
like "$(tui_line "#$failed ")" "^> #$failed +1h5[0-9]m ago failed +.*elec-wide-0004\.csv could not read" \
   "the newest failure first, selected: id, age, status, path, message"
like "$(tui_line "#$rej ")" "#$rej +1h5[0-9]m ago rejected" "then the rejected files"

tui_keys j
ok "$(tui_wait "^> #$rej "; echo $?)" "j selects the next one"
tui_keys Enter
ok "$(tui_wait "^ File #$rej  rejected"; echo $?)" "Enter opens the selected file's detail"
tui_keys 1
tui_wait 'Loaders' >/dev/null
tui_keys k
tui_wait "^> #$failed " >/dev/null
tui_keys :
tui_type "ack checked with the supplier"
tui_keys Enter
ok "$(tui_wait "file $failed acknowledged"; echo $?)" ":ack acknowledges the selected file"
ok "$(tui_wait "^> #$failed .* failed +ack "; echo $?)" "it stays listed, marked ack"
is "$(q "SELECT db_user || ' ' || action || ' ' || reason FROM meterops.audit_log WHERE target = 'load_file:$failed'")" \
   "postgres ack checked with the supplier" "the ack is audited with the user and the reason"
ok "$(tui_wait_gone "CRITICAL 1 file\(s\) failed"; echo $?)" "the acknowledged failure no longer raises the health level"

# No live loader: the files waiting are critical on screen.
q "UPDATE meterops.loader SET heartbeat_at = now() - interval '5 minutes' WHERE pid = 4242" >/dev/null
ok "$(tui_wait 'Loaders \(0 live\)'; echo $?)" "the loader without a heartbeat for its lease is gone"
ok "$(tui_wait 'CRITICAL [0-9]+ files waiting and no live loader to take them'; echo $?)" \
   "queued files with no live loader: CRITICAL on screen"
tui_keys :
tui_type "ack $rej"
tui_keys Enter
ok "$(tui_wait "ack file $rej\? reason:"; echo $?)" ":ack ID without a reason asks for one"
tui_type "known bad header"
tui_keys Enter
ok "$(tui_wait "file $rej acknowledged"; echo $?)" "... and acknowledges it"
tui_keys q
is "$(tui_exit_status 1)" 0 "q quits"
done_testing
