package io.filehost.fileservice.service;

import io.filehost.fileservice.config.FilesConfig;
import io.filehost.storage.StorageConfig;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes S3 objects that no {@code stored_object} row references and that are older than
 * {@link FilesConfig#orphanMinAge()}: what a crash between a database commit and the matching S3 call leaves behind.
 * Rows are the truth; the bucket is reconciled to them, never the other way round.
 */
@ApplicationScoped
public class OrphanSweep {
    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
    private static final int BATCH = 500;

    @Inject
    MinioClient minio;

    @Inject
    StorageConfig storage;

    @Inject
    EntityManager entityManager;

    @Inject
    Uploader uploader;

    @Inject
    FilesConfig config;

    @Scheduled(every = "${filehost.files.orphan-sweep-interval:24h}", delayed = "10m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        int removed = sweep("", Instant.now().minus(config.orphanMinAge()));
        if (removed > 0) {
            LOG.infof("Removed %d orphan objects", removed);
        }
    }

    /** Sweeps keys under {@code prefix} last modified before {@code olderThan}; returns how many were removed. */
    public int sweep(String prefix, Instant olderThan) {
        int removed = 0;
        List<String> candidates = new ArrayList<>();
        try {
            for (Result<Item> result : minio.listObjects(ListObjectsArgs.builder().bucket(storage.bucket())
                    .prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                if (item.isDir() || item.lastModified() == null
                        || !item.lastModified().toInstant().isBefore(olderThan)) {
                    continue;
                }
                candidates.add(item.objectName());
                if (candidates.size() == BATCH) {
                    removed += removeUnreferenced(candidates);
                    candidates.clear();
                }
            }
            removed += removeUnreferenced(candidates);
        } catch (Exception e) {
            LOG.warnf("Orphan sweep stopped early (%s); the next run continues", e.getMessage());
        }
        return removed;
    }

    private int removeUnreferenced(List<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        @SuppressWarnings("unchecked")
        List<String> referenced = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select object_key from stored_object where object_key in (?1) "
                        // the bytes of a resumable upload after its last full part, kept between its requests
                        + "union all select tail_key from tus_upload where tail_key in (?1)")
                .setParameter(1, keys).getResultList());
        Set<String> keep = new HashSet<>(referenced);
        int removed = 0;
        for (String key : keys) {
            if (!keep.contains(key)) {
                uploader.deleteQuietly(key);
                removed++;
            }
        }
        return removed;
    }
}
