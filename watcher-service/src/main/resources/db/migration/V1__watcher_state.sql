-- Last-seen upstream state per watched catalog (the outbox tables come from libs/outbox).
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
