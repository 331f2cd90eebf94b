-- move/evt_drop: the text of the event trigger's removal.
SELECT format('DROP EVENT TRIGGER IF EXISTS %I', $1::text)
