package io.filehost.gateway.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters (docs/observability.md). Every tag is bounded: route-table names, never raw paths (public
 * paths hold short URLs and download tokens).
 */
@ApplicationScoped
class GatewayMetrics {
    private final MeterRegistry registry;
    private final Counter spooledUploads;
    private final Counter uploadedBytes;
    private final Counter downloadedBytes;
    private final Counter rateLimitedIp;
    private final Counter rateLimitedAccount;
    private final AtomicInteger activeUploads = new AtomicInteger();

    @Inject
    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
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
    }

    private Counter rateLimitCounter(String limit) {
        return Counter.builder("gateway.rate.limited")
                .description("Requests refused by a rate limit (429), by limit: per client IP or per account")
                .tag("limit", limit)
                .register(registry);
    }

    void uploadSpooled() {
        spooledUploads.increment();
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

    /** One timer for every request, tagged with the route table's name, the answered status and its class. */
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
}
