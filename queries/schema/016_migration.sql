-- 016_migration: moving the whole database to another server with PostgreSQL's logical
-- replication (`meterops migrate`, backend/move*.c). The same schema is made on both
-- servers by `db migrate`; what `migrate start` creates beyond it (publication, event
-- trigger, dblink on the source; subscription, and the schema itself, on the target) is
-- recorded in meterops.migration on the source, which `abort` reads to remove exactly that.

-- One row per move, on the source. Never published: the target must not inherit the pause.
CREATE TABLE IF NOT EXISTS meterops.migration (
    migration_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target           text NOT NULL,            -- conninfo of the target, as given to --to
    publisher        text NOT NULL,            -- conninfo the target uses to reach the source
    publication      text NOT NULL,
    subscription     text NOT NULL,
    event_trigger    text NOT NULL,
    state            text NOT NULL DEFAULT 'starting'
                     CHECK (state IN ('starting', 'copying', 'cutover', 'done', 'aborted')),
    made_dblink      boolean NOT NULL DEFAULT false,  -- start created the extension
    made_schema      boolean NOT NULL DEFAULT false,  -- the target had no schema meterops
    made_roles       text[] NOT NULL DEFAULT '{}',    -- roles the target lacked before
    started_at       timestamptz NOT NULL DEFAULT now(),
    paused_at        timestamptz,
    finished_at      timestamptz,
    pause_ms         bigint,                          -- cutover's write pause
    drain_ms         bigint                           -- cutover's wait for files in hand
);
-- At most one move under way.
CREATE UNIQUE INDEX IF NOT EXISTS migration_one_active
    ON meterops.migration ((true)) WHERE state IN ('starting', 'copying', 'cutover');

-- A published row the source changes at cutover and the target is watched for: logical
-- replication applies commits in order, so when the target shows the new token every
-- earlier commit of the source is there too (lag 0 measured on the data itself).
CREATE TABLE IF NOT EXISTS meterops.migration_marker (
    marker_id  int PRIMARY KEY DEFAULT 1 CHECK (marker_id = 1),
    token      bigint NOT NULL DEFAULT 0,
    at         timestamptz NOT NULL DEFAULT now()
);
-- No row until the first cutover: the initial copy brings the source's, if any.

