-- On the coordinator: commit, rollback, wait or foreign for one prepared gid ($1).
SELECT meterops.load_prepared_decide($1)
