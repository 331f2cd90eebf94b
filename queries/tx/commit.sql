-- tx/commit: commits the transaction tx/begin opened.
COMMIT
