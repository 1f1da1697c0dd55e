package io.filehost.fileservice.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.filehost.common.api.ApiException;
import io.filehost.common.internal.Account;
import io.filehost.common.security.Secrets;
import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.DownloadToken;
import io.filehost.fileservice.entity.FileRecord;
import io.filehost.fileservice.service.FileService.Content;
import io.filehost.fileservice.service.FileService.NewRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The transactional half of the file service: every read and write of file records and download tokens, never a
 * remote call, so no transaction (and no pooled connection) waits on folder-service. A destination folder arrives
 * here already checked by {@link FileService}. Lock order everywhere: account usage row, then stored object, then the
 * naming lock.
 */
@ApplicationScoped
public class FileStore {
    @Inject
    EntityManager entityManager;

    @Inject
    Quotas quotas;

    @Inject
    FilesConfig config;

    @Inject
    LimitRejections rejections;

    @Inject
    ObjectMapper json;

    /** The uploaded bytes' session quota becomes usage, and the bytes a file record, in one new transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public NewRecord recordUpload(Account account, Uploader.Stored stored, String rawName, Long folderId) {
        quotas.convert(stored.session(), account.tenantId(), account.accountId(), stored.size());
        return insertRecord(account, new Content(stored.objectKey(), stored.size(), stored.md5(), stored.sha256()),
                rawName, folderId, "api");
    }

    /**
     * Inside the caller's transaction (which has already accounted the quota): one more reference to the content's
     * bytes — an existing object of the tenant with the same sha256 if there is one (dedup), else the new object — and
     * a new active record with a free name in the folder. Call {@link FileService#afterCommit} once the transaction
     * committed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public NewRecord insertRecord(Account account, Content content, String rawName, Long folderId, String source) {
        Object[] object = (Object[]) entityManager.createNativeQuery(
                        "insert into stored_object (tenant_id, object_key, size, md5, sha256, ref_count) "
                                + "values (?1, ?2, ?3, ?4, ?5, 1) on conflict (tenant_id, sha256) do update "
                                + "set ref_count = stored_object.ref_count + 1 returning id, object_key")
                .setParameter(1, account.tenantId()).setParameter(2, content.objectKey())
                .setParameter(3, content.size()).setParameter(4, content.md5()).setParameter(5, content.sha256())
                .getSingleResult();
        long objectId = ((Number) object[0]).longValue();
        FileRecord record = new FileRecord();
        record.tenantId = account.tenantId();
        record.accountId = account.accountId();
        record.storedObjectId = objectId;
        record.folderId = folderId;
        record.filename = uniqueName(account, folderId, rawName, null);
        describe(record);
        record.fileType = FileNames.mimeType(record.filename);
        record.fileSize = content.size();
        record.uploadedIp = account.clientIp();
        record.uploadedDate = Instant.now();
        record.status = FileRecord.ACTIVE;
        record.isPublic = 1;
        record.uploadSource = source;
        record.deleteHash = Secrets.randomHex(16);
        record.uniqueHash = Secrets.randomHex(32);
        record.md5 = content.md5(); // the same bytes as a deduplicated object's: same md5
        record.persist();
        return new NewRecord(record, content.objectKey().equals(object[1]) ? null : content.objectKey());
    }

    private static void describe(FileRecord record) {
        record.extension = FileNames.extension(record.filename);
        record.keywords = FileNames.keywords(record.filename);
    }

    /** Serialises naming per account (advisory lock) so two concurrent uploads of one name never both win it. */
    private String uniqueName(Account account, Long folderId, String name, Long excludeId) {
        entityManager.createNativeQuery("select pg_advisory_xact_lock(?1, ?2)")
                .setParameter(1, (int) account.tenantId()).setParameter(2, (int) account.accountId()).getSingleResult();
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        @SuppressWarnings("unchecked")
        List<String> names = entityManager.createNativeQuery("select filename from file_record where tenant_id = ?1 "
                        + "and account_id = ?2 and folder_id is not distinct from ?3 and status = 'active' "
                        + "and left(filename, ?4) = ?5 and id <> ?6")
                .setParameter(1, account.tenantId()).setParameter(2, account.accountId())
                .setParameter(3, folderId == null ? null : folderId).setParameter(4, base.length())
                .setParameter(5, base).setParameter(6, excludeId == null ? -1L : excludeId).getResultList();
        Set<String> taken = new HashSet<>(names);
        return FileNames.unique(name, taken);
    }

