package io.filehost.fileservice.support;

import io.filehost.common.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays folder-service's {@code GET /internal/folders/{id}} per docs/internal-api.md on a loopback port. Ownership is
 * encoded in the id so tests need no setup: folder {@code N} belongs to account {@code N / 1000} and is active when
 * {@code N % 1000 < 899} (900–999: trashed; 899: folder-service fails). It needs the propagated internal JWT, refuses
 * it once expired (401, as folder-service does) and reads the account from it (signature checking is file-service's
 * job and tested there).
 * <p>
 * It also plays auth-service's {@code POST /internal/token-exchange} (file-service's fresh JWT after a long upload):
 * the test service key is required, accounts whose number ends in 999 are "disabled" (401), anyone else gets the
 * subject's claims in a new JWT that lives a minute. {@link #exchanges()} counts the exchanges granted.
 */
public class FakeFolderService implements QuarkusTestResourceLifecycleManager {
    public static final String SERVICE_KEY = "test-service-key-not-a-secret";
    private static final AtomicInteger EXCHANGES = new AtomicInteger();
    private Vertx vertx;
    private HttpServer server;

    public static int exchanges() {
        return EXCHANGES.get();
    }

    public static long disabledAccount(long accountId) {
        return accountId / 1000 * 1000 + 999;
    }

    /** Folder numbers ending in 899 make this fake folder-service fail with 500. */
    private static final int FAILING = 899;

    public static long failingFolder(long accountId) {
        return accountId * 1000 + FAILING;
    }

    public static long activeFolder(long accountId, int n) {
        return accountId * 1000 + n;
    }

    public static long trashedFolder(long accountId) {
        return accountId * 1000 + 950;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            server = vertx.createHttpServer().requestHandler(request -> {
                String path = request.path();
                if (path.equals("/internal/token-exchange")) {
                    request.setExpectMultipart(true);
                    request.endHandler(done -> exchange(request));
                    return;
                }
                String auth = request.getHeader("Authorization");
                if (auth == null || !auth.startsWith("Bearer ")) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                if (!path.startsWith("/internal/folders/") || !"GET".equals(request.method().name())) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                JsonObject claims = claims(auth.substring(7));
                if (claims.getLong("exp") <= Instant.now().getEpochSecond()) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                long account = Long.parseLong(claims.getString("sub"));
                long id;
                try {
                    id = Long.parseLong(path.substring("/internal/folders/".length()));
                } catch (NumberFormatException e) {
                    id = -1;
                }
                if (id > 0 && id % 1000 == FAILING) {
                    request.response().setStatusCode(500).end("boom");
                    return;
                }
                if (id > 0 && id / 1000 == account && id % 1000 < 900) {
                    request.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("id", Long.toString(id)).putNull("parentId")
                                    .put("folderName", "folder " + id).encode());
                } else {
                    request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("status", "error").put("_status", "error")
                                    .put("response", "Could not find folder based on folder_id.").encode());
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake folder-service did not start", e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("quarkus.rest-client.folder-service.url", url, "quarkus.rest-client.auth-service.url", url);
    }

    private static void exchange(HttpServerRequest request) {
        String subject = request.getFormAttribute("subject_token");
        if (!SERVICE_KEY.equals(request.getHeader("X-Service-Key")) || subject == null) {
            request.response().setStatusCode(401).end();
            return;
        }
        JsonObject claims = claims(subject);
        if (Long.parseLong(claims.getString("sub")) % 1000 == 999) {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("status", "error").put("response", "The account is not active.").encode());
            return;
        }
        claims.remove("iat");
        claims.remove("exp");
        claims.remove("jti");
        String fresh = Jwt.claims(claims.getMap()).expiresIn(Duration.ofMinutes(1)).jws().keyId("test")
                .sign(TestJwt.PRIVATE_KEY);
        EXCHANGES.incrementAndGet();
        request.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("jwt", fresh).put("expiresAt", Instant.now().getEpochSecond() + 60).encode());
    }

    private static JsonObject claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
