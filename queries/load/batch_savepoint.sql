-- load/batch_savepoint: marks the start of one batch of the direct COPY into
-- meterops.reading (backend/merge.c), so a batch the server refuses can be undone alone
-- (load/batch_rollback) and retried through the stage, keeping the batches before it.
SAVEPOINT mo_batch
