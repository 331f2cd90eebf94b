-- console/requeue: requeue the confirmed files with the operator's reason through
-- meterops.requeue_file() (audited there). One statement, so one transaction: if any file
-- is refused, none is requeued. $1 file ids as a bigint[] literal, $2 reason.
SELECT t.file_id, meterops.requeue_file(t.file_id, $2)
FROM unnest($1::bigint[]) WITH ORDINALITY AS t(file_id, n)
ORDER BY t.n
