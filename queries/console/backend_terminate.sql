-- console/backend_terminate: ends a session through meterops.terminate_backend()
-- (operator only; audited there with the reason). $1 pid, $2 reason.
SELECT meterops.terminate_backend($1::int, $2)
