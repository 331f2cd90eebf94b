-- move/marker_bump: a new token in the published marker row; the target shows it once it
-- has applied every commit before it.
INSERT INTO meterops.migration_marker AS m (marker_id, token) VALUES (1, 1)
ON CONFLICT (marker_id) DO UPDATE SET token = m.token + 1, at = now()
RETURNING token
