package io.filehost.messaging;

import io.filehost.common.failure.FailureLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Forgets processed events once no redelivery can bring them back: a record is redelivered only while its topic still
 * holds it (Kafka's retention, 7 days by default), so {@code filehost.inbox.retention} (14 days) keeps twice that.
 * Without this the idempotency log grows by one row per consumed event forever.
 * <p>
 * Every replica runs it; the batches lock their rows with {@code SKIP LOCKED}, so replicas that run at the same time
 * share the rows instead of waiting for each other, and a DELETE of rows already gone is simply nothing. Small batches
 * in transactions of their own keep the locks short beside the consumers' inserts.
 */
@ApplicationScoped
public class ProcessedEventPurge {
    private static final Logger LOG = Logger.getLogger(ProcessedEventPurge.class);
    static final int BATCH = 5000;

    @Inject
    EntityManager entityManager;

    @Inject
    FailureLog failures;

    @ConfigProperty(name = "filehost.inbox.retention", defaultValue = "P14D")
    Duration retention;

    @Scheduled(every = "${filehost.inbox.purge-interval:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            long purged = purgeProcessedBefore(Instant.now().minus(retention));
            if (purged > 0) {
                LOG.infof("Purged %d processed events older than %s", purged, retention);
            }
        } catch (RuntimeException e) {
            // A database outage is one rate-limited WARN (the next run catches up), not a scheduler ERROR trace.
            failures.report(e, "processed_event purge");
        }
    }

    /** Deletes every processed-event record older than {@code cutoff}; returns how many. */
    public long purgeProcessedBefore(Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                            "delete from processed_event where ctid in (select ctid from processed_event "
                                    + "where processed_at < ?1 limit ?2 for update skip locked)")
                    .setParameter(1, cutoff)
                    .setParameter(2, BATCH)
                    .executeUpdate());
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
