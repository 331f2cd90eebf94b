-- session/setup: what every new connection runs before anything else (backend/db.c,
-- db_session_params, says which kind of connection gets which values): $1
-- statement_timeout and $2 lock_timeout in ms (0 = no limit), $3 client_min_messages.
-- NULL keeps what the session started with (the server's, the role's, PGOPTIONS).
SELECT set_config('statement_timeout', coalesce($1, current_setting('statement_timeout')), false),
       set_config('lock_timeout', coalesce($2, current_setting('lock_timeout')), false),
       set_config('client_min_messages', coalesce($3, current_setting('client_min_messages')), false)
