package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMedia;
import io.filehost.common.api.ApiMessages;
import io.filehost.common.api.Envelope;
import io.filehost.common.api.TusProtocol;
import io.filehost.common.internal.InternalHeaders;
import io.filehost.common.rest.EarlyAnswer;
import io.filehost.common.security.Secrets;
import io.filehost.gateway.auth.Grant;
import io.filehost.gateway.client.AuthRefusedException;
import io.filehost.gateway.multipart.HeaderParams;
import io.filehost.gateway.multipart.MalformedMultipartException;
import io.filehost.gateway.multipart.MultipartScanner;
import io.filehost.gateway.multipart.SpoolLimitExceededException;
import io.filehost.gateway.multipart.UploadRecording;
import io.filehost.gateway.routing.ApiRoute;
import io.filehost.gateway.routing.ApiRoutes;
import io.filehost.gateway.routing.Service;
import io.filehost.gateway.tenant.Tenant;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One client request through the gateway, from the first byte to the log line. Everything runs on the request's
 * Vert.x (event-loop) context; callbacks from elsewhere (the auth client, fault-tolerance timers) are moved back onto
 * it first, so no field needs synchronisation.
 *
 * <p>The way of a request: request id → per-IP rate limit → tenant (Host) → method and route → parameters (query,
 * urlencoded or multipart, bounded) → credentials → introspection (cache) → per-account rate limit → forward →
 * relay the response (status mapped for compatible tenants) → log. {@code file/upload} with a multipart body takes
 * the streaming path: see {@link #upload}.
 */
final class Exchange {
    private static final Logger LOG = Logger.getLogger(Exchange.class);
    private static final Logger ACCESS = Logger.getLogger("io.filehost.gateway.access");

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Client-error statuses a compatible tenant receives as 200 (behaviour.md §2, internal-api.md). */
    private static final Set<Integer> COMPAT_REWRITTEN = Set.of(400, 401, 403, 404, 413, 429);
    private static final int MAX_CREDENTIAL_BYTES = 4096;
    private static final String DISABLE_ACCESS_TOKEN = "disable_access_token";
    /**
     * Bytes a streamed body may have queued on the outgoing connection before the incoming side is paused (Vert.x'
     * default: 64 KiB, i.e. a pause/resume round every few chunks on a fast loopback pipe). Bounds the memory per
     * exchange and direction; measured with ./dev bench (issue 3).
     */
    private static final int STREAM_WRITE_QUEUE = 512 * 1024;

    private enum Phase { START, READING, SCANNING, AUTHORIZING, CONNECTING, REPLAYING, STREAMING, RESPONDING }

    private final Gateway gateway;
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Context context;
    private final boolean api;
    private final String path;
    private final long startNanos = System.nanoTime();

    private Phase phase = Phase.START;
    private String requestId;
    private Origin origin;
    private Tenant tenant;
    private ApiRoute route;
    private String accountId;
    private String revokedTokenHash;
    private Service service;

    private boolean finished;
    private boolean requestEnded;
    private boolean continueSent;
    private int status;
    private String outcome = "";
    private long bytesIn;
    private long bytesOut;
    /** An unknown endpoint or action was asked for (logged as "unknown", never as the raw path). */
    private boolean unknownRoute;
    /** A tus request: statuses pass through unchanged for every tenant (see {@link #forwardTus}). */
    private boolean tus;
    /** Counted in {@code gateway.uploads.active} until the exchange ends. */
    private boolean activeUpload;

    private HttpClientRequest upstream;
    private boolean responseStarted;
    private long lastActivity;
    private long idleTimer = -1;

    private MultipartScanner scanner;
    private UploadRecording recording;
    private final List<Buffer> pending = new ArrayList<>();
    private Map<String, List<String>> query;

    Exchange(Gateway gateway, RoutingContext ctx, boolean api, String path) {
        this.gateway = gateway;
        this.ctx = ctx;
        this.request = ctx.request();
        this.response = ctx.response();
        this.context = Vertx.currentContext();
        this.api = api;
        this.path = path;
    }

    void start() {
        // Nothing is read until we decide how: the request stays paused (Quarkus hands it over paused and resumes
        // it on the first handler unless told otherwise, which this explicit pause does).
        request.pause();
        String clientRequestId = request.getHeader(InternalHeaders.REQUEST_ID);
        requestId = clientRequestId != null && REQUEST_ID.matcher(clientRequestId).matches()
                ? clientRequestId : UUID.randomUUID().toString();
        response.putHeader(InternalHeaders.REQUEST_ID, requestId);
        response.closeHandler(v -> guard(this::clientGone));
        request.exceptionHandler(e -> guard(this::clientGone));
        ctx.addEndHandler(v -> {
            cleanup();
            uploadDone();
        });
        origin = Origin.of(request, gateway.trustedProxies());

        if (api && !gateway.rateLimiter().allowIp(origin.clientIp())) {
            // Before the tenant lookup, so a flood costs nothing downstream; the tenant for the status mapping is
            // taken from the cache only (it is there for any client that got this far before).
            tenant = origin.host() == null ? null : gateway.tenants().cached(origin.host()).orElse(null);
            gateway.rateLimited(false);
            fail(429, ApiMessages.RATE_LIMITED, false, "rate-limited-ip");
            return;
        }
        if (origin.host() == null) {
            fail(404, GatewayMessages.UNKNOWN_SITE, true, "no-host");
            return;
        }
        gateway.tenants().resolve(origin.host()).subscribe().with(
                found -> onContext(() -> withTenant(found)),
                failure -> onContext(() -> authServiceFailed(failure, "tenant")));
    }

    // ------------------------------------------------------------------------------------------------- dispatch

    private void withTenant(Optional<Tenant> found) {
        if (finished) {
            return;
        }
        if (found.isEmpty()) {
            fail(404, GatewayMessages.UNKNOWN_SITE, true, "unknown-site");
            return;
        }
        tenant = found.get();
        HttpMethod method = request.method();
        if (!api) {
            if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.POST) {
                fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
                return;
            }
            forwardPublic();
            return;
        }
        ApiRoute tusRoute = ApiRoutes.tus(path);
        if (tusRoute != null) {
            forwardTus(tusRoute);
            return;
        }
        if (method != HttpMethod.GET && method != HttpMethod.POST) {
            fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
            return;
        }
        ApiRoutes.Lookup lookup = ApiRoutes.resolve(path);
        if (!lookup.found()) {
            unknownRoute = true;
            fail(404, lookup.notFoundMessage(), true, "no-route");
            return;
        }
        route = lookup.route();
        service = route.service();
        if (route.upload() && method == HttpMethod.POST) {
            activeUpload = true;
            gateway.uploadStarted();
        }
        try {
            query = FormParams.decode(request.query());
        } catch (IllegalArgumentException e) {
            fail(400, GatewayMessages.MALFORMED_PARAMS, false, "bad-query");
            return;
        }

        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = HeaderParams.mainValue(contentType);
        boolean post = method == HttpMethod.POST;
        if (post && "multipart/form-data".equals(mediaType)) {
            String boundary = HeaderParams.multipartBoundary(contentType);
            if (boundary == null) {
                fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "no-boundary");
            } else if (route.upload()) {
                upload(boundary);
            } else {
                readMultipartFields(boundary);
            }
        } else if (post && "application/x-www-form-urlencoded".equals(mediaType)) {
            readUrlencoded();
        } else {
            // GET, or a body type the API does not define: the query string is all there is. Any body is drained.
            readBody(chunk -> { }, () -> normalised(Map.of()));
        }
    }

    // ------------------------------------------------------------------------------ bounded bodies (normalised)

    private void readUrlencoded() {
        Buffer body = Buffer.buffer();
        readBody(body::appendBuffer, () -> {
            Map<String, List<String>> form;
            try {
                form = FormParams.decode(body.toString(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                fail(400, GatewayMessages.MALFORMED_PARAMS, false, "bad-form");
                return;
            }
            normalised(form);
        });
    }

    private void readMultipartFields(String boundary) {
        // Every text field is kept; file parts are skipped as they stream by. The whole body is bounded anyway.
        MultipartScanner fields = new MultipartScanner(boundary, name -> true, gateway.config().maxFormBytes());
        readBody(chunk -> {
            try {
                fields.feed(chunk);
            } catch (MalformedMultipartException e) {
                fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
            }
        }, () -> {
            try {
                fields.finish();
            } catch (MalformedMultipartException e) {
                fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
                return;
            }
            normalised(fields.fields());
        });
    }

    /** Reads the whole body, at most {@code max-form-bytes} (413 beyond), then runs {@code onEnd}. */
    private void readBody(Consumer<Buffer> onChunk, Runnable onEnd) {
        int limit = gateway.config().maxFormBytes();
        long declared = declaredLength();
        if (declared > limit) {
            fail(413, GatewayMessages.BODY_TOO_LARGE, false, "body-too-large");
            return;
        }
        phase = Phase.READING;
        sendContinueIfExpected();
        request.handler(chunk -> guard(() -> {
            if (finished) {
                return;
            }
            bytesIn += chunk.length();
            if (route != null && route.upload()) {
                gateway.uploadReceived(chunk.length());
            }
            if (bytesIn > limit) {
                fail(413, GatewayMessages.BODY_TOO_LARGE, false, "body-too-large");
                return;
            }
            onChunk.accept(chunk);
        }));
        request.endHandler(v -> guard(() -> {
            requestEnded = true;
            if (!finished) {
                onEnd.run();
            }
        }));
        request.resume();
    }

    /** Every API request except a multipart upload: one urlencoded POST with the merged parameters. */
    private void normalised(Map<String, List<String>> body) {
        if (finished) {
            return;
        }
        Map<String, List<String>> params = FormParams.merge(query, body);
        String token = FormParams.firstNonBlank(params.remove(FormParams.ACCESS_TOKEN));
        Buffer form = Buffer.buffer(FormParams.encode(params));
        if (!route.needsCredentials()) {
            forwardNormalised(form, null);
            return;
        }
        String account = FormParams.firstNonBlank(params.get(FormParams.ACCOUNT_ID));
        if (!credentialsPresent(token, account)) {
            return;
        }
        authorize(token, account, grant -> {
            if (route.is(DISABLE_ACCESS_TOKEN)) {
                revokedTokenHash = Secrets.sha256Hex(token);
            }
            forwardNormalised(form, grant);
        });
    }

    private void forwardNormalised(Buffer form, Grant grant) {
        MultiMap headers = forwardHeaders(false, grant);
        headers.set(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8");
        headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(form.length()));
        openUpstream(HttpMethod.POST, route.path(), headers, up -> up.end(form));
    }

    // ------------------------------------------------------------------------------------ streaming upload

    /**
     * {@code file/upload} with a multipart body: forwarded byte for byte, streamed. The credentials come from the
     * query string (then the body is streamed at once) or from multipart fields in any order. Until they are
     * known the raw bytes are recorded (memory, then a bounded spool file) while a scanner watches for the two
     * fields; then the request is paused, the caller authenticated, the recording replayed to file-service and the
     * rest of the live request streamed after it.
     *
     * <p>A body-wins caveat: when one credential is in the query and the other in the body, forwarding starts as
     * soon as both are known; a second copy in the body after the file part is not waited for.
     */
    private void upload(String boundary) {
        String queryToken = FormParams.firstNonBlank(query.get(FormParams.ACCESS_TOKEN));
        String queryAccount = FormParams.firstNonBlank(query.get(FormParams.ACCOUNT_ID));
        request.handler(chunk -> guard(() -> uploadChunk(chunk, queryToken, queryAccount)));
        request.endHandler(v -> guard(() -> uploadEnded(queryToken, queryAccount)));
        if (queryToken != null && queryAccount != null) {
            startUploadForward(queryToken, queryAccount);
            return;
        }
        phase = Phase.SCANNING;
        scanner = new MultipartScanner(boundary,
                name -> name.equals(FormParams.ACCESS_TOKEN) || name.equals(FormParams.ACCOUNT_ID),
                MAX_CREDENTIAL_BYTES);
        recording = new UploadRecording(Vertx.currentContext().owner(), gateway.spoolDirectory(),
                gateway.config().scanMemoryBytes(), gateway.config().spoolMaxBytes());
        sendContinueIfExpected();
        request.resume();
    }

    private void uploadChunk(Buffer chunk, String queryToken, String queryAccount) {
        if (finished) {
            return;
        }
        touch();
        bytesIn += chunk.length();
        gateway.uploadReceived(chunk.length());
        switch (phase) {
            case SCANNING -> scanChunk(chunk, queryToken, queryAccount);
            case STREAMING -> {
                upstream.write(chunk);
                if (upstream.writeQueueFull()) {
                    request.pause();
                }
            }
            // Authorizing, connecting or replaying: the request is paused, but a chunk already on its way is kept
            // in order and written after the replay.
            default -> pending.add(chunk);
        }
    }

    private void scanChunk(Buffer chunk, String queryToken, String queryAccount) {
        Future<Void> recorded = recording.append(chunk);
        if (recorded.failed()) {
            recordingFailed(recorded.cause());
            return;
        }
        try {
            scanner.feed(chunk);
        } catch (MalformedMultipartException e) {
            fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
            return;
        }
        String token = or(FormParams.firstNonBlank(scanner.first(FormParams.ACCESS_TOKEN)), queryToken);
        String account = or(FormParams.firstNonBlank(scanner.first(FormParams.ACCOUNT_ID)), queryAccount);
        if (token != null && account != null) {
            request.pause();
            startUploadForward(token, account);
            return;
        }
        if (!recorded.isComplete()) {
            request.pause();
            recorded.onComplete(ar -> guard(() -> {
                if (ar.failed()) {
                    recordingFailed(ar.cause());
                } else if (phase == Phase.SCANNING && !finished) {
                    request.resume();
                }
            }));
        }
    }

    private void uploadEnded(String queryToken, String queryAccount) {
        requestEnded = true;
        if (finished) {
            return;
        }
        switch (phase) {
            case SCANNING -> {
                // The whole body went by without both credentials.
                try {
                    scanner.finish();
                } catch (MalformedMultipartException e) {
                    fail(400, GatewayMessages.MALFORMED_MULTIPART, false, "bad-multipart");
                    return;
                }
                String token = or(FormParams.firstNonBlank(scanner.first(FormParams.ACCESS_TOKEN)), queryToken);
                String account = or(FormParams.firstNonBlank(scanner.first(FormParams.ACCOUNT_ID)), queryAccount);
                credentialsPresent(token, account);
            }
            case STREAMING -> upstream.end();
            default -> {
                // Ends the upstream request once the replay is done (see streamLive).
            }
        }
    }

    private void startUploadForward(String token, String account) {
        authorize(token, account, grant -> {
            sendContinueIfExpected();
            MultiMap headers = forwardHeaders(true, grant);
            // The body is forwarded untouched (it may still hold the access_token field), but the query string is
            // the gateway's to clean: the token never goes further than needed.
            String forwardedQuery = FormParams.withoutParam(request.query(), FormParams.ACCESS_TOKEN);
            String uri = route.path() + (forwardedQuery.isEmpty() ? "" : "?" + forwardedQuery);
            openUpstream(HttpMethod.POST, uri, headers, up -> {
                if (!headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                    up.setChunked(true);
                }
                phase = Phase.REPLAYING;
                if (recording != null && recording.spooled()) {
                    // Counted before the replay: once the whole recording is replayed the service may answer, and
                    // the client may see that answer before the replay's completion callback runs.
                    gateway.uploadSpooled();
                }
                Future<Void> replayed = recording == null
                        ? Future.succeededFuture()
                        : recording.finish().compose(v -> recording.replayTo(up));
                replayed.onComplete(ar -> guard(() -> {
                    if (finished) {
                        return;
                    }
                    if (ar.failed()) {
                        upstreamFailed(ar.cause());
                        return;
                    }
                    streamLive(up);
                }));
            });
        });
    }

    /** After the replay: what arrived meanwhile, then the live request, with back-pressure both ways. */
    private void streamLive(HttpClientRequest up) {
        if (recording != null) {
            recording.discard();
            recording = null;
        }
        up.exceptionHandler(e -> guard(() -> upstreamFailed(e)));
        up.drainHandler(v -> guard(() -> {
            touch();
            if (!finished && !requestEnded) {
                request.resume();
            }
        }));
        for (Buffer chunk : pending) {
            up.write(chunk);
        }
        pending.clear();
        phase = Phase.STREAMING;
        if (requestEnded) {
            up.end();
        } else if (!up.writeQueueFull()) {
            request.resume();
        }
    }

    private void recordingFailed(Throwable cause) {
        if (cause instanceof SpoolLimitExceededException) {
            fail(413, GatewayMessages.CREDENTIALS_AFTER_FILE, false, "spool-limit");
        } else {
            LOG.errorf("Request %s: could not spool the upload: %s", requestId, cause.toString());
            fail(500, ApiMessages.INTERNAL_ERROR, true, "spool-error");
        }
    }

    // ------------------------------------------------------------------------------------------ public paths

    /** Download links and folder pages: no credentials, response passed through untouched. */
    private void forwardPublic() {
        service = path.startsWith("/folder/") ? Service.FOLDER : Service.FILE;
        String rawQuery = request.query();
        String uri = "/public" + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        MultiMap headers = forwardHeaders(true, null);
        if (request.method() == HttpMethod.GET) {
            headers.set(InternalHeaders.OBJECT_RELAY, "1"); // a download's bytes: fetched from S3 here (relayObject)
        }
        openUpstream(request.method(), uri, headers, up -> {
            if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                up.setChunked(true);
            }
            sendContinueIfExpected();
            pumpBody(up);
        });
    }

    /** The request body to the service as it arrives, with back-pressure both ways. */
    private void pumpBody(HttpClientRequest up) {
        request.handler(chunk -> guard(() -> {
            if (finished) {
                return;
            }
            touch();
            bytesIn += chunk.length();
            up.write(chunk);
            if (up.writeQueueFull()) {
                request.pause();
            }
        }));
        request.endHandler(v -> guard(() -> {
            requestEnded = true;
            if (!finished) {
                up.end();
            }
        }));
        up.drainHandler(v -> guard(() -> {
            touch();
            if (!finished && !requestEnded) {
                request.resume();
            }
        }));
        phase = Phase.STREAMING;
        request.resume();
    }

    // ------------------------------------------------------------------------------------ resumable uploads

    /**
     * tus (docs/tus.md): credentials come in headers a tus client sets once ({@code Authorization: Bearer
     * <access_token>} and {@code X-Account-Id}; the query's {@code access_token}/{@code account_id} also work), the
     * body is never parsed, only streamed, and statuses pass through for every tenant: a tus client acts on 409, 412,
     * 423 or 460, and the compatible tenants' "200 with an error envelope" would read as success. OPTIONS without
     * credentials is the protocol's discovery and answered here.
     */
    private void forwardTus(ApiRoute tusRoute) {
        tus = true;
        route = tusRoute;
        service = tusRoute.service();
        HttpMethod method = request.method();
        String override = request.getHeader("X-HTTP-Method-Override");
        if (method == HttpMethod.POST && override != null) {
            // tus clients on stacks without PATCH (tus-java-client over HttpURLConnection) tunnel it through POST.
            method = HttpMethod.valueOf(override.trim().toUpperCase(Locale.ROOT));
        }
        boolean collection = tusRoute.path().equals("/api/v2/file/tus");
        boolean allowed = method == HttpMethod.OPTIONS || (collection ? method == HttpMethod.POST
                : method == HttpMethod.HEAD || method == HttpMethod.PATCH || method == HttpMethod.DELETE);
        if (!allowed) {
            response.putHeader(HttpHeaders.ALLOW, collection ? "OPTIONS, POST" : "OPTIONS, HEAD, PATCH, DELETE");
            fail(405, ApiMessages.METHOD_NOT_ALLOWED, true, "method");
            return;
        }
        String token = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        String account = request.getHeader(TusProtocol.ACCOUNT_HEADER);
        try {
            query = FormParams.decode(request.query());
        } catch (IllegalArgumentException e) {
            fail(400, GatewayMessages.MALFORMED_PARAMS, false, "bad-query");
            return;
        }
        token = or(token, first(query, FormParams.ACCESS_TOKEN));
        account = or(account, first(query, FormParams.ACCOUNT_ID));
        if (method == HttpMethod.OPTIONS && token == null) {
            readBody(chunk -> { }, () -> {
                status = 204;
                outcome = "tus-options";
                finished = true;
                response.setStatusCode(204).putHeader("Tus-Resumable", TusProtocol.VERSION).putHeader("Tus-Version",
                        TusProtocol.VERSION).putHeader("Tus-Extension", TusProtocol.EXTENSIONS).end();
                complete();
            });
            return;
        }
        if (method == HttpMethod.POST || method == HttpMethod.PATCH) {
            activeUpload = true;
            gateway.uploadStarted();
        }
        if (!credentialsPresent(token, account)) {
            return;
        }
        String forwardedQuery = FormParams.withoutParam(request.query(), FormParams.ACCESS_TOKEN);
        String uri = tusRoute.path() + (forwardedQuery.isEmpty() ? "" : "?" + forwardedQuery);
        HttpMethod upstreamMethod = method;
        authorize(token, account, grant -> {
            MultiMap headers = forwardHeaders(true, grant);
            headers.remove("X-HTTP-Method-Override");
            openUpstream(upstreamMethod, uri, headers, up -> {
                if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                        && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                    up.setChunked(true);
                }
                sendContinueIfExpected();
                pumpBody(up);
            });
        });
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params == null ? null : params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    // ---------------------------------------------------------------------------------------- authorization

    private boolean credentialsPresent(String token, String account) {
        if (token == null) {
            fail(400, ApiMessages.missingParam(FormParams.ACCESS_TOKEN), false, "no-token");
            return false;
        }
        if (account == null) {
            fail(400, ApiMessages.missingParam(FormParams.ACCOUNT_ID), false, "no-account");
            return false;
        }
        return true;
    }

    private void authorize(String token, String account, Consumer<Grant> next) {
        phase = Phase.AUTHORIZING;
        gateway.introspector().introspect(tenant.id(), requestId, token, account).subscribe().with(
                grant -> onContext(() -> {
                    if (finished) {
                        return;
                    }
                    accountId = grant.accountId();
                    if (!gateway.rateLimiter().allowAccount(tenant.id(), accountId)) {
                        gateway.rateLimited(true);
                        fail(429, ApiMessages.RATE_LIMITED, false, "rate-limited-account");
                        return;
                    }
                    next.accept(grant);
                }),
                failure -> onContext(() -> {
                    if (failure instanceof AuthRefusedException refused) {
                        String message = refused.getMessage() == null ? ApiMessages.INVALID_TOKEN : refused.getMessage();
                        fail(401, message, false, "refused");
                    } else {
                        authServiceFailed(failure, "introspection");
                    }
                }));
    }

    private void authServiceFailed(Throwable failure, String what) {
        if (finished) {
            return;
        }
        boolean timeout = isTimeout(failure);
        LOG.warnf("Request %s: auth-service %s failed: %s", requestId, what, failure.toString());
        fail(timeout ? 504 : 503, timeout ? ApiMessages.SERVICE_TIMEOUT : ApiMessages.SERVICE_UNAVAILABLE, true,
                "auth-" + (timeout ? "timeout" : "unavailable"));
    }

    // ------------------------------------------------------------------------------------------- upstream

    private MultiMap forwardHeaders(boolean keepBodyHeaders, Grant grant) {
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

    private void openUpstream(HttpMethod method, String uri, MultiMap headers, Consumer<HttpClientRequest> sendBody) {
        if (finished) {
            return;
        }
        phase = Phase.CONNECTING;
        startIdleTimer();
        gateway.upstreams().client().request(gateway.upstreams().request(service, method, uri, headers))
                .onComplete(ar -> guard(() -> {
                    if (ar.failed()) {
                        upstreamFailed(ar.cause());
                        return;
                    }
                    HttpClientRequest up = ar.result();
                    if (finished) {
                        up.reset();
                        return;
                    }
                    touch();
                    upstream = up;
                    up.setWriteQueueMaxSize(STREAM_WRITE_QUEUE);
                    up.exceptionHandler(e -> guard(() -> upstreamFailed(e)));
                    up.response().onComplete(response -> guard(() -> {
                        if (response.succeeded()) {
                            relay(response.result());
                        } else {
                            upstreamFailed(response.cause());
                        }
                    }));
                    sendBody.accept(up);
                }));
    }

    private void relay(HttpClientResponse upstreamResponse) {
        if (finished) {
            upstreamResponse.request().reset();
            return;
        }
        String objectUrl = upstreamResponse.getHeader(InternalHeaders.OBJECT_URL);
        if (objectUrl != null && !api && request.method() == HttpMethod.GET) {
            relayObject(upstreamResponse, objectUrl);
            return;
        }
        relay(upstreamResponse, upstreamResponse, -1);
    }

    /**
     * A download file-service has authorised and counted: its status and headers go to the client, the bytes come
     * from S3 by the presigned GET it named (docs/downloads.md), throttled to the package's speed. S3 failing before
     * the first byte is an outage (503, retry); after it, the connection is broken as for any relay.
     */
    private void relayObject(HttpClientResponse answer, String objectUrl) {
        long length;
        long rate;
        try {
            length = Long.parseLong(answer.getHeader(InternalHeaders.OBJECT_LENGTH));
            String rateHeader = answer.getHeader(InternalHeaders.DOWNLOAD_RATE);
            rate = rateHeader == null ? 0 : Long.parseLong(rateHeader);
        } catch (NumberFormatException | NullPointerException e) {
            upstreamFailed(new IllegalStateException("file-service named an object without a usable length"));
            return;
        }
        touch();
        answer.handler(ignored -> { }); // file-service's answer has no body; read its end so the connection is reused
        gateway.objectStore().get(objectUrl, answer.getHeader(InternalHeaders.OBJECT_RANGE), length)
                .onComplete(fetched -> guard(() -> {
                    if (finished) {
                        if (fetched.succeeded()) {
                            fetched.result().request().reset();
                        }
                        return;
                    }
                    if (fetched.failed()) {
                        upstreamFailed(fetched.cause());
                        return;
                    }
                    HttpClientResponse object = fetched.result();
                    upstream = object.request(); // what a client that goes away must abort from now on
                    relay(answer, Throttled.of(object, context.owner(), rate), length);
                }));
    }

    /**
     * Sends {@code head}'s status and headers with {@code body}'s bytes ({@code length}: the Content-Length to send
     * when the body comes from elsewhere than the head, else -1).
     */
    private void relay(HttpClientResponse head, ReadStream<Buffer> body, long length) {
        touch();
        phase = Phase.RESPONDING;
        responseStarted = true;
        int upstreamStatus = head.statusCode();
        status = api ? compatible(upstreamStatus, false) : upstreamStatus;
        outcome = "upstream-" + upstreamStatus;
        response.setStatusCode(status);
        HeaderPolicy.copyResponseHeaders(head.headers(), response.headers());
        if (length >= 0) {
            response.headers().set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        }
        response.headers().set(InternalHeaders.REQUEST_ID, requestId);
        boolean bodyAllowed = request.method() != HttpMethod.HEAD && upstreamStatus >= 200
                && upstreamStatus != 204 && upstreamStatus != 304;
        if (bodyAllowed && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        response.setWriteQueueMaxSize(STREAM_WRITE_QUEUE);
        if (!requestEnded && isHttp1()) {
            // The service answered before the body was complete (a refused upload): this connection is done.
            // (HTTP/2 forbids the header; there only the stream ends, and the connection serves other streams.)
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        if (revokedTokenHash != null && upstreamStatus >= 200 && upstreamStatus < 300) {
            gateway.cache().evictToken(revokedTokenHash);
        }
        body.handler(chunk -> guard(() -> {
            touch();
            bytesOut += chunk.length();
            if (!api) {
                gateway.downloadSent(chunk.length());
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                body.pause();
            }
        }));
        response.drainHandler(v -> guard(() -> {
            touch();
            body.resume();
        }));
        body.exceptionHandler(e -> guard(() -> upstreamFailed(e)));
        body.endHandler(v -> guard(() -> {
            if (finished) {
                return;
            }
            finished = true;
            boolean closeAfter = !requestEnded;
            if (closeAfter) {
                resetUpstream();
            }
            response.end().onComplete(done -> {
                if (closeAfter) {
                    lingerThenClose();
                }
            });
            complete();
        }));
    }

    private void upstreamFailed(Throwable cause) {
        if (finished) {
            return;
        }
        if (responseStarted) {
            // Part of the answer is on its way: the only honest signal left is breaking the connection.
            LOG.warnf("Request %s: %s failed while relaying the response: %s", requestId, service, cause.toString());
            abort("upstream-broke");
            return;
        }
        boolean timeout = isTimeout(cause);
        LOG.warnf("Request %s: %s %s: %s", requestId, service, timeout ? "timed out" : "unavailable", cause.toString());
        // fail() marks the exchange finished before resetting the upstream request, so the reset's own failure
        // callbacks find it finished and change nothing.
        fail(timeout ? 504 : 503, timeout ? ApiMessages.SERVICE_TIMEOUT : ApiMessages.SERVICE_UNAVAILABLE, true,
                timeout ? "upstream-timeout" : "upstream-unavailable");
    }

    private static boolean isTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof ConnectTimeoutException
                    || t instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || t instanceof IdleTimeoutException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private void resetUpstream() {
        if (upstream != null) {
            upstream.reset();
        }
    }

    // ------------------------------------------------------------------------------------------ idle timer

    private void startIdleTimer() {
        touch();
        if (idleTimer < 0) {
            scheduleIdleCheck(gateway.upstreams().idleTimeoutMillis());
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private void scheduleIdleCheck(long delayMillis) {
        idleTimer = context.owner().setTimer(Math.max(1, delayMillis), id -> guard(() -> {
            idleTimer = -1;
            if (finished) {
                return;
            }
            long limit = gateway.upstreams().idleTimeoutMillis();
            long idle = (System.nanoTime() - lastActivity) / 1_000_000;
            if (idle >= limit) {
                upstreamFailed(new IdleTimeoutException(limit));
            } else {
                scheduleIdleCheck(limit - idle);
            }
        }));
    }

    private void cancelIdleTimer() {
        if (idleTimer >= 0) {
            context.owner().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    // ----------------------------------------------------------------------------------- answers and endings

    /**
     * Answers with the error envelope. {@code exempt}: the status is never mapped to 200 for compatible tenants
     * (unknown endpoint/action, wrong method, server-side failures).
     */
    private void fail(int errorStatus, String message, boolean exempt, String why) {
        if (finished) {
            return;
        }
        finished = true;
        outcome = why;
        status = compatible(errorStatus, exempt || !api);
        resetUpstream();
        boolean closeAfter = false;
        if (!requestEnded && !request.isEnded()) {
            if (bodyIsSmall() && !(expectsContinue() && !continueSent)) {
                // Read and drop the rest, so the connection stays usable for the next request.
                request.handler(chunk -> { });
                request.endHandler(v -> requestEnded = true);
                request.resume();
            } else {
                closeAfter = true;
            }
        }
        pending.clear();
        ZoneId zone = tenant == null ? ZoneOffset.UTC : tenant.zone();
        Buffer body = Buffer.buffer(Envelope.error(message, zone).toString());
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, ApiMedia.JSON_UTF8)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        response.headers().remove(HttpHeaders.TRANSFER_ENCODING);
        if (status == 503) {
            // As every service's 503 (ApiResponses.error): the condition is temporary, a retry is the right reaction.
            response.putHeader("Retry-After", Integer.toString(ApiMessages.RETRY_AFTER_SECONDS));
        }
        bytesOut += body.length();
        boolean close = closeAfter && isHttp1();
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        } else if (closeAfter) {
            drainRest();
        }
        response.end(body).onComplete(done -> {
            if (close) {
                lingerThenClose();
            }
        });
        complete();
    }

    private boolean isHttp1() {
        return request.version() != HttpVersion.HTTP_2;
    }

    /** HTTP/2: the refused stream's remaining body is read and dropped; the shared connection stays open. */
    private void drainRest() {
        try {
            request.handler(chunk -> { });
            request.resume();
        } catch (IllegalStateException alreadyEnded) {
            // nothing left to drain
        }
    }

    /** Closes the connection of a request whose body is still coming, after a bounded lingering read. */
    private void lingerThenClose() {
        EarlyAnswer.lingerThenClose(request, context.owner(), EarlyAnswer.LINGER_MILLIS);
    }

    private int compatible(int strictStatus, boolean exempt) {
        if (exempt || tus || tenant == null || tenant.strictHttp() || !COMPAT_REWRITTEN.contains(strictStatus)) {
            return strictStatus;
        }
        return 200;
    }

    /** Whatever the client still has to send is small enough to read and drop rather than close the connection. */
    private boolean bodyIsSmall() {
        if (phase == Phase.STREAMING || phase == Phase.SCANNING || phase == Phase.REPLAYING) {
            return false;
        }
        long declared = declaredLength();
        if (declared >= 0) {
            return declared <= gateway.config().maxFormBytes();
        }
        return !request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private long declaredLength() {
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

    private void clientGone() {
        if (finished) {
            return;
        }
        finished = true;
        status = 499;
        outcome = "client-closed";
        // The service must see the abort too (file-service then drops the partial upload).
        resetUpstream();
        complete();
    }

    private void abort(String why) {
        if (finished) {
            return;
        }
        finished = true;
        outcome = why;
        resetUpstream();
        response.reset();
        complete();
    }

    private void complete() {
        cancelIdleTimer();
        cleanup();
        uploadDone();
        long nanos = System.nanoTime() - startNanos;
        long millis = nanos / 1_000_000;
        String endpoint = endpointName();
        gateway.recordRequest(api, endpoint, status, nanos);
        // One line per request. Never a token, key, JWT, query string or raw path (public paths hold short URLs and
        // download tokens): only ids and the route table's names.
        ACCESS.infof("request_id=%s tenant=%s account=%s endpoint=%s method=%s status=%d outcome=%s bytes_in=%d "
                        + "bytes_out=%d duration_ms=%d client_ip=%s",
                requestId, tenant == null ? "-" : tenant.id(), accountId == null ? "-" : accountId, endpoint,
                request.method().name(), status, outcome, bytesIn, bytesOut, millis,
                origin == null || origin.clientIp() == null ? "-" : origin.clientIp());
    }

    /**
     * A bounded name for logs and metric tags: the route's name ({@code file/info}), {@code unknown} (no such
     * endpoint or action), {@code none} (refused before routing), {@code public/file} or {@code public/folder}
     * (public paths; {@code public} when refused before the owning service was known).
     */
    private String endpointName() {
        if (!api) {
            return service == null ? "public" : "public/" + service.name().toLowerCase(Locale.ROOT);
        }
        if (route != null) {
            return route.name();
        }
        return unknownRoute ? "unknown" : "none";
    }

    private void uploadDone() {
        if (activeUpload) {
            activeUpload = false;
            gateway.uploadEnded();
        }
    }

    private void cleanup() {
        if (recording != null) {
            recording.discard();
            recording = null;
        }
        pending.clear();
    }

    /**
     * A client waiting for 100 Continue that gets a final answer instead may or may not send its body: the
     * connection cannot be reused safely, so such a refusal always closes it.
     */
    private boolean expectsContinue() {
        return "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    }

    private void sendContinueIfExpected() {
        if (!continueSent && expectsContinue()) {
            continueSent = true;
            response.writeContinue();
        }
    }

    // ------------------------------------------------------------------------------------------- plumbing

    /** Runs on the request's context: callbacks of the auth client or of timers may arrive on other threads. */
    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            guard(action);
        } else {
            context.runOnContext(v -> guard(action));
        }
    }

    /** No exception ever reaches the client as a stack trace or leaves the exchange hanging. */
    private void guard(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Request %s: unexpected failure in %s", requestId, phase);
            if (responseStarted) {
                abort("internal-error");
            } else {
                fail(500, ApiMessages.INTERNAL_ERROR, true, "internal-error");
            }
        }
    }

    private static String or(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    static final class IdleTimeoutException extends RuntimeException {
        IdleTimeoutException(long millis) {
            super("no progress for " + millis + " ms", null, false, false);
        }
    }

    static boolean isApiPath(String normalizedPath) {
        return normalizedPath.regionMatches(true, 0, "/api", 0, 4)
                && (normalizedPath.length() == 4 || normalizedPath.charAt(4) == '/');
    }
}
