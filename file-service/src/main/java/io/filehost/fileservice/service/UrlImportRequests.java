package io.filehost.fileservice.service;

import io.filehost.fileservice.config.FilesConfig;
import io.filehost.fileservice.entity.UrlImportJob;
import io.filehost.messaging.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;

/** The import-worker's request for a job's current attempt (internal-api.md "Remote URL import"). */
@ApplicationScoped
public class UrlImportRequests {
    @Inject
    Outbox outbox;

    @Inject
    FilesConfig config;

    /** Into the outbox of the caller's transaction: sent if, and only if, the job's change commits. */
    public void publish(UrlImportJob job) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jobId", job.id.toString());
        request.put("attempt", job.attempt);
        request.put("tenantId", Long.toString(job.tenantId));
        request.put("accountId", Long.toString(job.accountId));
        request.put("url", job.url);
        request.put("maxBytes", job.maxBytes);
        request.put("requestedAt", System.currentTimeMillis());
        outbox.publish(config.urlImport().requestsTopic(), job.id.toString(), request);
    }
}
