package io.filehost.gateway.tenant;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.filehost.gateway.client.AuthNotFoundException;
import io.filehost.gateway.client.AuthClient;
import io.filehost.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Host header → tenant, through auth-service, cached. Concurrent misses for one host share a single call; unknown
 * hosts are cached too (empty), so a flood of requests for a foreign host costs auth-service one call per TTL.
 * Failures are not cached.
 */
@ApplicationScoped
public class TenantResolver {
    private final AuthClient auth;
    /** A completed lookup: found, unknown (empty), or failed (never left in the cache). */
    private record Lookup(Optional<Tenant> tenant, Throwable failure) {
    }

    private final AsyncCache<String, Lookup> cache;

    @Inject
    public TenantResolver(AuthClient auth, GatewayConfig config) {
        this.auth = auth;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.tenants().ttl())
                .maximumSize(config.tenants().maxEntries())
                .buildAsync();
    }

    public Uni<Optional<Tenant>> resolve(String host) {
        String key = key(host);
        // Failures complete the shared future normally (as a Lookup) and are removed at once: an exceptionally
        // completed future would make Caffeine log a stack trace for every failed call.
        CompletableFuture<Lookup> future = cache.get(key, (k, executor) -> auth.resolveTenant(k)
                .map(tenant -> new Lookup(Optional.of(tenant), null))
                .onFailure(AuthNotFoundException.class).recoverWithItem(new Lookup(Optional.empty(), null))
                .onFailure().recoverWithItem(failure -> new Lookup(null, failure))
                .subscribeAsCompletionStage());
        return Uni.createFrom().completionStage(future).onItem().transformToUni(lookup -> {
            if (lookup.failure() != null) {
                cache.asMap().remove(key, future);
                return Uni.createFrom().failure(lookup.failure());
            }
            return Uni.createFrom().item(lookup.tenant());
        });
    }

    /** The tenant if already known, without calling anyone. */
    public Optional<Tenant> cached(String host) {
        CompletableFuture<Lookup> future = cache.getIfPresent(key(host));
        if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
            return Optional.empty();
        }
        Lookup lookup = future.join();
        return lookup.failure() == null ? lookup.tenant() : Optional.empty();
    }

    private static String key(String host) {
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
