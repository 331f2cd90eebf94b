-- move/pub_missing: the tables the move carries that publication $1 does not (a resync
-- stopped between taking a table out and putting it back), space separated.
SELECT string_agg(format('%I.%I', n.nspname, c.relname), ' ' ORDER BY c.relname)
  FROM meterops.migration_tables() t
  JOIN pg_class c ON c.oid = t
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                    WHERE p.pubname = $1 AND pr.prrelid = t)
