-- load/batch_rollback: undoes the batch since load/batch_savepoint, keeping what the
-- file's transaction held before it.
ROLLBACK TO SAVEPOINT mo_batch
