-- console/listen: subscribe to the loader's file events (see functions/notify.sql), so new
-- and changed files reach the console at once instead of at the next refresh.
LISTEN meterops_load
