-- move/pub_drop: the text of the publication's removal.
SELECT format('DROP PUBLICATION IF EXISTS %I', $1::text)
