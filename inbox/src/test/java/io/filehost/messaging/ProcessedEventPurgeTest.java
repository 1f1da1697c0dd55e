package io.filehost.messaging;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real PostgreSQL, table from the library's Flyway location {@code db/inbox} on a fresh schema. */
@QuarkusTest
class ProcessedEventPurgeTest {
    @Inject
    ProcessedEventPurge purge;

    @Inject
    ProcessedEvents processed;

    @Inject
    EntityManager entityManager;

    @Test
    void purgesOnlyRecordsOlderThanTheCutoffInAsManyBatchesAsNeeded() {
        String consumer = "purge-test-" + UUID.randomUUID();
        int old = ProcessedEventPurge.BATCH + 7; // more than one batch: the loop must go on after a full one
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("insert into processed_event (consumer, event_id, processed_at) "
                            + "select ?1, 'old-' || n, now() - interval '30 days' from generate_series(1, ?2) n")
                    .setParameter(1, consumer)
                    .setParameter(2, old)
                    .executeUpdate();
            assertTrue(processed.firstDelivery(consumer, "recent"));
        });

        assertEquals(old, purge.purgeProcessedBefore(Instant.now().minus(Duration.ofDays(14))));

        assertEquals(List.of("recent"), eventIds(consumer));
        QuarkusTransaction.requiringNew().run(() -> {
            assertFalse(processed.firstDelivery(consumer, "recent"), "a record within the retention still dedupes");
            assertTrue(processed.firstDelivery(consumer, "old-1"), "a purged record is forgotten");
        });
        assertEquals(0, purge.purgeProcessedBefore(Instant.now().minus(Duration.ofDays(14))), "nothing left to purge");
    }

    @Test
    void theLibraryMigrationIndexesTheRetentionColumn() {
        List<?> index = entityManager.createNativeQuery("select indexname from pg_indexes where schemaname = "
                + "current_schema() and indexname = 'processed_event_processed_at'").getResultList();
        assertEquals(1, index.size());
    }

    @SuppressWarnings("unchecked")
    private List<String> eventIds(String consumer) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "select event_id from processed_event where consumer = ?1 order by event_id")
                .setParameter(1, consumer).getResultList());
    }
}
