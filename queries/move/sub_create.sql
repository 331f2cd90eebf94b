-- move/sub_create: the text of the subscription's DDL, run on the target: binary COPY and
-- streaming of large transactions (a file's load is one transaction).
SELECT format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION %I WITH (binary = true, streaming = on)',
              $1::text, $2::text, $3::text)
