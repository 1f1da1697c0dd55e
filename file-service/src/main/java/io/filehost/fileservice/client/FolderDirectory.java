package io.filehost.fileservice.client;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks folder-service whether a folder belongs to the caller and is active. "No" is an answer (404 from
 * folder-service); an unreachable or failing folder-service is not, and becomes 503 — never a silent default.
 */
@ApplicationScoped
public class FolderDirectory {
    @Inject
    @RestClient
    FolderServiceClient client;

    @Inject
    FolderDirectory self;

    public boolean ownsActiveFolder(long folderId) {
        try {
            return self.lookup(folderId);
        } catch (TimeoutException e) {
            throw new ApiException(503, ApiMessages.SERVICE_TIMEOUT);
        } catch (CircuitBreakerOpenException | FolderServiceFailure e) {
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        } catch (RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        }
    }

    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 100, retryOn = FolderServiceFailure.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
            failOn = {FolderServiceFailure.class, TimeoutException.class})
    public boolean lookup(long folderId) {
        try {
            client.folder(folderId);
            return true;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status == 404) {
                return false;
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
}
