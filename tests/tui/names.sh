#!/bin/sh
# Text from files on the console: a file name (and a message quoting a file) holding an
# escape sequence or a newline is drawn with those characters escaped (\x1B, \n), in the
# Files view and the file's view, so they cannot drive the terminal or break the layout.
. "$MO_SRCDIR/tests/tui/common.sh"
db=$(tui_seed t_tui_names) || { echo "not ok 1 - seed"; exit 1; }
q() { sql "$1" -d t_tui_names; }
q "INSERT INTO meterops.load_file (job_id, path, sha256, format, status, message)
   VALUES (3, '/srv/in/evil' || chr(27) || '[2J' || chr(10) || 'x.csv', repeat('e', 64), 'long', 'failed',
           'bad value ' || chr(27) || '[31mred')" >/dev/null
id=$(q "SELECT max(file_id) FROM meterops.load_file")
tui_start -- console --db "$db" --refresh 3600
tui_wait "connected" >/dev/null
tui_keys 2
ok "$(tui_wait "^ +$id .*/srv/in/evil\\\\x1B\\[2J\\\\nx\\.csv"; echo $?)" "the Files view shows the name's ESC and newline escaped"
is "$(tui_screen | grep -c 'x\.csv')" 1 "the name takes one line"
tui_keys ":open $id" Enter
ok "$(tui_wait 'bad value \\x1B\[31mred'; echo $?)" "the file's view shows its message escaped"
ok "$(tui_wait 'evil\\x1B\[2J\\nx\.csv'; echo $?)" "... and its name"
done_testing
