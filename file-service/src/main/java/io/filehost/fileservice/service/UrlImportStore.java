package io.filehost.fileservice.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.internal.Account;
import io.filehost.common.internal.PackageLimits;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.entity.UrlImportJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** The transactions of scheduling a URL import and reading its status; never a remote call. */
@ApplicationScoped
public class UrlImportStore {
    @Inject
    Quotas quotas;

    @Inject
    UrlImportRequests requests;

    @Inject
    LimitRejections rejections;

    @Inject
    ObjectMapper json;

    /**
     * The account's open job for {@code url} if there is one, else a new job (its folder already checked) and its
     * request in the outbox, in one transaction, under the account's usage lock so the limit of open jobs holds.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UrlImportJob open(Account account, String url, String urlHash, Long folderId) {
        PackageLimits limits = account.limits();
        quotas.lock(account.tenantId(), account.accountId());
        UrlImportJob existing = UrlImportJob.find("tenantId = ?1 and accountId = ?2 and urlSha256 = ?3 "
                        + "and status in ?4", account.tenantId(), account.accountId(), urlHash, UrlImportJob.OPEN)
                .firstResult();
        if (existing != null) {
            return existing;
        }
        long open = UrlImportJob.count("tenantId = ?1 and accountId = ?2 and status in ?3", account.tenantId(),
                account.accountId(), UrlImportJob.OPEN);
        if (limits.maxRemoteDownloadUrls() > 0 && open >= limits.maxRemoteDownloadUrls()) {
            rejections.count(LimitRejections.REMOTE_URLS);
            throw ApiException.tooManyRequests(UrlImports.TOO_MANY);
        }
        long remaining = quotas.remaining(account.tenantId(), account.accountId(), limits.effectiveStorageLimit());
        if (remaining == 0) {
            rejections.count(LimitRejections.STORAGE);
            throw ApiException.tooLarge(Quotas.STORAGE_FULL);
        }
        long maxBytes = Math.min(remaining, limits.maxUploadSize() > 0 ? limits.maxUploadSize() : Long.MAX_VALUE);
        UrlImportJob job = new UrlImportJob();
        job.tenantId = account.tenantId();
        job.accountId = account.accountId();
        job.url = url;
        job.urlSha256 = urlHash;
        job.folderId = folderId;
        job.status = UrlImportJob.PENDING;
        job.attempt = 1;
        try {
            job.limits = json.writeValueAsString(limits.toClaim());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        job.maxBytes = maxBytes == Long.MAX_VALUE ? 0 : maxBytes;
        job.clientIp = account.clientIp();
        job.createdAt = Instant.now();
        job.touchedAt = job.createdAt;
        job.persist();
        requests.publish(job);
        return job;
    }

    /** The caller's own job and, once complete, its file; another account's id is "not found". */
    @Transactional
    public UrlImports.JobView status(Account account, String idParam) {
        Long id = ApiParams.parseId(idParam);
        UrlImportJob job = id == null ? null : UrlImportJob.findById(id);
        if (job == null || job.tenantId != account.tenantId() || job.accountId != account.accountId()) {
            throw ApiException.notFound(UrlImports.NOT_FOUND);
        }
        FileRecord file = job.fileId == null ? null : FileRecord.findById(job.fileId);
        return new UrlImports.JobView(job, file);
    }
}
