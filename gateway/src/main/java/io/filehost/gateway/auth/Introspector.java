package io.filehost.gateway.auth;

import io.filehost.common.security.Secrets;
import io.filehost.gateway.client.AuthRefusedException;
import io.filehost.gateway.client.AuthClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
    AuthClient auth;

    private final Counter hits;
    private final Counter misses;

    @Inject
    public Introspector(MeterRegistry registry) {
        hits = cacheCounter(registry, "hit");
        misses = cacheCounter(registry, "miss");
    }

    /**
     * The gateway's own view of the cache: a hit is a cached grant it could use (same account and tenant); a miss
     * means a call to auth-service. (Caffeine's {@code cache.gets} counts raw lookups, so an entry of another
     * account is a hit there but a miss here.)
     */
    private static Counter cacheCounter(MeterRegistry registry, String result) {
        return Counter.builder("gateway.introspection.cache")
                .description("Introspections answered from the gateway's cache (hit) or asked of auth-service (miss)")
                .tag("result", result)
                .register(registry);
    }

    public Uni<Grant> introspect(String tenantId, String requestId, String accessToken, String accountId) {
        String tokenHash = Secrets.sha256Hex(accessToken);
        Grant cached = cache.lookup(tokenHash, accountId, tenantId);
        if (cached != null) {
            hits.increment();
            return Uni.createFrom().item(cached);
        }
        misses.increment();
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
