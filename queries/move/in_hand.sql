-- move/in_hand: files a live loader holds on the source (a lapsed lease is no one's).
SELECT count(*) FROM meterops.load_file WHERE status = 'loading' AND lease_until > now()
