-- Transactional outbox: a row written in the same transaction as the change it announces; a relay publishes it to
-- Kafka and marks it. Nothing is lost when Kafka is down: the row waits.
CREATE TABLE outbox_event (
    id           BIGSERIAL PRIMARY KEY,
    topic        VARCHAR(200) NOT NULL,
    event_key    VARCHAR(200) NOT NULL,
    payload      JSONB        NOT NULL,
    headers      JSONB,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- Idempotent consumers: an event id recorded in the same transaction as its effect is never applied twice.
CREATE TABLE processed_event (
    consumer     VARCHAR(100) NOT NULL,
    event_id     VARCHAR(200) NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
