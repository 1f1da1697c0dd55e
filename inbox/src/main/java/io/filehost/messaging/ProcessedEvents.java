package io.filehost.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The idempotent-consumer log: record an event id in the same transaction as the event's effect, and apply the
 * effect only when the record is new. A redelivered event (Kafka is at-least-once) then changes nothing. The table
 * {@code processed_event(consumer, event_id, processed_at)} comes with this library (Flyway location {@code db/inbox},
 * listed in each consuming service's {@code quarkus.flyway.locations}); {@link ProcessedEventPurge} forgets old rows.
 */
@ApplicationScoped
public class ProcessedEvents {
    @Inject
    EntityManager entityManager;

    /** True the first time this consumer sees the event id; false for every redelivery. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        return entityManager.createNativeQuery(
                        "insert into processed_event (consumer, event_id) values (?1, ?2) on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate() == 1;
    }
}
