package io.filehost.gateway;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.Envelope;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.rest.EarlyAnswer;
import io.filehost.common.security.Secrets;
import io.netty.channel.ChannelOption;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * auth-, file- and folder-service as the gateway sees them, on loopback ports chosen by the OS: a fake auth-service
 * implementing /internal/introspect and /internal/tenants/resolve per docs/internal-api.md, and services that record
 * everything they receive (method, path, query, headers, body length and md5, the first MiB of the body) and answer a
 * small envelope.
 *
 * <p>Behaviour switches, sent by the test as ordinary client headers (the gateway forwards end-to-end headers):
 * {@code X-Fake-Status: 404} answers that status with an error envelope; {@code X-Fake-Hang: 1} reads the request
 * and never answers; {@code X-Fake-Reset: 1} reads the request and resets the connection (as the kernel of a killed
 * service does).
 *
 * <p>Tokens: {@code tok-{accountId}-anything} is valid for that account in any tenant; {@code auth-down} makes the
 * introspection fail with 500; {@code auth-says-why} is refused with a message of its own; everything else is refused
 * with the 401 envelope.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {
    public static final String AUTH = "auth";
    public static final String FILE = "file";
    public static final String FOLDER = "folder";
    /** The fake S3 the gateway reads downloads from (not a service: nothing is recorded). */
    public static final String OBJECTS = "objects";
    private static final int KEPT_BODY_BYTES = 1024 * 1024;

    private static volatile FakeServices current;

    private Vertx vertx;
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Recorded> recorded = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> introspections = new ConcurrentHashMap<>();
    private final AtomicInteger tenantLookups = new AtomicInteger();

    /** What a fake service received. {@code body} holds at most the first MiB. */
    public record Recorded(String service, String method, String path, String query, MultiMap headers, long length,
                           String md5, byte[] body, boolean aborted) {
        public String header(String name) {
            return headers.get(name);
        }

        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static FakeServices get() {
        if (current == null) {
            throw new IllegalStateException("FakeServices not started (or started in another class loader)");
        }
        return current;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        for (String service : List.of(AUTH, FILE, FOLDER)) {
            listen(service, 0);
        }
        listenObjects();
        current = this;
        Map<String, String> config = new LinkedHashMap<>();
        config.put("filehost.gateway.services.auth", "http://127.0.0.1:" + ports.get(AUTH));
        config.put("filehost.discovery.auth-service", "127.0.0.1:" + ports.get(AUTH));
        config.put("filehost.gateway.services.file", "http://127.0.0.1:" + ports.get(FILE));
        config.put("filehost.gateway.services.folder", "http://127.0.0.1:" + ports.get(FOLDER));
        config.put("filehost.gateway.upstream.idle-timeout", "1500ms");
        config.put("filehost.gateway.upstream.connect-timeout", "1s");
        // Tests stand for many clients by sending X-Forwarded-For through the trusted loopback "proxy".
        config.put("filehost.gateway.trusted-proxies", "127.0.0.1,::1");
        config.put("filehost.gateway.spool-dir", "target/test-spool");
        config.put("filehost.gateway.spool-max-bytes", Long.toString(16L * 1024 * 1024));
        config.put("filehost.gateway.rate-limit.per-ip.capacity", "40");
        config.put("filehost.gateway.rate-limit.per-ip.refill-tokens", "40");
        config.put("filehost.gateway.rate-limit.per-ip.refill-period", "1h");
        config.put("filehost.gateway.rate-limit.per-account.capacity", "25");
        config.put("filehost.gateway.rate-limit.per-account.refill-tokens", "25");
        config.put("filehost.gateway.rate-limit.per-account.refill-period", "1h");
        return config;
    }

    @Override
    public void stop() {
        current = null;
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    // ------------------------------------------------------------------------------------------ test helpers

    public List<Recorded> received(String service) {
        List<Recorded> list = new ArrayList<>();
        for (Recorded r : recorded) {
            if (r.service().equals(service)) {
                list.add(r);
            }
        }
        return list;
    }

    /** The request a service received whose X-Request-Id is {@code requestId}, waiting up to 10 s for it. */
    public Recorded awaitRequest(String requestId) {
        return await(r -> requestId.equals(r.header("X-Request-Id")), 10_000);
    }

    public Recorded await(Predicate<Recorded> match, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (Recorded r : recorded) {
                if (match.test(r)) {
                    return r;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no matching request received within " + timeoutMillis + " ms");
    }

    public boolean anyRequest(Predicate<Recorded> match) {
        return recorded.stream().anyMatch(match);
    }

    public int introspections(String token) {
        AtomicInteger count = introspections.get(token);
        return count == null ? 0 : count.get();
    }

    public int tenantLookups() {
        return tenantLookups.get();
    }

    /** Closes a service's port (the gateway then finds nothing listening there). */
    public void stop(String service) {
        HttpServer server = servers.remove(service);
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Opens the service again on its previous port. */
    public void restart(String service) {
        listen(service, ports.get(service));
    }

    // ----------------------------------------------------------------------------------------------- servers

    private void listen(String service, int port) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    if (service.equals(AUTH) && request.path().startsWith("/internal/")) {
                        internal(request);
                    } else {
                        recordAndAnswer(service, request);
                    }
                });
        HttpServer started = server.listen().toCompletionStage().toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).join();
        servers.put(service, started);
        ports.put(service, started.actualPort());
    }

    private void listenObjects() {
        HttpServer started = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(this::objectStore).listen().toCompletionStage().toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).join();
        servers.put(OBJECTS, started);
        ports.put(OBJECTS, started.actualPort());
    }

    private void recordAndAnswer(String service, HttpServerRequest request) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long[] length = {0};
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        String abortAfter = headers.get("X-Fake-Abort-After");
        String refuseAfter = headers.get("X-Fake-Refuse-After");
        boolean[] refused = {false};
        request.handler(chunk -> {
            byte[] bytes = chunk.getBytes();
            md5.update(bytes);
            length[0] += bytes.length;
            if (kept.size() < KEPT_BODY_BYTES) {
                kept.write(bytes, 0, Math.min(bytes.length, KEPT_BODY_BYTES - kept.size()));
            }
            if (abortAfter != null && length[0] >= Long.parseLong(abortAfter)) {
                // The service dies mid-upload.
                request.connection().close();
            }
            if (refuseAfter != null && !refused[0] && length[0] >= Long.parseLong(refuseAfter)) {
                // As file-service refuses an upload over quota: answered at once, the rest of the body unread.
                refused[0] = true;
                recorded.add(new Recorded(service, request.method().name(), request.path(), request.query(), headers,
                        length[0], null, kept.toByteArray(), true));
                request.response().setStatusCode(413).putHeader("Connection", "close")
                        .putHeader("Content-Type", "application/json; charset=UTF-8")
                        .end(Envelope.error("fake refusal", ZoneOffset.UTC).toString())
                        .onComplete(done -> EarlyAnswer.lingerThenClose(request, vertx, EarlyAnswer.LINGER_MILLIS));
            }
        });
        request.exceptionHandler(e -> recorded.add(new Recorded(service, request.method().name(), request.path(),
                request.query(), headers, length[0], null, kept.toByteArray(), true)));
        request.endHandler(v -> {
            if (refused[0]) {
                return;
            }
            if (headers.contains("X-Fake-Reset")) {
                // The service is killed while the gateway waits for its answer: its kernel resets the connection
                // (SO_LINGER 0, then close).
                ((ConnectionBase) request.connection()).channel().config().setOption(ChannelOption.SO_LINGER, 0);
                request.connection().close();
                return;
            }
            String digest = HexFormat.of().formatHex(md5.digest());
            recorded.add(new Recorded(service, request.method().name(), request.path(), request.query(), headers,
                    length[0], digest, kept.toByteArray(), false));
            if (headers.contains("X-Fake-Hang")) {
                return;
            }
            String fakeStatus = headers.get("X-Fake-Status");
            if (request.path().startsWith("/public/")) {
                answerPublic(request, fakeStatus);
                return;
            }
            if (fakeStatus != null) {
                request.response().setStatusCode(Integer.parseInt(fakeStatus))
                        .putHeader("Content-Type", "application/json; charset=UTF-8")
                        .end(Envelope.error("fake " + fakeStatus, ZoneOffset.UTC).toString());
                return;
            }
            JsonObject data = new JsonObject()
                    .put("service", service).put("path", request.path()).put("bytes", length[0]).put("md5", digest);
            request.response()
                    .putHeader("Content-Type", "application/json; charset=UTF-8")
                    .putHeader("X-Fake-Service", service)
                    .end(new JsonObject().put("data", data).put("_status", "success").encode());
        });
    }

    private void answerPublic(HttpServerRequest request, String fakeStatus) {
        var response = request.response().putHeader("ETag", "\"fake-etag\"").putHeader("Accept-Ranges", "bytes");
        String object = request.getHeader("X-Fake-Object");
        if (object != null) {
            answerWithObject(request, object);
            return;
        }
        if (fakeStatus != null) {
            response.setStatusCode(Integer.parseInt(fakeStatus)).end("not here");
        } else if (request.getHeader("Range") != null) {
            response.setStatusCode(206).putHeader("Content-Range", "bytes 0-3/10").end("0123");
        } else {
            response.putHeader("Content-Type", "application/octet-stream").end("0123456789");
        }
    }

    /**
     * As file-service answers a download for the gateway: headers for the client, no body, a "presigned" URL of the
     * fake object store. {@code X-Fake-Object}: {@code ok}, {@code short} (the store sends fewer bytes than promised)
     * or {@code down} (nothing listens there); {@code X-Fake-Size} the object's size, {@code X-Fake-Rate} the speed.
     */
    private void answerWithObject(HttpServerRequest request, String mode) {
        int size = Integer.parseInt(request.getHeader("X-Fake-Size") == null ? "10" : request.getHeader("X-Fake-Size"));
        var response = request.response().putHeader("ETag", "\"fake-etag\"").putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Type", "application/octet-stream");
        long start = 0;
        long end = size - 1;
        String range = request.getHeader("Range");
        if (range != null) {
            String[] bounds = range.substring("bytes=".length()).split("-");
            start = Long.parseLong(bounds[0]);
            end = Long.parseLong(bounds[1]);
            response.setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size)
                    .putHeader(InternalHeaders.OBJECT_RANGE, "bytes=" + start + "-" + end);
        }
        int port = mode.equals("down") ? closedPort() : ports.get(OBJECTS);
        response.putHeader(InternalHeaders.OBJECT_URL, "http://127.0.0.1:" + port + "/bucket/" + mode + "/" + size
                        + "?X-Amz-Signature=fake")
                .putHeader(InternalHeaders.OBJECT_LENGTH, Long.toString(end - start + 1));
        if (request.getHeader("X-Fake-Rate") != null) {
            response.putHeader(InternalHeaders.DOWNLOAD_RATE, request.getHeader("X-Fake-Rate"));
        }
        response.end();
    }

    /** The fake S3: {@code /bucket/{mode}/{size}}, bytes {@code i % 10} as digits, with Range. */
    private void objectStore(HttpServerRequest request) {
        String[] parts = request.path().split("/");
        String mode = parts[2];
        int size = Integer.parseInt(parts[3]);
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = (byte) ('0' + i % 10);
        }
        int start = 0;
        int end = size - 1;
        String range = request.getHeader("Range");
        if (range != null) {
            String[] bounds = range.substring("bytes=".length()).split("-");
            start = Integer.parseInt(bounds[0]);
            end = Integer.parseInt(bounds[1]);
            request.response().setStatusCode(206);
        }
        int length = end - start + 1;
        if (mode.equals("short")) {
            length = Math.max(0, length - 1);
        }
        request.response().end(Buffer.buffer(java.util.Arrays.copyOfRange(content, start, start + length)));
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void internal(HttpServerRequest request) {
        if (request.path().equals("/internal/tenants/resolve")) {
            tenantLookups.incrementAndGet();
            String host = request.getParam("host", "");
            String name = host.replaceFirst(":\\d+$", "").toLowerCase();
            JsonObject tenant = switch (name) {
                case "strict.test" -> tenant("2", "strict", null, true, "UTC");
                case "branded.test" -> tenant("3", "branded", "https://files.branded.example/", false, "Asia/Tokyo");
                case "nosuch.test" -> null;
                default -> tenant("1", "demo", null, false, "Europe/Berlin");
            };
            if (tenant == null) {
                request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"unknown host\"}");
            } else {
                request.response().putHeader("Content-Type", "application/json").end(tenant.encode());
            }
            return;
        }
        if (request.path().equals("/internal/introspect") && request.method().name().equals("POST")) {
            request.setExpectMultipart(true);
            request.endHandler(v -> introspect(request));
            return;
        }
        request.response().setStatusCode(404).end();
    }

    private static JsonObject tenant(String id, String name, String baseUrl, boolean strict, String zone) {
        return new JsonObject().put("tenantId", id).put("name", name).put("publicBaseUrl", baseUrl)
                .put("strictHttp", strict).put("timeZone", zone);
    }

    private void introspect(HttpServerRequest request) {
        String token = request.getFormAttribute("access_token");
        String account = request.getFormAttribute("account_id");
        String tenantId = request.getHeader("X-Tenant-Id");
        introspections.computeIfAbsent(String.valueOf(token), k -> new AtomicInteger()).incrementAndGet();
        if ("auth-down".equals(token)) {
            request.response().setStatusCode(500).end("boom");
            return;
        }
        if (token != null && token.chars().anyMatch(Character::isISOControl)) {
            // What auth-service's ApiParams answers for such a value.
            request.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=UTF-8")
                    .end(Envelope.error("The access_token param contains control characters.", ZoneOffset.UTC)
                            .toString());
            return;
        }
        if ("auth-says-why".equals(token)) {
            // A refusal with its own message: the gateway must pass auth-service's wording on.
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json; charset=UTF-8")
                    .end(Envelope.error("Refused for a reason only auth-service knows.", ZoneOffset.UTC).toString());
            return;
        }
        if (token == null || account == null || tenantId == null || !token.startsWith("tok-" + account + "-")) {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json; charset=UTF-8")
                    .end(Envelope.error(ApiMessages.INVALID_TOKEN, ZoneOffset.UTC).toString());
            return;
        }
        JsonObject answer = new JsonObject()
                .put("jwt", "jwt-" + account + "-" + tenantId + "-" + introspections(token))
                .put("expiresAt", Instant.now().plusSeconds(300).getEpochSecond())
                // A number here (the contract shows a string): the gateway must accept either.
                .put("accountId", Long.parseLong(account))
                .put("tenantId", tenantId)
                .put("tokenHash", Secrets.sha256Hex(token));
        request.response().putHeader("Content-Type", "application/json").end(answer.encode());
    }
}
