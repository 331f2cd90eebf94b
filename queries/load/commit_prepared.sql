-- On a worker: a prepared part of a file the coordinator committed (gid as in prepare.sql).
COMMIT PREPARED /*gid*/
