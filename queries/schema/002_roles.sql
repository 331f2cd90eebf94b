-- 002_roles: the three roles of DESIGN.md with least privilege. Roles are cluster-wide,
-- so they are created only when missing; the grants are what this migration owns.
-- Migrations of two databases of one cluster may both find a role missing: the one that
-- commits second then meets the first one's role (unique_violation, or duplicate_object
-- when it looked after the first had committed), which is the role it wanted.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['meterops_loader', 'meterops_operator', 'meterops_support'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN unique_violation OR duplicate_object THEN
                NULL;
            END;
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON SCHEMA meterops FROM PUBLIC;
GRANT USAGE ON SCHEMA meterops TO meterops_loader, meterops_operator, meterops_support;

-- Loader: reads the registry, writes readings, registry feeds and the load bookkeeping.
GRANT SELECT, INSERT, UPDATE ON meterops.customer, meterops.meter, meterops.tariff,
      meterops.tariff_band, meterops.bill TO meterops_loader;
GRANT SELECT, INSERT, UPDATE ON meterops.reading_day TO meterops_loader;
GRANT SELECT, INSERT, UPDATE ON meterops.load_job, meterops.load_file TO meterops_loader;
GRANT SELECT, INSERT, DELETE ON meterops.load_error TO meterops_loader;
GRANT INSERT ON meterops.audit_log TO meterops_loader;

-- Operator: reads everything; changes the queue only through meterops.requeue_file().
GRANT SELECT ON ALL TABLES IN SCHEMA meterops TO meterops_operator;

-- Support: no table at all; usage functions and the masked customer view (granted with them).
