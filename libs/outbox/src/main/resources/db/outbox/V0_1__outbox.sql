-- Shared by every service (libs/outbox): the transactional outbox and the ids of events already processed.
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
    chain_previous VARCHAR(64),
    chain_hash     VARCHAR(71)  NOT NULL,
    published_at   TIMESTAMPTZ
);

CREATE INDEX outbox_event_chain ON outbox_event (subject, seq);

CREATE INDEX outbox_event_unpublished ON outbox_event (seq) WHERE published_at IS NULL;

CREATE TABLE processed_event (
    id           VARCHAR(200) PRIMARY KEY,
    consumer     VARCHAR(128) NOT NULL,
    event_id     VARCHAR(64)  NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL
);
