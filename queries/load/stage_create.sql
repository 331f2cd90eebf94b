-- Session staging table of the correction path: meter-days that already exist in
-- reading_day are COPYed here and merged interval by interval (merge.sql). Columns are
-- spelled out (not LIKE reading_day) so creating it takes no lock on reading_day.
CREATE TEMP TABLE IF NOT EXISTS stage_day (
    meter_id bigint NOT NULL,
    day      date NOT NULL,
    wh       int4[] NOT NULL,
    flags    bytea,
    file_id  bigint NOT NULL
)
