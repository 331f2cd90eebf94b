-- In the file's transaction on the coordinator, just before COMMIT: the gids of the
-- file's prepared transactions on the workers. This row committing is what commits them.
INSERT INTO meterops.load_prepared (gid, file_id, attempt, node_host, node_port)
SELECT g, $1::bigint, $2::int, h, p
FROM unnest($3::text[], $4::text[], $5::int[]) AS t(g, h, p)
