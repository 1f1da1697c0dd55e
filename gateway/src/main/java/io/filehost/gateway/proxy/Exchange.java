package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.gateway.auth.Grant;
import io.filehost.gateway.client.AuthRefusedException;
import io.filehost.gateway.multipart.HeaderParams;
import io.filehost.gateway.routing.ApiRoute;
import io.filehost.gateway.routing.ApiRoutes;
import io.filehost.gateway.routing.Service;
import io.filehost.gateway.tenant.Tenant;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One client request through the gateway, from the first byte to the log line: its lifecycle and the state its
 * collaborators share. Everything runs on the request's Vert.x (event-loop) context; callbacks from elsewhere (the
 * auth client, fault-tolerance timers) are moved back onto it first, so no field needs synchronisation.
 *
 * <p>The way of a request: request id → per-IP rate limit → tenant (Host) → method and route → parameters (query,
 * urlencoded or multipart, bounded: {@link ParamsReader}) → credentials → introspection (cache) → per-account rate
 * limit → forward ({@link UpstreamCall}) → relay the response (status mapped for compatible tenants) → log
 * ({@link RequestRecord}). {@code file/upload} with a multipart body takes the streaming path
 * ({@link UploadForward}), tus requests are streamed untouched ({@link TusForward}); refusals and their effect on the
 * connection are {@link Refusals}.
 */
final class Exchange {
    /** The category of every per-request warning, whichever collaborator writes it (docs/observability.md). */
    static final Logger LOG = Logger.getLogger(Exchange.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    enum Phase { START, READING, SCANNING, AUTHORIZING, CONNECTING, REPLAYING, STREAMING, RESPONDING }

    final Gateway gateway;
    final GatewayMetrics metrics;
    final RoutingContext ctx;
    final HttpServerRequest request;
    final HttpServerResponse response;
    final Context context;
    final boolean api;
    final String path;

    final RequestRecord record;
    final Refusals refusals;
    final UpstreamCall upstream;
    /** Only for a streamed multipart upload. */
    UploadForward upload;

    Phase phase = Phase.START;
    String requestId;
    Origin origin;
    Tenant tenant;
    ApiRoute route;
    Service service;
    Map<String, List<String>> query;
    /** A tus request: statuses pass through unchanged for every tenant (see {@link TusForward}). */
    boolean tus;
    /** {@code disable_access_token}: the token whose cached grant goes once the service confirms the revocation. */
    String revokedTokenHash;

    boolean finished;
    boolean requestEnded;
    boolean continueSent;

    Exchange(Gateway gateway, RoutingContext ctx, boolean api, String path) {
        this.gateway = gateway;
        this.metrics = gateway.metrics();
        this.ctx = ctx;
        this.request = ctx.request();
        this.response = ctx.response();
        this.context = Vertx.currentContext();
        this.api = api;
        this.path = path;
        this.record = new RequestRecord(this);
        this.refusals = new Refusals(this);
        this.upstream = new UpstreamCall(this);
    }

    void start() {
        // Nothing is read until we decide how: the request stays paused (Quarkus hands it over paused and resumes
        // it on the first handler unless told otherwise, which this explicit pause does).
        request.pause();
        String clientRequestId = request.getHeader(InternalHeaders.REQUEST_ID);
        requestId = clientRequestId != null && REQUEST_ID.matcher(clientRequestId).matches()
                ? clientRequestId : UUID.randomUUID().toString();
        response.putHeader(InternalHeaders.REQUEST_ID, requestId);
        response.closeHandler(v -> guard(refusals::clientGone));
        request.exceptionHandler(e -> guard(refusals::clientGone));
        ctx.addEndHandler(v -> {
            cleanup();
            record.uploadDone();
        });
        origin = Origin.of(request, gateway.trustedProxies());

        if (api && !gateway.rateLimiter().allowIp(origin.clientIp())) {
            // Before the tenant lookup, so a flood costs nothing downstream; the tenant for the status mapping is
            // taken from the cache only (it is there for any client that got this far before).
            tenant = origin.host() == null ? null : gateway.tenants().cached(origin.host()).orElse(null);
            metrics.rateLimited(false);
            refusals.fail(429, ApiMessages.RATE_LIMITED, false, "rate-limited-ip");
            return;
        }
        if (origin.host() == null) {
            refusals.fail(404, GatewayMessages.UNKNOWN_SITE, true, "no-host");
            return;
        }
        gateway.tenants().resolve(origin.host()).subscribe().with(
                found -> onContext(() -> withTenant(found)),
                failure -> onContext(() -> authServiceFailed(failure, "tenant")));
    }

    private void withTenant(Optional<Tenant> found) {
        if (finished) {
            return;
        }
        if (found.isEmpty()) {
            refusals.fail(404, GatewayMessages.UNKNOWN_SITE, true, "unknown-site");
            return;
        }
        tenant = found.get();
        HttpMethod method = request.method();
        if (!api) {
            if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.POST) {
                refusals.fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
                return;
            }
            forwardPublic();
            return;
        }
        ApiRoute tusRoute = ApiRoutes.tus(path);
        if (tusRoute != null) {
            new TusForward(this).forward(tusRoute);
            return;
        }
        if (method != HttpMethod.GET && method != HttpMethod.POST) {
            refusals.fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
            return;
        }
        ApiRoutes.Lookup lookup = ApiRoutes.resolve(path);
        if (!lookup.found()) {
            record.unknownRoute = true;
            refusals.fail(404, lookup.notFoundMessage(), true, "no-route");
            return;
        }
        route = lookup.route();
        service = route.service();
        if (route.upload() && method == HttpMethod.POST) {
            record.uploadStarted();
        }
        if (!decodeQuery()) {
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = HeaderParams.mainValue(contentType);
        boolean post = method == HttpMethod.POST;
        ParamsReader params = new ParamsReader(this);
        if (post && "multipart/form-data".equals(mediaType)) {
            String boundary = HeaderParams.multipartBoundary(contentType);
            if (boundary == null) {
                refusals.fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "no-boundary");
            } else if (route.upload()) {
                upload = new UploadForward(this);
                upload.start(boundary);
            } else {
                params.readMultipartFields(boundary);
            }
        } else if (post && "application/x-www-form-urlencoded".equals(mediaType)) {
            params.readUrlencoded();
        } else {
            // GET, or a body type the API does not define: the query string is all there is. Any body is drained.
            params.readQueryOnly();
        }
    }

