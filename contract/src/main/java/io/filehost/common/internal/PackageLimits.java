package io.filehost.common.internal;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The package limits a service enforces, carried in the internal JWT's {@code pkg} claim so no service has to ask
 * auth-service per request. Sizes are bytes; 0 means unlimited (behaviour.md §4). {@code storageLimitOverride} is the
 * account's own override of {@code maxStorageBytes}, or {@code null}.
 */
public record PackageLimits(
        long packageId,
        boolean canUpload,
        long maxUploadSize,
        long maxStorageBytes,
        Long storageLimitOverride,
        int concurrentUploads,
        long downloadSpeed,
        int concurrentDownloads,
        int waitBetweenDownloads,
        int downloadsPer24Hours,
        long downloadSizePer24Hours,
        long maxDownloadFilesizeAllowed,
        int maxRemoteDownloadUrls) {

    /** The storage quota that applies: the account's override when set, else the package's; 0 = unlimited. */
    public long effectiveStorageLimit() {
        return storageLimitOverride != null ? storageLimitOverride : maxStorageBytes;
    }

    public Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("package_id", packageId);
        claim.put("can_upload", canUpload);
        claim.put("max_upload_size", maxUploadSize);
        claim.put("max_storage_bytes", maxStorageBytes);
        if (storageLimitOverride != null) {
            claim.put("storage_limit_override", storageLimitOverride);
        }
        claim.put("concurrent_uploads", concurrentUploads);
        claim.put("download_speed", downloadSpeed);
        claim.put("concurrent_downloads", concurrentDownloads);
        claim.put("wait_between_downloads", waitBetweenDownloads);
        claim.put("downloads_per_24_hours", downloadsPer24Hours);
        claim.put("download_size_per_24_hours", downloadSizePer24Hours);
        claim.put("max_download_filesize_allowed", maxDownloadFilesizeAllowed);
        claim.put("max_remote_download_urls", maxRemoteDownloadUrls);
        return claim;
    }

    public static PackageLimits fromClaim(JsonObject claim) {
        return new PackageLimits(
                number(claim, "package_id"),
                claim.containsKey("can_upload") && claim.get("can_upload") == JsonValue.TRUE,
                number(claim, "max_upload_size"),
                number(claim, "max_storage_bytes"),
                claim.containsKey("storage_limit_override") ? number(claim, "storage_limit_override") : null,
                (int) number(claim, "concurrent_uploads"),
                number(claim, "download_speed"),
                (int) number(claim, "concurrent_downloads"),
                (int) number(claim, "wait_between_downloads"),
                (int) number(claim, "downloads_per_24_hours"),
                number(claim, "download_size_per_24_hours"),
                number(claim, "max_download_filesize_allowed"),
                (int) number(claim, "max_remote_download_urls"));
    }

    private static long number(JsonObject claim, String name) {
        JsonValue value = claim.get(name);
        return value instanceof JsonNumber n ? n.longValue() : 0L;
    }
}
