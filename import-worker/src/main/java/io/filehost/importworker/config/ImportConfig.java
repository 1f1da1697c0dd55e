package io.filehost.importworker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the worker fetches remote URLs (behaviour.md §5, the safe-fetch rules). */
@ConfigMapping(prefix = "filehost.import")
public interface ImportConfig {
    /**
     * {@code ip:port} endpoints ({@code 127.0.0.1:8080}, {@code [::1]:8080}) the worker may reach although their address
     * is not public. Matched against the address actually connected to, so every spelling of the host that resolves to
     * it is admitted and nothing else. Empty in production; tests admit their own loopback server.
     */
    Optional<List<String>> allow();

    /** Redirects followed per import; every hop is checked like the first URL. */
    @WithDefault("5")
    int maxRedirects();

    @WithDefault("10s")
    Duration connectTimeout();

    /** Longest silence between two reads of the remote server. */
    @WithDefault("60s")
    Duration readTimeout();

    /** Wall-clock limit of one import, redirects included. */
    @WithDefault("1h")
    Duration totalTimeout();

    /** PROGRESS events go out when this much time or {@link #progressBytes()} passed since the last event. */
    @WithDefault("1s")
    Duration progressInterval();

    @WithDefault("8388608")
    long progressBytes();

    /**
     * S3 multipart part size. Each running import fills one part buffer while up to
     * {@code filehost.storage.upload.parts-in-flight} earlier ones upload (at most
     * {@code parts-in-flight-total} for the instance), so the worker's memory is about
     * {@code part-size x (concurrent imports + parts-in-flight-total)}; 8 MiB keeps 10,000 parts (the S3 limit) above
     * 78 GiB.
     */
    @WithDefault("8388608")
    long partSize();

    /** Waiting time before a request that failed for a transient reason (S3, database, Kafka) is tried again. */
    @WithDefault("30s")
    Duration retryDelay();

    @WithDefault("200")
    int maxFilenameLength();

    @WithDefault("filehost-import/1.0")
    String userAgent();

    /**
     * Confines egress to loopback: names other than {@code localhost} are refused before any DNS lookup and every
     * connection must go to 127.0.0.0/8 or ::1. For tests and CI machines that must never send a packet elsewhere,
     * even when a foreign request lands in the shared topic. Off in production.
     */
    @WithDefault("false")
    boolean loopbackOnly();

    /**
     * When set, only requests of tenants matching this regular expression are processed; the others are acknowledged
     * untouched. For a test or staging worker that reads the topic of a live platform with its own consumer group and
     * must not publish events for jobs that are not its own. Unset in production.
     */
    Optional<String> tenantFilter();
}
