package io.filehost.fileservice.service;

import io.filehost.common.internal.PackageLimits;
import io.filehost.common.security.Secrets;
import io.filehost.fileservice.entity.DownloadToken;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.entity.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.io.StringReader;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Checks a public download (token, file state, the token owner's package limits) and records it. */
@ApplicationScoped
public class DownloadService {
    public static final String LINK_INVALID = "This download link is invalid or has expired.";
    public static final String FILE_NOT_FOUND = "File not found.";

    @Inject
    EntityManager entityManager;

    @Inject
    LimitRejections rejections;

    /** What a valid token grants: one file's bytes, under the issuer's limits. */
    public record Grant(long fileId, String filename, String fileType, long size, Instant lastModified,
                        String objectKey, String sha256, long tenantId, long accountId, PackageLimits limits) {
    }

    public static final class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    @Transactional
    public Grant authorize(long tenantId, String shortUrl, String token) {
        FileRecord file = FileRecord.activeByShortUrl(tenantId, shortUrl);
        if (file == null) {
            throw new Refused(404, FILE_NOT_FOUND);
        }
        if (token == null || !token.matches("[0-9a-f]{64}")) {
            throw new Refused(403, LINK_INVALID);
        }
        DownloadToken row = DownloadToken.findById(Secrets.sha256Hex(token));
        if (row == null || row.fileId != file.id || row.tenantId != tenantId || row.expiresAt.isBefore(Instant.now())) {
            throw new Refused(403, LINK_INVALID);
        }
        PackageLimits limits = PackageLimits.fromClaim(Json.createReader(new StringReader(row.limits)).readObject());
        if (limits.maxDownloadFilesizeAllowed() > 0 && file.fileSize > limits.maxDownloadFilesizeAllowed()) {
            rejections.count(LimitRejections.MAX_DOWNLOAD_FILESIZE);
            throw new Refused(403, "This file is larger than the maximum download size allowed for your account.");
        }
        StoredObject object = StoredObject.findById(file.storedObjectId);
        return new Grant(file.id, file.filename, file.fileType, file.fileSize, file.uploadedDate, object.objectKey,
                object.sha256, tenantId, row.accountId, limits);
    }

    /**
     * Counts a served GET against the owner's 24-hour limits and the file's counters. Serialised per account with an
     * advisory lock, so parallel downloads cannot together pass a limit.
     */
    @Transactional
    public void record(Grant grant, long bytes, boolean countAsDownload) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, ?2)").setParameter(1, (int) -grant.tenantId())
                .setParameter(2, (int) grant.accountId()).getSingleResult();
        PackageLimits limits = grant.limits();
        if (limits.downloadsPer24Hours() > 0 || limits.downloadSizePer24Hours() > 0) {
            Object[] usage = (Object[]) entityManager.createNativeQuery("select count(*) filter (where counted), coalesce(sum(bytes), 0) "
                            + "from download_log where tenant_id = ?1 and account_id = ?2 and started_at > ?3")
                    .setParameter(1, grant.tenantId()).setParameter(2, grant.accountId())
                    .setParameter(3, Instant.now().minus(24, ChronoUnit.HOURS)).getSingleResult();
            long count = ((Number) usage[0]).longValue();
            long volume = ((Number) usage[1]).longValue();
            if (limits.downloadsPer24Hours() > 0 && countAsDownload && count >= limits.downloadsPer24Hours()) {
                rejections.count(LimitRejections.DOWNLOADS_PER_24_HOURS);
                throw new Refused(429, "You have reached the maximum number of downloads allowed in 24 hours.");
            }
            if (limits.downloadSizePer24Hours() > 0 && volume + bytes > limits.downloadSizePer24Hours()) {
                rejections.count(LimitRejections.DOWNLOAD_SIZE_PER_24_HOURS);
                throw new Refused(429, "You have reached the maximum download volume allowed in 24 hours.");
            }
        }
        entityManager.createNativeQuery("insert into download_log (tenant_id, account_id, file_id, bytes, counted) "
                        + "values (?1, ?2, ?3, ?4, ?5)").setParameter(1, grant.tenantId())
                .setParameter(2, grant.accountId()).setParameter(3, grant.fileId()).setParameter(4, bytes)
                .setParameter(5, countAsDownload).executeUpdate();
        entityManager.createNativeQuery("update file_record set downloads = downloads + ?2, last_accessed = now() "
                        + "where id = ?1").setParameter(1, grant.fileId()).setParameter(2, countAsDownload ? 1 : 0)
                .executeUpdate();
    }
}
