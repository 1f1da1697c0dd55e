package io.filehost.fileservice.entity;

import io.filehost.fileservice.service.ShortUrls;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Formula;

import java.time.Instant;

@Entity
@Table(name = "file_record")
public class FileRecord extends PanacheEntityBase {
    public static final String ACTIVE = "active";
    public static final String TRASH = "trash";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public long tenantId;

    @Column(name = "account_id")
    public long accountId;

    @Column(name = "stored_object_id")
    public long storedObjectId;

    public String filename;

    @Column(name = "file_type")
    public String fileType;

    public String extension;

    @Column(name = "file_size")
    public long fileSize;

    @Column(name = "uploaded_ip")
    public String uploadedIp;

    @Column(name = "uploaded_date")
    public Instant uploadedDate;

    public String status;

    public long downloads;

    @Column(name = "last_accessed")
    public Instant lastAccessed;

    @Column(name = "folder_id")
    public Long folderId;

    public String keywords;

    @Column(name = "is_public")
    public int isPublic;

    @Column(name = "upload_source")
    public String uploadSource;

    @Column(name = "delete_hash")
    public String deleteHash;

    @Column(name = "unique_hash")
    public String uniqueHash;

    @Column(name = "trashed_at")
    public Instant trashedAt;

    /**
     * md5 hex of the content (file info's {@code hash}): it belongs to the stored bytes, which copies and dedup share,
     * so it is read from {@code stored_object} with the row (a primary-key subquery, no second round trip) and never
     * written through a record. A record made in this transaction has it only when its maker sets it.
     */
    @Formula("(select s.md5 from stored_object s where s.id = stored_object_id)")
    public String md5;

    public boolean active() {
        return ACTIVE.equals(status);
    }

    /** The active file of the tenant that a short URL names, or {@code null} (also for another tenant's file). */
    public static FileRecord activeByShortUrl(long tenantId, String shortUrl) {
        Long id = ShortUrls.decode(shortUrl);
        if (id == null) {
            return null;
        }
        FileRecord file = findById(id);
        return file == null || file.tenantId != tenantId || !file.active() ? null : file;
    }
}
