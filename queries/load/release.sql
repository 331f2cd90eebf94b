-- Gives a claimed file back to the queue untouched (the loader is stopping); its attempt
-- is closed as released. Only the file's holder may: meterops.load_release(). No row
-- comes back when the claim is no longer this loader's (its lease ran out and another
-- loader took the file): the caller then finds out what became of the file instead.
SELECT meterops.load_release($1::bigint, $2, $3)
