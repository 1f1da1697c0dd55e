package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.common.internal.Account;
import io.filehost.common.security.Secrets;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.entity.UrlImportJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Remote URL imports, file-service's half (behaviour.md §5, internal-api.md "Remote URL import"): scheduling a job
 * writes the job and its request to the outbox in one transaction ({@link UrlImportStore}), after the folder check;
 * the worker's events move the job on ({@link UrlImportEvents}); a {@code downloading} job whose worker went silent
 * is re-armed ({@link UrlImportRearm}); {@link UrlImportMetrics} counts them.
 */
@ApplicationScoped
public class UrlImports {
    public static final String SCHEDULED = "File download from URL scheduled";
    public static final String FOUND = "Scheduled URL file download found";
    public static final String TOO_MANY = "You have reached the maximum number of remote URL downloads for your "
            + "account. Please wait for a scheduled download to finish.";
    public static final String NOT_FOUND = "Could not find scheduled URL file download based on scheduled_item_id.";

    @Inject
    FileService files;

    @Inject
    UrlImportStore store;

    @Inject
    FilesConfig config;

    @Inject
    LimitRejections rejections;

    /** A job and, once complete, its file (null while running, after a failure, or if the file was purged). */
    public record JobView(UrlImportJob job, FileRecord file) {
    }

    /** /file/url_upload_add. The same URL already open for the account answers its existing job. */
    public UrlImportJob schedule(Account account, String fileUrlBase64, String folderParam) {
        String url = UrlDecoding.decode(fileUrlBase64, config.urlImport().maxUrlLength());
        if (!account.limits().canUpload()) {
            rejections.count(LimitRejections.CAN_UPLOAD);
            throw new ApiException(403, FileService.UPLOAD_NOT_ALLOWED); // as /file/upload
        }
        // The folder check calls folder-service: outside the transaction, which then only holds local locks.
        Long folderId = files.uploadFolder(folderParam, account.strictHttp());
        return store.open(account, url, Secrets.sha256Hex(url), folderId);
    }

    /** /file/url_upload_status: the caller's own job only; another account's id is "not found". */
    public JobView status(Account account, String idParam) {
        return store.status(account, idParam);
    }
}
