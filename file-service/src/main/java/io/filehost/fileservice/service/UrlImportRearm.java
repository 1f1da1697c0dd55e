package io.filehost.fileservice.service;

import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.UrlImportJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * A {@code downloading} job silent for {@code stuck-after} lost its worker: it gets the next attempt (a new request
 * through the outbox), or fails once the attempts are used up, so no job stays {@code downloading} for ever. Rows are
 * claimed with SKIP LOCKED so replicas share the work. A {@code pending} job is never re-armed: its request waits in
 * the outbox or in Kafka (offsets are committed only after a worker finished), so it is not lost while no worker runs.
 */
@ApplicationScoped
public class UrlImportRearm {
    private static final Logger LOG = Logger.getLogger(UrlImportRearm.class);
    public static final String GAVE_UP = "The download stopped responding and was given up after %d attempts.";

    @Inject
    EntityManager entityManager;

    @Inject
    FilesConfig config;

    @Inject
    UrlImportRequests requests;

    @Inject
    UrlImportMetrics metrics;

    @Scheduled(every = "${filehost.files.url-import.rearm-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void rearmScheduled() {
        rearmStuck();
    }

    /** Re-arms (or fails) up to 100 silent jobs in one transaction; returns how many it claimed. */
    public int rearmStuck() {
        Instant silentSince = Instant.now().minus(config.urlImport().stuckAfter());
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Number> ids = entityManager.createNativeQuery("select id from url_import_job where status = "
                            + "'downloading' and touched_at < ?1 order by id limit 100 for update skip locked")
                    .setParameter(1, silentSince).getResultList();
            for (Number id : ids) {
                UrlImportJob job = UrlImportJob.findById(id.longValue());
                if (job.attempt >= config.urlImport().maxAttempts()) {
                    job.fail(GAVE_UP.formatted(job.attempt));
                    metrics.finished("failed");
                    LOG.infof("Import job %d failed after %d silent attempts", job.id, job.attempt);
                    continue;
                }
                job.attempt++;
                job.status = UrlImportJob.PENDING;
                job.downloadedSize = 0;
                job.touchedAt = Instant.now();
                requests.publish(job);
                LOG.infof("Import job %d re-armed (attempt %d): its worker went silent", job.id, job.attempt);
            }
            return ids.size();
        });
    }
}
