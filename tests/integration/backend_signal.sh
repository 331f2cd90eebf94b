#!/bin/sh
# meterops.cancel_backend / terminate_backend (issue 10): the operator cancels a query or
# ends a session with a reason, and audit_log keeps who, why and what the session was
# doing; the support role is refused by PostgreSQL; a reason is required; only client
# sessions can be signalled.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_backend_signal)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
for u in operator support; do
    psql -X -q -d t_backend_signal -c "DROP ROLE IF EXISTS t_sig_$u; CREATE ROLE t_sig_$u LOGIN IN ROLE meterops_$u" >/dev/null 2>&1 ||
        psql -X -q -d t_backend_signal -c "GRANT meterops_$u TO t_sig_$u" >/dev/null
done
as() { u=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -tA -U "t_sig_$u" -d t_backend_signal -c "$1" 2>&1; }
q() { sql "$1" -d t_backend_signal; }
victims=""
trap 'for p in $victims; do kill $p 2>/dev/null; done' EXIT
# victim APP: a session of the suite's superuser running a long query, named APP; its pid
victim() {
    PGAPPNAME=$1 psql -X -q -d t_backend_signal -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
    victims="$victims $!"
    _i=0
    until [ -n "$(q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active'")" ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 100 ] && break
    done
    q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active'"
}
gone() { # gone APP: until no active query of APP is left
    _i=0
    while [ -n "$(q "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active'")" ]; do
        sleep 0.1; _i=$((_i + 1)); [ $_i -gt 100 ] && return 1
    done
    return 0
}

pid=$(victim t_sig_victim1)
like "$pid" '^[0-9]+$' "a session runs a long query"
out=$(as support "SELECT meterops.cancel_backend($pid, 'try')")
like "$out" "permission denied for function cancel_backend" "support is refused cancel_backend by PostgreSQL"
out=$(as support "SELECT meterops.terminate_backend($pid, 'try')")
like "$out" "permission denied for function terminate_backend" "support is refused terminate_backend by PostgreSQL"
out=$(as support "SELECT meterops.signal_backend_audited($pid, 'cancel', 'try')")
like "$out" "permission denied for function signal_backend_audited" "support cannot call the inner function either"
out=$(as operator "SELECT pg_cancel_backend($pid)")
like "$out" "must be a superuser to cancel|permission denied to cancel" "the operator holds no right to signal a superuser's session of its own"
out=$(as operator "SELECT meterops.cancel_backend($pid, '  ')")
like "$out" "needs a reason" "a cancel without a reason is refused"
is "$(q "SELECT count(*) FROM meterops.audit_log")" 0 "nothing refused was audited"

out=$(as operator "SELECT meterops.cancel_backend($pid, 'blocks the nightly load')")
is "$out" t "the operator cancels the query through the function"
ok "$(gone t_sig_victim1; echo $?)" "the query ended"
is "$(q "SELECT db_user || '|' || action || '|' || target || '|' || reason || '|' || (detail->>'user') || '|' ||
             (detail->>'application') || '|' || (detail->>'query') FROM meterops.audit_log")" \
   "t_sig_operator|cancel|pid:$pid|blocks the nightly load|postgres|t_sig_victim1|SELECT pg_sleep(120)" \
   "audit_log: the operator, the action, the pid, the reason, the victim's user, application and query"

pid2=$(victim t_sig_victim2)
out=$(as operator "SELECT meterops.terminate_backend($pid2, 'runaway report')")
is "$out" t "the operator terminates a session through the function"
ok "$(gone t_sig_victim2; echo $?)" "the session ended"
is "$(q "SELECT db_user || '|' || action || '|' || target || '|' || reason FROM meterops.audit_log WHERE action = 'terminate'")" \
   "t_sig_operator|terminate|pid:$pid2|runaway report" "the terminate is audited"

out=$(as operator "SELECT meterops.cancel_backend(pg_backend_pid(), 'me')")
like "$out" "is this session" "the operator's own session cannot be signalled"
walpid=$(q "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
out=$(as operator "SELECT meterops.terminate_backend($walpid, 'no')")
like "$out" "not a client session" "a server process (the checkpointer) cannot be signalled"
out=$(as operator "SELECT meterops.cancel_backend(999999, 'no one')")
like "$out" "no session with pid 999999" "a pid that is no session is refused"
is "$(q "SELECT count(*) FROM meterops.audit_log")" 2 "only the two actions that ran were audited"
out=$(as operator "SELECT count(*) > 0 FROM meterops.health_sizes(5)")
is "$out" t "the operator reads sizes through meterops.health_sizes()"
out=$(as support "SELECT count(*) FROM meterops.health_sizes(5)")
like "$out" "permission denied for function health_sizes" "support does not"
done_testing
