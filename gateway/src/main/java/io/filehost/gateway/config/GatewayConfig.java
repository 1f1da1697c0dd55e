package io.filehost.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "filehost.gateway")
public interface GatewayConfig {

    Services services();

    Upstream upstream();

    /** Bound on every body the gateway reads itself (urlencoded forms, multipart fields of non-upload requests). */
    @WithDefault("1048576")
    int maxFormBytes();

    /**
     * Raw upload bytes kept in memory while looking for the credentials in a multipart body; past this the recording
     * moves to a spool file.
     */
    @WithDefault("262144")
    int scanMemoryBytes();

    /** Where upload bytes that precede the credentials are spooled. Default: {java.io.tmpdir}/filehost-gateway-spool. */
    Optional<Path> spoolDir();

    /** Most bytes an upload may send before access_token and account_id; beyond it the request is refused (413). */
    @WithDefault("1073741824")
    long spoolMaxBytes();

    /**
     * Direct peers (IP or CIDR) whose X-Forwarded-For/-Proto/-Host are believed. Empty: nobody's, the peer address and
     * the Host header are used as they are.
     */
    Optional<List<String>> trustedProxies();

    Introspection introspection();

    Tenants tenants();

    RateLimit rateLimit();

    /**
     * Each service's replicas (static discovery: a comma-separated list of base URLs, e.g. the Kubernetes Service's
     * one URL, or {@code ./dev up --replicas 2}'s two). Requests go round-robin to the replicas that answered the last
     * readiness probe ({@link Upstream#healthInterval()}).
     */
    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        List<URI> auth();

        @WithDefault("http://127.0.0.1:8082")
        List<URI> file();

        @WithDefault("http://127.0.0.1:8083")
        List<URI> folder();
    }

    interface Upstream {
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * A forwarded exchange fails (504) when nothing moves in either direction for this long. Not a total timeout:
         * an upload may take minutes as long as bytes flow.
         */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Connections per service (HTTP/1.1 keep-alive pool). A streaming upload holds one for its whole duration. */
        @WithDefault("256")
        int maxConnections();

        /**
         * How often each replica of a service with more than one is probed ({@code GET /q/health/ready}); a replica
         * that fails the probe gets no new request until it passes again. With one replica nothing is probed.
         */
        @WithDefault("1s")
        Duration healthInterval();
    }

    interface Introspection {
        /** Longest a positive introspection is reused; never beyond the internal JWT's expiry minus the margin. */
        @WithDefault("30s")
        Duration ttl();

        @WithDefault("30s")
        Duration jwtExpiryMargin();

        @WithDefault("100000")
        long maxEntries();
    }

    interface Tenants {
        @WithDefault("30s")
        Duration ttl();

        @WithDefault("10000")
        long maxEntries();
    }

    interface RateLimit {
        Limit perIp();

        Limit perAccount();

        /** Buckets kept (least recently used dropped first); a dropped bucket simply starts full again. */
        @WithDefault("100000")
        long maxBuckets();
    }

    interface Limit {
        @WithDefault("true")
        boolean enabled();

        /** Burst size. */
        long capacity();

        /** Tokens added per period, greedily (spread over the period). */
        long refillTokens();

        @WithDefault("1s")
        Duration refillPeriod();
    }
}
