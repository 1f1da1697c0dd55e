package io.filehost.storage;

import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Cleanups S3 refused (it was down or failing): an abandoned multipart upload's abort, a discarded object's removal.
 * They are retried in the background, with a growing delay, until S3 answers, so what a failed upload left is gone
 * as soon as S3 is back rather than days later by the orphan sweep. Kept in memory: a restart leaves what is still
 * pending to the sweep (and to the bucket's lifecycle rule for multipart uploads).
 */
@ApplicationScoped
public class S3Cleanup {
    private static final Logger LOG = Logger.getLogger(S3Cleanup.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** Beyond this many waiting cleanups new ones are left to the sweep: a long outage must not grow memory. */
    static final int MAX_PENDING = 10_000;

    @Inject
    MinioAsyncClient s3;

    @Inject
    StorageConfig config;

    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "s3-cleanup-retry");
        thread.setDaemon(true);
        return thread;
    });

    /** Aborts the multipart upload {@code uploadId} of {@code key} once S3 takes it. */
    public void abortLater(String key, String uploadId) {
        retry("abort of multipart upload " + uploadId + " of " + key, () -> {
            try {
                return s3.abortMultipartUploadAsync(config.bucket(), null, key, uploadId, null, null);
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** Removes {@code key} once S3 takes it. */
    public void removeLater(String key) {
        retry("removal of " + key, () -> {
            try {
                return s3.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    /** How many cleanups wait for S3 (for tests and metrics). */
    public int pending() {
        return pending.get();
    }

    private void retry(String what, Supplier<CompletableFuture<?>> attempt) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            LOG.warnf("Too many S3 cleanups waiting; the %s is left to the orphan sweep", what);
            return;
        }
        schedule(what, attempt, FIRST_DELAY, 1);
    }

    private void schedule(String what, Supplier<CompletableFuture<?>> attempt, Duration delay, int tries) {
        try {
            timer.schedule(() -> attempt.get().whenComplete((done, failure) -> {
                Throwable cause = ObjectWriter.unwrap(failure);
                if (failure == null || isGone(cause)) {
                    pending.decrementAndGet();
                    LOG.infof("S3 is back: %s done after %d retries", what, tries);
                } else {
                    Duration next = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
                    LOG.debugf("S3 still refuses the %s (%s); next try in %s", what, cause.toString(), next);
                    schedule(what, attempt, next, tries + 1);
                }
            }), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            pending.decrementAndGet();
        }
    }

    /** The thing to clean is not there (any more): nothing to retry. */
    private static boolean isGone(Throwable cause) {
        if (cause instanceof ErrorResponseException e && e.errorResponse() != null) {
            String code = e.errorResponse().code();
            return "NoSuchUpload".equals(code) || "NoSuchKey".equals(code);
        }
        return false;
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
    }
}
