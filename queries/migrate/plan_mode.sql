-- migrate/plan_mode: after the functions or the tables' placement, the support desk's
-- functions plan once per session on one server and with the values on Citus
-- (queries/functions/plan_mode.sql); how many changed.
SELECT meterops.fit_plan_mode()
