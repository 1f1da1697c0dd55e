package io.filehost.gateway.web;

import io.filehost.gateway.config.GatewayConfig;
import io.filehost.gateway.proxy.Origin;
import io.filehost.gateway.proxy.TrustedProxies;
import io.filehost.gateway.tenant.TenantResolver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web file manager (module {@code web}) under {@code /app/} of every tenant host: same origin as the API,
 * so the page needs no CORS and its CSP can say {@code connect-src 'self'}. A route of its own, ordered before the
 * gateway's catch-all, so neither the API ({@code /api/…}) nor the public file pages ({@code /{shortUrl}}) change:
 * {@code app} is not a short URL (base 62 "app" decodes to 40015, which lacks the leading "1"), and the match is
 * case-sensitive ({@code /APP} is one).
 * <p>
 * The built files (a few, small) are read from the classpath ({@code filehost-web/}, listed in {@code files.txt} by
 * the build) into memory once. Hashed assets are immutable; {@code index.html} and {@code site.json} are revalidated on
 * every load, so a new deployment is picked up at the next reload.
 */
@ApplicationScoped
public class WebApp {
    private static final Logger LOG = Logger.getLogger(WebApp.class);
    public static final String BASE = "/app/";
    private static final String RESOURCES = "filehost-web/";
    /**
     * No inline script or style, no eval, the API and tus on this origin only; nothing may frame the page (the token
     * lives in its session storage).
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8", "js", "text/javascript; charset=UTF-8", "css", "text/css; charset=UTF-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json; charset=UTF-8",
            "txt", "text/plain; charset=UTF-8", "webmanifest", "application/manifest+json");

    private record Asset(Buffer body, String type, String etag, boolean immutable) {
    }

    @Inject
    TenantResolver tenants;

    @Inject
    GatewayConfig config;

    private final Map<String, Asset> assets = new HashMap<>();
    private TrustedProxies trustedProxies;

    void init(@Observes Router router) {
        trustedProxies = TrustedProxies.of(config.trustedProxies().orElse(List.of()));
        load();
        // Before the gateway's catch-all route (registered without an order): only /app and /app/…
        router.routeWithRegex("^/app(/.*)?$").order(-10).handler(this::handle);
    }

    private void load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream list = loader.getResourceAsStream(RESOURCES + "files.txt")) {
            if (list == null) {
                LOG.warn("The web app is not on the class path (module web not built): /app/ answers 404");
                return;
            }
            for (String name : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                name = name.strip();
                if (name.isEmpty()) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException("files.txt lists " + name + ", which is missing");
                    }
                    byte[] bytes = in.readAllBytes();
                    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    assets.put(name, new Asset(Buffer.buffer(bytes), TYPES.getOrDefault(extension,
                            "application/octet-stream"), etag(bytes), name.startsWith("assets/")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the web app from the class path", e);
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        String path = ctx.normalizedPath();
        securityHeaders(response);
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.ALLOW, "GET, HEAD").setStatusCode(405).end();
            return;
        }
        if (path.equals("/app")) {
            response.putHeader(HttpHeaders.LOCATION, BASE).setStatusCode(301).end();
            return;
        }
        String name = path.substring(BASE.length());
        if (name.equals("site.json")) {
            site(ctx);
            return;
        }
        Asset asset = assets.get(name.isEmpty() ? "index.html" : name);
        if (asset == null) {
            response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end("Not found");
            return;
        }
        response.putHeader(HttpHeaders.CACHE_CONTROL, asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache")
                .putHeader(HttpHeaders.ETAG, asset.etag());
        if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, asset.type());
        if (method == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(asset.body().length())).end();
        } else {
            response.end(asset.body());
        }
    }

    /** The tenant's name for the page's header: what the Host header already tells anyone, nothing more. */
    private void site(RoutingContext ctx) {
        Origin origin = Origin.of(ctx.request(), trustedProxies);
        HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8");
        if (origin.host() == null) {
            response.setStatusCode(404).end("{\"name\":null}");
            return;
        }
        // The lookup may complete on another thread; the answer is written on this request's event loop.
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        tenants.resolve(origin.host()).subscribe().with(
                tenant -> context.runOnContext(v -> response.setStatusCode(tenant.isPresent() ? 200 : 404)
                        .end(new JsonObject().put("name", tenant.map(t -> t.name()).orElse(null)).encode())),
                failure -> context.runOnContext(v -> response.setStatusCode(503).putHeader("Retry-After", "5")
                        .end("{\"name\":null}")));
    }

    private static void securityHeaders(HttpServerResponse response) {
        response.putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
