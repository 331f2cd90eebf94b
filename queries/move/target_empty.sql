-- move/target_empty: the text that empties tables $1 (text[]) on the target before their
-- copy is made again. A table another references is emptied by DELETE with the foreign-key
-- triggers off (session_replication_role = replica, as the apply worker runs), since
-- TRUNCATE refuses it; the others, reading_day among them, by TRUNCATE.
SELECT format('DO %L', 'BEGIN PERFORM set_config(''session_replication_role'', ''replica'', true); '
              || string_agg(CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k
                                               WHERE k.contype = 'f' AND k.confrelid = t::regclass
                                                 AND k.conrelid <> t::regclass)
                                 THEN format('DELETE FROM %s; ', t::regclass)
                                 ELSE format('TRUNCATE %s; ', t::regclass) END, '')
              || 'END')
  FROM unnest($1::text[]) t
