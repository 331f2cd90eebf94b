-- move/delta_keys_table: where cutover keeps, for its own session, the reading_day keys
-- commits changed, by the verify round after which it read them (a row with no key: a
-- change that names none, such as a TRUNCATE, which makes the partition verified whole).
CREATE TEMP TABLE IF NOT EXISTS move_delta_keys (
    round    int NOT NULL,
    relation text NOT NULL,
    meter_id bigint,
    day      date
)
