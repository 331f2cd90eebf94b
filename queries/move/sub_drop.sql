-- move/sub_drop: the text of the subscription's removal (it drops its slot on the source).
SELECT format('DROP SUBSCRIPTION IF EXISTS %I', $1::text)
