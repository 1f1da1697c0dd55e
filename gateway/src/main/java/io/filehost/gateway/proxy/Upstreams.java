package io.filehost.gateway.proxy;

import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.routing.Service;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The services' replicas and the one pooled HTTP/1.1 client to them. Each service has a static list of replicas
 * ({@code filehost.gateway.services.*}); requests go round-robin over the replicas that passed their last readiness
 * probe, so a replica that died or is not ready stops receiving requests within one probe interval, and a client's
 * retry reaches a live one. When every replica fails its probe, requests still go round-robin (the probe may be what
 * is wrong; the request's own failure is then the answer). A hand-written balancer rather than SmallRye Stork: the
 * gateway forwards with a raw Vert.x client (streamed bodies both ways), which Stork's REST-client integration does not
 * cover, and the probe is a few lines on the same client.
 * <p>
 * The one pooled HTTP/1.1 client to the services (keep-alive; it is created from Quarkus' Vert.x, so Quarkus'
 * OpenTelemetry instrumentation sees it: each forwarded request carries the trace context).
 * No timeout here beyond the connect timeout: the exchange runs its own idle timer, because Vert.x' request idle
 * timeout only counts bytes received and would cut a long upload that the service is still reading.
 */
@ApplicationScoped
public class Upstreams {
    private record Base(String host, int port, String pathPrefix) {
    }

    /** One service's replicas, their last probe results and the round-robin position. */
    private static final class Replicas {
        final List<Base> bases;
        /** 1 = passed its last probe (event-loop threads write, every request thread reads). */
        final AtomicIntegerArray ready;
        final AtomicInteger next = new AtomicInteger();

        Replicas(List<Base> bases) {
            this.bases = bases;
            this.ready = new AtomicIntegerArray(bases.size());
            for (int i = 0; i < bases.size(); i++) {
                ready.set(i, 1);
            }
        }

        /** The next of the ready replicas in turn (each gets an equal share); all of them if none is ready. */
        Base pick() {
            int size = bases.size();
            int turn = next.getAndIncrement();
            int readyCount = 0;
            for (int i = 0; i < size; i++) {
                readyCount += ready.get(i);
            }
            if (readyCount == 0) {
                return bases.get(Math.floorMod(turn, size));
            }
            int k = Math.floorMod(turn, readyCount);
            for (int i = 0; i < size; i++) {
                if (ready.get(i) == 1 && k-- == 0) {
                    return bases.get(i);
                }
            }
            return bases.get(0); // a probe changed the set meanwhile
        }
    }

    private static final Logger LOG = Logger.getLogger(Upstreams.class);
    private final HttpClient client;
    private final Map<Service, Replicas> replicas = new EnumMap<>(Service.class);
    private final Vertx vertx;
    private long probeTimer = -1;
    private volatile boolean closed;
    private final long connectTimeoutMillis;
    private final long idleTimeoutMillis;

    @Inject
    public Upstreams(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        replicas.put(Service.AUTH, replicas(config.services().auth()));
        replicas.put(Service.FILE, replicas(config.services().file()));
        replicas.put(Service.FOLDER, replicas(config.services().folder()));
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
                // 64 KiB chunks instead of 8 KiB: a streamed download is relayed in 8x fewer writes, which lowered
                // the gateway's CPU per byte in a profiled ./dev bench run.
                .setMaxChunkSize(65536)
                .setConnectTimeout((int) connectTimeoutMillis);
        // No metrics name on purpose: Quarkus would then bind Vert.x client metrics under http.client.requests with
        // an extra "address" tag, which Prometheus refuses next to the REST client's meter of the same name (and
        // the refusal breaks the request). The gateway records its own timer instead (gateway.requests).
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.upstream().maxConnections());
        this.client = vertx.httpClientBuilder().with(options).with(pool)
                .withConnectHandler(ConnectionFailures::watchService).build();
        if (replicas.values().stream().anyMatch(r -> r.bases.size() > 1)) {
            probeTimer = vertx.setPeriodic(config.upstream().healthInterval().toMillis(), id -> probeAll());
        }
    }

    private static Replicas replicas(List<URI> uris) {
        return new Replicas(uris.stream().map(Upstreams::base).toList());
    }

    private void probeAll() {
        if (closed) {
            return;
        }
        replicas.forEach((service, set) -> {
            if (set.bases.size() < 2) {
                return;
            }
            for (int i = 0; i < set.bases.size(); i++) {
                int index = i;
                Base base = set.bases.get(i);
                Future<HttpClientRequest> probe;
                try {
                    probe = client.request(new RequestOptions().setMethod(HttpMethod.GET)
                            .setHost(base.host()).setPort(base.port()).setURI(base.pathPrefix() + "/q/health/ready")
                            .setConnectTimeout(connectTimeoutMillis).setIdleTimeout(connectTimeoutMillis));
                } catch (IllegalStateException clientClosed) {
                    if (closed) {
                        return; // close() ran on another thread since the check above: nothing left to probe
                    }
                    throw clientClosed;
                }
                probe
                        .compose(request -> request.send().compose(response -> response.body()
                                .map(body -> response.statusCode() == 200)))
                        .onComplete(result -> {
                            boolean ready = result.succeeded() && result.result();
                            if (set.ready.getAndSet(index, ready ? 1 : 0) != (ready ? 1 : 0)) {
                                LOG.infof("%s replica %s:%d is %s", service, base.host(), base.port(),
                                        ready ? "ready again" : "not ready: no new requests go to it");
                            }
                        });
            }
        });
    }

    HttpClient client() {
        return client;
    }

    long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    RequestOptions request(Service service, HttpMethod method, String pathAndQuery, MultiMap headers) {
        Base base = replicas.get(service).pick();
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
        closed = true;
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
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
