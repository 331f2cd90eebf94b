-- console/health_sizes: the Health view's Sizes through meterops.health_sizes() (which
-- skips locked relations and samples growth); asked every minute, not every refresh.
-- $1 how many tables and how many indexes. Largest first, locked ones last.
SELECT kind, relname, coalesce(bytes, -1) AS bytes, coalesce(per_day, 0) AS per_day,
       per_day IS NOT NULL AS has_growth, note
FROM meterops.health_sizes($1::int)
ORDER BY array_position(ARRAY['table', 'index', 'partition'], kind), bytes DESC, relname DESC
