package io.filehost.gateway.proxy;

import io.filehost.gateway.auth.IntrospectionCache;
import io.filehost.gateway.auth.Introspector;
import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.ratelimit.RateLimiter;
import io.filehost.gateway.tenant.TenantResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    MeterRegistry registry;

    private Counter spooledUploads;
    private Counter uploadedBytes;
    private Counter downloadedBytes;
    private Counter rateLimitedIp;
    private Counter rateLimitedAccount;
    private final AtomicInteger activeUploads = new AtomicInteger();
    private TrustedProxies trustedProxies;
    private Path spoolDirectory;

    void init(@Observes Router router) {
        trustedProxies = TrustedProxies.of(config.trustedProxies().orElse(List.of()));
        spooledUploads = Counter.builder("gateway.upload.spooled")
                .description("Uploads whose credentials came after more than scan-memory-bytes, spooled to disk")
                .register(registry);
        uploadedBytes = Counter.builder("gateway.upload.bytes")
                .description("Bytes of file/upload request bodies received from clients")
                .baseUnit("bytes")
                .register(registry);
        downloadedBytes = Counter.builder("gateway.download.bytes")
                .description("Bytes of public-path answers (downloads, public pages) sent to clients")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("gateway.uploads.active", activeUploads, AtomicInteger::get)
                .description("file/upload requests in flight through this gateway")
                .register(registry);
        rateLimitedIp = rateLimitCounter("ip");
        rateLimitedAccount = rateLimitCounter("account");
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

    void uploadSpooled() {
        spooledUploads.increment();
    }

    private Counter rateLimitCounter(String limit) {
        return Counter.builder("gateway.rate.limited")
                .description("Requests refused by a rate limit (429), by limit: per client IP or per account")
                .tag("limit", limit)
                .register(registry);
    }

    void rateLimited(boolean perAccount) {
        (perAccount ? rateLimitedAccount : rateLimitedIp).increment();
    }

    void uploadReceived(long bytes) {
        uploadedBytes.increment(bytes);
    }

    void downloadSent(long bytes) {
        downloadedBytes.increment(bytes);
    }

    void uploadStarted() {
        activeUploads.incrementAndGet();
    }

    void uploadEnded() {
        activeUploads.decrementAndGet();
    }

    /**
     * One timer for every request, with bounded tags: the route table's names (never raw paths: public paths hold
     * short URLs and tokens), the answered status and its class.
     */
    void recordRequest(boolean api, String endpoint, int status, long nanos) {
        Timer.builder("gateway.requests")
                .description("Requests through the gateway, by API call (or public path) and answered status")
                .tag("kind", api ? "api" : "public")
                .tag("endpoint", endpoint)
                .tag("status", Integer.toString(status))
                .tag("status_class", statusClass(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
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
