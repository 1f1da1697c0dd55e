package io.filehost.authservice.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.util.List;
import java.util.Optional;

/**
 * An account package (upstream: "user level") of one tenant: the limits of behaviour.md §4. Sizes in bytes, 0 means
 * unlimited. {@code name} is the short operator handle (free, paid, admin); {@code label} is what users see.
 */
@Entity
@Table(name = "packages")
public class AccountPackage extends PanacheEntityBase {
    @Id
    @SequenceGenerator(name = "package_id", sequenceName = "package_id_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "package_id")
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id", nullable = false)
    public Tenant tenant;

    @Column(nullable = false, length = 32)
    public String name;

    @Column(nullable = false, length = 255)
    public String label;

    @Column(name = "max_upload_size", nullable = false)
    public long maxUploadSize;

    @Column(name = "can_upload", nullable = false)
    public boolean canUpload;

    @Column(name = "wait_between_downloads", nullable = false)
    public int waitBetweenDownloads;

    @Column(name = "download_speed", nullable = false)
    public long downloadSpeed;

    @Column(name = "max_storage_bytes", nullable = false)
    public long maxStorageBytes;

    @Column(name = "show_site_adverts", nullable = false)
    public boolean showSiteAdverts;

    @Column(name = "show_upgrade_screen", nullable = false)
    public boolean showUpgradeScreen;

    @Column(name = "days_to_keep_inactive_files", nullable = false)
    public int daysToKeepInactiveFiles;

    @Column(name = "concurrent_uploads", nullable = false)
    public int concurrentUploads;

    @Column(name = "concurrent_downloads", nullable = false)
    public int concurrentDownloads;

    @Column(name = "downloads_per_24_hours", nullable = false)
    public int downloadsPer24Hours;

    @Column(name = "download_size_per_24_hours", nullable = false)
    public long downloadSizePer24Hours;

    @Column(name = "max_download_filesize_allowed", nullable = false)
    public long maxDownloadFilesizeAllowed;

    @Column(name = "max_remote_download_urls", nullable = false)
    public int maxRemoteDownloadUrls;

    @Column(name = "level_type", nullable = false, length = 32)
    public String levelType;

    @Column(name = "on_upgrade_page", nullable = false)
    public boolean onUpgradePage;

    public static Optional<AccountPackage> findByTenantAndName(Tenant tenant, String name) {
        return find("tenant = ?1 and name = ?2", tenant, name).firstResultOptional();
    }

    public static List<AccountPackage> listByTenant(Tenant tenant) {
        return list("tenant = ?1 order by id", tenant);
    }
}