    /** Decodes the query string into {@link #query}; false (and answered) when it cannot be read. */
    boolean decodeQuery() {
        try {
            query = FormParams.decode(request.query());
            return true;
        } catch (IllegalArgumentException e) {
            refusals.fail(400, GatewayMessages.MALFORMED_PARAMS, false, "bad-query");
            return false;
        }
    }

    /** Download links and folder pages: no credentials, response passed through untouched. */
    private void forwardPublic() {
        service = path.startsWith("/folder/") ? Service.FOLDER : Service.FILE;
        String rawQuery = request.query();
        String uri = "/public" + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        MultiMap headers = forwardHeaders(true, null);
        if (request.method() == HttpMethod.GET) {
            // a download's bytes are fetched from S3 by the gateway itself (UpstreamCall.relayObject)
            headers.set(InternalHeaders.OBJECT_RELAY, "1");
        }
        upstream.forwardStreamed(request.method(), uri, headers);
    }

    // ---------------------------------------------------------------------------------------- authorization

    boolean credentialsPresent(String token, String account) {
        if (token == null) {
            refusals.fail(400, ApiMessages.missingParam(FormParams.ACCESS_TOKEN), false, "no-token");
            return false;
        }
        if (account == null) {
            refusals.fail(400, ApiMessages.missingParam(FormParams.ACCOUNT_ID), false, "no-account");
            return false;
        }
        return true;
    }

    void authorize(String token, String account, Consumer<Grant> next) {
        phase = Phase.AUTHORIZING;
        gateway.introspector().introspect(tenant.id(), requestId, token, account).subscribe().with(
                grant -> onContext(() -> {
                    if (finished) {
                        return;
                    }
                    record.accountId = grant.accountId();
                    if (!gateway.rateLimiter().allowAccount(tenant.id(), grant.accountId())) {
                        metrics.rateLimited(true);
                        refusals.fail(429, ApiMessages.RATE_LIMITED, false, "rate-limited-account");
                        return;
                    }
                    next.accept(grant);
                }),
                failure -> onContext(() -> {
                    if (failure instanceof AuthRefusedException refused) {
                        String message = refused.getMessage() == null ? ApiMessages.INVALID_TOKEN : refused.getMessage();
                        refusals.fail(401, message, false, "refused");
                    } else {
                        authServiceFailed(failure, "introspection");
                    }
                }));
    }

