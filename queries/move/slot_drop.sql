-- move/slot_drop: slots of the move left on the source when the target could not drop
-- them: the subscription's ($1) and its table-sync slots ($2: the subscription's oid).
SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots
 WHERE slot_type = 'logical' AND NOT active AND database = current_database()
   AND (slot_name = $1 OR ($2::text IS NOT NULL AND slot_name LIKE 'pg\_' || $2 || '\_sync\_%'))
