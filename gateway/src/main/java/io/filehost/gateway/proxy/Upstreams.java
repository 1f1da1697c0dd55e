package io.filehost.gateway.proxy;

import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.routing.Service;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one pooled HTTP/1.1 client to the services (keep-alive; it is created from Quarkus' Vert.x, so Quarkus'
 * OpenTelemetry instrumentation sees it: each forwarded request carries the trace context).
 * No timeout here beyond the connect timeout: the exchange runs its own idle timer, because Vert.x' request idle
 * timeout only counts bytes received and would cut a long upload that the service is still reading.
 */
@ApplicationScoped
public class Upstreams {
    private record Base(String host, int port, String pathPrefix) {
    }

    private final HttpClient client;
    private final Map<Service, Base> bases = new EnumMap<>(Service.class);
    private final long connectTimeoutMillis;
    private final long idleTimeoutMillis;

    @Inject
    public Upstreams(Vertx vertx, GatewayConfig config) {
        bases.put(Service.AUTH, base(config.services().auth()));
        bases.put(Service.FILE, base(config.services().file()));
        bases.put(Service.FOLDER, base(config.services().folder()));
        this.connectTimeoutMillis = config.upstream().connectTimeout().toMillis();
        this.idleTimeoutMillis = config.upstream().idleTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                // Shorter than the services' server idle timeout (Quarkus: 30 min), so the gateway closes idle
                // connections first and never sends a request on a connection the service is closing.
                .setKeepAliveTimeout(30)
                .setPipelining(false)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) connectTimeoutMillis);
        // No metrics name on purpose: Quarkus would then bind Vert.x client metrics under http.client.requests with
        // an extra "address" tag, which Prometheus refuses next to the REST client's meter of the same name (and
        // the refusal breaks the request). The gateway records its own timer instead (gateway.requests).
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.upstream().maxConnections());
        this.client = vertx.httpClientBuilder().with(options).with(pool).build();
    }

    HttpClient client() {
        return client;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    RequestOptions request(Service service, HttpMethod method, String pathAndQuery, MultiMap headers) {
        Base base = bases.get(service);
        return new RequestOptions()
                .setMethod(method)
                .setHost(base.host())
                .setPort(base.port())
                .setURI(base.pathPrefix() + pathAndQuery)
                .setHeaders(headers)
                .setFollowRedirects(false)
                // Covers waiting for a pooled connection too, so a saturated pool fails as "unavailable", not a hang.
                .setConnectTimeout(connectTimeoutMillis);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private static Base base(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("filehost.gateway.services.*: an http://host:port URL is required: " + uri);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Base(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path);
    }
}
