package io.filehost.fileservice.service;

import io.filehost.common.rest.Caller;
import io.filehost.fileservice.client.FolderClient;
import io.filehost.fileservice.client.RemoteCall;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether a folder belongs to the caller and is active, asked of folder-service. Always called outside any transaction:
 * the check may take its time limit and retries, and no database connection may wait on it.
 */
@ApplicationScoped
public class FolderChecks {
    @Inject
    FolderClient folders;

    @Inject
    Caller caller;

    /**
     * {@code jwt}: the internal JWT to check with (obtained after a long upload, see {@link FreshTokens}); null: the
     * request's own. "No" is an answer; folder-service failing is a 503, never a silent "no".
     */
    public boolean ownsActiveFolder(long folderId, String jwt) {
        try {
            return folders.ownsActiveFolder(folderId, jwt);
        } catch (RuntimeException e) {
            String requestId = Arc.container().requestContext().isActive() ? caller.requestId() : null;
            throw RemoteCall.unavailable(requestId, "check of folder " + folderId, e);
        }
    }
}
