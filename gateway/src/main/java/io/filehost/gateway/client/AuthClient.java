package io.filehost.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.filehost.common.api.ApiDates;
import io.filehost.gateway.auth.Grant;
import io.filehost.gateway.tenant.Tenant;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * auth-service as the gateway needs it, guarded: a slow auth-service fails the call after the timeout instead of
 * holding the client, and a failing one opens the breaker so requests fail fast (503) rather than pile up. Refusals
 * (401) and unknown hosts (404) are ordinary answers and are excluded from the breaker's failure count.
 *
 * <p>The methods return {@link Uni}: with SmallRye Fault Tolerance in its default (non-MP-compatible) mode an
 * async return type makes the guard asynchronous, so nothing blocks the event loop.
 */
@ApplicationScoped
public class AuthClient {

    @Inject
    @RestClient
    AuthRestClient api;

    /**
     * Fails with {@link AuthRefusedException} when auth-service refuses the token. One retry on a fault: the REST
     * client balances over auth-service's replicas (Stork, least-response-time: a replica that just failed is
     * avoided for a while), so the retry goes to another replica when one has just died. Refusals are answers and
     * never retried.
     */
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2,
            skipOn = {AuthRefusedException.class, AuthNotFoundException.class})
    @Retry(maxRetries = 1, delay = 50, abortOn = {AuthRefusedException.class, AuthNotFoundException.class})
    @WithSpan
    public Uni<Grant> introspect(String tenantId, String requestId, String accessToken, String accountId) {
        return api.introspect(tenantId, requestId, accessToken, accountId).map(AuthClient::toGrant);
    }

    /** Fails with {@link AuthNotFoundException} when no tenant serves the host. */
    @Timeout(3000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2,
            skipOn = {AuthRefusedException.class, AuthNotFoundException.class})
    @Retry(maxRetries = 1, delay = 50, abortOn = {AuthRefusedException.class, AuthNotFoundException.class})
    @WithSpan
    public Uni<Tenant> resolveTenant(String host) {
        return api.resolveTenant(host).map(AuthClient::toTenant);
    }

    static Grant toGrant(JsonNode body) {
        String jwt = text(body, "jwt");
        String accountId = text(body, "accountId");
        String tenantId = text(body, "tenantId");
        JsonNode expiresAt = body == null ? null : body.get("expiresAt");
        if (jwt == null || accountId == null || tenantId == null || expiresAt == null || !expiresAt.canConvertToLong()) {
            throw new AuthServiceException("auth-service sent an incomplete introspection answer");
        }
        return new Grant(accountId, tenantId, jwt, expiresAt.asLong(), text(body, "tokenHash"));
    }

    static Tenant toTenant(JsonNode body) {
        String id = text(body, "tenantId");
        if (id == null) {
            throw new AuthServiceException("auth-service sent a tenant without tenantId");
        }
        String baseUrl = text(body, "publicBaseUrl");
        if (baseUrl != null) {
            baseUrl = baseUrl.trim();
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
            if (baseUrl.isEmpty()) {
                baseUrl = null;
            }
        }
        JsonNode strict = body.get("strictHttp");
        String zoneId = text(body, "timeZone");
        var zone = ApiDates.zoneOrUtc(zoneId);
        return new Tenant(id, text(body, "name"), baseUrl, strict != null && strict.asBoolean(false), zone.getId(), zone);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }
}
