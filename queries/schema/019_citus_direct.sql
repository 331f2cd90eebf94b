-- 019_citus_direct: what the loader needs to write a file's meter-days straight into the
-- shards on the Citus workers (doc/loader.md, "Straight to the workers").
--
-- The file's transaction on the coordinator stays the decision point: each worker's part
-- of the file is a prepared transaction (gid meterops_<file_id>_<attempt>_<node>), and
-- its gid is recorded in meterops.load_prepared in the same coordinator transaction as
-- the file's status. A prepared transaction whose gid is recorded is committed; one whose
-- gid is not, and whose attempt is over, is rolled back (meterops.load_prepared_decide).
CREATE TABLE IF NOT EXISTS meterops.load_prepared (
    gid         text PRIMARY KEY,
    file_id     bigint NOT NULL,
    attempt     int NOT NULL,
    node_host   text NOT NULL,
    node_port   int NOT NULL,
    prepared_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, DELETE ON meterops.load_prepared TO meterops_loader;

-- The shards of reading_day and the worker holding each, by hash range (Citus hashes a
-- bigint distribution column with hashint8). No rows when reading_day is not
-- hash-distributed (no Citus, or a schema not yet distributed): the loader then writes
-- through the server it is connected to. The shard is the parent's: on its worker it is
-- itself partitioned by month, the monthly partitions' shards attached to it.
CREATE OR REPLACE FUNCTION meterops.reading_day_shards()
RETURNS TABLE (shardid bigint, min_hash int, max_hash int, node_host text, node_port int,
               shard text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT s.shardid, s.shardminvalue::int, s.shardmaxvalue::int, n.nodename::text,
               n.nodeport, shard_name(s.logicalrelid, s.shardid)
        FROM pg_dist_partition d
        JOIN pg_dist_shard s USING (logicalrelid)
        JOIN pg_dist_placement p USING (shardid)
        JOIN pg_dist_node n USING (groupid)
        WHERE d.logicalrelid = 'meterops.reading_day'::regclass AND d.partmethod = 'h'
          AND n.noderole = 'primary' AND n.isactive AND p.shardstate = 1
        ORDER BY s.shardminvalue::int, n.nodename, n.nodeport$q$;
END
$$;
GRANT EXECUTE ON FUNCTION meterops.reading_day_shards() TO meterops_loader;

-- What becomes of a prepared transaction the loader left on a worker: 'commit' (its gid
-- is recorded: the file committed on the coordinator), 'wait' (its attempt may still
-- commit: the file is loading under that attempt), 'rollback' (the attempt is over
-- without committing it), 'foreign' (not a loader's gid). The file's row is locked
-- FOR SHARE first, so an attempt committing at that moment (load_finish updates the
-- row) is waited for and its record seen.
CREATE OR REPLACE FUNCTION meterops.load_prepared_decide(gid text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    fid bigint;
    att int;
    st text;
    now_att int;
BEGIN
    IF gid !~ '^meterops_[0-9]{1,18}_[0-9]{1,9}_[0-9]{1,4}$' THEN
        RETURN 'foreign';
    END IF;
    fid := split_part(gid, '_', 2)::bigint;
    att := split_part(gid, '_', 3)::int;
    SELECT f.status, f.attempts INTO st, now_att FROM meterops.load_file f
     WHERE f.file_id = fid FOR SHARE;
    IF EXISTS (SELECT 1 FROM meterops.load_prepared p WHERE p.gid = load_prepared_decide.gid) THEN
        RETURN 'commit';
    END IF;
    IF st = 'loading' AND now_att = att THEN
        RETURN 'wait';
    END IF;
    RETURN 'rollback';
END
$$;
REVOKE ALL ON FUNCTION meterops.load_prepared_decide(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.load_prepared_decide(text) TO meterops_loader;

-- In the file's transaction on the coordinator, before its first row goes to a worker:
-- the shards of reading_day locked as Citus's own writers lock them (ShareLock on the
-- shard metadata). A shard move (citus_rebalance_start, citus_move_shard_placement)
-- blocks writes with ExclusiveLock on the same locks before it switches a shard to its
-- new worker, so it waits for the file to commit (its rows then go with the shard), and
-- the shard map the loader reads after this lock stays true until then.
CREATE OR REPLACE FUNCTION meterops.reading_day_shards_lock()
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
        RETURN;
    END IF;
    EXECUTE $q$SELECT lock_shard_metadata(5, array_agg(shardid ORDER BY shardid))
               FROM pg_dist_shard WHERE logicalrelid = 'meterops.reading_day'::regclass$q$;
END
$$;
REVOKE ALL ON FUNCTION meterops.reading_day_shards_lock() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.reading_day_shards_lock() TO meterops_loader;
