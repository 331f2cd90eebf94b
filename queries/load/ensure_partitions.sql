-- Makes the monthly partitions a file needs, in a short transaction of its own.
SELECT meterops.ensure_reading_partitions($1::date, $2::date)
