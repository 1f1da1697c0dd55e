package io.filehost.folderservice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Plays file-service's two internal endpoints (docs/internal-api.md) on a loopback port, per account as the
 * propagated JWT names it, and counts the calls each account caused. Tests seed files and read the counters over
 * HTTP ({@code /__seed}, {@code /__calls}), since the test and this server live in different class loaders.
 * A request without a bearer token is refused with 401, as file-service would: the propagation is part of what is
 * tested.
 */
public class FakeFileService implements QuarkusTestResourceLifecycleManager {
    public static final String URL_PROPERTY = "fake-file-service.url";

    private Vertx vertx;
    private final Map<String, List<JsonObject>> files = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> calls = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
    private final Map<String, Long> delays = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            try {
                handle(request, body.toString(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                request.response().setStatusCode(500).end(String.valueOf(e));
            }
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake file-service did not start", e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("quarkus.rest-client.file-service.url", url, URL_PROPERTY, url);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private void handle(HttpServerRequest request, String body) {
        String path = request.path();
        switch (path) {
            case "/__seed" -> {
                JsonObject seed = new JsonObject(body);
                String key = seed.getString("tenantId") + ":" + seed.getString("accountId");
                seed.getJsonArray("files").forEach(f -> files.computeIfAbsent(key, k -> new ArrayList<>())
                        .add((JsonObject) f));
                json(request, 200, new JsonObject());
            }
            case "/__calls" -> json(request, 200, calls.getOrDefault(request.getParam("account"), new JsonObject()));
            case "/__fail" -> {
                failing.put(request.getParam("account"), Boolean.parseBoolean(request.getParam("on")));
                json(request, 200, new JsonObject());
            }
            case "/__delay" -> {
                delays.put(request.getParam("account"), Long.parseLong(request.getParam("ms")));
                json(request, 200, new JsonObject());
            }
            case "/internal/folder-stats", "/internal/folder-files" -> {
                String account = accountOf(request.getHeader("Authorization"));
                long delay = account == null ? 0 : delays.getOrDefault(account, 0L);
                if (delay > 0) {
                    vertx.setTimer(delay, t -> internal(request, path, body));
                } else {
                    internal(request, path, body);
                }
            }
            default -> json(request, 404, new JsonObject().put("error", "no such path"));
        }
    }

    private void internal(HttpServerRequest request, String path, String body) {
        String key = accountOf(request.getHeader("Authorization"));
        if (key == null) {
            json(request, 401, new JsonObject().put("_status", "error"));
            return;
        }
        JsonObject counters = calls.computeIfAbsent(key, k -> new JsonObject());
        synchronized (counters) {
            String name = path.substring("/internal/".length());
            counters.put(name, counters.getInteger(name, 0) + 1);
            counters.put("publicBaseUrl", request.getHeader("X-Public-Base-Url"));
            counters.put("requestId", request.getHeader("X-Request-Id"));
        }
        if (failing.getOrDefault(key, false)) {
            json(request, 500, new JsonObject().put("_status", "error"));
            return;
        }
        List<JsonObject> owned = files.getOrDefault(key, List.of()).stream()
                .filter(f -> "active".equals(f.getString("status"))).toList();
        if (path.endsWith("folder-stats")) {
            if (!"POST".equals(request.method().name())) {
                json(request, 405, new JsonObject());
                return;
            }
            JsonObject answer = new JsonObject();
            for (Object id : new JsonObject(body).getJsonArray("folderIds")) {
                List<JsonObject> inside = owned.stream().filter(f -> id.equals(f.getString("folderId"))).toList();
                answer.put((String) id, new JsonObject()
                        .put("size", inside.stream().mapToLong(f -> Long.parseLong(f.getString("fileSize"))).sum())
                        .put("files", inside.size())
                        .put("downloads", inside.stream().mapToLong(f -> Long.parseLong(f.getString("downloads")))
                                .sum()));
            }
            json(request, 200, answer);
        } else {
            String folderId = request.getParam("folderId");
            JsonArray list = new JsonArray();
            owned.stream().filter(f -> Objects.equals(folderId, f.getString("folderId")))
                    .sorted(Comparator.comparing(f -> f.getString("filename")))
                    .forEach(list::add);
            json(request, 200, new JsonObject().put("files", list));
        }
    }

    /** "tenant:account" from the bearer JWT's claims; the signature was already checked by folder-service. */
    private static String accountOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        return claims.getValue("tid") + ":" + claims.getString("sub");
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
