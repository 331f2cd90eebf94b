#!/bin/sh
# The Health view at 80x24 (issue 10): two sessions where one blocks the other (and a
# third behind that) appear as an indented tree; the operator cancels the blocker's query
# from the view with a reason, which ends it and writes audit_log; the support role's
# cancel is refused by PostgreSQL and the console says so in one line; Sessions leaves the
# console's own connections out, filters by text and shows a whole query on Enter.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_health) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_health; }
for u in operator support; do
    q "DROP ROLE IF EXISTS t_hv_$u" >/dev/null 2>&1
    q "CREATE ROLE t_hv_$u LOGIN IN ROLE meterops_$u" >/dev/null 2>&1 || q "GRANT meterops_$u TO t_hv_$u" >/dev/null
done
q "CREATE TABLE public.hv_a (x int); CREATE TABLE public.hv_b (x int); GRANT SELECT ON hv_a, hv_b TO PUBLIC;
   GRANT ALL ON hv_a, hv_b TO t_hv_support" >/dev/null
as_user() { echo "host=$MO_SANDBOX port=5432 user=$1 dbname=t_tui_health"; }
bg=""
stop_all() {
    for p in $bg; do kill "$p" 2>/dev/null; done
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 't_hv_%'" >/dev/null
    _i=0
    while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 't_hv_%'")" != 0 ] && [ $_i -lt 600 ]; do
        sleep 0.1; _i=$((_i + 1))
    done
}
trap 'stop_all; tui_cleanup' EXIT
stop_all
session() { # session APP SQL: runs SQL in the background as $HV_USER (the superuser), named APP
    PGAPPNAME=$1 psql -X -q -U "${HV_USER:-postgres}" -d t_tui_health -c "$2" >>"$TUI_TMP/sessions.log" 2>&1 &
    bg="$bg $!"
}
pid_of() { q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' ORDER BY backend_start DESC LIMIT 1"; }
waits() { # waits APP: until APP waits for a lock
    _i=0
    until [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND wait_event_type = 'Lock'")" = 1 ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 3000 ] && return 1
    done
    return 0 # (an until loop's status is its body's last: the false test above)
}
show_sessions() { # why a session does not wait, as TAP comments
    q "SELECT application_name, state, wait_event_type, wait_event, query FROM pg_stat_activity
       WHERE application_name LIKE 't_hv_%'" | sed 's/^/# /'
    sed 's/^/# log: /' "$TUI_TMP/sessions.log"
}
# holder locks hv_a; mid holds hv_b and waits for hv_a; tail waits for hv_b (so for mid).
blockers() {
    session t_hv_holder "BEGIN; LOCK TABLE hv_a; SELECT pg_sleep(300); COMMIT"
    _i=0 # until the holder holds its lock (mid must find hv_a locked)
    until [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                  WHERE a.application_name = 't_hv_holder' AND l.relation = 'public.hv_a'::regclass
                    AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 3000 ] && { echo "# holder holds no lock"; return 1; }
    done
    session t_hv_mid "BEGIN; LOCK TABLE hv_b; SELECT count(*) FROM hv_a; COMMIT"
    waits t_hv_mid || { echo "# mid does not wait"; show_sessions; return 1; }
    session t_hv_tail "SELECT count(*) FROM hv_b"
    waits t_hv_tail || { echo "# tail does not wait"; show_sessions; return 1; }
}
blockers; ok $? "three sessions: holder blocks mid, mid blocks tail"
holder=$(pid_of t_hv_holder) mid=$(pid_of t_hv_mid) tail=$(pid_of t_hv_tail)

export TUI_W=80 TUI_H=24
tui_start -- console --db "$(as_user t_hv_operator)" --refresh 1
ok "$(tui_wait 'connected'; echo $?)" "the operator's console connects"
tui_keys 5
ok "$(tui_wait "^ +$holder +postgres +active"; echo $?)" "5 opens Health on Sessions: the holder's session is listed"
like "$(tui_line "^ +$mid ")" "^ +$mid +postgres +active +.*BEGIN; LOCK TABLE hv_b" "with its state and query, at 80 columns"
is "$(tui_screen | grep -c 'meterops console')" 0 "the console's own connections are not listed"
tui_keys /
tui_type t_hv_tail
tui_keys Enter
ok "$(tui_wait 'Sessions +1 +\(1 shown\)|\(1 shown\)'; echo $?)" "/ filters the sessions by text"
like "$(tui_screen | grep -E "^ +[0-9]+ " | tr '\n' ' ')" "^ +$tail " "only the matching session is left"
tui_keys Enter
ok "$(tui_wait "Query of pid $tail"; echo $?)" "Enter shows the selected session's whole query"
tui_keys Enter c
ok "$(tui_wait_gone 'shown\)'; echo $?)" "c clears the filter"

tui_keys l
ok "$(tui_wait '^ Blocking tree +3'; echo $?)" "l goes to Locks: the blocking tree has three sessions"
like "$(tui_line "^ $holder ")" "^ $holder +postgres +AccessExclusive +hv_a " "the root is the holder, with the mode it holds and the relation"
like "$(tui_line "^ +└ $mid ")" "^ └ $mid +postgres +AccessShare +hv_a +[0-9]+[smh]" "under it the session waiting for hv_a, how long it waits"
like "$(tui_line "^ +└ $tail ")" "^   └ $tail +postgres +AccessShare +hv_b " "and one level deeper the session waiting for mid"

tui_keys C
ok "$(tui_wait "cancel pid $holder \\(postgres: BEGIN; LOCK TABLE hv_a"; echo $?)" \
   "C asks to confirm, naming the pid, the user and the query, and asks for a reason"
tui_type "blocks the mid session"
tui_keys Enter
ok "$(tui_wait "pid $holder: query cancelled \\(written to audit_log\\)"; echo $?)" "the cancel is reported"
ok "$(tui_wait 'no session waits for a lock'; echo $?)" "the blocker's query ended: the tree is empty"
ok "$(tui_wait_gone "^ +└ $mid "; echo $?)" "the session it blocked went on"
is "$(q "SELECT db_user || '|' || action || '|' || target || '|' || reason || '|' || (detail->>'application')
         FROM meterops.audit_log WHERE action = 'cancel'")" \
   "t_hv_operator|cancel|pid:$holder|blocks the mid session|t_hv_holder" \
   "audit_log has the operator, the action, the pid, the reason and the victim"
tui_keys q
is "$(tui_exit_status 1)" 0 "the operator's console exits cleanly"

# The support role: the same tree, refused at PostgreSQL. Support is not in pg_monitor, so
# it sees the queries and waits of its own login only: the sessions are its own this time.
stop_all; bg=""
HV_USER=t_hv_support blockers; ok $? "the blockers again, as the support login"
holder=$(pid_of t_hv_holder)
tui_start -- console --db "$(as_user t_hv_support)" --refresh 1
ok "$(tui_wait 'connected'; echo $?)" "the support console connects"
tui_keys 5 l
ok "$(tui_wait "^ $holder "; echo $?)" "support sees the blocking tree"
tui_keys C
ok "$(tui_wait "cancel pid $holder"; echo $?)" "C asks for a reason"
tui_type "curious"
tui_keys Enter
ok "$(tui_wait "cancel of pid $holder refused: permission denied for function cancel_backend"; echo $?)" \
   "PostgreSQL refuses the support role; the console says so in one line"
is "$(pid_of t_hv_holder)" "$holder" "the holder still runs"
is "$(q "SELECT count(*) FROM meterops.audit_log WHERE action IN ('cancel', 'terminate')")" 1 "nothing more was audited"
tui_keys K
ok "$(tui_wait "terminate pid $holder"; echo $?)" "K asks to terminate"
tui_keys Escape
ok "$(tui_wait "terminate cancelled"; echo $?)" "Esc leaves it undone"
tui_keys q
is "$(tui_exit_status 2)" 0 "the support console exits cleanly"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
