package io.filehost.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.filehost.gateway.config.GatewayConfig;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Token buckets per client IP (checked before anything else, so floods cost nothing downstream) and per account
 * (checked after introspection). Buckets are local to this replica: with N replicas behind a round-robin balancer a
 * client gets up to N times the configured rate. That is accepted for abuse protection; quota-like limits belong
 * to the services (package limits), which share a database.
 */
@ApplicationScoped
public class RateLimiter {
    private final Limiter perIp;
    private final Limiter perAccount;

    @Inject
    public RateLimiter(GatewayConfig config) {
        long maxBuckets = config.rateLimit().maxBuckets();
        this.perIp = new Limiter(config.rateLimit().perIp(), maxBuckets);
        this.perAccount = new Limiter(config.rateLimit().perAccount(), maxBuckets);
    }

    public boolean allowIp(String ip) {
        return perIp.allow(ip);
    }

    public boolean allowAccount(String tenantId, String accountId) {
        return perAccount.allow(tenantId + ":" + accountId);
    }

    private static final class Limiter {
        private final GatewayConfig.Limit limit;
        private final Cache<String, Bucket> buckets;

        Limiter(GatewayConfig.Limit limit, long maxBuckets) {
            this.limit = limit;
            // An idle bucket refills completely within capacity/refill periods; dropping it after that loses nothing.
            Duration refillAll = limit.refillPeriod()
                    .multipliedBy(Math.max(1, (limit.capacity() + limit.refillTokens() - 1) / Math.max(1, limit.refillTokens())));
            this.buckets = Caffeine.newBuilder()
                    .maximumSize(maxBuckets)
                    .expireAfterAccess(refillAll.plusSeconds(1))
                    .build();
        }

        boolean allow(String key) {
            if (!limit.enabled()) {
                return true;
            }
            return buckets.get(key, k -> Bucket.builder()
                    .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.refillTokens(), limit.refillPeriod()))
                    .build()).tryConsume(1);
        }
    }
}
