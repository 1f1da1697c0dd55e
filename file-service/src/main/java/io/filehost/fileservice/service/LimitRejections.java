package io.filehost.fileservice.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code filehost.limit.rejections{reason}}: requests or imports a package limit refused. Reasons are a fixed set
 * (never a message or an id), so the series stay bounded.
 */
@ApplicationScoped
public class LimitRejections {
    public static final String STORAGE = "storage_quota";
    public static final String MAX_UPLOAD_SIZE = "max_upload_size";
    public static final String CONCURRENT_UPLOADS = "concurrent_uploads";
    public static final String REMOTE_URLS = "max_remote_download_urls";
    public static final String CAN_UPLOAD = "can_upload";
    public static final String MAX_DOWNLOAD_FILESIZE = "max_download_filesize_allowed";
    public static final String DOWNLOADS_PER_24_HOURS = "downloads_per_24_hours";
    public static final String DOWNLOAD_SIZE_PER_24_HOURS = "download_size_per_24_hours";

    @Inject
    MeterRegistry registry;

    public void count(String reason) {
        registry.counter("filehost.limit.rejections", "reason", reason).increment();
    }
}
