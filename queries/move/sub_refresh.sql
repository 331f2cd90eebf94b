-- move/sub_refresh: the text that makes subscription $1 follow its publication's tables:
-- a table taken out stops being applied (its sync worker and slot removed), a table put
-- back is copied whole when $2 is true.
SELECT format('ALTER SUBSCRIPTION %I REFRESH PUBLICATION WITH (copy_data = %s)', $1::text,
              CASE WHEN $2::boolean THEN 'true' ELSE 'false' END)