    /** A record of the caller's account (any status but purged); other accounts' and tenants' ids are "not found". */
    private FileRecord owned(Account account, String fileIdParam, boolean activeOnly) {
        Long id = io.filehost.common.api.ApiParams.parseId(fileIdParam);
        if (id == null) {
            throw ApiException.notFound(FileService.NOT_FOUND);
        }
        FileRecord file = FileRecord.findById(id);
        if (file == null || file.tenantId != account.tenantId() || file.accountId != account.accountId()
                || (activeOnly && !file.active())) {
            throw ApiException.notFound(FileService.NOT_FOUND);
        }
        return file;
    }

    @Transactional
    public FileRecord info(Account account, String fileId) {
        return owned(account, fileId, false);
    }

    /** 404 unless the file is the caller's and active: checked before a remote call, so its answer keeps precedence. */
    @Transactional
    public void requireActive(Account account, String fileId) {
        owned(account, fileId, true);
    }

    /** {@code folderGiven}: {@code folderId} (checked by the caller; null = root) is the new folder. */
    @Transactional
    public FileRecord edit(Account account, String fileId, String filename, String fileType, boolean folderGiven,
                           Long folderId) {
        FileRecord file = owned(account, fileId, true);
        if (folderGiven) {
            file.folderId = folderId;
        }
        if (fileType != null) {
            if (fileType.length() > 255) {
                throw ApiException.badRequest("The fileType param is longer than 255 characters.");
            }
            file.fileType = fileType;
        }
        String name = filename != null ? FileNames.clean(filename) : file.filename;
        if (filename != null || folderGiven) {
            file.filename = uniqueName(account, file.folderId, name, file.id);
            describe(file);
        }
        return file;
    }

    @Transactional
    public FileRecord trash(Account account, String fileId) {
        FileRecord file = owned(account, fileId, true);
        moveToTrash(file);
        return file;
    }

    private void moveToTrash(FileRecord file) {
        file.status = FileRecord.TRASH;
        file.folderId = null;
        file.trashedAt = Instant.now();
        quotas.credit(file.tenantId, file.accountId, file.fileSize);
    }

    /** {@code folderId}: checked by the caller; null = root. */
    @Transactional
    public FileRecord move(Account account, String fileId, Long folderId) {
        FileRecord file = owned(account, fileId, true);
        file.folderId = folderId;
        file.filename = uniqueName(account, file.folderId, file.filename, file.id);
        describe(file);
        return file;
    }

    /** A new record sharing the original's stored object: one more reference, zero bytes copied. */
    @Transactional
    public FileRecord copy(Account account, String fileId, Long folderId) {
        FileRecord original = owned(account, fileId, true);
        if (!quotas.charge(account.tenantId(), account.accountId(), original.fileSize,
                account.limits().effectiveStorageLimit())) {
            rejections.count(LimitRejections.STORAGE);
            throw ApiException.tooLarge(Quotas.STORAGE_FULL);
        }
        entityManager.createNativeQuery("update stored_object set ref_count = ref_count + 1 where id = ?1")
                .setParameter(1, original.storedObjectId).executeUpdate();
        FileRecord copy = new FileRecord();
        copy.tenantId = original.tenantId;
        copy.accountId = original.accountId;
        copy.storedObjectId = original.storedObjectId;
        copy.folderId = folderId;
        copy.filename = uniqueName(account, folderId, original.filename, null);
        describe(copy);
        copy.fileType = original.fileType;
        copy.fileSize = original.fileSize;
        copy.uploadedIp = account.clientIp();
        copy.uploadedDate = Instant.now();
        copy.status = FileRecord.ACTIVE;
        copy.isPublic = original.isPublic;
        copy.uploadSource = original.uploadSource;
        copy.deleteHash = Secrets.randomHex(16);
        copy.uniqueHash = Secrets.randomHex(32);
        copy.md5 = original.md5;
        copy.persist();
        return copy;
    }

    @Transactional
    public FileService.IssuedToken issueDownloadToken(Account account, String fileId, String shortUrl) {
        String id = fileId;
        if (id == null && shortUrl != null) {
            Long decoded = ShortUrls.decode(shortUrl);
            id = decoded == null ? null : decoded.toString();
        }
        FileRecord file = owned(account, id, true);
        return new FileService.IssuedToken(file, issueFor(file, account.accountId(), account.limits().toClaim()));
    }

