package io.filehost.fileservice.client;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * folder-service's folder check with a time limit, retries and a circuit breaker. "No" is an answer (404 from
 * folder-service); anything else that is not "yes" leaves as {@link RemoteCall}'s shape, and the caller turns it into
 * the client's answer with {@link RemoteCall#unavailable}.
 */
@ApplicationScoped
public class FolderClient {
    @Inject
    @RestClient
    FolderRestClient client;

    /**
     * Whether the folder belongs to the caller and is active, checked as the holder of {@code jwt} (an internal JWT
     * obtained after a long upload, see {@code FreshTokens}); null: as the caller of the current request (its JWT
     * propagated).
     */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 100, retryOn = RemoteCall.Failure.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
            failOn = {RemoteCall.Failure.class, TimeoutException.class})
    @WithSpan("folder-service folder check")
    public boolean ownsActiveFolder(long folderId, String jwt) {
        try {
            client.folder(folderId, jwt == null ? null : "Bearer " + jwt);
            return true;
        } catch (WebApplicationException e) {
            if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                return false;
            }
            throw RemoteCall.classify("folder-service", e);
        } catch (RuntimeException e) {
            throw RemoteCall.classify("folder-service", e);
        }
    }
}
