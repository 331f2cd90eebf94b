-- Whether schema meterops is there to load into (else `meterops db migrate` comes first).
SELECT to_regclass('meterops.load_file') IS NOT NULL
