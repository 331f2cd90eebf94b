-- console/role: what the console may show this login - whether it acts as an operator
-- (meterops_operator, or a superuser) or only as the support desk (meterops_support),
-- so views the role cannot read are hidden instead of failing with permission denied.
SELECT pg_has_role(current_user, 'meterops_operator', 'MEMBER') AS operator,
       pg_has_role(current_user, 'meterops_support', 'MEMBER') AS support
