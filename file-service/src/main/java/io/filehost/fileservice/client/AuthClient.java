package io.filehost.fileservice.client;

import io.filehost.fileservice.config.FilesConfig;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * auth-service's token exchange with a time limit, retries and a circuit breaker; failures leave as
 * {@link RemoteCall}'s shape (a {@link RemoteCall.Refused} when auth-service refuses the caller).
 */
@ApplicationScoped
public class AuthClient {
    @Inject
    @RestClient
    AuthRestClient client;

    @Inject
    FilesConfig config;

    /** A fresh internal JWT for the holder of {@code requestJwt}, which may have expired. */
    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 100, retryOn = RemoteCall.Failure.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
            failOn = {RemoteCall.Failure.class, TimeoutException.class})
    @WithSpan("auth-service token exchange")
    public String exchange(String requestJwt, String requestId) {
        String jwt;
        try {
            jwt = client.exchange(config.serviceKey(), requestId, requestJwt).path("jwt").asText("");
        } catch (RuntimeException e) {
            throw RemoteCall.classify("auth-service", e);
        }
        if (jwt.isEmpty()) {
            throw new RemoteCall.Failure("auth-service answered without a jwt");
        }
        return jwt;
    }
}
