-- console/backend_cancel: cancels a session's query through meterops.cancel_backend()
-- (operator only; audited there with the reason). $1 pid, $2 reason.
SELECT meterops.cancel_backend($1::int, $2)
