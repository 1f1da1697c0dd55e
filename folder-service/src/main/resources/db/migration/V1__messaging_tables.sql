-- Transactional outbox for folder.events (recursive trash): the folder change and its event commit together.
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
