-- tx/rollback: abandons the transaction tx/begin opened (a no-op, with a WARNING, when
-- none is open).
ROLLBACK
