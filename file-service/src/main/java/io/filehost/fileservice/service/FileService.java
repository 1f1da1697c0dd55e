package io.filehost.fileservice.service;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiParams;
import io.filehost.common.internal.Account;
import io.filehost.fileservice.entity.FileRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/**
 * The business rules of /file/*: ownership, names, folders, trash, copy by reference, quota, download tokens. It
 * orchestrates: a destination folder is checked with folder-service first, outside any transaction, and only then
 * does {@link FileStore} open one, so no pooled connection waits through folder-service's time limit and retries.
 */
@ApplicationScoped
public class FileService {
    public static final String NOT_FOUND = "Could not find file based on file_id.";
    public static final String UPLOAD_NOT_ALLOWED = "Your account is not permitted to upload files.";

    @Inject
    FileStore store;

    @Inject
    FolderChecks folders;

    @Inject
    Uploader uploader;

    /** The id of a folder the caller may put files into; {@code null} (root) for null/"null"/blank. */
    public Long destinationFolder(String value, String param) {
        return destinationFolder(value, param, null);
    }

    /** {@code jwt}: the internal JWT to check the folder with; null for the request's own. */
    private Long destinationFolder(String value, String param, String jwt) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("null") || value.equals("0")) {
            return null;
        }
        Long id = ApiParams.parseId(value);
        if (id == null || !folders.ownsActiveFolder(id, jwt)) {
            throw ApiException.notFound("Could not find the destination folder id defined by " + param + ".");
        }
        return id;
    }

    /** {@code null} or a (signed) decimal number: a value {@link #destinationFolder} decides on. */
    static boolean couldBeFolderId(String value) {
        return value == null || value.equalsIgnoreCase("null") || value.matches("[+-]?[0-9]+");
    }

    /**
     * The folder of an upload. behaviour.md §5: a {@code folder_id} that is not the account's active folder means the
     * root folder for upstream-compatible tenants (as upstream does) and is refused for strict tenants. Any other
     * failure (folder-service unreachable) is never turned into "root".
     */
    public Long uploadFolder(String value, boolean strictHttp) {
        return uploadFolder(value, strictHttp, null);
    }

    /**
     * As {@link #uploadFolder(String, boolean)}, checked with {@code jwt} (null: the request's own). A folder_id read
     * after an upload's bytes is checked with a fresh JWT: the request's may have expired during the transfer.
     */
    public Long uploadFolder(String value, boolean strictHttp, String jwt) {
        try {
            return destinationFolder(value, "folder_id", jwt);
        } catch (ApiException notOwned) {
            if (strictHttp || notOwned.status() != 404) {
                throw notOwned;
            }
            return null;
        }
    }

    public record Created(FileRecord file, String md5) {
    }

    /** Turns stored bytes into a file record; deduplicates the bytes by content within the tenant. */
    public Created createFromUpload(Account account, Uploader.Stored stored, String rawName, Long folderId) {
        NewRecord created;
        try {
            created = store.recordUpload(account, stored, rawName, folderId);
        } catch (RuntimeException e) {
            uploader.discard(stored);
            throw e;
        }
        afterCommit(created);
        return new Created(created.file(), stored.md5());
    }

    /** Bytes in S3 under {@code objectKey} with their size and hashes, not yet referenced by any record. */
    public record Content(String objectKey, long size, String md5, String sha256) {
    }

    /** A record inserted by {@link #insertRecord}; {@code redundantKey} is an object dedup made unnecessary. */
    public record NewRecord(FileRecord file, String redundantKey) {
    }

    /** {@link FileStore#insertRecord}, inside the caller's transaction; call {@link #afterCommit} once it committed. */
    public NewRecord insertRecord(Account account, Content content, String rawName, Long folderId, String source) {
        return store.insertRecord(account, content, rawName, folderId, source);
    }

    /** After {@link #insertRecord}'s transaction committed: the object dedup made redundant goes. */
    public void afterCommit(NewRecord created) {
        if (created.redundantKey() != null) {
            uploader.deleteQuietly(created.redundantKey());
        }
    }

    public FileRecord info(Account account, String fileId) {
        return store.info(account, fileId);
    }

    public FileRecord edit(Account account, String fileId, String filename, String fileType, String folderParam,
                           boolean folderGiven) {
        // A folder_id that cannot be a folder id (a client's "None", or its new file name) is ignored as upstream
        // does, and the rest of the edit applies (behaviour.md §5); null/0/a number is a destination to check.
        folderGiven = folderGiven && couldBeFolderId(folderParam);
        Long folderId = null;
        if (folderGiven) {
            store.requireActive(account, fileId); // an unknown file is "not found" whatever the folder
            folderId = destinationFolder(folderParam, "folder_id");
        }
        return store.edit(account, fileId, filename, fileType, folderGiven, folderId);
    }

    public FileRecord trash(Account account, String fileId) {
        return store.trash(account, fileId);
    }

    public FileRecord move(Account account, String fileId, String newParent) {
        store.requireActive(account, fileId);
        return store.move(account, fileId, destinationFolder(newParent, "new_parent_folder_id"));
    }

    /** A new record sharing the original's stored object: one more reference, zero bytes copied. */
    public FileRecord copy(Account account, String fileId, String target) {
        store.requireActive(account, fileId);
        return store.copy(account, fileId, destinationFolder(target, "copy_to_folder_id"));
    }

    public record IssuedToken(FileRecord file, String token) {
    }

    public IssuedToken issueDownloadToken(Account account, String fileId, String shortUrl) {
        return store.issueDownloadToken(account, fileId, shortUrl);
    }

    /** folder.events FOLDERS_TRASHED, inside the consumer's transaction. */
    public int trashFolders(long tenantId, long accountId, List<Long> folderIds) {
        return store.trashFolders(tenantId, accountId, folderIds);
    }

    public Map<Long, long[]> folderStats(Account account, List<Long> folderIds) {
        return store.folderStats(account, folderIds);
    }

    public List<FileRecord> folderFiles(Account account, Long folderId) {
        return store.folderFiles(account, folderId);
    }

    /** The public page's download button: a token for an anonymous visitor of a public, active file. */
    public String issueForVisitor(long tenantId, String shortUrl) {
        return store.issueForVisitor(tenantId, shortUrl);
    }

    public FileRecord publicFile(long tenantId, String shortUrl) {
        return store.publicFile(tenantId, shortUrl);
    }

    /** The delete link of the upload response: the delete hash is the capability. */
    public FileRecord trashWithDeleteHash(long tenantId, String shortUrl, String deleteHash) {
        return store.trashWithDeleteHash(tenantId, shortUrl, deleteHash);
    }
}
