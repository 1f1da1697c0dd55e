package io.filehost.fileservice.client;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.rest.Caller;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks folder-service whether a folder belongs to the caller and is active. "No" is an answer (404 from
 * folder-service); an unreachable, failing or refusing folder-service is not, and becomes 503 — never a silent
 * default — logged with the request id and the reason, since the client only sees "temporarily unavailable".
 */
@ApplicationScoped
public class FolderDirectory {
    private static final Logger LOG = Logger.getLogger(FolderDirectory.class);

    @Inject
    @RestClient
    FolderServiceClient client;

    @Inject
    FolderDirectory self;

    @Inject
    Caller caller;

    /** Checked as the caller of the current request (its JWT propagated). */
    public boolean ownsActiveFolder(long folderId) {
        return ownsActiveFolder(folderId, null);
    }

    /**
     * Checked as the holder of {@code jwt} (an internal JWT obtained after a long upload, see {@link FreshTokens});
     * null: as the caller of the current request.
     */
    public boolean ownsActiveFolder(long folderId, String jwt) {
        try {
            return self.lookup(folderId, jwt == null ? null : "Bearer " + jwt);
        } catch (TimeoutException e) {
            warn(folderId, "no answer in time");
            throw new ApiException(503, ApiMessages.SERVICE_TIMEOUT);
        } catch (CircuitBreakerOpenException e) {
            warn(folderId, "not asked, folder-service failed repeatedly (circuit open)");
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        } catch (FolderServiceFailure | FolderServiceRefusal e) {
            warn(folderId, e.getMessage());
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        } catch (RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            warn(folderId, e.toString());
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        }
    }

    private void warn(long folderId, String reason) {
        String requestId = Arc.container().requestContext().isActive() ? caller.requestId() : null;
        LOG.warnf("request %s: check of folder %d failed: %s", requestId, folderId, reason);
    }

    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 100, retryOn = FolderServiceFailure.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
            failOn = {FolderServiceFailure.class, TimeoutException.class})
    public boolean lookup(long folderId, String authorization) {
        try {
            client.folder(folderId, authorization);
            return true;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status == 404) {
                return false;
            }
            if (status >= 400 && status < 500) {
                // A refusal (401: the JWT is not accepted) is no outage: retrying or opening the circuit would not help.
                throw new FolderServiceRefusal("folder-service refused the check with " + status);
            }
            throw new FolderServiceFailure("folder-service answered " + status);
        } catch (RuntimeException e) {
            throw new FolderServiceFailure("folder-service unreachable: " + e.getMessage());
        }
    }

    public static final class FolderServiceFailure extends RuntimeException {
        FolderServiceFailure(String message) {
            super(message);
        }
    }

    public static final class FolderServiceRefusal extends RuntimeException {
        FolderServiceRefusal(String message) {
            super(message);
        }
    }
}
