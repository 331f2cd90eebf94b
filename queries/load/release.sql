-- Gives a claimed file back to the queue untouched (the loader is stopping); its attempt
-- is closed as released. Only the file's holder may: meterops.load_release().
SELECT meterops.load_release($1::bigint, $2, $3)
