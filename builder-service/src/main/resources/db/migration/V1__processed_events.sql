-- Ids of the events this service has already processed: redelivered events are recognised and skipped.
CREATE TABLE processed_event (
    event_id     VARCHAR(64) PRIMARY KEY,
    processed_at TIMESTAMPTZ NOT NULL
);
