-- libs/outbox: an event Kafka refuses for good (too large, invalid) is parked with its reason instead of blocking
-- every later event; parked events are listed on GET /outbox/parked and counted in outbox_parked_events.
ALTER TABLE outbox_event ADD COLUMN parked_at TIMESTAMPTZ;
ALTER TABLE outbox_event ADD COLUMN park_reason TEXT;

DROP INDEX outbox_event_unpublished;
CREATE INDEX outbox_event_unpublished ON outbox_event (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_event_parked ON outbox_event (parked_at) WHERE parked_at IS NOT NULL;
