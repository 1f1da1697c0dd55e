-- Transactional outbox (library `outbox`): a row written in the same transaction as the change it announces; a relay
-- publishes it to Kafka and marks it. Nothing is lost when Kafka is down: the row waits.
--
-- Shipped by the library as the Flyway location `db/outbox` (each producing service lists it in
-- quarkus.flyway.locations) instead of a copy in every service. Why a REPEATABLE migration with IF NOT EXISTS and not
-- a versioned one: every service keeps one version line in its own flyway_schema_history, so a library version would
-- collide with or interleave the service's versions. Databases migrated before the split already hold these tables
-- (the services' former V1__messaging_tables.sql, still in their history): the statements below are no-ops there, and
-- the services tolerate that removed V1 (quarkus.flyway.ignore-migration-patterns=*:future,versioned:missing).
-- Flyway runs this after the versioned migrations and again whenever its text changes, so every statement must stay
-- idempotent (evolve with ALTER TABLE … ADD COLUMN IF NOT EXISTS), and no service migration may need these tables.
CREATE TABLE IF NOT EXISTS outbox_event (
    id           BIGSERIAL PRIMARY KEY,
    topic        VARCHAR(200) NOT NULL,
    event_key    VARCHAR(200) NOT NULL,
    payload      JSONB        NOT NULL,
    headers      JSONB,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;
