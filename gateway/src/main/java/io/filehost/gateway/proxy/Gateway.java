package io.filehost.gateway.proxy;

import io.filehost.gateway.auth.IntrospectionCache;
import io.filehost.gateway.auth.Introspector;
import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.ratelimit.RateLimiter;
import io.filehost.gateway.tenant.TenantResolver;
import io.quarkus.runtime.StartupEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Installs the gateway on Quarkus' router: every path except Quarkus' own {@code /q/*} (health, metrics). Pure
 * Vert.x on the event loop and deliberately without a BodyHandler, which would buffer every body: each request is an
 * {@link Exchange} that reads exactly what it needs and streams the rest.
 */
@ApplicationScoped
public class Gateway {
    @Inject
    GatewayConfig config;

    @Inject
    TenantResolver tenants;

    @Inject
    Introspector introspector;

    @Inject
    IntrospectionCache cache;

    @Inject
    RateLimiter rateLimiter;

    @Inject
    Upstreams upstreams;

    @Inject
    ObjectStore objectStore;

    @Inject
    GatewayMetrics metrics;

    private TrustedProxies trustedProxies;
    private Path spoolDirectory;

    void init(@Observes Router router) {
        trustedProxies = TrustedProxies.of(config.trustedProxies().orElse(List.of()));
        router.route().handler(this::handle);
    }

    /**
     * Spool files left by a previous run (a crash, a kill) are deleted at startup. One spool directory per gateway
     * process: two processes sharing one would delete each other's files here.
     */
    void cleanSpool(@Observes StartupEvent event) {
        Path spoolDirectory = spoolDirectory();
        try {
            Files.createDirectories(spoolDirectory);
            try {
                Files.setPosixFilePermissions(spoolDirectory, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(spoolDirectory, "upload-*.part")) {
                for (Path file : stale) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the upload spool directory " + spoolDirectory, e);
        }
    }

    private void handle(RoutingContext ctx) {
        ConnectionFailures.watchClient(ctx.request());
        String path = ctx.normalizedPath();
        if (path.equals("/q") || path.startsWith("/q/")) {
            ctx.next();
            return;
        }
        new Exchange(this, ctx, Exchange.isApiPath(path), path).start();
    }

    GatewayConfig config() {
        return config;
    }

    TenantResolver tenants() {
        return tenants;
    }

    Introspector introspector() {
        return introspector;
    }

    IntrospectionCache cache() {
        return cache;
    }

    RateLimiter rateLimiter() {
        return rateLimiter;
    }

    Upstreams upstreams() {
        return upstreams;
    }

    ObjectStore objectStore() {
        return objectStore;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    Path spoolDirectory() {
        if (spoolDirectory == null) {
            spoolDirectory = config.spoolDir()
                    .orElse(Path.of(System.getProperty("java.io.tmpdir"), "filehost-gateway-spool"));
        }
        return spoolDirectory;
    }
}
