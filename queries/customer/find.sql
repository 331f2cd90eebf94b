-- customer/find: `meterops customer REF` - the customers REF names (account number,
-- MPAN/MPRN, postcode or name), masked for the support desk; see meterops.customer_find.
-- $1 = REF.
SELECT f.account_no, f.name, f.postcode, f.email, f.phone, f.matched_by, f.meters,
       f.masked, f.matches
FROM meterops.customer_find($1) f
