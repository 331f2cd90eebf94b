-- move/sequences_set: the target's sequences set to the source's values ($1 from
-- move/sequences); returns how many.
SELECT count(setval((s->>'seq')::regclass, (s->>'v')::bigint)) FROM json_array_elements($1::json) s
