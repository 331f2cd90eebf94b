-- console/session: the limits every console connection runs with, set once after connecting
-- so a slow or locked statement is cancelled by the server instead of holding a view.
-- $1 statement_timeout in ms, $2 lock_timeout in ms (0 = no limit).
SELECT set_config('statement_timeout', $1, false),
       set_config('lock_timeout', $2, false)
