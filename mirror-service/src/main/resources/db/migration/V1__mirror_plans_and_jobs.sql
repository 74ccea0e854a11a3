-- Mirror plans (one per built catalog image event), their jobs (one per image), and where blobs went.
-- The outbox and processed_event tables come from libs/outbox (db/outbox).
CREATE TABLE mirror_plan (
    id                   VARCHAR(64)  PRIMARY KEY,
    catalog              VARCHAR(253) NOT NULL,
    source_catalog_image TEXT         NOT NULL,
    catalog_target       TEXT         NOT NULL,
    cause_event_id       VARCHAR(64)  NOT NULL,
    correlation_id       VARCHAR(64)  NOT NULL,
    mapping              TEXT         NOT NULL,
    icsp                 TEXT         NOT NULL,
    idms                 TEXT         NOT NULL,
    rejected             TEXT         NOT NULL,
    images               INTEGER      NOT NULL,
    state                VARCHAR(16)  NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    completed_at         TIMESTAMPTZ
);

CREATE INDEX mirror_plan_catalog ON mirror_plan (catalog, created_at);

-- state: PLANNED (row written by the planner) -> QUEUED (its mirror.jobs request arrived) -> RUNNING (leased)
--        -> DONE | FAILED; a retryable failure goes back to QUEUED with not_before.
-- result: what the tracker read from mirror.results (null until then).
CREATE TABLE mirror_job (
    plan_id          VARCHAR(64)  NOT NULL,
    source           TEXT         NOT NULL,
    target           TEXT         NOT NULL,
    catalog          VARCHAR(253) NOT NULL,
    catalog_image    BOOLEAN      NOT NULL DEFAULT FALSE,
    state            VARCHAR(16)  NOT NULL,
    request_event_id VARCHAR(64),
    correlation_id   VARCHAR(64),
    received_by      TEXT,
    queued_at        TIMESTAMPTZ,
    not_before       TIMESTAMPTZ,
    leased_by        TEXT,
    lease_until      TIMESTAMPTZ,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    worker           TEXT,
    digest           TEXT,
    error            TEXT,
    bytes_copied     BIGINT       NOT NULL DEFAULT 0,
    blobs_copied     INTEGER      NOT NULL DEFAULT 0,
    blobs_skipped    INTEGER      NOT NULL DEFAULT 0,
    blobs_mounted    INTEGER      NOT NULL DEFAULT 0,
    manifests        INTEGER      NOT NULL DEFAULT 0,
    duration_ms      BIGINT       NOT NULL DEFAULT 0,
    finished_at      TIMESTAMPTZ,
    result           VARCHAR(16),
    PRIMARY KEY (plan_id, source)
);

CREATE INDEX mirror_job_runnable ON mirror_job (state, not_before) WHERE state IN ('QUEUED', 'RUNNING');

-- Every blob placed in a target repository (copied, mounted, or found there): where to mount from, and the
-- per-blob statistics that show a blob was never copied twice.
CREATE TABLE mirror_blob (
    seq        BIGSERIAL   PRIMARY KEY,
    registry   TEXT        NOT NULL,
    repository TEXT        NOT NULL,
    digest     VARCHAR(71) NOT NULL,
    placement  VARCHAR(8)  NOT NULL,
    bytes      BIGINT      NOT NULL,
    worker     TEXT        NOT NULL,
    placed_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX mirror_blob_lookup ON mirror_blob (registry, digest);
