-- customer/insights: plain-language statements about one account's usage for
-- `meterops customer`; see meterops.customer_insights.
-- $1 = account_no, $2 = first day, $3 = last day.
SELECT i.kind, i.message
FROM meterops.customer_insights($1, $2::date, $3::date) i
