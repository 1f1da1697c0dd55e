-- Idempotent consumers (library `inbox`): an event id recorded in the same transaction as its effect is never applied
-- twice. ProcessedEventPurge deletes rows older than filehost.inbox.retention (by processed_at, hence the index).
--
-- Shipped by the library as the Flyway location `db/inbox` (each consuming service lists it in
-- quarkus.flyway.locations) instead of a copy in every service. Why a REPEATABLE migration with IF NOT EXISTS and not
-- a versioned one: every service keeps one version line in its own flyway_schema_history, so a library version would
-- collide with or interleave the service's versions. Databases migrated before the split already hold the table (the
-- services' former V1__messaging_tables.sql / V1__processed_event.sql, still in their history): CREATE TABLE is a
-- no-op there, and the services tolerate that removed V1 (quarkus.flyway.ignore-migration-patterns=*:future,
-- versioned:missing). Flyway runs this after the versioned migrations and again whenever its text changes, so every
-- statement must stay idempotent, and no service migration may need this table.
CREATE TABLE IF NOT EXISTS processed_event (
    consumer     VARCHAR(100) NOT NULL,
    event_id     VARCHAR(200) NOT NULL,
    processed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_event_processed_at ON processed_event (processed_at);
