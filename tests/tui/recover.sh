#!/bin/sh
# The server goes away and comes back: the console shows a banner, keeps answering keys,
# reconnects with backoff and carries on. Stops the suite's shared server, so it runs last,
# and starts it again on the way out whatever happened.
. "$MO_SRCDIR/tests/tui/common.sh"
server_up() { "$MO_SRCDIR/scripts/pg-sandbox" start "$MO_SANDBOX" >/dev/null 2>&1; }
trap 'server_up; tui_cleanup' EXIT
db=$(tui_seed t_tui_recover) || { echo "not ok 1 - seed"; exit 1; }
counts="queued 2 +loading 1 +loaded 2 +rejected 2 +failed 1"

# The header line's right end: the connection state, then the clock. ("connected" alone
# would also match the views' "not connected", and "connecting" the banner's "reconnecting".)
header() { tui_line '^ meterops '; }
header_connected='^ meterops .* (●|\*) connected [0-9]{2}:[0-9]{2}:[0-9]{2}$'

tui_start -- console --db "$db" --retry-max 2
tui_wait "$counts" >/dev/null
like "$(header)" "$header_connected" "connected before the server stops"

"$MO_SRCDIR/scripts/pg-sandbox" stop "$MO_SANDBOX"
ok "$(tui_wait 'connection lost — retrying in [0-9]+s'; echo $?)" "a banner: connection lost, retrying in N s"
like "$(header)" " (offline|connecting(…|\.\.\.)) [0-9]{2}:[0-9]{2}:[0-9]{2}$" "the header says the console is not connected"
like "$(tui_screen)" "$counts" "the last figures stay on screen under the banner"
tui_keys 2
ok "$(tui_wait '^ Files .*not connected'; echo $?)" "keys are still answered: the Files view, saying it cannot fetch"
tui_keys '?'
ok "$(tui_wait '^ Keys in Files'; echo $?)" "and ? while the server is down"
tui_keys x
# A requeue while down fails with a message, and does not crash.
tui_keys :
tui_type "requeue 4"
tui_keys Enter
tui_wait 'reason:' >/dev/null
tui_type "while down"
tui_keys Enter
ok "$(tui_wait 'requeue: not connected'; echo $?)" "a requeue while down says it is not connected"
# At least one reconnection attempt fails while the server is down: the countdown runs
# out (1s), and starts again from the backoff (2s, --retry-max) after the failed attempt.
tui_wait 'connection lost — retrying in 1s' >/dev/null
tui_wait 'connection lost — retrying in 2s' >/dev/null
ok "$(tui_wait 'connection lost — (retrying in [0-9]+s|reconnecting)'; echo $?)" "the banner stays while attempts fail"

ok "$(server_up; echo $?)" "the server starts again"
ok "$(tui_wait_gone 'connection lost' 30; echo $?)" "the banner goes once the console reconnected"
ok "$(tui_wait "$header_connected" 10; echo $?)" "the header says connected"
tui_keys 1
ok "$(tui_wait "$counts"; echo $?)" "the dashboard is live again"
sql "UPDATE meterops.load_file SET status = 'loaded', finished_at = now() WHERE status = 'loading'" -d t_tui_recover >/dev/null
ok "$(tui_wait 'queued 2 +loading 0 +loaded 3 '; echo $?)" "and LISTEN works again on the new connection"
is "$(sql "SELECT count(*) FROM meterops.audit_log" -d t_tui_recover)" 0 "nothing was requeued by the attempt made while down"
tui_keys q
is "$(tui_exit_status 1)" 0 "the console survived the restart and quits cleanly"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
