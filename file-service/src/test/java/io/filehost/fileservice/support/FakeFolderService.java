package io.filehost.fileservice.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plays folder-service's {@code GET /internal/folders/{id}} per docs/internal-api.md on a loopback port. Ownership is
 * encoded in the id so tests need no setup: folder {@code N} belongs to account {@code N / 1000} and is active when
 * {@code N % 1000 < 899} (900–999: trashed; 899: folder-service fails). It needs the propagated internal JWT and reads the account from it
 * (signature checking is file-service's job and tested there).
 */
public class FakeFolderService implements QuarkusTestResourceLifecycleManager {
    private Vertx vertx;
    private HttpServer server;

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
                String auth = request.getHeader("Authorization");
                if (auth == null || !auth.startsWith("Bearer ")) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                if (!path.startsWith("/internal/folders/") || !"GET".equals(request.method().name())) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                long account = Long.parseLong(subject(auth.substring(7)));
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
        return Map.of("quarkus.rest-client.folder-service.url", "http://127.0.0.1:" + server.actualPort());
    }

    private static String subject(String jwt) {
        String payload = jwt.split("\\.")[1];
        return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8))
                .getString("sub");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
