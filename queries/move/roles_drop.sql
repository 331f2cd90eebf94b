-- move/roles_drop: the text that drops the roles start created on the target (cluster-wide
-- roles, absent before); NULL when it created none.
SELECT format('DROP ROLE IF EXISTS %s', string_agg(quote_ident(r), ', '))
  FROM unnest($1::text[]) r HAVING count(*) > 0
