-- tx/begin: opens a transaction (the loader's file, a migration step, an enqueue).
BEGIN
