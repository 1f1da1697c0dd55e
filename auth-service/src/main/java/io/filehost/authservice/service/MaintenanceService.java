package io.filehost.authservice.service;

import io.filehost.authservice.config.AuthConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Removes rows that can no longer matter: expired access tokens, login failures older than the lockout window and
 * lapsed lockouts. Deletes run in bounded batches, each in its own transaction, so a backlog never holds long locks.
 * Several replicas may run it at once; the deletes are idempotent.
 */
@ApplicationScoped
public class MaintenanceService {
    private static final Logger LOG = Logger.getLogger(MaintenanceService.class);

    @Inject
    AuthConfig config;

    @Inject
    EntityManager em;

    @Scheduled(every = "${filehost.auth.cleanup.every:1m}", delayed = "${filehost.auth.cleanup.delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledCleanup() {
        try {
            purge(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("cleanup failed; retried on the next run", e);
        }
    }

    /** @return rows removed */
    public long purge(Instant now) {
        long tokens = deleteInBatches("access_tokens", "expires_at <= ?1", now);
        long failures = deleteInBatches("login_failures", "failed_at <= ?1", now.minus(config.lockout().window()));
        long lockouts = deleteInBatches("login_lockouts", "locked_until <= ?1", now);
        if (tokens + failures + lockouts > 0) {
            LOG.debugf("cleanup removed %d expired tokens, %d old login failures, %d lapsed lockouts", tokens,
                    failures, lockouts);
        }
        return tokens + failures + lockouts;
    }

    private long deleteInBatches(String table, String condition, Instant bound) {
        int batch = Math.max(1, config.cleanup().batchSize());
        // ctid addresses the physical row: one statement for every table whatever its key (login_lockouts has a
        // composite one). The condition is checked again on delete, so a row changed meanwhile (a token that slid)
        // is left alone.
        String sql = "delete from " + table + " where ctid = any (array(select ctid from " + table + " where "
                + condition + " limit " + batch + ")) and " + condition;
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() ->
                    em.createNativeQuery(sql).setParameter(1, bound).executeUpdate());
            total += deleted;
        } while (deleted == batch);
        return total;
    }
}
