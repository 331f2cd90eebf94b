-- The support desk's way in: find a customer, list its meters. SECURITY DEFINER so that
-- meterops_support, which holds no table right at all, can call them; what they return is
-- what support may see. Applied after customer_masked.sql (the masking they reuse).

-- customer_find: customers matching ref by
--   account_no  exactly (spaces around ref ignored),
--   mpxn        exactly, any meter the customer has or had (spaces ignored; a 21-digit full
--               MPAN matches by its 13-digit core, as the registry stores it),
--   postcode    case and spaces ignored ("sw1a1aa" finds "SW1A 1AA"), operators only,
--   name        case-insensitive substring, when ref has at least 3 characters, operators
--               only: first the names that start with ref, then those whose last word
--               does (a surname), then those that contain it elsewhere.
-- The support desk (masked) searches by the two identifiers only, which it sees in full
-- anyway. A search by a field it sees masked answers "is this the hidden value?", and
-- asking often enough recovers it: the 6,760 inward codes of an outward code find a
-- customer's full postcode in seconds, and an exact full name is the same oracle over a
-- list of names of the masked length and initial. So postcode and name find nothing for
-- support, not even exactly (tests/integration/roles.sh tries the enumerations).
-- A customer matching several ways is listed once, by its strongest match (the order
-- above).
--
-- One page at a time (issue 11, "Speed"): the matches in the order (strength, lower(name),
-- account_no) - strength 1 to 3 the identifiers, 4 a name starting with ref, 5 a name
-- whose last word starts with it (ordered by that word first: phone-book order), 6 a name
-- containing it elsewhere; names in code point order (COLLATE "C"); account_no is unique,
-- so equal names have a fixed order - page_size of them (1..200, default 50):
--   after   the account_no of the last row shown: the page that follows it;
--   before  the account_no of the first row shown: the page that precedes it (rows still in
--           the order above); neither: the first page. Keyset paging, never OFFSET: a page
--           costs the same wherever it is. A cursor that no longer matches (renamed) still
--           pages from its place in the order.
-- matches counts the matches up to customer_find_cap (200); capped says there are more,
-- and then matches is 200 ("200+ matches, refine"): an exact count of a common surname
-- would read every match from the heap. more_before / more_after say whether a page lies
-- that way.
-- How a name page is found:
--   - Names starting with ref are one range of customer_name_order_idx (023), read in
--     order and index only: a first name ("Olivia", 58,000 of 2.4M) or a full name
--     ("Olivia Smith") is a page, and most often the capped count, at once. Names whose
--     last word starts with ref are one range of customer_name_last_idx (024): a surname
--     ("Smith", 35,000) the same.
--   - Names containing ref elsewhere: the trigram index gives them, up to customer_find_few
--     (2,500); that many are read from the heap, counted and sorted (a rare name: all of
--     them, at once). Beyond that, or at once where the planner expects ref to match more
--     than 10,000 (a fragment of many names, "son"), the page is read by walking
--     customer_name_order_idx from the cursor, in display order and index only, testing
--     each name, for 16 entries per match the planner expects (10,000 to 400,000; its
--     statistics on name sample 1000 histogram bounds, 023); the walk then counts on from
--     the page's last row to the cap, for twice the entries the planner's density gives,
--     so matches spread through the order never read the trigram index; matches that sit
--     together further on are counted through it. Where the
--     walk does not fill the page, every match is read through the trigram index, counted
--     and sorted; that is the cost of a fragment found only inside names that sort
--     together ("livia", 200 ms at 2.4M customers).
-- Personal data comes back through meterops.customer_masked (the one masking rule) unless
-- the session user is a member of meterops_operator (session_user, because inside a
-- SECURITY DEFINER function current_user is the owner); masked says which.
-- customer_name_matches_expected: how many customers the planner expects a name pattern
-- (ILIKE) to match, from the statistics: what customer_find's walk of the name index may
-- cost. VOLATILE because EXPLAIN may run in no other function; it reads nothing else.
CREATE OR REPLACE FUNCTION meterops.customer_name_matches_expected(pattern text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, meterops SET jit = off AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM meterops.customer c WHERE c.name ILIKE $1' INTO plan USING pattern;
    RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
END
$$;
REVOKE ALL ON FUNCTION meterops.customer_name_matches_expected(text) FROM PUBLIC;

DROP FUNCTION IF EXISTS meterops.customer_find(text);
DROP FUNCTION IF EXISTS meterops.customer_find(text, text, text, int);
CREATE FUNCTION meterops.customer_find(ref text, after text DEFAULT NULL, before text DEFAULT NULL,
                                       page_size int DEFAULT 50)
RETURNS TABLE (account_no text, name text, postcode text, email text, phone text,
               matched_by text, meters int, masked boolean, matches int, capped boolean,
               more_before boolean, more_after boolean)
-- ROWS and jit = off: see usage_cost.sql.
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
SET search_path = pg_catalog, meterops SET jit = off AS $$
#variable_conflict use_column
DECLARE
    customer_find_cap CONSTANT int := 200;
    customer_find_walk CONSTANT int := 10000;
    customer_find_walk_max CONSTANT int := 400000;
    customer_find_walk_first CONSTANT int := 10000;
    customer_find_few CONSTANT int := 2500;
    v_ref text := btrim(customer_find.ref);
    v_compact text := upper(regexp_replace(customer_find.ref, '\s', '', 'g'));
    v_masked boolean := NOT pg_has_role(session_user, 'meterops_operator', 'MEMBER');
    v_page int := least(greatest(coalesce(customer_find.page_size, 50), 1), 200);
    v_back boolean := customer_find.before IS NOT NULL;
    v_cursor text := coalesce(customer_find.before, customer_find.after);
    v_dir text := CASE WHEN customer_find.before IS NOT NULL THEN 'DESC' ELSE 'ASC' END;
    v_op text := CASE WHEN customer_find.before IS NOT NULL THEN '<' ELSE '>' END;
    v_pat text;          -- ILIKE: contains ref
    v_lref text;         -- lower(ref): a name starting with it is of strength 4
    v_lref_next text;    -- the least text after every one starting with v_lref, code point order
    v_last int;
    -- SQL on a customer c: its lower-cased name, and the last word of it as
    -- customer_name_last_idx (024) holds it, both in code point order
    c_lname CONSTANT text := '(lower(c.name) COLLATE "C")';
    c_last CONSTANT text := '(regexp_replace(lower(c.name), ''^.* '', '''') COLLATE "C")';
    -- SQL: how many of one kind of name match, up to $6
    c_count CONSTANT text := 'SELECT count(*) FROM (SELECT 1 FROM meterops.customer c
                                                    WHERE %s AND c.customer_id <> ALL ($5) LIMIT $6) x';
    v_range text;        -- SQL: %1$s starts with ref ($1, its successor $2): a range of it
    v_starts text;       -- SQL: the name of c starts with ref
    v_ids bigint[];      -- account, mpxn and postcode matches
    v_strength int[];
    v_how text[];
    v_target int := 0;   -- name matches to count: what the cap needs beyond the strong ones
    v_names4 int := 0;   -- names starting with ref, counted up to v_target
    v_names5 int := 0;   -- names whose last word starts with ref, up to what the cap needs
    v_names6 int := 0;   -- names containing it elsewhere, counted up to what the cap needs
    v_need6 int := 0;
    v_want int := 0;     -- name rows this page needs (one more than a page tells whether there
    v_want6 int := 0;    -- is more that way)
    v_rows4 bigint[] := '{}';
    v_rows5 bigint[] := '{}';
    v_rows6 bigint[] := '{}';
    v_lasts text;        -- SQL: the last word of c's name starts with ref, and the name does not
    v_elsewhere text;    -- SQL: neither
    v_none bigint[];
    v_expected bigint;
    v_walk int;
    v_walked bigint;
    v_bound6 text;
    v_walk_sql text;
    v_last_name text;
    v_last_acct text;
    v_more bigint[];
    v_goal int;
    v_sql4 text;        -- names starting with ref beyond the cursor, in order
    v_sql5 text;        -- names whose last word starts with ref beyond the cursor, in order
    v_sql6 text;        -- names containing it elsewhere: trigram index, count and page
    v_total int;
    -- the cursor's sort key; ('', '') of strength 0 (forward) or 7 (back) is "from the end"
    k_strength int;
    k_last text := '';   -- its last word (strength 5)
    k_name text := '';
    k_acct text := '';
    v_strong_rows bigint[];
    v_name_rows bigint[] := '{}';
    v_rows bigint[];     -- the page's customers, nearest the cursor first
    v_got int;
BEGIN
    IF NOT v_masked AND length(v_ref) >= 3 THEN
        v_pat := '%' || replace(replace(replace(v_ref, '\', '\\'), '%', '\%'), '_', '\_') || '%';
        v_lref := lower(v_ref);
        -- the last character's successor (past the surrogates; none after U+10FFFF)
        v_last := ascii(right(v_lref, 1));
        v_lref_next := CASE WHEN v_last < 1114111
                            THEN left(v_lref, -1) || chr(CASE WHEN v_last = 55295 THEN 57344 ELSE v_last + 1 END) END;
        v_range := CASE WHEN v_lref_next IS NULL THEN '%1$s >= $1 AND left(%1$s, length($1)) = $1'
                        ELSE '%1$s >= $1 AND %1$s < $2' END;
        v_starts := format(v_range, c_lname);
        v_lasts := format(v_range, c_last) || ' AND NOT (' || v_starts || ')';
        v_elsewhere := 'NOT (' || v_starts || ') AND NOT (' || format(v_range, c_last) || ')';
    END IF;

    SELECT coalesce(array_agg(b.customer_id ORDER BY b.customer_id), '{}'),
           coalesce(array_agg(b.strength ORDER BY b.customer_id), '{}'),
           coalesce(array_agg(b.matched_by ORDER BY b.customer_id), '{}')
      INTO v_ids, v_strength, v_how
    FROM (SELECT DISTINCT ON (h.customer_id) h.customer_id, h.strength, h.matched_by
          FROM (SELECT c.customer_id, 1 AS strength, 'account_no' AS matched_by
                FROM meterops.customer c WHERE c.account_no = v_ref
                UNION ALL
                SELECT m.customer_id, 2, 'mpxn'
                FROM meterops.meter m
                WHERE v_compact ~ '^[0-9]{6,21}$'
                  AND m.mpxn = CASE WHEN length(v_compact) = 21 THEN right(v_compact, 13) ELSE v_compact END
                  AND m.customer_id IS NOT NULL
                UNION ALL
                SELECT c.customer_id, 3, 'postcode'
                FROM meterops.customer c
                WHERE NOT v_masked AND upper(replace(c.postcode, ' ', '')) = v_compact) h
          ORDER BY h.customer_id, h.strength) b;

    k_strength := CASE WHEN v_back THEN 7 ELSE 0 END;
    IF v_cursor IS NOT NULL THEN
        SELECT coalesce(v_strength[array_position(v_ids, c.customer_id)],
                        CASE WHEN left(lower(c.name), length(v_lref)) = v_lref THEN 4
                             WHEN left(regexp_replace(lower(c.name), '^.* ', ''), length(v_lref)) = v_lref THEN 5
                             ELSE 6 END),
               regexp_replace(lower(c.name), '^.* ', ''), lower(c.name), c.account_no
          INTO k_strength, k_last, k_name, k_acct
        FROM meterops.customer c WHERE c.account_no = v_cursor;
        IF NOT FOUND THEN  -- gone: page from the end again
            k_strength := CASE WHEN v_back THEN 7 ELSE 0 END; k_last := ''; k_name := ''; k_acct := '';
        END IF;
    END IF;

    -- the strong matches beyond the cursor, in the direction of paging
    SELECT coalesce(array_agg(x.customer_id ORDER BY x.rn), '{}') INTO v_strong_rows
    FROM (SELECT s.customer_id,
                 row_number() OVER (ORDER BY CASE WHEN v_back THEN -s.strength ELSE s.strength END,
                                             CASE WHEN NOT v_back THEN lower(c.name) COLLATE "C" END,
                                             CASE WHEN NOT v_back THEN c.account_no END,
                                             CASE WHEN v_back THEN lower(c.name) COLLATE "C" END DESC,
                                             CASE WHEN v_back THEN c.account_no END DESC) AS rn
          FROM unnest(v_ids, v_strength) s(customer_id, strength)
          JOIN meterops.customer c ON c.customer_id = s.customer_id
          WHERE CASE WHEN v_back
                     THEN (s.strength, lower(c.name) COLLATE "C", c.account_no) < (k_strength, k_name, k_acct)
                     ELSE (s.strength, lower(c.name) COLLATE "C", c.account_no) > (k_strength, k_name, k_acct) END) x
    WHERE x.rn <= v_page + 1;

    -- The name matches beyond the cursor (after all strong ones: those starting with ref,
    -- those whose last word does, then the others), and how many there are. Dynamic SQL,
    -- planned with the values each time (direction, bounds, pattern); the same parameters
    -- throughout: $1 lower(ref), $2 its successor, $3 $4 the cursor's name and account, $5
    -- the strong matches, $6 and $8 limits, $7 the pattern, $9 the cursor's last word.
    IF v_pat IS NOT NULL THEN
        v_target := greatest(customer_find_cap + 1 - cardinality(v_ids), 0);
        v_want := CASE WHEN v_back THEN CASE WHEN k_strength >= 4 THEN v_page + 1 ELSE 0 END
                       WHEN cardinality(v_strong_rows) <= v_page THEN v_page + 1 - cardinality(v_strong_rows)
                       ELSE 0 END;
        -- names starting with ref: those on this page (forward, before the others; back, after
        -- them, below) and how many, up to the cap
        IF v_target > 0 THEN
            EXECUTE format(c_count, v_starts)
              INTO v_names4 USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_target;
        END IF;
        v_sql4 := format('SELECT coalesce(array_agg(x.customer_id ORDER BY x.lname %1$s, x.account_no %1$s), ''{}'')
                         FROM (SELECT c.customer_id, %4$s AS lname, c.account_no
                               FROM meterops.customer c
                               WHERE %2$s AND %3$s AND c.customer_id <> ALL ($5)
                               ORDER BY %4$s %1$s, c.account_no %1$s LIMIT $6) x',
                        v_dir, v_starts,
                        CASE WHEN k_strength = 4 THEN format('(%s, c.account_no) %s ($3, $4)', c_lname, v_op)
                             ELSE 'true' END,
                        c_lname);
        IF NOT v_back AND k_strength <= 4 AND v_want > 0 THEN
            EXECUTE v_sql4 INTO v_rows4 USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_want;
        END IF;
        -- names whose last word starts with ref (a surname: phone-book order, by that word,
        -- then the name): one range of customer_name_last_idx, like the above
        IF v_target > v_names4 THEN
            EXECUTE format(c_count, v_lasts)
              INTO v_names5 USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_target - v_names4;
        END IF;
        v_sql5 := format('SELECT coalesce(array_agg(x.customer_id ORDER BY x.last %1$s, x.lname %1$s, x.account_no %1$s), ''{}'')
                         FROM (SELECT c.customer_id, %5$s AS last, %4$s AS lname, c.account_no
                               FROM meterops.customer c
                               WHERE %2$s AND %3$s AND c.customer_id <> ALL ($5)
                               ORDER BY %5$s %1$s, %4$s %1$s, c.account_no %1$s LIMIT $6) x',
                        v_dir, v_lasts,
                        CASE WHEN k_strength = 5 THEN format('(%s, %s, c.account_no) %s ($9, $3, $4)', c_last, c_lname, v_op)
                             ELSE 'true' END,
                        c_lname, c_last);
        IF NOT v_back AND k_strength <= 5 AND v_want > cardinality(v_rows4) THEN
            EXECUTE v_sql5 INTO v_rows5
              USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_want - cardinality(v_rows4), v_pat, 0, k_last;
        END IF;
        -- names containing ref elsewhere: the rows this page still needs, and the count if
        -- those above did not reach the cap
        v_want6 := CASE WHEN v_back THEN CASE WHEN k_strength >= 6 THEN v_want ELSE 0 END
                        WHEN k_strength <= 6 THEN v_want - cardinality(v_rows4) - cardinality(v_rows5)
                        ELSE 0 END;
        v_need6 := v_target - v_names4 - v_names5;
        IF v_want6 > 0 OR v_need6 > 0 THEN
            v_sql6 := format('WITH m AS MATERIALIZED (
                                 SELECT c.customer_id, %4$s AS lname, c.account_no
                                 FROM meterops.customer c
                                 WHERE c.name ILIKE $7 AND %3$s AND c.customer_id <> ALL ($5)
                                 LIMIT $6)
                             SELECT (SELECT count(*) FROM m),
                                    ARRAY(SELECT m.customer_id FROM m WHERE %1$s
                                          ORDER BY m.lname %2$s, m.account_no %2$s LIMIT $8)',
                            CASE WHEN k_strength = 6 THEN format('(m.lname, m.account_no) %s ($3, $4)', v_op)
                                 ELSE 'true' END, v_dir, v_elsewhere, c_lname);
            IF v_want6 = 0 THEN
                -- this page shows none: only how many
                EXECUTE v_sql6 INTO v_names6, v_rows6
                  USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_need6, v_pat, 0;
            ELSE
                -- How far a walk of the name index may go: 16 entries for each match the
                -- planner expects (an entry walked costs about a sixteenth of a match read
                -- from the heap, so a walk that finds nothing costs about what reading them
                -- all does), within customer_find_walk .. customer_find_walk_max (the
                -- setting meterops.customer_find_walk_max overrides the latter: tests,
                -- tuning). Expected to match more than customer_find_walk_first (a common
                -- surname): the walk first, not the first 2,500 matches.
                -- (Not under Citus: its EXPLAIN of a Citus-local table runs over a
                -- connection, which a transaction that read one by local execution may
                -- not do. There the walk is customer_find_walk long and comes only after
                -- 2,500 matches.)
                -- (Nor for a search with a digit, an identifier or a postcode: names rarely
                -- hold one, and the estimate costs 2 ms of statistics.)
                v_expected := CASE WHEN v_ref ~ '[0-9]' OR EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN 0
                                   ELSE meterops.customer_name_matches_expected(v_pat) END;
                v_walk := least(coalesce(nullif(current_setting('meterops.customer_find_walk_max', true), '')::int,
                                         customer_find_walk_max),
                                greatest(customer_find_walk, 16 * v_expected))::int;
                v_names6 := customer_find_few + 1;
                IF v_expected <= customer_find_walk_first THEN
                    EXECUTE v_sql6 INTO v_names6, v_rows6
                      USING v_lref, v_lref_next, k_name, k_acct, v_ids, customer_find_few + 1, v_pat, v_want6;
                END IF;
                IF v_names6 > customer_find_few THEN
                    -- many: walk the name index from the cursor, in the page's direction,
                    -- for the page's rows (lower(name) LIKE lower(pattern) is what ILIKE does
                    -- in a multibyte encoding; a name starting with ref is one range of
                    -- lname, in "C")
                    v_bound6 := CASE WHEN k_strength = 6 THEN format('(%s, c.account_no) %s ($3, $4)', c_lname, v_op)
                                     ELSE 'true' END;
                    v_walk_sql := format('SELECT ARRAY(SELECT w.customer_id
                                                      FROM (SELECT c.customer_id, c.name, %3$s AS lname, c.account_no
                                                            FROM meterops.customer c WHERE %%s
                                                            ORDER BY %3$s %1$s, c.account_no %1$s LIMIT $8) w
                                                      WHERE w.lname LIKE lower($7) AND %2$s AND w.customer_id <> ALL ($5)
                                                      ORDER BY w.lname %1$s, w.account_no %1$s LIMIT $6)',
                                         v_dir, replace(v_elsewhere, 'c.name', 'w.name'), c_lname);
                    v_goal := greatest(v_want6, v_need6);
                    EXECUTE format(v_walk_sql, v_bound6) INTO v_rows6
                      USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_want6, v_pat, v_walk;
                    IF cardinality(v_rows6) = v_want6 AND v_need6 > v_want6 THEN
                        -- the count: on from the page's last row, for twice the entries the
                        -- matches still needed take at the density the planner expects (a
                        -- common surname's matches are spread through the order); matches
                        -- that sit together further on are counted through the trigram
                        -- index (below)
                        SELECT lower(c.name), c.account_no INTO v_last_name, v_last_acct
                        FROM meterops.customer c WHERE c.customer_id = v_rows6[v_want6];
                        EXECUTE format(v_walk_sql, format('(%s, c.account_no) %s ($3, $4)', c_lname, v_op))
                          INTO v_more
                          USING v_lref, v_lref_next, v_last_name, v_last_acct, v_ids, v_need6 - v_want6, v_pat,
                                least(v_walk, 2 * (v_need6 - v_want6)
                                              * (SELECT greatest(c.reltuples, 1) FROM pg_class c
                                                 WHERE c.oid = 'meterops.customer'::regclass)
                                              / greatest(v_expected, 1))::int;
                        v_rows6 := v_rows6 || v_more;
                    END IF;
                    v_names6 := cardinality(v_rows6);
                    v_rows6 := v_rows6[1:v_want6];
                    IF v_names6 >= v_goal THEN
                        NULL;  -- the page and the cap's count
                    ELSIF v_names6 >= v_want6 THEN
                        -- the page: the count from the trigram index
                        EXECUTE v_sql6 INTO v_names6, v_none
                          USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_need6, v_pat, 0;
                    ELSE
                        -- not filled: the walk ran out of the index (then that side is all)
                        -- or of its length
                        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM meterops.customer c WHERE %2$s
                                                              ORDER BY %3$s %1$s, c.account_no %1$s
                                                              LIMIT $8) x', v_dir, v_bound6, c_lname)
                          INTO v_walked USING v_lref, v_lref_next, k_name, k_acct, v_ids, 0, v_pat, v_walk;
                        IF v_walked >= v_walk THEN
                            -- its length: every match, counted and sorted
                            EXECUTE v_sql6 INTO v_names6, v_rows6
                              USING v_lref, v_lref_next, k_name, k_acct, v_ids, NULL::int, v_pat, v_want6;
                        ELSIF k_strength = 6 THEN
                            -- the index's end, from the cursor: the count needs the other side
                            EXECUTE v_sql6 INTO v_names6, v_none
                              USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_need6, v_pat, 0;
                        END IF;
                    END IF;
                END IF;
            END IF;
        END IF;
        IF v_back AND k_strength >= 5 AND cardinality(v_rows6) < v_want THEN
            EXECUTE v_sql5 INTO v_rows5
              USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_want - cardinality(v_rows6), v_pat, 0, k_last;
        END IF;
        IF v_back AND k_strength >= 4 AND cardinality(v_rows6) + cardinality(v_rows5) < v_want THEN
            EXECUTE v_sql4 INTO v_rows4
              USING v_lref, v_lref_next, k_name, k_acct, v_ids, v_want - cardinality(v_rows6) - cardinality(v_rows5);
        END IF;
        v_name_rows := CASE WHEN v_back THEN v_rows6 || v_rows5 || v_rows4 ELSE v_rows4 || v_rows5 || v_rows6 END;
    END IF;
    v_total := cardinality(v_ids) + v_names4 + v_names5 + v_names6;
    v_rows := CASE WHEN v_back THEN v_name_rows || v_strong_rows ELSE v_strong_rows || v_name_rows END;
    v_rows := v_rows[1:v_page + 1];

    v_got := cardinality(v_rows);
    RETURN QUERY
    SELECT c.account_no,
           CASE WHEN v_masked THEN k.name ELSE c.name END,
           CASE WHEN v_masked THEN k.postcode ELSE c.postcode END,
           CASE WHEN v_masked THEN k.email ELSE c.email END,
           CASE WHEN v_masked THEN k.phone ELSE c.phone END,
           coalesce(v_how[array_position(v_ids, c.customer_id)], 'name'),
           (SELECT count(*) FROM meterops.meter m WHERE m.customer_id = c.customer_id)::int,
           v_masked,
           least(v_total, customer_find_cap),
           v_total > customer_find_cap,
           CASE WHEN v_back THEN v_got > v_page ELSE v_cursor IS NOT NULL END,
           CASE WHEN v_back THEN v_cursor IS NOT NULL ELSE v_got > v_page END
    FROM unnest(v_rows[1:v_page]) WITH ORDINALITY r(customer_id, n)
    JOIN meterops.customer c ON c.customer_id = r.customer_id
    JOIN meterops.customer_masked k ON k.customer_id = r.customer_id
    ORDER BY CASE WHEN v_back THEN -r.n ELSE r.n END;
END
$$;
REVOKE ALL ON FUNCTION meterops.customer_find(text, text, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_find(text, text, text, int) TO meterops_support, meterops_operator;

-- customer_meters: the meters of one account, those in service first, electricity before
-- gas, import before export, with the tariff each is on and its direction. No rows for an unknown account.
-- direction (018) changed the result's columns, which CREATE OR REPLACE cannot do.
DROP FUNCTION IF EXISTS meterops.customer_meters(text);
CREATE OR REPLACE FUNCTION meterops.customer_meters(account_no text)
RETURNS TABLE (mpxn text, fuel text, interval_minutes int, tariff_code text, tariff_name text,
               installed_on date, removed_on date, direction text)
-- ROWS and jit = off: see usage_cost.sql.
LANGUAGE sql STABLE SECURITY DEFINER ROWS 3
SET search_path = pg_catalog, meterops SET jit = off AS $$
    SELECT m.mpxn, m.fuel, m.interval_minutes, t.code, t.name, m.installed_on, m.removed_on,
           m.direction
    FROM meterops.customer c
    JOIN meterops.meter m ON m.customer_id = c.customer_id
    LEFT JOIN meterops.tariff t ON t.tariff_id = m.tariff_id
    WHERE c.account_no = customer_meters.account_no
    ORDER BY m.removed_on IS NOT NULL, m.fuel, m.direction = 'export', m.mpxn
$$;
REVOKE ALL ON FUNCTION meterops.customer_meters(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meterops.customer_meters(text) TO meterops_support, meterops_operator;
