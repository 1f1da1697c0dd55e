package io.filehost.fileservice.service;

import io.filehost.fileservice.config.FilesConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Purges trashed files after the retention. The record goes and its object's reference count drops in one
 * transaction; an object whose count reaches zero loses its row in that transaction too and its S3 object right after
 * the commit. A crash between commit and S3 delete leaves an object no row references: an orphan a sweep can find by
 * listing the bucket against {@code stored_object.object_key} (never a dangling reference, never lost bytes).
 */
@ApplicationScoped
public class TrashPurge {
    private static final Logger LOG = Logger.getLogger(TrashPurge.class);
    private static final int BATCH = 200;

    @Inject
    EntityManager entityManager;

    @Inject
    Uploader uploader;

    @Inject
    FilesConfig config;

    @Scheduled(every = "${filehost.files.purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        int purged = purgeTrashedBefore(Instant.now().minus(config.trashRetention()));
        if (purged > 0) {
            LOG.infof("Purged %d trashed files", purged);
        }
    }

    /** Purges every file trashed before {@code cutoff}; returns how many. */
    public int purgeTrashedBefore(Instant cutoff) {
        int total = 0;
        int batch;
        do {
            List<String> keys = new ArrayList<>();
            batch = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<Object[]> files = entityManager.createNativeQuery("delete from file_record where id in ("
                                + "select id from file_record where status = 'trash' and trashed_at < ?1 "
                                + "order by id limit ?2 for update skip locked) returning id, stored_object_id")
                        .setParameter(1, cutoff).setParameter(2, BATCH).getResultList();
                for (Object[] file : files) {
                    long objectId = ((Number) file[1]).longValue();
                    Object[] left = (Object[]) entityManager.createNativeQuery("update stored_object "
                                    + "set ref_count = ref_count - 1 where id = ?1 returning ref_count, object_key")
                            .setParameter(1, objectId).getSingleResult();
                    if (((Number) left[0]).intValue() == 0) {
                        entityManager.createNativeQuery("delete from stored_object where id = ?1 and ref_count = 0")
                                .setParameter(1, objectId).executeUpdate();
                        keys.add(left[1].toString());
                    }
                }
                return files.size();
            });
            keys.forEach(uploader::deleteQuietly);
            total += batch;
        } while (batch == BATCH);
        return total;
    }
}
