-- move/slots_missing: which of the slot names $1 (text[]) the source does not have.
SELECT string_agg(n, ' ' ORDER BY n) FROM unnest($1::text[]) n
 WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots s WHERE s.slot_name = n)
