package io.filehost.authservice.service;

import io.filehost.authservice.entity.AccountPackage;

/**
 * Every setting of a package as /account/package lists it (behaviour.md §4), in that order. Sizes in bytes, 0 means
 * unlimited; the counters (concurrent_*, *_per_24_hours, max_remote_download_urls) also use 0 for unlimited.
 */
public record PackageSpec(
        String label,
        long maxUploadSize,
        boolean canUpload,
        int waitBetweenDownloads,
        long downloadSpeed,
        long maxStorageBytes,
        boolean showSiteAdverts,
        boolean showUpgradeScreen,
        int daysToKeepInactiveFiles,
        int concurrentUploads,
        int concurrentDownloads,
        int downloadsPer24Hours,
        long downloadSizePer24Hours,
        long maxDownloadFilesizeAllowed,
        int maxRemoteDownloadUrls,
        String levelType,
        boolean onUpgradePage) {

    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;

    /**
     * Seeded for every new tenant. Free: 100 MiB per file, 1 GiB in total, a few parallel transfers. Retention of
     * inactive files (0 = keep) and download throttles are left off: they are business decisions for the operator,
     * and a throttle nobody asked for looks like a bug.
     */
    public static PackageSpec free() {
        return new PackageSpec("Free Account", 100 * MIB, true, 0, 0, GIB, true, true, 0,
                5, 5, 0, 0, 0, 5, "free user", false);
    }

    /** The documentation's sample package (Premium Account), with a 10 GiB upload limit. */
    public static PackageSpec paid() {
        return new PackageSpec("Premium Account", 10 * GIB, true, 0, 0, 0, false, true, 0,
                100, 0, 0, 0, 0, 50, "paid user", false);
    }

    /** Everything unlimited. */
    public static PackageSpec admin() {
        return new PackageSpec("Admin", 0, true, 0, 0, 0, false, false, 0,
                0, 0, 0, 0, 0, 0, "admin", false);
    }

    public static PackageSpec of(AccountPackage p) {
        return new PackageSpec(p.label, p.maxUploadSize, p.canUpload, p.waitBetweenDownloads, p.downloadSpeed,
                p.maxStorageBytes, p.showSiteAdverts, p.showUpgradeScreen, p.daysToKeepInactiveFiles,
                p.concurrentUploads, p.concurrentDownloads, p.downloadsPer24Hours, p.downloadSizePer24Hours,
                p.maxDownloadFilesizeAllowed, p.maxRemoteDownloadUrls, p.levelType, p.onUpgradePage);
    }

    void applyTo(AccountPackage p) {
        p.label = label;
        p.maxUploadSize = maxUploadSize;
        p.canUpload = canUpload;
        p.waitBetweenDownloads = waitBetweenDownloads;
        p.downloadSpeed = downloadSpeed;
        p.maxStorageBytes = maxStorageBytes;
        p.showSiteAdverts = showSiteAdverts;
        p.showUpgradeScreen = showUpgradeScreen;
        p.daysToKeepInactiveFiles = daysToKeepInactiveFiles;
        p.concurrentUploads = concurrentUploads;
        p.concurrentDownloads = concurrentDownloads;
        p.downloadsPer24Hours = downloadsPer24Hours;
        p.downloadSizePer24Hours = downloadSizePer24Hours;
        p.maxDownloadFilesizeAllowed = maxDownloadFilesizeAllowed;
        p.maxRemoteDownloadUrls = maxRemoteDownloadUrls;
        p.levelType = levelType;
        p.onUpgradePage = onUpgradePage;
    }
}
