package io.filehost.importworker.service;

import io.filehost.importworker.config.ImportConfig;
import io.filehost.importworker.fetch.FetchFailure;
import io.filehost.importworker.fetch.SafeHttpClient;
import io.filehost.importworker.fetch.TargetPolicy;
import io.filehost.importworker.messaging.ImportEvents;
import io.filehost.messaging.ProcessedEvents;
import io.filehost.storage.StorageConfig;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One import request, start to terminal event. Remote problems end the job FAILED (a terminal event, acknowledged
 * by Kafka, then recorded); problems of our own infrastructure (S3, the database, Kafka) are thrown so the message
 * goes to the retry topic and nothing is recorded.
 */
@ApplicationScoped
public class ImportProcessor {
    /** The {@code processed_event.consumer} value; the event id is {@code jobId:attempt}. */
    public static final String CONSUMER = "import-worker.url-import";
    private static final Logger LOG = Logger.getLogger(ImportProcessor.class);

    @Inject
    ImportConfig config;

    @Inject
    StorageConfig storage;

    @Inject
    MinioClient minio;

    @Inject
    ObjectUpload upload;

    @Inject
    ImportEvents events;

    @Inject
    ProcessedEvents processedEvents;

    @Inject
    EntityManager entityManager;

    @Inject
    ImportMetrics metrics;

    /** Requests running in this instance, so a redelivery that arrives meanwhile is not fetched in parallel. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;
    private SafeHttpClient client;

    @PostConstruct
    void init() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "import-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        client = new SafeHttpClient(new TargetPolicy(config), config, timer);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    public int active() {
        return metrics.active();
    }

    /** Runs the import unless this (jobId, attempt) already reached a terminal event. */
    public void process(ImportRequest request) throws Exception {
        String key = request.idempotencyKey();
        if (alreadyProcessed(key) || !inFlight.add(key)) {
            LOG.debugf("Import %s already done or running here: skipped", key);
            metrics.outcome("duplicate");
            return;
        }
        metrics.started();
        try {
            run(request);
        } finally {
            metrics.finished();
            inFlight.remove(key);
        }
    }

    private boolean alreadyProcessed(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                        "select count(*) from processed_event where consumer = ?1 and event_id = ?2")
                .setParameter(1, CONSUMER)
                .setParameter(2, key)
                .getSingleResult()).longValue() > 0);
    }

    private void run(ImportRequest request) throws Exception {
        long deadline = System.nanoTime() + config.totalTimeout().toNanos();
        URI url;
        try {
            url = new URI(request.url().trim());
            url = new URI(url.toASCIIString());
        } catch (Exception invalid) {
            fail(request, new FetchFailure(FetchFailure.INVALID_URL, "invalid_url"));
            return;
        }
        SafeHttpClient.Response response;
        try {
            response = client.get(url, deadline);
        } catch (FetchFailure failure) {
            fail(request, failure);
            return;
        }
        String objectKey = request.tenantId() + "/" + UUID.randomUUID();
        try (response) {
            long length = response.contentLength();
            if (request.maxBytes() > 0 && length > request.maxBytes()) {
                fail(request, new FetchFailure(FetchFailure.TOO_LARGE, "too_large"));
                return;
            }
            Long total = length >= 0 ? length : null;
            events.downloading(request, total);
            ProgressTicker ticker = new ProgressTicker(request, total);
            ImportStream stream = new ImportStream(response, request.maxBytes(), ticker::bytes);
            String contentType = mediaType(response.header("content-type"));
            try {
                upload.upload(objectKey, contentType, stream, stream::hash);
            } catch (Exception upload) {
                removeQuietly(objectKey);
                metrics.fetched(stream.count());
                FetchFailure remote = stream.failure();
                if (remote == null && response.deadlinePassed()) {
                    remote = new FetchFailure(FetchFailure.TOO_SLOW, "timeout");
                }
                if (remote != null) {
                    fail(request, remote);
                    return;
                }
                throw upload; // S3 trouble: transient, retried through the retry topic
            }
            metrics.fetched(stream.count());
            String filename = FilenameResolver.resolve(response.header("content-disposition"), response.url(),
                    config.maxFilenameLength());
            try {
                events.completed(request, objectKey, stream.count(), stream.md5Hex(), stream.sha256Hex(), filename,
                        contentType);
            } catch (RuntimeException kafkaDown) {
                // Nobody will ever learn about the object: remove it, the retry fetches again.
                removeQuietly(objectKey);
                throw kafkaDown;
            }
            record(request);
            metrics.outcome("completed");
            LOG.infof("Import %s completed: %d bytes", request.idempotencyKey(), stream.count());
        }
    }

    private void fail(ImportRequest request, FetchFailure failure) {
        events.failed(request, failure.clientMessage());
        record(request);
        metrics.outcome(failure.outcome());
        LOG.infof("Import %s failed: %s", request.idempotencyKey(), failure.outcome());
    }

    /**
     * Written only after Kafka acknowledged the terminal event: a crash before this point lets the redelivered
     * request run again (a second terminal event, which file-service deduplicates by job id) instead of losing it.
     */
    private void record(ImportRequest request) {
        QuarkusTransaction.requiringNew().run(
                () -> processedEvents.firstDelivery(CONSUMER, request.idempotencyKey()));
    }

    private void removeQuietly(String objectKey) {
        try {
            minio.removeObject(RemoveObjectArgs.builder().bucket(storage.bucket()).object(objectKey).build());
        } catch (Exception e) {
            LOG.warnf("Could not remove %s after a failed import: %s", objectKey, e.toString());
        }
    }

    static String mediaType(String header) {
        if (header == null) {
            return "application/octet-stream";
        }
        int semicolon = header.indexOf(';');
        String type = (semicolon >= 0 ? header.substring(0, semicolon) : header).trim().toLowerCase(Locale.ROOT);
        return type.matches("[a-z0-9!#$&^_.+-]{1,64}/[a-z0-9!#$&^_.+-]{1,128}") ? type : "application/octet-stream";
    }

    /**
     * PROGRESS when progress-interval or progress-bytes passed since the last event, whichever comes first. The
     * stream may be read on another thread than the one processing the request (the upload's), so the request's
     * trace context is captured here and restored around each event.
     */
    private final class ProgressTicker {
        private final ImportRequest request;
        private final Long total;
        private final Context trace = Context.current();
        private long lastAt = System.nanoTime();
        private long lastBytes;

        ProgressTicker(ImportRequest request, Long total) {
            this.request = request;
            this.total = total;
        }

        void bytes(long downloaded) {
            long now = System.nanoTime();
            if (now - lastAt >= config.progressInterval().toNanos()
                    || downloaded - lastBytes >= config.progressBytes()) {
                lastAt = now;
                lastBytes = downloaded;
                try (Scope ignored = trace.makeCurrent()) {
                    events.progress(request, downloaded, total);
                }
            }
        }
    }
}
