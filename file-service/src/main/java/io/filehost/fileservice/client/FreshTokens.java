package io.filehost.fileservice.client;

import io.filehost.common.api.ApiException;
import io.filehost.common.api.ApiMessages;
import io.filehost.fileservice.config.FilesConfig;
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
 * A fresh internal JWT for the caller of a request whose own JWT may have expired during a long transfer: a
 * {@code folder_id} that arrives after an upload's file part is checked with it, because a transfer may take
 * hours and the request's JWT lives minutes. auth-service signs the new JWT after checking file-service's service key
 * ({@code filehost.files.service-key}) and re-reading the account, so a disabled account is refused here.
 */
@ApplicationScoped
public class FreshTokens {
    private static final Logger LOG = Logger.getLogger(FreshTokens.class);

    @Inject
    @RestClient
    TokenExchangeClient client;

    @Inject
    FilesConfig config;

    @Inject
    FreshTokens self;

    /** 401 if auth-service refuses the caller (account no longer active); 503 if it cannot answer. */
    public String exchange(String requestJwt, String requestId) {
        try {
            return self.call(requestJwt, requestId);
        } catch (Refused e) {
            LOG.warnf("request %s: auth-service refused the token exchange: %s", requestId, e.getMessage());
            throw ApiException.unauthorized(ApiMessages.INVALID_TOKEN);
        } catch (TimeoutException e) {
            LOG.warnf("request %s: token exchange: auth-service did not answer in time", requestId);
            throw new ApiException(503, ApiMessages.SERVICE_TIMEOUT);
        } catch (CircuitBreakerOpenException e) {
            LOG.warnf("request %s: token exchange not tried: auth-service failed repeatedly (circuit open)", requestId);
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        } catch (Failure e) {
            LOG.warnf("request %s: token exchange failed: %s", requestId, e.getMessage());
            throw new ApiException(503, ApiMessages.SERVICE_UNAVAILABLE);
        }
    }

    @Timeout(3000)
    @Retry(maxRetries = 2, delay = 100, retryOn = Failure.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000,
            failOn = {Failure.class, TimeoutException.class})
    public String call(String requestJwt, String requestId) {
        try {
            String jwt = client.exchange(config.serviceKey(), requestId, requestJwt).path("jwt").asText("");
            if (jwt.isEmpty()) {
                throw new Failure("auth-service answered without a jwt");
            }
            return jwt;
        } catch (WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status >= 400 && status < 500) {
                throw new Refused("auth-service answered " + status + " " + body(e));
            }
            throw new Failure("auth-service answered " + status);
        } catch (Refused | Failure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Failure("auth-service unreachable: " + e.getMessage());
        }
    }

    private static String body(WebApplicationException e) {
        try {
            return e.getResponse().readEntity(String.class);
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** auth-service said no: not retried, and not a sign of an outage. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }
}
