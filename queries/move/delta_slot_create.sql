-- move/delta_slot_create: a logical slot (test_decoding) beside the subscription's, made by
-- start; cutover reads from it which tables and partitions changed since its verify before
-- the pause, and verifies only those inside the pause.
SELECT slot_name FROM pg_create_logical_replication_slot($1, 'test_decoding')
