package io.filehost.gateway.auth;

import io.filehost.common.security.Secrets;
import io.filehost.gateway.client.AuthRefusedException;
import io.filehost.gateway.client.AuthService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * access_token + account_id → internal JWT, from the cache or from auth-service. Fails with
 * {@link io.filehost.gateway.client.AuthRefusedException} when refused, with anything else when auth-service could
 * not answer.
 */
@ApplicationScoped
public class Introspector {
    @Inject
    IntrospectionCache cache;

    @Inject
    AuthService auth;

    public Uni<Grant> introspect(String tenantId, String requestId, String accessToken, String accountId) {
        String tokenHash = Secrets.sha256Hex(accessToken);
        Grant cached = cache.lookup(tokenHash, accountId, tenantId);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        long started = System.nanoTime();
        return auth.introspect(tenantId, requestId, accessToken, accountId).map(grant -> {
            // auth-service vouches for account and tenant; a grant for anyone else is never cached or used.
            if (!grant.accountId().equals(accountId) || !grant.tenantId().equals(tenantId)) {
                throw new AuthRefusedException(null);
            }
            cache.put(tokenHash, grant, started);
            return grant;
        });
    }
}
