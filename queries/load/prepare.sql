-- On a worker, the file's part made durable and held for the coordinator's decision. The
-- loader writes the gid, as a quoted literal, where the comment stands.
PREPARE TRANSACTION /*gid*/
