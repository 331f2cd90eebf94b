#!/bin/sh
# bench/insights-session.sh [METERS [DAYS]] - customer_insights over 90 days, as the
# console's Customer view runs it (one session that stays connected) and as a new session
# does, against the same function as a SQL-language function (the baseline, installed
# beside it as old_customer_insights from git revision BASE, default HEAD~1), in the same
# run. A SQL function's query is planned at every call; plpgsql keeps its plan for the
# session. Prints a Markdown table of p50/p95 per call (pgbench, one client, 300 calls
# each, random customers); run with nice. Needs the build (build/meterops).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${MO_BIN:-$here/build/meterops}
meters=${1:-400}
days=${2:-200}
base=${BASE:-HEAD~1}
port=${BENCH_PORT:-6799}
dir=$(mktemp -d /tmp/meterops-bench-insights.XXXXXX)
chmod 755 "$dir"
trap 'PGSANDBOX_PORT=$port "$here/scripts/pg-sandbox" stop "$dir/pg" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT INT TERM
PGSANDBOX_PORT=$port "$here/scripts/pg-sandbox" start "$dir/pg" >/dev/null
db="host=$dir/pg port=$port dbname=meterops user=postgres"
"$bin" db migrate --db "$db" >/dev/null
"$bin" gen --meters "$meters" --days "$days" --start 2024-01-01 --seed 3 --quiet --out "$dir/g" >/dev/null
"$bin" load --db "$db" "$dir"/g/customers.csv "$dir"/g/tariffs.csv "$dir"/g/meters.csv "$dir"/g/bills.csv \
    "$dir"/g/readings.csv >/dev/null 2>&1
git -C "$here" show "$base:queries/functions/usage_insights.sql" |
    sed 's/customer_insights/old_customer_insights/g' | psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null
psql -X -q -d "$db" -c "VACUUM ANALYZE" >/dev/null
ncust=$(psql -X -tA -d "$db" -c "SELECT count(*) FROM meterops.customer")
last=$(psql -X -tA -d "$db" -c "SELECT max(day) FROM meterops.reading_day")

# run FUNCTION [-C]: p50 and p95 per call in ms over 300 calls.
run() {
    cat >"$dir/script.sql" <<SQL
\\set n random(0, $ncust - 1)
SELECT count(*) FROM meterops.$1((SELECT account_no FROM meterops.customer ORDER BY customer_id OFFSET :n LIMIT 1),
                                 date '$last' - 89, date '$last');
SQL
    rm -f "$dir"/pgbench_log.*
    (cd "$dir" && pgbench -n ${2:-} -c 1 -t 300 -l -f script.sql "$db" >/dev/null 2>&1)
    awk '{ print $3 / 1000 }' "$dir"/pgbench_log.* | sort -n |
        awk '{ v[NR] = $1 } END { printf "%.1f %.1f", v[int(NR * 0.5)], v[int(NR * 0.95)] }'
}
ratio() { echo "scale=2; $1 / $2" | bc; }
so=$(run old_customer_insights); sn=$(run customer_insights)
co=$(run old_customer_insights -C); cn=$(run customer_insights -C)
p95() { echo "$1" | cut -d' ' -f2; }
p50() { echo "$1" | cut -d' ' -f1; }
cat <<MD
\`bench/insights-session.sh $meters $days\` ($(date -u +%Y-%m-%d), $(nproc) cores; $ncust customers, 90 days to $last; baseline: customer_insights of $(git -C "$here" rev-parse --short "$base") as a SQL function; 300 calls each, one client):

| session | SQL function p50 / p95 ms | plpgsql p50 / p95 ms | p95 SQL / plpgsql |
|---|---|---|---|
| one session (the console) | $(p50 "$so") / $(p95 "$so") | $(p50 "$sn") / $(p95 "$sn") | $(ratio "$(p95 "$so")" "$(p95 "$sn")") |
| a new session per call (pgbench -C, connection included) | $(p50 "$co") / $(p95 "$co") | $(p50 "$cn") / $(p95 "$cn") | $(ratio "$(p95 "$co")" "$(p95 "$cn")") |
MD
