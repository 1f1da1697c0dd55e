package io.filehost.fileservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;

/** A remote URL import ({@code scheduled_item_id}): owned by file-service, fetched by import-worker. */
@Entity
@Table(name = "url_import_job")
public class UrlImportJob extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String DOWNLOADING = "downloading";
    public static final String PROCESSING = "processing";
    public static final String COMPLETE = "complete";
    public static final String FAILED = "failed";
    /** Statuses of a job that still waits for the worker: they count against max_remote_download_urls. */
    public static final List<String> OPEN = List.of(PENDING, DOWNLOADING, PROCESSING);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "tenant_id")
    public long tenantId;

    @Column(name = "account_id")
    public long accountId;

    public String url;

    @Column(name = "url_sha256")
    public String urlSha256;

    @Column(name = "folder_id")
    public Long folderId;

    public String status;

    public int attempt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String limits;

    @Column(name = "max_bytes")
    public long maxBytes;

    @Column(name = "client_ip")
    public String clientIp;

    @Column(name = "total_size")
    public Long totalSize;

    @Column(name = "downloaded_size")
    public long downloadedSize;

    public String error;

    @Column(name = "file_id")
    public Long fileId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "touched_at")
    public Instant touchedAt;

    /** An error longer than this is cut: it is shown to the client and kept for the job's lifetime. */
    private static final int MAX_ERROR_LENGTH = 1000;

    /** The job failed with {@code error} (shown by /file/url_upload_status). */
    public void fail(String error) {
        status = FAILED;
        this.error = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        finishedAt = Instant.now();
        touchedAt = finishedAt;
    }

    public boolean open() {
        return OPEN.contains(status);
    }
}
