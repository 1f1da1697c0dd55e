package io.filehost.fileservice.service;

import io.filehost.common.api.ApiParams;
import io.filehost.common.internal.Account;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.entity.UrlImportJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The import-worker's events applied to their jobs: progress, failure, and a completion that becomes a file record
 * with the same rules as an upload (size limit, quota, dedup).
 */
@ApplicationScoped
public class UrlImportEvents {
    private static final Logger LOG = Logger.getLogger(UrlImportEvents.class);

    @Inject
    EntityManager entityManager;

    @Inject
    FileService files;

    @Inject
    Quotas quotas;

    @Inject
    Uploader uploader;

    @Inject
    LimitRejections rejections;

    @Inject
    UrlImportMetrics metrics;

    /** One {@code file.url-import.events} value (internal-api.md); fields a type does not carry are null. */
    public record ImportEvent(String eventId, String jobId, Integer attempt, String type, Long downloadedBytes,
                              Long totalBytes, String objectKey, Long size, String md5, String sha256,
                              String filename, String contentType, String error, Long at) {
        public boolean isWellFormed() {
            return eventId != null && !eventId.isBlank() && jobId != null && type != null && attempt != null
                    && switch (type) {
                case "DOWNLOADING", "PROGRESS", "FAILED" -> true;
                case "COMPLETED" -> objectKey != null && size != null && size >= 0 && md5 != null
                        && md5.matches("[0-9a-f]{32}") && sha256 != null && sha256.matches("[0-9a-f]{64}");
                default -> false;
            };
        }

        Instant time() {
            return at == null ? Instant.now() : Instant.ofEpochMilli(at);
        }
    }

    /**
     * Inside the consumer's transaction (the event id is recorded in it): applies one event. Returns object keys to
     * delete once the transaction committed (a duplicate completion, a completion the quota refuses, dedup).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> apply(ImportEvent event) {
        List<String> deleteAfterCommit = new ArrayList<>();
        Long jobId = ApiParams.parseId(event.jobId());
        UrlImportJob peek = jobId == null ? null : UrlImportJob.findById(jobId);
        if (peek == null) {
            // Not ours (another deployment's test traffic, a wiped database): its object is left to the orphan sweep.
            LOG.debugf("Import event %s for unknown job %s ignored", event.eventId(), event.jobId());
            return deleteAfterCommit;
        }
        // Lock order as everywhere: the account's usage row, then the job.
        quotas.lock(peek.tenantId, peek.accountId);
        UrlImportJob job = UrlImportJob.findById(jobId, LockModeType.PESSIMISTIC_WRITE);
        entityManager.refresh(job);
        boolean current = event.attempt() == job.attempt;
        switch (event.type()) {
            case "DOWNLOADING", "PROGRESS" -> {
                if (job.open() && current) {
                    job.status = UrlImportJob.DOWNLOADING;
                    if (job.startedAt == null) {
                        job.startedAt = event.time();
                    }
                    job.downloadedSize = Math.max(0, event.downloadedBytes() == null ? 0 : event.downloadedBytes());
                    job.totalSize = event.totalBytes();
                    job.touchedAt = Instant.now();
                }
            }
            case "FAILED" -> {
                if (job.open() && current) {
                    fail(job, event.error() == null ? "The download failed." : event.error());
                }
            }
            case "COMPLETED" -> complete(job, event, deleteAfterCommit);
            default -> {
            }
        }
        return deleteAfterCommit;
    }

    /**
     * A completion of any attempt finishes an open job (a slow first attempt may beat its re-armed successor); a
     * completion of a finished job is a duplicate whose object goes — unless a record references that very object.
     */
    private void complete(UrlImportJob job, ImportEvent event, List<String> deleteAfterCommit) {
        String key = event.objectKey();
        if (!key.startsWith(job.tenantId + "/")) {
            LOG.warnf("Import event %s names object %s outside tenant %d: ignored", event.eventId(), key, job.tenantId);
            return;
        }
        if (!job.open()) {
            long referenced = ((Number) entityManager.createNativeQuery(
                    "select count(*) from stored_object where object_key = ?1").setParameter(1, key)
                    .getSingleResult()).longValue();
            if (referenced == 0) {
                deleteAfterCommit.add(key);
            }
            return;
        }
        PackageLimits limits = PackageLimits.fromClaim(Json.createReader(new StringReader(job.limits)).readObject());
        long size = event.size();
        if (size == 0) {
            fail(job, Uploader.ZERO);
            deleteAfterCommit.add(key);
            return;
        }
        if (limits.maxUploadSize() > 0 && size > limits.maxUploadSize()) {
            rejections.count(LimitRejections.MAX_UPLOAD_SIZE);
            fail(job, Uploader.maxSizeMessage(limits.maxUploadSize()));
            deleteAfterCommit.add(key);
            return;
        }
        if (!quotas.charge(job.tenantId, job.accountId, size, limits.effectiveStorageLimit())) {
            rejections.count(LimitRejections.STORAGE);
            fail(job, Quotas.STORAGE_FULL);
            deleteAfterCommit.add(key);
            return;
        }
        Account owner = new Account(job.tenantId, job.accountId, limits, null, job.clientIp, false);
        String name = FileNames.clean(event.filename());
        if (name == null || name.isBlank()) {
            name = "file";
        }
        FileService.NewRecord created = files.insertRecord(owner,
                new FileService.Content(key, size, event.md5(), event.sha256()), name, job.folderId, "remote");
        if (created.redundantKey() != null) {
            deleteAfterCommit.add(created.redundantKey());
        }
        job.status = UrlImportJob.COMPLETE;
        job.fileId = created.file().id;
        job.downloadedSize = size;
        job.totalSize = size;
        if (job.startedAt == null) {
            job.startedAt = event.time();
        }
        job.finishedAt = Instant.now();
        job.touchedAt = job.finishedAt;
        job.error = null;
        metrics.finished("complete");
    }

    private void fail(UrlImportJob job, String error) {
        job.fail(error);
        metrics.finished("failed");
    }

    /** Deletes objects a committed event handling let go of. */
    public void deleteObjects(List<String> keys) {
        keys.forEach(uploader::deleteQuietly);
    }
}
