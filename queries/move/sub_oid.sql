-- move/sub_oid: the subscription's oid on the target (its table-sync slots carry it).
SELECT oid::text FROM pg_subscription WHERE subname = $1 AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