-- A published table needs a replica identity for its UPDATEs and DELETEs (the loader
-- deletes a held file's errors of earlier attempts); load_error has no key.
ALTER TABLE meterops.load_error REPLICA IDENTITY FULL;

-- The queue's pause: while a move is cutting over (and after it), no loader may claim a
-- file on the source. A file in hand is finished; the claim of the next one fails with
-- this message, which the loader prints. Once the move is done the source takes no new
-- file either (it would never be loaded). Apply workers on the target fire no ordinary
-- trigger, and the target holds no migration row, so its queue is never paused. Only the
-- latest move counts (an aborted one reopens the queue).
-- SECURITY DEFINER: the loader's role enqueues with its own INSERT and may not read
-- meterops.migration.
CREATE OR REPLACE FUNCTION meterops.migration_claim_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    st text;
BEGIN
    SELECT state INTO st FROM meterops.migration ORDER BY migration_id DESC LIMIT 1;
    IF st = 'cutover' AND TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the queue is paused: this database is moving to another server (meterops migrate cutover); this loader takes no new file'
            USING ERRCODE = '55000';
    ELSIF st = 'done' THEN
        RAISE EXCEPTION 'the queue is closed: this database moved to another server (meterops migrate cutover); load there'
            USING ERRCODE = '55000';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS load_file_paused ON meterops.load_file;
CREATE TRIGGER load_file_paused BEFORE UPDATE OF status, claimed_by ON meterops.load_file
    FOR EACH ROW WHEN (NEW.status = 'loading' AND
                       (OLD.status <> 'loading' OR NEW.claimed_by IS DISTINCT FROM OLD.claimed_by))
    EXECUTE FUNCTION meterops.migration_claim_guard();
DROP TRIGGER IF EXISTS load_file_moved ON meterops.load_file;
CREATE TRIGGER load_file_moved BEFORE INSERT ON meterops.load_file
    FOR EACH STATEMENT EXECUTE FUNCTION meterops.migration_claim_guard();
REVOKE ALL ON FUNCTION meterops.migration_claim_guard() FROM PUBLIC;

-- The tables a move carries: every table of schema meterops but the bookkeeping of
-- `db migrate` (the target runs its own) and of the move itself. reading_day is named by
-- its root; its partitions come with it.
CREATE OR REPLACE FUNCTION meterops.migration_tables() RETURNS SETOF regclass
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
SELECT c.oid::regclass FROM pg_class c
 WHERE c.relnamespace = 'meterops'::regnamespace AND c.relkind IN ('r', 'p')
   AND NOT c.relispartition
   AND c.relname NOT IN ('schema_migration', 'schema_function', 'migration')
 ORDER BY c.relname
$$;

-- Row count and an order-independent checksum per table, and per reading_day partition
-- also the sum of its Wh (when with_wh): what `migrate verify` compares between the two
-- servers. A row is hashed whole (hash_record_extended, no text made), or, for a table
-- with a column type that has no hash function, as text under fixed output settings so
-- both sides spell it alike. The Wh sum costs most (an unnest per row, about 6x the hash):
-- cutover leaves it out, the row hash covers every Wh anyway.
CREATE OR REPLACE FUNCTION meterops.migration_checksums(with_wh boolean DEFAULT true)
RETURNS TABLE (relation text, rows bigint, wh numeric, digest numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD'
SET extra_float_digits = 1 SET IntervalStyle = 'postgres' AS $$
DECLARE
    t regclass;
    p record;
BEGIN
    FOR t IN SELECT * FROM meterops.migration_tables() LOOP
        CONTINUE WHEN t = 'meterops.reading_day'::regclass;
        relation := t::text;
        wh := NULL;
        BEGIN
            EXECUTE format('SELECT count(*), coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', t)
               INTO rows, digest;
        EXCEPTION WHEN undefined_function THEN
            EXECUTE format('SELECT count(*), coalesce(sum(hashtextextended(x::text, 0)::numeric), 0) FROM %s x', t)
               INTO rows, digest;
        END;
        RETURN NEXT;
    END LOOP;
    FOR p IN SELECT c.oid::regclass AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'meterops.reading_day'::regclass ORDER BY c.relname LOOP
        relation := p.part::text;
        IF with_wh THEN
            EXECUTE format('SELECT count(*), coalesce(sum((SELECT sum(v) FROM unnest(x.wh) v)), 0), '
                           'coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', p.part)
               INTO rows, wh, digest;
        ELSE
            wh := NULL;
            EXECUTE format('SELECT count(*), coalesce(sum(hash_record_extended(x, 0)::numeric), 0) FROM %s x', p.part)
               INTO rows, digest;
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- The months of reading_day's partitions on this server.
CREATE OR REPLACE FUNCTION meterops.migration_partition_months() RETURNS date[]
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
SELECT coalesce(array_agg(to_date(substr(c.relname, 13), 'YYYY_MM') ORDER BY c.relname), '{}')
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'meterops.reading_day'::regclass AND c.relname ~ '^reading_day_\d{4}_\d{2}$'
$$;

-- New monthly partitions on both sides. The subscription receives reading_day's rows
-- through its root (publish_via_partition_root), so the target routes them to its own
-- partitions and needs the month to exist before the first row of it arrives. On the
-- source, while a move is copying or cutting over, every partition made (by the loader's
-- ensure_reading_partitions or by hand) is made on the target too, through dblink, by the
-- event trigger `migrate start` creates; `start` and `cutover` call this once as well. It
-- returns how many partitions it made on the target. Failing to reach the target only
-- warns (a load on the source must not fail for it): the apply worker then retries the
-- month's rows until this runs again.
CREATE OR REPLACE FUNCTION meterops.migration_sync_partitions() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
DECLARE
    m meterops.migration;
    nsp text;
    made int;
BEGIN
    SELECT * INTO m FROM meterops.migration WHERE state IN ('starting', 'copying', 'cutover')
     ORDER BY migration_id DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    SELECT e.extnamespace::regnamespace::text INTO nsp FROM pg_extension e WHERE e.extname = 'dblink';
    IF nsp IS NULL THEN
        RAISE EXCEPTION 'migration_sync_partitions: the dblink extension is missing';
    END IF;
    EXECUTE format('SELECT x FROM %s.dblink($1, $2) AS t(x int)', nsp)
       INTO made
      USING m.target,
            format('SELECT coalesce(sum(meterops.ensure_reading_partitions(d, d)), 0)::int FROM unnest(%L::date[]) d',
                   meterops.migration_partition_months());
    RETURN made;
END
$$;
REVOKE ALL ON FUNCTION meterops.migration_sync_partitions() FROM PUBLIC;

CREATE OR REPLACE FUNCTION meterops.migration_ddl_sync() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, meterops AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() c
                WHERE c.schema_name = 'meterops' AND c.object_type = 'table') THEN
        BEGIN
            PERFORM meterops.migration_sync_partitions();
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'meterops migrate: could not make the new partitions on the target: %', SQLERRM;
        END;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION meterops.migration_ddl_sync() FROM PUBLIC;
