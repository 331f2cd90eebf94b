-- load/batch_release: the batch went in (or was undone): forgets its savepoint.
RELEASE SAVEPOINT mo_batch
