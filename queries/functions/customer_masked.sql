-- What the support desk may see of a customer: enough to confirm identity on the phone,
-- never the full email or phone number. The view runs with its owner's rights, so support
-- needs no grant on meterops.customer itself.
CREATE OR REPLACE VIEW meterops.customer_masked AS
SELECT c.customer_id,
       c.account_no,
       left(c.name, 1) || repeat('*', greatest(length(c.name) - 1, 0)) AS name,
       regexp_replace(coalesce(c.postcode, ''), '\s*\S{3}$', ' ***') AS postcode,
       CASE WHEN c.email IS NULL THEN NULL
            ELSE left(c.email, 1) || '***@' || split_part(c.email, '@', 2) END AS email,
       CASE WHEN c.phone IS NULL THEN NULL
            ELSE repeat('*', greatest(length(c.phone) - 3, 0)) || right(c.phone, 3) END AS phone
FROM meterops.customer c;
GRANT SELECT ON meterops.customer_masked TO meterops_support, meterops_operator;
