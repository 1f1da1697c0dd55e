package io.filehost.gateway.proxy;

import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.routing.Service;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static discovery with several replicas (filehost.gateway.services.* as a list): round-robin over the replicas that
 * pass their readiness probe; a replica whose probe fails, or that does not listen at all, gets no request until it
 * is ready again. Real Vert.x servers as replicas, real probes; no Quarkus application needed.
 */
class UpstreamsBalancingTest {
    private Vertx vertx;
    private Upstreams upstreams;
    private final AtomicBoolean bReady = new AtomicBoolean(true);
    private final AtomicBoolean aReady = new AtomicBoolean(true);
    private int portA;
    private int portB;
    private int deadPort;

    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return values.get(method.getName());
        });
    }

    private int replica(boolean isB) {
        return vertx.createHttpServer().requestHandler(request -> {
            boolean ready = isB ? bReady.get() : aReady.get();
            request.response().setStatusCode(ready ? 200 : 503).end();
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        portA = replica(false);
        portB = replica(true);
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        URI single = URI.create("http://127.0.0.1:1");
        Map<String, Object> services = new HashMap<>();
        services.put("auth", List.of(single));
        services.put("folder", List.of(single));
        services.put("file", List.of(URI.create("http://127.0.0.1:" + portA), URI.create("http://127.0.0.1:" + portB),
                URI.create("http://127.0.0.1:" + deadPort)));
        Map<String, Object> upstream = Map.of("connectTimeout", Duration.ofSeconds(1), "idleTimeout",
                Duration.ofSeconds(5), "maxConnections", 8, "healthInterval", Duration.ofMillis(100));
        upstreams = new Upstreams(vertx, config(GatewayConfig.class, Map.of(
                "services", config(GatewayConfig.Services.class, services),
                "upstream", config(GatewayConfig.Upstream.class, upstream))));
    }

    @AfterEach
    void stop() {
        upstreams.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private Map<Integer, Integer> pick(int times) {
        Map<Integer, Integer> picked = new HashMap<>();
        for (int i = 0; i < times; i++) {
            int port = upstreams.request(Service.FILE, HttpMethod.GET, "/api/v2/file/info",
                    MultiMap.caseInsensitiveMultiMap()).getPort();
            picked.merge(port, 1, Integer::sum);
        }
        return picked;
    }

    @Test
    void requestsGoRoundRobinToTheReadyReplicasOnly() {
        // each step waits for the probes to have seen the change (they run every few hundred ms), then holds exactly
        settles(() -> {
            Map<Integer, Integer> picked = pick(20);
            assertEquals(10, picked.getOrDefault(portA, 0), "A: " + picked);
            assertEquals(10, picked.getOrDefault(portB, 0), "B: " + picked);
            assertEquals(0, picked.getOrDefault(deadPort, 0), "a replica that does not listen gets nothing");
        });

        bReady.set(false);
        settles(() -> assertEquals(Map.of(portA, 10), pick(10), "a replica that is not ready gets nothing"));

        bReady.set(true);
        settles(() -> {
            Map<Integer, Integer> picked = pick(10);
            assertEquals(5, picked.getOrDefault(portB, 0), "B is back: " + picked);
        });
    }

    @Test
    void withEveryReplicaFailingItsProbeRequestsStillGoRoundRobin() {
        aReady.set(false);
        bReady.set(false); // and the third does not listen: nothing passes a probe
        settles(() -> {
            Map<Integer, Integer> picked = pick(30);
            assertTrue(picked.size() == 3 && picked.values().stream().allMatch(n -> n == 10), "" + picked);
        });
    }

    private static void settles(ThrowingRunnable check) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(check);
    }
}
