-- move/record: a new move, in state 'starting' (the unique index refuses a second one
-- under way). $6-$8 say what start found missing and so creates.
INSERT INTO meterops.migration (target, publisher, publication, subscription, event_trigger,
                                made_dblink, made_schema, made_roles)
VALUES ($1, $2, $3, $4, $5, $6::boolean, $7::boolean, $8::text[])
RETURNING migration_id
