-- 001_core: registry, readings, load bookkeeping and audit.
-- Applied by `meterops db migrate` in one transaction; recorded in meterops.schema_migration.

CREATE TABLE meterops.customer (
    customer_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_no   text NOT NULL UNIQUE,
    name         text NOT NULL,
    postcode     text,
    email        text,
    phone        text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE meterops.tariff (
    tariff_id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               text NOT NULL UNIQUE,
    name               text NOT NULL,
    fuel               text NOT NULL CHECK (fuel IN ('elec', 'gas')),
    standing_p_day     numeric(10,4) NOT NULL CHECK (standing_p_day >= 0),
    valid_from         date NOT NULL,
    valid_to           date,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);

-- Time-of-use bands in local (Europe/London) minutes of the day; a flat tariff has one
-- band 0..1440. Economy 7 has a night band and a day band.
CREATE TABLE meterops.tariff_band (
    tariff_id      int NOT NULL REFERENCES meterops.tariff ON DELETE CASCADE,
    band           text NOT NULL,
    start_minute   int NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute     int NOT NULL CHECK (end_minute BETWEEN 1 AND 1440 AND end_minute > start_minute),
    unit_p_kwh     numeric(10,4) NOT NULL CHECK (unit_p_kwh >= 0),
    PRIMARY KEY (tariff_id, start_minute)
);

CREATE TABLE meterops.meter (
    meter_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mpxn              text NOT NULL UNIQUE,
    fuel              text NOT NULL CHECK (fuel IN ('elec', 'gas')),
    interval_minutes  int NOT NULL DEFAULT 30 CHECK (interval_minutes IN (15, 30, 60)),
    customer_id       bigint REFERENCES meterops.customer,
    tariff_id         int REFERENCES meterops.tariff,
    installed_on      date,
    removed_on        date,
    CHECK (removed_on IS NULL OR installed_on IS NULL OR removed_on >= installed_on)
);
CREATE INDEX meter_customer_idx ON meterops.meter (customer_id);

CREATE TABLE meterops.bill (
    bill_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id    bigint NOT NULL REFERENCES meterops.customer,
    period_start   date NOT NULL,
    period_end     date NOT NULL CHECK (period_end >= period_start),
    kwh            numeric(14,3) NOT NULL,
    amount_p       numeric(14,2) NOT NULL,
    issued_on      date NOT NULL,
    UNIQUE (customer_id, period_start)
);

CREATE TABLE meterops.load_job (
    job_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    host          text NOT NULL,
    pid           int NOT NULL,
    db_user       text NOT NULL DEFAULT current_user,
    args          text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed'))
);

-- load_file is the queue. A claimed file carries a lease; an expired lease returns it to
-- the queue (a loader killed mid-file never committed anything for it).
CREATE TABLE meterops.load_file (
    file_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          bigint REFERENCES meterops.load_job,
    path            text NOT NULL,
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes           bigint NOT NULL DEFAULT 0,
    format          text NOT NULL,
    status          text NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'loading', 'loaded', 'rejected', 'failed')),
    rows_total      bigint NOT NULL DEFAULT 0,
    rows_loaded     bigint NOT NULL DEFAULT 0,
    rows_rejected   bigint NOT NULL DEFAULT 0,
    readings_loaded bigint NOT NULL DEFAULT 0,
    progress_rows   bigint NOT NULL DEFAULT 0,
    options         jsonb NOT NULL DEFAULT '{}',
    message         text,
    queued_at       timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    lease_until     timestamptz,
    claimed_by      text,
    attempts        int NOT NULL DEFAULT 0,
    requeues        int NOT NULL DEFAULT 0
);
CREATE INDEX load_file_status_idx ON meterops.load_file (status, queued_at);
CREATE INDEX load_file_sha_idx ON meterops.load_file (sha256);
CREATE INDEX load_file_job_idx ON meterops.load_file (job_id);

CREATE TABLE meterops.load_error (
    file_id      bigint NOT NULL REFERENCES meterops.load_file ON DELETE CASCADE,
    line_no      bigint NOT NULL,
    column_name  text,
    code         text NOT NULL,
    message      text NOT NULL,
    raw          text
);
CREATE INDEX load_error_file_idx ON meterops.load_error (file_id, code, line_no);

CREATE TABLE meterops.audit_log (
    audit_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    db_user    text NOT NULL DEFAULT session_user,
    action     text NOT NULL,
    target     text,
    reason     text,
    detail     jsonb
);

-- One row per meter per UTC day: watt-hours per interval (48 for half-hourly), NULL for a
-- missing interval. flags is NULL when every interval is an actual read, else one byte per
-- interval ('A' actual, 'E' estimated, 'M' missing). Partitioned by month; partitions are
-- made by meterops.ensure_reading_partitions(), never by hand.
CREATE TABLE meterops.reading_day (
    meter_id   bigint NOT NULL,
    day        date NOT NULL,
    wh         int4[] NOT NULL,
    flags      bytea,
    file_id    bigint NOT NULL,
    PRIMARY KEY (meter_id, day)
) PARTITION BY RANGE (day);
