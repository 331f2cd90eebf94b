-- A loader that exits cleanly says so: it holds no file and sends no more heartbeats.
UPDATE meterops.loader
   SET stopped_at = now(), heartbeat_at = now(), files_in_hand = 0
 WHERE loader_id = $1
