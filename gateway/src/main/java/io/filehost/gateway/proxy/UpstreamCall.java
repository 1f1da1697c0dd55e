package io.filehost.gateway.proxy;

import io.filehost.common.api.ApiMessages;
import io.filehost.common.internal.InternalHeaders;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The exchange's call to a service: open the request, relay the answer to the client (status mapped for compatible
 * tenants, body streamed with back-pressure), and the idle timer that fails a call without progress (504).
 */
final class UpstreamCall {
    /** The exchange's category, which docs/observability.md names. */
    private static final Logger LOG = Exchange.LOG;

    private final Exchange x;
    private HttpClientRequest upstream;
    private boolean responseStarted;
    private long lastActivity;
    private long idleTimer = -1;

    UpstreamCall(Exchange exchange) {
        this.x = exchange;
    }

    boolean responseStarted() {
        return responseStarted;
    }

    /** Forwards the request with its body streamed as it arrives (public paths, tus). */
    void forwardStreamed(HttpMethod method, String uri, MultiMap headers) {
        open(method, uri, headers, up -> {
            if (x.request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                    && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
                up.setChunked(true);
            }
            x.sendContinueIfExpected();
            streamBody(up);
        });
    }

    /** The request body to the service as it arrives, with back-pressure both ways. */
    private void streamBody(HttpClientRequest up) {
        HttpServerRequest request = x.request;
        Pump pump = new Pump(request, up, x, () -> !x.finished && !x.requestEnded);
        request.handler(chunk -> x.guard(() -> {
            if (x.finished) {
                return;
            }
            touch();
            x.record.received(chunk.length(), false);
            pump.push(chunk);
        }));
        request.endHandler(v -> x.guard(() -> {
            x.requestEnded = true;
            if (!x.finished) {
                up.end();
            }
        }));
        x.phase = Exchange.Phase.STREAMING;
        request.resume();
    }

    void open(HttpMethod method, String uri, MultiMap headers, Consumer<HttpClientRequest> sendBody) {
        if (x.finished) {
            return;
        }
        x.phase = Exchange.Phase.CONNECTING;
        startIdleTimer();
        Upstreams upstreams = x.gateway.upstreams();
        upstreams.client().request(upstreams.request(x.service, method, uri, headers))
                .onComplete(ar -> x.guard(() -> {
                    if (ar.failed()) {
                        failed(ar.cause());
                        return;
                    }
                    HttpClientRequest up = ar.result();
                    if (x.finished) {
                        up.reset();
                        return;
                    }
                    touch();
                    upstream = up;
                    up.setWriteQueueMaxSize(Pump.WRITE_QUEUE_BYTES);
                    up.exceptionHandler(e -> x.guard(() -> failed(e)));
                    up.response().onComplete(response -> x.guard(() -> {
                        if (response.succeeded()) {
                            relay(response.result());
                        } else {
                            failed(response.cause());
                        }
                    }));
                    sendBody.accept(up);
                }));
    }

    private void relay(HttpClientResponse upstreamResponse) {
        if (x.finished) {
            upstreamResponse.request().reset();
            return;
        }
        String objectUrl = upstreamResponse.getHeader(InternalHeaders.OBJECT_URL);
        if (objectUrl != null && !x.api && x.request.method() == HttpMethod.GET) {
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
            failed(new IllegalStateException("file-service named an object without a usable length"));
            return;
        }
        touch();
        answer.handler(ignored -> { }); // file-service's answer has no body; read its end so the connection is reused
        x.gateway.objectStore().get(objectUrl, answer.getHeader(InternalHeaders.OBJECT_RANGE), length)
                .onComplete(fetched -> x.guard(() -> {
                    if (x.finished) {
                        if (fetched.succeeded()) {
                            fetched.result().request().reset();
                        }
                        return;
                    }
                    if (fetched.failed()) {
                        LOG.warnf("Request %s: S3 could not serve the download: %s", x.requestId,
                                fetched.cause().toString());
                        x.refusals.fail(503, ApiMessages.SERVICE_UNAVAILABLE, true, "object-store-unavailable");
                        return;
                    }
                    HttpClientResponse object = fetched.result();
                    upstream = object.request(); // what a client that goes away must abort from now on
                    relay(answer, Throttled.of(object, x.context.owner(), rate), length);
                }));
    }

