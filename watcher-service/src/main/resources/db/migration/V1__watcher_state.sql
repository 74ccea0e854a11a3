-- Last-seen upstream state per watched catalog, and the transactional outbox of events to publish.
CREATE TABLE watched_catalog (
    name                 VARCHAR(253) PRIMARY KEY,
    source_type          VARCHAR(32)  NOT NULL,
    source_location      TEXT         NOT NULL,
    revision             TEXT,
    snapshot             TEXT,
    last_poll_at         TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_change_at       TIMESTAMPTZ,
    last_error           TEXT,
    last_error_at        TIMESTAMPTZ,
    consecutive_failures INTEGER      NOT NULL DEFAULT 0,
    version              BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE outbox_event (
    seq            BIGSERIAL PRIMARY KEY,
    id             VARCHAR(64)  NOT NULL UNIQUE,
    topic          VARCHAR(249) NOT NULL,
    event_key      TEXT         NOT NULL,
    type           TEXT         NOT NULL,
    source         TEXT         NOT NULL,
    subject        TEXT         NOT NULL,
    time           TIMESTAMPTZ  NOT NULL,
    correlation_id VARCHAR(64)  NOT NULL,
    causation_id   VARCHAR(64),
    payload        TEXT         NOT NULL,
    published_at   TIMESTAMPTZ
);

CREATE INDEX outbox_event_unpublished ON outbox_event (seq) WHERE published_at IS NULL;
