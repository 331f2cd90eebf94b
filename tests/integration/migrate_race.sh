#!/bin/sh
# `meterops db migrate` run at the same moment on several databases of a new cluster: the
# roles are cluster-wide, so each migration may find them missing and create them, and
# all but one then meet the one that committed first. Every run must still succeed.
# Then four at once on one new database: one migrates, the others wait and find it done.
# A cluster of its own: the suite's shared server has its roles made long ago.
. "$MO_SRCDIR/tests/lib.sh"
dir=$(tmpdir)
trap '"$MO_SRCDIR/scripts/pg-sandbox" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
"$MO_SRCDIR/scripts/pg-sandbox" start "$dir" >/dev/null
ok $? "a new cluster started"
n=6
i=1
while [ $i -le $n ]; do
    psql -X -q -h "$dir" -U postgres -d postgres -c "CREATE DATABASE race$i" >/dev/null
    i=$((i + 1))
done
i=1
while [ $i -le $n ]; do
    ("$MO_BIN" db migrate --db "host=$dir user=postgres dbname=race$i" >"$dir/out$i" 2>&1
     echo $? >"$dir/rc$i") &
    i=$((i + 1))
done
wait
rcs=""; i=1
while [ $i -le $n ]; do rcs="$rcs$(cat "$dir/rc$i")"; i=$((i + 1)); done
is "$rcs" "000000" "six migrations at once on six databases all succeed"
[ "$rcs" = 000000 ] || cat "$dir"/out* | sed 's/^/# /'
is "$(psql -X -tA -h "$dir" -U postgres -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'meterops\_%'")" 3 \
   "the three roles exist once each"
is "$(psql -X -tA -h "$dir" -U postgres -d race4 -c "SELECT count(*) FROM meterops.schema_migration")" \
   "$(psql -X -tA -h "$dir" -U postgres -d race1 -c "SELECT count(*) FROM meterops.schema_migration")" \
   "every database has the same migrations"
psql -X -q -h "$dir" -U postgres -d postgres -c "CREATE DATABASE same" >/dev/null
i=1
while [ $i -le 4 ]; do
    ("$MO_BIN" db migrate --db "host=$dir user=postgres dbname=same" >"$dir/same$i" 2>&1
     echo $? >"$dir/samerc$i") &
    i=$((i + 1))
done
wait
is "$(cat "$dir"/samerc1 "$dir"/samerc2 "$dir"/samerc3 "$dir"/samerc4 | tr -d '\n')" "0000" \
   "four migrations at once on one database all succeed"
is "$(cat "$dir"/same1 "$dir"/same2 "$dir"/same3 "$dir"/same4 | grep -c '^schema meterops is up to date$')" 3 \
   "... one applies the schema, the other three wait and find it up to date"
is "$(psql -X -tA -h "$dir" -U postgres -d same -c "SELECT count(*) = count(DISTINCT name) FROM meterops.schema_migration")" t \
   "... and every migration is recorded once"
done_testing
