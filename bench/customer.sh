#!/bin/sh
# bench/customer.sh [CUSTOMERS] - how fast the support desk finds and shows one customer,
# in a private server (scripts/pg-sandbox) started and stopped here.
#  1. customer_find by each key among CUSTOMERS (default 1000000) customers, against the
#     same search with the search indexes of 006_customer dropped, in the same invocation
#     (median of RUNS, default 5, each in a new session);
#  2. `meterops customer` end to end (connect, search, meters, daily cost, insights) for a
#     customer of a generated 400-meter, 90-day data set loaded next to those customers,
#     14 and 90 days shown.
# Prints a Markdown section for bench/RESULTS.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${MO_BIN:-$top/build/meterops}
ncust=${1:-1000000}
runs=${RUNS:-5}
[ -x "$bin" ] || { echo "bench/customer.sh: $bin not built (run scripts/check or make)" >&2; exit 2; }

box=$(mktemp -d "${TMPDIR:-/tmp}/meterops-bench-customer.XXXXXX")
chmod 755 "$box"
trap '"$top/scripts/pg-sandbox" stop "$box/pg" >/dev/null 2>&1; rm -rf "$box"' EXIT
mkdir "$box/pg"
"$top/scripts/pg-sandbox" start "$box/pg" >/dev/null
export PGHOST="$box/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=meterops MO_SRCDIR="$top"
db="host=$box/pg port=5432 user=postgres dbname=meterops"
"$bin" db migrate --db "$db" >/dev/null
q() { psql -X -q -v ON_ERROR_STOP=1 -tA -c "$1"; }

# Median wall time in ms of a query, each run in its own session (as the CLI runs it).
median_ms() {
    i=0
    while [ $i -lt "$runs" ]; do
        psql -X -q -v ON_ERROR_STOP=1 -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
        i=$((i + 1))
    done | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}
median_s() { # median wall seconds of a command
    i=0
    while [ $i -lt "$runs" ]; do
        t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
        echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
        i=$((i + 1))
    done | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'
}

# 1. Search among many customers: names from common first names and surnames with a
# unique suffix, postcodes in six districts, one gas meter each.
q "INSERT INTO meterops.customer (account_no, name, postcode)
   SELECT 'B-' || lpad(g::text, 8, '0'),
          (ARRAY['Oliver','Amelia','Jack','Isla','Harry','Ava','George','Mia','Noah','Ivy'])[1 + g % 10] || ' ' ||
          (ARRAY['Smith','Jones','Taylor','Brown','Williams','Wilson','Evans','Thomas','Roberts','Patel','Khan','Murphy'])[1 + (g / 10) % 12]
          || '-' || substr(md5(g::text), 1, 6),
          (ARRAY['SW1A','M1','LS6','B15','EH1','CF10'])[1 + g % 6] || ' ' || (g % 10)::text || chr(65 + g % 26) || chr(65 + (g / 26) % 26)
   FROM generate_series(1, $ncust) g;
   INSERT INTO meterops.meter (mpxn, fuel, customer_id)
   SELECT (9000000000 + customer_id)::text, 'gas', customer_id FROM meterops.customer;
   ANALYZE meterops.customer; ANALYZE meterops.meter;"
half=$((ncust / 2))
acct=$(printf 'B-%08d' "$half")
mprn=$(q "SELECT mpxn FROM meterops.meter m JOIN meterops.customer c USING (customer_id) WHERE account_no = '$acct'")
name=$(q "SELECT substr(name, length(name) - 5) FROM meterops.customer WHERE account_no = '$acct'")
pc=$(q "SELECT lower(replace(postcode, ' ', '')) FROM meterops.customer WHERE account_no = '$acct'")
have_trgm=$(q "SELECT count(*) FROM pg_indexes WHERE indexname = 'customer_name_trgm_idx'")

rows=""
for key in "account:$acct" "MPRN:$mprn" "postcode:$pc" "name:$name"; do
    what=${key%%:*} ref=${key#*:}
    n=$(q "SELECT count(*) FROM meterops.customer_find('$ref')")
    with=$(median_ms "SELECT count(*) FROM meterops.customer_find('$ref')")
    rows="$rows$what|$ref|$n|$with
"
done
# 2. One customer end to end, on generated data, among the customers above (indexes in place).
"$bin" gen --quiet --meters 400 --days 90 --start 2024-01-01 --seed 5 --out "$box/gen"
. "$top/tests/integration/customer_fixture.sh"
fixture_load meterops "$box/gen" >/dev/null
q "ANALYZE"
gacct=$(sed -n 2p "$box/gen/customers.csv" | cut -d, -f1)
nm=$(q "SELECT count(*) FROM meterops.customer_meters('$gacct')")
t14=$(median_s "$bin" customer --db "$db" "$gacct" --to 2024-03-30 --days 14)
t90=$(median_s "$bin" customer --db "$db" "$gacct" --to 2024-03-30 --days 90)

# Then the searches again without the indexes.
q "DROP INDEX meterops.customer_postcode_norm_idx; DROP INDEX IF EXISTS meterops.customer_name_trgm_idx"
table=""
while IFS='|' read -r what ref n with; do
    [ -n "$what" ] || continue
    without=$(median_ms "SELECT count(*) FROM meterops.customer_find('$ref')")
    table="$table| $what | \`$ref\` | $n | $with ms | $without ms | $(echo "$with $without" | awk '{ printf "%.0fx", $2 / $1 }') |
"
done <<EOF
$rows
EOF

cat <<EOF
## Customer view

\`bench/customer.sh $ncust\` ($(date +%F), $(nproc) cores, scripts/pg-sandbox settings; median of $runs runs,
each in a new session). \`meterops.customer_find\` among $ncust customers with the search
indexes of 006_customer (name trigram index: $([ "$have_trgm" = 1 ] && echo present || echo "not available")),
against the same search after dropping them:

| key | REF | rows | with indexes | without | ratio |
|---|---|---|---|---|---|
$table
\`meterops customer\` end to end (connect, search, meters, daily cost, insights) for
$gacct ($nm meters) of a generated 400-meter, 90-day data set (\`meterops gen --meters 400
--days 90 --start 2024-01-01 --seed 5\`) loaded next to those customers, indexes in place,
median wall time: 14 days $t14 s, 90 days $t90 s.
EOF
