#!/bin/sh
# Requeue from the console: by key with a reason, by :requeue with a filter and a count in
# the confirmation, always through meterops.requeue_file() (so audited), and refused with
# PostgreSQL's own words for a role without the right.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_requeue) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_requeue; }
for r in operator support loader; do
    psql -X -q -d t_tui_requeue -c "CREATE ROLE t_tui_$r LOGIN IN ROLE meterops_$r" >/dev/null 2>&1 ||
        psql -X -q -d t_tui_requeue -c "GRANT meterops_$r TO t_tui_$r" >/dev/null 2>&1
done
as() { echo "host=$MO_SANDBOX port=5432 user=t_tui_$1 dbname=t_tui_requeue"; }
id_of() { q "SELECT file_id FROM meterops.load_file WHERE path LIKE '%$1'"; }
rejected=$(id_of elec-long-0003.csv)
audits() { q "SELECT count(*) FROM meterops.audit_log"; }

# --- an operator, by keys -----------------------------------------------------------------
tui_start -- console --db "$(as operator)"
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
tui_keys /
tui_type "0003"
tui_keys Enter
tui_wait '^ Files  1' >/dev/null
tui_keys r
ok "$(tui_wait "requeue 1 file \(#$rejected elec-long-0003\.csv, rejected\)\? reason:"; echo $?)" \
   "r asks to confirm: how many files, which, and a reason"
tui_type "header fixed upstream"
tui_keys Enter
ok "$(tui_wait 'requeued 1 file, but no loader is alive to take it$'; echo $?)" \
   "the status line confirms the requeue, and says no loader is alive to take the file"
is "$(q "SELECT status || '|' || requeues || '|' || message FROM meterops.load_file WHERE file_id = $rejected")" \
   "queued|1|requeued: header fixed upstream" "load_file: the file is queued again, with the reason"
is "$(q "SELECT db_user || '|' || action || '|' || target || '|' || reason || '|' || (detail->>'from_status')
         FROM meterops.audit_log ORDER BY audit_id DESC LIMIT 1")" \
   "t_tui_operator|requeue|load_file:$rejected|header fixed upstream|rejected" "audit_log: who, what, which file, why, from which status"
ok "$(tui_wait "^ +$rejected +2 queued "; echo $?)" "the list shows it queued (LISTEN)"

tui_keys r
ok "$(tui_wait "file $rejected is queued: only loaded, rejected or failed files can be requeued"; echo $?)" \
   "r on a queued file explains why not, without asking"
tui_keys c
tui_wait '^ Files  9' >/dev/null

# --- :requeue with a filter: the confirmation counts the files -----------------------------
job=$(q "SELECT job_id FROM meterops.load_file WHERE file_id = $rejected")
n=$(q "SELECT count(*) FROM meterops.load_file WHERE job_id = $job AND status IN ('rejected', 'failed')")
is "$n" 2 "job $job still has a rejected and a failed file"
before=$(audits)
tui_keys :
tui_type "requeue status=rejected,failed job=$job"
tui_keys Enter
ok "$(tui_wait "requeue $n files \(status=rejected,failed job=$job\)\? reason:"; echo $?)" ":requeue with a filter says how many files it will requeue"
ids=$(q "SELECT string_agg('#' || file_id, ' ' ORDER BY file_id) FROM meterops.load_file WHERE job_id = $job AND status IN ('rejected', 'failed')")
ok "$(tui_wait "^ files $ids\$"; echo $?)" "and lists their ids before it asks: $ids"
tui_keys Escape
ok "$(tui_wait 'requeue cancelled'; echo $?)" "Esc cancels"
is "$(audits)" "$before" "nothing requeued after a cancel"
tui_keys :
tui_type "requeue status=rejected,failed job=$job"
tui_keys Enter
tui_wait "requeue $n files" >/dev/null
tui_keys Enter
ok "$(tui_wait 'requeue cancelled: a reason is required'; echo $?)" "an empty reason cancels"
tui_keys :
tui_type "requeue status=rejected,failed job=$job"
tui_keys Enter
tui_wait "requeue $n files" >/dev/null
tui_type "permissions on the inbox fixed"
tui_keys Enter
ok "$(tui_wait "requeued $n files"; echo $?)" "the filtered requeue is done"
is "$(q "SELECT count(*) FROM meterops.load_file WHERE job_id = $job AND status = 'queued'")" 3 "job $job: all three problem files queued"
is "$(q "SELECT count(*) FROM meterops.audit_log WHERE reason = 'permissions on the inbox fixed'")" "$n" "one audit row per file"
tui_keys :
tui_type "requeue status=failed job=$job"
tui_keys Enter
ok "$(tui_wait "no file matches status=failed job=$job"; echo $?)" "a filter matching nothing says so"
# The Files view's own filter applies to :requeue too: path=0002 narrows status=loaded.
tui_keys Escape
tui_keys :
tui_type "filter path=0002"
tui_keys Enter
tui_wait '^ Files  1' >/dev/null
f5=$(id_of elec-long-0002.csv)
tui_keys :
tui_type "requeue status=loaded"
tui_keys Enter
ok "$(tui_wait "requeue 1 file \(status=loaded path=0002\)\? reason:"; echo $?)" ":requeue takes the view's path filter with its own status"
ok "$(tui_wait "^ file #$f5\$"; echo $?)" "and lists the one id"
tui_keys Escape
tui_wait 'requeue cancelled' >/dev/null
tui_keys :
tui_type "filter"
tui_keys Enter
tui_wait '^ Files  9' >/dev/null
# The server refuses what the console could not know: the file was requeued meanwhile.
tui_keys :
tui_type "requeue $rejected"
tui_keys Enter
tui_wait "requeue 1 file \(#$rejected\)" >/dev/null
tui_type "again"
tui_keys Enter
ok "$(tui_wait "requeue refused, nothing was requeued: file $rejected is queued already; only loaded, rejected or failed"; echo $?)" \
   "PostgreSQL's refusal is shown as it said it"
tui_keys q
tui_exit_status 1 >/dev/null

# --- support: may not requeue; the console does not offer it, PostgreSQL refuses it --------
# A support login opens on the Customer view (issue 11): load views and commands are hidden
# with one line saying why, instead of a screen of permission denied.
loaded=$(id_of 2024-06-01/elec-long-0001.csv)
before=$(audits)
tui_start -- console --db "$(as support)"
ok "$(tui_wait '^ Customer  / finds one'; echo $?)" "support: the console opens on the Customer view"
tui_keys :
tui_type "requeue $loaded"
tui_keys Enter
ok "$(tui_wait ':requeue is hidden for the support desk: it acts on loads \(meterops_operator\)'; echo $?)" \
   "support: :requeue says in one line why it is not offered"
is "$(q "SELECT status FROM meterops.load_file WHERE file_id = $loaded")" loaded "support: the file is untouched"
is "$(audits)" "$before" "support: no audit row"
like "$(psql -X -q -tA -U t_tui_support -d t_tui_requeue -c "SELECT meterops.requeue_file($loaded, 'customer asked')" 2>&1)" \
     'permission denied for function requeue_file' "support: PostgreSQL refuses requeue_file itself"
tui_keys 2
ok "$(tui_wait 'Files is hidden for the support desk: loaded files and their errors'; echo $?)" \
   "support: 2 says why Files is hidden, and no refusal screen"
ok "$(tui_screen | grep -qi 'permission denied'; [ $? = 1 ]; echo $?)" "support: no permission denied on screen"
tui_keys q
is "$(tui_exit_status 2)" 0 "support: the console carries on and quits cleanly"

# --- the loader may read the queue but not requeue from the console ------------------------
tui_start -- console --db "$(as loader)"
tui_wait "connected" >/dev/null
tui_keys 2
tui_wait '^ Files  9' >/dev/null
tui_keys /
tui_type "05-29"
tui_keys Enter
tui_wait '^ Files  1' >/dev/null
tui_keys r
tui_wait 'reason:' >/dev/null
tui_type "try"
tui_keys Enter
ok "$(tui_wait 'requeue refused, nothing was requeued: permission denied for function requeue_file'; echo $?)" "loader: r is refused by PostgreSQL"
is "$(audits)" "$before" "loader: no audit row"
tui_keys q
tui_exit_status 3 >/dev/null

# r in the file detail requeues the file shown.
tui_start -- console --db "$(as operator)"
tui_wait "connected" >/dev/null
tui_keys :
tui_type "open $loaded"
tui_keys Enter
tui_wait "^ File #$loaded  loaded" >/dev/null
tui_keys r
ok "$(tui_wait "requeue 1 file \(#$loaded elec-long-0001\.csv, loaded\)\? reason:"; echo $?)" "r in the file detail asks about the file shown"
tui_type "reload after tariff fix"
tui_keys Enter
ok "$(tui_wait "^ File #$loaded  queued"; echo $?)" "the detail shows it queued"
is "$(q "SELECT reason FROM meterops.audit_log WHERE target = 'load_file:$loaded'")" "reload after tariff fix" "audited"
tui_keys q
is "$(tui_exit_status 4)" 0 "clean exit"
is "$(tui_stderr)" "" "the consoles wrote nothing to stderr"
done_testing
