-- move/extensions_missing: of the source's extensions ($1), those the target cannot create.
SELECT n FROM unnest($1::text[]) n
 WHERE n NOT IN (SELECT name FROM pg_available_extensions) ORDER BY n
