-- console/customer_find: the Customer view's search - the customers REF names (account
-- number, MPAN/MPRN, postcode or name; meterops.customer_find, masked for the support
-- desk, at most 50 rows with the total), each with its fuels and directions
-- (meterops.customer_meters) so customers whose names are masked can be told apart.
-- $1 = REF.
SELECT f.account_no, f.name, f.postcode, f.email, f.phone, f.matched_by, f.meters,
       f.masked, f.matches,
       (SELECT string_agg(DISTINCT m.fuel || CASE WHEN m.direction = 'export' THEN '+exp' ELSE '' END, ' ')
        FROM meterops.customer_meters(f.account_no) m) AS fuels
FROM meterops.customer_find($1) f
