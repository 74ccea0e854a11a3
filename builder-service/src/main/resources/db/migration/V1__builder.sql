-- Build jobs (one per change event, also the build history) and the package cache (the outbox tables come from
-- libs/outbox).
CREATE TABLE build_job (
    seq            BIGSERIAL    PRIMARY KEY,
    catalog        VARCHAR(253) NOT NULL,
    event_id       VARCHAR(64)  NOT NULL UNIQUE,
    correlation_id VARCHAR(64)  NOT NULL,
    revision       TEXT         NOT NULL,
    change_event   TEXT         NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    attempts       INTEGER      NOT NULL DEFAULT 0,
    lease_owner    TEXT,
    lease_until    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ  NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    image          TEXT,
    reason         TEXT,
    result         TEXT,
    summary        TEXT
);

CREATE INDEX build_job_open ON build_job (catalog, seq) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX build_job_history ON build_job (catalog, seq DESC);

-- Parsed App Registry packages by source and package; reused while the package's content digest is unchanged.
CREATE TABLE package_cache (
    id           TEXT        PRIMARY KEY,
    digest       TEXT        NOT NULL,
    content      TEXT,
    problem      TEXT,
    problem_kind VARCHAR(32),
    cached_at    TIMESTAMPTZ NOT NULL
);
