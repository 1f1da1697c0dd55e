package io.filehost.fileservice.tus;

import io.filehost.common.internal.Account;
import io.filehost.storage.ResumableDigest;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * The upkeep of resumable uploads: expired or abandoned ones are removed (S3 upload aborted, tail deleted, row and
 * reservation gone), interrupted completions are finished, completed rows are dropped after their retention.
 */
@ApplicationScoped
public class TusSweep {
    private static final Logger LOG = Logger.getLogger(TusSweep.class);

    @Inject
    TusStore store;

    @Inject
    TusUploads uploads;

    @Inject
    TusCompletion completion;

    @ConfigProperty(name = "filehost.tus.lease", defaultValue = "PT30S")
    Duration lease;

    /** Which digest implementation PATCHes will use, said once at startup rather than at the first PATCH. */
    void logDigests(@Observes StartupEvent event) {
        LOG.debugf("Resumable digests: %s", ResumableDigest.implementation());
    }

    /**
     * Every minute, on one replica at a time per upload: expired uploads go, interrupted completions finish. The first
     * run waits {@code filehost.tus.sweep-delay} (30 s: not while the replica is still warming up); both are settings so
     * that a test of the expiry through the running platform (system-tests TusExpiryThroughGatewayTest) takes seconds.
     */
    @Scheduled(every = "${filehost.tus.sweep-interval:1m}", delayed = "${filehost.tus.sweep-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledSweep() {
        sweep();
    }

    /** Returns how many uploads it acted on. */
    public int sweep() {
        UUID token = UUID.randomUUID();
        int done = 0;
        for (TusUpload upload : store.claimForSweep(token, lease.multipliedBy(4), 50)) {
            try {
                if (TusUpload.COMPLETED.equals(upload.status())) {
                    store.delete(upload.id());
                } else if (TusUpload.COMPLETING.equals(upload.status())) {
                    completion.finish(upload, new Account(upload.tenantId(), upload.accountId(), null, null, upload.clientIp(),
                            false));
                } else {
                    uploads.discard(upload);
                }
                done++;
            } catch (Exception e) {
                store.release(upload.id(), token);
                LOG.warnf("Resumable upload %s: sweep failed (%s); the next sweep retries", upload.id(),
                        e.getMessage());
            }
        }
        return done;
    }
}
