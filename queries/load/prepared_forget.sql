-- After COMMIT PREPARED on their workers: the records of those gids ($1) are done with.
DELETE FROM meterops.load_prepared WHERE gid = ANY ($1::text[])