    /** Issues a token for a file as {@code accountId} with those limits (API download, or the public page's button). */
    private String issueFor(FileRecord file, long accountId, Map<String, Object> limits) {
        String token = Secrets.randomHex(32);
        DownloadToken row = new DownloadToken();
        row.tokenHash = Secrets.sha256Hex(token);
        row.tenantId = file.tenantId;
        row.accountId = accountId;
        row.fileId = file.id;
        try {
            row.limits = json.writeValueAsString(limits);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        row.createdAt = Instant.now();
        row.expiresAt = row.createdAt.plus(config.downloadTokenTtl());
        row.persist();
        return token;
    }

    /** folder.events FOLDERS_TRASHED: every active file of the account in those folders goes to trash. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int trashFolders(long tenantId, long accountId, List<Long> folderIds) {
        if (folderIds.isEmpty()) {
            return 0;
        }
        List<FileRecord> files = FileRecord.list("tenantId = ?1 and accountId = ?2 and status = ?3 and folderId in ?4",
                tenantId, accountId, FileRecord.ACTIVE, folderIds);
        files.forEach(this::moveToTrash);
        // Imports and resumable uploads still on their way into those folders land in the root instead of a trashed
        // folder.
        entityManager.createNativeQuery("update url_import_job set folder_id = null where tenant_id = ?1 "
                        + "and account_id = ?2 and folder_id in (?3) and status in ('pending', 'downloading', 'processing')")
                .setParameter(1, tenantId).setParameter(2, accountId).setParameter(3, folderIds).executeUpdate();
        entityManager.createNativeQuery("update tus_upload set folder_id = null where tenant_id = ?1 "
                        + "and account_id = ?2 and folder_id in (?3) and status <> 'completed'")
                .setParameter(1, tenantId).setParameter(2, accountId).setParameter(3, folderIds).executeUpdate();
        return files.size();
    }

    @Transactional
    public Map<Long, long[]> folderStats(Account account, List<Long> folderIds) {
        Map<Long, long[]> stats = new LinkedHashMap<>();
        folderIds.forEach(id -> stats.put(id, new long[3]));
        if (folderIds.isEmpty()) {
            return stats;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("select folder_id, coalesce(sum(file_size), 0), count(*), "
                        + "coalesce(sum(downloads), 0) from file_record where tenant_id = ?1 and account_id = ?2 "
                        + "and status = 'active' and folder_id in (?3) group by folder_id")
                .setParameter(1, account.tenantId()).setParameter(2, account.accountId()).setParameter(3, folderIds)
                .getResultList();
        for (Object[] row : rows) {
            stats.put(((Number) row[0]).longValue(), new long[]{((Number) row[1]).longValue(),
                    ((Number) row[2]).longValue(), ((Number) row[3]).longValue()});
        }
        return stats;
    }

    @Transactional
    public List<FileRecord> folderFiles(Account account, Long folderId) {
        if (folderId == null) {
            return FileRecord.list("tenantId = ?1 and accountId = ?2 and status = ?3 and folderId is null "
                    + "order by filename, id", account.tenantId(), account.accountId(), FileRecord.ACTIVE);
        }
        return FileRecord.list("tenantId = ?1 and accountId = ?2 and status = ?3 and folderId = ?4 "
                + "order by filename, id", account.tenantId(), account.accountId(), FileRecord.ACTIVE, folderId);
    }

    /** The public page's download button: a token for an anonymous visitor of a public, active file. */
    @Transactional
    public String issueForVisitor(long tenantId, String shortUrl) {
        FileRecord file = FileRecord.activeByShortUrl(tenantId, shortUrl);
        if (file == null || file.isPublic == 0) {
            return null;
        }
        // Visitors have no package of their own here; a tenant guest package would come from auth-service.
        return issueFor(file, 0L, Map.of());
    }

    @Transactional
    public FileRecord publicFile(long tenantId, String shortUrl) {
        return FileRecord.activeByShortUrl(tenantId, shortUrl);
    }

    /** The delete link of the upload response: the delete hash is the capability. */
    @Transactional
    public FileRecord trashWithDeleteHash(long tenantId, String shortUrl, String deleteHash) {
        FileRecord file = FileRecord.activeByShortUrl(tenantId, shortUrl);
        if (file == null || deleteHash == null || !Secrets.constantTimeEquals(file.deleteHash, deleteHash)) {
            return null;
        }
        moveToTrash(file);
        return file;
    }
}
