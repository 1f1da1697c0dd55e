package io.filehost.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.filehost.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Positive introspections, keyed by the SHA-256 of the access token (the token itself is never kept). An entry lives
 * for the configured TTL but never past its JWT's expiry minus a margin, so a forwarded JWT always has time left.
 * Refusals are not cached: a token that starts working (or a typo fixed) is seen at once.
 *
 * <p>Caffeine directly rather than quarkus-cache: entries need their own expiry (bounded by the JWT) and eviction by
 * account needs to look at values; quarkus-cache offers neither.
 *
 * <p>Revocation race: an introspection that started before a revocation may answer after the eviction and would
 * re-insert a revoked grant. Recent revocations are therefore remembered for one TTL, and a grant obtained by a call
 * that started before one of them is not cached.
 */
@ApplicationScoped
public class IntrospectionCache {
    private final Cache<String, Grant> grants;
    /** "t:{hash}" or "a:{tenant}:{account}" → System.nanoTime() of the revocation. */
    private final Cache<String, Long> revocations;
    private final Duration ttl;
    private final Duration margin;

    @Inject
    public IntrospectionCache(GatewayConfig config, MeterRegistry registry) {
        this.ttl = config.introspection().ttl();
        this.margin = config.introspection().jwtExpiryMargin();
        this.grants = Caffeine.newBuilder()
                .maximumSize(config.introspection().maxEntries())
                .expireAfter(Expiry.<String, Grant>creating((hash, grant) -> lifetime(grant)))
                .recordStats()
                .build();
        this.revocations = Caffeine.newBuilder()
                .maximumSize(config.introspection().maxEntries())
                .expireAfterWrite(ttl.plusSeconds(5))
                .build();
        CaffeineCacheMetrics.monitor(registry, grants, "gateway-introspection");
    }

    /** A cached grant for this token, if it belongs to that account and tenant; anything else is a miss. */
    public Grant lookup(String tokenHash, String accountId, String tenantId) {
        Grant grant = grants.getIfPresent(tokenHash);
        if (grant == null || !grant.accountId().equals(accountId) || !grant.tenantId().equals(tenantId)) {
            return null;
        }
        return grant;
    }

    /**
     * @param startedNanos {@link System#nanoTime()} taken before the introspection call was made
     */
    public void put(String tokenHash, Grant grant, long startedNanos) {
        if (lifetime(grant).isZero() || revokedSince(tokenHash, grant, startedNanos)) {
            return;
        }
        grants.put(tokenHash, grant);
    }

    public void evictToken(String tokenHash) {
        revocations.put("t:" + tokenHash, System.nanoTime());
        grants.invalidate(tokenHash);
    }

    /** Every token of the account ({@code tenantId} null: of any tenant). */
    public void evictAccount(String accountId, String tenantId) {
        revocations.put(accountKey(tenantId, accountId), System.nanoTime());
        grants.asMap().values().removeIf(g -> g.accountId().equals(accountId)
                && (tenantId == null || g.tenantId().equals(tenantId)));
    }

    public boolean contains(String tokenHash) {
        return grants.getIfPresent(tokenHash) != null;
    }

    private boolean revokedSince(String tokenHash, Grant grant, long startedNanos) {
        Long token = revocations.getIfPresent("t:" + tokenHash);
        Long account = revocations.getIfPresent(accountKey(grant.tenantId(), grant.accountId()));
        Long anyTenant = revocations.getIfPresent(accountKey(null, grant.accountId()));
        return after(token, startedNanos) || after(account, startedNanos) || after(anyTenant, startedNanos);
    }

    private static boolean after(Long revokedNanos, long startedNanos) {
        return revokedNanos != null && revokedNanos - startedNanos >= 0;
    }

    private static String accountKey(String tenantId, String accountId) {
        return "a:" + Objects.requireNonNullElse(tenantId, "*") + ":" + accountId;
    }

    private Duration lifetime(Grant grant) {
        Duration untilExpiry = Duration.between(Instant.now(), Instant.ofEpochSecond(grant.expiresAtEpochSeconds()))
                .minus(margin);
        if (untilExpiry.isNegative()) {
            return Duration.ZERO;
        }
        return untilExpiry.compareTo(ttl) < 0 ? untilExpiry : ttl;
    }
}