    private void authServiceFailed(Throwable failure, String what) {
        if (finished) {
            return;
        }
        boolean timeout = UpstreamCall.isTimeout(failure);
        LOG.warnf("Request %s: auth-service %s failed: %s", requestId, what, failure.toString());
        refusals.fail(timeout ? 504 : 503, timeout ? ApiMessages.SERVICE_TIMEOUT : ApiMessages.SERVICE_UNAVAILABLE,
                true, "auth-" + (timeout ? "timeout" : "unavailable"));
    }

    /** The headers a service receives: the client's (filtered by {@link HeaderPolicy}) plus the internal ones. */
    MultiMap forwardHeaders(boolean keepBodyHeaders, Grant grant) {
        MultiMap headers = HttpHeaders.headers();
        HeaderPolicy.copyRequestHeaders(request.headers(), headers, keepBodyHeaders);
        if (grant != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + grant.jwt());
        }
        headers.set(InternalHeaders.REQUEST_ID, requestId);
        headers.set(InternalHeaders.TENANT_ID, tenant.id());
        headers.set(InternalHeaders.TENANT_TIME_ZONE, tenant.timeZoneId());
        headers.set(InternalHeaders.TENANT_STRICT_HTTP, Boolean.toString(tenant.strictHttp()));
        String baseUrl = tenant.publicBaseUrl() != null ? tenant.publicBaseUrl() : origin.baseUrl();
        headers.set(InternalHeaders.PUBLIC_BASE_URL, baseUrl);
        if (origin.clientIp() != null) {
            headers.set(InternalHeaders.CLIENT_IP, origin.clientIp());
        }
        return headers;
    }

    /** The URI of a streamed forward: the route's path and the query without {@code access_token}. */
    String uriWithoutToken(String routePath) {
        // The body is forwarded untouched, but the query string is the gateway's to clean: the token never goes
        // further than needed.
        String forwardedQuery = FormParams.withoutParam(request.query(), FormParams.ACCESS_TOKEN);
        return routePath + (forwardedQuery.isEmpty() ? "" : "?" + forwardedQuery);
    }

    // ------------------------------------------------------------------------------------------------ endings

    /** The exchange is over (answered, aborted or abandoned): timers stop, resources go, the request is recorded. */
    void complete() {
        upstream.cancelIdleTimer();
        cleanup();
        record.uploadDone();
        record.log();
    }

    private void cleanup() {
        if (upload != null) {
            upload.discard();
        }
    }

    boolean isHttp1() {
        return request.version() != HttpVersion.HTTP_2;
    }

    /**
     * A client waiting for 100 Continue that gets a final answer instead may or may not send its body: the
     * connection cannot be reused safely, so such a refusal always closes it.
     */
    boolean expectsContinue() {
        return "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    }

    void sendContinueIfExpected() {
        if (!continueSent && expectsContinue()) {
            continueSent = true;
            response.writeContinue();
        }
    }

    long declaredLength() {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------- plumbing

    /** Runs on the request's context: callbacks of the auth client or of timers may arrive on other threads. */
    void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            guard(action);
        } else {
            context.runOnContext(v -> guard(action));
        }
    }

    /** No exception ever reaches the client as a stack trace or leaves the exchange hanging. */
    void guard(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Request %s: unexpected failure in %s", requestId, phase);
            if (upstream.responseStarted()) {
                refusals.abort("internal-error");
            } else {
                refusals.fail(500, ApiMessages.INTERNAL_ERROR, true, "internal-error");
            }
        }
    }

    static String or(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    static boolean isApiPath(String normalizedPath) {
        return normalizedPath.regionMatches(true, 0, "/api", 0, 4)
                && (normalizedPath.length() == 4 || normalizedPath.charAt(4) == '/');
    }
}
