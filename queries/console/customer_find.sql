-- console/customer_find: the Customer view's search - one page of the customers REF names
-- (account number, MPAN/MPRN, postcode or name; meterops.customer_find, masked for the
-- support desk, keyset paging, the count capped at 200), each with its fuels and directions
-- (meterops.customer_meters) so customers whose names are masked can be told apart.
-- $1 = REF, $2 = after, $3 = before (account_no of the last / first row shown, or NULL),
-- $4 = page size.
SELECT f.account_no, f.name, f.postcode, f.email, f.phone, f.matched_by, f.meters,
       f.masked, f.matches, f.capped, f.more_before, f.more_after,
       (SELECT string_agg(DISTINCT m.fuel || CASE WHEN m.direction = 'export' THEN '+exp' ELSE '' END, ' ')
        FROM meterops.customer_meters(f.account_no) m) AS fuels
FROM meterops.customer_find($1, $2, $3, $4::int) f
