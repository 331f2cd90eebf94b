-- On a worker: a prepared part of a file whose attempt ended without committing it.
ROLLBACK PREPARED /*gid*/
