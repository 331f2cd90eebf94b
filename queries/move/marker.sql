-- move/marker: the marker token the target has applied (0 before the first).
SELECT coalesce(max(token), 0) FROM meterops.migration_marker
