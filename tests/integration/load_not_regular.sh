#!/bin/sh
# Only regular files are loaded: a FIFO (which would block open()), a device (/dev/zero
# never ends) or a directory is refused with file_not_regular when it is named to
# `meterops load`, and again when a queued path has become one by the time it is loaded.
# Nothing waits: every run here is bounded by `timeout`.
. "$MO_SRCDIR/tests/lib.sh"
db=$(fresh_db t_not_regular)
"$MO_BIN" db migrate --db "$db" >/dev/null || { echo "not ok 1 - migrate"; exit 1; }
q() { sql "$1" -d t_not_regular; }
t=$(tmpdir)
trap 'rm -rf "$t"' EXIT
mkfifo "$t/fifo"
mkdir "$t/dir"

for what in "$t/fifo:a FIFO" "/dev/zero:a device" "$t/dir:a directory"; do
    path=${what%%:*}; kind=${what#*:}
    out=$(timeout 30 "$MO_BIN" load --db "$db" --quiet "$path" 2>&1); rc=$?
    is "$rc" 2 "load $path: exit 2, at once"
    like "$out" "$path.*$kind, not a regular file: only regular files are loaded" "... saying it is $kind"
done
is "$(q "SELECT count(*) FROM meterops.load_file")" 0 "none of them was queued"

# A queued file that is a FIFO by the time a loader opens it: failed, not a hang.
q "INSERT INTO meterops.load_file (path, format, status, bytes)
   VALUES ('$t/fifo', 'long', 'queued', 10)" >/dev/null
out=$(timeout 60 "$MO_BIN" load --db "$db" --queued 2>&1); rc=$?
is "$rc" 1 "load --queued of a path that became a FIFO ends (exit 1: the file failed)"
is "$(q "SELECT status || ' ' || (message LIKE '%not a regular file%') FROM meterops.load_file WHERE path = '$t/fifo'")" \
   "failed true" "... and the file is failed, saying why"
done_testing
