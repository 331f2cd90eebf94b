-- customer/find: `meterops customer REF` - one page of the customers REF names (account
-- number, MPAN/MPRN, postcode or name), masked for the support desk; see
-- meterops.customer_find (keyset paging, the count capped at 200).
-- $1 = REF, $2 = after (account_no of the last row shown, or NULL), $3 = before (account_no
-- of the first row shown, or NULL), $4 = page size.
SELECT f.account_no, f.name, f.postcode, f.email, f.phone, f.matched_by, f.meters,
       f.masked, f.matches, f.capped, f.more_before, f.more_after
FROM meterops.customer_find($1, $2, $3, $4::int) f