    /**
     * Sends {@code upstreamResponse}'s status and headers with {@code body}'s bytes ({@code length}: the Content-Length to send
     * when the body comes from elsewhere than the head, else -1).
     */
    private void relay(HttpClientResponse upstreamResponse, ReadStream<Buffer> body, long length) {
        touch();
        x.phase = Exchange.Phase.RESPONDING;
        responseStarted = true;
        HttpServerResponse response = x.response;
        int upstreamStatus = upstreamResponse.statusCode();
        x.record.status = x.api ? x.refusals.compatible(upstreamStatus, false) : upstreamStatus;
        x.record.outcome = "upstream-" + upstreamStatus;
        response.setStatusCode(x.record.status);
        HeaderPolicy.copyResponseHeaders(upstreamResponse.headers(), response.headers());
        if (length >= 0) {
            response.headers().set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        }
        response.headers().set(InternalHeaders.REQUEST_ID, x.requestId);
        boolean bodyAllowed = x.request.method() != HttpMethod.HEAD && upstreamStatus >= 200
                && upstreamStatus != 204 && upstreamStatus != 304;
        if (bodyAllowed && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        if (!x.requestEnded && x.isHttp1()) {
            // The service answered before the body was complete (a refused upload): this connection is done.
            // (HTTP/2 forbids the header; there only the stream ends, and the connection serves other streams.)
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        if (x.revokedTokenHash != null && upstreamStatus >= 200 && upstreamStatus < 300) {
            x.gateway.cache().evictToken(x.revokedTokenHash);
        }
        Pump pump = new Pump(body, response, x, () -> true);
        body.handler(chunk -> x.guard(() -> {
            touch();
            x.record.sent(chunk.length());
            pump.push(chunk);
        }));
        body.exceptionHandler(e -> x.guard(() -> failed(e)));
        body.endHandler(v -> x.guard(() -> {
            if (x.finished) {
                return;
            }
            x.finished = true;
            boolean closeAfter = !x.requestEnded;
            if (closeAfter) {
                reset();
            }
            response.end().onComplete(done -> {
                if (closeAfter) {
                    x.refusals.lingerThenClose();
                }
            });
            x.complete();
        }));
    }

    void failed(Throwable cause) {
        if (x.finished) {
            return;
        }
        if (responseStarted) {
            // Part of the answer is on its way: the only honest signal left is breaking the connection.
            LOG.warnf("Request %s: %s failed while relaying the response: %s", x.requestId, x.service, cause.toString());
            x.refusals.abort("upstream-broke");
            return;
        }
        boolean timeout = isTimeout(cause);
        LOG.warnf("Request %s: %s %s: %s", x.requestId, x.service, timeout ? "timed out" : "unavailable",
                cause.toString());
        // fail() marks the exchange finished before resetting the upstream request, so the reset's own failure
        // callbacks find it finished and change nothing.
        x.refusals.fail(timeout ? 504 : 503, timeout ? ApiMessages.SERVICE_TIMEOUT : ApiMessages.SERVICE_UNAVAILABLE,
                true, timeout ? "upstream-timeout" : "upstream-unavailable");
    }

    static boolean isTimeout(Throwable cause) {
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

    void reset() {
        if (upstream != null) {
            upstream.reset();
        }
    }

    // ------------------------------------------------------------------------------------------ idle timer

    private void startIdleTimer() {
        touch();
        if (idleTimer < 0) {
            scheduleIdleCheck(x.gateway.upstreams().idleTimeoutMillis());
        }
    }

    /** Progress in either direction: the idle timer starts over. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    private void scheduleIdleCheck(long delayMillis) {
        idleTimer = x.context.owner().setTimer(Math.max(1, delayMillis), id -> x.guard(() -> {
            idleTimer = -1;
            if (x.finished) {
                return;
            }
            long limit = x.gateway.upstreams().idleTimeoutMillis();
            long idle = (System.nanoTime() - lastActivity) / 1_000_000;
            if (idle >= limit) {
                failed(new IdleTimeoutException(limit));
            } else {
                scheduleIdleCheck(limit - idle);
            }
        }));
    }

    void cancelIdleTimer() {
        if (idleTimer >= 0) {
            x.context.owner().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    static final class IdleTimeoutException extends RuntimeException {
        IdleTimeoutException(long millis) {
            super("no progress for " + millis + " ms", null, false, false);
        }
    }
}
