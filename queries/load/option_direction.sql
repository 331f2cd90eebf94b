-- load/option_direction: the direction (import or export) of the meter that --meter or
-- --export-meter names, to refuse a file whose option names a meter of the other kind
-- (export counted as use). No row for a meter not registered yet. $1 = mpxn.
SELECT m.direction FROM meterops.meter m WHERE m.mpxn = $1
