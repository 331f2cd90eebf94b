-- move/pub_tables: the text that takes tables $3 (text[]) out of publication $1 ($2 'DROP')
-- or puts them back ($2 'ADD'); only tables it holds are taken out and only tables it does
-- not hold are put back, so a step half done can be run again. NULL: nothing to do.
SELECT format('ALTER PUBLICATION %I %s TABLE %s', $1::text, $2::text, string_agg(t::regclass::text, ', '))
  FROM unnest($3::text[]) t
 WHERE ($2::text = 'DROP') = EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                                      WHERE p.pubname = $1 AND pr.prrelid = t::regclass)
HAVING count(*) > 0
