package io.filehost.gateway.proxy;

import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * What is known about an exchange for its access-log line and its metrics: status, outcome, bytes, duration, the
 * account. Written by the exchange's collaborators on its context, read once at the end ({@link #log}).
 */
final class RequestRecord {
    private static final Logger ACCESS = Logger.getLogger("io.filehost.gateway.access");

    private final Exchange exchange;
    private final long startNanos = System.nanoTime();

    int status;
    String outcome = "";
    long bytesIn;
    long bytesOut;
    String accountId;
    /** An unknown endpoint or action was asked for (logged as "unknown", never as the raw path). */
    boolean unknownRoute;
    /** Counted in {@code gateway.uploads.active} until the exchange ends. */
    private boolean activeUpload;

    RequestRecord(Exchange exchange) {
        this.exchange = exchange;
    }

    void uploadStarted() {
        activeUpload = true;
        exchange.metrics.uploadStarted();
    }

    void uploadDone() {
        if (activeUpload) {
            activeUpload = false;
            exchange.metrics.uploadEnded();
        }
    }

    /** Bytes of a request body received from the client; an upload's also count in {@code gateway.upload.bytes}. */
    void received(int bytes, boolean upload) {
        bytesIn += bytes;
        if (upload) {
            exchange.metrics.uploadReceived(bytes);
        }
    }

    /** Bytes of a service's answer relayed to the client; a public path's also count as download bytes. */
    void sent(int bytes) {
        bytesOut += bytes;
        if (!exchange.api) {
            exchange.metrics.downloadSent(bytes);
        }
    }

    void log() {
        long nanos = System.nanoTime() - startNanos;
        long millis = nanos / 1_000_000;
        String endpoint = endpointName();
        exchange.metrics.recordRequest(exchange.api, endpoint, status, nanos);
        Origin origin = exchange.origin;
        // One line per request. Never a token, key, JWT, query string or raw path (public paths hold short URLs and
        // download tokens): only ids and the route table's names.
        ACCESS.infof("request_id=%s tenant=%s account=%s endpoint=%s method=%s status=%d outcome=%s bytes_in=%d "
                        + "bytes_out=%d duration_ms=%d client_ip=%s",
                exchange.requestId, exchange.tenant == null ? "-" : exchange.tenant.id(),
                accountId == null ? "-" : accountId, endpoint, exchange.request.method().name(), status, outcome,
                bytesIn, bytesOut, millis, origin == null || origin.clientIp() == null ? "-" : origin.clientIp());
    }

    /**
     * A bounded name for logs and metric tags: the route's name ({@code file/info}), {@code unknown} (no such
     * endpoint or action), {@code none} (refused before routing), {@code public/file} or {@code public/folder}
     * (public paths; {@code public} when refused before the owning service was known).
     */
    private String endpointName() {
        if (!exchange.api) {
            return exchange.service == null ? "public"
                    : "public/" + exchange.service.name().toLowerCase(Locale.ROOT);
        }
        if (exchange.route != null) {
            return exchange.route.name();
        }
        return unknownRoute ? "unknown" : "none";
    }
}
