-- meterops.fit_plan_mode(): the support desk's functions plan their queries once per
-- session on one server, and with the values at every call on Citus. `meterops db
-- migrate` calls it after applying the functions, and `meterops db distribute` after
-- placing the tables, so each function's mode follows the server it is on; it returns how
-- many functions it changed (none when each is already right).
--
-- Why (issue 11, "Speed"): a PL/pgSQL query with parameters is planned again with their
-- values at each of a session's first five executions, and after that too while its
-- generic plan looks dearer than those plans, which a plan over the partitioned
-- reading_day does (its partitions are pruned only when it runs). The queries of
-- meter_days, meter_days_priced and customer_insights are long, so planning them was 6 ms
-- of the 14 of a customer's insights over 90 days and 3 of the 6 of a card's 90 daily
-- values (bench/RESULTS.md, "every query within 20 ms"); a generic plan reads the same rows, the
-- partitions outside the days being pruned when it starts. The setting is made on the
-- entry points, the SECURITY DEFINER functions the console and the CLI call, and holds
-- for the internal PL/pgSQL functions they call while they run.
-- On Citus a generic plan of a query on a distributed table cannot be made ("could not
-- create distributed plan": tests/integration/citus_load.sh), so there the setting is
-- removed; the same is true while the citus extension is there but not yet used.
CREATE OR REPLACE FUNCTION meterops.fit_plan_mode()
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    want text := CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus')
                      THEN NULL ELSE 'plan_cache_mode=force_generic_plan' END;
    fn regprocedure;
    changed int := 0;
BEGIN
    FOR fn IN
        SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = 'meterops'::regnamespace
          AND p.proname IN ('customer_find', 'customer_insights', 'meter_cost_daily',
                            'meter_usage_daily', 'meter_usage_halfhourly')
          AND CASE WHEN want IS NULL
                   THEN EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c WHERE c LIKE 'plan\_cache\_mode=%')
                   ELSE NOT want = ANY (coalesce(p.proconfig, '{}')) END
        ORDER BY 1
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s %s', fn,
                                  CASE WHEN want IS NULL THEN 'RESET plan_cache_mode'
                                       ELSE 'SET plan_cache_mode = force_generic_plan' END);
        changed := changed + 1;
    END LOOP;
    RETURN changed;
END
$$;
REVOKE ALL ON FUNCTION meterops.fit_plan_mode() FROM PUBLIC;
